import path from 'node:path/posix';
import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { mountedTree, type MountedFile } from './mounts.js';
import { yamlValues } from './config-files.js';
import { commandLines, commandStart, envOf, isLoopbackHost, type LoopbackBind } from './bind.js';
import type { ListenEvidence } from './listen.js';

/**
 * Where a Spring Boot application listens (`server.port`, `server.address`, and the actuator's
 * `management.server.port`), read the way Spring Boot's externalized configuration ranks its
 * sources, highest first: command-line arguments (`--server.port=8081`),
 * `SPRING_APPLICATION_JSON`, Java system properties (`-Dserver.port`), environment variables
 * (`SERVER_PORT`), then the config data files: for each location (by default
 * `classpath:/`, `classpath:/config/`, `file:./`, `file:./config/`, `file:./config/STAR/`, later
 * ones winning; `spring.config.location` replaces them, `spring.config.additional-location`
 * adds after them) the non-profile files (`application.properties` over `application.yml` in one
 * location), then the profile-specific ones (`application-prod.yml`) of every location;
 * multi-document files with `spring.config.activate.on-profile` and `on-cloud-platform`;
 * `${NAME:default}` placeholders. The files of the classpath (inside the image) are not in the
 * run: a setting they could make is unknown, never guessed.
 *
 * Held to Spring Boot itself by test/spring-differential.test.ts.
 */

/** A file the run knows is in the container's file system. */
export type SpringFile = MountedFile;

/** What the application sees: its files, environment, arguments and working directory. */
export interface SpringInput {
  files: readonly SpringFile[];
  /** Literal environment variables. */
  env: ReadonlyMap<string, string>;
  /** Whether variables the run cannot read may be set (`envFrom`, `valueFrom`). */
  envOpen: boolean;
  /** The application's arguments (after the main class or `-jar app.jar`). */
  args: readonly string[];
  /** `-Dname=value` of the java command line and of `JAVA_TOOL_OPTIONS`/`JDK_JAVA_OPTIONS`. */
  sysProps: ReadonlyMap<string, string>;
  /** The working directory, `./` of the file locations. */
  cwd: string;
  /** Paths whose contents the run cannot see (folders end in `/`): what Spring Boot reads there is unknown. */
  opaque?: readonly string[];
}

/** One setting as Spring Boot resolves it, with what decided it. */
export interface SpringSetting {
  value: string;
  /** `server.port: 8081 in ConfigMap app-config, key application.yml`. */
  text: string;
  /** `file` when a config data file of the run decided it; otherwise the source's kind. */
  from: 'arg' | 'json' | 'sysprop' | 'env' | 'file' | 'default';
  file?: SpringFile;
}

export interface SpringListen {
  /** Undefined when it is not decided by what the run can see. */
  port?: SpringSetting;
  address?: SpringSetting;
  management?: SpringSetting;
  /** Where the actuator's endpoints are (`management.endpoints.web.base-path`, `/actuator` by default). */
  actuatorPath?: SpringSetting;
  /** `server.servlet.context-path` when the run sets it: every path of a servlet application's server is below it. */
  contextPath?: SpringSetting;
  /** The config data files of the run that Spring Boot reads. */
  read: SpringFile[];
  /** No `management.server.port` the run sees, but a location named on purpose that the run does not hold (the image's) may set one. */
  managementUnknown?: boolean;
}

type Props = Map<string, string>;

/** Documents of one config data file, with their activation conditions. */
interface Doc {
  props: Props;
  onProfile?: string;
  onCloud?: string;
}


/** A YAML or JSON tree as dotted property names (`server: {port: 1}` → `server.port`), lists joined with commas. */
export function flattenProps(value: unknown, prefix: string, out: Map<string, string>): boolean {
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) if (!flattenProps(v, prefix ? `${prefix}.${k}` : k, out)) return false;
    return true;
  }
  if (Array.isArray(value)) {
    // Lists are joined as Spring binds them to a comma-separated value (profiles, locations).
    if (value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out.set(prefix, value.join(','));
    return true;
  }
  if (value === null || value === undefined) out.set(prefix, '');
  else out.set(prefix, String(value));
  return true;
}

