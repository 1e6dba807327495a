import { hubRepository } from './mounts.js';
import { code } from '../text.js';
import { pathTo, trimmed, type K8sObject, type Path } from '../types/object.js';
import type { ContainerInfo, ContainerPort, NotReadyReason, PodTemplate, Replicas } from '../types/graph.js';
import { isRecord } from '../load/objects.js';

interface TemplateSpot {
  template: Path;
  /** Where labels and spec live relative to the template. */
  replicas: (o: K8sObject) => Replicas;
}

const get = (v: unknown, path: Path): unknown => {
  let cur = v;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    const seg = path[i];
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number') return undefined;
      cur = cur[seg];
    } else {
      if (typeof seg !== 'string') return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
};
export { get as getIn };

/** The pod spec of a template (`spec` of its pod template), or undefined when it is not a map. */
export function templateSpec(t: PodTemplate): Record<string, unknown> | undefined {
  const tpl = t.path.length ? get(t.owner.body, t.path) : t.owner.body;
  const spec = isRecord(tpl) ? tpl.spec : undefined;
  return isRecord(spec) ? spec : undefined;
}

const count = (field: Path, dflt: number) => (o: K8sObject): Replicas => {
  const v = get(o.body, field);
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? { mode: 'count', count: v, path: field } : { mode: 'count', count: dflt };
};

const job = (specPath: Path) => (o: K8sObject): Replicas => {
  const p = get(o.body, [...specPath, 'parallelism']);
  const suspended = get(o.body, ['spec', 'suspend']) === true || get(o.body, [...specPath, 'suspend']) === true;
  return typeof p === 'number' && Number.isInteger(p) && p >= 0
    ? { mode: 'job', count: p, suspended, path: [...specPath, 'parallelism'] }
    : { mode: 'job', count: 1, suspended };
};

/** Kinds whose pods a Service can select, and where their pod template is. */
export const POD_SOURCES: Record<string, TemplateSpot> = {
  Pod: { template: [], replicas: () => ({ mode: 'count', count: 1 }) },
  Deployment: { template: ['spec', 'template'], replicas: count(['spec', 'replicas'], 1) },
  StatefulSet: { template: ['spec', 'template'], replicas: count(['spec', 'replicas'], 1) },
  ReplicaSet: { template: ['spec', 'template'], replicas: count(['spec', 'replicas'], 1) },
  ReplicationController: { template: ['spec', 'template'], replicas: count(['spec', 'replicas'], 1) },
  DaemonSet: { template: ['spec', 'template'], replicas: () => ({ mode: 'per-node' }) },
  Job: { template: ['spec', 'template'], replicas: job(['spec']) },
  CronJob: { template: ['spec', 'jobTemplate', 'spec', 'template'], replicas: job(['spec', 'jobTemplate', 'spec']) },
  Rollout: { template: ['spec', 'template'], replicas: count(['spec', 'replicas'], 1) },
  // OpenKruise's CloneSet (its Advanced StatefulSet and DaemonSet share the built-in kinds' names and shape).
  CloneSet: { template: ['spec', 'template'], replicas: count(['spec', 'replicas'], 1) },
};

export function podSourceOf(o: K8sObject): TemplateSpot | undefined {
  const spot = Object.hasOwn(POD_SOURCES, o.kind) ? POD_SOURCES[o.kind] : undefined;
  if (!spot) return undefined;
  // Argo Rollouts and OpenKruise are the well-known CRDs with a pod template; other kinds of those names are not.
  if (o.kind === 'Rollout' && !o.apiVersion.startsWith('argoproj.io/')) return undefined;
  if (o.kind === 'CloneSet' && !o.apiVersion.startsWith('apps.kruise.io/')) return undefined;
  return spot;
}

/** Reads an integer field leniently (`"8080"` → 8080): its wrong type is reported by field-type-invalid. */
export function lenientInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) return Number(v);
  return undefined;
}

/** A map keyed by names from the input: no prototype, so `constructor` or `__proto__` are plain keys. */
export function keyMap<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/**
 * Label values as the API server stores them: strings. Non-strings are a schema problem
 * reported elsewhere. The map has no prototype: a label may be named `constructor`.
 */
