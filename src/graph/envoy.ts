import { parseQuietRecord } from '../load/quiet-yaml.js';
import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { isRecord } from '../load/objects.js';
import { hubRepository, lastFlagValue, perContainer, visibleFile } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where an Envoy proxy listens, from the bootstrap file it reads (`envoy -c <file>`, or
 * `--config-path`; the official image runs `envoy -c /etc/envoy/envoy.yaml`), mounted from the
 * run: each static listener's `address.socket_address` (and its `additional_addresses`), and the
 * admin interface's. Envoy opens exactly those TCP sockets. Undefined wherever the run cannot see
 * all of them: listeners from an xDS server or a file (`dynamic_resources`), `--config-yaml`
 * merged over the file, a listener that does not bind its port (`bind_to_port: false`, traffic
 * redirected to it), a pipe, a UDP listener, a port given by name or as 0, or text to substitute.
 */

interface Listener {
  port: number;
  host: string;
  /** How the file says it, for messages: `listener ingress: 0.0.0.0:10000`, `admin: 127.0.0.1:9901`. */
  text: string;
}

interface EnvoyConfig {
  listeners: Listener[];
  source: string;
  path: Path;
}

/** The port of a socket_address (`port_value`, a number or a string of digits); undefined otherwise. */
function portValue(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65535) return v;
  if (typeof v === 'string' && /^\d{1,5}$/.test(v) && Number(v) > 0 && Number(v) <= 65535) return Number(v);
  return undefined;
}

/** One `address` of a listener or of admin: a TCP socket address, 'skip' for none, undefined where it cannot be read. */
function socket(address: unknown): { host: string; port: number } | 'skip' | undefined {
  if (address === undefined || address === null) return 'skip';
  if (!isRecord(address)) return undefined;
  // A Unix socket or an internal listener opens no TCP port; anything else is not read here.
  if (address.pipe !== undefined || address.envoy_internal_address !== undefined) return 'skip';
  const s = address.socket_address;
  if (!isRecord(s)) return undefined;
  if (s.protocol !== undefined && s.protocol !== 'TCP') return undefined;
  if (s.named_port !== undefined || s.resolver_name !== undefined) return undefined;
  const port = portValue(s.port_value);
  if (typeof s.address !== 'string' || s.address === '' || port === undefined) return undefined;
  return { host: s.address, port };
}

/**
 * @internal Every TCP listener of an Envoy bootstrap text (YAML or JSON), where the text says all
 * of them; undefined where it does not (see above) or is not a bootstrap.
 */
export function envoyListeners(text: string): Listener[] | undefined {
  // Text meant for a substitution step (envsubst, a template) is not what Envoy reads.
  if (/\$\{|\{\{/.test(text)) return undefined;
  const doc = parseQuietRecord(text);
  if (!doc) return undefined;
  if (doc.dynamic_resources !== undefined) return undefined;
  const staticResources = doc.static_resources;
  if (staticResources !== undefined && !isRecord(staticResources)) return undefined;
  const listeners = staticResources?.listeners;
  if (listeners !== undefined && !Array.isArray(listeners)) return undefined;
  if (listeners === undefined && doc.admin === undefined) return undefined;
  const out: Listener[] = [];
  for (const l of listeners ?? []) {
    if (!isRecord(l)) return undefined;
    if (l.bind_to_port === false || l.use_original_dst === true) return undefined;
    const name = typeof l.name === 'string' ? `listener ${l.name}` : 'a listener';
    const extra = Array.isArray(l.additional_addresses) ? l.additional_addresses.map((a) => (isRecord(a) ? a.address : undefined)) : l.additional_addresses === undefined ? [] : [undefined];
    for (const a of [l.address, ...extra]) {
      const s = socket(a);
      if (s === undefined) return undefined;
      if (s === 'skip') continue;
      out.push({ ...s, text: `${name}: ${hostPort(s)}` });
    }
  }
  if (doc.admin !== undefined) {
    if (!isRecord(doc.admin)) return undefined;
    const s = socket(doc.admin.address);
    if (s === undefined) return undefined;
    if (s !== 'skip') out.push({ ...s, text: `admin: ${hostPort(s)}` });
  }
  return out;
}

const hostPort = (s: { host: string; port: number }) => `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;

/** Envoy's image repositories on Docker Hub (`envoyproxy/envoy`, `-distroless`, `-alpine`, `-dev`…). */
const ENVOY_IMAGE = /^envoyproxy\/envoy(-[a-z]+)*$/;

/** Whether a container may run Envoy: its image, or its command. Cheap: for the rules' gates. */
export function mayRunEnvoy(raw: Record<string, unknown>): boolean {
  if (typeof raw.image === 'string' && raw.image.includes('envoyproxy/') && ENVOY_IMAGE.test(hubRepository(typeof raw.image === 'string' ? raw.image : undefined) ?? '')) return true;
  return Array.isArray(raw.command) && typeof raw.command[0] === 'string' && /(^|\/)envoy$/.test(raw.command[0]);
}

/** The bootstrap file an Envoy container reads, from its command line or the official image's default; undefined where it is not plain. */
function bootstrapFile(raw: Record<string, unknown>): string | undefined {
  const command = Array.isArray(raw.command) ? raw.command : [];
  const args = Array.isArray(raw.args) ? raw.args : [];
  if (![...command, ...args].every((w): w is string => typeof w === 'string')) return undefined;
  const image = ENVOY_IMAGE.test(hubRepository(typeof raw.image === 'string' ? raw.image : undefined) ?? '');
  let words: string[];
  if (command.length) words = command as string[];
  // The official image's entry point runs `envoy` with arguments that start with `-`, and its CMD is `envoy -c /etc/envoy/envoy.yaml`.
  else if (!image) return undefined;
  else if (args.length === 0) return '/etc/envoy/envoy.yaml';
  else words = (args[0] as string).startsWith('-') ? ['envoy', ...(args as string[])] : (args as string[]);
  if (command.length) words = [...words, ...(args as string[])];
  if (words.length === 0 || !/(^|\/)envoy$/.test(words[0]!)) return undefined;
  if (words.some((w) => w.includes('$') || w === '--config-yaml' || w.startsWith('--config-yaml='))) return undefined;
  const file = lastFlagValue(words.slice(1), ['-c', '--config-path']);
  return file !== undefined && file.startsWith('/') && /\.(ya?ml|json)$/i.test(file) ? file : undefined;
}

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): EnvoyConfig | undefined {
  if (!mayRunEnvoy(raw)) return undefined;
  const file = bootstrapFile(raw);
  if (file === undefined) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const listeners = envoyListeners(f.text);
  if (!listeners || listeners.length === 0) return undefined;
  return { listeners, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] };
}

/** The ports an Envoy container listens on, where its mounted bootstrap says all of them. */
export function envoyPorts(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const ports = [...new Set(c.listeners.map((l) => l.port))];
  const first = c.listeners.find((l) => !l.text.startsWith('admin:')) ?? c.listeners[0]!;
  return { ports, evidence: { port: first.port, text: `${first.text} in ${c.source}`, path: c.path, kind: 'config', program: 'Envoy' } };
}

/** An Envoy container whose bootstrap listens on the target port on loopback addresses only (its admin interface on 127.0.0.1, often). */
export function envoyLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const on = c.listeners.filter((l) => target === undefined || l.port === target);
  if (on.length === 0 || !on.every((l) => isLoopbackHost(l.host))) return undefined;
  return { address: on[0]!.host, port: on[0]!.port, text: on[0]!.text, source: c.source, path: c.path, kind: 'config', program: 'Envoy' };
}