/** The documents of a `.properties` file (`#---` or `!---` separates them), as java.util.Properties reads each. */
export function propertiesDocs(text: string): Props[] {
  const docs: Props[] = [new Map()];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (/^[#!]---\s*$/.test(line)) {
      docs.push(new Map());
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    const m = /^((?:\\.|[^=:\s\\])*)[ \t\f]*(?:[=:][ \t\f]*)?(.*)$/.exec(line);
    if (!m) continue;
    const unescape = (s: string) => s.replace(/\\u([0-9a-fA-F]{4})|\\(.)/g, (_, u: string | undefined, c: string | undefined) => (u ? String.fromCharCode(parseInt(u, 16)) : c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'f' ? '\f' : c!));
    docs.at(-1)!.set(unescape(m[1]!), unescape(m[2]!));
  }
  return docs;
}

/** The documents of a YAML file; undefined when it does not parse (Spring Boot would not start). */
function yamlDocs(text: string): Props[] | undefined {
  const values = yamlValues(text);
  if (!values) return undefined;
  const out: Props[] = [];
  for (const v of values) {
    const props: Props = new Map();
    if (v !== null && v !== undefined && !isRecord(v)) return undefined;
    if (v !== null && v !== undefined) flattenProps(v, '', props);
    out.push(props);
  }
  return out;
}

function docsOf(file: SpringFile): Doc[] | undefined {
  const raw = /\.properties$/.test(file.path) ? propertiesDocs(file.text) : yamlDocs(file.text);
  if (!raw) return undefined;
  return raw.map((props) => {
    const onProfile = props.get('spring.config.activate.on-profile');
    const onCloud = props.get('spring.config.activate.on-cloud-platform');
    return { props, ...(onProfile !== undefined ? { onProfile } : {}), ...(onCloud !== undefined ? { onCloud } : {}) };
  });
}

/** A profile expression (`prod`, `!prod`, `a & b`, `a | b`, a comma list of them) against the active profiles; undefined when too complex. */
export function profileMatches(expr: string, active: readonly string[]): boolean | undefined {
  const parts = expr.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  let any = false;
  for (const p of parts) {
    if (/[()]/.test(p)) return undefined;
    const ors = p.split('|').map((x) => x.trim());
    const ok = ors.some((o) => o.split('&').map((x) => x.trim()).every((term) => (term.startsWith('!') ? !active.includes(term.slice(1).trim()) : active.includes(term))));
    if (ok) any = true;
  }
  return any;
}

/**
 * The environment variables Spring Boot reads for a property: `server.port` → `SERVER_PORT`;
 * dashes are dropped (`SPRING_CONFIG_ADDITIONALLOCATION`) or, the legacy form, made underscores
 * (`SPRING_CONFIG_ADDITIONAL_LOCATION`).
 */
export const envNames = (prop: string): string[] => [...new Set([prop, prop.replace(/-/g, '').replace(/\./g, '_').toUpperCase(), prop.replace(/[.-]/g, '_').toUpperCase()])];

/** A property as the higher sources give it: arguments, SPRING_APPLICATION_JSON, system properties, environment. */
interface High {
  get(name: string): { value: string; from: SpringSetting['from']; text: string } | 'unknown' | undefined;
}

function highSources(input: SpringInput): High | undefined {
  const args: Props = new Map();
  for (const a of input.args) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(a);
    if (m) args.set(m[1]!, m[2] ?? '');
  }
  const json: Props = new Map();
  const jsonText = args.get('spring.application.json') ?? input.sysProps.get('spring.application.json') ?? input.env.get('SPRING_APPLICATION_JSON');
  if (jsonText !== undefined) {
    try {
      const v = JSON.parse(jsonText) as unknown;
      if (!isRecord(v)) return undefined;
      flattenProps(v, '', json);
    } catch {
      return undefined;
    }
  }
  return {
    get(name) {
      if (args.has(name)) return { value: args.get(name)!, from: 'arg', text: `--${name}=${args.get(name)}` };
      if (json.has(name)) return { value: json.get(name)!, from: 'json', text: `SPRING_APPLICATION_JSON ${name}=${json.get(name)}` };
      if (input.sysProps.has(name)) return { value: input.sysProps.get(name)!, from: 'sysprop', text: `-D${name}=${input.sysProps.get(name)}` };
      for (const n of envNames(name)) if (input.env.has(n)) return { value: input.env.get(n)!, from: 'env', text: `env ${n}=${input.env.get(n)}` };
      return input.envOpen ? 'unknown' : undefined;
    },
  };
}

