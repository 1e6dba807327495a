import { parseQuiet } from '../load/quiet-yaml.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { mountedTree } from './mounts.js';
import { isRecord } from '../load/objects.js';

/**
 * Where a Quarkus application's HTTP server listens, from an `application.properties` (or
 * `.yaml`) mounted into `config/` under its working directory, which Quarkus reads above the
 * one in its jar (ordinal 260 against 250): `quarkus.http.port` (8080 by default), the prod
 * profile's `%prod.quarkus.http.port` over it. Undefined wherever something the run cannot weigh
 * may set it: the QUARKUS_HTTP_PORT variable (ordinal 300), a system property on the command
 * line or in JAVA_OPTS (400), an env file, a working directory it does not know.
 */

interface Setting { value: string; text: string; at?: number; source: string }

/** The value of a property in a properties or YAML text, prod profile first; undefined where unset. */
function property(text: string, yaml: boolean, name: string): string | undefined {
  if (yaml) {
    let doc: unknown;
    try {
      doc = parseQuiet(text);
    } catch {
      return undefined;
    }
    const walk = (v: unknown, path: string[]): unknown => (path.length === 0 ? v : isRecord(v) ? walk(v[path[0]!] ?? v[path.join('.')], path.slice(1)) : undefined);
    for (const key of [`%prod.${name}`, name]) {
      const parts = key.startsWith('%prod.') ? ['%prod', ...key.slice(6).split('.')] : key.split('.');
      const v = walk(doc, parts);
      if (typeof v === 'string' || typeof v === 'number') return String(v);
    }
    return undefined;
  }
  let plain: string | undefined;
  let prod: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === name) plain = m[2]!.trim();
    else if (m[1] === `%prod.${name}`) prod = m[2]!.trim();
  }
  return prod ?? plain;
}

/** The ports a Quarkus container's mounted configuration makes its HTTP server listen on. */
export function quarkusListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  if (!mounts.some((m) => isRecord(m) && typeof m.mountPath === 'string' && /\/config(\/application\.(properties|ya?ml))?\/?$/.test(m.mountPath))) return undefined;
  const env = Array.isArray(raw.env) ? raw.env : [];
  if ((Array.isArray(raw.envFrom) && raw.envFrom.length) || env.some((e) => isRecord(e) && typeof e.name === 'string' && (/^QUARKUS_(HTTP_PORT|PROFILE)$/.test(e.name) || /JAVA_OPTS|JAVA_TOOL_OPTIONS/.test(e.name)))) return undefined;
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  if (words.some((w) => typeof w !== 'string' || /quarkus\.(http|profile)|\$/.test(w))) return undefined;
  const dir = typeof raw.workingDir === 'string' && raw.workingDir.startsWith('/') ? raw.workingDir.replace(/\/+$/, '') : undefined;
  if (!dir) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  const candidates = ['application.properties', 'application.yaml', 'application.yml'].map((n) => `${dir}/config/${n}`);
  if (opaque.some((o) => candidates.some((p) => p === o || p.startsWith(o.endsWith('/') ? o : `${o}/`)))) return undefined;
  const found = candidates.map((p) => files.find((f) => f.path === p)).filter((f) => f !== undefined);
  // A Quarkus application's file: it names quarkus settings.
  const mine = found.filter((f) => /(^|\s|%\w+\.)quarkus\./m.test(f!.text) || /^\s*quarkus\s*:/m.test(f!.text));
  if (mine.length === 0) return undefined;
  let port: Setting | undefined;
  for (const f of mine) {
    const v = property(f!.text, !f!.path.endsWith('.properties'), 'quarkus.http.port');
    if (v !== undefined) port = { value: v, text: `quarkus.http.port=${v}`, source: f!.source, ...(f!.at !== undefined ? { at: f!.at } : {}) };
  }
  if (!port) return undefined;
  if (!/^\d{1,5}$/.test(port.value)) return undefined;
  const n = Number(port.value);
  return { ports: [n], evidence: { port: n, text: `${port.text} in ${port.source}`, path: port.at === undefined ? [] : ['volumeMounts', port.at], kind: 'config', program: 'Quarkus' } };
}
