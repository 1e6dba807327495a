import { createdService } from './creators.js';
import type { PodTemplate, ServiceGraph, ServiceNode } from '../types/graph.js';
import type { DnsResolution, PodResolver } from '../types/reference.js';
import { getIn } from './pods.js';
import { statefulSetOrdinals } from './controller-labels.js';

export type { DnsResolution };

/** Services every cluster has, whether or not the manifests define them. */
const BUILTIN = new Set(['default/kubernetes', 'kube-system/kube-dns']);

/** Multi-cluster Service names (the MCS API) resolve elsewhere; they are not this cluster's. */
const OTHER_DOMAINS = new Set(['clusterset.local']);

/** A pod A record's first label: the pod IP with dashes (`10-1-2-3`, or IPv6 with `-` for `:`). */
const DASHED_IP = /^(\d{1,3}-){3}\d{1,3}$|^[0-9a-f]*(-[0-9a-f]*){2,7}$/;

interface Names {
  /** `ns/name` → the pod template of a workload (Pod, Deployment, StatefulSet…) of that name. */
  workloads: Map<string, PodTemplate>;
  /** `ns/subdomain` → templates whose pods set `hostname` and that `subdomain`. */
  hostnames: Map<string, PodTemplate[]>;
}

const indexes = new WeakMap<ServiceGraph, Names>();

/** Workloads and pod hostnames indexed by namespace and name, once per graph. */
function names(graph: ServiceGraph): Names {
  let n = indexes.get(graph);
  if (n) return n;
  n = { workloads: new Map(), hostnames: new Map() };
  for (const t of [...graph.templates, ...graph.workloadTemplates]) {
    const key = `${t.namespace}/${t.owner.name}`;
    if (!n.workloads.has(key) || t.owner.kind === 'StatefulSet') n.workloads.set(key, t);
    // The StatefulSet controller sets its pods' hostname to the pod's name and subdomain to its
    // serviceName, whatever the template says (initIdentity): statefulSetOf names those.
    if (t.owner.kind === 'StatefulSet' && t.path.length > 0) continue;
    const hostname = getIn(t.owner.body, [...t.path, 'spec', 'hostname']);
    const subdomain = getIn(t.owner.body, [...t.path, 'spec', 'subdomain']);
    if ((typeof hostname === 'string' || indexedJobHostnames(t)) && typeof subdomain === 'string') {
      const k = `${t.namespace}/${subdomain}`;
      const list = n.hostnames.get(k);
      if (list) list.push(t);
      else n.hostnames.set(k, [t]);
    }
  }
  indexes.set(graph, n);
  return n;
}

/**
 * The hostnames an Indexed Job's controller gives its pods: `<job>-<index>` for every index
 * below `completions`, whatever the template's own `hostname` says (the Job controller sets
 * it on every pod it creates). `count` is undefined when `completions` is not a number the run
 * shows. A CronJob's Jobs have generated names, so their pods' hostnames are unknown (`job`
 * undefined). Undefined for any other template.
 */
export function indexedJobHostnames(t: PodTemplate): { job?: string; count?: number } | undefined {
  const kind = t.owner.kind;
  if ((kind !== 'Job' && kind !== 'CronJob') || !t.owner.apiVersion.startsWith('batch/')) return undefined;
  const jobSpec = kind === 'Job' ? ['spec'] : ['spec', 'jobTemplate', 'spec'];
  if (getIn(t.owner.body, [...jobSpec, 'completionMode']) !== 'Indexed') return undefined;
  if (kind === 'CronJob') return {};
  const c = getIn(t.owner.body, [...jobSpec, 'completions']);
  return { job: t.owner.name, ...(typeof c === 'number' && Number.isInteger(c) && c >= 0 ? { count: c } : {}) };
}