/** One config data location: a folder (`./config/`) or a file; `unknown` for the classpath, which is in the image. */
type Location = { kind: 'dir'; dir: string; explicit: boolean } | { kind: 'file'; file: string; explicit: boolean } | { kind: 'unknown' };

/**
 * The groups of locations a `spring.config.location` value names: items separated by `,` are
 * groups of their own, `;` joins locations into one group. A later group wins over an earlier one
 * whole; within a group, the profile-specific files of every location win over the plain ones.
 */
function locationGroups(spec: string, cwd: string, files: readonly SpringFile[], explicit: boolean, opaque: readonly string[]): Location[][] | undefined {
  const out: Location[][] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const group = locations(item, cwd, files, explicit, opaque);
    if (!group) return undefined;
    out.push(group);
  }
  return out;
}

function locations(spec: string, cwd: string, files: readonly SpringFile[], explicit: boolean, opaque: readonly string[]): Location[] | undefined {
  const out: Location[] = [];
  for (const raw of spec.split(';').map((s) => s.trim()).filter(Boolean)) {
    let loc = raw.replace(/^optional:/, '');
    if (loc.startsWith('classpath:') || loc.startsWith('classpath*:')) {
      out.push({ kind: 'unknown' });
      continue;
    }
    if (/^[a-z]+:/.test(loc) && !loc.startsWith('file:')) return undefined;
    loc = loc.replace(/^file:/, '');
    const dir = loc.endsWith('/');
    const abs = path.resolve(cwd, loc) + (dir ? '/' : '');
    if (abs.endsWith('/*/')) {
      // Every folder below, in the order of their names.
      const parent = abs.slice(0, -2);
      const subs = [...new Set([...files.map((f) => f.path), ...opaque.filter((o) => o.endsWith('/'))].filter((f) => f.startsWith(parent) && f.slice(parent.length).split('/').length === 2).map((f) => f.slice(parent.length).split('/')[0]!))].sort();
      for (const s of subs) out.push({ kind: 'dir', dir: `${parent}${s}/`, explicit });
    } else if (abs.includes('*')) return undefined;
    else out.push(dir ? { kind: 'dir', dir: abs, explicit } : { kind: 'file', file: abs, explicit });
  }
  return out;
}

const DEFAULT_LOCATIONS = 'optional:classpath:/;optional:classpath:/config/,optional:file:./;optional:file:./config/;optional:file:./config/*/';
const EXTENSIONS = ['yml', 'yaml', 'properties'];

/**
 * How Spring Boot resolves `server.port`, `server.address` and `management.server.port` for
 * an application that sees `input`; undefined when the input uses what is not modelled
 * (`spring.config.import`, `spring.profiles.include`, profile groups, unparsable files).
 */
