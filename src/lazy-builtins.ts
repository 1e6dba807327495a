import { createRequire } from 'node:module';

/**
 * Node's built-in modules that most runs never use, loaded on first use: a one-file lint
 * neither renders, nor runs git, nor starts threads, and `node:child_process`,
 * `node:worker_threads` and `node:net` (with the streams and sockets they pull in) took
 * about 10 ms of every start to load. Type-only imports keep the full types.
 */
const load = createRequire(import.meta.url);

let childProcessModule: typeof import('node:child_process') | undefined;
let workerThreadsModule: typeof import('node:worker_threads') | undefined;
let netModule: typeof import('node:net') | undefined;

export const childProcess = (): typeof import('node:child_process') => (childProcessModule ??= load('node:child_process') as typeof import('node:child_process'));
export const workerThreads = (): typeof import('node:worker_threads') => (workerThreadsModule ??= load('node:worker_threads') as typeof import('node:worker_threads'));

/** `net.isIP`: 4, 6, or 0 for a string that is not an IP address. */
export function isIP(s: string): number {
  return (netModule ??= load('node:net') as typeof import('node:net')).isIP(s);
}
