import { parseQuiet } from '../load/quiet-yaml.js';
import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { hubRepository, lastFlagValue, type MountedFile, mountedTree, perContainer } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where Vector's API listens (its GraphQL API and `/health`, on only where `api.enabled` is
 * true), from the configuration it reads, mounted from the run: `api.address`, and
 * `127.0.0.1:8686` where the configuration names none (Vector's documented default). The files
 * are those of `--config-dir` (every `.yaml`, `.yml`, `.toml` and `.json` in it), `--config`/`-c`,
 * else the image's `/etc/vector/vector.yaml`. Undefined wherever the run cannot see all of them:
 * a folder the run cannot see into, `VECTOR_*` variables or `envFrom` (they name other files or
 * settings), or a value with a variable.
 */

/** The `[api]` table of a TOML text: its `enabled` and `address`, where written plainly. */
function tomlApi(text: string): { enabled?: boolean; address?: string } | undefined {
  const out: { enabled?: boolean; address?: string } = {};
  let table = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const t = /^\[([^\]]+)\]$/.exec(line);
    if (t) {
      table = t[1]!.trim();
      continue;
    }
    const kv = /^([A-Za-z_.]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const key = table === '' ? kv[1]! : `${table}.${kv[1]}`;
    const value = kv[2]!.trim();
    if (key === 'api.enabled') {
      if (value !== 'true' && value !== 'false') return undefined;
      out.enabled = value === 'true';
    } else if (key === 'api.address') {
      const m = /^"([^"]*)"$|^'([^']*)'$/.exec(value);
      if (!m) return undefined;
      out.address = m[1] ?? m[2];
    } else if (key.startsWith('api.') || key === 'api') return undefined;
  }
  return out;
}

/** @internal The API settings of one configuration text, by its format; undefined where it cannot tell. */
export function vectorApi(text: string, format: 'yaml' | 'toml' | 'json'): { enabled?: boolean; address?: string } | undefined {
  if (text.includes('${')) return undefined;
  if (format === 'toml') return tomlApi(text);
  let doc: unknown;
  try {
    doc = parseQuiet(text);
  } catch {
    return undefined;
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) return undefined;
  const api = doc.api;
  if (api === undefined) return {};
  if (!isRecord(api)) return undefined;
  if (api.enabled !== undefined && typeof api.enabled !== 'boolean') return undefined;
  if (api.address !== undefined && typeof api.address !== 'string') return undefined;
  return { ...(api.enabled !== undefined ? { enabled: api.enabled } : {}), ...(api.address !== undefined ? { address: api.address as string } : {}) };
}

const FORMAT = /\.(ya?ml|toml|json)$/i;

interface VectorApi {
  host: string;
  port: number;
  written: boolean;
  text: string;
  source: string;
  path: Path;
}

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): VectorApi | undefined {
  const repo = hubRepository(typeof raw.image === 'string' ? raw.image : undefined);
  if (repo !== 'timberio/vector') return undefined;
  if (Array.isArray(raw.command) && raw.command.length) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  if ((Array.isArray(raw.env) ? raw.env : []).some((e) => isRecord(e) && typeof e.name === 'string' && e.name.startsWith('VECTOR_') && e.name !== 'VECTOR_LOG' && e.name !== 'VECTOR_LOG_FORMAT')) return undefined;
  const args = Array.isArray(raw.args) ? raw.args : [];
  if (!args.every((a): a is string => typeof a === 'string') || args.some((a) => a.includes('$'))) return undefined;
  const dir = lastFlagValue(args, ['--config-dir', '-C']);
  const file = lastFlagValue(args, ['--config', '-c', '--config-yaml', '--config-toml', '--config-json']);
  // Several sources of configuration, or a subcommand other than running Vector: not read.
  if ((dir !== undefined && file !== undefined) || args.some((a) => /^(validate|generate|list|top|tap|graph|test|vrl|convert-config)$/.test(a))) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  let read: MountedFile[];
  if (dir !== undefined) {
    const base = dir.replace(/\/+$/, '');
    if (!base.startsWith('/') || opaque.some((o) => o === `${base}/` || o.startsWith(`${base}/`) || `${base}/`.startsWith(o.endsWith('/') ? o : `${o}/`))) return undefined;
    read = files.filter((f) => f.path.startsWith(`${base}/`) && !f.path.slice(base.length + 1).includes('/') && FORMAT.test(f.path));
  } else {
    const path = file ?? '/etc/vector/vector.yaml';
    if (!path.startsWith('/')) return undefined;
    read = files.filter((f) => f.path === path);
  }
  if (read.length === 0) return undefined;
  let enabled = false;
  let address: { value: string; f: MountedFile } | undefined;
  let enabledIn: MountedFile | undefined;
  for (const f of read) {
    const format = /\.toml$/i.test(f.path) ? 'toml' : /\.json$/i.test(f.path) ? 'json' : 'yaml';
    const api = vectorApi(f.text, format);
    if (!api) return undefined;
    if (api.enabled === true) {
      enabled = true;
      enabledIn = f;
    }
    if (api.address !== undefined) address = { value: api.address, f };
  }
  if (!enabled) return undefined;
  const where = address?.f ?? enabledIn!;
  const at = { source: where.source, path: where.at === undefined ? [] : ['volumeMounts', where.at] };
  if (!address) return { host: '127.0.0.1', port: 8686, written: false, text: 'api.enabled: true with no api.address', ...at };
  const m = /^(\[[^\]]*\]|[^:]*):(\d{1,5})$/.exec(address.value.trim());
  if (!m) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(m[2]), written: true, text: `api.address: ${address.value}`, ...at };
}

/** A Vector whose API (and `/health`) listens on the target port on loopback only: `api.address` written so, or left at 127.0.0.1:8686. */
export function vectorLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c || (target !== undefined && c.port !== target) || !isLoopbackHost(c.host)) return undefined;
  if (c.written) return { address: c.host, port: c.port, text: c.text, source: c.source, path: c.path, kind: 'config', program: 'Vector' };
  return { address: c.host, port: c.port, text: c.text, source: c.source, path: c.path, kind: 'default', program: 'Vector', caveat: 'its API listens on 127.0.0.1:8686 unless `api.address` says otherwise; set `api.address: 0.0.0.0:8686`' };
}
