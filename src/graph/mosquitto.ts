import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { hubRepository, perContainer, visibleFile } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where the Eclipse Mosquitto broker listens, from the `mosquitto.conf` it reads (the official
 * image runs `mosquitto -c /mosquitto/config/mosquitto.conf`), mounted from the run: each
 * `listener <port> [<address>]` line (no address: every interface), the older `port` and
 * `bind_address` of the default listener, and, in Mosquitto 2.0 and later, a configuration with
 * none of those: "local only mode", 1883 on 127.0.0.1 and ::1 (src/conf.c sets `local_only`
 * until one of them is read; src/listeners.c `listeners__start_local_only`).
 */

interface Listener {
  port: number;
  host?: string;
  text: string;
}

interface MosquittoConfig {
  listeners: Listener[];
  /** No listener at all: Mosquitto 2 starts in local only mode. */
  localOnly: boolean;
  source: string;
  path: Path;
}

/** @internal The listeners a mosquitto.conf text defines; undefined where it includes other files or a value is not plain. */
export function mosquittoConf(text: string): { listeners: Listener[]; any: boolean } | undefined {
  const listeners: Listener[] = [];
  let defaultPort: number | undefined;
  let defaultHost: string | undefined;
  let any = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const key = words[0]!;
    if (key === 'include_dir') return undefined;
    if (key === 'listener') {
      any = true;
      const port = /^\d{1,5}$/.test(words[1] ?? '') ? Number(words[1]) : undefined;
      if (port === undefined) return undefined;
      const host = words[2] !== undefined && !words[2].startsWith('#') ? words[2] : undefined;
      // Port 0 with a path: a Unix socket, no TCP listener.
      if (port === 0) continue;
      listeners.push({ port, ...(host !== undefined ? { host } : {}), text: line });
    } else if (key === 'port') {
      any = true;
      if (!/^\d{1,5}$/.test(words[1] ?? '')) return undefined;
      defaultPort = Number(words[1]);
    } else if (key === 'bind_address') {
      any = true;
      if (words[1] === undefined) return undefined;
      defaultHost = words[1];
    }
  }
  if (defaultPort !== undefined || defaultHost !== undefined) {
    listeners.push({ port: defaultPort ?? 1883, ...(defaultHost !== undefined ? { host: defaultHost } : {}), text: [defaultPort !== undefined ? `port ${defaultPort}` : '', defaultHost !== undefined ? `bind_address ${defaultHost}` : ''].filter(Boolean).join(', ') });
  }
  return { listeners, any };
}

/**
 * @internal Every TCP listener a Mosquitto 2 broker opens with this configuration file and no
 * `-p`: its listeners, or local only mode (1883 on 127.0.0.1 and ::1); undefined where svclint
 * cannot tell (another file included).
 */
export function mosquittoListens(text: string): { port: number; host?: string }[] | undefined {
  const conf = mosquittoConf(text);
  if (!conf) return undefined;
  if (!conf.any) return [{ port: 1883, host: '127.0.0.1' }, { port: 1883, host: '::1' }];
  return conf.listeners.map((l) => ({ port: l.port, ...(l.host !== undefined ? { host: l.host } : {}) }));
}

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): MosquittoConfig | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  if (hubRepository(image) !== 'eclipse-mosquitto') return undefined;
  // Mosquitto 1.x listened on every interface without a listener.
  const v1 = /:v?1\./.test(image ?? '');
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  let file = '/mosquitto/config/mosquitto.conf';
  if (words.length) {
    if (!words.every((w): w is string => typeof w === 'string') || !/(^|\/)mosquitto$/.test(words[0]!)) return undefined;
    // Ports given on the command line add listeners the file does not show.
    if (words.some((w) => w === '-p' || w === '--port' || w.includes('$'))) return undefined;
    const at = words.findIndex((w) => w === '-c' || w === '--config-file');
    if (at < 0) return undefined;
    if (words[at + 1] === undefined) return undefined;
    file = words[at + 1]!;
  }
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const conf = mosquittoConf(f.text);
  if (!conf) return undefined;
  const localOnly = !conf.any && !v1;
  if (!conf.any && v1) return undefined;
  return { listeners: conf.listeners, localOnly, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] };
}

/** The ports a Mosquitto container listens on, where its mounted configuration says all of them. */
export function mosquittoListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  if (c.localOnly) return { ports: [1883], evidence: { port: 1883, text: `no listener in ${c.source}`, path: c.path, kind: 'config', program: 'Mosquitto' } };
  const ports = [...new Set(c.listeners.map((l) => l.port))];
  if (ports.length === 0) return undefined;
  return { ports, evidence: { port: ports[0]!, text: `${c.listeners[0]!.text} in ${c.source}`, path: c.path, kind: 'config', program: 'Mosquitto' } };
}

/** A Mosquitto container whose configuration listens on the target port on loopback addresses only. */
export function mosquittoLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  if (c.localOnly) {
    if (target !== undefined && target !== 1883) return undefined;
    return { address: '127.0.0.1', port: 1883, text: 'no listener', source: c.source, path: c.path, kind: 'default', program: 'Mosquitto', caveat: 'a configuration with no `listener` starts Mosquitto 2 in local only mode' };
  }
  const on = c.listeners.filter((l) => target === undefined || l.port === target);
  if (on.length === 0 || !on.every((l) => l.host !== undefined && isLoopbackHost(l.host))) return undefined;
  return { address: on[0]!.host!, port: on[0]!.port, text: on[0]!.text, source: c.source, path: c.path, kind: 'config', program: 'Mosquitto' };
}
