import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { visibleFile } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where PgBouncer listens, from the configuration file its command line names (`pgbouncer [-d]
 * <file>`), mounted from the run: the `[pgbouncer]` section's `listen_addr` (a comma-separated
 * list; `*` is every address) on `listen_port` (6432). Undefined wherever the run cannot see all
 * of it: `%include`, a value with a variable, no `listen_addr` (then PgBouncer opens no TCP
 * socket at all, only its Unix socket).
 */

/** @internal The `[pgbouncer]` section's listen_addr and listen_port of an ini text; undefined where it includes another file. */
export function pgbouncerListen(text: string): { addr?: string; port: number } | undefined {
  let section = '';
  let addr: string | undefined;
  let port = 6432;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (/^%include\b/i.test(line)) return undefined;
    const s = /^\[([^\]]*)\]$/.exec(line);
    if (s) {
      section = s[1]!.trim().toLowerCase();
      continue;
    }
    if (section !== 'pgbouncer') continue;
    const kv = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!.replace(/\s+[;#].*$/, '').trim().replace(/^"(.*)"$/, '$1');
    if (key === 'listen_addr') addr = value;
    else if (key === 'listen_port') {
      if (!/^\d{1,5}$/.test(value)) return undefined;
      port = Number(value);
    }
  }
  return { ...(addr !== undefined ? { addr } : {}), port };
}

/** A PgBouncer container whose configuration file listens on loopback addresses only. */
export function pgbouncerLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  if (!words.every((w): w is string => typeof w === 'string')) return undefined;
  const at = words.findIndex((w) => /(^|\/)pgbouncer$/.test(w));
  if (at < 0) return undefined;
  const file = words.slice(at + 1).find((w) => !w.startsWith('-'));
  if (file === undefined || !file.startsWith('/') || file.includes('$')) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const conf = pgbouncerListen(f.text);
  if (!conf || conf.addr === undefined || conf.addr.includes('$') || (target !== undefined && target !== conf.port)) return undefined;
  const hosts = conf.addr.split(',').map((h) => h.trim()).filter(Boolean);
  if (hosts.length === 0 || !hosts.every((h) => isLoopbackHost(h))) return undefined;
  return { address: hosts[0]!, port: conf.port, text: `listen_addr = ${conf.addr}`, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at], kind: 'config', program: 'PgBouncer' };
}