export function stringMap(v: unknown): Record<string, string> {
  const out = keyMap<string>();
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else if (val === null) out[k] = '';
  }
  return out;
}

export function extractTemplate(o: K8sObject, id: number): PodTemplate | undefined {
  const spot = podSourceOf(o);
  if (!spot) return undefined;
  const tpl = get(o.body, spot.template);
  if (!isRecord(tpl)) return undefined;
  const spec = tpl.spec;
  if (!isRecord(spec)) return undefined;
  const labelsPath = pathTo(spot.template, 'metadata', 'labels');
  const specPath = pathTo(spot.template, 'spec');
  const containers: ContainerInfo[] = [];
  const collect = (list: unknown, field: string, sidecarsOnly: boolean) => {
    if (!Array.isArray(list)) return;
    list.forEach((c, i) => {
      if (!isRecord(c)) return;
      if (sidecarsOnly && c.restartPolicy !== 'Always') return;
      containers.push(container(c, pathTo(specPath, field, i), sidecarsOnly));
    });
  };
  collect(spec.containers, 'containers', false);
  collect(spec.initContainers, 'initContainers', true);
  return {
    id,
    owner: o,
    namespace: o.namespace,
    path: spot.template,
    labels: stringMap(get(o.body, labelsPath)),
    labelsPath,
    containers: trimmed(containers),
    replicas: spot.replicas(o),
  };
}

function container(c: Record<string, unknown>, path: Path, sidecar: boolean): ContainerInfo {
  const ports: ContainerPort[] = [];
  if (Array.isArray(c.ports)) {
    c.ports.forEach((p, i) => {
      if (!isRecord(p)) return;
      ports.push({
        name: typeof p.name === 'string' && p.name !== '' ? p.name : undefined,
        containerPort: lenientInt(p.containerPort),
        protocol: typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP',
        path: pathTo(path, 'ports', i),
      });
    });
  }
  const info: ContainerInfo = {
    name: typeof c.name === 'string' ? c.name : '',
    sidecar,
    image: typeof c.image === 'string' ? c.image : undefined,
    path,
    ports: trimmed(ports),
  };
  const probe = c.readinessProbe;
  if (isRecord(probe)) {
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = probe[handler];
      if (isRecord(h) && (typeof h.port === 'string' || typeof h.port === 'number')) {
        info.readinessPort = { probe: 'readinessProbe', port: h.port, path: pathTo(path, 'readinessProbe', handler, 'port') };
        break;
      }
    }
  }
  return info;
}

/** The official nginx image (Docker Hub's `nginx`, not `nginxinc/nginx-unprivileged`). */
const OFFICIAL_NGINX = /^(?:(?:docker\.io\/)?(?:library\/)?)nginx(:|@|$)/;

/**
 * The official nginx image starts as root: its master process creates `/var/cache/nginx/*_temp`
 * and writes `/var/run/nginx.pid` at start. As another user (`runAsUser`), or on a read-only root
 * file system, that fails (`mkdir() "/var/cache/nginx/client_temp" failed (13: Permission
 * denied)` / `(30: Read-only file system)`) and the container exits, unless volumes are mounted
 * over both places (nginxinc/nginx-unprivileged is the image built for this), or the command
 * or a mounted configuration may move them.
 */
