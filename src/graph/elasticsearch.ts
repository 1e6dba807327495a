import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { mountedFile } from './mounts.js';
import { yamlValues } from './config-files.js';
import { envOf, isLoopbackHost, type LoopbackBind } from './bind.js';
import { flattenProps } from './spring.js';

/**
 * Where Elasticsearch's HTTP and transport servers bind when its `elasticsearch.yml` comes from
 * a ConfigMap of the run. The official images (`elasticsearch` on Docker Hub,
 * `docker.elastic.co/elasticsearch/elasticsearch`) ship a file with `network.host: 0.0.0.0`; a
 * mounted file replaces it, and a file without a host setting leaves Elasticsearch's default
 * `_local_`: the loopback addresses only. Each server takes the first of its own bind host, its
 * host, `network.bind_host` and `network.host` that is set; settings come from the file, from
 * the image's environment conventions (a variable named `network.host`, or 8.x's
 * `ES_SETTING_NETWORK_HOST`), and from `-E name=value` arguments, which win.
 */

const CONFIG = '/usr/share/elasticsearch/config/elasticsearch.yml';
const OFFICIAL = /^(docker\.elastic\.co\/elasticsearch\/elasticsearch|(docker\.io\/)?(library\/)?elasticsearch)(:[^/]*)?(@.*)?$/;

/**
 * The images read here, with their file: Elasticsearch's, and OpenSearch's
 * (`opensearchproject/opensearch`), whose image also ships `network.host: 0.0.0.0` in
 * `opensearch.yml`, has the same default (`_local_`), and whose entrypoint turns only variables
 * named like a setting (`network.host`) into `-E` arguments.
 */
const FLAVORS = [
  { image: OFFICIAL, config: CONFIG, program: 'Elasticsearch', prefixEnv: true },
  { image: /^(docker\.io\/)?opensearchproject\/opensearch(:[^/]*)?(@.*)?$/, config: '/usr/share/opensearch/config/opensearch.yml', program: 'OpenSearch', prefixEnv: false },
] as const;

const flavorOf = (image: unknown) => (typeof image === 'string' ? FLAVORS.find((f) => f.image.test(image)) : undefined);

/** `_local_`, `localhost`, `127.0.0.1`, `[::1]`: what binds the loopback addresses only. */
const loopbackValue = (v: string): boolean => v.split(',').map((x) => x.trim().replace(/^\[|\]$/g, '')).every((x) => x === '_local_' || x === '_local:ipv4_' || x === '_local:ipv6_' || isLoopbackHost(x));

/** `ES_SETTING_NETWORK_HOST` → `network.host` (`__` is an underscore). */
const settingOfEnv = (name: string, prefixEnv = true): string | undefined => {
  if (prefixEnv && name.startsWith('ES_SETTING_')) return name.slice('ES_SETTING_'.length).toLowerCase().replace(/__/g, '\u0000').replace(/_/g, '.').replace(/\u0000/g, '_');
  return /^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(name) ? name : undefined;
};

/** One server's bind host and port, with what set the host (`default` when nothing did: Elasticsearch's `_local_`). */
export interface ElasticServer {
  host: string;
  port: number;
  from: 'default' | 'config' | 'env' | 'flag';
  text: string;
  path: Path;
}

export interface ElasticBind {
  http: ElasticServer;
  transport: ElasticServer;
  source: string;
  /** `Elasticsearch` or `OpenSearch`. */
  program: string;
}

/** One setting, with what set it. */
interface Setting { value: string; from: ElasticServer['from']; text: string; path: Path }

/**
 * The settings of an official Elasticsearch container that the run decides: its mounted
 * `elasticsearch.yml` (when there is one), then its variables (`node.name`,
 * `ES_SETTING_NODE_NAME`), then `-E name=value`. Undefined where a source the run cannot read
 * may set them (envFrom, a variable from elsewhere), or the file is not one YAML map.
 */
