import { podResolver } from './pod-dns.js';
import { resolveHost } from './dns.js';
import { stringify } from 'yaml';
import type { K8sObject, Path } from '../types/object.js';
import type { ContainerPort, PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import { sameTree } from './referrers.js';
import type { ReferenceEdge } from '../types/reference.js';
import { isRecord } from '../load/objects.js';
import { code } from '../text.js';
import { getIn, lenientInt } from './pods.js';
import { references } from './references.js';
import { judge, NAME_LABEL, podView, policyIndex, type Direction, type PodView, type PolicyIndex, type Verdict } from './netpol-model.js';
import { objectsOfKind } from './kinds.js';

/** The connections the run knows pods make, judged against its NetworkPolicies. */

export interface FlowSite {
  object: K8sObject;
  path: Path;
  /** What the client dials (`http://api:8080`, or the Ingress backend). */
  text: string;
  /** Where it is written, in words. */
  where: string;
}

export interface BackendVerdict {
  backend: PodView;
  /** The backend pod's port after the Service's DNAT: where policy applies. */
  targetPort: number;
  protocol: string;
  verdict: Verdict;
}

export interface ServiceFlow {
  site: FlowSite;
  client: PodView;
  service: ServiceNode;
  port: ServicePortNode;
  backends: BackendVerdict[];
  /** The text names no port and the Service has several: which of them the client dials is not written. */
  portUnwritten?: boolean;
}

const nodeLocalCache = new WeakMap<ServiceGraph, string[]>();

/**
 * The addresses NodeLocal DNSCache answers on, from its DaemonSet in the run (the
 * `k8s-dns-node-cache` image's `-localip`): a link-local address, and in iptables mode the
 * kube-dns ClusterIP, which it binds on every node (with NOTRACK: no translation to pod IPs).
 * Queries then go to a host-network pod on the client's node, not to the cluster DNS pods.
 */
export function nodeLocalDnsIPs(graph: ServiceGraph): string[] {
  let ips = nodeLocalCache.get(graph);
  if (ips) return ips;
  ips = [];
  for (const t of graph.templates) {
    for (const c of t.containers) {
      if (!c.image || !/(^|\/)k8s-dns-node-cache(:|@|$)/.test(c.image)) continue;
      const raw = getIn(t.owner.body, c.path);
      const args = isRecord(raw) ? [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])].map(String) : [];
      args.forEach((a, i) => {
        const v = a === '-localip' || a === '--localip' ? args[i + 1] : /^--?localip=(.+)$/.exec(a)?.[1];
        if (v) ips!.push(...v.split(',').map((x) => x.trim()).filter(Boolean));
      });
    }
  }
  nodeLocalCache.set(graph, ips);
  return ips;
}

export const DNS_DEFAULTS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, service: 'kube-dns', ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };

/** The pods and ports of cluster DNS: the run's own CoreDNS objects, else the configured defaults. */
export function clusterDns(graph: ServiceGraph): { namespace: string; podLabels: Record<string, string>; pods: PodView[]; ports: { port: number; protocol: string; target: (pod: PodView) => number | undefined }[] } {
  const cfg = { ...DNS_DEFAULTS, ...(graph.settings.networkPolicy?.clusterDns ?? {}) };
  const own = graph.select(cfg.namespace, cfg.podLabels).map(podView);
  const assumed: ContainerPort[] = cfg.ports.map((p, i) => ({ name: p.protocol === 'UDP' ? 'dns' : p.protocol === 'TCP' ? 'dns-tcp' : `dns-${i}`, containerPort: p.port, protocol: p.protocol, path: [] }));
  const pods = own.length ? own : [{ key: 'cluster-dns', namespace: cfg.namespace, labels: cfg.podLabels, ports: assumed, hostNetwork: false, name: `cluster DNS (${cfg.namespace}, ${labelText(cfg.podLabels)})` }];
  const svc = graph.service(cfg.namespace, cfg.service);
  if (!svc || svc.mode !== 'selector' || svc.ports.length === 0) {
    return { namespace: cfg.namespace, podLabels: cfg.podLabels, pods, ports: cfg.ports.map((p) => ({ ...p, target: () => p.port })) };
  }
  return {
    namespace: cfg.namespace,
    podLabels: cfg.podLabels,
    pods,
    ports: svc.ports.filter((sp) => sp.port !== undefined).map((sp) => ({ port: sp.port!, protocol: sp.protocol, target: (pod: PodView) => targetOn(sp, pod) })),
  };
}