/** Whether a template's pods may have hostname `host`: the template's own, or an Indexed Job's. */
function hasHostname(t: PodTemplate, host: string): boolean {
  const indexed = indexedJobHostnames(t);
  if (!indexed) return getIn(t.owner.body, [...t.path, 'spec', 'hostname']) === host;
  if (indexed.job === undefined) return true;
  if (!host.startsWith(`${indexed.job}-`)) return false;
  const i = host.slice(indexed.job.length + 1);
  return /^(0|[1-9]\d*)$/.test(i) && (indexed.count === undefined || Number(i) < indexed.count);
}

const serviceNameOf = (t: PodTemplate): string | undefined => {
  const sn = getIn(t.owner.body, ['spec', 'serviceName']);
  return typeof sn === 'string' && sn !== '' ? sn : undefined;
};

function statefulSetOf(graph: ServiceGraph, namespace: string, pod: string): { t: PodTemplate; ordinal: number } | undefined {
  const m = /^(.+)-(\d+)$/.exec(pod);
  const t = m ? names(graph).workloads.get(`${namespace}/${m[1]}`) : undefined;
  return t?.owner.kind === 'StatefulSet' ? { t, ordinal: Number(m![2]) } : undefined;
}

function statefulSetPod(graph: ServiceGraph, namespace: string, name: string): DnsResolution | undefined {
  const s = statefulSetOf(graph, namespace, name);
  return s ? { kind: 'statefulset-pod', pod: name, statefulSet: s.t.owner.name, serviceName: serviceNameOf(s.t), namespace } : undefined;
}

/**
 * The pod name of a Deployment's (DaemonSet's, Job's…) pod is generated (`web-7c9d8b5f4d-x2x9z`):
 * `$(POD_NAME)` from the downward API stands for a name the run cannot know. In a host
 * (`$(POD_NAME).kafka-headless`) it is written as a placeholder label that resolveHost()
 * recognises; the edge's text gets the variable back.
 */
const generated = new WeakMap<ServiceGraph, { byKey: Map<string, string>; list: { t: PodTemplate; variable: string }[] }>();
const GENERATED = /^svclint-generated-pod-(\d+)$/;
/** The placeholder label for `$(variable)` (the pod's generated name) in template `t`. */
export function generatedPodLabel(graph: ServiceGraph, t: PodTemplate, variable: string): string {
  let g = generated.get(graph);
  if (!g) generated.set(graph, (g = { byKey: new Map(), list: [] }));
  const key = `${t.id}\u0000${variable}`;
  let label = g.byKey.get(key);
  if (label === undefined) {
    label = `svclint-generated-pod-${g.list.length}`;
    g.list.push({ t, variable });
    g.byKey.set(key, label);
  }
  return label;
}
/** The template and variable a placeholder label stands for. */
export function generatedPod(graph: ServiceGraph, label: string): { t: PodTemplate; variable: string } | undefined {
  const m = GENERATED.exec(label);
  return m ? generated.get(graph)?.list[Number(m[1])] : undefined;
}
/** A text with each placeholder label written back as the variable it stands for. */
export function withoutGeneratedLabels(graph: ServiceGraph, text: string): string {
  return text.includes('svclint-generated-pod-') ? text.replace(/svclint-generated-pod-(\d+)/g, (m, i: string) => {
    const g = generated.get(graph)?.list[Number(i)];
    return g ? `$(${g.variable})` : m;
  }) : text;
}

/**
 * `<generated pod name>.<svc>[.<ns>[.svc[.<domain>]]]`: the EndpointSlice controller gives an
 * endpoint a hostname only from the pod's own `hostname` (with `subdomain` equal to the
 * Service's name), and CoreDNS names endpoints by their pod's name only with
 * `endpoint_pod_names`: no record has a generated pod name. A pod resolves its own
 * `<name>.<subdomain>.<ns>.svc.<domain>` from /etc/hosts, which the kubelet writes when it
 * sets `subdomain`: a single such pod is not judged.
 */
