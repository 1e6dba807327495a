import type { Path } from '../types/object.js';
import type { ContainerInfo, PodTemplate, PortResolution, ServiceGraph } from '../types/graph.js';
import { getIn } from './pods.js';
import { isRecord } from '../load/objects.js';
import { configMap, hubRepository } from './mounts.js';
import { haproxyListeners, isLoopbackHost, postgresListeners, programListen, redisListeners, servingContainer, type LoopbackBind } from './bind.js';
import { maySpring, springListeners } from './spring.js';
import { mayMysql, mysqlListeners } from './mysql.js';
import { apacheListeners } from './apache.js';
import { grafanaListeners } from './grafana.js';
import { mosquittoListeners } from './mosquitto.js';
import { natsListeners } from './nats.js';
import { envoyPorts, mayRunEnvoy } from './envoy.js';
import { gunicornListeners } from './gunicorn.js';
import { tomcatPorts } from './tomcat.js';
import { fluentBitPorts } from './fluent-bit.js';
import { quarkusListeners } from './quarkus.js';

/** Where a container's own configuration says its server listens. */
export interface ListenEvidence {
  port: number;
  /** How it says so, for messages: `--port=9090`, `env PORT=3000`. */
  text: string;
  /** Where it is written, inside the container. */
  path: Path;
  /**
   * A flag on the command line configures the server; an environment variable is a convention
   * the program may not follow; `config`: nginx's own configuration, mounted from a ConfigMap;
   * `image`: the port a well-known server image listens on when nothing reconfigures it.
   */
  kind: 'flag' | 'env' | 'config' | 'image' | 'default';
  /** For `config`: the server whose configuration it is (`nginx`, `Spring Boot`); for `env`, the image that reads the variable as its port. */
  program?: string;
  /**
   * The working directory taken when the container sets none and the answer depends on it
   * (Spring Boot reads `./config/`): a likelihood, not proof.
   */
  assumed?: string;
  /** For `image`: what the tag decides (RabbitMQ's management UI only in the `-management` images). */
  note?: string;
}

/** Flags whose value is the port the server listens on (`httpport`: Jenkins's `--httpPort`). */
const PORT_FLAGS = new Set(['port', 'http-port', 'listen-port', 'server-port', 'server.port', 'httpport']);
/** Flags whose value is the address (`host:port`, `:port`) the server listens on. */
const ADDRESS_FLAGS = new Set(['listen', 'listen-address', 'listen-addr', 'http-address', 'http-addr', 'http-listen-address', 'web.listen-address', 'bind', 'secure-listen-address', 'addr']);
/** Environment variables that frameworks and conventions read as the server's own port. */
const PORT_ENV = new Set(['PORT', 'HTTP_PORT', 'SERVER_PORT', 'LISTEN_PORT']);
/**
 * Variables that well-known server images (by repository on Docker Hub) read as the server's
 * port: PostgreSQL's `PGPORT`, MySQL's `MYSQL_TCP_PORT`, RabbitMQ's `RABBITMQ_NODE_PORT`,
 * Grafana's `GF_SERVER_HTTP_PORT`, and Bitnami's `*_PORT_NUMBER`.
 */
const IMAGE_PORT_ENV: Record<string, string[]> = {
  postgres: ['PGPORT'], mysql: ['MYSQL_TCP_PORT'], mariadb: ['MYSQL_TCP_PORT'], rabbitmq: ['RABBITMQ_NODE_PORT'],
  'grafana/grafana': ['GF_SERVER_HTTP_PORT'], 'grafana/grafana-oss': ['GF_SERVER_HTTP_PORT'], 'grafana/grafana-enterprise': ['GF_SERVER_HTTP_PORT'],
  'bitnami/redis': ['REDIS_PORT_NUMBER'], 'bitnami/postgresql': ['POSTGRESQL_PORT_NUMBER'], 'bitnami/mysql': ['MYSQL_PORT_NUMBER'], 'bitnami/mariadb': ['MARIADB_PORT_NUMBER'],
  'bitnami/mongodb': ['MONGODB_PORT_NUMBER'], 'bitnami/nginx': ['NGINX_HTTP_PORT_NUMBER'], 'bitnami/apache': ['APACHE_HTTP_PORT_NUMBER'], 'bitnami/rabbitmq': ['RABBITMQ_NODE_PORT_NUMBER'], 'bitnami/memcached': ['MEMCACHED_PORT_NUMBER'],
};


/** A table's own entry for a key from the input (an image called `toString` is not `Object.prototype.toString`). */
export const own = <T>(table: Record<string, T>, key: string | undefined): T | undefined => (key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined);

const portOf = (v: string): number | undefined => {
  if (!/^\d{1,5}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 65535 ? n : undefined;
};

/** The port of `host:port`, `:port` or `[v6]:port` (a value without one names no port). */
const addressPort = (v: string): number | undefined => {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\[[0-9a-f:.]*\]|[A-Za-z0-9.*+-]*):(\d{1,5})\/?$/i.exec(v);
  return m ? portOf(m[1]!) : undefined;
};

/**
 * The port of an address a server is told to listen on: its host is one a server binds (none,
 * `*`, `+`, `localhost`, an IP address). A name (`-addr=loki:3100`) is where a client connects:
 * loki-canary's `-addr` is Loki's address, its own port is `-port`.
 */