function targetOn(sp: ServicePortNode, pod: PodView): number | undefined {
  const r = sp.resolutions.find((x) => x.template === pod.template);
  if (r) return r.targetPort;
  const t = sp.target;
  if (t.kind === 'number') return t.value;
  if (t.kind === 'name') return pod.ports.find((c) => c.name === t.value && c.protocol === sp.protocol)?.containerPort;
  return undefined;
}

export const labelText = (labels: Record<string, string>): string => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || 'every pod';

/** The ingress controller's pods, when configured: the run's own, else one assumed pod. */
export function ingressController(graph: ServiceGraph): PodView[] | undefined {
  const cfg = graph.settings.networkPolicy?.ingressController;
  if (!cfg || Object.keys(cfg.podLabels).length === 0) return undefined;
  const own = graph.select(cfg.namespace, cfg.podLabels).map(podView);
  return own.length ? own : [{ key: 'ingress-controller', namespace: cfg.namespace, labels: cfg.podLabels, ports: [], hostNetwork: false, name: `ingress controller (${cfg.namespace}, ${labelText(cfg.podLabels)})` }];
}

/** Service ports an edge dials: the one with the written port number, else every port. */
function dialedPorts(svc: ServiceNode, port: number | undefined): ServicePortNode[] {
  if (port === undefined) return svc.ports;
  const byPort = svc.ports.filter((p) => p.port === port);
  // Headless: clients dial pod IPs, on the pods' own port.
  if (byPort.length === 0 && svc.headless) return svc.ports.filter((p) => p.resolutions.some((r) => r.targetPort === port));
  return byPort;
}

/** Verdicts of one run's policies, by pair of pods alike (likenessOf), port and protocol. */
interface Judged {
  verdicts: Map<string, Verdict>;
  likeness: WeakMap<PodView, number>;
  ids: Map<string, number>;
}

const judged = new WeakMap<PolicyIndex, Judged>();

function judgedBy(index: PolicyIndex): Judged {
  let j = judged.get(index);
  if (!j) judged.set(index, (j = { verdicts: new Map(), likeness: new WeakMap(), ids: new Map() }));
  return j;
}

/**
 * What judge() reads of a pod: its namespace, labels, host network, ports and name. Pods
 * alike in all of them (a workload defined in a base and an overlay, copies of a folder)
 * get the same verdict, so they share one number.
 */
function likenessOf(j: Judged, v: PodView): number {
  let id = j.likeness.get(v);
  if (id === undefined) {
    const text = JSON.stringify([v.namespace, v.name, v.hostNetwork, Object.entries(v.labels), v.ports.map((p) => [p.name ?? null, p.containerPort ?? null, p.protocol])]);
    id = j.ids.get(text);
    if (id === undefined) j.ids.set(text, (id = j.ids.size));
    j.likeness.set(v, id);
  }
  return id;
}

/**
 * judge() between two pod templates of the run, once per pair of pods alike, port and
 * protocol: many references (and copies of one application) dial the same backends from
 * the same clients.
 */
function judgeTemplates(index: PolicyIndex, client: PodView, backend: PodView, port: number, protocol: string): Verdict {
  if (!client.template || !backend.template) return judge(index, client, backend, port, protocol);
  const j = judgedBy(index);
  const known = j.verdicts;
  const key = `${likenessOf(j, client)}|${likenessOf(j, backend)}|${port}|${protocol}`;
  let v = known.get(key);
  if (!v) known.set(key, (v = judge(index, client, backend, port, protocol)));
  return v;
}

/** The verdict of the run's NetworkPolicies on a connection between two pods (views of templates, or pods the run only knows the labels of). */
export function judgeViews(graph: ServiceGraph, client: PodView, server: PodView, port: number, protocol: string): Verdict {
  return judgeTemplates(policyIndex(graph), client, server, port, protocol);
}

/** The verdict of the run's NetworkPolicies on a connection from the pods of one template to those of another. */
export function judgePods(graph: ServiceGraph, client: PodTemplate, server: PodTemplate, port: number, protocol: string): Verdict {
  return judgeViews(graph, podView(client), podView(server), port, protocol);
}

function flowsTo(graph: ServiceGraph, site: FlowSite, client: PodView, svc: ServiceNode, ports: ServicePortNode[], out: ServiceFlow[], only?: PodTemplate, portUnwritten = false): void {
  const index = policyIndex(graph);
  for (const sp of ports) {
    const backends = only ? backendsOf(index, client, sp, only) : sharedBackends(index, client, sp);
    if (backends.length) out.push({ site, client, service: svc, port: sp, backends, ...(portUnwritten ? { portUnwritten } : {}) });
  }
}