function generatedName(graph: ServiceGraph, g: { t: PodTemplate; variable: string }, host: string, rest: string[], from: string): DnsResolution {
  const domain = graph.settings.clusterDomain;
  const [svcName, ns = from, svcLabel, ...zone] = rest;
  if (svcName === undefined || (svcLabel !== undefined && svcLabel !== 'svc') || (zone.length > 0 && zone.join('.') !== domain)) return { kind: 'unknown' };
  const svc = graph.service(ns, svcName);
  if (!svc || svc.mode !== 'selector' || svc.type === 'ExternalName') return { kind: 'unknown' };
  const t = g.t;
  if (graph.settings.coredns?.endpointPodNames) return svc.backends.includes(t) ? { kind: 'pod', service: svc, namespace: ns, host } : { kind: 'unknown' };
  const subdomain = getIn(t.owner.body, [...t.path, 'spec', 'subdomain']);
  const single = t.replicas.mode !== 'per-node' && t.replicas.count <= 1;
  if (subdomain === svcName && ns === t.namespace && single) return { kind: 'unknown' };
  return { kind: 'pod-unknown', service: svc, host, known: [], generated: t };
}

/**
 * Resolves a hostname the way a pod in namespace `from` would: a bare name only in its own
 * namespace (`<name>.<from>.svc.<domain>`), `<svc>.<ns>` and `<svc>.<ns>.svc` through the
 * search path, `<host>.<svc>.<ns>.svc.<domain>` for pods of headless Services,
 * `<dashed-ip>.<ns>.pod.<domain>` for pod A records. CoreDNS is authoritative for the
 * cluster domain: any other name under it does not exist. Names the run cannot judge
 * (namespaces it defines no Service in, external hosts) are `unknown`.
 */