function readSettings(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { settings: Map<string, Setting>; program: string; file?: NonNullable<ReturnType<typeof mountedFile>> } | undefined {
  const flavor = flavorOf(raw.image);
  if (!flavor) return undefined;
  const settings = new Map<string, Setting>();
  const file = mountedFile(graph, t, raw, flavor.config);
  if (file) {
    const values = yamlValues(file.text);
    if (!values || values.length > 1) return undefined;
    const props = new Map<string, string>();
    if (values[0] !== null && values[0] !== undefined) {
      if (!isRecord(values[0])) return undefined;
      flattenProps(values[0], '', props);
    }
    for (const [k, v] of props) settings.set(k, { value: v, from: 'config', text: `${k}: ${v}`, path: ['volumeMounts', file.at] });
  }
  const { env, named, envFrom } = envOf(raw);
  // A variable the run cannot read may set the host.
  if (envFrom || [...named].some((n) => !env.has(n) && settingOfEnv(n, flavor.prefixEnv) !== undefined)) return undefined;
  (Array.isArray(raw.env) ? raw.env : []).forEach((e, i) => {
    if (!isRecord(e) || typeof e.name !== 'string' || typeof e.value !== 'string') return;
    const k = settingOfEnv(e.name, flavor.prefixEnv);
    if (k !== undefined) settings.set(k, { value: e.value, from: 'env', text: `env ${e.name}=${e.value}`, path: ['env', i, 'value'] });
  });
  for (const field of ['command', 'args'] as const) {
    const items = raw[field];
    if (!Array.isArray(items)) continue;
    items.forEach((w, i) => {
      if (typeof w !== 'string') return;
      const m = /^-E\s*([a-z0-9_.]+)=(.*)$/.exec(w) ?? (i > 0 && items[i - 1] === '-E' ? /^([a-z0-9_.]+)=(.*)$/.exec(w) : null);
      if (m) settings.set(m[1]!, { value: m[2]!, from: 'flag', text: `-E ${m[1]}=${m[2]}`, path: [field, i] });
    });
  }
  return { settings, program: flavor.program, ...(file ? { file } : {}) };
}

/** Elasticsearch's bind addresses and ports, when its configuration file is mounted from the run; undefined otherwise. */
export function elasticsearchBind(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): ElasticBind | undefined {
  const read = readSettings(graph, t, raw);
  if (!read?.file) return undefined;
  const file = read.file;
  const props = new Map([...read.settings].map(([k, v]) => [k, v.value]));
  const where = read.settings;
  const first = (keys: string[]) => keys.find((k) => props.has(k));
  const httpKey = first(['http.bind_host', 'http.host', 'network.bind_host', 'network.host']);
  const transportKey = first(['transport.bind_host', 'transport.host', 'network.bind_host', 'network.host']);
  const value = (k: string | undefined) => (k === undefined ? '_local_' : props.get(k)!);
  // A setting from a variable (`${POD_IP}`) is decided where the run cannot see.
  if ([httpKey, transportKey].some((k) => k !== undefined && /\$\{/.test(props.get(k)!))) return undefined;
  const port = (k: string, d: number) => {
    const v = props.get(k);
    return v !== undefined && /^\d{1,5}$/.test(v.trim()) ? Number(v.trim()) : v === undefined ? d : -1;
  };
  const httpPort = port('http.port', 9200);
  const transportPort = port('transport.port', 9300);
  const server = (key: string | undefined, p: number): ElasticServer => {
    const w = key === undefined ? undefined : where.get(key);
    return { host: value(key), port: p, from: w?.from ?? 'default', text: w?.text ?? 'no network.host or http.host', path: w?.path ?? ['volumeMounts', file.at] };
  };
  return { http: server(httpKey, httpPort), transport: server(transportKey, transportPort), source: `ConfigMap ${file.configMap}, key ${file.key}`, program: read.program };
}

/** An Elasticsearch container whose mounted configuration binds the server of `target` (HTTP or transport) to loopback only. */
export function elasticsearchLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const b = elasticsearchBind(graph, t, raw);
  if (!b) return undefined;
  const server = target === undefined || target === b.http.port ? b.http : target === b.transport.port ? b.transport : undefined;
  if (!server || !loopbackValue(server.host)) return undefined;
  const address = server.host === '_local_' ? '127.0.0.1' : server.host.split(',')[0]!.trim();
  if (server.from === 'default') {
    return { address, port: server.port, text: server.text, source: b.source, path: server.path, kind: 'default', program: b.program, caveat: 'network.host `_local_`: the image\'s own file, which sets `0.0.0.0`, is replaced' };
  }
  return { address, port: server.port, text: server.text, ...(server.from === 'config' ? { source: b.source } : {}), path: server.path, kind: server.from, program: b.program };
}

/** The settings readSettings() gives, a file's with where it comes from in their text. */
export function elasticsearchSettings(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): Map<string, { value: string; text: string; path: Path }> | undefined {
  const read = readSettings(graph, t, raw);
  if (!read) return undefined;
  const source = read.file ? ` in ConfigMap ${read.file.configMap}, key ${read.file.key}` : '';
  return new Map([...read.settings].map(([k, v]) => [k, { value: v.value, text: v.from === 'config' ? `${v.text}${source}` : v.text, path: v.path }]));
}
