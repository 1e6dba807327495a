import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { hubRepository, lastFlagValue, visibleFile } from './mounts.js';
import { uncommented } from './vault.js';

/**
 * The ports a NATS server opens with the configuration file it is given (`nats-server -c
 * <file>`, or the official image's entrypoint with `-c`/`--config`, which replace the image's own
 * file), mounted from the run: clients on `port` (or `listen`), 4222 by default; monitoring only
 * where `http`, `http_port`, `monitor_port`, `https` or `https_port` is set (NATS's default
 * monitoring port is 0, off); and the `port`/`listen` of the cluster, gateway, leafnodes,
 * websocket and mqtt blocks. Undefined wherever the run cannot see all of it: includes,
 * variables in a port, a block without a port, port flags on the command line.
 */

const BLOCKS = new Set(['cluster', 'gateway', 'leafnodes', 'leaf', 'websocket', 'ws', 'mqtt']);
const MONITOR = new Set(['http', 'http_port', 'monitor_port', 'https', 'https_port']);
const PORT_FLAGS = /^--?(p|port|a|addr|net|m|http_port|ms|https_port|cluster|cluster_listen|routes)(=|$)/;

/** A port from a value (`4222`, `0.0.0.0:4222`, `"localhost:8222"`), or undefined. */
function portOf(value: string): number | undefined {
  const v = value.replace(/^["']|["']$/g, '').replace(/[,;]$/, '').trim();
  const m = /^(?:.*:)?(\d{1,5})$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** @internal The ports a nats-server configuration text opens; undefined where it cannot tell. */
export function natsConfPorts(text: string): { ports: number[]; monitor: boolean } | undefined {
  const plain = uncommented(text);
  const ports: number[] = [];
  let client: number | undefined;
  let monitor = false;
  const stack: { name: string; port?: number }[] = [];
  for (const raw of plain.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^include\b/.test(line)) return undefined;
    const m = /^"?([A-Za-z_][\w-]*)"?\s*(?:[:=]\s*|\s+)?(.*)$/.exec(line);
    const key = m?.[1]?.toLowerCase();
    const value = (m?.[2] ?? '').trim();
    const top = stack.length === 0;
    const inner = stack.length === 1 ? stack[0]! : undefined;
    if (key && value.startsWith('{')) {
      stack.push({ name: key });
      if (!value.includes('}')) continue;
      // A block on one line: `cluster { port: 6222 }`.
      const body = value.slice(1, value.lastIndexOf('}'));
      const pm = /(?:^|[\s,])(port|listen)\s*[:=]?\s*([^\s,}]+)/.exec(body);
      if (pm) stack[stack.length - 1]!.port = portOf(pm[2]!);
      if (pm && stack[stack.length - 1]!.port === undefined) return undefined;
      const done = stack.pop()!;
      if (stack.length === 0 && BLOCKS.has(done.name)) {
        if (done.port === undefined) return undefined;
        ports.push(done.port);
      }
      continue;
    }
    if (key && (value.startsWith('[') || line.endsWith('['))) {
      if (!value.includes(']')) stack.push({ name: `${key}[` });
      continue;
    }
    if (line.startsWith('}') || line.startsWith(']')) {
      const done = stack.pop();
      if (!done) return undefined;
      if (stack.length === 0 && BLOCKS.has(done.name)) {
        if (done.port === undefined) return undefined;
        ports.push(done.port);
      }
      continue;
    }
    if (!key) continue;
    if (value.includes('$')) {
      if ((top && (key === 'port' || key === 'listen' || MONITOR.has(key))) || (inner && BLOCKS.has(inner.name) && (key === 'port' || key === 'listen'))) return undefined;
      continue;
    }
    if (top && (key === 'port' || key === 'listen')) {
      const p = portOf(value);
      if (p === undefined) return undefined;
      client = p;
    } else if (top && MONITOR.has(key)) {
      const p = portOf(value);
      if (p === undefined) return undefined;
      if (p !== 0) {
        ports.push(p);
        monitor = true;
      }
    } else if (inner && BLOCKS.has(inner.name) && (key === 'port' || key === 'listen')) {
      const p = portOf(value);
      if (p === undefined) return undefined;
      inner.port = p;
    }
  }
  if (stack.length) return undefined;
  return { ports: [client ?? 4222, ...ports], monitor };
}

/** The ports a NATS container listens on, where its mounted configuration file says all of them. */
export function natsListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const command = Array.isArray(raw.command) ? raw.command : [];
  const args = Array.isArray(raw.args) ? raw.args : [];
  const words = [...command, ...args];
  if (!words.every((w): w is string => typeof w === 'string')) return undefined;
  const at = words.findIndex((w) => /(^|\/)nats-server$/.test(w));
  if (at < 0 && !(command.length === 0 && hubRepository(image) === 'nats')) return undefined;
  const rest = at < 0 ? words : words.slice(at + 1);
  if (rest.some((w) => PORT_FLAGS.test(w) || w.includes('$'))) return undefined;
  const file = lastFlagValue(rest, ['-c', '--config']);
  if (file === undefined) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const conf = natsConfPorts(f.text);
  if (!conf) return undefined;
  const ports = [...new Set(conf.ports)];
  const text = `${conf.monitor ? '' : 'no http_port (monitoring off), '}port ${ports[0]} in ${f.source}`;
  return { ports, evidence: { port: ports[0]!, text, path: f.at === undefined ? [] : ['volumeMounts', f.at], kind: 'config', program: 'NATS' } };
}