export function resolveHost(graph: ServiceGraph, host: string, from: string): DnsResolution {
  const domain = graph.settings.clusterDomain;
  if (host.endsWith('.')) return absolute(graph, host.slice(0, -1).toLowerCase(), from);
  const h = host.toLowerCase();
  const labels = h.split('.');
  const known = (ns: string) => graph.servicesIn(ns).length > 0;
  if (labels.length >= 2 && BUILTIN.has(`${labels[1]}/${labels[0]}`) && (labels.length === 2 || labels[2] === 'svc')) return { kind: 'unknown' };
  const gen = labels.length >= 2 && labels[0]!.startsWith('svclint-generated-pod-') ? generatedPod(graph, labels[0]!) : undefined;
  if (gen) return generatedName(graph, gen, h, labels.slice(1), from);

  // Inside the cluster domain only `…svc.<domain>` and `…pod.<domain>` exist.
  const inZone = h.endsWith(`.${domain}`) ? labels.slice(0, labels.length - domain.split('.').length) : undefined;
  if (inZone && inZone.length > 0 && !['svc', 'pod'].includes(inZone.at(-1)!)) {
    return { kind: 'outside-zone', service: inZone.length === 2 ? graph.service(inZone[1]!, inZone[0]!) : undefined };
  }
  const podIdx = labels.lastIndexOf('pod');
  if (podIdx === 2 && (labels.length === 3 || labels.slice(3).join('.') === domain)) {
    const [label, ns] = labels as [string, string];
    if (!DASHED_IP.test(label)) return { kind: 'pod-record-not-ip', label, namespace: ns };
    // CoreDNS answers pod A records only with `pods insecure` or `pods verified`.
    return graph.settings.coredns?.pods === 'disabled' ? { kind: 'pod-records-off', namespace: ns } : { kind: 'unknown' };
  }

  const svcIdx = labels.lastIndexOf('svc');
  if (svcIdx > 0) {
    const suffix = labels.slice(svcIdx + 1).join('.');
    const rest = labels.slice(0, svcIdx);
    if (suffix !== '' && suffix !== domain) {
      if (OTHER_DOMAINS.has(suffix) || rest.length < 2) return { kind: 'unknown' };
      return { kind: 'wrong-domain', domain: suffix, name: rest.at(-2)!, namespace: rest.at(-1)! };
    }
    if (rest.length === 1) {
      const services = [...graph.servicesNamed(rest[0]!)];
      return services.length ? { kind: 'no-namespace', name: rest[0]!, services } : { kind: 'unknown' };
    }
    if (rest.length === 2) return named(graph, rest[0]!, rest[1]!, 'fqdn');
    if (rest.length === 3) return podName(graph, rest[0]!, rest[1]!, rest[2]!);
    return { kind: 'unknown' };
  }
  if (labels.length === 1) {
    const svc = graph.service(from, h);
    if (svc) return { kind: 'service', service: svc, namespace: from, form: 'short' };
    // Where the name is defined elsewhere, the run knows this pod cannot reach it by a bare name.
    const elsewhere = graph.servicesNamed(h).filter((s) => s.object.namespace !== from).map((s) => s.object.namespace);
    if (elsewhere.length) return { kind: 'short-elsewhere', name: h, namespaces: [...new Set(elsewhere)] };
    // A Service an operator of the run makes there: judged by the ports it gives it (else dropped as made).
    if (createdService(graph.objects, from, h)) return { kind: 'missing', name: h, namespace: from, form: 'short' };
    if (!known(from)) return { kind: 'unknown' };
    return statefulSetPod(graph, from, h) ?? workload(graph, from, h) ?? roleNamedMiss(graph, h, from) ?? { kind: 'unknown' };
  }
  if (labels.length === 2) {
    const [a, b] = labels as [string, string];
    if (known(b) || graph.namespaces.has(b)) return named(graph, a, b, 'namespaced');
    // `<pod>.<svc>` reaches a pod of the caller's namespace through the search path: any pod
    // of a headless Service, and an endpoint's hostname under any other (podName).
    const own = graph.service(from, b);
    if (own) {
      const r = podName(graph, a, b, from);
      if (own.headless || r.kind === 'pod') return r;
      // A pod of a StatefulSet the Service selects, under that Service rather than the set's
      // governing one: meant as `<pod>.<svc>`, though a namespace `<svc>` outside the run would
      // read it as `<service>.<namespace>`.
      if (r.kind === 'pod-not-headless' && !graph.namespaces.has(b)) {
        const sts = statefulSetOf(graph, from, a);
        if (sts && own.backends.includes(sts.t)) return { ...r, maybeNamespace: true };
      }
    }
    const swapped = known(a) ? graph.service(a, b) : undefined;
    if (swapped) return { kind: 'swapped', service: swapped };
    // `<pod>.<svc>` of a Service in another namespace, whose pod it names there: the search path
    // completes it only in the caller's namespace (and `<pod>.<svc>.svc.<domain>` reads `<svc>` as a namespace).
    if (!own && !known(b)) {
      const elsewhere = graph.servicesNamed(b).filter((s) => s.object.namespace !== from && podRecord(graph, s, a, b, s.object.namespace, !s.headless).kind === 'pod').map((s) => s.object.namespace);
      if (elsewhere.length) return { kind: 'short-elsewhere', name: b, namespaces: [...new Set(elsewhere)], pod: a };
      // `<sts>-<n>.<x>` where a StatefulSet `<sts>` runs in the caller's namespace: a per-pod name
      // under `<x>`, which is no Service there (nor a namespace the run knows).
      const sts = statefulSetOf(graph, from, a);
      if (sts && !graph.namespaces.has(b) && graph.servicesIn(from).length > 0) return { kind: 'missing', name: b, namespace: from, form: 'namespaced' };
    }
    return { kind: 'unknown' };
  }
  if (labels.length === 3) {
    // `<pod>.<svc>.<ns>` reaches a Service's pod through the `svc.<domain>` search entry (as above).
    const [podHost, svcName, ns] = labels as [string, string, string];
    const svc = known(ns) ? graph.service(ns, svcName) : undefined;
    if (svc) {
      const r = podName(graph, podHost, svcName, ns);
      if (svc.headless || r.kind === 'pod') return r;
    }
  }
  return { kind: 'unknown' };
}