function nginxCannotStart(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const spec = get(t.owner.body, [...t.path, 'spec']);
  const podUser = get(spec, ['securityContext', 'runAsUser']);
  const list = get(spec, ['containers']);
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    const image = get(c, ['image']);
    if (typeof image !== 'string' || !OFFICIAL_NGINX.test(image)) return;
    if (get(c, ['command']) !== undefined || get(c, ['args']) !== undefined) return;
    const user = get(c, ['securityContext', 'runAsUser']) ?? podUser;
    const readOnly = get(c, ['securityContext', 'readOnlyRootFilesystem']) === true;
    const nonRoot = typeof user === 'number' && user !== 0;
    if (!nonRoot && !readOnly) return;
    const mounts = (Array.isArray(get(c, ['volumeMounts'])) ? get(c, ['volumeMounts']) as unknown[] : []).map((m) => get(m, ['mountPath'])).filter((p): p is string => typeof p === 'string').map((p) => p.replace(/\/+$/, ''));
    // A configuration of its own (nginx.conf) may put the temp paths and the pid elsewhere.
    if (mounts.some((m) => m === '/etc/nginx' || m === '/etc/nginx/nginx.conf')) return;
    const covered = (dir: string) => mounts.some((m) => m !== '' && (dir === m || dir.startsWith(`${m}/`)));
    const cache = covered('/var/cache/nginx');
    const pid = covered('/var/run') || covered('/run');
    if (cache && pid) return;
    const missing = [cache ? '' : '`/var/cache/nginx`', pid ? '' : '`/var/run`'].filter(Boolean).join(' and ');
    const how = readOnly ? 'on a read-only root file system' : `as user ${String(user)}`;
    out.push({ kind: 'image-cannot-start', container: typeof get(c, ['name']) === 'string' ? get(c, ['name']) as string : `#${i}`, image, path: [...t.path, 'spec', 'containers', i, ...(readOnly ? ['securityContext', 'readOnlyRootFilesystem'] : get(c, ['securityContext', 'runAsUser']) !== undefined ? ['securityContext', 'runAsUser'] : [])], why: `the official nginx image starts as root and writes its temp folders and pid file at start; ${how}, with no volume mounted at ${missing}, it fails (\`mkdir() "/var/cache/nginx/client_temp" failed\`) and exits: use \`nginxinc/nginx-unprivileged\` (which listens on 8080), or mount emptyDir volumes there` });
  });
  return out;
}

/**
 * Keycloak (the Quarkus distribution, 17 and later) started with `start`, its production mode,
 * refuses to start without HTTPS key material unless HTTP is enabled ("Key material not
 * provided to setup HTTPS"): `--http-enabled=true` / `KC_HTTP_ENABLED`, a certificate or key
 * store (`--https-certificate-file`, `--https-key-store-file`…), or, before 24, `--proxy=edge`.
 */
function keycloakCannotStart(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const list = get(t.owner.body, [...t.path, 'spec', 'containers']);
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    const image = get(c, ['image']);
    const m = typeof image === 'string' ? /^quay\.io\/keycloak\/keycloak:(\d+)/.exec(image) : null;
    if (!m || Number(m[1]) < 17 || get(c, ['command']) !== undefined) return;
    const args = Array.isArray(get(c, ['args'])) ? (get(c, ['args']) as unknown[]).map(String) : [];
    if (args[0] !== 'start') return;
    // What may configure it where the run cannot see: env from elsewhere, a configuration file, the conf folder.
    const env = Array.isArray(get(c, ['env'])) ? get(c, ['env']) as unknown[] : [];
    if (get(c, ['envFrom']) !== undefined) return;
    const mounts = (Array.isArray(get(c, ['volumeMounts'])) ? get(c, ['volumeMounts']) as unknown[] : []).map((x) => String(get(x, ['mountPath']) ?? ''));
    if (mounts.some((x) => /^\/opt\/keycloak(\/conf)?\/?$|^\/opt\/keycloak\/conf\//.test(x))) return;
    const names = env.map((e) => String(get(e, ['name']) ?? ''));
    const value = (n: string) => { const e = env.find((x) => get(x, ['name']) === n); return e === undefined ? undefined : typeof get(e, ['value']) === 'string' ? get(e, ['value']) as string : null; };
    if (args.some((a) => /^--http-enabled(=true)?$|^--https-(certificate|key-store|certificates)|^--config-file/.test(a))) return;
    if (names.some((n) => /^KC_HTTPS_(CERTIFICATE|KEY_STORE|CERTIFICATES)/.test(n))) return;
    const http = value('KC_HTTP_ENABLED');
    if (http === null || (typeof http === 'string' && /^true$/i.test(http.trim()))) return;
    if (Number(m[1]) < 24 && (args.some((a) => /^--proxy(=|$)/.test(a)) || names.includes('KC_PROXY'))) return;
    out.push({ kind: 'image-cannot-start', container: typeof get(c, ['name']) === 'string' ? get(c, ['name']) as string : `#${i}`, image: image as string, path: [...t.path, 'spec', 'containers', i, 'args', 0], why: `Keycloak's \`start\` is its production mode, which requires HTTPS key material (\`--https-certificate-file\`, \`--https-key-store-file\`) or HTTP enabled (\`KC_HTTP_ENABLED=true\`), and the container sets neither: it exits ("Key material not provided to setup HTTPS")` });
  });
  return out;
}

