import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { lastFlagValue, visibleYaml } from './mounts.js';
import { isLoopbackHost, splitAddress, type LoopbackBind } from './bind.js';
import { isRecord } from '../load/objects.js';

/**
 * Where kube-proxy serves its metrics (10249) and health (10256) when it reads a
 * KubeProxyConfiguration file (`--config`), mounted from the run: the file alone decides (the
 * address flags are "ignored if a config file is specified"). Its defaults
 * (SetDefaults_KubeProxyConfiguration): an empty `metricsBindAddress` is 127.0.0.1:10249 (`[::1]`
 * where `bindAddress` is IPv6), an empty `healthzBindAddress` 0.0.0.0:10256; a value without a
 * port gets the default port.
 */
export function kubeProxyLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  if (!words.every((w): w is string => typeof w === 'string')) return undefined;
  const at = words.findIndex((w) => /(^|\/)kube-proxy$/.test(w));
  if (at < 0) return undefined;
  const file = lastFlagValue(words.slice(at + 1), ['--config']);
  if (file === undefined || file.includes('$')) return undefined;
  const read = visibleYaml(graph, t, raw, file);
  if (!read) return undefined;
  const { file: f, doc } = read;
  if (!isRecord(doc) || doc.kind !== 'KubeProxyConfiguration') return undefined;
  const bind = typeof doc.bindAddress === 'string' && doc.bindAddress !== '' ? doc.bindAddress : '0.0.0.0';
  const v6 = bind.includes(':');
  const path = f.at === undefined ? [] : ['volumeMounts', f.at];
  for (const [field, port, fallback] of [['metricsBindAddress', 10249, v6 ? '::1' : '127.0.0.1'], ['healthzBindAddress', 10256, v6 ? '::' : '0.0.0.0']] as const) {
    if (target !== undefined && target !== port) continue;
    const v = doc[field];
    if (v === undefined || v === null || v === '') {
      if (!isLoopbackHost(fallback)) continue;
      return { address: fallback, port, text: `${field}: ""`, source: f.source, path, kind: 'default', program: 'kube-proxy', caveat: `an empty ${field} is ${v6 ? '[::1]' : '127.0.0.1'}:${port}` };
    }
    if (typeof v !== 'string' || v.includes('$')) return undefined;
    const a = splitAddress(v);
    if (!a || (a.port ?? port) !== port || !isLoopbackHost(a.host)) continue;
    return { address: a.host, port, text: `${field}: ${v}`, source: f.source, path, kind: 'config', program: 'kube-proxy' };
  }
  return undefined;
}