/** Suffixes charts give Services named by role, after the name a single-instance install uses. */
const ROLE_SUFFIXES = ['primary', 'master', 'leader', 'main', 'read', 'replica', 'replicas', 'slave', 'follower', 'rw', 'ro', 'headless', 'hl'];

/** Services of a namespace named `<name>-<role>` (`-primary`, `-read`, `-hl`…), the writable roles first. */
export function roleNamedServices(graph: ServiceGraph, namespace: string, name: string): string[] {
  const names = graph.servicesIn(namespace).map((s) => s.object.name);
  const found = names.filter((n) => n.startsWith(`${name}-`) && ROLE_NAMES.includes(n.slice(name.length + 1)));
  if (found.length) return [...new Set(found)].sort((a, b) => ROLE_NAMES.indexOf(a.slice(name.length + 1)) - ROLE_NAMES.indexOf(b.slice(name.length + 1)));
  // The other way round: `elasticsearch-master` where the chart that is installed names its Service `elasticsearch`.
  const dash = name.lastIndexOf('-');
  const stem = dash > 0 ? name.slice(0, dash) : '';
  return dash > 0 && ROLE_NAMES.includes(name.slice(dash + 1)) && names.includes(stem) ? [stem] : [];
}

/** Role suffixes, and the component names charts give a single Service (`prometheus-server`, `loki-gateway`). */
const ROLE_NAMES = [...ROLE_SUFFIXES, 'server', 'gateway', 'svc', 'service', 'http'];

/**
 * A bare name the caller's namespace has no Service of, where it has `<name>-primary`,
 * `<name>-master`…: a chart in replication or cluster mode names its Services by role, and the
 * name a single-instance install gives is missing.
 */
function roleNamedMiss(graph: ServiceGraph, name: string, ns: string): DnsResolution | undefined {
  return roleNamedServices(graph, ns, name).length ? { kind: 'missing', name, namespace: ns, form: 'short' } : undefined;
}

/** The fully qualified name of what a cluster name resolved to, with the trailing dot. */
export function fqdnOf(graph: ServiceGraph, r: DnsResolution & { kind: 'service' | 'pod' }): string {
  const svc = `${r.service.object.name}.${r.service.object.namespace}.svc.${graph.settings.clusterDomain}.`;
  return r.kind === 'pod' ? `${r.host}.${svc}` : svc;
}

/**
 * A name with a trailing dot is absolute: the resolver applies no search path, so only a
 * fully qualified `…svc.<domain>.` or `…pod.<domain>.` reaches the cluster DNS records.
 * `etcd-0.etcd.default.` asks for that name as written, and it does not exist.
 */
function absolute(graph: ServiceGraph, h: string, from: string): DnsResolution {
  const inner = resolveHost(graph, h, from);
  const domain = graph.settings.clusterDomain;
  if (h.endsWith(`.${domain}`) || h === domain) return inner;
  if (inner.kind === 'service' || inner.kind === 'pod') return { kind: 'absolute-partial', target: inner, suggest: fqdnOf(graph, inner) };
  return inner;
}

function workload(graph: ServiceGraph, ns: string, name: string): DnsResolution | undefined {
  const t = names(graph).workloads.get(`${ns}/${name}`);
  return t ? { kind: 'workload', workload: t, namespace: ns } : undefined;
}

function named(graph: ServiceGraph, name: string, ns: string, form: 'namespaced' | 'fqdn'): DnsResolution {
  // A namespace the run holds objects of (or a Namespace object), though no Service: missing
  // there, which the evidence contract leaves an info unless the input is complete.
  if (graph.servicesIn(ns).length === 0 && !graph.namespaces.has(ns)) return { kind: 'unknown' };
  const svc = graph.service(ns, name);
  if (svc) return { kind: 'service', service: svc, namespace: ns, form };
  return statefulSetPod(graph, ns, name) ?? workload(graph, ns, name) ?? { kind: 'missing', name, namespace: ns, form };
}