/**
 * A readiness probe whose path the server serves on another port than the probed one: Spring
 * Boot serves `/actuator/**` on `management.server.port` once that is set (MANAGEMENT_SERVER_PORT,
 * `-Dmanagement.server.port=`), and Keycloak 25 and later serves `/health/**` on its management
 * port (9000, `KC_HTTP_MANAGEMENT_PORT`) only. The probe gets 404 and the pod never becomes ready.
 */
function probePathElsewhere(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const spec = get(t.owner.body, [...t.path, 'spec']);
  const list = get(spec, ['containers']);
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    // A startup probe that never passes gets the container killed again and again: never ready either.
    for (const which of ['readinessProbe', 'startupProbe'] as const) {
      const probe = get(c, [which, 'httpGet']);
      const path = get(probe, ['path']);
      const rawPort = get(probe, ['port']);
      if (typeof path !== 'string' || (typeof rawPort !== 'number' && typeof rawPort !== 'string')) continue;
      // Only Spring Boot's `/actuator` and Keycloak's `/health` are judged below.
      if (!/^\/(?:actuator|health)(?:\/|$)/.test(path)) continue;
      const ports = Array.isArray(get(c, ['ports'])) ? get(c, ['ports']) as unknown[] : [];
      const port = typeof rawPort === 'number' ? rawPort : /^\d+$/.test(rawPort) ? Number(rawPort) : get(ports.find((p) => get(p, ['name']) === rawPort), ['containerPort']);
      if (typeof port !== 'number') continue;
      const env = new Map<string, string>();
      for (const e of Array.isArray(get(c, ['env'])) ? get(c, ['env']) as unknown[] : []) if (typeof get(e, ['name']) === 'string' && typeof get(e, ['value']) === 'string') env.set(get(e, ['name']) as string, get(e, ['value']) as string);
      const name = typeof get(c, ['name']) === 'string' ? get(c, ['name']) as string : `#${i}`;
      const at: Path = [...t.path, 'spec', 'containers', i, which, 'httpGet', 'port'];
      const probeField = which === 'readinessProbe' ? {} : { probe: which };
      const args = [...(Array.isArray(get(c, ['command'])) ? get(c, ['command']) as unknown[] : []), ...(Array.isArray(get(c, ['args'])) ? get(c, ['args']) as unknown[] : [])].map(String);
      if (/^\/actuator(\/|$)/.test(path)) {
        const flags = [...args, env.get('JAVA_OPTS') ?? '', env.get('JAVA_TOOL_OPTIONS') ?? ''].join(' ');
        const m = /-Dmanagement\.server\.port=(\d+)/.exec(flags);
        const served = m ? Number(m[1]) : /^\d+$/.test(env.get('MANAGEMENT_SERVER_PORT') ?? '') ? Number(env.get('MANAGEMENT_SERVER_PORT')) : undefined;
        if (served !== undefined && served !== port) out.push({ kind: 'probe-path-elsewhere', container: name, probePath: path, port, served, why: `Spring Boot serves \`/actuator\` on \`management.server.port\` ${served} only once it is set`, path: at, ...probeField });
        continue;
      }
      const image = get(c, ['image']);
      const kc = typeof image === 'string' ? /^quay\.io\/keycloak\/keycloak:(\d+)/.exec(image) : null;
      if (kc && Number(kc[1]) >= 17 && /^\/health(\/|$)/.test(path)) {
        // Keycloak (Quarkus) serves /health only with health enabled: KC_HEALTH_ENABLED=true or --health-enabled=true; off by default.
        const enabled = /^true$/i.test(env.get('KC_HEALTH_ENABLED') ?? '') || args.some((a) => /^--health-enabled(=true)?$/.test(a));
        const mounts = (Array.isArray(get(c, ['volumeMounts'])) ? get(c, ['volumeMounts']) as unknown[] : []).map((m) => String(get(m, ['mountPath']) ?? ''));
        const configured = [...env.keys()].some((k) => k === 'KC_HEALTH_ENABLED') || args.some((a) => /^--health-enabled|^--config-file/.test(a)) || Array.isArray(get(c, ['envFrom'])) || mounts.some((m) => /^\/opt\/keycloak(\/conf)?\/?$|^\/opt\/keycloak\/conf\//.test(m));
        if (!enabled && !configured) {
          out.push({ kind: 'probe-path-missing', container: name, probePath: path, image: image as string, why: `Keycloak serves \`/health\` only with health enabled (\`KC_HEALTH_ENABLED=true\` or \`--health-enabled=true\`), which is off by default: it answers 404`, soft: true, path: [...t.path, 'spec', 'containers', i, which, 'httpGet', 'path'], ...probeField });
          continue;
        }
        if (Number(kc[1]) >= 25 && env.get('KC_LEGACY_OBSERVABILITY_INTERFACE') !== 'true') {
          const served = /^\d+$/.test(env.get('KC_HTTP_MANAGEMENT_PORT') ?? '') ? Number(env.get('KC_HTTP_MANAGEMENT_PORT')) : 9000;
          if (served !== port) out.push({ kind: 'probe-path-elsewhere', container: name, probePath: path, port, served, why: `Keycloak ${kc[1]} serves \`/health\` on its management port ${served} only (since 25)`, path: at, ...probeField });
        }
      }
    }
  });
  return out;
}

