import type { PodTemplate, ServiceGraph, ServicePortNode } from '../types/graph.js';
import { formatPath, pathTo, type K8sObject, type Path } from '../types/object.js';
import type { DnsResolution, ReferenceEdge, ReferenceSite } from '../types/reference.js';
import { isRecord } from '../load/objects.js';
import { code, list } from '../text.js';
import { tableReadPaths } from './referrers.js';
import { getIn } from './pods.js';
import { statefulSetOrdinals } from './controller-labels.js';
import { generatedPodLabel, resolveFor, resolveHost, withoutGeneratedLabels } from './dns.js';
import { aliasKey, hostAliases, podResolver, resolverKey } from './pod-dns.js';
import { findHosts, type HostRef } from './hosts.js';
import { uncommentedText, configFileHosts, nginxUpstreams } from './config-files.js';
import { envNames as springEnvNames, profileMatches } from './spring.js';
import { ofText } from './memo.js';
import { findLinks } from './links.js';
import { objectNamed, objectsOfKind } from './kinds.js';

const CONTAINER_FIELDS = ['containers', 'initContainers'] as const;

export type Container = { field: string; index: number; c: Record<string, unknown> };

/** A template's containers and init containers. */
export function containersOf(t: PodTemplate): Container[] {
  const list: Container[] = [];
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  if (!isRecord(spec)) return list;
  for (const field of CONTAINER_FIELDS) {
    const items = spec[field];
    if (!Array.isArray(items)) continue;
    items.forEach((c, index) => {
      if (isRecord(c)) list.push({ field, index, c });
    });
  }
  return list;
}

/** Where a pod template names the ConfigMaps, or the Secrets, it reads. */
const SOURCES = {
  ConfigMap: { envFrom: 'configMapRef', keyRef: 'configMapKeyRef', volume: 'configMap', volumeName: 'name', projected: 'configMap' },
  Secret: { envFrom: 'secretRef', keyRef: 'secretKeyRef', volume: 'secret', volumeName: 'secretName', projected: 'secret' },
} as const;

/**
 * The ConfigMaps (or Secrets) a pod template reads, and which keys: `all` for envFrom and
 * whole volumes, else the keys of configMapKeyRef (secretKeyRef) env entries and of volume `items`.
 */