/**
 * `<host>.<svc>.<ns>.svc`: a record exists for a pod the headless Service selects whose
 * hostname is `<host>` (a StatefulSet pod governed by that Service, or a pod that sets
 * `hostname` and `subdomain: <svc>`), or for an endpoint without hostname by its dashed IP.
 */
function podName(graph: ServiceGraph, host: string, svcName: string, ns: string): DnsResolution {
  if (graph.servicesIn(ns).length === 0) return { kind: 'unknown' };
  const svc = graph.service(ns, svcName);
  if (!svc) return { kind: 'missing', name: svcName, namespace: ns, form: 'fqdn' };
  const r = podRecord(graph, svc, host, svcName, ns, !svc.headless);
  // The DNS specification defines per-pod names for headless Services only, but CoreDNS's
  // kubernetes plugin answers `<endpoint>.<svc>` for the endpoints of any Service but an
  // ExternalName one: a name that an endpoint of a ClusterIP Service would have resolves too.
  if (svc.headless || (r.kind === 'pod' && svc.type !== 'ExternalName')) return r;
  // The headless Service under which the pod does have its name (a StatefulSet's serviceName).
  const under = graph.servicesIn(ns).find((o) => o !== svc && o.headless && podRecord(graph, o, host, o.object.name, ns, false).kind === 'pod');
  return { kind: 'pod-not-headless', service: svc, host, ...(under ? { under } : {}) };
}

/** With `proven`, a name is a pod's only when the run shows an endpoint that has it. */
function podRecord(graph: ServiceGraph, svc: ServiceNode, host: string, svcName: string, ns: string, proven: boolean): DnsResolution {
  const ok: DnsResolution = { kind: 'pod', service: svc, namespace: ns, host };
  if (DASHED_IP.test(host)) return ok;
  const sts = statefulSetOf(graph, ns, host);
  if (sts) {
    const governing = serviceNameOf(sts.t);
    const [lo, hi] = statefulSetOrdinals(sts.t);
    const upper = sts.t.replicas.mode === 'count' && sts.t.replicas.path ? hi : undefined;
    const base = { kind: 'statefulset-pod-invalid', pod: host, workload: sts.t, service: svc, serviceName: governing, range: [lo, upper] } as const;
    if (governing !== svcName) return { ...base, problem: 'service' };
    if (sts.ordinal < lo || (upper !== undefined && sts.ordinal >= upper)) return { ...base, problem: 'ordinal' };
    return ok;
  }
  // A Service without a selector: its hand-written EndpointSlices (or Endpoints) are the whole
  // list, and CoreDNS names an endpoint by its `hostname`, else by its dashed IP.
  if (svc.mode === 'manual' && svc.manualEndpoints.length > 0) {
    const hosts = manualHostnames(svc.manualEndpoints);
    if (hosts === undefined || hosts.includes(host)) return ok;
    return { kind: 'pod-unknown', service: svc, host, known: hosts };
  }
  const byHostname = names(graph).hostnames.get(`${ns}/${svcName}`) ?? [];
  // Only a pod the Service selects becomes its endpoint, with that hostname.
  const selected = (t: PodTemplate) => svc.mode !== 'selector' || svc.backends.includes(t);
  if (byHostname.some((t) => hasHostname(t, host) && selected(t))) return ok;
  // With `endpoint_pod_names`, CoreDNS names an endpoint without a hostname by its pod's name;
  // only a bare Pod's name is known before it runs (the others' are generated).
  if (graph.settings.coredns?.endpointPodNames) {
    if (svc.backends.some((t) => t.owner.kind === 'Pod' && t.owner.name === host && !getIn(t.owner.body, ['spec', 'hostname']))) return ok;
    if (svc.backends.some((t) => t.owner.kind !== 'Pod' && t.owner.kind !== 'StatefulSet')) return proven ? { kind: 'unknown' } : ok;
  }
  // Judge only when every selected pod's DNS name is known to the run.
  const knownNames = svc.backends.map((t) => podNamesOf(t, svcName));
  if (svc.backends.length === 0 || knownNames.some((n) => n === undefined)) return proven ? { kind: 'unknown' } : ok;
  const noHostname = svc.backends.find((t) => getIn(t.owner.body, [...t.path, 'spec', 'subdomain']) === svcName && !getIn(t.owner.body, [...t.path, 'spec', 'hostname']) && !indexedJobHostnames(t));
  return { kind: 'pod-unknown', service: svc, host, known: [...new Set(knownNames.flat() as string[])], ...(noHostname ? { noHostname } : {}) };
}

