import ipaddr from 'ipaddr.js';
import { networkPolicyProblems } from './netpol-validate.js';
import type { K8sObject, Path } from '../types/object.js';
import type { ContainerPort, PodTemplate, ServiceGraph } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { getIn, lenientInt, stringMap } from './pods.js';

/**
 * NetworkPolicy (networking.k8s.io/v1) as the API defines it: which policies select a pod,
 * whether a pod is isolated per direction, and whether one connection (client pod → server
 * pod, port, protocol) is admitted. Pure; policies are indexed by namespace and by one
 * selected label, so selecting the policies of a pod never scans all policies.
 */

/** Three-valued: the run may not tell (ipBlock, unknown namespace labels, hostNetwork). */
export type Tri = true | false | 'unknown';

export const NAME_LABEL = 'kubernetes.io/metadata.name';

interface Requirement {
  key: string;
  op: string;
  values: string[];
}

/** A metav1.LabelSelector: matchLabels and matchExpressions, ANDed. */
export interface Selector {
  labels: Record<string, string>;
  exprs: Requirement[];
}

export interface PolicyPort {
  protocol: string;
  /** A number, a port name, or undefined for every port of the protocol. */
  port?: number | string;
  endPort?: number;
  path: Path;
}

export interface PolicyPeer {
  pod?: Selector;
  ns?: Selector;
  ipBlock?: { cidr: string; except: string[] };
  path: Path;
}

export type Direction = 'ingress' | 'egress';

export interface PolicyRule {
  /** Undefined when `from`/`to` is missing or empty: every peer. */
  peers?: PolicyPeer[];
  /** Undefined when `ports` is missing or empty: every port. */
  ports?: PolicyPort[];
  path: Path;
}

export interface Policy {
  object: K8sObject;
  namespace: string;
  podSelector: Selector;
  /** Directions the policy isolates (policyTypes, defaulted as the API server does). */
  isolates: Record<Direction, boolean>;
  rules: Record<Direction, PolicyRule[]>;
}

/** A pod as policies see it: a manifest's pod template, or a pod the run assumes (cluster DNS). */
export interface PodView {
  key: string;
  namespace: string;
  labels: Record<string, string>;
  ports: readonly ContainerPort[];
  hostNetwork: boolean;
  /** `Deployment shop/web`. */
  name: string;
  template?: PodTemplate;
  /** Labels its controller adds with values the run cannot know (a hash, each pod's own name): a selector on them may or may not match. */
  vague?: ReadonlySet<string>;
}

export type Verdict =
  | { kind: 'allowed' }
  | { kind: 'blocked'; sides: { direction: Direction; policies: Policy[] }[] }
  | { kind: 'cannot-tell'; reasons: string[] };

export function readSelector(v: unknown): Selector {
  const exprs: Requirement[] = [];
  const list = getIn(v, ['matchExpressions']);
  for (const e of Array.isArray(list) ? list : []) {
    if (!isRecord(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') continue;
    exprs.push({ key: e.key, op: e.operator, values: Array.isArray(e.values) ? e.values.map(String) : [] });
  }
  return { labels: stringMap(getIn(v, ['matchLabels'])), exprs };
}

export function isEmptySelector(s: Selector): boolean {
  return Object.keys(s.labels).length === 0 && s.exprs.length === 0;
}

/**
 * Matches a selector against labels. When `known` is false only the namespace-name label
 * is known to be there: a requirement on any other key cannot be judged.
 */
export function matchSelector(s: Selector, labels: Record<string, string>, known = true, vague?: ReadonlySet<string>): Tri {
  let unknown = false;
  // matchLabels first, as `In` requirements of one value each, then matchExpressions, in order.
  for (const key in s.labels) {
    if (!Object.hasOwn(s.labels, key)) continue;
    if ((!known && key !== NAME_LABEL) || (vague?.has(key) && !Object.hasOwn(labels, key))) {
      unknown = true;
      continue;
    }
    if (!(Object.hasOwn(labels, key) && labels[key] === s.labels[key])) return false;
  }
  for (const r of s.exprs) {
    if ((!known && r.key !== NAME_LABEL) || (vague?.has(r.key) && !Object.hasOwn(labels, r.key))) {
      unknown = true;
      continue;
    }
    const has = Object.hasOwn(labels, r.key);
    const ok = r.op === 'In' ? has && r.values.includes(labels[r.key]!)
      : r.op === 'NotIn' ? !has || !r.values.includes(labels[r.key]!)
      : r.op === 'Exists' ? has
      : r.op === 'DoesNotExist' ? !has
      : false; // the API server rejects other operators
    if (!ok) return false;
  }
  return unknown ? 'unknown' : true;
}

export const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === 'unknown' || b === 'unknown' ? 'unknown' : true);
export const or = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === 'unknown' || b === 'unknown' ? 'unknown' : false);