export function configMapReads(t: PodTemplate, containers: readonly Container[] = containersOf(t), kind: keyof typeof SOURCES = 'ConfigMap'): Map<string, Set<string> | 'all'> {
  const src = SOURCES[kind];
  const reads = new Map<string, Set<string> | 'all'>();
  const add = (name: unknown, keys: 'all' | unknown[]) => {
    if (typeof name !== 'string' || name === '') return;
    const cur = reads.get(name);
    if (cur === 'all') return;
    if (keys === 'all') return void reads.set(name, 'all');
    const set = cur ?? new Set<string>();
    for (const k of keys) if (typeof k === 'string') set.add(k);
    reads.set(name, set);
  };
  // What the containers mount of each volume: the whole volume, or only the files `subPath` names.
  const mounts = new Map<string, Set<string> | 'all'>();
  for (const { c } of containers) {
    for (const e of Array.isArray(c.envFrom) ? c.envFrom : []) add(getIn(e, [src.envFrom, 'name']), 'all');
    for (const e of Array.isArray(c.env) ? c.env : []) add(getIn(e, ['valueFrom', src.keyRef, 'name']), [getIn(e, ['valueFrom', src.keyRef, 'key'])]);
    for (const m of Array.isArray(c.volumeMounts) ? c.volumeMounts : []) {
      const name = getIn(m, ['name']);
      if (typeof name !== 'string') continue;
      const sub = getIn(m, ['subPath']);
      const cur = mounts.get(name);
      if (typeof sub !== 'string' || sub === '' || getIn(m, ['subPathExpr']) !== undefined) mounts.set(name, 'all');
      else if (cur !== 'all') mounts.set(name, (cur ?? new Set<string>()).add(sub.split('/')[0]!));
    }
  }
  // The keys a volume's files hold, as far as the mounts reach: a file is a key, or an item's `path`.
  const volumeKeys = (cm: unknown, mounted: Set<string> | 'all'): 'all' | unknown[] => {
    const items = getIn(cm, ['items']);
    if (Array.isArray(items) && items.length) {
      return items.filter((i) => {
        const file = getIn(i, ['path']);
        return mounted === 'all' || (typeof file === 'string' && mounted.has(file.split('/')[0]!));
      }).map((i) => getIn(i, ['key']));
    }
    return mounted === 'all' ? 'all' : [...mounted];
  };
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  for (const v of Array.isArray(volumes) ? volumes : []) {
    // The kubelet sets up only the volumes its containers mount: an unmounted one is read by no one.
    const mounted = mounts.get(getIn(v, ['name']) as string);
    if (mounted === undefined) continue;
    add(getIn(v, [src.volume, src.volumeName]), volumeKeys(getIn(v, [src.volume]), mounted));
    const sources = getIn(v, ['projected', 'sources']);
    for (const s of Array.isArray(sources) ? sources : []) add(getIn(s, [src.projected, 'name']), volumeKeys(getIn(s, [src.projected]), mounted));
  }
  return reads;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A Secret `data` value as the text a pod reads: undefined when it is not base64 of UTF-8 text. */
export function secretText(encoded: string): string | undefined {
  if (!BASE64.test(encoded)) return undefined;
  try {
    const text = utf8.decode(Buffer.from(encoded, 'base64'));
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * The text values of a Secret that pods may read, with where each is written: `stringData`
 * as written, `data` decoded (stringData wins for a key in both, as the API server merges
 * them). Only generic Secrets (`Opaque`, or no type): the typed ones hold certificates,
 * tokens and registry credentials that the kubelet or the API server reads, not a pod's
 * configuration.
 */
export function secretValues(o: K8sObject): { field: 'stringData' | 'data'; key: string; value: string }[] {
  if (o.body.type !== undefined && o.body.type !== 'Opaque') return [];
  const out: { field: 'stringData' | 'data'; key: string; value: string }[] = [];
  const plain = isRecord(o.body.stringData) ? o.body.stringData : {};
  for (const [key, value] of Object.entries(plain)) if (typeof value === 'string') out.push({ field: 'stringData', key, value });
  if (isRecord(o.body.data)) {
    for (const [key, encoded] of Object.entries(o.body.data)) {
      if (Object.hasOwn(plain, key) || typeof encoded !== 'string') continue;
      const value = secretText(encoded);
      if (value !== undefined) out.push({ field: 'data', key, value });
    }
  }
  return out;
}

/** The names an env list defines. */
function envNames(env: unknown[]): Set<string> {
  return new Set(env.map((e) => (isRecord(e) ? e.name : undefined)).filter((n): n is string => typeof n === 'string'));
}

/**
 * ConfigMap keys that configure a whole mesh or controller: every proxy mounts them, but a
 * host there is dialled only by the proxies another object selects (Istio's
 * `extensionProviders` by a CUSTOM AuthorizationPolicy, a tracing provider by Telemetry).
 * The hosts are still references (a wrong name is still wrong); the readers are not their
 * clients. A row per configuration.
 */
const MESH_WIDE: { name: RegExp; keys: ReadonlySet<string> }[] = [
  // Istio: the `istio` (or `istio-<revision>`) ConfigMap, `mesh` and `meshNetworks`.
  { name: /^istio(-[a-z0-9-]+)?$/, keys: new Set(['mesh', 'meshNetworks']) },
];

export function meshWide(configMap: string, key: string): boolean {
  return MESH_WIDE.some((m) => m.name.test(configMap) && m.keys.has(key));
}

/** Every place in the run where a pod reads text that may name a host. */
export function referenceSites(graph: ServiceGraph): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  visitSites(graph, (site) => void sites.push(site()));
  return sites;
}

/** Calls `visit` with every place a pod reads text that may name a host, and that text. */
/** `DB_HOST` (`_HOSTNAME`, `_SERVER`, `_ADDR`, `_ADDRESS`) and a literal `DB_PORT` beside it: the port clients of that host use. */
const HOST_VAR = /^(.*?)[_.-]?(?:HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$/i;
/**
 * Env keys whose host the clients that read them dial over UDP, with their default port: StatsD
 * clients (`STATSD_HOST`, 8125, unless `STATSD_PROTOCOL` says otherwise) and Jaeger's agent
 * reporters (`JAEGER_AGENT_HOST`, 6831).
 */
const UDP_CLIENT_KEYS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, { STATSD_HOST: 8125, JAEGER_AGENT_HOST: 6831 });

function udpClient(env: readonly unknown[], name: string): { udp?: number } {
  const port = UDP_CLIENT_KEYS[name];
  if (port === undefined) return {};
  if (name === 'STATSD_HOST' && env.some((e) => isRecord(e) && e.name === 'STATSD_PROTOCOL' && !(typeof e.value === 'string' && /^udp$/i.test(e.value.trim())))) return {};
  return { udp: port };
}

function siblingPort(env: readonly unknown[], name: string): { name: string; value: number } | undefined {
  const m = HOST_VAR.exec(name);
  if (!m || m[1] === '') return undefined;
  const prefix = m[1]!;
  const sep = name.slice(prefix.length, prefix.length + 1);
  const wanted = new Set([`${prefix}${/[_.-]/.test(sep) ? sep : '_'}PORT`, `${prefix}PORT`].map((n) => n.toUpperCase()));
  for (const e of env) {
    if (!isRecord(e) || typeof e.name !== 'string' || !wanted.has(e.name.toUpperCase()) || typeof e.value !== 'string') continue;
    if (!/^\d{1,5}$/.test(e.value.trim())) continue;
    const value = Number(e.value.trim());
    if (value >= 1 && value <= 65535) return { name: e.name, value };
  }
  return undefined;
}

/**
 * `visit` gets each site as a function that builds it (most texts name no host: their sites are
 * never built), the text, the key it is read under, and whether it is a ConfigMap or Secret key
 * (read as a file by its format) and whether the kubelet expands `$(VAR)` in it.
 */
/** `$(VAR)` as the kubelet expands it, not `$$(VAR)`. */
export const VAR_REF = /(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g;

/** A flag whose value is names for the server's own certificate: `--dynamic-serving-dns-names=`, `--tls-san=`, `--extra-sans=`. */
const CERT_NAME_FLAG = /^--?[a-z0-9.-]*?(?:dns-names?|(?:^|-)sans?|alt-names?|subject-alt(?:ernative)?-names?|common-name|cert(?:ificate)?-(?:hosts?|names?|dns))=/i;
/** A flag whose value names a Secret or ConfigMap (`--caSecretName=kyverno-svc.kyverno.svc.kyverno-tls-ca`), not a host. */
const OBJECT_NAME_FLAG = /^--?[a-z0-9.-]*?(secret|configmap|config-map)[-_]?name(=|$)/i;
const CERT_NAME_FLAG_ALONE = /^--?[a-z0-9.-]*?(?:dns-names?|-sans?|alt-names?|subject-alt(?:ernative)?-names?|common-name|cert(?:ificate)?-(?:hosts?|names?|dns))$|^--?(?:tls-)?sans?$/i;

function visitSites(graph: ServiceGraph, visit: (site: () => ReferenceSite, value: string, hint: { key?: string; file: boolean; expands: boolean; qualifiedOnly?: boolean; upstreams?: ReadonlySet<string>; format?: string; udp?: number; defaultPort?: number }) => void): void {
  // ConfigMaps by namespace and name, for the values of configMapKeyRef variables (made when first asked).
  let configMaps: Map<string, K8sObject> | undefined;
  const configMapValue = (ns: string, name: string, key: string): string | undefined => {
    if (!configMaps) {
      configMaps = new Map();
      for (const o of graph.objects) if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') configMaps.set(`${o.namespace}/${o.name}`, o);
    }
    const data = configMaps.get(`${ns}/${name}`)?.body.data;
    const v = isRecord(data) ? data[key] : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  const configMapData = (ns: string, name: string): Record<string, unknown> | undefined => {
    configMapValue(ns, name, '');
    const data = configMaps!.get(`${ns}/${name}`)?.body.data;
    return isRecord(data) ? data : undefined;
  };
  // ConfigMap and Secret consumers, indexed once: kind/namespace/name → templates and the keys they read.
  const consumers = new Map<string, { t: PodTemplate; keys: Set<string> | 'all' }[]>();
  const configMapsOf = new Map<PodTemplate, string[]>();
  for (const t of graph.templates) {
    const containers = containersOf(t);
    for (const kind of ['ConfigMap', 'Secret'] as const) {
      for (const [name, keys] of configMapReads(t, containers, kind)) {
        if (kind === 'ConfigMap') configMapsOf.set(t, [...(configMapsOf.get(t) ?? []), name]);
        const key = `${kind}/${t.namespace}/${name}`;
        const list = consumers.get(key);
        if (list) list.push({ t, keys });
        else consumers.set(key, [{ t, keys }]);
      }
    }
    const clients = [t];
    // Annotations that configure a container injected into the pod, which dials the host from it.
    const annotations = getIn(t.owner.body, [...t.path, 'metadata', 'annotations']);
    if (isRecord(annotations)) {
      for (const key of POD_ANNOTATION_HOSTS) {
        const value = annotations[key];
        if (typeof value === 'string' && value !== '') visit(() => ({ object: t.owner, path: pathTo(t.path, 'metadata', 'annotations', key), namespace: t.namespace, where: `annotation ${code(key)} of the pod template`, clients }), value, { key, file: false, expands: false });
      }
    }
    for (const { field, index, c } of containers) {
      const base = () => pathTo(t.path, 'spec', field, index);
      const cname = () => code(typeof c.name === 'string' ? c.name : `#${index}`);
      const env: unknown[] = Array.isArray(c.env) ? c.env : [];
      const defined = envNames(env);
      const expands = { defined, envFrom: Array.isArray(c.envFrom) && c.envFrom.length > 0 };
      const names: string[] = []; // those defined so far
      // `$(POD_NAME)` of a pod whose name is generated, where it starts a host (`$(POD_NAME).kafka-headless`).
      const generated = new Map<string, string>();
      // The values the kubelet gives variables defined so far with a value of their own (expanded).
      // Kept only for a container whose env values refer to variables.
      const argText = (a: unknown) => typeof a === 'string' && a.includes('$(');
      const literal = env.some((e) => isRecord(e) && typeof e.value === 'string' && e.value.includes('$(')) || (Array.isArray(c.args) && c.args.some(argText)) || (Array.isArray(c.command) && c.command.some(argText)) ? new Map<string, string>() : undefined;
      // envFrom comes first: `$(DB_HOST)` in an env value is a ConfigMap's key the run holds
      // (with the source's prefix); a later source overrides an earlier one, and a Secret's or an
      // absent ConfigMap's keys are unknown.
      if (literal && Array.isArray(c.envFrom)) {
        for (const src of c.envFrom) {
          if (!isRecord(src)) continue;
          const prefix = typeof src.prefix === 'string' ? src.prefix : '';
          const ref = isRecord(src.configMapRef) ? src.configMapRef : undefined;
          const data = ref && typeof ref.name === 'string' ? configMapData(t.namespace, ref.name) : undefined;
          if (data) for (const [k, v] of Object.entries(data)) if (typeof v === 'string') literal.set(`${prefix}${k}`, v);
        }
      }
      const expand = (m: string, v: string, at: number, whole: string): string => {
        const known = literal!.get(v);
        if (known !== undefined) return known;
        const label = generated.get(v);
        return label !== undefined && whole[at + m.length] === '.' && /[a-z0-9]/i.test(whole[at + m.length + 1] ?? '') ? label : m;
      };
      // The kubelet keeps the last entry of a name (the API server only warns of duplicates).
      const lastOf = new Map<string, number>();
      env.forEach((e, j) => { if (isRecord(e) && typeof e.name === 'string') lastOf.set(e.name, j); });
      env.forEach((e, j) => {
        if (!isRecord(e) || typeof e.name !== 'string') return;
        if (typeof e.value === 'string') {
          // `$(API_SVC)` of a variable defined before it is its value (`$$(X)` stays as written).
          const value = (literal?.size || generated.size) && e.value.includes('$(') ? e.value.replace(VAR_REF, expand) : e.value;
          literal?.set(e.name, value);
          if (lastOf.get(e.name) !== j || NOT_DIALLED_ENV.test(e.name)) {
            names.push(e.name);
            return;
          }
          const name = e.name;
          // An env value expands only the variables defined before it (and the Service links);
          // command and args expand them all.
          const before = value.includes('$(') ? { defined: new Set(names), envFrom: expands.envFrom } : expands;
          const elsewhere = dialledElsewhere(t, c, name);
          visit(() => {
            const portFrom = siblingPort(env, name);
            return { object: t.owner, path: pathTo(base(), 'env', j, 'value'), namespace: t.namespace, where: `env ${code(name)} of container ${cname()}`, key: name, clients, expands: before, ...(portFrom ? { portFrom } : {}), ...(elsewhere ? { dialledElsewhere: true } : {}) };
          }, value, { key: name, file: false, expands: true, ...udpClient(env, name) });
        }
        else {
          // A configMapKeyRef's value, from a ConfigMap the run holds: `$(DB_HOST)` after it is that value.
          const ref = getIn(e, ['valueFrom', 'configMapKeyRef']);
          // The downward API's `metadata.namespace` is the pod's namespace (its name, for a bare Pod).
          const field = getIn(e, ['valueFrom', 'fieldRef', 'fieldPath']);
          // A StatefulSet's pods are named `<set>-<ordinal>`: the first ordinal stands for them all.
          const downward = field === 'metadata.namespace' ? t.namespace
            : field === 'metadata.name' && t.owner.kind === 'Pod' && t.path.length === 0 ? t.owner.name
              : field === 'metadata.name' && t.owner.kind === 'StatefulSet' && t.path.length > 0 ? `${t.owner.name}-${statefulSetOrdinals(t)[0]}` : undefined;
          const from = literal && isRecord(ref) && typeof ref.name === 'string' && typeof ref.key === 'string' ? configMapValue(t.namespace, ref.name, ref.key) : literal ? downward : undefined;
          if (from !== undefined) literal!.set(e.name, from);
          else literal?.delete(e.name);
          if (literal && from === undefined && field === 'metadata.name' && GENERATED_NAMES.has(t.owner.kind) && t.path.length > 0 && BUILTIN_WORKLOAD.test(t.owner.apiVersion)) generated.set(e.name, generatedPodLabel(graph, t, e.name));
          else generated.delete(e.name);
        }
        names.push(e.name);
      });
      for (const arr of ['args', 'command'] as const) {
        const list = c[arr];
        if (!Array.isArray(list)) continue;
        list.forEach((a: unknown, k) => {
          // The names a server puts on its own certificate (`--dynamic-serving-dns-names=webhook.ns.svc`, `--tls-san`) are not dialled.
          if (typeof a === 'string' && (CERT_NAME_FLAG.test(a) || OBJECT_NAME_FLAG.test(a) || (k > 0 && typeof list[k - 1] === 'string' && (CERT_NAME_FLAG_ALONE.test(list[k - 1] as string) || /^--?[a-z0-9.-]*?(secret|configmap|config-map)[-_]?name$/i.test(list[k - 1] as string))))) return;
          // The kubelet expands `$(VAR)` in command and args with the container's whole env.
          const expanded = typeof a === 'string' && (literal?.size || generated.size) && a.includes('$(') ? a.replace(VAR_REF, expand) : a;
          // A shell reading the pod's own namespace from its service account (`$(cat /var/run/secrets/…/namespace)`).
          const own = typeof expanded === 'string' && expanded.includes('serviceaccount/namespace') ? expanded.replace(OWN_NAMESPACE, t.namespace) : expanded;
          // Pulsar's `initialize-cluster-metadata` stores the cluster's service URLs (ClusterData); it does not dial them.
          const text = typeof own === 'string' && own.includes('initialize-cluster-metadata') ? own.replace(STORED_URL_FLAGS, (m) => ' '.repeat(m.length)) : own;
          if (typeof text === 'string') visit(() => ({ object: t.owner, path: pathTo(base(), arr, k), namespace: t.namespace, where: `${arr} of container ${cname()}`, clients, expands }), text, { file: false, expands: true });
        });
      }
    }
  }
  // A template reads a key through envFrom or a whole volume, or by naming it.
  const readersOf = (o: K8sObject, key: string) => (consumers.get(`${o.kind}/${o.namespace}/${o.name}`) ?? []).filter((r) => r.keys === 'all' || r.keys.has(key)).map((r) => r.t);
  // The nginx upstream groups defined in the keys of a ConfigMap and of the other ConfigMaps its
  // readers mount: nginx includes them all into one configuration.
  const upstreamCache = new Map<K8sObject, Set<string>>();
  const upstreamsBeside = (o: K8sObject): Set<string> => {
    let out = upstreamCache.get(o);
    if (out) return out;
    out = new Set<string>();
    const maps = new Set<string>([o.name]);
    for (const r of consumers.get(`ConfigMap/${o.namespace}/${o.name}`) ?? []) for (const name of configMapsOf.get(r.t) ?? []) maps.add(name);
    for (const name of maps) {
      const cm = objectNamed(graph, 'ConfigMap', o.namespace, name);
      const data = cm && isRecord(cm.body.data) ? cm.body.data : {};
      for (const v of Object.values(data)) if (typeof v === 'string') for (const u of nginxUpstreams(v)) out.add(u);
    }
    upstreamCache.set(o, out);
    return out;
  };
  // Pods of the run read the object, each only named keys (`items`, `subPath`, key refs), and
  // none this one: the key is no file or variable of theirs, so what it names is not dialled.
  const unread = (o: K8sObject, key: string) => {
    const readers = consumers.get(`${o.kind}/${o.namespace}/${o.name}`);
    return readers !== undefined && readers.length > 0 && readers.every((r) => (r.keys !== 'all' ? !r.keys.has(key) : envFromOverridden(r.t, o, key)));
  };
  const noReader = (o: K8sObject) => !(consumers.get(`${o.kind}/${o.namespace}/${o.name}`)?.length);
  // The file name the pods mount a key under, where it is another than the key and all readers
  // agree (`items: [{key: outputs, path: fluent-bit.conf}]`, a `subPath` mount at
  // `/fluent-bit/etc/fluent-bit.conf`): the program reads the file by that name's format.
  const mountedName = (o: K8sObject, key: string): string | undefined => {
    if (/\.[a-z0-9]+$/i.test(key)) return undefined;
    const names = new Set<string>();
    for (const r of consumers.get(`${o.kind}/${o.namespace}/${o.name}`) ?? []) {
      const spec = getIn(r.t.owner.body, [...r.t.path, 'spec']);
      const volumes = (Array.isArray(getIn(spec, ['volumes'])) ? getIn(spec, ['volumes']) as unknown[] : []).filter((v) => getIn(v, ['configMap', 'name']) === o.name);
      for (const v of volumes) {
        const items = getIn(v, ['configMap', 'items']);
        for (const it of Array.isArray(items) ? items : []) if (getIn(it, ['key']) === key && typeof getIn(it, ['path']) === 'string') names.add((getIn(it, ['path']) as string).split('/').pop()!);
        const vname = getIn(v, ['name']);
        for (const { c } of containersOf(r.t)) {
          for (const m of Array.isArray(c.volumeMounts) ? c.volumeMounts : []) {
            if (getIn(m, ['name']) === vname && getIn(m, ['subPath']) === key && typeof getIn(m, ['mountPath']) === 'string') names.add((getIn(m, ['mountPath']) as string).replace(/\/+$/, '').split('/').pop()!);
          }
        }
      }
    }
    return names.size === 1 ? [...names][0] : undefined;
  };
  const kedaKeys = kedaSecretKeys(graph);
  for (const o of graph.objects) {
    if (o.apiVersion !== 'v1') continue;
    if (o.kind === 'ConfigMap' && isRecord(o.body.data)) {
      for (const [key, value] of Object.entries(o.body.data)) {
        if (typeof value !== 'string' || unread(o, key)) continue;
        const upstreams = value.includes('_pass') ? upstreamsBeside(o) : undefined;
        // A mesh-wide configuration names hosts that only some of its readers dial, chosen elsewhere.
        const mesh = meshWide(o.name, key);
        const format = mountedName(o, key);
        visit(() => ({ object: o, path: ['data', key], namespace: o.namespace, where: `ConfigMap key ${code(key)}`, key, clients: mesh ? [] : readersOf(o, key), ...(!mesh && noReader(o) ? { unreadByPods: true } : {}) }), value, { key, file: true, expands: false, ...(upstreams?.size ? { upstreams } : {}), ...(format ? { format } : {}) });
      }
    } else if (o.kind === 'Secret') {
      for (const { field, key, value } of secretValues(o)) {
        const keda = kedaKeys?.get(`${o.namespace}/${o.name}`)?.get(key);
        if (keda) {
          const where = `Secret key ${code(key)}${field === 'data' ? ' (decoded from base64)' : ''}, which ${keda.auth} hands ${keda.by} as ${code(keda.parameter)} for ${keda.scaler}, dialled from its namespace ${code(keda.namespace)},`;
          visit(() => ({ object: o, path: [field, key], namespace: keda.namespace, where, key, clients: [], podSide: true }), value, { key: keda.parameter, file: false, expands: false });
          // Pods of the run that read the key too dial it from theirs.
          if (noReader(o)) continue;
        }
        if (unread(o, key)) continue;
        const where = `Secret key ${code(key)}${field === 'data' ? ' (decoded from base64)' : ''}`;
        visit(() => ({ object: o, path: [field, key], namespace: o.namespace, where, key, clients: readersOf(o, key), ...(noReader(o) ? { unreadByPods: true } : {}) }), value, { key, file: true, expands: false });
      }
    }
  }
  // An Istio ServiceEntry of DNS resolution: the sidecars resolve its endpoints' addresses.
  for (const o of graph.objects) {
    if (o.kind !== 'ServiceEntry' || !/^networking\.istio\.io\//.test(o.apiVersion) || getIn(o.body, ['spec', 'resolution']) !== 'DNS') continue;
    const eps = getIn(o.body, ['spec', 'endpoints']);
    (Array.isArray(eps) ? eps : []).forEach((e, i) => {
      const address = getIn(e, ['address']);
      const path = ['spec', 'endpoints', i, 'address'];
      if (typeof address === 'string' && address.includes('.svc')) visit(() => ({ object: o, path, namespace: o.namespace, where: `${code(formatPath(path))} of ServiceEntry ${o.namespace}/${o.name}`, clients: [] }), address, { file: false, expands: false, qualifiedOnly: true });
    });
  }
  // Custom resources: the Services their spec names by a qualified name (a KEDA trigger's
  // serverAddress, a remote-write URL, an operator's endpoint). Their controller dials them from
  // a namespace of its own, so short names, which resolve relative to it, are not judged.
  for (const o of graph.objects) {
    if (!isCustomResource(o)) continue;
    // Kong's plugins keep their settings in a top-level `config`, without a spec.
    const root = isRecord(o.body.spec) ? 'spec' : KONG_PLUGIN.test(o.kind) && isRecord(o.body.config) ? 'config' : undefined;
    if (!root) continue;
    // What the referrer table reads of the object is judged there; the rest is read as hosts here.
    const read = tableReadPaths(o);
    // A pod template the resource holds (an Argo Rollout's) is read as a template, with its containers.
    const template = graph.templateOf(o);
    if (template && template.path.length > 0) read.push(template.path);
    if (read.some((p) => p.length === 1)) continue;
    const podSideKeys = POD_SIDE.filter(([group, kind]) => o.kind === kind && o.apiVersion.startsWith(`${group}/`)).map(([, , field]) => field);
    // A subtree the operator's pods read whole (an OpenTelemetryCollector's `config`): every host in it counts.
    const podSideTree = POD_SIDE_TREES.find(([group, kind]) => o.kind === kind && o.apiVersion.startsWith(`${group}/`))?.[2];
    // A subtree a controller dials from its own namespace, where the run shows that namespace.
    const dialler = controllerSide(graph, o);
    const under = (path: Path, at: readonly string[] | undefined) => at !== undefined && at.every((seg, i) => path[i] === seg);
    // An OpenTelemetry Instrumentation's exporter endpoint is dialled by the SDK the operator injects into the pods that ask for it by name.
    const injected = instrumented(graph, o);
    strings(o.body[root], [root], 0, (value, path) => {
      if (read.some((p) => p.every((seg, i) => path[i] === seg))) return;
      if (injected.size > 0 && path.length === 3 && path[1] === 'exporter' && path[2] === 'endpoint') {
        for (const [ns, clients] of injected) {
          const names = list(clients.map((t) => `${t.owner.kind} ${t.namespace}/${t.owner.name}`), 2);
          visit(() => ({ object: o, path, namespace: ns, where: `${code(formatPath(path))} of Instrumentation ${o.namespace}/${o.name}, which the OpenTelemetry operator injects into ${names} (namespace ${code(ns)}) as ${code('OTEL_EXPORTER_OTLP_ENDPOINT')},`, clients, podSide: true }), value, { file: false, expands: false });
        }
        return;
      }
      // Names a certificate or a route matches are not connections.
      const key = [...path].reverse().find((x): x is string => typeof x === 'string');
      if (key !== undefined && NOT_DIALED.test(key)) return;
      const where = `${code(formatPath(path))} of ${o.kind} ${o.namespace}/${o.name}`;
      if (dialler && under(path, dialler.under)) {
        visit(() => ({ object: o, path, namespace: dialler.namespace, where: `${where}, which ${dialler.by} dials from its namespace ${code(dialler.namespace)},`, clients: [], podSide: true }), value, { file: false, expands: false });
        return;
      }
      // Some fields are dialled by pods the operator runs in the resource's own namespace: short names count there.
      const podSide = (key !== undefined && podSideKeys.includes(key)) || under(path, podSideTree);
      visit(() => ({ object: o, path, namespace: o.namespace, where, clients: [], ...(podSide ? { podSide: true } : {}) }), value, { file: false, expands: false, qualifiedOnly: !podSide, ...proberDefault(o, path) });
    }, podSideKeys.length || podSideTree || dialler ? new Set([...podSideKeys, ...(podSideTree || dialler ? TREE_HOST_KEYS : [])]) : undefined, podSideTree || dialler ? (path) => under(path, podSideTree) || under(path, dialler?.under) : undefined);
  }
}

/**
 * Whether a template reads a ConfigMap's (Secret's) key only through `envFrom`, in containers that
 * each set the same variable in `env` too: `env` wins over `envFrom` (the kubelet applies envFrom
 * first, then env), so the key's value is never what the program sees.
 */
function envFromOverridden(t: PodTemplate, o: K8sObject, key: string): boolean {
  const ref = o.kind === 'Secret' ? 'secretRef' : 'configMapRef';
  const volume = o.kind === 'Secret' ? ['secret', 'secretName'] : ['configMap', 'name'];
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  for (const v of Array.isArray(volumes) ? volumes : []) {
    if (getIn(v, volume) === o.name) return false;
    const sources = getIn(v, ['projected', 'sources']);
    if (Array.isArray(sources) && sources.some((x) => getIn(x, [volume[0]!, 'name']) === o.name)) return false;
  }
  let readers = 0;
  for (const { c } of containersOf(t)) {
    const from = (Array.isArray(c.envFrom) ? c.envFrom : []).filter((e) => getIn(e, [ref, 'name']) === o.name);
    if (from.length === 0) continue;
    readers++;
    const names = new Set((Array.isArray(c.env) ? c.env : []).map((e) => getIn(e, ['name'])));
    if (!from.every((e) => names.has(`${typeof getIn(e, ['prefix']) === 'string' ? getIn(e, ['prefix']) : ''}${key}`))) return false;
  }
  return readers > 0;
}

/**
 * Env variables whose hosts are not dialled by anyone: patterns for requests that skip a proxy
 * (Go's httpproxy, curl), the names a server puts on its own certificate (vault-k8s's
 * `AGENT_INJECT_TLS_AUTO_HOSTS`, `…_DNS_NAMES`, `…_SANS`), as the flags of CERT_NAME_FLAG, and
 * the names a server accepts in requests' Host or Origin (`…_HOST_WHITELIST_ENTRIES`,
 * `ALLOWED_HOSTS`, `CSRF_TRUSTED_ORIGINS`).
 */
const NOT_DIALLED_ENV = /^no_proxy$|(?:^|_)(?:SANS?|ALT_NAMES?|SUBJECT_ALT(?:ERNATIVE)?_NAMES?|CERT(?:IFICATE)?_(?:HOSTS?|NAMES?|DNS(?:_NAMES?)?)|(?:TLS|SERVING|WEBHOOK)_(?:AUTO_)?(?:HOSTS|DNS_NAMES?))$|(?:^|_)(?:HOST_?(?:WHITE|ALLOW)LIST(?:_ENTRIES)?|(?:ALLOWED|TRUSTED|VALID)_(?:HOSTS?|HOSTNAMES|DOMAINS|ORIGINS)|CSRF_TRUSTED_ORIGINS|CORS_(?:ALLOWED_)?ORIGINS?)$/i;

const VAULT_K8S = /(?:^|\/)vault-k8s(?:[:@]|$)/;
const VAULT = /(?:^|\/)vault(?:-enterprise)?(?:[:@]|$)/;
const DAPR_INJECTOR = /(?:^|\/)(?:dapr|daprio)\/injector(?:[:@]|$)/;
const DAPR_IMAGE = /(?:^|\/)(?:dapr|daprio)\/dapr(?:[:@]|$)/;

/**
 * An env variable whose address other pods dial, not the container's own, so its pod's DNS
 * settings do not decide whether the name resolves: vault-k8s's injector writes its
 * `AGENT_INJECT_*` addresses into the pods it mutates (`agent-inject/agent/annotations.go`), and
 * Dapr's injector its placement and scheduler addresses into its sidecars; a
 * Vault server advertises `VAULT_API_ADDR` to clients it redirects and `VAULT_CLUSTER_ADDR` to
 * its peers (raft, request forwarding), of which a template of fewer than two replicas has none
 * (Vault only parses the address, `command/server.go`).
 */
function dialledElsewhere(t: PodTemplate, c: Record<string, unknown>, name: string): boolean {
  const image = typeof c.image === 'string' ? c.image : '';
  if (VAULT_K8S.test(image)) return name.startsWith('AGENT_INJECT_');
  // Dapr's sidecar injector parses the placement and scheduler addresses and writes them, qualified, into the
  // daprd sidecars it injects (`pkg/injector/patcher/services.go`); `DAPR_SENTRY_ADDRESS` it dials itself.
  if (DAPR_INJECTOR.test(image) || (DAPR_IMAGE.test(image) && Array.isArray(c.command) && c.command.some((w) => typeof w === 'string' && /(?:^|\/)injector$/.test(w)))) {
    return /^(?:ACTORS|REMINDERS)_SERVICE_ADDRESS$|^SIDECAR_/.test(name);
  }
  if (!VAULT.test(image)) return false;
  if (name === 'VAULT_API_ADDR' || name === 'VAULT_REDIRECT_ADDR') return true;
  return name === 'VAULT_CLUSTER_ADDR' && t.replicas.mode === 'count' && t.replicas.count < 2;
}

const KONG_PLUGIN = /^Kong(Cluster)?Plugin$/;
/** A shell's substitution of the namespace file every pod's service account mount holds. */
const OWN_NAMESPACE = /\$\(\s*cat\s+\/(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/namespace\s*\)|`\s*cat\s+\/(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/namespace\s*`/g;
/** `<service>.<namespace>:<port>` (a Kafka bootstrap server, a gRPC address): read where the run defines Services in that namespace. */
const SERVICE_NS_PORT = /(?:^|[\s,;"'\[])[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?:\d{1,5}(?:$|[\s,;"'\]/])/;

/** Pod annotations whose host an injected container dials: the Vault Agent's Vault server address. */
const POD_ANNOTATION_HOSTS = ['vault.hashicorp.com/service'];

/**
 * Fields of custom resources whose hosts the operator's pods dial from the resource's own
 * namespace (Strimzi runs Kafka Connect, MirrorMaker 2 and the Bridge there, with these
 * bootstrap servers): a short name resolves in that namespace, as a pod's env value does.
 */
const POD_SIDE: readonly (readonly [string, string, string])[] = [
  ['kafka.strimzi.io', 'KafkaConnect', 'bootstrapServers'],
  ['kafka.strimzi.io', 'KafkaMirrorMaker2', 'bootstrapServers'],
  ['kafka.strimzi.io', 'KafkaBridge', 'bootstrapServers'],
];

/**
 * Groups whose kinds svclint reads through rules of their own (Gateway API, Istio's routes,
 * whose hosts the mesh's registry resolves), that Kubernetes serves itself, or whose names are
 * a certificate's (cert-manager).
 */
const NOT_CUSTOM = /(^|\.)k8s\.io$|^(apps|batch|policy|autoscaling|extensions)$|(^|\.)istio\.io$/;
/** Fields that hold names to match or to certify, not hosts to dial. */
const NOT_DIALED = /^(dnsNames|commonName|hosts|ipAddresses|uris|emailAddresses|subjectAltNames|sans|authority|sni|serverName)$/i;

/**
 * The port Prometheus dials for a Probe's `spec.prober.url`, an address without a scheme, when it
 * names no port: the prober's `scheme` default (80 for `http`, the default, 443 for `https`), as
 * for any scrape target without a port.
 */
function proberDefault(o: K8sObject, path: Path): { defaultPort?: number } {
  if (o.kind !== 'Probe' || !o.apiVersion.startsWith('monitoring.coreos.com/') || path.length !== 3 || path[0] !== 'spec' || path[1] !== 'prober' || path[2] !== 'url') return {};
  const scheme = getIn(o.body, ['spec', 'prober', 'scheme']);
  const s = scheme === undefined ? 'http' : typeof scheme === 'string' ? scheme.toLowerCase() : undefined;
  return s === 'http' ? { defaultPort: 80 } : s === 'https' ? { defaultPort: 443 } : {};
}

/** The pod annotations by which the OpenTelemetry operator injects an Instrumentation's SDK (or its `sdk` variables). */
const INSTRUMENTATION_INJECT = /^instrumentation\.opentelemetry\.io\/inject-(java|nodejs|python|dotnet|go|apache-httpd|nginx|sdk)$/;

/**
 * The pod templates, by namespace, into which the OpenTelemetry operator injects this
 * Instrumentation: a template annotated `instrumentation.opentelemetry.io/inject-<language>`
 * with the Instrumentation's name (in the pod's namespace), `<namespace>/<name>`, or `true` where
 * it is the only Instrumentation of the pod's namespace. The injected SDK dials the exporter
 * endpoint from the pod, so a short name resolves in the pod's namespace.
 */
function instrumented(graph: ServiceGraph, o: K8sObject): Map<string, PodTemplate[]> {
  const out = new Map<string, PodTemplate[]>();
  if (o.kind !== 'Instrumentation' || !o.apiVersion.startsWith('opentelemetry.io/')) return out;
  // The operator adds the endpoint only where no variable of that name is set first: the Instrumentation's own (`env`, a language's `env`), or the container's.
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const setsEndpoint = (env: unknown) => Array.isArray(env) && env.some((e) => getIn(e, ['name']) === 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (setsEndpoint(spec.env) || Object.values(spec).some((v) => isRecord(v) && setsEndpoint(v.env))) return out;
  const own = objectsOfKind(graph, 'Instrumentation').filter((x) => x.apiVersion.startsWith('opentelemetry.io/'));
  for (const t of graph.templates) {
    if (containersOf(t).some(({ c }) => setsEndpoint(c.env))) continue;
    const ann = getIn(t.owner.body, [...t.path, 'metadata', 'annotations']);
    if (!isRecord(ann)) continue;
    const picks = Object.entries(ann).some(([k, v]) => {
      if (!INSTRUMENTATION_INJECT.test(k) || typeof v !== 'string') return false;
      if (v === 'true') return o.namespace === t.namespace && own.filter((x) => x.namespace === t.namespace).length === 1;
      const [ns, name] = v.includes('/') ? v.split('/', 2) as [string, string] : [t.namespace, v];
      return ns === o.namespace && name === o.name;
    });
    if (!picks) continue;
    const list = out.get(t.namespace);
    if (list) list.push(t);
    else out.set(t.namespace, [t]);
  }
  return out;
}

/** An object of a custom resource kind (a group with a dot that is not one of Kubernetes' own). */
function isCustomResource(o: K8sObject): boolean {
  const slash = o.apiVersion.indexOf('/');
  if (slash < 0) return false;
  const group = o.apiVersion.slice(0, slash);
  return group.includes('.') && !NOT_CUSTOM.test(group);
}

/** Every string under a value, with its path (bounded in depth: custom specs can be deep). */
function strings(v: unknown, path: Path, depth: number, out: (value: string, path: Path) => void, keys?: ReadonlySet<string>, tree?: (path: Path) => boolean): void {
  if (depth > 12) return;
  if (typeof v === 'string') {
    // In a subtree read as a whole, a `host:port` (`tempo:4317`) is a host too, and a long text (a configuration) is read.
    const whole = tree !== undefined && tree(path) && (HOST_PORT_TEXT.test(v) || v.includes('\n'));
    if (v.includes('.svc') || v.includes('://') || SERVICE_NS_PORT.test(v) || whole || (keys && keys.has(String(path[path.length - 1])))) out(v, path);
  } else if (Array.isArray(v)) v.forEach((x, i) => strings(x, pathTo(path, i), depth + 1, out, keys, tree));
  else if (isRecord(v)) for (const [k, x] of Object.entries(v)) strings(x, pathTo(path, k), depth + 1, out, keys, tree);
}

/** `name:port` anywhere in a value. */
const HOST_PORT_TEXT = /[a-z][-a-z0-9.]*:\d{1,5}\b/i;
/** Keys whose value is one host in a subtree read whole. */
const TREE_HOST_KEYS = ['endpoint', 'address', 'host', 'serverAddress', 'bootstrapServers', 'url'];

/**
 * Subtrees of custom resources that the operator's pods read as their configuration, in the
 * resource's own namespace: the OpenTelemetry Operator runs the collector of an
 * OpenTelemetryCollector there, with its `config` (a YAML text in v1alpha1, an object in v1beta1).
 * A Dapr `Component` is loaded by the daprd sidecars of its own namespace (the operator hands a
 * sidecar the components of its namespace), which dial the hosts of its `metadata`.
 */
const POD_SIDE_TREES: readonly (readonly [string, string, readonly string[]])[] = [
  ['opentelemetry.io', 'OpenTelemetryCollector', ['spec', 'config']],
  ['dapr.io', 'Component', ['spec', 'metadata']],
];

/**
 * Custom resources whose hosts a controller dials itself, from its own namespace, where the run
 * holds that controller: KEDA's operator queries a trigger's server (`serverAddress`), Traefik
 * calls a ForwardAuth middleware's `address`, the Alertmanager of prometheus-operator sends an
 * AlertmanagerConfig's receivers. A short name resolves in the controller's namespace, not the
 * resource's.
 */
export function controllerSide(graph: ServiceGraph, o: K8sObject): { namespace: string; by: string; under: readonly string[] } | undefined {
  const group = o.apiVersion.slice(0, o.apiVersion.indexOf('/'));
  let found: { namespaces: string[]; by: string; under: readonly string[] } | undefined;
  if (group === 'keda.sh' && (o.kind === 'ScaledObject' || o.kind === 'ScaledJob')) {
    found = { namespaces: workloadNamespaces(graph, (w, image) => w.name === 'keda-operator' || /(^|\/)keda(:|@|$)/.test(image)), by: 'KEDA\'s operator', under: ['spec', 'triggers'] };
  } else if (/^traefik\.(io|containo\.us)$/.test(group) && o.kind === 'Middleware') {
    found = { namespaces: workloadNamespaces(graph, (_w, image) => /(^|\/)traefik(:|@|$)/.test(image)), by: 'Traefik', under: ['spec', 'forwardAuth'] };
  } else if (group === 'monitoring.coreos.com' && o.kind === 'AlertmanagerConfig') {
    found = { namespaces: [...new Set(objectsOfKind(graph, 'Alertmanager').filter((x) => x.apiVersion.startsWith('monitoring.coreos.com/')).map((x) => x.namespace))], by: 'Alertmanager', under: ['spec', 'receivers'] };
  }
  // One namespace, and another than the resource's: there the short name is looked up.
  if (!found || found.namespaces.length !== 1 || found.namespaces[0] === o.namespace) return undefined;
  return { namespace: found.namespaces[0]!, by: found.by, under: found.under };
}

/** TriggerAuthentication parameters that name a server KEDA's scaler connects to. */
const KEDA_HOST_PARAMETER = /host|address|server|url|broker|endpoint|connection|bootstrap/i;

/**
 * Secret keys that a KEDA `TriggerAuthentication` hands a scaler as a server's address
 * (`secretTargetRef`), for a ScaledObject or ScaledJob whose triggers use it, where the run holds
 * KEDA's operator in another namespace: the operator dials the value from there, so a short name
 * resolves in KEDA's namespace, not the Secret's. By `namespace/name` of the Secret, then key.
 */
function kedaSecretKeys(graph: ServiceGraph): Map<string, Map<string, { parameter: string; auth: string; scaler: string; by: string; namespace: string }>> | undefined {
  let out: Map<string, Map<string, { parameter: string; auth: string; scaler: string; by: string; namespace: string }>> | undefined;
  for (const kind of ['ScaledObject', 'ScaledJob']) {
    for (const so of objectsOfKind(graph, kind)) {
      if (!so.apiVersion.startsWith('keda.sh/')) continue;
      const triggers = getIn(so.body, ['spec', 'triggers']);
      if (!Array.isArray(triggers) || triggers.length === 0) continue;
      const dialler = controllerSide(graph, so);
      if (!dialler) continue;
      for (const tr of triggers) {
        const ref = getIn(tr, ['authenticationRef']);
        if (!isRecord(ref) || typeof ref.name !== 'string' || (ref.kind ?? 'TriggerAuthentication') !== 'TriggerAuthentication') continue;
        const auth = objectsOfKind(graph, 'TriggerAuthentication').find((x) => x.apiVersion.startsWith('keda.sh/') && x.namespace === so.namespace && x.name === ref.name);
        const targets = auth ? getIn(auth.body, ['spec', 'secretTargetRef']) : undefined;
        for (const t of Array.isArray(targets) ? targets : []) {
          const parameter = getIn(t, ['parameter']);
          const name = getIn(t, ['name']);
          const key = getIn(t, ['key']);
          if (typeof parameter !== 'string' || typeof name !== 'string' || typeof key !== 'string' || !KEDA_HOST_PARAMETER.test(parameter)) continue;
          out ??= new Map();
          let keys = out.get(`${so.namespace}/${name}`);
          if (!keys) out.set(`${so.namespace}/${name}`, (keys = new Map()));
          if (!keys.has(key)) keys.set(key, { parameter, auth: `TriggerAuthentication ${auth!.namespace}/${auth!.name}`, scaler: `${so.kind} ${so.namespace}/${so.name}`, by: dialler.by, namespace: dialler.namespace });
        }
      }
    }
  }
  return out;
}

/** The namespaces of the run's workloads that a test picks (by name or by a container image). */
function workloadNamespaces(graph: ServiceGraph, pick: (w: K8sObject, image: string) => boolean): string[] {
  const out = new Set<string>();
  for (const t of graph.templates) {
    const images = containersOf(t).map(({ c }) => (typeof c.image === 'string' ? c.image : ''));
    if (images.some((i) => pick(t.owner, i))) out.add(t.namespace);
  }
  return [...out];
}

/**
 * The Service port a connection to `port` reaches: a Service port of that number (headless:
 * also the pods' port, as clients connect to pods directly); for an SRV name the port of that
 * name and protocol. Undefined when the port is not exposed or the host is not a Service.
 */
function portReached(r: DnsResolution, port: number | undefined, srv?: { port: string; protocol: string }): ServicePortNode | undefined {
  if (r.kind !== 'service' && r.kind !== 'pod') return undefined;
  const svc = r.service;
  if (srv) return svc.ports.find((p) => p.name === srv.port && p.protocol === srv.protocol);
  if (port === undefined) return undefined;
  return svc.ports.find((p) => p.port === port) ?? (svc.headless ? svc.ports.find((p) => p.resolutions.some((x) => x.targetPort === port)) : undefined);
}

/**
 * The Service whose EndpointSlices a client asks the API for (by its name and namespace, no
 * DNS): unknown where the run defines no Service in that namespace; for a bare name also
 * where the name is a Service of other namespaces only, or a workload.
 */
function endpointsOf(graph: ServiceGraph, namespace: string, name: string, form: 'short' | 'namespaced'): DnsResolution {
  if (graph.servicesIn(namespace).length === 0) return { kind: 'unknown' };
  const svc = graph.service(namespace, name);
  if (svc) return { kind: 'service', service: svc, namespace, form };
  return { kind: 'missing', name, namespace, form };
}

/**
 * The Service port a client that reads EndpointSlices reaches (sercand/kuberesolver): the port
 * of that name, the port whose pods listen on `port` (the client dials the endpoint's address
 * with it), or the first port when the target names none.
 */
function endpointPortReached(r: DnsResolution, port: number | undefined, name: string | undefined): ServicePortNode | undefined {
  if (r.kind !== 'service') return undefined;
  const ports = r.service.ports;
  if (name !== undefined) return ports.find((p) => p.name === name);
  if (port === undefined) return ports[0];
  return ports.find((p) => p.resolutions.some((x) => x.targetPort === port) || (p.target.kind === 'number' && p.target.value === port));
}

/**
 * The readers of a site grouped by their resolver: pods with the standard ClusterFirst
 * resolver share one edge (key ''), each other resolver gets its own, with its own clients.
 */
function resolverGroups(graph: ServiceGraph, site: ReferenceSite): { key: string; site: ReferenceSite; clients: PodTemplate[] }[] {
  const by = new Map<string, PodTemplate[]>();
  for (const t of site.clients) {
    const aliases = aliasKey(t);
    const key = resolverKey(podResolver(graph, t)) + (aliases ? `\u0000${aliases}` : '');
    const list = by.get(key);
    if (list) list.push(t);
    else by.set(key, [t]);
  }
  if (by.size === 0 || (by.size === 1 && by.has(''))) return [{ key: '', site, clients: site.clients.slice() }];
  return [...by].map(([key, clients]) => ({ key, site: { ...site, clients }, clients }));
}

const cache = new WeakMap<ServiceGraph, readonly ReferenceEdge[]>();

/** Mounted files this long or longer are read through the run's memo (a shorter one costs less to read than to look up). */
const MEMO_MIN_CHARS = 512;

const isHostRefs = (v: unknown): v is HostRef[] => Array.isArray(v) && v.every((h) => isRecord(h) && typeof h.text === 'string' && typeof h.host === 'string'
  && (h.port === undefined || typeof h.port === 'number') && (h.defaultPort === undefined || typeof h.defaultPort === 'number')
  && (h.absolute === undefined || typeof h.absolute === 'boolean') && (h.position === undefined || typeof h.position === 'boolean')
  && (h.srv === undefined || (isRecord(h.srv) && typeof h.srv.port === 'string' && typeof h.srv.protocol === 'string'))
  && (h.namespaced === undefined || (isRecord(h.namespaced) && typeof h.namespaced.namespace === 'string' && typeof h.namespaced.name === 'string'))
  && (h.endpoints === undefined || (isRecord(h.endpoints) && (h.endpoints.portName === undefined || typeof h.endpoints.portName === 'string')))
  && (h.profiles === undefined || (Array.isArray(h.profiles) && h.profiles.every((p) => typeof p === 'string')))
  && (h.lookup === undefined || (isRecord(h.lookup) && (h.lookup.how === 'never' || h.lookup.how === 'no-search') && typeof h.lookup.why === 'string' && (h.lookup.unlessPodServes === undefined || typeof h.lookup.unlessPodServes === 'number')))
  && (h.property === undefined || typeof h.property === 'string') && (h.portProperty === undefined || typeof h.portProperty === 'string')
  && (h.railsEnv === undefined || typeof h.railsEnv === 'string') && (h.nodeEnv === undefined || typeof h.nodeEnv === 'string')
  && (h.unlessEnv === undefined || (Array.isArray(h.unlessEnv) && h.unlessEnv.every((n) => typeof n === 'string'))));

/** Whether no container of a template sets one of these variables (nor has envFrom, which might). */
function leavesUnset(t: PodTemplate, names: readonly string[]): boolean {
  return containersOf(t).every(({ c }) => !(Array.isArray(c.envFrom) && c.envFrom.length > 0) && !(Array.isArray(c.env) && c.env.some((e) => isRecord(e) && typeof e.name === 'string' && names.includes(e.name))));
}

/**
 * Whether the pods of a template all name a node-config environment (a literal `NODE_CONFIG_ENV`,
 * else `NODE_ENV`, in every container) and none of them names this one: its file is not loaded.
 */
function otherNodeEnv(t: PodTemplate, env: string): boolean {
  const containers = containersOf(t);
  return containers.length > 0 && containers.every(({ c }) => {
    const list = Array.isArray(c.env) ? c.env.filter(isRecord) : [];
    const value = (name: string) => list.findLast((e) => e.name === name)?.value;
    const v = value('NODE_CONFIG_ENV') ?? value('NODE_ENV');
    return typeof v === 'string' && v !== '' && v !== env;
  });
}

/**
 * The Rails environments a template's containers set (`RAILS_ENV`, else `RACK_ENV`, as literal
 * env values). Empty when none is written: an image may set its own, so no section is judged.
 */
function railsEnvs(t: PodTemplate): Set<string> {
  const out = new Set<string>();
  for (const { c } of containersOf(t)) {
    const env = Array.isArray(c.env) ? c.env.filter(isRecord) : [];
    const value = (name: string) => env.find((e) => e.name === name)?.value;
    const v = value('RAILS_ENV') ?? value('RACK_ENV');
    if (typeof v === 'string' && v !== '') out.add(v);
  }
  return out;
}

/**
 * Whether every container of a template sets one of these environment variables itself (a Spring
 * property's, `SPRING_DATASOURCE_URL`), which Spring Boot ranks over its files. A container with
 * `envFrom` may or may not: not counted.
 */
function setsEnv(t: PodTemplate, names: readonly string[]): boolean {
  const containers = containersOf(t);
  return containers.length > 0 && containers.every(({ c }) => !Array.isArray(c.envFrom) && Array.isArray(c.env) && c.env.some((e) => isRecord(e) && typeof e.name === 'string' && names.includes(e.name)));
}

const springCache = new WeakMap<PodTemplate, Set<string>>();

/**
 * The Spring profiles a template's containers activate as written: `SPRING_PROFILES_ACTIVE`,
 * or `spring.profiles.active` in an argument or an env value (`--spring.profiles.active=k8s`,
 * `JAVA_OPTS=-Dspring.profiles.active=k8s`).
 */
function springActive(t: PodTemplate): Set<string> {
  let out = springCache.get(t);
  if (out) return out;
  out = new Set<string>();
  const add = (list: string) => { for (const p of list.split(',')) if (p.trim()) out!.add(p.trim()); };
  for (const { c } of containersOf(t)) {
    const texts: string[] = [];
    for (const e of Array.isArray(c.env) ? c.env : []) {
      if (!isRecord(e) || typeof e.value !== 'string') continue;
      if (e.name === 'SPRING_PROFILES_ACTIVE') add(e.value);
      else texts.push(e.value);
    }
    for (const a of [...(Array.isArray(c.args) ? c.args : []), ...(Array.isArray(c.command) ? c.command : [])]) if (typeof a === 'string') texts.push(a);
    for (const text of texts) for (const m of text.matchAll(/spring\.profiles\.active[=\s]+["']?([\w.,-]+)/g)) add(m[1]!);
  }
  springCache.set(t, out);
  return out;
}

/**
 * The hosts pods dial, as the run can see them: each host found in env values, args,
 * commands, ConfigMap data and generic Secrets' values, resolved the way the reading pods' resolver would.
 * Computed once per graph.
 */
/** Flags of Pulsar's `initialize-cluster-metadata` whose URLs it stores as the cluster's, with their values. */
const STORED_URL_FLAGS = /--(?:web-service-url|broker-service-url)(?:-tls)?(?:=|\s+)\S+/g;

/** Workload kinds whose pods get generated names (`<deployment>-<hash>-<suffix>`, `<job>-<suffix>`). */
const GENERATED_NAMES = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob']);
/** The built-in groups of those kinds: a custom resource of the same kind is another controller's. */
const BUILTIN_WORKLOAD = /^(v1|apps\/v1|batch\/v1|apps\/v1beta[12]|extensions\/v1beta1|batch\/v1beta1)$/;

export function references(graph: ServiceGraph): readonly ReferenceEdge[] {
  let edges = cache.get(graph);
  if (edges) return edges;
  const out: ReferenceEdge[] = [];
  // The hosts of one text under one key, read once: copies of an application repeat their values.
  const read = new Map<string, Map<string, readonly HostRef[]>>();
  const hostsIn = (file: boolean, key: string | undefined, value: string): readonly HostRef[] => {
    const k = `${file ? 'f' : 'v'}${key === undefined ? '' : `:${key}`}`;
    let byValue = read.get(k);
    if (!byValue) read.set(k, (byValue = new Map()));
    let refs = byValue.get(value);
    if (!refs) {
      // A mounted file is read by its format; other values (env, args, plain keys) by their text.
      refs = file && value.length >= MEMO_MIN_CHARS
        ? ofText(graph, `hosts:${key}`, value, () => configFileHosts(key!, value) ?? findHosts(uncommentedText(key!, value), key), isHostRefs)
        : file ? configFileHosts(key!, value) ?? findHosts(uncommentedText(key!, value), key) : findHosts(value, key);
      byValue.set(value, refs);
    }
    return refs;
  };
  // A host resolves the same way from every site of one namespace.
  const resolutions = new Map<string, DnsResolution>();
  const resolved = (name: string, namespace: string): DnsResolution => {
    const key = `${namespace}\u0000${name}`;
    let r = resolutions.get(key);
    if (!r) resolutions.set(key, (r = resolveHost(graph, name, namespace)));
    return r;
  };
  visitSites(graph, (make, value, hint) => {
    // A ConfigMap or Secret key may be mounted as a file: read by its format.
    const all = hostsIn(hint.file, hint.file && hint.format ? hint.format : hint.key, value);
    // Only `<service>.<namespace>.svc[.<domain>]` names where the resolving pods are unknown.
    // Or a URL's `<service>.<namespace>` where the run defines Services in that namespace:
    // it names the same Service from any namespace (a Flagger webhook's `url`).
    const qualified = hint.qualifiedOnly ? all.filter((r) => /^[^.]+\.[^.]+\.svc(\.|$)/i.test(r.host) || (/^[^.]+\.[^.]+$/.test(r.host) && (r.port !== undefined || (r.position === true && /^[a-z][a-z0-9-]*:\/\//i.test(r.text))) && graph.servicesIn(r.host.split('.')[1]!.toLowerCase()).length > 0)) : all;
    // `proxy_pass http://app` names the upstream group `app` that another included file defines.
    const upstreams = hint.upstreams;
    const refs = upstreams ? qualified.filter((r) => r.port !== undefined || !upstreams.has(r.host.toLowerCase())) : qualified;
    // Most texts name no host and no Service link: their sites are never built.
    if (refs.length === 0 && !(hint.expands && value.includes('$('))) return;
    const site = make();
    const groups = resolverGroups(graph, site);
    for (const written of refs) {
      let ref = written;
      // A Spring profile's document counts only for readers that activate the profile.
      if (ref.profiles && !site.clients.some((t) => ref.profiles!.some((p) => profileMatches(p, [...springActive(t)]) === true))) continue;
      // A Rails environment's section is read by pods that run in that environment, which the run must show.
      if (ref.railsEnv !== undefined && !site.clients.some((t) => railsEnvs(t).has(ref.railsEnv!))) continue;
      if (ref.nodeEnv !== undefined && site.clients.length > 0 && site.clients.every((t) => otherNodeEnv(t, ref.nodeEnv!))) continue;
      // A placeholder's default is dialled only where every reader leaves its variables unset (and may not set them through envFrom).
      if (ref.unlessEnv && (site.clients.length === 0 || !site.clients.every((t) => leavesUnset(t, ref.unlessEnv!)))) continue;
      // The environment's value of the property wins over the file's (Spring Boot's externalized configuration).
      if (ref.property && site.clients.length > 0 && site.clients.every((t) => setsEnv(t, springEnvNames(ref.property!)))) continue;
      // So does the port's: the port the file gives is then not the one dialled.
      if (ref.portProperty && site.clients.length > 0 && site.clients.every((t) => setsEnv(t, springEnvNames(written.portProperty!)))) {
        const { port: _port, defaultPort: _default, ...rest } = ref;
        ref = rest;
      }
      const name = ref.absolute ? `${ref.host}.` : ref.host;
      if (ref.endpoints) {
        const base = endpointsOf(graph, ref.namespaced?.namespace ?? site.namespace, ref.namespaced?.name ?? ref.host.toLowerCase(), ref.namespaced ? 'namespaced' : 'short');
        // The client reads the Service's EndpointSlices from the API: no resolver or host alias of the pod takes part.
        const servicePort = endpointPortReached(base, ref.port, ref.endpoints.portName);
        out.push({
          site,
          text: withoutGeneratedLabels(graph, ref.text),
          host: ref.host,
          endpoints: { ...(ref.port !== undefined ? { port: ref.port } : {}), ...(ref.endpoints.portName ? { portName: ref.endpoints.portName } : {}) },
          ...(ref.namespaced ? { namespaced: true } : {}),
          ...(ref.position ? { position: true } : {}),
          resolution: base,
          ...(servicePort ? { servicePort } : {}),
        });
        continue;
      }
      const base = resolved(name, site.namespace);
      for (const g of groups) {
        const client = g.clients[0];
        const alias = client ? hostAliases(client).get(ref.host.toLowerCase()) : undefined;
        // An address other pods dial resolves by their settings, which the run does not tie to these clients: the namespace's standard resolver.
        const dns = g.key === '' || site.dialledElsewhere ? base : resolveFor(graph, name, site.namespace, podResolver(graph, client!), base, client!);
        const resolution: DnsResolution = alias && client
          ? { kind: 'host-alias', ip: alias.ip, client, path: alias.path, ...(dns.kind === 'service' ? { shadows: dns.service } : {}) }
          : dns;
        // A whole-value host without a port of its own takes its sibling variable's (`DB_HOST` + `DB_PORT`).
        const sibling = ref.port === undefined && ref.position && site.portFrom ? site.portFrom : undefined;
        const port = ref.port ?? sibling?.value;
        const udpWhole = hint.udp !== undefined && !hint.file && (ref.position === true || ref.text === value.trim());
        const udpPort = udpWhole && port === undefined && site.portFrom ? site.portFrom : undefined;
        // A field whose client dials a port of its own when the value names none (a Probe's prober address: its scheme's).
        const dflt = ref.defaultPort ?? (hint.defaultPort !== undefined && port === undefined && ref.text === value.trim() ? hint.defaultPort : undefined);
        const servicePort = portReached(resolution, port ?? dflt, ref.srv);
        out.push({
          site: g.site,
          text: withoutGeneratedLabels(graph, ref.text),
          host: ref.host,
          ...(port !== undefined ? { port } : {}),
          ...(sibling ? { portFrom: sibling.name } : {}),
          ...(dflt !== undefined ? { defaultPort: dflt } : {}),
          // A whole-value host under a key that UDP clients read (`STATSD_HOST`): datagrams, to its port, its sibling variable's, or the clients' default.
          ...(udpWhole ? { protocol: 'UDP' as const, ...(udpPort ? { port: udpPort.value, portFrom: udpPort.name } : port === undefined && ref.defaultPort === undefined ? { defaultPort: hint.udp } : {}) } : {}),
          ...(ref.srv ? { srv: ref.srv } : {}),
          ...(ref.namespaced ? { namespaced: true } : {}),
          ...(ref.position ? { position: true } : {}),
          ...(ref.lookup ? { lookup: ref.lookup } : {}),
          resolution,
          ...(servicePort ? { servicePort } : {}),
        });
      }
    }
    const client = site.clients[0];
    if (site.expands && !site.expands.envFrom && client) {
      for (const l of findLinks(graph, value, client, site.expands.defined)) {
        out.push({ site, text: l.text, host: l.service, resolution: l.resolution, ...(l.servicePort ? { servicePort: l.servicePort } : {}) });
      }
    }
  });
  edges = out;
  cache.set(graph, edges);
  return edges;
}