function backendsOf(index: PolicyIndex, client: PodView, sp: ServicePortNode, only?: PodTemplate): BackendVerdict[] {
  const backends: BackendVerdict[] = [];
  for (const r of sp.resolutions) {
    if (r.targetPort === undefined || (only && r.template !== only)) continue;
    const backend = podView(r.template);
    backends.push({ backend, targetPort: r.targetPort, protocol: sp.protocol, verdict: judgeTemplates(index, client, backend, r.targetPort, sp.protocol) });
  }
  return backends;
}

const backendLists = new WeakMap<PolicyIndex, WeakMap<ServicePortNode, Map<number, BackendVerdict[]>>>();

/**
 * The backends of a Service port with their verdicts for a client, one list for clients
 * alike (likenessOf): each reference to a Service, from each copy of a client, dials the
 * same backends. The lists are read, never changed.
 */
function sharedBackends(index: PolicyIndex, client: PodView, sp: ServicePortNode): BackendVerdict[] {
  if (!client.template) return backendsOf(index, client, sp);
  let byPort = backendLists.get(index);
  if (!byPort) backendLists.set(index, (byPort = new WeakMap()));
  let byClient = byPort.get(sp);
  if (!byClient) byPort.set(sp, (byClient = new Map()));
  const like = likenessOf(judgedBy(index), client);
  let list = byClient.get(like);
  if (!list) byClient.set(like, (list = backendsOf(index, client, sp)));
  return list;
}

const flowCache = new WeakMap<ServiceGraph, ServiceFlow[]>();

/**
 * Every flow to a Service's backends the run knows: each reference edge from each client pod
 * template that reads it, and each Ingress backend from the ingress controller (when configured).
 */
export function serviceFlows(graph: ServiceGraph): readonly ServiceFlow[] {
  let out = flowCache.get(graph);
  if (out) return out;
  out = [];
  for (const edge of references(graph)) {
    const r = edge.resolution;
    if (r.kind !== 'service' && r.kind !== 'pod') continue;
    // An ExternalName alias of a Service of the cluster (`api.backend.svc.cluster.local`): the
    // CNAME leads to that Service's ClusterIP, on the port the client dials.
    const alias = r.service.mode === 'external-name' && r.service.externalName ? resolveHost(graph, r.service.externalName.replace(/\.$/, ''), r.service.object.namespace) : undefined;
    const target = alias && (alias.kind === 'service' || alias.kind === 'pod') ? alias.service : r.service;
    if (target.mode !== 'selector') continue;
    const site = { object: edge.site.object, path: edge.site.path, text: edge.text, where: edge.site.where };
    const ports = edge.servicePort && target === r.service ? [edge.servicePort] : dialedPorts(target, edge.port);
    const unwritten = !edge.servicePort && edge.port === undefined && ports.length > 1;
    for (const t of edge.site.clients) flowsTo(graph, site, podView(t), target, ports, out, undefined, unwritten);
  }
  peerFlows(graph, out);
  const controller = ingressController(graph);
  if (controller) {
    for (const b of ingressBackends(graph)) {
      // A cloud load balancer's Ingress (AWS ALB, GKE) is served from outside the pod network, not by the controller pods.
      if (cloudIngress(graph, b.ingress)) continue;
      const svc = graph.service(b.ingress.namespace, b.name);
      if (!svc || svc.mode !== 'selector') continue;
      const ports = svc.ports.filter((p) => (b.number !== undefined ? p.port === b.number : b.portName !== undefined ? p.name === b.portName : false));
      const site = { object: b.ingress, path: b.path, text: `${b.name}:${b.number ?? b.portName ?? '?'}`, where: `backend of Ingress ${code(b.ingress.name)}` };
      for (const c of controller) flowsTo(graph, site, c, svc, ports, out);
    }
  }
  flowCache.set(graph, out);
  return out;
}

/**
 * Peers of a StatefulSet talk to each other through its governing headless Service (cluster
 * membership, replication, Elasticsearch transport): a flow from its pods to its own pods on
 * every port of that Service, unless a reference of the run from its pods to that Service
 * already says which ports they dial. A set of one replica has no peers.
 */
