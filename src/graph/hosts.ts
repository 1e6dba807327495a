/** Finds hostnames (and ports) in configuration strings: URLs, host:port, whole-value names. */

export interface HostRef {
  /** The text as written (`http://api:8080`). */
  text: string;
  host: string;
  port?: number;
  /** The port a URL's scheme implies when it names none (`http` → 80, `https` → 443). */
  defaultPort?: number;
  /** An SRV name: `_<port-name>._<proto>.<host>`. */
  srv?: { port: string; protocol: string };
  /** Written with a trailing dot (`api.shop.svc.cluster.local.:80`): an absolute name, no search path. */
  absolute?: boolean;
  /** In a position that holds only a host (a URL's authority, a whole value under a host key, an upstream): a bare name there is a host. */
  position?: boolean;
  /** A `namespace/name` reference (controller flags, `…service`/`…backend` values): `host` is `<name>.<namespace>`. */
  namespaced?: { namespace: string; name: string };
  /**
   * Resolved through the API's EndpointSlices by the client itself, not through DNS (gRPC's
   * `kubernetes:///` resolver, sercand/kuberesolver): `port` is then the pods' port, as the
   * client dials each endpoint's address with it, and `portName` names a Service port.
   */
  endpoints?: { portName?: string };
  /**
   * Written in a document of a Spring configuration file that applies only under this profile
   * expression (`spring.config.activate.on-profile`, the older `spring.profiles`), which the file
   * does not activate itself: the host is dialled only by pods whose active profiles match it.
   */
  profiles?: string[];
  /**
   * How the program that reads the text looks the name up, where it does not as libc does:
   * `never` (it takes IP addresses only there: an Envoy STATIC cluster, Redis Sentinel without
   * `resolve-hostnames`, nginx's variable `proxy_pass` with no `resolver`), `no-search` (its own
   * resolver, without the pod's search path: nginx's `resolver`). `why` says so, for messages.
   */
  lookup?: { how: 'never' | 'no-search'; why: string; unlessPodServes?: number };
  /**
   * A placeholder's default (Spring's `${REDIS_HOST:redis}`): the host counts only for readers
   * that leave these environment variables unset.
   */
  unlessEnv?: string[];
  /**
   * In a file named for a deployment environment (`config/production.json`): node-config (and
   * the like) loads it only where `NODE_CONFIG_ENV` (else `NODE_ENV`) names that environment.
   */
  nodeEnv?: string;
  /**
   * In a Rails file keyed by environment (`config/database.yml`): the section it is written in,
   * which only pods whose `RAILS_ENV` (or `RACK_ENV`) names it read.
   */
  railsEnv?: string;
  /** In a Spring Boot file (`application.yml`): the property that holds the host, which an environment variable can override. */
  property?: string;
  /** There: the property its port comes from (`spring.data.redis.port` beside `spring.data.redis.host`). */
  portProperty?: string;
}

/**
 * The port a URL's scheme implies when it names none, as the clients of each protocol default:
 * the web's, AMQP (RabbitMQ's URI spec), Redis, PostgreSQL (libpq, JDBC), MySQL, MongoDB, NATS,
 * LDAP (RFC 4516: 389, and 636 for `ldaps`).
 */
const SCHEME_PORTS: Record<string, number> = {
  http: 80, https: 443, ws: 80, wss: 443,
  amqp: 5672, amqps: 5671, redis: 6379, rediss: 6379, postgres: 5432, postgresql: 5432, mysql: 3306, mongodb: 27017, nats: 4222,
  ldap: 389, ldaps: 636, mariadb: 3306, h2c: 80,
};

/**
 * The port a URL's scheme dials when it names none: SQLAlchemy's `dialect+driver`
 * (`postgresql+psycopg2`) and Celery's `db+dialect` take the dialect's; `mongodb+srv` names none
 * (an SRV record gives it).
 */
function schemePort(scheme: string): number | undefined {
  const s = scheme.toLowerCase();
  if (SCHEME_PORTS[s] !== undefined || s === 'mongodb+srv' || !s.includes('+')) return SCHEME_PORTS[s];
  const parts = s.split('+');
  return SCHEME_PORTS[(parts[0] === 'db' ? parts[1] : parts[0]) ?? ''];
}