function readPorts(v: unknown, path: Path): PolicyPort[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((p, i) => {
    const port = getIn(p, ['port']);
    const endPort = lenientInt(getIn(p, ['endPort']));
    const protocol = getIn(p, ['protocol']);
    return {
      protocol: typeof protocol === 'string' && protocol !== '' ? protocol : 'TCP',
      ...(typeof port === 'number' ? { port } : typeof port === 'string' && port !== '' ? { port } : {}),
      ...(endPort !== undefined ? { endPort } : {}),
      path: [...path, i],
    };
  });
}

function readPeers(v: unknown, path: Path): PolicyPeer[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((p, i) => {
    const peer: PolicyPeer = { path: [...path, i] };
    if (!isRecord(p)) return peer;
    if (isRecord(p.podSelector)) peer.pod = readSelector(p.podSelector);
    if (isRecord(p.namespaceSelector)) peer.ns = readSelector(p.namespaceSelector);
    if (isRecord(p.ipBlock) && typeof p.ipBlock.cidr === 'string') {
      peer.ipBlock = { cidr: p.ipBlock.cidr, except: Array.isArray(p.ipBlock.except) ? p.ipBlock.except.map(String) : [] };
    }
    return peer;
  });
}

export function readPolicy(o: K8sObject): Policy {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const rules = (dir: Direction): PolicyRule[] => {
    const list = spec[dir];
    if (!Array.isArray(list)) return [];
    const peerField = dir === 'ingress' ? 'from' : 'to';
    return list.map((r, i) => {
      const path = ['spec', dir, i];
      const rule: PolicyRule = { path };
      const peers = readPeers(getIn(r, [peerField]), [...path, peerField]);
      const ports = readPorts(getIn(r, ['ports']), [...path, 'ports']);
      if (peers) rule.peers = peers;
      if (ports) rule.ports = ports;
      return rule;
    });
  };
  // Defaulting (networking/v1): no policyTypes → Ingress, plus Egress when egress rules exist.
  const types = Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0
    ? spec.policyTypes.filter((t): t is string => typeof t === 'string')
    : ['Ingress', ...(Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Egress'] : [])];
  return {
    object: o,
    namespace: o.namespace,
    podSelector: readSelector(spec.podSelector),
    isolates: { ingress: types.includes('Ingress'), egress: types.includes('Egress') },
    rules: { ingress: rules('ingress'), egress: rules('egress') },
  };
}

export const isNetworkPolicy = (o: K8sObject): boolean => o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1';

const views = new WeakMap<PodTemplate, PodView>();

/** A template's PodView, made once per template (flows ask for the same backends again and again). */
export function podView(t: PodTemplate): PodView {
  let v = views.get(t);
  if (!v) views.set(t, (v = makePodView(t)));
  return v;
}

/**
 * The labels a controller adds to its pods (controller-labels.ts): a Job's `job-name` and
 * `batch.kubernetes.io/job-name` are its name; the others (a CronJob's Job names, hashes, uids,
 * a StatefulSet pod's own name and index) vary or cannot be known.
 */
function controllerLabels(t: PodTemplate): { known: Record<string, string>; vague: Set<string> } {
  const known: Record<string, string> = {};
  const vague = new Set<string>();
  const kind = t.owner.kind;
  if (kind === 'Job') Object.assign(known, { 'job-name': t.owner.name, 'batch.kubernetes.io/job-name': t.owner.name });
  if (kind === 'CronJob') for (const k of ['job-name', 'batch.kubernetes.io/job-name']) vague.add(k);
  if (kind === 'Job' || kind === 'CronJob') for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index']) vague.add(k);
  if (kind === 'StatefulSet') for (const k of ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-revision-hash']) vague.add(k);
  if (kind === 'DaemonSet') for (const k of ['controller-revision-hash', 'pod-template-generation']) vague.add(k);
  if (kind === 'Deployment' || kind === 'Rollout') vague.add('pod-template-hash');
  for (const k of Object.keys(t.labels)) vague.delete(k);
  return { known, vague };
}

function makePodView(t: PodTemplate): PodView {
  const added = controllerLabels(t);
  return {
    key: `t${t.id}`,
    namespace: t.namespace,
    labels: Object.keys(added.known).length ? { ...added.known, ...t.labels } : t.labels,
    ...(added.vague.size ? { vague: added.vague } : {}),
    ports: t.containers.flatMap((c) => c.ports),
    hostNetwork: getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true,
    name: `${t.owner.kind} ${t.namespace}/${t.owner.name}`,
    template: t,
  };
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parsed CIDRs by their text: every flow of a run asks about the same few blocks again. */
const parsedCidrs = new Map<string, Cidr | undefined>();

function parseCidr(s: string): Cidr | undefined {
  if (parsedCidrs.has(s)) return parsedCidrs.get(s);
  let c: Cidr | undefined;
  try {
    c = ipaddr.parseCIDR(s);
  } catch {
    c = undefined;
  }
  if (parsedCidrs.size >= 10_000) parsedCidrs.clear(); // a long-lived library process
  parsedCidrs.set(s, c);
  return c;
}

/** Whether CIDR `inner` lies inside `outer`; false across address families. */
function within(inner: Cidr, outer: Cidr): boolean {
  return inner[0].kind() === outer[0].kind() && inner[1] >= outer[1] && inner[0].match(outer);
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return within(a, b) || within(b, a);
}

/** Whether an IP lies inside a CIDR (exceptions removed). */
export function ipInBlock(ip: string, block: { cidr: string; except: string[] }): boolean {
  const addr = ipaddr.isValid(ip) ? ipaddr.parse(ip) : undefined;
  const c = parseCidr(block.cidr);
  if (!addr || !c) return false;
  const one: Cidr = [addr, addr.kind() === 'ipv4' ? 32 : 128];
  return within(one, c) && !block.except.some((e) => {
    const x = parseCidr(e);
    return x !== undefined && within(one, x);
  });
}

/** Every namespace's labels, as far as the run knows them. */
export interface NamespaceLabels {
  labels(ns: string): { labels: Record<string, string>; known: boolean };
  /** Namespaces that have a Namespace object in the run. */
  defined: ReadonlyMap<string, K8sObject>;
}

export function namespaceLabels(objects: readonly K8sObject[]): NamespaceLabels {
  const defined = new Map<string, K8sObject>();
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') defined.set(o.name, o);
  return {
    defined,
    labels(ns) {
      const o = defined.get(ns);
      // The API server sets kubernetes.io/metadata.name on every namespace.
      const own = o ? stringMap(getIn(o.body, ['metadata', 'labels'])) : {};
      return { labels: { ...own, [NAME_LABEL]: ns }, known: o !== undefined };
    },
  };
}

export interface PolicyIndex {
  policies: readonly Policy[];
  /** Policies of the pod's namespace whose podSelector selects it. */
  selecting(pod: PodView): Policy[];
  /**
   * Policies of the pod's namespace that select some of its pods only, by a label the
   * controller gives each pod (`statefulset.kubernetes.io/pod-name: db-0`).
   */
  selectingSome(pod: PodView): Policy[];
  namespaces: NamespaceLabels;
  podCIDRs?: Cidr[];
}

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

export function indexPolicies(objects: readonly K8sObject[], podCIDRs?: readonly string[]): PolicyIndex {
  // A policy the API server rejects is never stored: it neither isolates nor admits (schema-invalid reports it).
  const policies = objects.filter((o) => isNetworkPolicy(o) && networkPolicyProblems(o).length === 0).map(readPolicy);
  // namespace → (one matchLabels pair → policies), plus policies without matchLabels.
  const byPair = new Map<string, Map<string, Policy[]>>();
  const rest = new Map<string, Policy[]>();
  for (const p of policies) {
    const first = Object.entries(p.podSelector.labels)[0];
    if (first) {
      let m = byPair.get(p.namespace);
      if (!m) byPair.set(p.namespace, (m = new Map()));
      const k = pairKey(...first);
      m.set(k, [...(m.get(k) ?? []), p]);
    } else {
      rest.set(p.namespace, [...(rest.get(p.namespace) ?? []), p]);
    }
  }
  const cache = new Map<string, Policy[]>();
  const cidrs = podCIDRs?.map(parseCidr).filter((c): c is Cidr => c !== undefined);
  return {
    policies,
    namespaces: namespaceLabels(objects),
    ...(cidrs && cidrs.length ? { podCIDRs: cidrs } : {}),
    selecting(pod) {
      let out = cache.get(pod.key);
      if (out) return out;
      const m = byPair.get(pod.namespace);
      const candidates = [...(rest.get(pod.namespace) ?? [])];
      if (m) for (const [k, v] of Object.entries(pod.labels)) candidates.push(...(m.get(pairKey(k, v)) ?? []));
      out = candidates.filter((p) => matchSelector(p.podSelector, pod.labels) === true);
      cache.set(pod.key, out);
      return out;
    },
    selectingSome(pod) {
      if (!pod.vague?.size) return [];
      return (rest.get(pod.namespace) ?? []).concat([...(byPair.get(pod.namespace)?.values() ?? [])].flat())
        .filter((p, i, all) => all.indexOf(p) === i && matchSelector(p.podSelector, pod.labels, true, pod.vague) === 'unknown');
    },
  };
}

/** Whether an ipBlock holds a pod's IP: only when the run pins the pod CIDRs. */
function ipBlockHolds(index: PolicyIndex, block: { cidr: string; except: string[] }, pod: PodView): Tri {
  if (!index.podCIDRs || pod.hostNetwork) return 'unknown';
  const c = parseCidr(block.cidr);
  if (!c) return 'unknown';
  const except = block.except.map(parseCidr).filter((x): x is Cidr => x !== undefined);
  const family = index.podCIDRs.filter((p) => p[0].kind() === c[0].kind());
  if (family.length === 0) return false;
  const all = family.every((p) => within(p, c) && !except.some((e) => overlaps(e, p)));
  if (all) return true;
  const none = family.every((p) => !overlaps(p, c) || except.some((e) => within(p, e)));
  return none ? false : 'unknown';
}

/** Whether a peer of a policy in namespace `policyNs` admits a pod. */
export function peerMatches(index: PolicyIndex, peer: PolicyPeer, policyNs: string, pod: PodView, why: Set<string>): Tri {
  if (peer.ipBlock) {
    const r = ipBlockHolds(index, peer.ipBlock, pod);
    if (r === 'unknown') why.add(`ipBlock ${peer.ipBlock.cidr} (pod IPs are not known; set networkPolicy.podCIDRs)`);
    return r;
  }
  if (!peer.pod && !peer.ns) return false; // the API server rejects an empty peer
  let ns: Tri = pod.namespace === policyNs;
  if (peer.ns) {
    const { labels, known } = index.namespaces.labels(pod.namespace);
    ns = matchSelector(peer.ns, labels, known);
    if (ns === 'unknown') why.add(`the labels of namespace ${pod.namespace} (no Namespace object in the input)`);
  }
  const r = and(ns, peer.pod ? matchSelector(peer.pod, pod.labels, true, pod.vague) : true);
  if (r === 'unknown' && peer.pod && matchSelector(peer.pod, pod.labels) === false) why.add(`labels the controller of ${pod.name} adds (their values are not in the files)`);
  if (r !== false && pod.hostNetwork) {
    why.add(`${pod.name} uses the host network: whether selectors match it is left to the network plugin`);
    return 'unknown';
  }
  return r;
}

/** Whether a rule's ports admit `port`/`protocol` on the destination pod (named ports resolve there). */
export function portMatches(ports: readonly PolicyPort[] | undefined, port: number, protocol: string, dest: PodView): boolean {
  if (!ports) return true;
  return ports.some((p) => {
    if (p.protocol !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    return dest.ports.some((c) => c.name === p.port && c.protocol === protocol && c.containerPort === port);
  });
}

/** One direction at one pod: `subject` is the pod the policies select, `peer` the other end. */
function judgeSide(index: PolicyIndex, dir: Direction, subject: PodView, peer: PodView, port: number, protocol: string, dest: PodView, why: Set<string>): { result: Tri; policies: Policy[] } {
  const r = judgeBy(index, index.selecting(subject).filter((p) => p.isolates[dir]), dir, subject, peer, port, protocol, dest, why);
  // Policies that select only some of these pods (one StatefulSet pod by name): those pods may judge otherwise.
  const some = index.selectingSome(subject).filter((p) => p.isolates[dir]);
  if (some.length === 0 || r.result === 'unknown') return r;
  const withSome = judgeBy(index, [...r.policies, ...some], dir, subject, peer, port, protocol, dest, new Set(why));
  if (withSome.result === r.result) return r;
  why.add(`NetworkPolicy ${some.map((p) => `${p.namespace}/${p.object.name}`).join(', ')} selects only some pods of ${subject.name}, by a label the controller gives each pod`);
  return { result: 'unknown', policies: withSome.policies };
}

function judgeBy(index: PolicyIndex, policies: Policy[], dir: Direction, subject: PodView, peer: PodView, port: number, protocol: string, dest: PodView, why: Set<string>): { result: Tri; policies: Policy[] } {
  if (policies.length === 0) return { result: true, policies };
  let result: Tri = false;
  for (const p of policies) {
    for (const rule of p.rules[dir]) {
      if (!portMatches(rule.ports, port, protocol, dest)) continue;
      let peers: Tri = rule.peers ? false : true;
      for (const peerRule of rule.peers ?? []) peers = or(peers, peerMatches(index, peerRule, p.namespace, peer, why));
      result = or(result, peers);
      if (result === true) return { result, policies };
    }
  }
  if (subject.hostNetwork) {
    why.add(`${subject.name} uses the host network: whether policies select it is left to the network plugin`);
    return { result: 'unknown', policies };
  }
  return { result, policies };
}

/**
 * Whether a connection from `client` to `server` on `port`/`protocol` (the server pod's
 * port, after a Service's DNAT) is admitted: egress at the client and ingress at the server.
 */
export function judge(index: PolicyIndex, client: PodView, server: PodView, port: number, protocol: string): Verdict {
  const why = new Set<string>();
  const egress = judgeSide(index, 'egress', client, server, port, protocol, server, why);
  const ingress = judgeSide(index, 'ingress', server, client, port, protocol, server, why);
  const sides: { direction: Direction; policies: Policy[] }[] = [];
  if (egress.result === false) sides.push({ direction: 'egress', policies: egress.policies });
  if (ingress.result === false) sides.push({ direction: 'ingress', policies: ingress.policies });
  if (sides.length) return { kind: 'blocked', sides };
  if (egress.result === true && ingress.result === true) return { kind: 'allowed' };
  return { kind: 'cannot-tell', reasons: [...why] };
}

const cache = new WeakMap<ServiceGraph, PolicyIndex>();

/** The run's NetworkPolicies, indexed once per graph. */
export function policyIndex(graph: ServiceGraph): PolicyIndex {
  let index = cache.get(graph);
  if (!index) cache.set(graph, (index = indexPolicies(graph.objects, graph.settings.networkPolicy?.podCIDRs)));
  return index;
}