/** The endpoint hostnames of hand-written EndpointSlices and Endpoints; undefined where an object is not one the run can read. */
function manualHostnames(objects: readonly { kind: string; body: Record<string, unknown> }[]): string[] | undefined {
  const out: string[] = [];
  for (const o of objects) {
    const items = o.kind === 'EndpointSlice' ? getIn(o.body, ['endpoints']) : (Array.isArray(getIn(o.body, ['subsets'])) ? (getIn(o.body, ['subsets']) as unknown[]).flatMap((s) => { const a = getIn(s, ['addresses']); const n = getIn(s, ['notReadyAddresses']); return [...(Array.isArray(a) ? a : []), ...(Array.isArray(n) ? n : [])]; }) : undefined);
    if (!Array.isArray(items)) return undefined;
    for (const e of items) {
      const h = getIn(e, ['hostname']);
      if (typeof h === 'string' && h !== '') out.push(h.toLowerCase());
    }
  }
  return out;
}

/** The hostnames a template's pods get under a governing Service, or undefined when the run cannot tell. */
function podNamesOf(t: PodTemplate, svcName: string): string[] | undefined {
  // Kinds whose pods the run sees whole: their hostname and subdomain are the template's.
  if (t.owner.kind === 'StatefulSet' && serviceNameOf(t) === svcName) {
    const [lo, hi] = statefulSetOrdinals(t);
    return hi - lo <= 3 ? Array.from({ length: hi - lo }, (_, i) => `${t.owner.name}-${lo + i}`) : [`${t.owner.name}-${lo}`, '…', `${t.owner.name}-${hi - 1}`];
  }
  const hostname = getIn(t.owner.body, [...t.path, 'spec', 'hostname']);
  const subdomain = getIn(t.owner.body, [...t.path, 'spec', 'subdomain']);
  const indexed = indexedJobHostnames(t);
  if (indexed) {
    if (subdomain !== svcName) return [];
    if (indexed.job === undefined || indexed.count === undefined) return undefined;
    const n = indexed.count;
    return n <= 3 ? Array.from({ length: n }, (_, i) => `${indexed.job}-${i}`) : [`${indexed.job}-0`, '…', `${indexed.job}-${n - 1}`];
  }
  if (typeof hostname === 'string' && hostname !== '' && subdomain === svcName) return [hostname];
  // The EndpointSlice controller gives an endpoint a hostname only from the pod's own
  // `hostname` with `subdomain` equal to the Service name; a Deployment's pods have none.
  return PLAIN_KINDS.has(t.owner.kind) && t.owner.apiVersion.split('/').length <= 2 && !t.owner.apiVersion.includes('.') ? [] : undefined;
}

/** Kinds whose controllers set neither hostname nor subdomain on the pods beyond the template's. */
const PLAIN_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob']);