/** Hosts may be written fully qualified, with a trailing dot (`api.shop.svc.cluster.local.:80`). */
const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const HOST = `${LABEL}(?:\\.${LABEL})*`;
// What comes before an `@` later in the authority is user information, never the host
// (`postgres://app@$(DB_HOST):5432`, where the host is a variable).
const URL_RE = new RegExp(`\\b([a-z][a-z0-9+.-]*)://(?:[^\\s/@'"]*@)?(${HOST})(\\.?)(?::(\\d{1,5}))?(?![^\\s/?#'"@]*@)`, 'gi');
// Not after user information (`user@host:5432`), but after a Kafka voter's id (`0@kafka-0.kafka-hs:9093`).
const HOST_PORT_RE = new RegExp(`(?<![\\w.:/$-])(?<!(?<![\\d\\s,=])@)(?<![^\\d\\s,=]\\d+@)(${HOST})(\\.?):(\\d{1,5})\\b(?![.:\\w])`, 'gi');
/**
 * gRPC targets of sercand/kuberesolver (`kubernetes:///svc:8080`, `kubernetes:///svc.ns:grpc`,
 * `kubernetes://ns/svc:grpc`, `kubernetes://svc.ns:8080/`): 1-3 the `///` form (Service,
 * namespace, port or port name), 4-6 `//namespace/service[:port]`, 7-9 `//service[.namespace][:port]`
 * (Go's URL parser takes only a number there). Labels after the namespace (`.svc.cluster.local`) are not read.
 */
const KUBE_RESOLVER_RE = new RegExp(`(?<![\\w.+-])kubernetes://(?:/(${LABEL})(?:\\.(${LABEL})(?:\\.${HOST})?)?(?::(\\d{1,5}|[a-z][-a-z0-9]*))?|(${LABEL})/(${LABEL})(?::(\\d{1,5}|[a-z][-a-z0-9]*))?|(${LABEL})(?:\\.(${LABEL})(?:\\.${HOST})?)?(?::(\\d{1,5}))?/?)(?![\\w.:/-])`, 'gi');
const GRPC_DNS_RE = new RegExp(`(?<![\\w.+-])dns:(?://[^/\\s]*)?/(${HOST})(\\.?)(?::(\\d{1,5}))?(?![\\w.:-])`, 'gi');
/** gRPC's opaque form of a DNS target, `dns:payments:50051` (the URL's opaque part is the endpoint). */
const GRPC_DNS_OPAQUE_RE = new RegExp(`(?<=^|[\\s"'=,])dns:(?!/)(${HOST})(\\.?)(?::(\\d{1,5}))?(?=$|[\\s"',;])`, 'gi');
const LIST_ITEM_RE = new RegExp(`^,(${HOST})(\\.?)(?::(\\d{1,5}))?(?=$|[,/?;\\s'"])`, 'i');
const SVC_RE = new RegExp(`(?<![\\w.:/@$-])(${HOST}\\.svc(?:\\.${HOST})?)\\b(?![.\\w-])`, 'gi');
const SRV_RE = new RegExp(`(?<![\\w.:/@$-])_([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\\._(tcp|udp|sctp)\\.(${HOST})\\b(?![.\\w-])`, 'gi');
const NS_NAME = '([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)/([a-z](?:[-a-z0-9]*[a-z0-9])?)(?::(\\d{1,5}))?';
/** `--default-backend-service=ingress/default-backend`, `--publish-service=ns/svc`. */
const FLAG_RE = new RegExp(`--[a-z0-9-]*(?:service|backend)=${NS_NAME}(?![\\w/.-])`, 'gi');
const NS_WHOLE_RE = new RegExp(`^${NS_NAME}$`, 'i');
/** Keys whose whole value may be `namespace/name` of a Service. */
const NS_KEY = /(service|backend)$/i;
const WHOLE_RE = new RegExp(`^(${HOST})(\\.?)(?::(\\d{1,5}))?$`, 'i');

