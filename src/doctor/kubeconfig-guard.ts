import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { formatSize } from '../load/read.js';

/** A kubeconfig is small; a larger one is the wrong file. */
export const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Refuses kubeconfig files that the client library would read without bound: a device,
 * a pipe, a folder, or a regular file over the cap. Call before loading the kubeconfig;
 * files that do not exist are left to the loader's own message.
 */
export function guardKubeconfig(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const files = explicit ? [explicit] : env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter(Boolean) : [path.join(homedir(), '.kube', 'config')];
  for (const file of files) {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) continue;
    if (!st.isFile()) throw new UsageError(`kubeconfig ${file} is not a regular file (a ${st.isDirectory() ? 'folder' : 'device or pipe'}); give the path of a kubeconfig file`);
    if (st.size > MAX_KUBECONFIG_BYTES) throw new UsageError(`kubeconfig ${file} is ${formatSize(st.size)}, more than the ${formatSize(MAX_KUBECONFIG_BYTES)} svclint reads; is it the right file?`);
  }
}