const listenAddressPort = (v: string): number | undefined => {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[0-9a-f:.]*\]|[^:/]*):\d{1,5}\/?$/i.exec(v);
  if (!m) return undefined;
  const host = m[1]!.toLowerCase();
  if (host !== '' && host !== '*' && host !== '+' && host !== 'localhost' && !host.startsWith('[') && !/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return undefined;
  return addressPort(v);
};

/** `$(NAME)` in a command or argument, expanded from the container's literal env values as the kubelet does. */
function expand(s: string, env: Map<string, string>): string {
  return s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => env.get(name) ?? m);
}

/** The words of a command line: each item, and a shell script (`sh -c "..."`) split on blanks. */
function words(items: unknown[]): { word: string; index: number }[] {
  const out: { word: string; index: number }[] = [];
  items.forEach((item, index) => {
    if (typeof item !== 'string') return;
    // A script of one command is read word by word; one with several (`until redis-cli --port 6379 ping; do …`)
    // is not: its flags may be another program's.
    if (/\s/.test(item.trim()) && /[;&|`]|\$\(|\b(until|while|if|for|then|do)\b/.test(item)) return;
    const parts = /\s/.test(item.trim()) ? item.split(/\s+/).map((w) => w.replace(/^["']|["']$/g, '')) : [item];
    for (const word of parts) if (word !== '') out.push({ word, index });
  });
  return out;
}

/**
 * What a container's command, arguments and environment say about the port its server listens
 * on: `--port=9090`, `--port 9090`, `-port=9090`, `--listen-address=:9090`, `--bind 0.0.0.0:8000`,
 * `-Dserver.port=8081`, and the environment variables `PORT`, `HTTP_PORT`, `SERVER_PORT`,
 * `LISTEN_PORT`, `ASPNETCORE_URLS`, `ASPNETCORE_HTTP_PORTS` with literal values.
 */
const evidenceCache = new WeakMap<Record<string, unknown>, ListenEvidence[]>();

export function listenEvidence(c: Record<string, unknown>): ListenEvidence[] {
  let out = evidenceCache.get(c);
  if (!out) evidenceCache.set(c, (out = readEvidence(c)));
  return out;
}

function readEvidence(c: Record<string, unknown>): ListenEvidence[] {
  // Nothing to read in a container without a command line or an environment.
  if (!Array.isArray(c.command) && !Array.isArray(c.args) && !Array.isArray(c.env)) return [];
  const env = new Map<string, string>();
  const envItems = Array.isArray(c.env) ? c.env : [];
  envItems.forEach((e) => {
    if (isRecord(e) && typeof e.name === 'string' && typeof e.value === 'string') env.set(e.name, e.value);
  });
  const out: ListenEvidence[] = [];
  for (const field of ['command', 'args'] as const) {
    const items = c[field];
    if (!Array.isArray(items)) continue;
    const ws = words(items.map((x) => (typeof x === 'string' ? expand(x, env) : x)));
    ws.forEach(({ word, index }, i) => {
      const jvm = /^-Dserver\.port=(\d+)$/.exec(word);
      if (jvm) {
        const port = portOf(jvm[1]!);
        if (port) out.push({ port, text: word, path: [field, index], kind: 'flag' });
        return;
      }
      const m = /^--?([a-z][a-z0-9.-]*|httpPort)(?:=(.*))?$/.exec(word);
      if (!m) return;
      const name = m[1]!.toLowerCase();
      if (!PORT_FLAGS.has(name) && !ADDRESS_FLAGS.has(name)) return;
      const value = m[2] ?? ws[i + 1]?.word;
      if (value === undefined) return;
      const port = PORT_FLAGS.has(name) ? portOf(value) : listenAddressPort(value);
      if (port) out.push({ port, text: m[2] !== undefined ? word : `${word} ${value}`, path: [field, index], kind: 'flag' });
    });
  }
  const imageEnv = own(IMAGE_PORT_ENV, hubRepository(typeof c.image === 'string' ? c.image : undefined)) ?? [];
  // Kestrel binds ASPNETCORE_URLS where it is set, and ignores ASPNETCORE_HTTP_PORTS and _HTTPS_PORTS then.
  const aspnetUrls = envItems.some((e) => isRecord(e) && e.name === 'ASPNETCORE_URLS' && typeof e.value === 'string' && e.value.trim() !== '');
  envItems.forEach((e, index) => {
    if (!isRecord(e) || typeof e.name !== 'string' || typeof e.value !== 'string') return;
    if (aspnetUrls && (e.name === 'ASPNETCORE_HTTP_PORTS' || e.name === 'ASPNETCORE_HTTPS_PORTS')) return;
    const at: Path = ['env', index, 'value'];
    const text = `env ${e.name}=${e.value}`;
    if (PORT_ENV.has(e.name) || imageEnv.includes(e.name)) {
      const port = portOf(e.value.trim());
      // A variable the image itself reads as its port (Grafana's GF_SERVER_HTTP_PORT) is the image's word, not a convention.
      if (port) out.push({ port, text, path: at, kind: 'env', ...(imageEnv.includes(e.name) ? { program: hubRepository(c.image as string)! } : {}) });
    } else if (e.name === 'ASPNETCORE_URLS' || e.name === 'ASPNETCORE_HTTP_PORTS' || e.name === 'ASPNETCORE_HTTPS_PORTS') {
      for (const part of e.value.split(/[;,]/).map((p) => p.trim()).filter(Boolean)) {
        const port = e.name === 'ASPNETCORE_URLS' ? addressPort(part) : portOf(part);
        if (port) out.push({ port, text, path: at, kind: 'env' });
      }
    } else if (e.name === 'JENKINS_OPTS' && jenkinsAgentPort(c) !== undefined) {
      // The Jenkins image passes JENKINS_OPTS to Jenkins's own server as its arguments.
      const m = /(?:^|\s)--httpPort=(\d+)(?:\s|$)/.exec(e.value);
      const port = m ? portOf(m[1]!) : undefined;
      if (port) out.push({ port, text: `env JENKINS_OPTS --httpPort=${m![1]}`, path: at, kind: 'flag' });
    } else if (e.name === 'JAVA_OPTS' || e.name === 'JAVA_TOOL_OPTIONS' || e.name === 'JDK_JAVA_OPTIONS') {
      const m = /(?:^|\s)-Dserver\.port=(\d+)(?:\s|$)/.exec(e.value);
      const port = m ? portOf(m[1]!) : undefined;
      if (port) out.push({ port, text: `env ${e.name} -Dserver.port=${m![1]}`, path: at, kind: 'flag' });
    }
  });
  return out;
}

/** A backend whose own configuration makes its server listen on one port that is not the targetPort. */
export interface NotListening {
  container: ContainerInfo;
  target: number;
  listen: number;
  /** Every port the evidence names (nginx may listen on several). */
  listens: number[];
  evidence: ListenEvidence;
  declaresTarget: boolean;
  declaresListen: boolean;
  /** The evidence names every port the server listens on (an HAProxy configuration without TCP stats sockets or peers). */
  complete?: boolean;
}

/**
 * Whether a resolved Service port reaches a container that its own command line (or, failing
 * that, environment) tells to listen on exactly one other port. The container is the one that
 * declares the target, else the pod's only container; a target another container declares (a
 * proxy beside the server) is left alone, and so is a container told of several listeners.
 */
export function notListening(r: PortResolution, graph?: ServiceGraph): NotListening | undefined {
  const target = r.targetPort;
  if (target === undefined) return undefined;
  const t = r.template;
  const c = servingContainer(r);
  if (!c) return undefined;
  if (t.containers.some((o) => o !== c && o.ports.some((p) => p.containerPort === target))) return undefined;
  // A target that is a container's hostPort is its own mistake (target-port-undeclared says which containerPort it maps to).
  if (t.containers.some((o) => o.ports.some((p) => p.containerPort !== target && getIn(getIn(t.owner.body, p.path), ['hostPort']) === target))) return undefined;
  const raw = getIn(t.owner.body, c.path);
  if (!isRecord(raw)) return undefined;
  // MinIO listens on its API address and, only where `--console-address` says, on a console port
  // of its choosing (a random one otherwise): a port declared for the console is no listener.
  const minio = minioListeners(raw);
  if (minio) {
    if (minio.ports.includes(target)) return undefined;
    // Its arguments name every listener it has (the API and, where set, the console): complete.
    return { container: c, target, listen: minio.ports[0]!, listens: minio.ports, evidence: minio.evidence, declaresTarget: c.ports.some((p) => p.containerPort === target), declaresListen: c.ports.some((p) => minio.ports.includes(p.containerPort ?? -1)), complete: true };
  }
  // A container that declares several ports runs several listeners, some set by flags not read here;
  // but HAProxy listens on exactly the `bind` lines of the files it reads, where they say all of it,
  // and an image whose every default listener is known, left as it is, on those.
  if (c.ports.length > 1 && COMPLETE_PORT_IMAGES.has(hubRepository(typeof raw.image === 'string' ? raw.image : undefined) ?? '') && listenEvidence(raw).length === 0 && !mentions(raw, target)) {
    const img = imageListeners(c, raw);
    if (img) {
      if (img.ports.includes(target)) return undefined;
      return { container: c, target, listen: img.ports[0]!, listens: img.ports, evidence: img.evidence, declaresTarget: c.ports.some((p) => p.containerPort === target), declaresListen: c.ports.some((p) => img.ports.includes(p.containerPort ?? -1)), complete: true };
    }
  }
  if (c.ports.length > 1) {
    // A NATS server opens exactly the ports its configuration file names (monitoring only where it is set).
    // So do Envoy (its static listeners and admin interface, where the bootstrap holds all of them) and Tomcat (server.xml's connectors).
    const nats = graph ? natsListeners(graph, t, raw) ?? envoyPorts(graph, t, raw) ?? tomcatPorts(graph, t, raw) ?? fluentBitPorts(graph, t, raw) : undefined;
    if (nats) {
      if (nats.ports.includes(target)) return undefined;
      return { container: c, target, listen: nats.ports[0]!, listens: nats.ports, evidence: nats.evidence, declaresTarget: c.ports.some((p) => p.containerPort === target), declaresListen: c.ports.some((p) => nats.ports.includes(p.containerPort ?? -1)), complete: true };
    }
    const ha = graph && listenEvidence(raw).length === 0 ? haproxyListeners(graph, t, c, raw) : undefined;
    if (!ha?.complete || ha.ports.includes(target)) return undefined;
    return { container: c, target, listen: ha.ports[0]!, listens: ha.ports, evidence: ha.evidence, declaresTarget: c.ports.some((p) => p.containerPort === target), declaresListen: c.ports.some((p) => ha.ports.includes(p.containerPort ?? -1)), complete: true };
  }
  // The target written anywhere in the command line or environment (`--grpc-port=9999`,
  // `--rest_api_port=8501`) may be another listener's setting.
  if (mentions(raw, target) || jenkinsAgentPort(raw) === target) return undefined;
  const all = listenEvidence(raw);
  const flags = all.filter((e) => e.kind === 'flag');
  const chosen = flags.length ? flags : all;
  const ports = [...new Set(chosen.map((e) => e.port))];
  if (ports.length === 0 && graph) {
    // nginx listens on exactly the `listen` ports of the configuration it is given; a well-known
    // server image left as it is, on its own ports.
    const conf = nginxListeners(graph, t, c, raw) ?? redisListeners(graph, t, raw) ?? postgresListeners(graph, t, c, raw) ?? haproxyListeners(graph, t, c, raw) ?? springListeners(graph, t, raw) ?? quarkusListeners(graph, t, raw) ?? mysqlListeners(graph, t, raw) ?? apacheListeners(graph, t, raw) ?? grafanaListeners(graph, t, raw) ?? mosquittoListeners(graph, t, raw) ?? natsListeners(graph, t, raw) ?? envoyPorts(graph, t, raw) ?? tomcatPorts(graph, t, raw) ?? fluentBitPorts(graph, t, raw) ?? gunicornListeners(graph, t, raw) ?? programListeners(raw) ?? imageListeners(c, raw);
    if (!conf || conf.ports.includes(target)) return undefined;
    return { container: c, target, listen: conf.ports[0]!, listens: conf.ports, evidence: conf.evidence, declaresTarget: c.ports.some((p) => p.containerPort === target), declaresListen: c.ports.some((p) => conf.ports.includes(p.containerPort ?? -1)) };
  }
  if (ports.length !== 1 || ports[0] === target) return undefined;
  const listen = ports[0]!;
  return {
    container: c,
    target,
    listen,
    listens: [listen],
    evidence: chosen.find((x) => x.port === listen)!,
    declaresTarget: c.ports.some((p) => p.containerPort === target),
    declaresListen: c.ports.some((p) => p.containerPort === listen),
  };
}

/** The agent port of a Jenkins image (`JENKINS_SLAVE_AGENT_PORT`, 50000): a second listener beside the web server's. */
function jenkinsAgentPort(c: Record<string, unknown>): number | undefined {
  if (!/(^|\/)jenkins$/.test(hubRepository(typeof c.image === 'string' ? c.image : undefined) ?? '')) return undefined;
  const e = (Array.isArray(c.env) ? c.env : []).find((x) => isRecord(x) && (x.name === 'JENKINS_SLAVE_AGENT_PORT' || x.name === 'JENKINS_AGENT_PORT'));
  const v = isRecord(e) && typeof e.value === 'string' ? portOf(e.value.trim()) : undefined;
  return v ?? 50000;
}

/** Whether a number appears as a whole number in a container's command, args or env values. */
function mentions(c: Record<string, unknown>, n: number): boolean {
  const re = new RegExp(`(^|[^0-9])${n}([^0-9]|$)`);
  const env = Array.isArray(c.env) ? c.env : [];
  // ASPNETCORE_HTTP_PORTS and _HTTPS_PORTS say nothing where ASPNETCORE_URLS is set: Kestrel ignores them.
  const urls = env.some((e) => isRecord(e) && e.name === 'ASPNETCORE_URLS' && typeof e.value === 'string' && e.value.trim() !== '');
  const ignored = (e: Record<string, unknown>) => urls && (e.name === 'ASPNETCORE_HTTP_PORTS' || e.name === 'ASPNETCORE_HTTPS_PORTS');
  const texts: unknown[] = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : []), ...env.map((e) => (isRecord(e) && !ignored(e) ? e.value : undefined))];
  return texts.some((x) => typeof x === 'string' && re.test(x));
}

/**
 * The ports a container surely listens on, where the run can tell: its command line's port or
 * bind flags, a known program's own default, or a well-known image left as it is. Undefined
 * where it cannot tell (an environment variable is a convention, not proof).
 */
export function knownListens(c: ContainerInfo, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const flags = listenEvidence(raw).filter((e) => e.kind === 'flag');
  if (flags.length) return { ports: [...new Set(flags.map((e) => e.port))], evidence: flags[0]! };
  if (Array.isArray(raw.env) && raw.env.some((e) => isRecord(e) && typeof e.name === 'string' && /PORT|LISTEN|BIND|ADDR/i.test(e.name))) return undefined;
  return programListeners(raw) ?? imageListeners(c, raw);
}

/** The one port a container's command line (or, failing that, environment) makes it listen on, with the evidence. */
export function singleListener(c: Record<string, unknown>): ListenEvidence | undefined {
  const all = listenEvidence(c);
  const flags = all.filter((e) => e.kind === 'flag');
  const chosen = flags.length ? flags : all;
  const ports = new Set(chosen.map((e) => e.port));
  return ports.size === 1 ? chosen[0] : undefined;
}

export { mentions as mentionsNumber };

/**
 * The `listen` directives of an nginx configuration: the address (undefined: every interface,
 * `*`, `0.0.0.0`, `[::]`) and the port (80 where one names an address only); undefined when it
 * includes files the run cannot see. Unix sockets are left out.
 */
export function nginxListens(text: string): { host?: string; port: number; bind?: true; family?: 'v4' | 'v6' | 'both' }[] | undefined {
  const body = text.replace(/#[^\n]*/g, '');
  if (/(^|[;{}\s])include\s+[^;]*(conf\.d|sites-enabled|\*)/.test(body)) return undefined;
  const out: { host?: string; port: number; bind?: true; family?: 'v4' | 'v6' | 'both' }[] = [];
  for (const m of body.matchAll(/(?:^|[;{}\s])listen\s+([^;\s]+)([^;]*);/g)) {
    const a = m[1]!;
    // Parameters that make nginx bind the address on its own socket.
    const bind = /(^|\s)(bind|backlog=|rcvbuf=|sndbuf=|accept_filter=|deferred|ipv6only=|reuseport|so_keepalive=|fastopen=|setfib=)/.test(m[2]!);
    if (a.startsWith('unix:')) continue;
    const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(a);
    const hp = v6 ? { host: v6[1]!, port: v6[2] } : /^\d+$/.test(a) ? { host: undefined, port: a } : /^(.*?)(?::(\d+))?$/.exec(a) ? { host: /^(.*?)(?::(\d+))?$/.exec(a)![1], port: /^(.*?)(?::(\d+))?$/.exec(a)![2] } : undefined;
    if (!hp) continue;
    const n = hp.port === undefined ? 80 : Number(hp.port);
    if (n < 1 || n > 65535) continue;
    const host = hp.host === undefined || hp.host === '' || hp.host === '*' || hp.host === '0.0.0.0' || hp.host === '::' ? undefined : hp.host;
    // `listen 80` and `*:80` take IPv4 only; `[::]:80` IPv6 only, unless `ipv6only=off`; a name, either.
    const family = v6 ? (/(^|\s)ipv6only=off\b/.test(m[2]!) ? 'both' : 'v6') : hp.host === undefined || hp.host === '*' || /^\d{1,3}(\.\d{1,3}){3}$/.test(hp.host) ? 'v4' : undefined;
    out.push({ ...(host !== undefined ? { host } : {}), port: n, ...(bind ? { bind: true as const } : {}), ...(family ? { family } : {}) });
  }
  return out;
}

/** The ports of an nginx configuration's `listen` directives (80 where one names an address only); undefined when it includes files the run cannot see. */
export function nginxListenPorts(text: string): number[] | undefined {
  const l = nginxListens(text);
  if (l === undefined) return undefined;
  const out = new Set(l.map((x) => x.port));
  return out.size ? [...out].sort((x, y) => x - y) : undefined;
}

/**
 * Where an nginx container listens when its configuration comes from a ConfigMap that
 * replaces the image's own: `/etc/nginx/conf.d` mounted whole, `conf.d/default.conf`, or
 * `nginx.conf` without includes of files the run cannot see.
 */
function nginxListeners(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence; loopback: { port: number; host: string; key: string; at: number }[]; ipv4Only: { port: number; text: string; key: string; at: number }[] } | undefined {
  if (!/nginx/i.test(c.image ?? '')) return undefined;
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  const files: { text: string; key: string; at: number }[] = [];
  let replaced = false;
  mounts.forEach((m, at) => {
    if (!isRecord(m) || typeof m.mountPath !== 'string' || typeof m.name !== 'string') return;
    const vol = (Array.isArray(volumes) ? volumes : []).find((v) => isRecord(v) && v.name === m.name);
    const cmName = getIn(vol, ['configMap', 'name']);
    if (typeof cmName !== 'string') return;
    const data = getIn(configMap(graph, t.namespace, cmName, t.owner)?.body, ['data']);
    if (!isRecord(data)) return;
    const path = m.mountPath.replace(/\/+$/, '');
    const sub = typeof m.subPath === 'string' ? m.subPath : undefined;
    const take = (key: string) => {
      if (typeof data[key] === 'string') files.push({ text: data[key] as string, key, at });
    };
    if (path === '/etc/nginx/conf.d' && sub === undefined) {
      replaced = true;
      const items = getIn(vol, ['configMap', 'items']);
      if (Array.isArray(items) && items.length) for (const i of items) { if (isRecord(i) && typeof i.key === 'string' && typeof i.path === 'string' && i.path.endsWith('.conf')) take(i.key); }
      else for (const k of Object.keys(data)) if (k.endsWith('.conf')) take(k);
    } else if ((path === '/etc/nginx/conf.d/default.conf' || path === '/etc/nginx/nginx.conf') && sub !== undefined) {
      replaced = true;
      take(sub);
    }
  });
  if (!replaced || files.length === 0) return undefined;
  const ports = new Set<number>();
  const all: { host?: string; port: number; bind?: true; family?: 'v4' | 'v6' | 'both'; key: string; at: number }[] = [];
  for (const f of files) {
    const p = nginxListens(f.text);
    // A file that includes unseen files leaves the answer open.
    if (p === undefined) return undefined;
    for (const l of p) {
      ports.add(l.port);
      all.push({ ...l, key: f.key, at: f.at });
    }
  }
  if (ports.size === 0) return undefined;
  const list = [...ports].sort((x, y) => x - y);
  const first = files[0]!;
  // A port every listen of which names a loopback address.
  const loopback = list.flatMap((port) => {
    const on = all.filter((l) => l.port === port);
    // With a separately bound address beside others, what nginx binds is not modelled: no claim.
    return on.every((l) => l.host !== undefined && isLoopbackHost(l.host)) && !(on.some((l) => l.bind) && on.length > 1) ? [{ port, host: on[0]!.host!, key: on[0]!.key, at: on[0]!.at }] : [];
  });
  // A port every listen of which takes IPv4 only (`listen 80;` with no `listen [::]:80;`).
  const ipv4Only = list.flatMap((port) => {
    const on = all.filter((l) => l.port === port);
    return on.every((l) => l.family === 'v4') ? [{ port, text: `listen ${on[0]!.host ?? ''}${on[0]!.host ? ':' : ''}${port}`, key: on[0]!.key, at: on[0]!.at }] : [];
  });
  return { ports: list, evidence: { port: list[0]!, text: `listen ${list.join(', ')} in ConfigMap key ${first.key}`, path: ['volumeMounts', first.at], kind: 'config', program: 'nginx' }, loopback, ipv4Only };
}

/** Whether a resolution's container says anything about where it listens (cheap: most say nothing). */
export function mayTellListener(r: PortResolution): boolean {
  const t = r.template;
  const c = r.container ?? (t.containers.length === 1 ? t.containers[0] : t.containers.filter((x) => !x.sidecar)[0]);
  if (!c) return false;
  if (/nginx|haproxy|elasticsearch|opensearch|httpd|apache|mosquitto|opentelemetry-collector|clickhouse|kibana|nats|tomcat|fluent-bit/i.test(c.image ?? '')) return true;
  const raw = getIn(t.owner.body, c.path);
  if (isRecord(raw) && [raw.command, raw.args].some((x) => Array.isArray(x) && x.some((w) => typeof w === 'string' && /redis-server|valkey-server|keydb-server|postgres|config_file|listen_addresses|haproxy|gunicorn/.test(w)))) return true;
  return isRecord(raw) && (listenEvidence(raw).length > 0 || maySpring(raw) || mayMysql(raw) || mayRunEnvoy(raw) || imageListeners(c, raw) !== undefined);
}

/**
 * Images whose IMAGE_PORTS entry is every port they listen on as they are: RabbitMQ's AMQP,
 * clustering (25672), epmd (4369), the Prometheus plugin the image enables (15692) and, in the
 * `-management` images only, the management UI (15672).
 */
const COMPLETE_PORT_IMAGES = new Set(['rabbitmq']);

/**
 * The ports well-known server images listen on when nothing changes them (their documented
 * defaults), by repository as pulled from Docker Hub (`library/` and the registry left out).
 */
const IMAGE_PORTS: Record<string, number[]> = {
  nginx: [80], 'nginxinc/nginx-unprivileged': [8080], 'bitnami/nginx': [8080], httpd: [80], 'bitnami/apache': [8080],
  postgres: [5432], 'bitnami/postgresql': [5432], mysql: [3306], mariadb: [3306], 'bitnami/mysql': [3306], 'bitnami/mariadb': [3306],
  redis: [6379], 'bitnami/redis': [6379], mongo: [27017], 'bitnami/mongodb': [27017], memcached: [11211],
  rabbitmq: [5672, 15672, 15692, 25672, 4369], 'grafana/grafana': [3000], 'prom/prometheus': [9090], 'prom/node-exporter': [9100],
  'traefik/whoami': [80], 'hashicorp/http-echo': [5678], registry: [5000], 'kennethreitz/httpbin': [80], 'mccutchen/go-httpbin': [8080],
  elasticsearch: [9200, 9300], kibana: [5601],
  tomcat: [8080], jetty: [8080], ghost: [2368], 'mongo-express': [8081], adminer: [8080], phpmyadmin: [80], 'phpmyadmin/phpmyadmin': [80],
  sonarqube: [9000], 'jenkins/jenkins': [8080, 50000], 'nodered/node-red': [1880], 'metabase/metabase': [3000], 'openzipkin/zipkin': [9411],
  influxdb: [8086], solr: [8983], 'dpage/pgadmin4': [80], 'sonatype/nexus3': [8081], nats: [4222, 6222, 8222],
  wordpress: [80], drupal: [80], joomla: [80],
};

/**
 * The variables that may move a well-known image's server to another port, where the image says
 * which (the rest configure the application): mongo-express reads PORT, Ghost its nconf
 * `server__port`; `ME_CONFIG_MONGODB_URL` or Ghost's public `url` do not change where they listen.
 */
const IMAGE_RECONFIG_ENV: Record<string, RegExp> = {
  'mongo-express': /^(PORT|VCAP_APP_PORT|VCAP_APP_HOST)$/,
  ghost: /^server__/i,
};

/**
 * Where a well-known image reads a configuration of its own that may set its port: a mount there
 * leaves the port unknown (Tomcat's server.xml, Jetty's start.d, Ghost's config.production.json,
 * Node-RED's settings.js in /data, Nexus's nexus.properties, SonarQube's sonar.properties).
 */
const IMAGE_CONFIG_MOUNT: Record<string, RegExp> = {
  tomcat: /^\/usr\/local\/tomcat(\/conf)?(\/|$)/,
  jetty: /^\/var\/lib\/jetty(\/|$)/,
  ghost: /^\/var\/lib\/ghost(\/?$|\/config)/,
  'nodered/node-red': /^\/data(\/|$)/,
  'sonatype/nexus3': /^\/nexus-data(\/|$)/,
  sonarqube: /^\/opt\/sonarqube\/conf(\/|$)/,
  solr: /^\/var\/solr(\/|$)/,
  'dpage/pgadmin4': /^\/pgadmin4(\/|$)/,
};
const own_ = <T>(m: Record<string, T>, k: string | undefined): T | undefined => (k !== undefined && Object.hasOwn(m, k) ? m[k] : undefined);

/** Images whose `-fpm` tags run PHP-FPM on 9000 instead of Apache on 80. */
const FPM_VARIANTS = new Set(['wordpress', 'drupal', 'joomla']);

/** Images of other registries whose port is theirs whatever the tag: .NET 8 and later samples listen on 8080 (ASPNETCORE_HTTP_PORTS). */
const REGISTRY_IMAGE_PORTS: [RegExp, number[]][] = [
  [/^mcr\.microsoft\.com\/dotnet\/samples:aspnetapp(?:-[a-z0-9.-]+)?$/, [8080]],
  // The Gateway API's conformance echo server: HTTP on HTTP_PORT (3000) and h2c on H2C_PORT (3001); HTTPS_PORT (8443) only with TLS files set.
  [/^(?:gcr\.io\/k8s-staging-gateway-api|registry\.k8s\.io\/gateway-api(?:\/conformance)?)\/echo-basic(?:[:@][^/]*)?$/, [3000, 3001]],
];

/** Images of other registries whose every variable but those named may change their server (echo-basic's UDP_ECHO_SERVER makes it a UDP echo server). */
const REGISTRY_RECONFIG_ENV: [RegExp, RegExp][] = [
  [/\/echo-basic(?:[:@][^/]*)?$/, /^(?!(POD_NAME|NAMESPACE|POD_IP|SERVICE_NAME)$)/],
];

/** The ports a well-known server image (from Docker Hub) listens on by default; undefined for other images. */
export function imageDefaultPorts(image: string | undefined): readonly number[] | undefined {
  return portsOfImage(image);
}

/**
 * IMAGE_PORTS by repository, and by tag where the tag decides: RabbitMQ's management UI (15672)
 * is enabled only in the `-management` images (docker-library/rabbitmq's management Dockerfile).
 */
function portsOfImage(image: string | undefined): number[] | undefined {
  const repo = hubRepository(image);
  if (repo === undefined) return image ? REGISTRY_IMAGE_PORTS.find(([re]) => re.test(image))?.[1] : undefined;
  if (FPM_VARIANTS.has(repo) && /:[^/]*fpm/.test(image ?? '')) return [9000];
  if (repo === 'adminer' && /:[^/]*fastcgi/.test(image ?? '')) return [9000];
  const ports = own(IMAGE_PORTS, repo);
  if (ports && repo === 'rabbitmq' && !(image ?? '').includes('@') && !/:[^/]*management/.test(image ?? '')) return ports.filter((p) => p !== 15672);
  return ports;
}

/**
 * A known server program on the command line (bind.ts): the port its bind flag names
 * (gunicorn's `-b 0.0.0.0:5000`), else its own default where nothing names one (uvicorn 8000,
 * `flask run` 5000, Streamlit 8501).
 */
function programListeners(raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const p = programListen(raw);
  if (!p) return undefined;
  // A program's own default holds only where no mounted file may set it (gunicorn reads
  // ./gunicorn.conf.py, Streamlit .streamlit/config.toml, without a flag that names them).
  if (p.fromDefault && Array.isArray(raw.volumeMounts) && raw.volumeMounts.length > 0) return undefined;
  return { ports: [p.port], evidence: { port: p.port, text: p.text, path: p.path, kind: p.fromDefault ? 'default' : 'flag', program: p.program } };
}

/**
 * `minio server …`: the API on `--address` (`:9000`), the console on `--console-address` where
 * given — without it MinIO picks a random console port ("Console endpoint is listening on a
 * dynamic port"). Undefined for other containers, or where a variable may set the addresses.
 */
function minioListeners(raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const image = typeof raw.image === 'string' ? raw.image : '';
  if (!/(^|\/)minio\/minio(:|@|$)/.test(image)) return undefined;
  const items = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])].filter((x): x is string => typeof x === 'string');
  const ws = items.flatMap((x) => x.trim().split(/\s+/));
  const at = ws.indexOf('server');
  if (at < 0 || ws.some((w) => w.includes('$'))) return undefined;
  if ((Array.isArray(raw.env) ? raw.env : []).some((e) => isRecord(e) && typeof e.name === 'string' && /^MINIO_(ADDRESS|CONSOLE_ADDRESS|OPTS)$/.test(e.name))) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  const flag = (name: string): string | undefined => {
    for (let i = at + 1; i < ws.length; i++) {
      const w = ws[i]!;
      if (w === name) return ws[i + 1];
      if (w.startsWith(`${name}=`)) return w.slice(name.length + 1);
    }
    return undefined;
  };
  const api = flag('--address');
  const consoleAddr = flag('--console-address');
  const apiPort = api === undefined ? 9000 : addressPort(api);
  const consolePort = consoleAddr === undefined ? undefined : addressPort(consoleAddr);
  if (apiPort === undefined || (consoleAddr !== undefined && consolePort === undefined)) return undefined;
  const text = consoleAddr === undefined ? `${ws.slice(at > 0 && ws[at - 1] === 'minio' ? at - 1 : at).join(' ')} (no --console-address: the console gets a random port)` : ws.slice(at).join(' ');
  return { ports: consolePort === undefined ? [apiPort] : [apiPort, consolePort], evidence: { port: apiPort, text, path: [Array.isArray(raw.args) ? 'args' : 'command'], kind: 'flag' } };
}

/** Images that serve plain HTTP (no TLS listener) on their default ports as they are. */
const PLAIN_HTTP_IMAGES = new Set(['nginx', 'nginxinc/nginx-unprivileged', 'httpd', 'traefik/whoami', 'hashicorp/http-echo', 'kennethreitz/httpbin', 'mccutchen/go-httpbin', 'grafana/grafana', 'prom/prometheus', 'tomcat', 'jetty', 'ghost', 'wordpress', 'nodered/node-red', 'metabase/metabase']);

/** The image of a container that serves plain HTTP on `port` as it is (nothing reconfigures it); undefined otherwise. */
export function plainHttpImage(raw: Record<string, unknown>, port: number): string | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const repo = hubRepository(image);
  if (!image || !repo || !PLAIN_HTTP_IMAGES.has(repo)) return undefined;
  const c = { image } as ContainerInfo;
  const l = imageListeners(c, raw);
  return l && l.ports.includes(port) ? image : undefined;
}

/** Paths where a mounted file may change a server's port. */
const CONFIG_MOUNT = /^\/(etc|config|usr\/local\/etc|usr\/local\/apache2\/conf|usr\/share\/elasticsearch\/config|opt\/bitnami|bitnami|docker-entrypoint-initdb\.d)(\/|$)/;

function imageListeners(c: ContainerInfo, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  if (!c.image) return undefined;
  // Anything that may reconfigure the server: a command line, a variable about ports or
  // addresses, a configuration file mounted where servers read theirs.
  if (Array.isArray(raw.command) || Array.isArray(raw.args)) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  const reconfigures = own(IMAGE_RECONFIG_ENV, hubRepository(c.image)) ?? REGISTRY_RECONFIG_ENV.find(([re]) => re.test(c.image!))?.[1] ?? /PORT|LISTEN|BIND|ADDR|URL|CONF|OPTS|ARGS|FLAGS|TLS|SSL|HTTPS/i;
  if ((Array.isArray(raw.env) ? raw.env : []).some((e) => isRecord(e) && typeof e.name === 'string' && reconfigures.test(e.name))) return undefined;
  const ownConfig = own_(IMAGE_CONFIG_MOUNT, hubRepository(c.image)) ?? (REGISTRY_IMAGE_PORTS.some(([re]) => re.test(c.image!)) ? /^\/app(\/|$)/ : undefined);
  if ((Array.isArray(raw.volumeMounts) ? raw.volumeMounts : []).some((m) => isRecord(m) && typeof m.mountPath === 'string' && (CONFIG_MOUNT.test(m.mountPath) || (ownConfig !== undefined && ownConfig.test(m.mountPath))))) return undefined;
  // Another registry's image may be another build.
  const ports = portsOfImage(c.image);
  if (!ports) return undefined;
  const note = hubRepository(c.image) === 'rabbitmq' && !ports.includes(15672) ? 'the management UI on 15672 is in the `-management` images only' : undefined;
  return { ports, evidence: { port: ports[0]!, text: c.image, path: ['image'], kind: 'image', ...(note ? { note } : {}) } };
}

/** An nginx container whose configuration from the run listens on the target port on loopback only. */
/** A target port that an nginx configuration from a ConfigMap of the run binds for IPv4 only. */
export function nginxIPv4Only(r: PortResolution, graph: ServiceGraph): LoopbackBind | undefined {
  const target = r.targetPort;
  const c = servingContainer(r);
  if (target === undefined || !c) return undefined;
  const t = r.template;
  const raw = getIn(t.owner.body, c.path);
  if (!isRecord(raw)) return undefined;
  const l = nginxListeners(graph, t, c, raw)?.ipv4Only.find((x) => x.port === target);
  if (!l) return undefined;
  return { container: c, address: '0.0.0.0', port: target, text: l.text, source: `ConfigMap key ${l.key}`, path: ['volumeMounts', l.at], kind: 'config', program: 'nginx' };
}

export function nginxLoopback(r: PortResolution, graph: ServiceGraph): LoopbackBind | undefined {
  const target = r.targetPort;
  if (target === undefined) return undefined;
  const t = r.template;
  const c = servingContainer(r);
  if (!c) return undefined;
  const raw = getIn(t.owner.body, c.path);
  if (!isRecord(raw)) return undefined;
  const l = nginxListeners(graph, t, c, raw)?.loopback.find((x) => x.port === target);
  if (!l) return undefined;
  return { container: c, address: l.host, port: l.port, text: `listen ${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`, source: `ConfigMap key ${l.key}`, path: ['volumeMounts', l.at], kind: 'config', program: 'nginx' };
}