export function springListen(input: SpringInput): SpringListen | undefined {
  const high = highSources(input);
  if (!high) return undefined;
  const value = (name: string) => {
    const h = high.get(name);
    return h === 'unknown' ? 'unknown' : h?.value;
  };
  for (const name of ['spring.config.import', 'spring.profiles.include', 'spring.config.on-not-found']) if (value(name) !== undefined) return undefined;
  const names = (value('spring.config.name') ?? 'application');
  const located = value('spring.config.location');
  const additional = value('spring.config.additional-location');
  if (names === 'unknown' || located === 'unknown' || additional === 'unknown') return undefined;
  const locs = locationGroups(located ?? DEFAULT_LOCATIONS, input.cwd, input.files, located !== undefined, input.opaque ?? []);
  const more = additional === undefined ? [] : locationGroups(additional, input.cwd, input.files, true, input.opaque ?? []);
  if (!locs || !more) return undefined;
  const groups = [...locs, ...more];
  const byPath = new Map(input.files.map((f) => [f.path, f]));
  const nameList = names.split(',').map((n) => n.trim()).filter(Boolean);

  /** The files of one location for a profile (undefined: the non-profile ones), in the order Spring applies them. */
  const filesAt = (loc: Location, profile: string | undefined): SpringFile[] | 'unknown' => {
    if (loc.kind === 'unknown') return 'unknown';
    // A location named on purpose that no file of the run is in: the image holds what is there.
    if (loc.explicit && !input.files.some((f) => (loc.kind === 'dir' ? f.path.startsWith(loc.dir) : f.path === loc.file || f.path.startsWith(`${loc.file.replace(/\.[^./]+$/, '')}-`)))) return 'unknown';
    // The files Spring Boot looks for there, in the order it applies them.
    let candidates: string[];
    if (loc.kind === 'file') {
      const m = /^(.*)\.(properties|ya?ml)$/.exec(loc.file);
      if (!m) return [];
      candidates = [profile === undefined ? loc.file : `${m[1]}-${profile}.${m[2]}`];
    } else candidates = nameList.flatMap((n) => EXTENSIONS.map((ext) => `${loc.dir}${n}${profile === undefined ? '' : `-${profile}`}.${ext}`));
    // One the run cannot see into (a Secret not in the run, an emptyDir) may be there.
    const covers = (o: string, p: string) => p === o || p.startsWith(o.endsWith('/') ? o : `${o}/`);
    if (input.opaque?.some((o) => candidates.some((c) => covers(o, c)))) return 'unknown';
    return candidates.flatMap((c) => (byPath.has(c) ? [byPath.get(c)!] : []));
  };

  type Contribution = { file: SpringFile; doc: Doc } | 'unknown';
  const parsed = new Map<SpringFile, Doc[] | undefined>();
  const docs = (f: SpringFile) => {
    if (!parsed.has(f)) parsed.set(f, docsOf(f));
    return parsed.get(f);
  };
  /**
   * The contributions of a group's locations for the profiles given (undefined: the plain
   * files). Profile by profile, each through every location of the group, as Spring Boot's
   * StandardConfigDataLocationResolver orders them: a later profile's file in `./` beats an
   * earlier profile's in `./config/`.
   */
  const contributions = (group: Location[], profiles: (string | undefined)[]): Contribution[] | undefined => {
    const out: Contribution[] = [];
    for (const profile of profiles) {
      for (const loc of group) {
        const fs = filesAt(loc, profile);
        if (fs === 'unknown') {
          out.push('unknown');
          continue;
        }
        for (const f of fs) {
          const ds = docs(f);
          if (!ds) return undefined;
          for (const doc of ds) out.push({ file: f, doc });
        }
      }
    }
    return out;
  };
  const plain = groups.map((g) => contributions(g, [undefined]));
  if (plain.some((p) => p === undefined)) return undefined;
  const first = (plain as Contribution[][]).flat();
  // Profiles: from the higher sources, else from the files' documents without a profile condition.
  let profileText = value('spring.profiles.active');
  if (profileText === 'unknown') return undefined;
  let profileUnknown = false;
  if (profileText === undefined) {
    for (const c of first) {
      if (c === 'unknown') {
        // The image's own files may activate profiles.
        profileUnknown = true;
        continue;
      }
      if (c.doc.onProfile !== undefined) continue;
      if (c.doc.props.has('spring.profiles.include') || [...c.doc.props.keys()].some((k) => k.startsWith('spring.profiles.group') || k === 'spring.config.import' || k === 'spring.profiles')) return undefined;
      const p = c.doc.props.get('spring.profiles.active');
      if (p !== undefined) {
        profileText = p;
        profileUnknown = false;
      }
    }
  }
  for (const c of first) if (c !== 'unknown' && [...c.doc.props.keys()].some((k) => k === 'spring.config.import' || k === 'spring.profiles' || k.startsWith('spring.profiles.group') || k === 'spring.profiles.include')) return undefined;
  const active = profileText === undefined || profileText.trim() === '' ? ['default'] : profileText.split(',').map((p) => p.trim()).filter(Boolean);
  const order: Contribution[] = [];
  for (const [i, g] of groups.entries()) {
    const own = contributions(g, active);
    if (!own) return undefined;
    order.push(...plain[i]!, ...own);
  }
  const read = [...new Set(order.flatMap((c) => (c === 'unknown' ? [] : [c.file])))];
  /** Whether a document applies; undefined when that depends on what the run cannot see. */
  const applies = (d: Doc): boolean | undefined => {
    if (d.onCloud !== undefined && d.onCloud.trim().toLowerCase() !== 'kubernetes') return false;
    if (d.onProfile === undefined) return true;
    if (profileUnknown) return undefined;
    return profileMatches(d.onProfile, active);
  };

  const resolveProp = (name: string, depth: number): SpringSetting | 'unknown' | undefined => {
    const h = high.get(name);
    if (h === 'unknown') return 'unknown';
    if (h) return { value: h.value, from: h.from, text: h.text };
    // A placeholder that names an environment variable (`${PORT:8080}`) is taken to mean it: the image's files are not searched for it.
    const variable = depth > 0 && /^[A-Z][A-Z0-9_]*$/.test(name);
    for (let i = order.length - 1; i >= 0; i--) {
      const c = order[i]!;
      if (c === 'unknown') {
        if (variable) continue;
        return 'unknown';
      }
      if (!c.doc.props.has(name)) continue;
      const a = applies(c.doc);
      if (a === undefined) return 'unknown';
      if (!a) continue;
      const v = c.doc.props.get(name)!;
      return { value: v, from: 'file', text: `${name}: ${v} in ${c.file.source}`, file: c.file };
    }
    return undefined;
  };

  /** `${a:b}` resolved as Spring's placeholders are: a property or variable, else the default. */
  const resolve = (s: SpringSetting, depth = 0): SpringSetting | 'unknown' => {
    if (!s.value.includes('${')) return s;
    if (depth > 5) return 'unknown';
    let unknown = false;
    const v = s.value.replace(/\$\{([^}:]+)(?::([^}]*))?\}/g, (_, key: string, def: string | undefined) => {
      const r = resolveProp(key.trim(), depth + 1);
      if (r === 'unknown') {
        unknown = true;
        return '';
      }
      if (r !== undefined) {
        const inner = resolve(r, depth + 1);
        if (inner === 'unknown') {
          unknown = true;
          return '';
        }
        return inner.value;
      }
      if (def === undefined) {
        unknown = true;
        return '';
      }
      return def;
    });
    if (unknown || v.includes('${')) return 'unknown';
    return { ...s, value: v };
  };

  const setting = (name: string, fallback?: string): SpringSetting | undefined => {
    const r = resolveProp(name, 0);
    if (r === 'unknown') return undefined;
    if (r === undefined) {
      // Not set anywhere the run sees: the classpath may set it, else the default holds.
      if (order.includes('unknown') || fallback === undefined) return undefined;
      return { value: fallback, from: 'default', text: `${name}'s default ${fallback}` };
    }
    const x = resolve(r);
    return x === 'unknown' ? undefined : x;
  };
  const port = setting('server.port', '8080');
  const address = setting('server.address');
  const management = setting('management.server.port');
  // The actuator's base path, under the management server's own context path when it has a port of its own.
  const base = setting('management.endpoints.web.base-path', '/actuator');
  const context = setting('management.server.base-path', '');
  const actuatorPath = base && context ? { ...base, value: `${context.value.replace(/\/$/, '')}${base.value}` } : undefined;
  // Relaxed binding: `contextPath` in a file binds as `context-path` does.
  const contextPath = setting('server.servlet.context-path') ?? setting('server.servlet.contextPath');
  // A location named on purpose that no file of the run is in (`optional:file:/etc/app/custom.yml`) is the image's: it may set the actuator's port.
  const unseen = groups.flat().some((loc) => loc.kind !== 'unknown' && loc.explicit && filesAt(loc, undefined) === 'unknown');
  return { ...(port ? { port } : {}), ...(address ? { address } : {}), ...(management ? { management } : {}), ...(actuatorPath ? { actuatorPath } : {}), ...(contextPath ? { contextPath } : {}), read, ...(!management && unseen ? { managementUnknown: true } : {}) };
}