/** Keys whose whole value is a host: `REDIS_HOST`, `db.address`, `API_ENDPOINT`. */
const SEPARATED_HOST_KEY = /(^|[_.-])(host|hostname|addr|address|server|servers|service|endpoint|endpoints|url|uri)$/i;
/** The same words ending a camelCase key (`redisHost`, `serverAddress`, `bootstrapServers`, `metricsURL`). */
const CAMEL_HOST_KEY = /[a-z0-9](?:Host|Hostname|HostName|Addr|Address|Server|Servers|Service|Endpoint|Endpoints|Url|URL|Uri|URI)$/;
/** libpq's environment (`PGHOST`), read by psql, pg_dump and every libpq client. */
const LIBPQ_HOST_KEY = /^PGHOST$/;
export const HOST_KEY = { test: (key: string): boolean => SEPARATED_HOST_KEY.test(key) || CAMEL_HOST_KEY.test(key) || LIBPQ_HOST_KEY.test(key) };

function hasLetter(host: string): boolean {
  return /[a-z]/i.test(host) && !/^\d+(\.\d+){3}$/.test(host);
}

/** Programs of a command line whose first plain argument is a host to dial (`nc -z db 5432`, `nslookup db`). */
const DIAL_TOOLS = new Set(['nc', 'ncat', 'netcat', 'nslookup', 'telnet']);
/** Their options that take a value (the next word is not the host). */
const DIAL_TOOL_ARGS = new Set(['-w', '-W', '-i', '-q', '-s', '-p', '-c', '-t', '-x', '-X', '-I', '-O', '-T']);
/** Clients whose `-h`/`--host` names the server (and `-p`/`-P`/`--port` its port). */
const CLIENT_TOOLS: Record<string, string> = { pg_isready: '-p', psql: '-p', redis_cli: '-p', mysqladmin: '-P', mysql: '-P', mongosh: '--port', mongo: '--port', 'redis-cli': '-p', cqlsh: '' };
const DEV_TCP_RE = new RegExp(`/dev/(tcp)/(${HOST})/(\\d{1,5})\\b`, 'gi');
const TOOL_TEXT = /(?:^|[\s;&|(`'"/])(?:nc|ncat|netcat|nslookup|telnet|pg_isready|psql|redis-cli|mysqladmin|mysql|mongosh|mongo|cqlsh)\s/;

/**
 * Hosts that a shell command line dials: `until nc -z db 5432`, `nslookup db`, `pg_isready -h db -p 5432`,
 * `redis-cli -h cache ping`. They sit in a host position, as a URL's authority does.
 */
function commandHosts(value: string): HostRef[] {
  const out: HostRef[] = [];
  const words = value.split(/[\s;&|()`]+/).map((w) => w.replace(/^['"]+|['"]+$/g, ''));
  const hostWord = (w: string | undefined): { host: string; port?: number } | undefined => {
    if (w === undefined || w === '' || w.startsWith('-') || w.startsWith('$') || w.startsWith('@') || w.startsWith('+')) return undefined;
    const m = WHOLE_RE.exec(w);
    return m && hasLetter(m[1]!) ? { host: m[1]!, ...(m[3] ? { port: Number(m[3]) } : {}) } : undefined;
  };
  for (let i = 0; i < words.length; i++) {
    const tool = words[i]!.split('/').pop()!;
    if (DIAL_TOOLS.has(tool)) {
      let j = i + 1;
      while (j < words.length && words[j]!.startsWith('-')) j += DIAL_TOOL_ARGS.has(words[j]!) ? 2 : 1;
      while (j < words.length && (words[j]!.startsWith('@') || words[j]!.startsWith('+'))) j++;
      const h = hostWord(words[j]);
      if (!h) continue;
      const port = h.port ?? (/^\d{1,5}$/.test(words[j + 1] ?? '') && (tool === 'nc' || tool === 'ncat' || tool === 'netcat' || tool === 'telnet') ? Number(words[j + 1]) : undefined);
      out.push({ text: words[j]!, host: h.host, ...(port !== undefined ? { port } : {}), position: true });
    } else if (tool in CLIENT_TOOLS) {
      let host: { host: string; port?: number; text: string } | undefined;
      let port: number | undefined;
      for (let j = i + 1; j < words.length && !(words[j]! in CLIENT_TOOLS) && !DIAL_TOOLS.has(words[j]!); j++) {
        const w = words[j]!;
        const eq = /^(--host|-h|--port|-p|-P)=(.*)$/.exec(w);
        const flag = eq ? eq[1]! : w;
        const arg = eq ? eq[2] : words[j + 1];
        if (flag === '-h' || flag === '--host') {
          const h = hostWord(arg);
          if (h) host = { ...h, text: arg! };
        } else if ((flag === CLIENT_TOOLS[tool] || flag === '--port') && /^\d{1,5}$/.test(arg ?? '')) port = Number(arg);
      }
      if (host) out.push({ text: host.text, host: host.host, ...((host.port ?? port) !== undefined ? { port: host.port ?? port } : {}), position: true });
    }
  }
  return out;
}

export function findHosts(value: string, key?: string): HostRef[] {
  if (value.length > 200_000) return [];
  const found = patternHosts(value, key);
  // bash's `/dev/tcp/<host>/<port>` (`echo > /dev/tcp/db/5432`): getaddrinfo in the pod, then that port.
  if (value.includes('/dev/tcp/')) {
    for (const m of value.matchAll(DEV_TCP_RE)) {
      if (!hasLetter(m[2]!) || found.some((f) => f.host === m[2])) continue;
      found.push({ text: m[0], host: LOOPBACK.test(m[2]!) ? 'localhost' : m[2]!, port: Number(m[3]), position: true });
    }
  }
  // A command line that dials hosts by name (`until nc -z db 5432; do …`): its hosts are in host positions.
  if (value.includes(' ') && TOOL_TEXT.test(value)) {
    const cmd = commandHosts(value);
    if (cmd.length) return [...cmd, ...found.filter((h) => !cmd.some((c) => c.host === h.host))];
  }
  return found;
}

function patternHosts(value: string, key?: string): HostRef[] {
  // Most values (`true`, `info`, `8080`) hold none of what every pattern below needs (`:` of a
  // URL or a port, `.svc`, `--` of a flag, `._` of an SRV name) and sit under no key that
  // makes a whole value a host: nothing to find.
  if (!mayHoldHost(value) && (key === undefined || !(NS_KEY.test(key) || HOST_KEY.test(key) || HOST_LIST_KEY.test(key)))) return [];
  const out: HostRef[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && e > a);
  const add = (m: RegExpExecArray, written: string, port?: string, extra: Partial<HostRef> = {}) => {
    // A loopback address is the pod itself, as `localhost` is (RFC 1122: all of 127/8; `[::1]`).
    const host = LOOPBACK.test(written) ? 'localhost' : written;
    if (!hasLetter(host) || !free(m.index, m.index + m[0].length)) return;
    // A name that goes on in a variable or a template (`dns:///istiod.${ISTIO_NAMESPACE}.svc`,
    // `http://api.$(NS).svc`, `{{ .Release.Namespace }}`): the text shows only its first labels.
    const next = value[m.index + m[0].length];
    if (next === '$' || next === '{' || next === '%' || (next === '<' && value[m.index + m[0].length - 1] === '.')) return;
    taken.push([m.index, m.index + m[0].length]);
    // A password in a URL's user information is never repeated in a message: `user:***@`.
    out.push({ text: m[0].replace(/(:\/\/[^\s/@'":]*):[^\s/@'"]+@/, '$1:***@'), host, ...(port ? { port: Number(port) } : {}), ...extra });
  };
  const nsRef = (m: RegExpExecArray) => add(m, `${m[2]}.${m[1]}`, m[3], { namespaced: { namespace: m[1]!.toLowerCase(), name: m[2]!.toLowerCase() } });
  // Each pattern needs a few characters the value may not hold at all: those are looked for first.
  if (value.includes('--')) for (const m of value.matchAll(FLAG_RE)) nsRef(m);
  if (key && NS_KEY.test(key)) {
    const m = NS_WHOLE_RE.exec(value.trim());
    if (m) nsRef(m);
  }
  if (value.includes('._')) for (const m of value.matchAll(SRV_RE)) add(m, m[3]!, undefined, { srv: { port: m[1]!.toLowerCase(), protocol: m[2]!.toUpperCase() } });
  const colon = value.includes(':');
  if (colon && value.includes('kubernetes://')) for (const m of value.matchAll(KUBE_RESOLVER_RE)) {
    const name = (m[1] ?? m[5] ?? m[7])!.toLowerCase();
    const ns = (m[2] ?? m[4] ?? m[8])?.toLowerCase();
    const port = m[3] ?? m[6] ?? m[9];
    const numeric = port !== undefined && /^\d+$/.test(port);
    add(m, ns ? `${name}.${ns}` : name, numeric ? port : undefined, {
      ...(ns ? { namespaced: { namespace: ns, name } } : {}),
      endpoints: port !== undefined && !numeric ? { portName: port.toLowerCase() } : {},
      position: true,
    });
  }
  // A gRPC target of the DNS resolver (`dns:///payments:50051`, `dns://<dns server>/payments`): the host is after the slash; 443 when it names no port.
  if (colon && /dns:/i.test(value)) {
    for (const m of value.matchAll(GRPC_DNS_RE)) add(m, m[1]!, m[3], { ...(m[3] ? {} : { defaultPort: 443 }), ...(m[2] ? { absolute: true } : {}), position: true });
    for (const m of value.matchAll(GRPC_DNS_OPAQUE_RE)) if (/[a-z]/i.test(m[1]!)) add(m, m[1]!, m[3], { ...(m[3] ? {} : { defaultPort: 443 }), ...(m[2] ? { absolute: true } : {}), position: true });
  }
  if (colon && value.includes('://')) for (const m of value.matchAll(URL_RE)) {
    // A host written with an expansion the program does itself (MinIO's `minio-{0...3}`, a shell's `{a,b}`): not the name dialled.
    if (/^-?\{/.test(value.slice(m.index + m[0].length))) continue;
    // `redis://redis_master:6379` (a Compose service name): the host goes on past the `_`, which
    // no Service name and no DNS label of the cluster holds; the whole name is what is looked up.
    if (value[m.index + m[0].length] === '_' && !m[3] && !m[4]) {
      const rest = UNDERSCORE_TAIL.exec(value.slice(m.index + m[0].length));
      if (rest) {
        const full = { index: m.index, 0: m[0] + rest[0] } as unknown as RegExpExecArray;
        add(full, m[2]! + rest[1]!, rest[2], { ...(!rest[2] && schemePort(m[1]!) ? { defaultPort: schemePort(m[1]!) } : {}), position: true });
        continue;
      }
    }
    const dflt = schemePort(m[1]!);
    // `http://api:$(PORT)` names a port the text does not show: no default then.
    const open = value[m.index + m[0].length] === ':';
    // `mongodb+srv://host`: the driver looks up `_mongodb._tcp.<host>`, an SRV record that exists only for a port named `mongodb`.
    const srv = m[1]!.toLowerCase() === 'mongodb+srv' && !m[4] ? { srv: { port: 'mongodb', protocol: 'TCP' } } : {};
    add(m, m[2]!, m[4], { ...(!m[4] && dflt && !open ? { defaultPort: dflt } : {}), ...(m[3] ? { absolute: true } : {}), ...srv, position: true });
    // A host list in the authority (`mongodb://a:27017,b:27017/db`, JDBC, Redis Sentinel): every item is a host.
    let at = m.index + m[0].length;
    for (let n = LIST_ITEM_RE.exec(value.slice(at)); n; n = LIST_ITEM_RE.exec(value.slice(at))) {
      // `add` reads only the span: the item without its comma.
      const item = { index: at + 1, 0: n[0].slice(1) } as unknown as RegExpExecArray;
      add(item, n[1]!, n[3], { ...(n[2] ? { absolute: true } : {}), position: true });
      at += n[0].length;
    }
  }
  // A ZooKeeper server list (`server.1=zk-0.zk-hs:2888:3888;2181` in zoo.cfg or the image's ZOO_SERVERS): each server's host, dialled on its quorum port.
  if (colon && value.includes('server.')) for (const m of value.matchAll(ZK_SERVER_RE)) {
    const at = { index: m.index + m[0].indexOf(m[1]!), 0: `${m[1]}:${m[2]}` } as unknown as RegExpExecArray;
    add(at, m[1]!, m[2], { position: true });
  }
  // Oracle's thin driver, EZConnect form: `jdbc:oracle:thin:@//db:1521/ORCL` (1521 when no port).
  if (colon && value.includes('@//')) for (const m of value.matchAll(ORACLE_THIN_RE)) add(m, m[1]!, m[2], { ...(m[2] ? {} : { defaultPort: 1521 }), position: true });
  if (colon && value.includes('[::1]')) for (const m of value.matchAll(LOOPBACK6_URL_RE)) {
    const dflt = schemePort(m[1]!);
    add(m, '::1', m[2], { ...(!m[2] && dflt ? { defaultPort: dflt } : {}), position: true });
  }
  // A libpq connection string (`host=db port=5432 dbname=app`: lib/pq, psycopg, pgbouncer): its host and port keywords.
  if (CONNINFO_TEXT.test(value) && CONNINFO_OTHER.test(value)) {
    const h = CONNINFO_HOST.exec(value);
    if (h) {
      const port = CONNINFO_PORT.exec(value);
      const text = h[0].trimStart();
      // Without `port=`, libpq dials 5432 (its default, unless PGPORT says otherwise).
      add({ index: h.index + h[0].length - text.length, 0: text } as unknown as RegExpExecArray, h[2]!, port?.[2], { position: true, ...(port ? {} : { defaultPort: 5432 }) });
    }
  }
  // An ADO.NET connection string (`Server=sql,1433;Database=app;…`, Npgsql's `Host=pg;Port=5432;…`, MySqlConnector's `Server=db;Port=3306;…`).
  if (value.includes(';') && ADO_TEXT.test(value) && ADO_OTHER.test(value)) {
    const h = ADO_HOST.exec(value);
    if (h) {
      const port = h[4] ?? ADO_PORT.exec(value)?.[1];
      const text = h[0].replace(/^[;\s]+/, '').trimEnd();
      add({ index: h.index + h[0].indexOf(text), 0: text } as unknown as RegExpExecArray, h[3]!, port, { position: true });
    }
  }
  // The whole value, or one item of a list under a host key (`KAFKA_BROKERS=a:9092,b:9092`), holds only hosts.
  const whole = new Set([value.trim(), ...(key && HOST_KEY.test(key) ? value.split(/[\s,;]+/) : [])]);
  if (colon) for (const m of value.matchAll(HOST_PORT_RE)) add(m, m[1]!, m[3], { ...(m[2] ? { absolute: true } : {}), ...(whole.has(m[0]) ? { position: true } : {}) });
  if (SVC_TEXT.test(value)) for (const m of value.matchAll(SVC_RE)) add(m, m[1]!);
  if (out.length === 0 && key && HOST_KEY.test(key)) {
    const m = WHOLE_RE.exec(value.trim());
    if (m && hasLetter(m[1]!)) out.push({ text: value.trim(), host: m[1]!, ...(m[3] ? { port: Number(m[3]) } : {}), ...(m[2] ? { absolute: true } : {}), position: true });
  }
  // A list of bare hosts under a list key (`discovery.seed_hosts=es-0.es,es-1.es`, `KAFKA_BROKERS`).
  if (out.length === 0 && key && HOST_LIST_KEY.test(key) && !NOT_DIALLED_KEY.test(key)) {
    // Elasticsearch's seed hosts without a port are dialled on the transport port, 9300 (`transport.port`'s default).
    const transport = /(^|[._])(seed_hosts|unicast[._]hosts)$/i.test(key) ? { defaultPort: 9300 } : {};
    for (const item of value.split(/\s*[,;\s]\s*/)) {
      const m = WHOLE_RE.exec(item);
      if (m && hasLetter(m[1]!)) out.push({ text: item, host: m[1]!, ...(m[3] ? { port: Number(m[3]) } : transport), ...(m[2] ? { absolute: true } : {}), position: true });
    }
  }
  return out;
}

const SVC_TEXT = /\.svc/i;
const ZK_SERVER_RE = /(?:^|[\s,])server\.\d+\s*=\s*([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]):(\d{1,5}):\d{1,5}/g;
const ORACLE_THIN_RE = new RegExp(`(?<=jdbc:oracle:thin:@//)(${HOST})(?::(\\d{1,5}))?(?=[/?\\s'",;]|$)`, 'gi');
/** The rest of a host name with `_` in it, after its first letters, and its port. */
const UNDERSCORE_TAIL = /^([a-z0-9_.-]*[a-z0-9])(?::(\d{1,5}))?(?=$|[/?#\s'",;])/i;
const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1)$/;
/** A URL to the IPv6 loopback address, `redis://[::1]:6379`. */
const LOOPBACK6_URL_RE = /\b([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@'"]*@)?\[::1\](?::(\d{1,5}))?/gi;
/** libpq's `key=value` connection strings: a `host` keyword beside another of its keywords. */
const CONNINFO_TEXT = /(?:^|\s)host\s*=/i;
const CONNINFO_OTHER = /(?:^|\s)(?:port|dbname|user|password|sslmode|connect_timeout|application_name)\s*=/i;
/** `host=db`, `host = 'db'`; one host (a list, `host=a,b`, is left alone). */
const CONNINFO_HOST = new RegExp(`(?:^|\\s)host\\s*=\\s*(['"]?)(${HOST})\\1(?=\\s|$)`, 'i');
const CONNINFO_PORT = /(?:^|\s)port\s*=\s*(['"]?)(\d{1,5})\1(?=\s|$)/i;

/** ADO.NET-style `Keyword=value;` connection strings: a server keyword beside another of their keywords. */
const ADO_TEXT = /(?:^|;)\s*(?:server|host|data source|address|addr|network address)\s*=/i;
const ADO_OTHER = /(?:^|;)\s*(?:database|initial catalog|user id|uid|username|user|password|pwd|port|integrated security|trustservercertificate|encrypt|sslmode|ssl mode)\s*=/i;
/** `Server=tcp:sql,1433`, `Data Source=sql`, `Host=pg`: one host, an optional protocol and `,port` (a named instance `sql\\x` or a list is left alone). */
const ADO_HOST = new RegExp(`(?:^|;)\\s*(server|host|data source|address|addr|network address)\\s*=\\s*(tcp:)?(${HOST})(?:,(\\d{1,5}))?\\s*(?=;|$)`, 'i');
const ADO_PORT = /(?:^|;)\s*port\s*=\s*(\d{1,5})\s*(?=;|$)/i;

function mayHoldHost(value: string): boolean {
  return value.includes(':') || value.includes('--') || value.includes('._') || SVC_TEXT.test(value) || CONNINFO_TEXT.test(value) || (value.includes(';') && ADO_TEXT.test(value));
}

/** Keys whose value is a list of hosts. */
const SEPARATED_HOST_LIST_KEY = /(^|[_.-])(hosts|brokers|seeds|peers|members|contact[-_]points)$/i;
const HOST_LIST_KEY = { test: (key: string): boolean => SEPARATED_HOST_LIST_KEY.test(key) || /[a-z0-9](?:Hosts|Brokers|Seeds|Peers|Members|ContactPoints)$/.test(key) };
/** Host lists a program answers to or leaves alone rather than dials (`ALLOWED_HOSTS`, `NO_PROXY`). */
export const NOT_DIALLED_KEY = /allowed|trusted|proxy|cors|origin|ignore|skip|exclude|virtual|server_?names?/i;