/** Images that hold no bash: busybox and the plain Alpine image (their shell is `sh`). */
const NO_BASH_IMAGE = /^(?:(?:docker\.io\/)?(?:library\/)?)(busybox|alpine)(:|@|$)/;
/** Images that hold no curl: busybox and the plain Alpine image (busybox's `wget` is there). */
const NO_CURL_IMAGE = NO_BASH_IMAGE;

/**
 * Containers (init containers too: the pod waits for them) whose command the runtime cannot
 * execute. `command` is exec'd as it is, not by a shell: `["npm start"]` asks for a file named
 * `npm start` ("executable file not found"), and busybox and alpine have no `/bin/bash`.
 */
function unrunnable(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const spec = get(t.owner.body, [...t.path, 'spec']);
  for (const field of ['initContainers', 'containers'] as const) {
    const list = get(spec, [field]);
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      const name = String(get(c, ['name']) ?? `#${i}`);
      const image = get(c, ['image']);
      // The command, and the exec commands of the readiness and startup probes (of regular containers and of native
      // sidecars, whose readiness counts for the pod): the runtime execs each as it is.
      const native = field === 'initContainers' && get(c, ['restartPolicy']) === 'Always';
      const commands: { command: unknown; at: Path; probe?: 'readinessProbe' | 'startupProbe' }[] = [{ command: get(c, ['command']), at: ['command', 0] }];
      if (field === 'containers' || native) {
        for (const probe of ['readinessProbe', 'startupProbe'] as const) commands.push({ command: get(c, [probe, 'exec', 'command']), at: [probe, 'exec', 'command', 0], probe });
      }
      for (const { command, at, probe } of commands) {
        const first = Array.isArray(command) ? command[0] : undefined;
        if (typeof first !== 'string') continue;
        const path: Path = [...t.path, 'spec', field, i, ...at];
        const w = first.trim();
        const shown = probe ? (command as unknown[]).map(String).join(' ') : first;
        // A program the image's version no longer ships (`mongo` in mongo 6 and later): as the command, or the first word of a shell script's command (exit 127).
        if (typeof image === 'string') {
          const programs = [w, ...shellProgramsOf(command as unknown[])];
          const gone = programs.map((p) => droppedProgram(image, p)).find((x) => x !== undefined);
          if (gone) {
            out.push({ kind: 'command-unrunnable', container: name, command: shown, why: gone, path, ...(probe ? { probe } : {}) });
            continue;
          }
        }
        // Windows quotes an item with spaces when it builds the command line (hcsshim's EscapeArg):
        // `C:\Program Files\…\pwsh.exe` runs.
        const windows = get(spec, ['os', 'name']) === 'windows' || get(spec, ['nodeSelector', 'kubernetes.io/os']) === 'windows' || /^[A-Za-z]:\\|\\/.test(w);
        if (/\s/.test(w) && !/[$`]/.test(w) && !windows) {
          out.push({ kind: 'command-unrunnable', container: name, command: shown, why: `the runtime executes ${code(w)} as one file name (a command is not run by a shell): write each word as its own item, \`["${w.split(/\s+/).join('", "')}"]\``, path, ...(probe ? { probe } : {}) });
          continue;
        }
        if (typeof image === 'string' && NO_BASH_IMAGE.test(image) && /^(\/usr)?(\/bin\/)?bash$/.test(w)) {
          out.push({ kind: 'command-unrunnable', container: name, command: shown, why: `image \`${image}\` has no bash (its shell is \`/bin/sh\`): "executable file not found"`, path, ...(probe ? { probe } : {}) });
        } else if (typeof image === 'string' && NO_CURL_IMAGE.test(image) && /^(\/usr)?(\/bin\/)?curl$/.test(w)) {
          out.push({ kind: 'command-unrunnable', container: name, command: shown, why: `image \`${image}\` has no curl (busybox's \`wget\` is there): "executable file not found"`, path, ...(probe ? { probe } : {}) });
        }
      }
    });
  }
  return out;
}