/** A config data file name Spring Boot reads by default: `application.yml`, `application-prod.properties`. */
const isAppConfig = (p: string): boolean => /(^|\/)application(-[^/]+)?\.(properties|ya?ml)$/.test(p);

/**
 * The Java command line of a container: its system properties and the application's arguments.
 * Without a command the image's entrypoint runs (`java -jar app.jar`): `args` are the application's.
 */
function javaCommand(raw: Record<string, unknown>, env: Map<string, string>): { args: string[]; sysProps: Map<string, string>; path?: Path } | undefined {
  const sysProps = new Map<string, string>();
  for (const name of ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', 'JAVA_OPTS']) {
    for (const w of (env.get(name) ?? '').split(/\s+/)) {
      const m = /^-D([^=]+)=(.*)$/.exec(w);
      if (m) sysProps.set(m[1]!, m[2]!);
    }
  }
  if (!Array.isArray(raw.command)) {
    const args = (Array.isArray(raw.args) ? raw.args : []).filter((a): a is string => typeof a === 'string');
    // Arguments that start another program (`sh -c …`, `java …`) replace the application's.
    if (args.length && !args[0]!.startsWith('-')) {
      const line = commandLines(raw, env);
      return fromLine(line.length === 1 ? line[0]!.map((w) => w.word) : [], sysProps);
    }
    return { args, sysProps };
  }
  const lines = commandLines(raw, env).map((l) => l.map((w) => w.word));
  const java = lines.filter((l) => /(^|\/)java$/.test(l[commandStart(l)] ?? ''));
  if (java.length !== 1) return undefined;
  return fromLine(java[0]!, sysProps);
}