function peerFlows(graph: ServiceGraph, out: ServiceFlow[]): void {
  const seen = new Set(out.map((f) => `${f.client.key}|${f.service.object.namespace}/${f.service.object.name}|${f.port.index}`));
  // Where the pods' own configuration dials the Service (`discovery.seed_hosts: es-headless`, on the transport port), that says which ports peers use.
  const referenced = new Set(out.map((f) => `${f.client.key}|${f.service.object.namespace}/${f.service.object.name}`));
  for (const t of graph.templates) {
    if (t.owner.kind !== 'StatefulSet' || (t.replicas.mode === 'count' && t.replicas.count <= 1)) continue;
    const name = getIn(t.owner.body, ['spec', 'serviceName']);
    const svc = typeof name === 'string' ? graph.service(t.namespace, name) : undefined;
    if (!svc || !svc.headless || svc.mode !== 'selector' || !svc.backends.includes(t)) continue;
    const client = podView(t);
    if (referenced.has(`${client.key}|${svc.object.namespace}/${svc.object.name}`)) continue;
    const ports = svc.ports.filter((p) => !seen.has(`${client.key}|${svc.object.namespace}/${svc.object.name}|${p.index}`));
    for (const p of ports) {
      const site = { object: t.owner, path: ['spec', 'serviceName'], text: `${t.owner.name}-N.${svc.object.name}:${p.port ?? '?'}`, where: `peer traffic of StatefulSet ${code(t.owner.name)} through its governing Service` };
      flowsTo(graph, site, client, svc, [p], out, t);
    }
  }
}

/** The controllers of Ingress classes that are cloud load balancers, and those classes' usual names. */
const CLOUD_CONTROLLERS = new Set(['ingress.k8s.aws/alb', 'k8s.io/ingress-gce', 'networking.gke.io/ingress-gce']);
const CLOUD_CLASSES = new Set(['alb', 'gce', 'gce-internal']);