/**
 * Programs that official images dropped from a major version on: MongoDB 6.0 removed the
 * legacy `mongo` shell (`mongosh` replaces it), MariaDB 11.0 removed the `mysql*` names of its
 * tools (`mariadb`, `mariadb-admin`… replace them).
 */
const DROPPED: readonly { repo: RegExp; from: number; programs: RegExp; instead: (p: string) => string; what: string }[] = [
  { repo: /^(?:(?:docker\.io\/)?(?:library\/)?)mongo$/, from: 6, programs: /^mongo$/, instead: () => 'mongosh', what: 'MongoDB 6.0 removed the legacy `mongo` shell' },
  { repo: /^(?:(?:docker\.io\/)?(?:library\/)?)mariadb$/, from: 11, programs: /^mysql(admin|dump|check|import|show)?$/, instead: (p) => p.replace(/^mysql/, 'mariadb').replace(/^mariadbadmin$/, 'mariadb-admin').replace(/^mariadb(dump|check|import|show)$/, 'mariadb-$1'), what: 'MariaDB 11 images no longer ship the `mysql*` names of its tools' },
];

function droppedProgram(image: string, program: string): string | undefined {
  const m = /^([^@:]+(?::\d+\/[^@:]+)?)(?::([^@]+))?/.exec(image.trim());
  if (!m || m[2] === undefined) return undefined;
  const major = /^(\d+)(?:[.-]|$)/.exec(m[2]);
  if (!major) return undefined;
  const base = program.replace(/^.*\//, '');
  for (const d of DROPPED) {
    if (!d.repo.test(m[1]!) || Number(major[1]) < d.from || !d.programs.test(base)) continue;
    return `image ${code(image)} has no ${code(base)} (${d.what}; use ${code(d.instead(base))}): the command exits with "not found" (127)`;
  }
  return undefined;
}

/** The programs a `sh -c '<script>'` command starts: the first word of each of its commands. */
function shellProgramsOf(command: readonly unknown[]): string[] {
  if (command.length < 3 || typeof command[0] !== 'string' || !/(^|\/)(ba|da|z)?sh$/.test(command[0]) || typeof command[1] !== 'string' || !/^-[a-z]*c[a-z]*$/.test(command[1]) || typeof command[2] !== 'string') return [];
  return command[2].split(/&&|\|\||[;|\n]/).map((part) => /^\s*(?:exec\s+|!\s*)?([A-Za-z0-9_./-]+)/.exec(part)?.[1]).filter((x): x is string => x !== undefined && !/=/.test(x));
}

/** Docker Hub images whose servers speak HTTP only, as they come: no gRPC health service. */
const HTTP_ONLY_IMAGES = new Set(['nginx', 'nginxinc/nginx-unprivileged', 'bitnami/nginx', 'httpd', 'bitnami/apache', 'tomcat', 'jetty', 'traefik/whoami', 'hashicorp/http-echo', 'kennethreitz/httpbin', 'mccutchen/go-httpbin', 'wordpress', 'grafana/grafana', 'ghost']);

/**
 * A `grpc` readiness or startup probe calls grpc.health.v1.Health/Check in plain text (the
 * kubelet's gRPC prober): a server that speaks HTTP only answers no gRPC, and the probe fails.
 */
function grpcProbeOnHttp(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const list = get(t.owner.body, [...t.path, 'spec', 'containers']);
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    const image = get(c, ['image']);
    const repo = typeof image === 'string' ? hubRepository(image) : undefined;
    if (!repo || !HTTP_ONLY_IMAGES.has(repo) || get(c, ['command']) !== undefined) return;
    for (const which of ['readinessProbe', 'startupProbe'] as const) {
      if (get(c, [which, 'grpc']) === undefined) continue;
      out.push({ kind: 'probe-path-missing', container: typeof get(c, ['name']) === 'string' ? get(c, ['name']) as string : `#${i}`, probePath: 'grpc', image: image as string, why: `${code(image as string)} serves HTTP only and no gRPC health service (\`grpc.health.v1.Health\`), which the kubelet's gRPC probe calls; use an \`httpGet\` probe`, soft: true, path: [...t.path, 'spec', 'containers', i, which, 'grpc'], ...(which === 'startupProbe' ? { probe: which } : {}) });
    }
  });
  return out;
}