function fromLine(words: string[], sysProps: Map<string, string>): { args: string[]; sysProps: Map<string, string> } | undefined {
  const start = commandStart(words);
  if (!/(^|\/)java$/.test(words[start] ?? '')) return undefined;
  for (let i = start + 1; i < words.length; i++) {
    const w = words[i]!;
    const d = /^-D([^=]+)=(.*)$/.exec(w);
    if (d) sysProps.set(d[1]!, d[2]!);
    else if (w === '-jar') return { args: words.slice(i + 2), sysProps };
    else if (w === '-cp' || w === '-classpath' || w === '--class-path') i++;
    // Any other word is a JVM option, until the main class.
    else if (!w.startsWith('-')) return { args: words.slice(i + 1), sysProps };
  }
  return { args: [], sysProps };
}

/**
 * Where a container's Spring Boot application listens, by its mounted config data files and the
 * rest of its configuration; undefined when it mounts none, or the answer rests on what the run
 * cannot see. `assumed` names the working directory taken when the container sets none (the
 * image's WORKDIR decides it): the answer is then a likelihood, not proof.
 */
export function springConfig(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): (SpringListen & { assumed?: string }) | undefined {
  if (configCache.has(raw)) return configCache.get(raw);
  const out = readSpringConfig(graph, t, raw);
  configCache.set(raw, out);
  return out;
}

