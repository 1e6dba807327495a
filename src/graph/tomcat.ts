import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { isRecord } from '../load/objects.js';
import { hubRepository, perContainer, visibleFile } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where Apache Tomcat listens, from the `conf/server.xml` the official image reads
 * (`/usr/local/tomcat/conf/server.xml`, `catalina.sh run`), mounted from the run: each
 * `<Connector>`'s `port` on its `address` (every interface where it names none; loopback for an
 * AJP connector), and the
 * `<Server>`'s shutdown port on localhost (none where it is -1). Tomcat opens exactly those
 * sockets. Undefined wherever the run cannot see all of them: a value with `${…}` (a system
 * property), a connector without a numeric port, an included entity, or Java options in the
 * environment (a JMX port or an exporter agent opens another).
 */

interface Listener {
  port: number;
  host?: string;
  text: string;
}

/** The attributes of one tag's text (`port="8080" address='127.0.0.1'`). */
function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) out.set(m[1]!, m[3] ?? m[4] ?? '');
  return out;
}

/** @internal Every TCP socket a server.xml text opens, where it says all of them; undefined otherwise. */
export function tomcatListeners(text: string): Listener[] | undefined {
  if (text.length > 1_000_000 || /<!ENTITY|<!DOCTYPE[^>]*\[|xi:include/i.test(text)) return undefined;
  const xml = text.replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  if (xml.includes('<!--')) return undefined;
  const server = /<Server\b([^>]*)>/.exec(xml);
  if (!server) return undefined;
  const out: Listener[] = [];
  const serverAttrs = attributes(server[1]!);
  const shutdown = serverAttrs.get('port') ?? '8005';
  if (shutdown.includes('${') || !/^-?\d{1,5}$/.test(shutdown)) return undefined;
  for (const m of xml.matchAll(/<Connector\b([^>]*)>/g)) {
    const attrs = attributes(m[1]!);
    const port = attrs.get('port');
    if (port === undefined || !/^\d{1,5}$/.test(port) || Number(port) === 0) return undefined;
    // An AJP connector listens on the loopback address unless it names one (Tomcat 8.5.51,
    // 9.0.31 and later: AbstractAjpProtocol's constructor, the Ghostcat fix).
    const host = attrs.get('address') ?? (/^(AJP\/|org\.apache\.coyote\.ajp\.)/i.test(attrs.get('protocol') ?? '') ? 'localhost' : undefined);
    if (host !== undefined && (host.includes('${') || host === '')) return undefined;
    const written = attrs.get('address');
    out.push({ port: Number(port), ...(host !== undefined ? { host } : {}), text: `Connector port="${port}"${written !== undefined ? ` address="${written}"` : host !== undefined ? ` protocol="${attrs.get('protocol')}"` : ''}` });
  }
  if (out.length === 0) return undefined;
  // The shutdown port listens on `address`, localhost by default; -1 turns it off.
  if (Number(shutdown) > 0) {
    const host = serverAttrs.get('address') ?? 'localhost';
    if (host.includes('${')) return undefined;
    out.push({ port: Number(shutdown), host, text: `Server port="${shutdown}"` });
  }
  return out;
}

interface TomcatConfig {
  listeners: Listener[];
  source: string;
  path: Path;
}

const SERVER_XML = '/usr/local/tomcat/conf/server.xml';
/** Variables through which Java options reach Tomcat's JVM (a JMX port, an exporter agent, `-Dport.http=`). */
const JAVA_OPTIONS = /^(CATALINA_OPTS|JAVA_OPTS|JDK_JAVA_OPTIONS|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS)$/;

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): TomcatConfig | undefined {
  if (hubRepository(typeof raw.image === 'string' ? raw.image : undefined) !== 'tomcat') return undefined;
  // The image's `catalina.sh run`, or a command that runs catalina.sh itself.
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  if (words.length && !(words.every((w) => typeof w === 'string') && /(^|\/)catalina\.sh$/.test(words[0] as string) && words[1] === 'run' && words.length === 2)) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length > 0) return undefined;
  if ((Array.isArray(raw.env) ? raw.env : []).some((e) => isRecord(e) && typeof e.name === 'string' && (JAVA_OPTIONS.test(e.name) || e.name === 'CATALINA_BASE'))) return undefined;
  const f = visibleFile(graph, t, raw, SERVER_XML);
  if (!f) return undefined;
  const listeners = tomcatListeners(f.text);
  if (!listeners) return undefined;
  return { listeners, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] };
}

/** The ports a Tomcat container listens on, where its mounted server.xml says all of them. */
export function tomcatPorts(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const ports = [...new Set(c.listeners.map((l) => l.port))];
  const first = c.listeners[0]!;
  return { ports, evidence: { port: first.port, text: `${first.text} in ${c.source}`, path: c.path, kind: 'config', program: 'Tomcat' } };
}

/** A Tomcat container whose server.xml listens on the target port on loopback addresses only. */
export function tomcatLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const on = c.listeners.filter((l) => target === undefined || l.port === target);
  if (on.length === 0 || !on.every((l) => l.host !== undefined && isLoopbackHost(l.host))) return undefined;
  return { address: on[0]!.host!, port: on[0]!.port, text: on[0]!.text, source: c.source, path: c.path, kind: 'config', program: 'Tomcat' };
}