/**
 * The official nginx image as it comes serves its default server on 80: the files of
 * /usr/share/nginx/html (`/`, `/index.html`, `/50x.html`), and 404 for anything else. A readiness
 * probe there on another path (`/healthz`) fails every time, unless a configuration or content
 * of its own is mounted, or the command changes what runs.
 */
function nginxProbePath(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const list = get(t.owner.body, [...t.path, 'spec', 'containers']);
  if (!Array.isArray(list)) return out;
  list.forEach((c, i) => {
    const image = get(c, ['image']);
    if (typeof image !== 'string' || !OFFICIAL_NGINX.test(image) || get(c, ['command']) !== undefined || get(c, ['args']) !== undefined) return;
    const mounts = (Array.isArray(get(c, ['volumeMounts'])) ? get(c, ['volumeMounts']) as unknown[] : []).map((m) => get(m, ['mountPath'])).filter((p): p is string => typeof p === 'string');
    if (mounts.some((m) => /^\/etc\/nginx(\/|$)|^\/usr\/share\/nginx(\/|$)|^\/docker-entrypoint\.d(\/|$)/.test(m) || m === '/etc' || m === '/usr/share')) return;
    const probe = get(c, ['readinessProbe', 'httpGet']);
    const path = get(probe, ['path']);
    const rawPort = get(probe, ['port']);
    if (typeof path !== 'string' || get(probe, ['host']) !== undefined) return;
    const ports = Array.isArray(get(c, ['ports'])) ? get(c, ['ports']) as unknown[] : [];
    const port = typeof rawPort === 'number' ? rawPort : typeof rawPort === 'string' && /^\d+$/.test(rawPort) ? Number(rawPort) : get(ports.find((p) => get(p, ['name']) === rawPort), ['containerPort']);
    if (port !== 80) return;
    // The kubelet joins host and path with Go's net/url, which puts a `/` before a relative path (`index.html`).
    const clean = `/${path.split('?')[0]!.replace(/^\/+/, '')}`.replace(/\/+$/, '') || '/';
    if (clean === '/' || /^\/(index\.html?|50x\.html)$/.test(clean)) return;
    out.push({ kind: 'probe-path-missing', container: typeof get(c, ['name']) === 'string' ? get(c, ['name']) as string : `#${i}`, probePath: path, image, why: `${code(image)} as it comes serves only its welcome page there (\`/\`, \`/index.html\`) and answers 404 to anything else; probe \`/\`, or mount a configuration that serves the path`, soft: true, path: [...t.path, 'spec', 'containers', i, 'readinessProbe', 'httpGet', 'path'] });
  });
  return out;
}

