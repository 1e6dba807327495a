export declare const childProcess: () => typeof import('node:child_process');
export declare const workerThreads: () => typeof import('node:worker_threads');
/** `net.isIP`: 4, 6, or 0 for a string that is not an IP address. */
export declare function isIP(s: string): number;