/** Whether an Ingress belongs to a cloud load balancer's class (by its IngressClass's controller, else the class name). */
function cloudIngress(graph: ServiceGraph, o: K8sObject): boolean {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const ann = getIn(o.body, ['metadata', 'annotations', 'kubernetes.io/ingress.class']);
  const name = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : typeof ann === 'string' ? ann : undefined;
  if (name === undefined) return false;
  const cls = objectsOfKind(graph, 'IngressClass').find((x) => x.name === name && /^networking\.k8s\.io\//.test(x.apiVersion));
  const controller = cls ? getIn(cls.body, ['spec', 'controller']) : undefined;
  return typeof controller === 'string' ? CLOUD_CONTROLLERS.has(controller) : CLOUD_CLASSES.has(name);
}

export interface IngressBackend {
  ingress: K8sObject;
  path: Path;
  name: string;
  number?: number;
  portName?: string;
}

/** The Service backends of every networking.k8s.io/v1 Ingress of the run (default backend and rules). */
export function ingressBackends(graph: ServiceGraph): IngressBackend[] {
  const out: IngressBackend[] = [];
  for (const o of graph.objects) {
    if (o.kind !== 'Ingress' || o.apiVersion !== 'networking.k8s.io/v1') continue;
    const add = (path: Path) => {
      const s = getIn(o.body, [...path, 'service']);
      if (!isRecord(s) || typeof s.name !== 'string') return;
      const number = lenientInt(getIn(s, ['port', 'number']));
      const portName = getIn(s, ['port', 'name']);
      out.push({ ingress: o, path: [...path, 'service'], name: s.name, ...(number !== undefined ? { number } : {}), ...(typeof portName === 'string' ? { portName } : {}) });
    };
    add(['spec', 'defaultBackend']);
    const rules = getIn(o.body, ['spec', 'rules']);
    (Array.isArray(rules) ? rules : []).forEach((r, i) => {
      const paths = getIn(r, ['http', 'paths']);
      (Array.isArray(paths) ? paths : []).forEach((_, j) => add(['spec', 'rules', i, 'http', 'paths', j, 'backend']));
    });
  }
  return out;
}

export interface DnsFlow {
  template: PodTemplate;
  client: PodView;
  /** A name the pods dial, to show why they need DNS. */
  example: ReferenceEdge;
  /** Per protocol, the worst verdict over the DNS pods. */
  protocols: { protocol: string; port: number; server: PodView; verdict: Verdict }[];
}

const RANK: Record<Verdict['kind'], number> = { allowed: 0, 'cannot-tell': 1, blocked: 2 };

/** Whether a pod queries cluster DNS: ClusterFirst (off the host network) or ClusterFirstWithHostNet. */
export function usesClusterDns(graph: ServiceGraph, t: PodTemplate): boolean {
  const dnsPolicy = getIn(t.owner.body, [...t.path, 'spec', 'dnsPolicy']);
  const host = getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true;
  if (dnsPolicy === 'ClusterFirstWithHostNet') return true;
  // `dnsPolicy: None` whose nameservers hold the cluster DNS Service's ClusterIP asks it all the same.
  if (dnsPolicy === 'None') {
    const r = podResolver(graph, t);
    return !host && r.kind === 'none' && r.clusterDns === 'yes';
  }
  return !host && (dnsPolicy === undefined || dnsPolicy === 'ClusterFirst' || dnsPolicy === '');
}

/** DNS queries of every pod template that dials a Service by name, judged against cluster DNS. */
export function dnsFlows(graph: ServiceGraph): DnsFlow[] {
  const first = new Map<PodTemplate, ReferenceEdge>();
  for (const edge of references(graph)) {
    if (edge.resolution.kind !== 'service' && edge.resolution.kind !== 'pod') continue;
    for (const t of edge.site.clients) if (!first.has(t)) first.set(t, edge);
  }
  if (first.size === 0) return [];
  const index = policyIndex(graph);
  const dns = clusterDns(graph);
  const out: DnsFlow[] = [];
  for (const [t, example] of first) {
    if (!usesClusterDns(graph, t)) continue;
    const client = podView(t);
    const byProtocol = new Map<string, DnsFlow['protocols'][number]>();
    for (const p of dns.ports) {
      for (const server of dns.pods) {
        const target = p.target(server);
        if (target === undefined) continue;
        const verdict = judge(index, client, server, target, p.protocol);
        const cur = byProtocol.get(p.protocol);
        if (!cur || RANK[verdict.kind] > RANK[cur.verdict.kind]) byProtocol.set(p.protocol, { protocol: p.protocol, port: target, server, verdict });
      }
    }
    out.push({ template: t, client, example, protocols: [...byProtocol.values()] });
  }
  return out;
}

/** Labels that name a workload: the smallest selector a fix can use. */
const IDENTITY = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name'];

function identity(labels: Record<string, string>): Record<string, string> {
  const k = IDENTITY.find((x) => labels[x] !== undefined);
  if (!k) return labels;
  const out: Record<string, string> = { [k]: labels[k]! };
  if (labels['app.kubernetes.io/component'] !== undefined) out['app.kubernetes.io/component'] = labels['app.kubernetes.io/component'];
  return out;
}

/**
 * The smallest rule that admits one connection at one side, as YAML for `spec.ingress` or
 * `spec.egress` of a policy in the subject's namespace: the peer by its labels (and its
 * namespace by name when it is another one), and the port.
 */
export function admitRule(direction: Direction, subjectNs: string, peer: { namespace: string }, peerLabels: Record<string, string>, ports: { port: number; protocol: string }[]): string {
  // Copies of an application are blocked alike: the same rule is written once.
  const key = JSON.stringify([direction, subjectNs, peer.namespace, Object.entries(peerLabels), ports.map((p) => [p.port, p.protocol])]);
  let text = admitRules.get(key);
  if (text === undefined) {
    if (admitRules.size >= 1000) admitRules.clear();
    admitRules.set(key, (text = writeAdmitRule(direction, subjectNs, peer, peerLabels, ports)));
  }
  return text;
}

const admitRules = new Map<string, string>();

function writeAdmitRule(direction: Direction, subjectNs: string, peer: { namespace: string }, peerLabels: Record<string, string>, ports: { port: number; protocol: string }[]): string {
  const sel: Record<string, unknown> = {};
  if (peer.namespace !== subjectNs) sel.namespaceSelector = { matchLabels: { [NAME_LABEL]: peer.namespace } };
  sel.podSelector = Object.keys(peerLabels).length ? { matchLabels: peerLabels } : {};
  const rule = { [direction === 'ingress' ? 'from' : 'to']: [sel], ports: ports.map((p) => ({ port: p.port, protocol: p.protocol })) };
  return stringify([rule]).trimEnd();
}

/** The fix for a blocked connection: one rule per blocking side, in the first isolating policy. */
export function admitFix(client: PodView, server: PodView, serverLabels: Record<string, string>, port: number, protocol: string, verdict: Verdict & { kind: 'blocked' }): string {
  const parts = verdict.sides.map((s) => {
    const subjectNs = s.direction === 'egress' ? client.namespace : server.namespace;
    const policy = s.policies[0]!.object;
    const yaml = s.direction === 'ingress'
      ? admitRule('ingress', subjectNs, client, identity(client.labels), [{ port, protocol }])
      : admitRule('egress', subjectNs, server, serverLabels, [{ port, protocol }]);
    return `add to \`spec.${s.direction}\` of NetworkPolicy ${policy.namespace}/${policy.name} (or of a new policy in ${code(subjectNs)} selecting ${s.direction === 'ingress' ? server.name : client.name}):\n${yaml}`;
  });
  return `Admit the connection where it is blocked; ${parts.join('\nand ')}`;
}

export function verdictText(v: Verdict): string {
  if (v.kind === 'allowed') return 'admitted';
  if (v.kind === 'cannot-tell') return `cannot tell: ${v.reasons.join('; ') || 'the input does not say'}`;
  return v.sides.map((s) => `blocked at ${s.direction} by ${s.policies.map((p) => `${p.namespace}/${p.object.name}`).join(', ')}`).join('; ');
}

export type { Policy, PodView, Verdict, Direction } from './netpol-model.js';
export { judge, policyIndex, podView } from './netpol-model.js';

/** The "policy" link of a Service's chain: its known clients and cluster DNS, admitted or not. */
export interface PolicyLink {
  /** `none`: no NetworkPolicy in the input touches these flows, or no client is known. */
  status: 'admitted' | 'blocked' | 'cannot-tell' | 'none';
  /** One line per client, port and verdict (`Deployment shop/web → 80/TCP: blocked at ingress by shop/deny`). */
  lines: string[];
}

/**
 * For the chain view between DNS and ports: whether the clients the run knows reach this
 * Service's backends, and whether they can resolve its name (their egress to cluster DNS).
 */
export function policyLink(graph: ServiceGraph, svc: ServiceNode): PolicyLink {
  if (policyIndex(graph).policies.length === 0) return { status: 'none', lines: ['no NetworkPolicy in the input'] };
  const lines = new Set<string>();
  let worst: Verdict['kind'] | undefined;
  const note = (v: Verdict, line: string) => {
    if (worst === undefined || RANK[v.kind] > RANK[worst]) worst = v.kind;
    lines.add(line);
  };
  const clients = new Set<PodTemplate>();
  for (const f of serviceFlows(graph)) {
    if (f.service !== svc) continue;
    if (f.client.template) clients.add(f.client.template);
    for (const b of f.backends) note(b.verdict, `${f.client.name} → ${b.backend.name} :${b.targetPort}/${b.protocol}: ${verdictText(b.verdict)}`);
  }
  for (const d of dnsFlows(graph)) {
    if (!clients.has(d.template)) continue;
    for (const p of d.protocols) note(p.verdict, `${d.client.name} → cluster DNS ${p.port}/${p.protocol}: ${verdictText(p.verdict)}`);
  }
  if (worst === undefined) return { status: 'none', lines: ['no client of this Service is known in the input'] };
  return { status: worst === 'allowed' ? 'admitted' : worst, lines: [...lines] };
}

/** Policy kinds of other APIs that decide connections beside NetworkPolicy, which svclint does not read. */
const OTHER_POLICIES: readonly { group: RegExp; kinds: readonly string[] }[] = [
  { group: /^policy\.networking\.k8s\.io\//, kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'] },
  { group: /^cilium\.io\//, kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] },
  { group: /^(crd\.)?projectcalico\.org\//, kinds: ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy'] },
];

const CLUSTER_WIDE = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy']);

const otherCache = new WeakMap<ServiceGraph, K8sObject[]>();

/**
 * The policies of other APIs (AdminNetworkPolicy, Cilium's, Calico's) that can decide a
 * connection between pods of these namespaces, in the folder tree of `near`, as
 * `Kind namespace/name`: they can admit what NetworkPolicy alone would not (an
 * AdminNetworkPolicy's Allow is final, Cilium and Calico add their allow rules), so a block
 * svclint sees is not proof.
 */
export function otherPolicies(graph: ServiceGraph, namespaces: readonly string[], near: K8sObject): string[] {
  let all = otherCache.get(graph);
  if (!all) otherCache.set(graph, (all = graph.objects.filter((o) => OTHER_POLICIES.some((p) => p.group.test(o.apiVersion) && p.kinds.includes(o.kind)))));
  return all
    .filter((o) => (CLUSTER_WIDE.has(o.kind) || namespaces.includes(o.namespace)) && sameTree(o, near))
    .map((o) => `${o.kind} ${CLUSTER_WIDE.has(o.kind) ? '' : `${o.namespace}/`}${o.name}`);
}
