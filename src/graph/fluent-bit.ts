import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { lastFlagValue, perContainer, visibleFile } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where Fluent Bit listens, from its classic configuration file (`-c`/`--config`; the official
 * image runs `fluent-bit -c /fluent-bit/etc/fluent-bit.conf`), mounted from the run: its HTTP
 * server (metrics, `/api/v1/health`) only where `[SERVICE]` sets `HTTP_Server On`, on
 * `HTTP_Listen` (0.0.0.0) and `HTTP_Port` (2020); each `[INPUT]` plugin that takes connections
 * on its `Listen`/`Port` (forward 24224, http 9880, tcp 5170, syslog in `tcp` mode 5140, mqtt
 * 1883, opentelemetry 4318, prometheus_remote_write 8080, splunk 8088, elasticsearch 9200); and
 * the `prometheus_exporter` output (2021). Fluent Bit opens no other TCP socket. Undefined where
 * the file does not say all of it: `@INCLUDE`, `@SET` or `${…}`, a plugin svclint does not know.
 */

interface Listener {
  port: number;
  host: string;
  text: string;
}

/** Input plugins that open no socket (they read files, the journal, the host, or dial out). */
const CLIENT_INPUTS = new Set(['tail', 'systemd', 'dummy', 'cpu', 'mem', 'disk', 'netif', 'proc', 'exec', 'exec_wasi', 'fluentbit_metrics', 'node_exporter_metrics', 'process_exporter_metrics', 'kmsg', 'head', 'health', 'thermal', 'random', 'kubernetes_events', 'docker', 'docker_events', 'serial', 'stdin', 'prometheus_scrape', 'nginx_exporter_metrics', 'podman_metrics', 'event_type', 'blob', 'ebpf', 'gpu_metrics', 'winlog', 'winevtlog', 'windows_exporter_metrics', 'udp', 'statsd', 'collectd']);
/** Input plugins that take TCP connections, with their defaults (`udp`, `statsd` and `collectd` take datagrams). */
const SERVER_INPUTS: Record<string, number> = { forward: 24224, http: 9880, tcp: 5170, mqtt: 1883, opentelemetry: 4318, prometheus_remote_write: 8080, splunk: 8088, elasticsearch: 9200, syslog: 5140 };

const on = (v: string | undefined) => v !== undefined && /^(on|true|yes|1)$/i.test(v.trim());

/** @internal Every TCP listener of a classic Fluent Bit configuration text; undefined where it does not say all of them. */
export function fluentBitListeners(text: string): Listener[] | undefined {
  if (/^\s*@(INCLUDE|SET)\b/im.test(text) || text.includes('${')) return undefined;
  const sections: { name: string; keys: Map<string, string> }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const s = /^\[([A-Za-z_ ]+)\]$/.exec(line);
    if (s) {
      sections.push({ name: s[1]!.trim().toUpperCase(), keys: new Map() });
      continue;
    }
    const kv = /^(\S+)\s+(.*)$/.exec(line);
    const section = sections.at(-1);
    if (!kv || !section) continue;
    section.keys.set(kv[1]!.toLowerCase(), kv[2]!.trim());
  }
  if (sections.length === 0) return undefined;
  const out: Listener[] = [];
  const port = (v: string | undefined, dflt: number): number | undefined => (v === undefined ? dflt : /^\d{1,5}$/.test(v) ? Number(v) : undefined);
  for (const s of sections) {
    if (s.name === 'SERVICE' && on(s.keys.get('http_server'))) {
      const p = port(s.keys.get('http_port'), 2020);
      if (p === undefined) return undefined;
      out.push({ port: p, host: s.keys.get('http_listen') ?? '0.0.0.0', text: `HTTP_Server ${s.keys.get('http_server')}` });
    } else if (s.name === 'INPUT') {
      const plugin = s.keys.get('name')?.toLowerCase();
      if (plugin === undefined) return undefined;
      if (CLIENT_INPUTS.has(plugin)) continue;
      const dflt = SERVER_INPUTS[plugin];
      if (dflt === undefined) return undefined;
      // Syslog listens on a Unix socket unless its mode says tcp (or udp, datagrams); forward, on a Unix path where one is set.
      if (plugin === 'syslog' && (s.keys.get('mode') ?? 'unix_udp').toLowerCase() !== 'tcp') continue;
      if (plugin === 'forward' && s.keys.has('unix_path')) continue;
      const p = port(s.keys.get('port'), dflt);
      if (p === undefined) return undefined;
      out.push({ port: p, host: s.keys.get('listen') ?? '0.0.0.0', text: `[INPUT] Name ${plugin}` });
    } else if (s.name === 'OUTPUT' && s.keys.get('name')?.toLowerCase() === 'prometheus_exporter') {
      const p = port(s.keys.get('port'), 2021);
      if (p === undefined) return undefined;
      out.push({ port: p, host: s.keys.get('host') ?? '0.0.0.0', text: '[OUTPUT] Name prometheus_exporter' });
    }
  }
  return out;
}

const IMAGE = /(^|\/)fluent\/fluent-bit(:|@|$)/;

interface FluentBitConfig {
  listeners: Listener[];
  source: string;
  path: Path;
}

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): FluentBitConfig | undefined {
  if (typeof raw.image !== 'string' || !IMAGE.test(raw.image)) return undefined;
  const command = Array.isArray(raw.command) ? raw.command : [];
  const args = Array.isArray(raw.args) ? raw.args : [];
  const words = [...command, ...args];
  if (!words.every((w): w is string => typeof w === 'string') || words.some((w) => w.includes('$'))) return undefined;
  if (command.length && !/(^|\/)fluent-bit$/.test(command[0] as string)) return undefined;
  // Settings given on the command line (`-H`, `-P`, `-i`, `-o`…) add to the file: only -c and the harmless flags are read.
  const rest = command.length ? words.slice(1) : words;
  let i = 0;
  while (i < rest.length) {
    const w = rest[i]!;
    if (w === '-c' || w === '--config') i += 2;
    else if (/^--config=|^--workdir=|^-q$|^--quiet$|^-v+$|^--verbose$|^-f$|^--flush=/.test(w)) i += 1;
    else if (w === '--workdir' || w === '-f' || w === '--flush') i += 2;
    else return undefined;
  }
  const file = lastFlagValue(rest, ['-c', '--config']) ?? (words.length === 0 ? '/fluent-bit/etc/fluent-bit.conf' : undefined);
  if (file === undefined || !file.startsWith('/') || /\.ya?ml$/i.test(file)) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const listeners = fluentBitListeners(f.text);
  if (!listeners) return undefined;
  return { listeners, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] };
}

/** The ports a Fluent Bit container listens on, where its mounted configuration says all of them. */
export function fluentBitPorts(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const ports = [...new Set(c.listeners.map((l) => l.port))];
  const server = c.listeners.find((l) => l.text.startsWith('HTTP_Server'));
  const text = ports.length === 0 ? `HTTP_Server Off (the default) in ${c.source}` : `${(server ?? c.listeners[0]!).text} in ${c.source}`;
  return { ports, evidence: { port: ports[0] ?? 2020, text, path: c.path, kind: 'config', program: 'Fluent Bit' } };
}

/** A Fluent Bit whose configuration listens on the target port on loopback addresses only. */
export function fluentBitLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const at = c.listeners.filter((l) => target === undefined || l.port === target);
  if (at.length === 0 || !at.every((l) => isLoopbackHost(l.host))) return undefined;
  return { address: at[0]!.host, port: at[0]!.port, text: at[0]!.text, source: c.source, path: c.path, kind: 'config', program: 'Fluent Bit' };
}
