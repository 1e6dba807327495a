import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parseAllDocuments } from 'yaml';
import { coreValues } from '../load/fast-parse.js';
import { findHosts, NOT_DIALLED_KEY, type HostRef } from './hosts.js';
import { flattenProps, profileMatches } from './spring.js';
import { haproxyBinds } from './bind.js';

/**
 * Hosts in a configuration file mounted from a ConfigMap key, read by the file's format
 * rather than by a pattern over its text: YAML and JSON values under their keys,
 * `.properties`/INI/TOML/env lines, nginx upstreams and `*_pass` targets, HAProxy `server`
 * lines, Envoy `socket_address`, Prometheus `targets`, ZooKeeper `server.N=` lists.
 * A value in a position that can only hold a host (`host: cart`, `server cart:7070;`) is
 * marked `position`. Undefined when the text is not in a format read here.
 */
export function configFileHosts(key: string, text: string): HostRef[] | undefined {
  if (text.length > 200_000) return undefined;
  const k = key.toLowerCase();
  // Spring Boot's own files: a host there is a property that the environment can override.
  const springFile = /(^|\/)(application|bootstrap)(-[\w.-]+)?\.(ya?ml|properties)$/.exec(k);
  const spring = springFile !== null;
  // `application-prod.yml` is loaded only when the profile `prod` is active (Spring Boot's profile-specific files).
  const fileProfile = springFile?.[3]?.slice(1);
  if (fileProfile) {
    const refs = configFileHosts(key.replace(/-[\w.-]+(\.(?:ya?ml|properties))$/i, '$1'), text);
    return refs?.map((r) => (r.profiles ? r : { ...r, profiles: [fileProfile] }));
  }
  // A JSON file is read as JSON first: a `//` comment is a plain scalar to YAML's flow style.
  // node-config's `config/<NODE_ENV>.json`: read only where that environment is the pod's.
  const nodeEnv = /(^|\/)(development|production|staging|stage|test|testing|qa|dev|prod|uat|preprod|demo|ci)\.(json5?|ya?ml)$/.exec(k)?.[2];
  if (nodeEnv) {
    const refs = configFileHosts(key.replace(/(\.[a-z0-9]+)$/i, '.node-config$1'), text);
    return refs?.map((r) => ({ ...r, nodeEnv }));
  }
  if (k.endsWith('.json')) return jsoncHosts(text) ?? yamlHosts(text, true, false);
  if (RAILS_FILE.test(k)) {
    const rails = railsHosts(text);
    if (rails) return rails;
  }
  if (/\.ya?ml$/.test(k)) return withProperties(yamlHosts(text, true, spring), spring);
  if (/haproxy/.test(k) || (/\.cfg$/.test(k) && /^\s*(backend|listen)\s/m.test(text))) return haproxyHosts(text);
  if (/\.(properties|ini|cfg|toml|env)$/.test(k) || /(^|\/)\.env(\.[\w-]+)?$/.test(k)) return withProperties(lineHosts(text, spring, lineFormat(k)), spring);
  // Telegraf's default file, `telegraf.conf`, is TOML (`[[outputs.influxdb]]`, `urls = [...]`).
  if (/(^|\/)telegraf\.conf$/.test(k) || (/\.conf$/.test(k) && /^\s*\[\[(?:inputs|outputs|processors|aggregators)\.[a-z0-9_]+\]\]/m.test(text))) return lineHosts(text, false, 'toml');
  if (/\.conf$/.test(k) && REDIS_DIRECTIVE.test(text)) return redisHosts(text);
  if (/\.conf$/.test(k) && FLUENT_SECTION.test(text)) return fluentHosts(text);
  if (/\.(conf|cfg)$/.test(k) && LOGSTASH_HOSTS.test(text)) return logstashHosts(text);
  if (/\.conf$/.test(k) && /\b(upstream|proxy_pass|grpc_pass|server_name|location)\b/.test(text)) return nginxHosts(text);
  if (/(^|[./-])caddyfile$|\.caddy$/.test(k)) return caddyHosts(text);
  if (k.endsWith('.vcl')) return vclHosts(text);
  if (k.endsWith('.xml')) return xmlHosts(text);
  if (k.endsWith('.py')) return pythonHosts(text);
  // A key without an extension that the pod mounts under a file name of its own (`items.path`,
  // `subPath`): read by its content when that is unmistakably nginx's (blocks and directives).
  if (!/\.[a-z0-9]+$/.test(k) && NGINX_TEXT.test(text) && /;\s*$/m.test(text)) return nginxHosts(text);
  return undefined;
}