const configCache = new WeakMap<Record<string, unknown>, (SpringListen & { assumed?: string }) | undefined>();

function readSpringConfig(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): (SpringListen & { assumed?: string }) | undefined {
  if (!Array.isArray(raw.volumeMounts) || raw.volumeMounts.length === 0) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  const { env, named, envFrom } = envOf(raw);
  if (!files.some((f) => isAppConfig(f.path)) && !env.has('SPRING_CONFIG_LOCATION') && !env.has('SPRING_CONFIG_ADDITIONAL_LOCATION')) return undefined;
  const java = javaCommand(raw, env);
  if (!java) return undefined;
  const envOpen = envFrom || [...named].some((n) => !env.has(n));
  const input = { files, env, envOpen, args: java.args, sysProps: java.sysProps, opaque };
  const wd = typeof raw.workingDir === 'string' && raw.workingDir.startsWith('/') ? raw.workingDir : undefined;
  if (wd) return springListen({ ...input, cwd: wd });
  // The image's WORKDIR is not in the run. The answer stands when every working directory
  // gives it: one that holds none of the mounted files, the root, and the folder the mounted
  // files suggest (`/app/config/application.yml`: `/app`). Else that folder is assumed.
  const dirs = [...new Set(files.filter((f) => isAppConfig(f.path)).map((f) => path.dirname(f.path).replace(/\/config(\/[^/]+)?$/, '') || '/'))];
  const answers = ['/nonexistent-working-directory', '/', ...dirs].map((cwd) => springListen({ ...input, cwd }));
  const same = (a: SpringSetting | undefined, b: SpringSetting | undefined) => a?.value === b?.value && a?.text === b?.text;
  if (answers.every((a) => a && same(a.port, answers[0]!.port) && same(a.address, answers[0]!.address) && same(a.management, answers[0]!.management))) {
    // The context path only where every working directory gives the same one.
    if (answers.every((a) => same(a!.contextPath, answers[0]!.contextPath))) return answers[0];
    const { contextPath: _, ...rest } = answers[0]!;
    return rest;
  }
  // A system folder (`/etc/config/…` gives `/etc`) is no application's working directory.
  if (dirs.length !== 1 || /^\/(etc|usr|var|tmp|run|proc|sys|dev|bin|sbin|lib|lib64|boot)(\/|$)/.test(dirs[0]!)) return undefined;
  const r = answers.at(-1);
  return r ? { ...r, assumed: dirs[0]! } : undefined;
}

/** Whether a container may run Spring Boot with configuration from the run (cheap: most do not). */
export function maySpring(raw: Record<string, unknown>): boolean {
  if (!Array.isArray(raw.volumeMounts) || raw.volumeMounts.length === 0) return false;
  if (Array.isArray(raw.env) && raw.env.some((e) => isRecord(e) && typeof e.name === 'string' && /^SPRING_CONFIG_(ADDITIONAL_)?LOCATION$/.test(e.name))) return true;
  return raw.volumeMounts.some((m) => isRecord(m) && [m.mountPath, m.subPath].some((p) => typeof p === 'string' && (isAppConfig(p) || /(^|\/)config\/?$/.test(p))));
}

/** Where a setting is written in the container: the volume mount of its file, or SPRING_APPLICATION_JSON's entry. */
function settingPath(raw: Record<string, unknown>, s: SpringSetting): Path {
  if (s.file?.at !== undefined) return ['volumeMounts', s.file.at];
  const i = (Array.isArray(raw.env) ? raw.env : []).findIndex((e) => isRecord(e) && e.name === 'SPRING_APPLICATION_JSON');
  return i >= 0 ? ['env', i, 'value'] : [];
}

