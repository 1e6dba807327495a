import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { hubRepository } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';
import { mountedTree } from './mounts.js';

/**
 * Where Apache httpd listens: the `Listen [address:]port [protocol]` directives of its
 * configuration, mounted from the run where the images read it (the `httpd` image's
 * `/usr/local/apache2/conf/httpd.conf`; `/etc/apache2/ports.conf` of Debian's layout, which
 * the `php:*-apache` images use). Held to Debian's Apache by
 * test/server-config-differential.test.ts.
 */

export interface ApacheListen {
  /** Undefined: every address. */
  host?: string;
  port: number;
  /** Inside `<IfModule>`, `<IfDefine>` or another section: it may not apply. */
  conditional: boolean;
}

/**
 * @internal The `Listen` directives of a configuration text; undefined when the answer is not in
 * the text: an `Include` of other files, a variable, a directive svclint cannot read, or the
 * same address and port twice (Apache refuses to start).
 */
export function apacheListens(text: string): ApacheListen[] | undefined {
  const out: ApacheListen[] = [];
  let depth = 0;
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^<\//.test(line)) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (/^</.test(line)) {
      depth++;
      continue;
    }
    const word = line.split(/\s+/)[0]!.toLowerCase();
    if (word === 'include' || word === 'includeoptional') return undefined;
    if (word !== 'listen') continue;
    const args = line.split(/\s+/).slice(1);
    if (args.length < 1 || args.length > 2 || /\$\{/.test(line)) return undefined;
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$|^(\d{1,5})$/.exec(args[0]!);
    if (!m) return undefined;
    const port = Number(m[3] ?? m[4]);
    if (port < 1 || port > 65535) return undefined;
    const host = m[1] ?? m[2];
    const any = host === undefined || host === '0.0.0.0' || host === '::';
    out.push({ ...(any && host === undefined ? {} : { host: host! }), port, conditional: depth > 0 });
  }
  const keys = out.map((l) => `${l.host ?? '*'}|${l.port}`);
  if (new Set(keys).size !== keys.length) return undefined;
  // A wildcard (every address, `0.0.0.0`, `[::]`) beside another address of its port: Apache cannot bind both and does not start.
  const wildcard = (l: ApacheListen) => l.host === undefined || l.host === '0.0.0.0' || l.host === '::';
  if (out.some((l) => wildcard(l) && out.some((o) => o !== l && o.port === l.port))) return undefined;
  return out;
}

const HTTPD_CONF = '/usr/local/apache2/conf/httpd.conf';
const PORTS_CONF = '/etc/apache2/ports.conf';

/** The configuration file of an Apache container that the run provides, and its Listen directives. */
function apacheConfig(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { listens: ApacheListen[]; source: string; path: Path } | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const repo = hubRepository(image) ?? '';
  const httpd = repo === 'httpd';
  const debian = repo === 'php' && /-apache/.test(image ?? '');
  if (!httpd && !debian) return undefined;
  // A command replaces the image's entrypoint, which may start another server or pass -f/-C.
  if (Array.isArray(raw.command) || Array.isArray(raw.args)) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  const want = httpd ? HTTPD_CONF : PORTS_CONF;
  const file = files.find((f) => f.path === want);
  if (!file || opaque.some((o) => want === o || want.startsWith(o.endsWith('/') ? o : `${o}/`))) return undefined;
  const listens = apacheListens(file.text);
  if (!listens || listens.length === 0) return undefined;
  return { listens, source: file.source, path: file.at === undefined ? [] : ['volumeMounts', file.at] };
}

/** The ports an Apache container listens on by its mounted configuration, when none of them is conditional. */
export function apacheListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const c = apacheConfig(graph, t, raw);
  if (!c) return undefined;
  const ports = [...new Set(c.listens.map((l) => l.port))].sort((a, b) => a - b);
  return { ports, evidence: { port: ports[0]!, text: `Listen ${ports.join(', ')} in ${c.source}`, path: c.path, kind: 'config', program: 'Apache' } };
}

/** An Apache container whose mounted configuration listens on `target` on loopback addresses only. */
export function apacheLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = apacheConfig(graph, t, raw);
  if (!c) return undefined;
  const ports = target === undefined ? [...new Set(c.listens.map((l) => l.port))] : [target];
  for (const port of ports) {
    const on = c.listens.filter((l) => l.port === port);
    if (on.length === 0 || on.some((l) => l.conditional || l.host === undefined || !isLoopbackHost(l.host))) continue;
    const host = on[0]!.host!;
    return { address: host, port, text: `Listen ${host.includes(':') ? `[${host}]` : host}:${port}`, source: c.source, path: c.path, kind: 'config', program: 'Apache' };
  }
  return undefined;
}
