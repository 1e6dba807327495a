import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { hubRepository, mountedTree } from './mounts.js';
import { isRecord } from '../load/objects.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where Grafana's server listens and what it speaks: the `[server]` section of its
 * configuration (`/etc/grafana/grafana.ini`, or `GF_PATHS_CONFIG`) mounted from the run —
 * `http_port` (3000), `http_addr` (every address) and `protocol` (`http`; `https`, `h2` and
 * `socket` change what the port speaks) — with the `GF_SERVER_*` variables over the file, as
 * Grafana reads them.
 */

const IMAGES = new Set(['grafana/grafana', 'grafana/grafana-oss', 'grafana/grafana-enterprise', 'bitnami/grafana']);

interface Setting {
  value: string;
  text: string;
  path: Path;
  kind: 'config' | 'env';
  source?: string;
}

export interface GrafanaServer {
  port?: Setting;
  addr?: Setting;
  protocol?: Setting;
}

/** @internal The `[server]` settings of a grafana.ini text that matter here; undefined where a value is built from a variable. */
export function grafanaIni(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[([^\]]+)\]/.exec(line);
    if (s) {
      section = s[1]!.trim().toLowerCase();
      continue;
    }
    if (section !== 'server') continue;
    const m = /^([A-Za-z0-9_.]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (key !== 'http_port' && key !== 'http_addr' && key !== 'protocol') continue;
    const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
    if (/\$/.test(value)) return undefined;
    out[key] = value;
  }
  return out;
}

/** The server settings of a Grafana container that the run decides (the file it reads, and its variables); undefined when it is no Grafana the run can read. */
export function grafanaServer(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): GrafanaServer | undefined {
  // Asked by the listener, loopback and probe checks of one container: read once.
  if (serverCache.has(raw)) return serverCache.get(raw);
  const out = readServer(graph, t, raw);
  serverCache.set(raw, out);
  return out;
}

const serverCache = new WeakMap<Record<string, unknown>, GrafanaServer | undefined>();

function readServer(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): GrafanaServer | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  if (!IMAGES.has(hubRepository(image) ?? '')) return undefined;
  // Its own command may start Grafana with other flags (`--config`, `cfg:server.http_port=`).
  if (Array.isArray(raw.command) || Array.isArray(raw.args)) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  const env = Array.isArray(raw.env) ? raw.env.filter(isRecord) : [];
  const envValue = (name: string): { value: string; at: number } | 'unknown' | undefined => {
    const i = env.findIndex((e) => e.name === name);
    if (i < 0) return undefined;
    return typeof env[i]!.value === 'string' ? { value: env[i]!.value as string, at: i } : 'unknown';
  };
  const cfgPath = envValue('GF_PATHS_CONFIG');
  if (cfgPath === 'unknown') return undefined;
  const want = cfgPath?.value ?? '/etc/grafana/grafana.ini';
  const { files, opaque } = mountedTree(graph, t, raw);
  const file = files.find((f) => f.path === want);
  if (opaque.some((o) => want === o || want.startsWith(o.endsWith('/') ? o : `${o}/`))) return undefined;
  const ini = file ? grafanaIni(file.text) : {};
  if (!ini) return undefined;
  const out: GrafanaServer = {};
  for (const [key, variable, field] of [['http_port', 'GF_SERVER_HTTP_PORT', 'port'], ['http_addr', 'GF_SERVER_HTTP_ADDR', 'addr'], ['protocol', 'GF_SERVER_PROTOCOL', 'protocol']] as const) {
    const e = envValue(variable);
    if (e === 'unknown') return undefined;
    if (e) out[field] = { value: e.value.trim(), text: `${variable}=${e.value}`, path: ['env', e.at, 'value'], kind: 'env' };
    else if (file && ini[key] !== undefined) out[field] = { value: ini[key]!, text: `${key} = ${ini[key]}`, path: file.at === undefined ? [] : ['volumeMounts', file.at], kind: 'config', source: file.source };
  }
  return out;
}

const portOf = (s: Setting | undefined): number | undefined => (s && /^\d{1,5}$/.test(s.value) ? Number(s.value) : undefined);

/** The port a Grafana container listens on where its mounted grafana.ini sets it. */
export function grafanaListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const g = grafanaServer(graph, t, raw);
  const port = portOf(g?.port);
  if (!g || port === undefined || g.port!.kind !== 'config' || g.protocol?.value === 'socket') return undefined;
  return { ports: [port], evidence: { port, text: `${g.port!.text} in ${g.port!.source}`, path: g.port!.path, kind: 'config', program: 'Grafana' } };
}

/** A Grafana container whose configuration binds its port on loopback only. */
export function grafanaLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined {
  const g = grafanaServer(graph, t, raw);
  if (!g?.addr || !isLoopbackHost(g.addr.value) || g.protocol?.value === 'socket') return undefined;
  const port = portOf(g.port) ?? (g.port === undefined ? 3000 : undefined);
  if (port === undefined) return undefined;
  return { address: g.addr.value, port, text: g.addr.text, ...(g.addr.source ? { source: g.addr.source } : {}), path: g.addr.path, kind: g.addr.kind, program: 'Grafana' };
}

/** The TLS protocol (`https`, `h2`) a Grafana container serves on its port, and where it is set. */
export function grafanaTls(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { port: number; protocol: string; text: string; path: Path; source?: string } | undefined {
  const g = grafanaServer(graph, t, raw);
  const protocol = g?.protocol?.value.toLowerCase();
  if (!g || (protocol !== 'https' && protocol !== 'h2')) return undefined;
  const port = portOf(g.port) ?? (g.port === undefined ? 3000 : undefined);
  if (port === undefined) return undefined;
  return { port, protocol, text: g.protocol!.text, path: g.protocol!.path, ...(g.protocol!.source ? { source: g.protocol!.source } : {}) };
}