const portNumber = (s: SpringSetting | undefined): number | undefined => {
  const v = s?.value.trim();
  if (v === undefined || !/^\d{1,5}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 65535 ? n : undefined;
};

/**
 * The ports a Spring Boot container listens on when a config data file of the run (or
 * `SPRING_APPLICATION_JSON`, which no other reading covers) decides `server.port`: the server's
 * port, and the actuator's `management.server.port` when it is another.
 */
export function springListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  if (!maySpring(raw)) return undefined;
  const s = springConfig(graph, t, raw);
  const port = portNumber(s?.port);
  if (!s?.port || port === undefined || (s.port.from !== 'file' && s.port.from !== 'json')) return undefined;
  const management = portNumber(s.management);
  const ports = management !== undefined && management !== port ? [port, management] : [port];
  return {
    ports,
    evidence: {
      port,
      text: s.port.text,
      path: settingPath(raw, s.port),
      kind: s.port.from === 'json' ? 'env' : 'config',
      program: 'Spring Boot',
      ...(s.assumed ? { assumed: s.assumed } : {}),
    },
  };
}

/** A Spring Boot container whose configuration from the run binds the server to loopback only on `port`. */
export function springLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  if (!maySpring(raw)) return undefined;
  const s = springConfig(graph, t, raw);
  const a = s?.address;
  if (!s || !a || (a.from !== 'file' && a.from !== 'json') || !isLoopbackHost(a.value.trim())) return undefined;
  // server.address binds the server's port; the actuator's own port listens on every interface unless told otherwise.
  const port = portNumber(s.port);
  if (port === undefined || (target !== undefined && port !== target)) return undefined;
  return {
    address: a.value.trim(),
    port,
    text: a.from === 'json' ? a.text : `server.address: ${a.value.trim()}`,
    ...(a.file ? { source: a.file.source } : {}),
    path: settingPath(raw, a),
    kind: a.from === 'json' ? 'env' : 'config',
    program: 'Spring Boot',
    ...(s.assumed ? { assumed: s.assumed } : {}),
  };
}

/**
 * What a Spring Boot container's probes must agree with: the server's port and, when the
 * actuator has a port of its own (`management.server.port`), that port and the actuator's path,
 * which only it serves. Undefined when the run does not decide them.
 */
export function springProbeView(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { server?: number; management?: number; actuator?: string; evidence?: ListenEvidence; managementEvidence?: ListenEvidence } | undefined {
  if (!maySpring(raw)) return undefined;
  const s = springConfig(graph, t, raw);
  if (!s || s.managementUnknown) return undefined;
  const decided = (x: SpringSetting | undefined) => x !== undefined && (x.from === 'file' || x.from === 'json');
  const server = decided(s.port) ? portNumber(s.port) : undefined;
  const evidence: ListenEvidence | undefined = server === undefined ? undefined : { port: server, text: s.port!.text, path: settingPath(raw, s.port!), kind: s.port!.from === 'json' ? 'env' : 'config', program: 'Spring Boot', ...(s.assumed ? { assumed: s.assumed } : {}) };
  const management = portNumber(s.management);
  if (management === undefined || management === server || !s.management || (server === undefined && !decided(s.management))) return server === undefined ? undefined : { server, evidence };
  return {
    ...(server !== undefined ? { server, evidence } : {}),
    management,
    // With a port of its own, the actuator is never on the server's port, whatever its path: `/actuator` unless the run says otherwise.
    actuator: s.actuatorPath?.value ?? '/actuator',
    managementEvidence: { port: management, text: s.management.text, path: settingPath(raw, s.management), kind: s.management.from === 'file' ? 'config' : s.management.from === 'json' || s.management.from === 'env' ? 'env' : 'flag', program: 'Spring Boot', ...(s.assumed ? { assumed: s.assumed } : {}) },
  };
}