/**
 * Images of servers and proxies that run until stopped: the Cloud SQL Auth Proxy (whatever its
 * flags), and, as their images start them, nginx, Apache httpd and Envoy.
 */
const PROXY_IMAGES = /^(?:gcr\.io\/cloud-sql-connectors\/cloud-sql-proxy|gcr\.io\/cloudsql-docker\/gce-proxy|[a-z0-9.-]+\.pkg\.dev\/cloud-sql-connectors\/cloud-sql-connectors\/cloud-sql-proxy)(:|@|$)/;
const SERVER_IMAGES = /^(?:(?:docker\.io\/)?(?:library\/)?(?:nginx|httpd)|(?:docker\.io\/)?envoyproxy\/envoy)(:|@|$)/;

/**
 * An init container that is not a native sidecar (no `restartPolicy: Always`) must exit before
 * the next one, and the app containers, start. One that runs a server or a proxy (the Cloud SQL
 * proxy put in `initContainers` to start first) never exits: the pod stays `Init:0/N`.
 */
function initNeverExits(t: PodTemplate): NotReadyReason[] {
  const list = get(t.owner.body, [...t.path, 'spec', 'initContainers']);
  if (!Array.isArray(list)) return [];
  const out: NotReadyReason[] = [];
  list.forEach((c, i) => {
    const image = get(c, ['image']);
    if (typeof image !== 'string' || get(c, ['restartPolicy']) === 'Always') return;
    const command = get(c, ['command']);
    const proxy = PROXY_IMAGES.test(image) && (command === undefined || (Array.isArray(command) && /cloud[-_]sql[-_]proxy/.test(String(command[0]))));
    const server = SERVER_IMAGES.test(image) && command === undefined && get(c, ['args']) === undefined;
    if (proxy || server) out.push({ kind: 'init-never-exits', container: String(get(c, ['name']) ?? `#${i}`), image, path: [...t.path, 'spec', 'initContainers', i] });
  });
  return out;
}

/**
 * Why this template's pods can never be ready endpoints, as far as the manifests tell.
 * The kubelet resolves a named probe port among the probed container's own ports only.
 */
export function notReadyReasons(t: PodTemplate): NotReadyReason[] {
  const out: NotReadyReason[] = [];
  const r = t.replicas;
  if (r.mode === 'count' && r.count === 0) out.push({ kind: 'scaled-to-zero', path: r.path ?? ['spec', 'replicas'] });
  else if (t.owner.kind === 'Deployment' && t.owner.apiVersion === 'apps/v1' && isRecord(t.owner.body.spec) && t.owner.body.spec.paused === true) out.push({ kind: 'paused', path: ['spec', 'paused'] });
  if (r.mode === 'job') {
    if (r.count === 0 && !r.suspended) out.push({ kind: 'scaled-to-zero', path: r.path ?? ['spec'] });
    out.push({ kind: 'job', owner: t.owner.kind, suspended: r.suspended, path: ['spec'] });
  }
  out.push(...unrunnable(t), ...nginxCannotStart(t), ...keycloakCannotStart(t), ...probePathElsewhere(t), ...initNeverExits(t), ...nginxProbePath(t), ...grpcProbeOnHttp(t));
  for (const c of t.containers) {
    const rp = c.readinessPort;
    // A native sidecar's readiness counts towards the pod's as its containers' does.
    if (!rp || typeof rp.port !== 'string') continue;
    if (/^\d+$/.test(rp.port)) continue; // a quoted number: a schema problem, not ours
    if (!c.ports.some((p) => p.name === rp.port)) out.push({ kind: 'probe-port-unknown', container: c.name, port: rp.port, path: rp.path });
  }
  return out;
}
