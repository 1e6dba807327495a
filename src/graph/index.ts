import { clusterDnsConfig } from './cluster-dns-config.js';
import { trimmed, type K8sObject } from '../types/object.js';
import type { CustomPodSource, GraphSettings, NotReadyReason, PodTemplate, PortResolution, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { LoadProblem } from '../types/problem.js';
import type { SourceFile } from '../types/source.js';
import { isRecord } from '../load/objects.js';
import { extractTemplate, getIn, keyMap, lenientInt, notReadyReasons, podSourceOf, stringMap } from './pods.js';
import { findPort, readTargetPort } from './findport.js';
import { CONTROLLER_LABELS, controllerLabelMatches } from './controller-labels.js';

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

/** Label index: namespace → "key=value" → templates. Selection intersects the smallest list. */
class LabelIndex {
  private byNs = new Map<string, Map<string, PodTemplate[]>>();
  private all = new Map<string, PodTemplate[]>();
  private nsTemplates = new Map<string, PodTemplate[]>();

  add(t: PodTemplate): void {
    let ns = this.byNs.get(t.namespace);
    if (!ns) this.byNs.set(t.namespace, (ns = new Map()));
    let list = this.nsTemplates.get(t.namespace);
    if (!list) this.nsTemplates.set(t.namespace, (list = []));
    list.push(t);
    for (const [k, v] of Object.entries(t.labels)) {
      const key = pairKey(k, v);
      push(ns, key, t);
      push(this.all, key, t);
    }
  }

  /** Drops the spare room of every list once all templates are in: one list per label of a run is mostly one template long. */
  seal(): void {
    for (const ns of this.byNs.values()) sealLists(ns);
    sealLists(this.all);
    sealLists(this.nsTemplates);
  }

  in(namespace: string): readonly PodTemplate[] {
    return this.nsTemplates.get(namespace) ?? [];
  }

  private select(index: Map<string, PodTemplate[]> | undefined, everything: () => PodTemplate[], selector: Record<string, string>): PodTemplate[] {
    const all = Object.entries(selector);
    if (!index || all.length === 0) return [];
    // Labels that controllers add are not in templates: filter on them after the index lookup.
    const entries = all.filter(([k]) => !CONTROLLER_LABELS.has(k));
    const added = all.filter(([k]) => CONTROLLER_LABELS.has(k));
    let smallest: PodTemplate[] | undefined;
    for (const [k, v] of entries) {
      const list = index.get(pairKey(k, v));
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return trimmed((smallest ?? everything()).filter(
      (t) => entries.every(([k, v]) => t.labels[k] === v) && added.every(([k, v]) => controllerLabelMatches(t, k, v)),
    ));
  }

  selectIn(namespace: string, selector: Record<string, string>): PodTemplate[] {
    return this.select(this.byNs.get(namespace), () => [...this.in(namespace)], selector);
  }

  selectAnywhere(selector: Record<string, string>): PodTemplate[] {
    return this.select(this.all, () => [...this.nsTemplates.values()].flat(), selector);
  }
}

/** Replaces every list of a map by a copy without spare room (see `trimmed`). */
function sealLists<K, V>(m: Map<K, V[]>): void {
  for (const [k, list] of m) m.set(k, trimmed(list));
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * Builds the one graph of a run: every Service with the pod templates its selector picks
 * (same resolved namespace, template labels), FindPort per port and template, and the
 * hand-written endpoints of selectorless Services.
 */
export function buildGraph(objects: K8sObject[], settings: GraphSettings, loadProblems: LoadProblem[] = [], files: SourceFile[] = []): ServiceGraph {
  // The cluster's DNS configuration in the input: the domain it states (unless one was given)
  // and CoreDNS's options. A live cluster's objects are the state itself.
  if (!settings.live && objects.some((o) => o.kind === 'ConfigMap' && o.namespace === 'kube-system' && (o.name === 'coredns' || o.name === 'kubeadm-config'))) {
    const dns = clusterDnsConfig(objects);
    settings = {
      ...settings,
      // A domain other than the default that the input states is the cluster's (a file that says
      // `cluster.local` changes nothing: other clusters' files in the run may use their own).
      ...(dns.domain && dns.domain !== 'cluster.local' && !settings.clusterDomainGiven ? { clusterDomain: dns.domain } : {}),
      ...(dns.pods ? { coredns: { pods: dns.pods, endpointPodNames: dns.endpointPodNames === true } } : {}),
    };
  }
  const index = new LabelIndex();
  const templates: PodTemplate[] = [];
  const serviceObjects: K8sObject[] = [];
  const custom = new Map<string, CustomPodSource[]>();
  const workloadTemplates: PodTemplate[] = [];
  const endpoints = new Map<string, K8sObject[]>();
  for (const o of objects) {
    if (o.kind === 'Service' && isCoreV1(o)) {
      serviceObjects.push(o);
      continue;
    }
    if (o.kind === 'Endpoints' && isCoreV1(o)) {
      push(endpoints, `${o.namespace}/${o.name}`, o);
      continue;
    }
    if (o.kind === 'EndpointSlice') {
      const owner = getIn(o.body, ['metadata', 'labels', 'kubernetes.io/service-name']);
      if (typeof owner === 'string') push(endpoints, `${o.namespace}/${owner}`, o);
      continue;
    }
    // Live, the pods themselves are selected; their workloads' templates would count them twice.
    // A local workload laid over the cluster stands for the pods it will create.
    if (settings.live && o.kind !== 'Pod' && !o.overlay) {
      const wt = extractTemplate(o, -1 - workloadTemplates.length);
      if (wt) {
        workloadTemplates.push(wt);
        continue;
      }
    }
    const t = extractTemplate(o, templates.length);
    if (t) {
      templates.push(t);
      // A Helm test hook, or a hook Job or Pod (a certificate made before install), runs once and is
      // done: never a Service's backend in a manifest.
      if (settings.live || !helmHookRun(o)) index.add(t);
    } else if (isCustomResource(o)) {
      push(custom, o.namespace, { object: o, labels: customLabels(o) });
    }
  }
  // Argo Rollouts' `workloadRef`: the Rollout runs the named Deployment's pod template with its
  // own replica count, while the Deployment is scaled down (argo-rollouts' migration path).
  if (!settings.live) {
    for (const o of objects) {
      if (o.kind !== 'Rollout' || !o.apiVersion.startsWith('argoproj.io/')) continue;
      const ref = getIn(o.body, ['spec', 'workloadRef']);
      if (!isRecord(ref) || ref.kind !== 'Deployment' || typeof ref.name !== 'string') continue;
      const t = templates.find((x) => x.owner.kind === 'Deployment' && x.namespace === o.namespace && x.owner.name === ref.name);
      const own = podSourceOf(o)?.replicas(o);
      if (t && own?.mode === 'count' && t.replicas.mode === 'count' && own.count > t.replicas.count) t.replicas = own;
    }
  }
  index.seal();
  sealLists(endpoints);
  sealLists(custom);
  const shared: SharedBackends = new Map();
  const own = ownVariants(templates);
  const services = serviceObjects.map((o) => serviceNode(o, index, endpoints, shared, own));
  const byName = new Map(services.map((s) => [`${s.object.namespace}/${s.object.name}`, s]));
  const byNs = new Map<string, ServiceNode[]>();
  const byShortName = new Map<string, ServiceNode[]>();
  const definitions = new Map<string, ServiceNode[]>();
  for (const s of services) {
    push(byNs, s.object.namespace, s);
    push(byShortName, s.object.name, s);
    push(definitions, `${s.object.namespace}/${s.object.name}`, s);
  }
  sealLists(byNs);
  sealLists(byShortName);
  sealLists(definitions);
  const byOwner = new Map(templates.map((t) => [t.owner, t]));
  const namespaces = new Set<string>();
  for (const o of objects) {
    if (o.namespace) namespaces.add(o.namespace);
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.add(o.name);
  }
  const reasons = new Map<PodTemplate, NotReadyReason[]>();
  return {
    settings,
    files,
    objects,
    loadProblems,
    services,
    templates,
    templatesIn: (ns) => index.in(ns),
    select: (ns, sel) => index.selectIn(ns, sel),
    selectAnywhere: (sel) => index.selectAnywhere(sel),
    customPodSources: (ns) => custom.get(ns) ?? [],
    workloadTemplates,
    service: (ns, name) => byName.get(`${ns}/${name}`),
    serviceDefinitions: (ns, name) => definitions.get(`${ns}/${name}`) ?? [],
    servicesIn: (ns) => byNs.get(ns) ?? [],
    servicesNamed: (name) => byShortName.get(name) ?? [],
    namespaces,
    templateOf: (o) => byOwner.get(o),
    notReadyReasons: (t) => {
      let r = reasons.get(t);
      if (!r) reasons.set(t, (r = notReadyReasons(t)));
      return r;
    },
  };
}

/** API groups of Kubernetes itself; anything else is a custom resource. */
function isCustomResource(o: K8sObject): boolean {
  if (!o.namespace || !o.apiVersion.includes('/') || NOT_POD_OWNERS.test(o.kind)) return false;
  const group = o.apiVersion.split('/')[0]!;
  return !(group.endsWith('.k8s.io') || ['apps', 'batch', 'autoscaling', 'policy', 'extensions'].includes(group));
}

/** Custom kinds that select or configure pods but never create them. */
const NOT_POD_OWNERS = /(Monitor|Monitoring|Rule|Policy|Authentication|Route|Gateway|Service|Entry|Filter|Telemetry|Certificate|Issuer|Profile|Split|Binding|Config|Autoscaler|ScaledObject)$/;

const POD_LABEL_PATHS = [
  ['metadata', 'labels'],
  ['spec', 'podMetadata', 'labels'],
  ['spec', 'template', 'metadata', 'labels'],
  ['spec', 'podTemplate', 'metadata', 'labels'],
];

function customLabels(o: K8sObject): Record<string, string> {
  return Object.assign(keyMap<string>(), ...POD_LABEL_PATHS.map((p) => stringMap(getIn(o.body, p))));
}

function isCoreV1(o: K8sObject): boolean {
  return o.apiVersion === 'v1';
}

/**
 * Backends and port resolutions of Services with the same selector in the same namespace,
 * made once and shared (read-only): N Services on one selector over N templates hold one
 * list of N, not N lists of N.
 */
type SharedBackends = Map<string, { backends: PodTemplate[]; resolutions: Map<string, ReturnType<typeof findPort>[]> }>;

/**
 * A rule's answer for a list the graph shares between the Services of one selector (backends,
 * a port's resolutions), kept for the rule's check where the list is long: N Services over the
 * same N templates would ask N times (N²). A short list is answered again, which costs less than
 * keeping every answer.
 */
export function perList<V>(cache: Map<readonly unknown[], V>, list: readonly unknown[], make: () => V): V {
  if (list.length <= SHORT_LIST) return make();
  if (cache.has(list)) return cache.get(list)!;
  const v = make();
  cache.set(list, v);
  return v;
}
const SHORT_LIST = 8;

/** Each shared list of resolutions by template, made when first asked (lists are shared by Services of one selector). */
const resolutionIndex = new WeakMap<readonly PortResolution[], Map<PodTemplate, PortResolution>>();

/**
 * A Service port's resolution on one of its backends: one lookup, where a walk over the
 * resolutions for each backend is quadratic in the backends (N Services over N templates: N³).
 */
export function resolutionOn(port: ServicePortNode, t: PodTemplate): PortResolution | undefined {
  // Most Services select a template or two: a walk is cheaper than an index there.
  if (port.resolutions.length <= SHORT_LIST) return port.resolutions.find((r) => r.template === t);
  let byTemplate = resolutionIndex.get(port.resolutions);
  if (!byTemplate) {
    byTemplate = new Map();
    for (const r of port.resolutions) if (!byTemplate.has(r.template)) byTemplate.set(r.template, r);
    resolutionIndex.set(port.resolutions, byTemplate);
  }
  return byTemplate.get(t);
}

/**
 * Workloads defined in more than one file of a run (two overlays of one base, rendered each
 * into its own output; copies of a folder), by file: for each file, the identities of the
 * workloads it has a variant of. A file holds one variant of an application, applied on its
 * own: its Services select its own variant of such a workload, not another file's.
 */
function ownVariants(templates: PodTemplate[]): Map<SourceFile, Set<string>> {
  const files = new Map<string, Set<SourceFile>>();
  for (const t of templates) {
    const file = t.owner.origin?.file;
    if (!file) continue;
    const k = workloadKey(t);
    let set = files.get(k);
    if (!set) files.set(k, (set = new Set()));
    set.add(file);
  }
  const own = new Map<SourceFile, Set<string>>();
  for (const [k, set] of files) {
    if (set.size < 2) continue;
    for (const f of set) {
      let keys = own.get(f);
      if (!keys) own.set(f, (keys = new Set()));
      keys.add(k);
    }
  }
  return own;
}

function serviceNode(o: K8sObject, index: LabelIndex, endpoints: Map<string, K8sObject[]>, shared: SharedBackends = new Map(), own = new Map<SourceFile, Set<string>>()): ServiceNode {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
  const clusterIP = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
  const selector = stringMap(spec.selector);
  const mode = type === 'ExternalName' ? 'external-name' : Object.keys(selector).length > 0 ? 'selector' : 'manual';
  const file = o.origin?.file;
  const mine = file ? own.get(file) : undefined;
  const selectorKey = `${mine ? `${file!.path}\0` : ''}${o.namespace}\0${Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('\0')}`;
  let same = mode === 'selector' ? shared.get(selectorKey) : undefined;
  if (mode === 'selector' && !same) {
    let picked = index.selectIn(o.namespace, selector);
    // Another file's variant of a workload this Service's own file defines is not beside it.
    if (mine) picked = picked.filter((t) => t.owner.origin?.file === file || !mine.has(workloadKey(t)));
    shared.set(selectorKey, (same = { backends: picked, resolutions: new Map() }));
  }
  const backends = same?.backends ?? [];
  const resolve = (target: Parameters<typeof findPort>[1], protocol: string) => {
    if (!same) return backends.map((t) => findPort(t, target, protocol));
    const key = `${JSON.stringify(target)}\0${protocol}`;
    let r = same.resolutions.get(key);
    if (!r) same.resolutions.set(key, (r = backends.map((t) => findPort(t, target, protocol))));
    return r;
  };
  const ports: ServicePortNode[] = [];
  if (Array.isArray(spec.ports)) {
    spec.ports.forEach((p, i) => {
      if (!isRecord(p)) return;
      const path = ['spec', 'ports', i];
      const port = lenientInt(p.port);
      const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
      const { target, path: targetPath } = readTargetPort(p.targetPort, port, path);
      ports.push({
        index: i,
        path,
        name: typeof p.name === 'string' && p.name !== '' ? p.name : undefined,
        port,
        protocol,
        target,
        targetPath,
        resolutions: mode === 'external-name' ? [] : resolve(target, protocol),
      });
    });
  }
  return {
    object: o,
    type,
    headless: clusterIP === 'None',
    clusterIP,
    externalName: typeof spec.externalName === 'string' ? spec.externalName : undefined,
    mode,
    selector,
    selectorPath: ['spec', 'selector'],
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    backends,
    ports: trimmed(ports),
    manualEndpoints: mode === 'manual' ? endpoints.get(`${o.namespace}/${o.name}`) ?? [] : [],
    endpointObjects: endpoints.get(`${o.namespace}/${o.name}`) ?? [],
  };
}

const keys = new WeakMap<PodTemplate, string>();

/** Identity of a template's owner: objects with the same identity are one object in a cluster. */
export function workloadKey(t: PodTemplate): string {
  let k = keys.get(t);
  if (k === undefined) {
    const group = t.owner.apiVersion.includes('/') ? t.owner.apiVersion.split('/')[0] : '';
    keys.set(t, (k = `${group}|${t.owner.kind}|${t.namespace}|${t.owner.name}`));
  }
  return k;
}

/**
 * Groups items by their template's owner identity. The same workload defined twice in one
 * run (variants, overlays, copies) is one object in a cluster: callers treat the variants
 * of one workload together instead of reporting each copy.
 */
export function byWorkload<T extends { template: PodTemplate }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const it of items) push(groups, workloadKey(it.template), it);
  return [...groups.values()];
}

/**
 * Whether an object is a Helm hook that runs once: a test hook (`helm.sh/hook: test`, or the
 * older `test-success`/`test-failure`) of any kind, or a Job or Pod of any hook (`pre-install`…).
 */
export function helmHookRun(o: K8sObject): boolean {
  const hook = getIn(o.body, ['metadata', 'annotations', 'helm.sh/hook']);
  if (typeof hook !== 'string' || hook.trim() === '') return false;
  return o.kind === 'Job' || o.kind === 'Pod' || hook.split(',').some((h) => /^\s*test(-success|-failure)?\s*$/.test(h));
}