const NGINX_TEXT = /^\s*(?:(?:http|server|events)\s*\{|location\s+[^{;]*\{|upstream\s+[^\s{;]+\s*\{)/m;

/**
 * The upstream groups an nginx configuration text defines (`upstream app { … }`): a
 * `proxy_pass http://app` elsewhere (another key of the same ConfigMap, included from
 * `conf.d/`) names the group, not a host.
 */
export function nginxUpstreams(text: string): string[] {
  if (!text.includes('upstream')) return [];
  return [...text.split(/\r?\n/).map(noComment).join('\n').matchAll(/\bupstream\s+([^\s{]+)\s*\{/g)].map((m) => m[1]!.toLowerCase());
}

/** Keys whose value is one host (or `host:port`) and nothing else. */
const SEPARATED_HOST_KEY = /(^|[_.-])(host|hostname|addr|address|server|url|uri|endpoint)$/i;
/** The same words ending a camelCase key (`redisHost`, `serverAddress`, `metricsUrl`). */
const CAMEL_HOST_KEY = /[a-z0-9](?:Host|Hostname|HostName|Addr|Address|Server|Url|URL|Uri|URI|Endpoint)$/;
const HOST_KEY = { test: (key: string): boolean => SEPARATED_HOST_KEY.test(key) || CAMEL_HOST_KEY.test(key) };
/** Keys that hold a list of hosts (`targets: [a:9100, b:9100]`, `brokers`, `seeds`). */
const SEPARATED_LIST_KEY = /(^|[_.-])(targets|hosts|servers|brokers|seeds|peers|endpoints|addresses|members|contact[-_]points)$/i;
const CAMEL_LIST_KEY = /[a-z0-9](?:Targets|Hosts|Servers|Brokers|Seeds|Peers|Endpoints|Addresses|Members|ContactPoints)$/;
const LIST_KEY = { test: (key: string): boolean => SEPARATED_LIST_KEY.test(key) || CAMEL_LIST_KEY.test(key) };
const LABEL = '[a-z0-9](?:[-a-z0-9_]*[a-z0-9])?';
const HOST_ONLY = new RegExp(`^(${LABEL}(?:\\.${LABEL})*)(\\.?)(?::(\\d{1,5}))?$`, 'i');

/** A whole value that is a host, in a position that holds only hosts. */
function wholeHost(value: string): HostRef | undefined {
  const v = value.trim();
  const m = HOST_ONLY.exec(v);
  if (!m || !/[a-z]/i.test(m[1]!) || /^\d+(\.\d+){3}$/.test(m[1]!) || m[1]!.includes('_')) return undefined;
  return { text: v, host: m[1]!, ...(m[3] ? { port: Number(m[3]) } : {}), ...(m[2] ? { absolute: true } : {}), position: true };
}

/** The hosts of one value under a key: a list for list keys, one host for host keys, else whatever the text names. */
function valueHosts(key: string | undefined, value: string): HostRef[] {
  // The file's own keys decide which whole values are hosts, not the env-style key names.
  const found = findHosts(value);
  if (key && (LIST_KEY.test(key) || HOST_KEY.test(key)) && !NOT_DIALLED_KEY.test(key)) {
    const parts = LIST_KEY.test(key) ? value.split(/[,\s]+/) : [value];
    const bare = parts.map(wholeHost).filter((h): h is HostRef => h !== undefined && !found.some((f) => f.host === h.host));
    return [...found.map((f) => (parts.some((p) => p.trim() === f.text) ? { ...f, position: true } : f)), ...bare];
  }
  return found;
}

/**
 * A file in no format read here, for the pattern over its text: its whole-line comments blanked
 * (`#` in Python, shell, Ruby and INI-like `.conf` files, `;` in INI-like ones, `//` in C-like
 * languages), so a commented-out connection string is not dialled. Other text is unchanged.
 */
export function uncommentedText(key: string, text: string): string {
  const ext = /\.([a-z0-9]+)$/.exec(key.toLowerCase())?.[1] ?? '';
  const markers = [
    ['py', 'sh', 'bash', 'zsh', 'rb', 'pl', 'conf', 'cnf', 'cfg', 'ini', 'r', 'tf', 'hcl', 'txt', 'env'].includes(ext) ? '#' : '',
    ['conf', 'cnf', 'cfg', 'ini'].includes(ext) ? ';' : '',
    ['js', 'mjs', 'cjs', 'ts', 'go', 'java', 'kt', 'groovy', 'scala', 'php', 'cs', 'c', 'cpp', 'rs', 'swift'].includes(ext) ? '//' : '',
  ].filter(Boolean);
  return blankComments(text, markers);
}

/** The text with every line that starts with one of these comment markers blanked (its offsets kept). */
function blankComments(text: string, markers: readonly string[]): string {
  if (markers.length === 0) return text;
  const comment = new RegExp(`^[ \\t]*(?:${markers.join('|')}).*$`, 'gm');
  return text.replace(comment, (line) => ' '.repeat(line.length));
}

/** @internal The values of a YAML or JSON file's documents as the `yaml` package reads them (YAML 1.2), or undefined when one has an error. */
export function yamlValues(text: string): unknown[] | undefined {
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  let values: unknown[];
  try {
    values = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    // An alias bomb ("Excessive alias count"): not a file any server is given to read.
    return undefined;
  }
  // An alias inside the node it names (`a: &a [*a]`) makes a value that contains itself: no file of a server.
  return values.every((v) => acyclic(v, new Set())) ? values : undefined;
}

/** Whether a value from YAML contains itself nowhere (`&a [*a]` does). */
function acyclic(v: unknown, open: Set<object>): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (open.has(v)) return false;
  open.add(v);
  const ok = (Array.isArray(v) ? v : Object.values(v)).every((x) => acyclic(x, open));
  open.delete(v);
  return ok;
}

/**
 * @internal The hosts of a YAML or JSON file. The values come from the value parser where it
 * reads every document (the same values, test/config-files.test.ts), else from the `yaml`
 * package; `fast: false` takes them from the `yaml` package always.
 */
/** Drops the property names of a file that is not Spring Boot's (they matter only there). */
function withProperties(refs: HostRef[] | undefined, spring: boolean): HostRef[] | undefined {
  return spring || !refs ? refs : refs.map((r) => (r.property === undefined && r.portProperty === undefined ? r : (({ property: _p, portProperty: _q, ...rest }) => rest)(r)));
}

export function yamlHosts(text: string, fast = true, properties = false): HostRef[] | undefined {
  const values = (fast ? coreValues(text) : undefined) ?? yamlValues(text);
  return values ? valuesHosts(values, properties) : undefined;
}

/** The hosts of a Beats `output.elasticsearch` (nested, or as dotted keys). */
function beatsElasticsearchHosts(v: unknown): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  const o = v as Record<string, unknown>;
  const rec = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
  const es = rec(rec(o.output)?.elasticsearch) ?? rec(o['output.elasticsearch']);
  const hosts = es?.hosts ?? o['output.elasticsearch.hosts'];
  return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string') : typeof hosts === 'string' ? [hosts] : [];
}

/** Rails' configuration files keyed by environment (`config/database.yml`, Action Cable's, Mongoid's). */
const RAILS_FILE = /(^|\/)(database|cable|mongoid|redis)\.ya?ml$/;
const RAILS_ENVS = new Set(['development', 'test', 'production']);

/**
 * The hosts of a Rails file whose top-level keys are environments, each marked with its
 * section: Rails reads the one `RAILS_ENV` names. Undefined when the file is not so keyed.
 */
function railsHosts(text: string): HostRef[] | undefined {
  const values = coreValues(text) ?? yamlValues(text);
  const top = values?.length === 1 ? values[0] : undefined;
  if (!top || typeof top !== 'object' || Array.isArray(top)) return undefined;
  const sections = Object.entries(top as Record<string, unknown>);
  if (!sections.some(([env]) => RAILS_ENVS.has(env))) return undefined;
  return sections.flatMap(([env, v]) => valuesHosts([v], false).map((r) => ({ ...r, railsEnv: env })));
}

/**
 * The hosts of a JSON file with comments or trailing commas, which no YAML reader takes:
 * .NET's configuration (`appsettings.json`, `JsonCommentHandling.Skip`, trailing commas
 * allowed), VS Code-style settings. A commented-out line is not read by the program either.
 */
function jsoncHosts(text: string): HostRef[] | undefined {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  return errors.length === 0 && value !== undefined ? valuesHosts([value], false) : undefined;
}

function valuesHosts(values: unknown[], properties: boolean): HostRef[] {
  const out: HostRef[] = [];
  const staticEnvoy = envoyStaticAddresses(values);
  const named = (refs: HostRef[], prop: string): HostRef[] => (properties && prop ? refs.map((r) => ({ ...r, property: prop })) : refs);
  const walk = (v: unknown, key: string | undefined, prop = ''): void => {
    if (typeof v === 'string') {
      // Spring's `${REDIS_HOST:redis}`: the default, where the environment leaves the variable unset.
      const d = properties && v.includes('${') ? placeholderDefaults(v) : undefined;
      if (d) out.push(...named(valueHosts(key, d.text), prop).map((r) => ({ ...r, unlessEnv: d.names })));
      else out.push(...named(valueHosts(key, v), prop));
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key, prop);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // Envoy: `socket_address: {address: cart, port_value: 7070}`.
      if (typeof o.address === 'string' && typeof o.port_value === 'number') {
        const h = wholeHost(o.address);
        const why = staticEnvoy.get(o);
        if (h) out.push({ ...h, port: o.port_value, ...(why ? { lookup: { how: 'never' as const, why } } : {}) });
        for (const [k, x] of Object.entries(o)) if (k !== 'address') walk(x, k);
        return;
      }
      for (const [k, x] of Object.entries(o)) {
        const port = typeof x === 'string' ? siblingPort(k, (name) => o[name]) : undefined;
        const sub = prop ? `${prop}.${k}` : k;
        if (port === undefined) walk(x, k, sub);
        else {
          const d = properties && (x as string).includes('${') ? placeholderDefaults(x as string) : undefined;
          const refs = withPort(valueHosts(k, d ? d.text : (x as string)), port).map((r) => (d ? { ...r, unlessEnv: d.names } : r));
          out.push(...named(refs, sub).map((r) => (properties ? { ...r, portProperty: `${prop ? `${prop}.` : ''}${siblingPortKey(k)}` } : r)));
        }
      }
    }
  };
  // Prometheus adds the scheme's port to a static target that names none (80, or 443 for `scheme: https`).
  const promDefaults = new Map<string, number>();
  for (const v of values) {
    const root = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
    // Scrape jobs and Alertmanagers (`alerting.alertmanagers`) alike: a target without a port is dialled on the scheme's.
    const alerting = root?.alerting && typeof root.alerting === 'object' ? (root.alerting as Record<string, unknown>).alertmanagers : undefined;
    const jobs = [...(Array.isArray(root?.scrape_configs) ? root!.scrape_configs as unknown[] : []), ...(Array.isArray(alerting) ? alerting : [])];
    for (const job of jobs) {
      if (!job || typeof job !== 'object') continue;
      const j = job as Record<string, unknown>;
      const port = j.scheme === 'https' ? 443 : 80;
      for (const sc of Array.isArray(j.static_configs) ? j.static_configs : []) {
        const targets = sc && typeof sc === 'object' ? (sc as Record<string, unknown>).targets : undefined;
        for (const t of Array.isArray(targets) ? targets : []) if (typeof t === 'string' && !t.includes(':')) promDefaults.set(t.trim(), port);
      }
    }
  }
  // Beats (Filebeat, Metricbeat…) dial an Elasticsearch host without a port on 9200, even with `http://` (libbeat's MakeURL).
  for (const v of values) {
    for (const h of beatsElasticsearchHosts(v)) if (!/:\d+(?:\/|$)/.test(h.replace(/^[a-z]+:\/\//i, ''))) promDefaults.set(h.trim(), 9200);
  }
  const docs = values.map(springDoc);
  // Profiles the file activates itself, in a document that applies always.
  const active = docs.flatMap((d) => (d.onProfile === undefined && d.active ? d.active.split(',').map((x) => x.trim()) : []));
  // Profile groups (`spring.profiles.group.prod: [proddb]`): a member is active when its group is.
  const groupsOf = new Map<string, string[]>();
  for (const d of docs) if (d.onProfile === undefined) for (const [group, members] of d.groups ?? []) for (const m of members) groupsOf.set(m, [...(groupsOf.get(m) ?? []), group]);
  values.forEach((v, i) => {
    const gate = docs[i]!.onProfile;
    const from = out.length;
    walk(v, undefined);
    const gates = gate === undefined ? [] : [gate, ...(groupsOf.get(gate.trim()) ?? [])];
    if (gate !== undefined && !gates.some((g) => profileMatches(g, active) === true)) for (let j = from; j < out.length; j++) out[j] = { ...out[j]!, profiles: gates };
  });
  if (promDefaults.size) for (let j = 0; j < out.length; j++) {
    const d = out[j]!.port === undefined ? promDefaults.get(out[j]!.text) : undefined;
    if (d !== undefined) out[j] = { ...out[j]!, defaultPort: d };
  }
  return out;
}

/**
 * The `socket_address` maps of Envoy clusters that take IP addresses only: a cluster's `type` is
 * STATIC when not written (envoy's cluster.proto), and a STATIC cluster's endpoints must be IP
 * addresses (Envoy refuses the configuration: "malformed IP address"). Only STRICT_DNS and
 * LOGICAL_DNS clusters resolve names.
 */
function envoyStaticAddresses(values: unknown[]): Map<object, string> {
  const out = new Map<object, string>();
  const rec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const addresses = (v: unknown, depth: number, found: (o: object) => void): void => {
    if (depth > 12) return;
    if (Array.isArray(v)) for (const x of v) addresses(x, depth + 1, found);
    else if (rec(v)) {
      if (typeof v.address === 'string' && typeof v.port_value === 'number') found(v);
      for (const x of Object.values(v)) addresses(x, depth + 1, found);
    }
  };
  for (const doc of values) {
    const resources = rec(doc) ? doc.static_resources : undefined;
    const clusters = rec(resources) ? resources.clusters : undefined;
    for (const c of Array.isArray(clusters) ? clusters : []) {
      if (!rec(c) || c.cluster_type !== undefined || (c.type !== undefined && c.type !== 'STATIC')) continue;
      const name = typeof c.name === 'string' ? `\`${c.name}\`` : 'of this file';
      const why = `Envoy cluster ${name} is of type STATIC${c.type === undefined ? ' (the default)' : ''}, whose endpoints must be IP addresses: Envoy refuses the configuration ("malformed IP address"); use \`type: STRICT_DNS\` for a name`;
      addresses(c.load_assignment, 0, (o) => out.set(o, why));
    }
  }
  return out;
}

/**
 * The profile expression a document of a Spring configuration file applies under
 * (`spring.config.activate.on-profile`, the older `spring.profiles`), or undefined when it
 * applies always; and the profiles a document activates (`spring.profiles.active`).
 */
function springDoc(doc: unknown): { onProfile?: string; active?: string; groups?: [string, string[]][] } {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return {};
  const spring = Object.entries(doc).filter(([k]) => k === 'spring' || k.startsWith('spring.'));
  if (spring.length === 0) return {};
  const props = new Map<string, string>();
  flattenProps(Object.fromEntries(spring), '', props);
  const onProfile = props.get('spring.config.activate.on-profile') ?? props.get('spring.profiles');
  const active = props.get('spring.profiles.active');
  const groups: [string, string[]][] = [];
  for (const [k, v] of props) {
    const g = /^spring\.profiles\.group\.([\w.-]+?)(?:\[\d+\])?$/.exec(k);
    if (g) groups.push([g[1]!, v.split(',').map((x) => x.trim()).filter(Boolean)]);
  }
  return { ...(onProfile ? { onProfile } : {}), ...(active ? { active } : {}), ...(groups.length ? { groups } : {}) };
}

/**
 * The port written beside a host key (`host` and `port`, `redis.host` and `redis.port`,
 * `DB_HOST` and `DB_PORT`, `broker-host` and `broker-port`): the port its client dials. `get`
 * reads a key of the same map or file.
 */
function siblingPort(key: string, get: (name: string) => unknown): number | undefined {
  const name = siblingPortKey(key);
  if (name === undefined) return undefined;
  const v = get(name);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,5}\s*$/.test(v) ? Number(v) : undefined;
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * A Spring value whose placeholders all name environment variables and give defaults
 * (`${REDIS_HOST:redis}`, `jdbc:postgresql://${DB_HOST:db}:${DB_PORT:5432}/app`): the text with
 * the defaults, and the variables that replace them when set. Undefined for other placeholders.
 */
function placeholderDefaults(value: string): { text: string; names: string[] } | undefined {
  const names: string[] = [];
  const text = value.replace(/\$\{([A-Z_][A-Z0-9_]*):([^${}]*)\}/g, (_m, name: string, dflt: string) => {
    names.push(name);
    return dflt;
  });
  return names.length && !text.includes('${') ? { text, names } : undefined;
}

/** The key of the port beside a host key (`redis.host` → `redis.port`, `DB_HOST` → `DB_PORT`). */
function siblingPortKey(key: string): string | undefined {
  const m = /^(.*?)(host|hostname|server|address|addr)$/i.exec(key);
  if (!m || NOT_DIALLED_KEY.test(key)) return undefined;
  const [prefix, word] = [m[1]!, m[2]!];
  const upper = word === word.toUpperCase() && /[A-Z]/.test(word);
  const capital = !upper && /^[A-Z]/.test(word);
  return `${prefix}${upper ? 'PORT' : capital ? 'Port' : 'port'}`;
}

/** Hosts written as a whole value take the sibling port when they name none. */
const withPort = (refs: HostRef[], port: number): HostRef[] => refs.map((r) => (r.position && r.port === undefined ? { ...r, port } : r));

/**
 * The logical lines of a line-based file: a `.properties` line that ends in an odd number of
 * backslashes goes on in the next (java.util.Properties), and a TOML array opened on a line
 * goes on to its closing bracket (TOML 1.0 allows newlines inside arrays).
 */
function logicalLines(text: string, format: LineFormat): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (format === 'properties') {
      while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trim();
    } else if (format === 'toml' && /^[A-Za-z0-9_."-]+\s*=\s*\[/.test(line)) {
      const depth = (t: string) => (t.replace(/"[^"]*"|'[^']*'|#.*$/g, '').match(/\[/g) ?? []).length - (t.replace(/"[^"]*"|'[^']*'|#.*$/g, '').match(/\]/g) ?? []).length;
      let open = depth(line);
      while (open > 0 && i + 1 < lines.length) {
        const next = lines[++i]!.trim().replace(/\s+#.*$/, '');
        open += depth(next);
        line = `${line.replace(/\s+#.*$/, '')} ${next}`;
      }
    }
    out.push(line);
  }
  return out;
}

type LineFormat = 'properties' | 'toml' | 'ini' | 'env' | undefined;

/** The format of a line-based file by its name. */
function lineFormat(key: string): LineFormat {
  const k = key.toLowerCase();
  if (k.endsWith('.properties')) return 'properties';
  if (k.endsWith('.toml') || /(^|\/)telegraf\.conf$/.test(k)) return 'toml';
  if (k.endsWith('.ini') || k.endsWith('.cfg')) return 'ini';
  if (k.endsWith('.env') || /(^|\/)\.env(\.|$)/.test(k)) return 'env';
  return undefined;
}

/**
 * `key = value`, `key: value` and `key value` lines (.properties, INI, TOML, env files, zoo.cfg).
 * A port beside a host key is looked for in the same INI section or TOML table (`[postgres]`
 * `host`/`port` and `[redis]` `host`/`port` are two pairs).
 */
function lineHosts(text: string, properties = false, format: LineFormat = undefined): HostRef[] {
  const out: HostRef[] = [];
  const lines: [string, string, string][] = [];
  let section = '';
  let tables = 0;
  for (const raw of logicalLines(text, format)) {
    const line = raw.trim();
    const header = /^\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:[#;].*)?$/.exec(line);
    if (header && format !== 'properties') {
      // Each `[[name]]` (a TOML array of tables) opens a table of its own.
      section = line.startsWith('[[') ? `${header[1]!}#${++tables}` : header[1]!;
      continue;
    }
    if (line === '' || /^[#;!\[]/.test(line)) continue;
    // dotenv files may write `export KEY=value` (python-dotenv, dotenv for Node).
    const body = /^export\s+[A-Za-z_]/.test(line) ? line.replace(/^export\s+/, '') : line;
    // Keys as pgbouncer's `[databases]` writes them too: `*` (the fallback database), `"my-db"`.
    const m = /^("[^"]+"|\*|[A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(body);
    // `.properties` escapes: `jdbc\:postgresql\://db\:5432/app` is `jdbc:postgresql://db:5432/app` to java.util.Properties.
    if (m) lines.push([unquote(m[1]!), m[2]!.replace(/\\([:=#! ])/g, '$1'), section]);
  }
  // The last value of each key in its section, for the ports beside host keys (`redis.host` and `redis.port`).
  const last = new Map(lines.map(([k, v, sec]) => [`${sec}\u0000${k}`, unquote(v.replace(/\s+#.*$/, ''))]));
  for (const [key, rawValue, sec] of lines) {
    // ZooKeeper ensemble: `server.1=zk-0.zk-hs:2888:3888[:role][;2181]`.
    const zk = /^server\.\d+$/.exec(key) ? /^([^:;\s]+):\d{1,5}:\d{1,5}/.exec(rawValue) : null;
    if (zk) {
      const h = wholeHost(zk[1]!);
      if (h) out.push({ ...h, text: zk[0], port: Number(rawValue.split(':')[1]) });
      continue;
    }
    // TOML strings and arrays: `hosts = ["a:1", "b:2"]`.
    const value = rawValue.replace(/\s+#.*$/, '').trim();
    const items = /^\[.*\]$/.test(value) ? value.slice(1, -1).split(',').map(unquote) : [unquote(value)];
    const port = items.length === 1 ? siblingPort(key, (name) => last.get(`${sec}\u0000${name}`)) : undefined;
    for (const item of items) {
      if (!item) continue;
      const refs = port === undefined ? valueHosts(items.length > 1 ? pluralKey(key) : key, item) : withPort(valueHosts(key, item), port);
      out.push(...(properties ? refs.map((r) => ({ ...r, property: key, ...(port !== undefined ? { portProperty: siblingPortKey(key)! } : {}) })) : refs));
    }
  }
  return out;
}

const unquote = (s: string): string => s.trim().replace(/^(["'])(.*)\1$/, '$2');
/** An array value under a host key holds hosts too. */
const pluralKey = (key: string): string => (HOST_KEY.test(key) ? `${key}s` : key);

/** Strips `#` comments (outside quotes, roughly: nginx and HAProxy have no multi-line strings). */
const noComment = (line: string): string => line.replace(/(^|\s)#.*$/, '');

/**
 * nginx: `server <host>[:port]` inside `upstream` blocks, and `proxy_pass`/`grpc_pass`/…
 * targets that do not name an upstream block or use a variable.
 */
function nginxHosts(text: string): HostRef[] {
  const out: HostRef[] = [];
  const src = text.split(/\r?\n/).map(noComment).join('\n');
  const upstreams = new Set(nginxUpstreams(src));
  // Statements end in `;`, blocks open with `{`: a `server` statement is a host only directly inside `upstream`.
  const stack: string[] = [];
  // `set $api http://api:8080; proxy_pass $api;`: a target made of variables.
  const sets = new Map<string, string>();
  const passVars = new Set<string>();
  // What follows a variable in a pass target: `proxy_pass $api:3100$request_uri` dials port 3100,
  // whatever port the variable's URL names; `$api:$port` dials a port the text does not show.
  const passPorts = new Map<string, (number | 'unknown' | undefined)[]>();
  // The addresses of its `resolver` directives: where it asks for the names it resolves itself.
  const resolvers: string[] = [];
  const resolveAt: number[] = [];
  for (const m of src.matchAll(/([^{};]*)([{};])/g)) {
    const stmt = m[1]!.trim();
    if (m[2] === '{') {
      stack.push(/^upstream\s/.test(stmt) ? 'upstream' : stmt === 'stream' ? 'stream' : 'block');
      continue;
    }
    if (m[2] === '}') {
      stack.pop();
      continue;
    }
    const server = stack.at(-1) === 'upstream' ? /^server\s+(\S+)(.*)$/.exec(stmt) : null;
    if (server && !server[1]!.startsWith('unix:')) {
      const h = wholeHost(server[1]!);
      // An `http` upstream's server without a port is dialled on 80 (ngx_http_upstream_module); a
      // `stream` one must write its port. With `resolve`, nginx looks the name up at run time
      // through its `resolver`, as written (no search path).
      const inStream = stack.includes('stream');
      if (h) {
        if (/\sresolve\b/.test(` ${server[2]!}`)) resolveAt.push(out.length);
        out.push({ ...h, ...(h.port === undefined && !inStream ? { defaultPort: 80 } : {}), ...(/\sresolve\b/.test(` ${server[2]!}`) ? { lookup: RESOLVE_LOOKUP } : {}) });
      }
    }
    const resolver = /^resolver\s+(.+)$/.exec(stmt);
    if (resolver) resolvers.push(...resolver[1]!.split(/\s+/).filter((w) => w && !w.includes('=')));
    const set = /^set\s+\$(\w+)\s+(\S+)$/.exec(stmt);
    if (set) sets.set(set[1]!, unquote(set[2]!));
    const p = /^(proxy_pass|grpc_pass|uwsgi_pass|fastcgi_pass|scgi_pass|memcached_pass)\s+(\S+)/.exec(stmt);
    if (p && p[2]!.includes('$')) {
      for (const v of p[2]!.matchAll(/\$(\w+)|\$\{(\w+)\}/g)) {
        const name = (v[1] ?? v[2])!;
        passVars.add(name);
        const after = p[2]!.slice(v.index! + v[0].length);
        const port = /^:(\d+)(?![\w.])/.exec(after);
        const list = passPorts.get(name) ?? [];
        list.push(port ? Number(port[1]) : after.startsWith(':') ? 'unknown' : undefined);
        passPorts.set(name, list);
      }
    }
    if (!p || p[2]!.includes('$')) continue;
    const target = p[2]!.replace(/^[a-z]+:\/\//i, '');
    if (upstreams.has(target.split(/[:/]/)[0]!.toLowerCase())) continue;
    const url = /^[a-z]+:\/\//i.test(p[2]!) ? findHosts(p[2]!) : [];
    if (url.length) out.push(...url.map((u) => ({ ...u, position: true })));
    else {
      const bare = target.split('/')[0]!;
      const h = wholeHost(bare);
      // `fastcgi_pass 127.0.0.1:9000`: a loopback address is the pod itself.
      const loop = h ? undefined : /^(127\.\d+\.\d+\.\d+|\[::1\])(?::(\d{1,5}))?;?$/.exec(bare);
      if (h) out.push(h);
      else if (loop) out.push({ text: bare.replace(/;$/, ''), host: 'localhost', ...(loop[2] ? { port: Number(loop[2]) } : {}), position: true });
    }
  }
  // nginx resolves such a target at request time itself, through its `resolver` directive: the
  // DNS server is asked for the name as written, without the pod's search path (and without a
  // `resolver` the request fails). An upstream group's name is not looked up.
  const lookup = { how: 'no-search' as const, why: 'nginx resolves a target built from variables at request time through its `resolver` directive, which asks for the name as written, without the pod\'s search path (and with no `resolver`, the request fails)' };
  for (const name of passVars) {
    const value = sets.get(name);
    if (value === undefined || value.includes('$')) continue;
    const target = value.replace(/^[a-z]+:\/\//i, '');
    if (upstreams.has(target.split(/[:/]/)[0]!.toLowerCase())) continue;
    const url = /^[a-z]+:\/\//i.test(value) ? findHosts(value) : [];
    const hosts = url.length ? url : [wholeHost(target.split('/')[0]!)].filter((h): h is HostRef => h !== undefined);
    for (const use of passPorts.get(name) ?? [undefined]) {
      for (const h of hosts) {
        // A port written after the variable is the one dialled; after `:` and another variable, the port is not known.
        const { port: _port, defaultPort: _dflt, ...rest } = h;
        const dialled = use === undefined ? h : use === 'unknown' ? rest : { ...rest, port: use };
        resolveAt.push(out.length);
        out.push({ ...dialled, position: true, lookup });
      }
    }
  }
  // A `resolver` on loopback only (`127.0.0.11`, Docker's embedded DNS server, copied from a
  // Compose setup) asks the pod itself, where no DNS server listens unless a container of the pod serves port 53.
  const loopback = (a: string) => /^(127(?:\.\d{1,3}){3}|\[?::1\]?|localhost)(:\d+)?$/i.test(a);
  if (resolvers.length && resolvers.every(loopback)) {
    const docker = resolvers.some((a) => /^127\.0\.0\.11(:53)?$/.test(a));
    const never = { how: 'never' as const, why: `nginx asks its \`resolver ${resolvers.join(' ')}\` for it at request time, which is the pod's own loopback${docker ? ' (127.0.0.11 is the DNS server Docker runs for Compose networks; a pod has none)' : ''}, and no container of the pod serves DNS there: every lookup fails and nginx answers 502`, unlessPodServes: 53 };
    for (const i of resolveAt) out[i] = { ...out[i]!, lookup: never };
  }
  return out;
}

const RESOLVE_LOOKUP = { how: 'no-search' as const, why: 'nginx resolves an upstream server marked `resolve` at run time through its `resolver` directive, which asks for the name as written, without the pod\'s search path' };

/**
 * Caddy: the upstreams of `reverse_proxy [matcher] <upstream…>` and of `to <upstream…>` inside
 * its block, and `php_fastcgi`'s. An upstream is `host[:port]` or `scheme://host[:port]`
 * (`https://` without a port dials 443; `http://`, `h2c://` and a bare host, 80). Placeholders (`{$API}`,
 * `{http.request.host}`) and Unix sockets are not hosts the text shows.
 */
function caddyHosts(text: string): HostRef[] {
  const out: HostRef[] = [];
  let proxyDepth = -1;
  let depth = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = noComment(raw).trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    const opens = words.at(-1) === '{';
    if (opens) words.pop();
    let upstreams: string[] = [];
    if (words[0] === 'reverse_proxy' || words[0] === 'php_fastcgi') {
      upstreams = words.slice(1);
      // A matcher first: a path, `*` or a named matcher.
      if (upstreams[0] && /^[/*@]/.test(upstreams[0])) upstreams.shift();
      if (opens) proxyDepth = depth;
    } else if (words[0] === 'to' && proxyDepth >= 0 && depth === proxyDepth + 1) upstreams = words.slice(1);
    for (const u of upstreams) {
      if (u.includes('{') || u.includes('$') || /^unix\//i.test(u)) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
        out.push(...findHosts(u).map((h) => ({ ...h, position: true })));
        continue;
      }
      // Caddy dials an upstream written without a port on 80 (reverse_proxy's parseUpstreamDialAddress).
      const h = wholeHost(u);
      if (h) out.push(h.port === undefined ? { ...h, defaultPort: 80 } : h);
    }
    if (opens) depth++;
    if (line === '}' || line.endsWith('}')) {
      depth = Math.max(0, depth - 1);
      if (depth <= proxyDepth) proxyDepth = -1;
    }
  }
  return out;
}

/**
 * XML configuration (ClickHouse's `<remote_servers>` and `<zookeeper>`, Hadoop's `<value>`s):
 * an element named like a host (`<host>`, `<hostname>`, `<address>`) holds one, with the port of
 * a `<port>` beside it in the same parent element; URLs and `host:port` anywhere in the text too.
 */
function xmlHosts(text: string): HostRef[] {
  const src = text.replace(/<!--[\s\S]*?-->/g, (c) => ' '.repeat(c.length));
  const out: HostRef[] = [];
  for (const m of src.matchAll(/<(host|hostname|address|server)>\s*([^<\s]+)\s*<\/\1>/gi)) {
    const h = wholeHost(m[2]!);
    if (!h) continue;
    // The port beside it: a `<port>` among the simple elements next to it in the same parent.
    const after = /^(?:\s*<(\w+)>[^<]*<\/\1>)*/.exec(src.slice(m.index! + m[0].length))?.[0] ?? '';
    const before = /(?:<(\w+)>[^<]*<\/\1>\s*)*$/.exec(src.slice(Math.max(0, m.index! - 2000), m.index))?.[0] ?? '';
    const port = /<port>\s*(\d{1,5})\s*<\/port>/i.exec(after)?.[1] ?? /<port>\s*(\d{1,5})\s*<\/port>/i.exec(before)?.[1];
    out.push(port !== undefined && h.port === undefined ? { ...h, port: Number(port) } : h);
  }
  // URLs and other host patterns in element texts (`<value>hdfs://namenode:8020</value>`).
  const plain = src.replace(/<(host|hostname|address|server)>[^<]*<\/\1>/gi, (x) => ' '.repeat(x.length));
  out.push(...findHosts(plain));
  return out;
}

/**
 * Python settings (Django's `DATABASES = {"default": {"HOST": "db", "PORT": "5433"}}`): a
 * string under a host key of a dict or an assignment, with the port of the same dict; other
 * hosts by the text's patterns. Whole-line comments are not read.
 */
function pythonHosts(text: string): HostRef[] {
  const src = blankComments(text, ['#']);
  const out: HostRef[] = [];
  const pairs = /(["'])([A-Za-z_][\w.-]*)\1\s*:\s*(["'])([^"'\n]*)\3|(?:^|\n)\s*([A-Za-z_]\w*)\s*=\s*(["'])([^"'\n]*)\6/g;
  const found: { key: string; value: string; at: number }[] = [];
  for (const m of src.matchAll(pairs)) found.push(m[2] !== undefined ? { key: m[2], value: m[4]!, at: m.index! } : { key: m[5]!, value: m[7]!, at: m.index! });
  const used = new Set<string>();
  for (const f of found) {
    if (!HOST_KEY.test(f.key) || NOT_DIALLED_KEY.test(f.key)) continue;
    // The port key of the same dict: the nearest one within its braces.
    const portKey = siblingPortKey(f.key);
    const open = src.lastIndexOf('{', f.at);
    const close = src.indexOf('}', f.at);
    const sibling = portKey === undefined ? undefined : found.find((g) => g.key === portKey && (open < 0 || (g.at > open && (close < 0 || g.at < close))));
    const port = sibling && /^\d{1,5}$/.test(sibling.value.trim()) ? Number(sibling.value.trim()) : undefined;
    const refs = valueHosts(f.key, f.value);
    out.push(...(port === undefined ? refs : withPort(refs, port)));
    used.add(f.value);
  }
  out.push(...findHosts(src).filter((h) => !used.has(h.text)));
  return out;
}

/** HAProxy: `server <name> <host>[:port] …` and `server-template <prefix> <n> <host>[:port]`. */
/** Fluent Bit's `[OUTPUT]` sections and Fluentd's `<match>`, `<store>` and `<server>` blocks. */
const FLUENT_SECTION = /^\s*(?:\[(?:OUTPUT|INPUT|FILTER|SERVICE)\]|<(?:match|store|server|source)\b[^>]*>)\s*$/im;

/**
 * The servers Fluent Bit and Fluentd send to: `Host` and `Port` lines (a key, spaces, a value)
 * of one section or block, the port only when the same section writes it.
 */
function fluentHosts(text: string): HostRef[] {
  const out: HostRef[] = [];
  let host: { value: string } | undefined;
  let port: number | undefined;
  // The plugin of the section or block (Fluent Bit's `Name loki`, Fluentd's `@type forward`),
  // whose default port a `Host` without `Port` dials.
  let plugin: string | undefined;
  let section = '';
  const stack: string[] = [];
  const flush = () => {
    const h = host ? wholeHost(host.value) : undefined;
    const dflt = port === undefined ? fluentDefaultPort(section, plugin, stack) : undefined;
    if (h) out.push({ ...h, ...(port !== undefined ? { port } : {}), ...(dflt !== undefined && h.port === undefined ? { defaultPort: dflt } : {}) });
    host = undefined;
    port = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^\[[^\]]*\]$/.test(line)) {
      flush();
      section = line.slice(1, -1).toUpperCase();
      plugin = undefined;
      continue;
    }
    const tag = /^<(\/?)([a-z]+)\b/i.exec(line);
    if (tag) {
      flush();
      if (tag[1]) {
        if (stack.pop() === 'store' || stack.length === 0) plugin = undefined;
      } else stack.push(tag[2]!.toLowerCase());
      section = '';
      continue;
    }
    const name = /^(?:name|@type)\s+(\S+)$/i.exec(line);
    if (name) {
      // A Fluent Bit section's `Name`; a Fluentd `<match>` or `<store>` block's `@type` (not a `<buffer>`'s or `<format>`'s).
      if (stack.length === 0 ? !line.startsWith('@') : line.startsWith('@') && (stack.length === 1 || stack.at(-1) === 'store')) plugin = name[1]!.toLowerCase();
      continue;
    }
    // fluent-plugin-elasticsearch and -opensearch: `hosts a:9200,b:9200` (each with its port).
    const list = /^hosts\s+(\S+)$/i.exec(line);
    if (list) {
      for (const item of list[1]!.split(',')) {
        const h = wholeHost(item.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''));
        if (h) out.push(h);
      }
      continue;
    }
    const m = /^(host|port)\s+(\S+)$/i.exec(line);
    if (!m) continue;
    if (m[1]!.toLowerCase() === 'host') host = { value: m[2]! };
    else if (/^\d{1,5}$/.test(m[2]!)) port = Number(m[2]);
  }
  flush();
  return out;
}

/**
 * The port a Fluent Bit output or a Fluentd block dials when it names none: Fluent Bit's
 * `[OUTPUT]` plugins by `Name` (its documentation's defaults), Fluentd's out_forward `<server>`
 * (24224) and out_elasticsearch or out_opensearch `host` (9200).
 */
const FLUENT_BIT_PORTS: Record<string, number> = { loki: 3100, es: 9200, opensearch: 9200, forward: 24224, http: 80, splunk: 8088, influxdb: 8086, gelf: 12201, syslog: 514, tcp: 5170, opentelemetry: 80 };
const FLUENTD_PORTS: Record<string, number> = { forward: 24224, elasticsearch: 9200, opensearch: 9200 };
function fluentDefaultPort(section: string, plugin: string | undefined, stack: readonly string[]): number | undefined {
  if (!plugin) return undefined;
  if (section === 'OUTPUT') return Object.hasOwn(FLUENT_BIT_PORTS, plugin) ? FLUENT_BIT_PORTS[plugin] : undefined;
  if (section === '' && stack.length && (stack[0] === 'match' || stack[0] === 'store' || stack.includes('store'))) {
    return Object.hasOwn(FLUENTD_PORTS, plugin) && (plugin !== 'forward' || stack.at(-1) === 'server') ? FLUENTD_PORTS[plugin] : undefined;
  }
  return undefined;
}

/**
 * Varnish's backends: `backend name { .host = "api"; .port = "8080"; }`. varnishd resolves
 * `.host` when it compiles the VCL (a name that does not resolve fails the load) and dials
 * `.port`, 80 when the block names none (`.host` may carry the port itself).
 */
function vclHosts(text: string): HostRef[] {
  const body = text.split(/\r?\n/).map((l) => l.replace(/(^|\s)(#|\/\/).*$/, '$1')).join('\n');
  const out: HostRef[] = [];
  for (const m of body.matchAll(/\bbackend\s+[A-Za-z0-9_]+\s*\{([^}]*)\}/g)) {
    const block = m[1]!;
    const host = /\.host\s*=\s*"([^"]*)"/.exec(block)?.[1];
    if (!host) continue;
    const port = /\.port\s*=\s*"?(\d{1,5})"?/.exec(block)?.[1];
    const h = wholeHost(host);
    if (!h) continue;
    out.push({ ...h, text: host, ...(h.port === undefined && port ? { port: Number(port) } : {}), ...(h.port === undefined && !port ? { defaultPort: 80 } : {}) });
  }
  return out;
}

/** A Logstash pipeline's `hosts => …` setting. */
const LOGSTASH_HOSTS = /\bhosts\s*=>\s*[["']/;

/**
 * The Elasticsearch or OpenSearch servers a Logstash pipeline's output (or filter) sends to:
 * `hosts => ["es:9200", "http://es2"]`, each without a port on 9200 (the plugins' default).
 * `${ES_HOSTS}` placeholders and other plugins' `hosts` are left alone.
 */
function logstashHosts(text: string): HostRef[] {
  const body = text.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '$1')).join('\n');
  const out: HostRef[] = [];
  for (const m of body.matchAll(/\bhosts\s*=>\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/g)) {
    const before = body.slice(0, m.index);
    const plugin = [...before.matchAll(/([a-z_]+)\s*\{/g)].at(-1)?.[1];
    if (plugin !== 'elasticsearch' && plugin !== 'opensearch') continue;
    for (const q of m[1]!.matchAll(/"([^"]*)"|'([^']*)'/g)) {
      const v = (q[1] ?? q[2] ?? '').trim();
      if (v === '' || v.includes('$')) continue;
      const h = wholeHost(v.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''));
      if (h) out.push({ ...h, text: v, ...(h.port === undefined ? { defaultPort: 9200 } : {}) });
    }
  }
  return out;
}

/** Redis and Sentinel directives that dial a server: `replicaof <host> <port>`, `sentinel monitor <name> <host> <port> <quorum>`. */
const REDIS_DIRECTIVE = /^\s*(?:replicaof|slaveof|sentinel\s+monitor\s+\S+)\s+\S+\s+\d{1,5}\b/m;

/** The servers a `redis.conf` or `sentinel.conf` replicates from or monitors, with their ports. */
function redisHosts(text: string): HostRef[] {
  const out: HostRef[] = [];
  // Sentinel takes a host name in `sentinel monitor` only with `sentinel resolve-hostnames yes`
  // (Redis 6.2+); else it stops at start ("Can't resolve instance hostname").
  const resolves = /^\s*sentinel\s+resolve-hostnames\s+yes\b/im.test(text);
  for (const l of text.split(/\r?\n/)) {
    const m = /^\s*(replicaof|slaveof|sentinel\s+monitor\s+\S+)\s+(\S+)\s+(\d{1,5})(?:\s|$)/i.exec(l);
    if (!m) continue;
    const h = wholeHost(m[2]!);
    const sentinel = /^sentinel/i.test(m[1]!) && !resolves;
    if (h) out.push({ ...h, text: `${m[2]} ${m[3]}`, port: Number(m[3]), ...(sentinel ? { lookup: { how: 'never' as const, why: 'Redis Sentinel takes a host name in `sentinel monitor` only with `sentinel resolve-hostnames yes`, which the file does not set: Sentinel stops at start ("Can\'t resolve instance hostname")' } } : {}) });
  }
  return out;
}

function haproxyHosts(text: string): HostRef[] {
  const out: HostRef[] = [];
  // A server without a port is dialled on the port the client came in on: known where the
  // file's frontends bind one port only.
  const bound = [...new Set(haproxyBinds(text).map((b) => b.port))];
  for (const l of text.split(/\r?\n/).map(noComment)) {
    const s = /^\s*server\s+\S+\s+([^\s]+)/.exec(l) ?? /^\s*server-template\s+\S+\s+\S+\s+([^\s]+)/.exec(l);
    if (!s) continue;
    const h = wholeHost(s[1]!);
    if (h) out.push(h.port === undefined && bound.length === 1 ? { ...h, defaultPort: bound[0]! } : h);
  }
  return out;
}