/** The full name of a built-in Service that `h` names (`kubernetes.default`, `kube-dns.kube-system.svc`), else undefined. */
function builtinName(h: string, domain: string): string | undefined {
  const labels = h.split('.');
  if (labels.length < 2 || !BUILTIN.has(`${labels[1]}/${labels[0]}`)) return undefined;
  const rest = labels.slice(2).join('.');
  if (rest !== '' && rest !== 'svc' && rest !== `svc.${domain}`) return undefined;
  return `${labels[0]}.${labels[1]}.svc.${domain}.`;
}

type Reached = DnsResolution & { kind: 'service' | 'pod' };
const reached = (r: DnsResolution): r is Reached => r.kind === 'service' || r.kind === 'pod';

/**
 * What a name means to one pod, given its own resolver (`podResolver`): `base` is the answer
 * of the standard ClusterFirst resolver of its namespace (`resolveHost`). Extra `dnsConfig`
 * searches can complete a name the standard path does not; the node's resolver and a `None`
 * resolver without the cluster DNS cannot reach a cluster name at all.
 */
export function resolveFor(graph: ServiceGraph, host: string, from: string, resolver: PodResolver, base: DnsResolution, client: PodTemplate): DnsResolution {
  const domain = graph.settings.clusterDomain;
  const abs = host.endsWith('.');
  const h = host.toLowerCase().replace(/\.$/, '');
  const fqdn = h.endsWith(`.svc.${domain}`) || h.endsWith(`.pod.${domain}`);
  // The first search entry that completes the name into a cluster record.
  const bySearch = (searches: readonly string[]): Reached | undefined => {
    if (abs) return undefined;
    for (const s of searches) {
      const r = resolveHost(graph, `${h}.${s}.`, from);
      if (reached(r)) return r;
    }
    return undefined;
  };
  // musl asks a name with `ndots` dots or more only as written, and a cluster name short of the
  // full one is no record on its own.
  const muslMisses = (r: Reached): boolean => {
    const m = resolver.kind === 'node' ? undefined : resolver.musl;
    if (!m || abs || fqdn || h.split('.').length - 1 < m.ndots) return false;
    return !reached(resolveHost(graph, `${h}.`, from)) && (r.kind === 'service' || r.kind === 'pod');
  };
  // musl ignores a search line it cannot hold: a name that is not complete never reaches the cluster.
  if (resolver.kind !== 'node' && resolver.musl?.searchLine && !abs && !fqdn && (resolver.kind === 'cluster' || resolver.clusterDns === 'yes')) {
    const r = reached(base) ? base : bySearch(resolver.kind === 'cluster' ? resolver.extraSearches : resolver.searches);
    if (r && !reached(resolveHost(graph, `${h}.`, from))) return { kind: 'pod-dns', target: r, client, resolver, fqdn, problem: 'musl-search-line' };
  }
  if (resolver.kind === 'cluster') {
    const r = reached(base) ? base : bySearch(resolver.extraSearches) ?? base;
    return reached(r) && muslMisses(r) ? { kind: 'pod-dns', target: r, client, resolver, fqdn, problem: 'musl-ndots' } : r;
  }
  // `kubernetes.default`, `kube-dns.kube-system`: in every cluster, and only in its DNS.
  if (resolver.kind === 'node' && !abs) {
    const builtin = builtinName(h, domain);
    if (builtin) return { kind: 'builtin-node', fqdn: builtin, client, resolver, full: fqdn };
  }
  const target = reached(base) ? base : bySearch(resolver.kind === 'none' ? resolver.searches : []);
  if (!target) return base;
  const out = { kind: 'pod-dns', target, client, resolver, fqdn } as const;
  if (resolver.kind === 'node') return { ...out, problem: 'node' };
  if (resolver.clusterDns === 'no') return { ...out, problem: 'none-external' };
  const through = fqdn ? target : bySearch(resolver.searches);
  if (!through) return { ...out, problem: 'none-search' };
  if (resolver.clusterDns === 'yes' && muslMisses(through)) return { ...out, target: through, problem: 'musl-ndots' };
  return resolver.clusterDns === 'yes' ? through : { ...out, target: through, problem: 'none-unknown' };
}
