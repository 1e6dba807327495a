import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { lastFlagValue, visibleYaml } from './mounts.js';
import { isLoopbackHost, officialMongo, type LoopbackBind } from './bind.js';
import { isRecord } from '../load/objects.js';

/**
 * Where mongod listens when its `--config` (`-f`) file is mounted from the run: the file's
 * `net.bindIp` (comma-separated), `net.bindIpAll` and `net.port` (27017). Without either
 * address setting mongod binds 127.0.0.1 (since 3.6); the official image's entrypoint adds
 * `--bind_ip_all` then, but only when it runs mongod itself and the file sets neither
 * (docker-entrypoint.sh: `jq '.net.bindIp // .net.bindIpAll'`). Address flags on the command
 * line are left to the command-line reader.
 */
export function mongodConfigLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const command = Array.isArray(raw.command) ? raw.command : [];
  const args = Array.isArray(raw.args) ? raw.args : [];
  const words = [...command, ...args];
  if (!words.every((w): w is string => typeof w === 'string') || words.some((w) => w.includes('$'))) return undefined;
  const at = words.findIndex((w) => /(^|\/)mongod$/.test(w));
  // The official image's entrypoint, given `mongod …` or only flags.
  const entrypoint = command.length === 0 && officialMongo(image) && (words[0] === 'mongod' || (words[0] ?? '').startsWith('-'));
  if (at < 0 && !entrypoint) return undefined;
  const rest = at < 0 ? words : words.slice(at + 1);
  if (rest.some((w) => /^--(bind_ip|bind_ip_all|port|configsvr|shardsvr)(=|$)/.test(w))) return undefined;
  const file = lastFlagValue(rest, ['--config', '-f']);
  if (file === undefined) return undefined;
  const read = visibleYaml(graph, t, raw, file);
  if (!read) return undefined;
  const { file: f, doc } = read;
  if (!isRecord(doc)) return undefined;
  const net = doc.net;
  if (net !== undefined && net !== null && !isRecord(net)) return undefined;
  const portValue = isRecord(net) ? net.port : undefined;
  const port = portValue === undefined || portValue === null ? 27017 : typeof portValue === 'number' && Number.isInteger(portValue) ? portValue : undefined;
  if (port === undefined || (target !== undefined && target !== port)) return undefined;
  const bindIp = isRecord(net) ? net.bindIp : undefined;
  const bindIpAll = isRecord(net) ? net.bindIpAll : undefined;
  if (bindIpAll === true) return undefined;
  const path = f.at === undefined ? [] : ['volumeMounts', f.at];
  if (typeof bindIp === 'string' && bindIp.trim() !== '') {
    const hosts = bindIp.split(',').map((h) => h.trim()).filter(Boolean);
    if (hosts.some((h) => h.includes('$') || !isLoopbackHost(h))) return undefined;
    return { address: hosts[0]!, port, text: `net.bindIp: ${bindIp}`, source: f.source, path, kind: 'config', program: 'mongod' };
  }
  if (bindIp !== undefined && bindIp !== null) return undefined;
  // No address in the file: the entrypoint adds --bind_ip_all; mongod alone binds 127.0.0.1.
  if (entrypoint && at <= 0) return undefined;
  return { address: '127.0.0.1', port, text: 'no net.bindIp', source: f.source, path, kind: 'default', program: 'mongod', caveat: 'a container command replaces the image\'s entrypoint, which would have added --bind_ip_all' };
}
