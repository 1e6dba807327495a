import { isRecord } from '../load/objects.js';
import { code, list } from '../text.js';

export interface PodState {
  phase: string;
  ip?: string;
  ready: boolean;
  terminating: boolean;
  /** Why the pod is not a ready endpoint, in words (empty when it is one). */
  reasons: string[];
  owner?: string;
}

const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** What a pod's status says about it as an endpoint: phase, IP, Ready, and why not. */
export function podState(body: Record<string, unknown>): PodState {
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const status = isRecord(body.status) ? body.status : {};
  const phase = typeof status.phase === 'string' ? status.phase : 'Pending';
  const ip = typeof status.podIP === 'string' && status.podIP !== '' ? status.podIP : undefined;
  const conditions = arr(status.conditions);
  const cond = (t: string) => conditions.find((c) => c.type === t);
  const readyCond = cond('Ready');
  const ready = readyCond?.status === 'True';
  const terminating = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  const owners = arr(meta.ownerReferences);
  const owner = owners[0] ? `${owners[0].kind} ${owners[0].name}` : undefined;
  const reasons: string[] = [];
  if (terminating) reasons.push('it is terminating');
  if (phase === 'Succeeded' || phase === 'Failed') reasons.push(`it has finished (phase ${phase})`);
  const scheduled = cond('PodScheduled');
  if (phase === 'Pending' && scheduled?.status === 'False') reasons.push(`it is not scheduled${typeof scheduled.message === 'string' ? ` (${scheduled.message})` : ''}`);
  else if (phase === 'Pending' && !ip) reasons.push('it is pending and has no IP yet');
  for (const cs of [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)]) {
    const name = code(String(cs.name));
    const state = isRecord(cs.state) ? cs.state : {};
    const last = isRecord(cs.lastState) && isRecord(cs.lastState.terminated) ? cs.lastState.terminated : undefined;
    const lastText = last ? ` (last exit: ${last.reason ?? 'terminated'}${last.exitCode !== undefined ? `, code ${last.exitCode}` : ''})` : '';
    if (isRecord(state.waiting)) {
      const reason = String(state.waiting.reason ?? 'Waiting');
      if (reason !== 'ContainerCreating' || !ready) reasons.push(`container ${name} is waiting: ${reason}${lastText}`);
    } else if (isRecord(state.terminated) && phase === 'Running') {
      reasons.push(`container ${name} terminated: ${state.terminated.reason ?? 'exited'}${lastText}`);
    } else if (cs.ready === false && isRecord(state.running) && !ready) {
      reasons.push(`container ${name} is running but not ready (its readiness probe fails)`);
    }
  }
  if (!ready && reasons.length === 0 && !terminating && phase === 'Running') {
    const gates = readyCond && typeof readyCond.reason === 'string' ? ` (${readyCond.reason}${typeof readyCond.message === 'string' ? `: ${readyCond.message}` : ''})` : '';
    reasons.push(`its Ready condition is not True${gates}`);
  }
  return { phase, ip, ready: ready && !terminating, terminating, reasons: ready && !terminating ? [] : reasons, owner };
}

export function describeReasons(s: PodState): string {
  const more = s.reasons.length > 3 ? `; and ${s.reasons.length - 3} more` : '';
  return s.reasons.slice(0, 3).join('; ') + more || 'it is not ready';
}

/** Ready addresses an EndpointSlice (or v1 Endpoints) publishes, with the port names it carries. */
export function publishedEndpoints(o: { kind: string; body: Record<string, unknown> }): { ready: string[]; notReady: string[]; terminating: string[]; ports: string[]; managedBy?: string } {
  const out = { ready: [] as string[], notReady: [] as string[], terminating: [] as string[], ports: [] as string[], managedBy: undefined as string | undefined };
  if (o.kind === 'EndpointSlice') {
    const labels = isRecord(o.body.metadata) && isRecord(o.body.metadata.labels) ? o.body.metadata.labels : {};
    if (typeof labels['endpointslice.kubernetes.io/managed-by'] === 'string') out.managedBy = labels['endpointslice.kubernetes.io/managed-by'];
    out.ports = arr(o.body.ports).map((p) => String(p.name ?? ''));
    for (const e of arr(o.body.endpoints)) {
      const c = isRecord(e.conditions) ? e.conditions : {};
      const addrs = Array.isArray(e.addresses) ? e.addresses.map(String) : [];
      if (c.terminating === true) out.terminating.push(...addrs);
      else if (c.ready === false) out.notReady.push(...addrs);
      else out.ready.push(...addrs); // ready unset means ready, as for kube-proxy
    }
  } else {
    for (const s of arr(o.body.subsets)) {
      out.ports.push(...arr(s.ports).map((p) => String(p.name ?? '')));
      out.ready.push(...arr(s.addresses).map((a) => String(a.ip)));
      out.notReady.push(...arr(s.notReadyAddresses).map((a) => String(a.ip)));
    }
  }
  return out;
}

// ---- Live facts beyond the Service chain: nodes, events, rollouts, what kube-proxy uses ----

type Obj = { kind: string; namespace: string; name: string; body: Record<string, unknown> };
type Graphish = { objects: readonly Obj[] };

export interface NodeState {
  name: string;
  /** The node's Ready condition is True: the node-lifecycle controller's taints may lag behind it. */
  ready: boolean;
  cordoned: boolean;
  /** Why pods there get no traffic, in words (undefined for a Ready node). */
  problem?: string;
  /** The node-lifecycle taints, once per key with their effects: they matter for scheduling only. */
  taints: { key: string; effects: string[] }[];
}

const TAINTS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'];

/** `node.kubernetes.io/not-ready` (NoSchedule, NoExecute): a taint named once, with its effects. */
export function taintText(t: { key: string; effects: string[] }): string {
  return `${code(t.key)}${t.effects.length ? ` (${t.effects.join(', ')})` : ''}`;
}

/**
 * A node's Ready condition, its not-ready/unreachable taints and spec.unschedulable (cordon).
 * The condition decides: the node-lifecycle controller adds and removes the taints after it
 * sees the condition change, so a taint on a node whose Ready is True is lag, not a fault.
 */
export function nodeState(o: Obj): NodeState {
  const status = isRecord(o.body.status) ? o.body.status : {};
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const cond = arr(status.conditions).find((c) => c.type === 'Ready');
  const ready = cond?.status === 'True';
  const byKey = new Map<string, string[]>();
  for (const t of arr(spec.taints)) {
    const k = String(t.key);
    if (!TAINTS.includes(k)) continue;
    const effects = byKey.get(k) ?? [];
    if (typeof t.effect === 'string' && !effects.includes(t.effect)) effects.push(t.effect);
    byKey.set(k, effects);
  }
  const taints = [...byKey].map(([key, effects]) => ({ key, effects }));
  let problem: string | undefined;
  if (!ready) {
    const what = !cond ? 'has no Ready condition' : cond.status === 'Unknown' ? 'is unreachable (Ready is Unknown' : `is NotReady (Ready is ${String(cond.status)}`;
    const why = cond && typeof cond.reason === 'string' ? `: ${cond.reason}${typeof cond.message === 'string' ? `, ${firstLine(cond.message)}` : ''}` : '';
    problem = `node ${code(o.name)} ${what}${cond ? `${why})` : ''}${taints.length ? `, tainted ${list(taints.map(taintText))}` : ''}`;
  }
  return { name: o.name, ready, cordoned: spec.unschedulable === true, problem, taints };
}

function firstLine(s: string, max = 160): string {
  const line = s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

interface LiveIndex {
  nodes: Map<string, NodeState>;
  /** Warning events by involved object (namespace/kind/name), newest first. */
  events: Map<string, Record<string, unknown>[]>;
  byKey: Map<string, Obj>;
  /** ReplicaSets of each Deployment (namespace/name). */
  replicaSets: Map<string, Obj[]>;
}

const indexes = new WeakMap<object, LiveIndex>();
const key = (kind: string, ns: string, name: string) => `${kind}|${ns}|${name}`;
const metaOf = (o: { body: Record<string, unknown> }) => (isRecord(o.body.metadata) ? o.body.metadata : {});
const controllerOf = (o: { body: Record<string, unknown> }) => arr(metaOf(o).ownerReferences).find((r) => r.controller === true) ?? arr(metaOf(o).ownerReferences)[0];

function liveIndex(graph: Graphish): LiveIndex {
  let ix = indexes.get(graph);
  if (ix) return ix;
  ix = { nodes: new Map(), events: new Map(), byKey: new Map(), replicaSets: new Map() };
  for (const o of graph.objects) {
    ix.byKey.set(key(o.kind, o.namespace, o.name), o);
    if (o.kind === 'Node') ix.nodes.set(o.name, nodeState(o));
    else if (o.kind === 'Event' && isRecord(o.body.involvedObject)) {
      const inv = o.body.involvedObject;
      const k = key(String(inv.kind), String(inv.namespace ?? o.namespace), String(inv.name));
      const list = ix.events.get(k) ?? [];
      list.push(o.body);
      ix.events.set(k, list);
    } else if (o.kind === 'ReplicaSet') {
      const owner = controllerOf(o);
      if (owner?.kind === 'Deployment') {
        const k = `${o.namespace}/${String(owner.name)}`;
        ix.replicaSets.set(k, [...(ix.replicaSets.get(k) ?? []), o]);
      }
    }
  }
  const time = (e: Record<string, unknown>) => String(e.lastTimestamp ?? e.eventTime ?? (isRecord(e.metadata) ? e.metadata.creationTimestamp : '') ?? '');
  for (const l of ix.events.values()) l.sort((a, b) => (time(a) < time(b) ? 1 : -1));
  indexes.set(graph, ix);
  return ix;
}

/** The nodes read from the cluster (empty when nodes could not be listed). */
export function liveNodes(graph: Graphish): NodeState[] {
  return [...liveIndex(graph).nodes.values()];
}

/** The newest Warning event about a pod (Unhealthy, BackOff, FailedScheduling, FailedMount...), in one line. */
export function latestEvent(graph: Graphish, pod: Obj): { reason: string; message: string; full: string; text: string } | undefined {
  // A pod recreated under the same name (StatefulSets) is another object: match the uid when both have one.
  const uid = metaOf(pod).uid;
  const e = liveIndex(graph).events.get(key('Pod', pod.namespace, pod.name))?.find((x) => !uid || !isRecord(x.involvedObject) || !x.involvedObject.uid || x.involvedObject.uid === uid);
  if (!e) return undefined;
  const count = typeof e.count === 'number' && e.count > 1 ? ` (×${e.count})` : '';
  const full = firstLine(String(e.message ?? ''), Infinity);
  return { reason: String(e.reason), message: firstLine(String(e.message ?? '')), full, text: `event ${String(e.reason)}: ${firstLine(String(e.message ?? ''))}${count}` };
}

/** podState, plus the node the pod runs on and the kubelet's latest words about it. */
export function podStory(graph: Graphish, pod: Obj): PodState {
  const s = podState(pod.body);
  if (s.ready) return s;
  const spec = isRecord(pod.body.spec) ? pod.body.spec : {};
  const node = typeof spec.nodeName === 'string' ? liveIndex(graph).nodes.get(spec.nodeName) : undefined;
  // A node that stopped reporting explains everything else: the pod's status is stale.
  const reasons = node?.problem ? [`its ${node.problem}`, ...s.reasons.filter((r) => !r.startsWith('its Ready condition is not True'))] : [...s.reasons];
  const event = latestEvent(graph, pod);
  // The scheduler's message is often the PodScheduled condition's too: say it once (compared
  // whole, not as the line cut for display, which a long message never equals).
  if (event && !reasons.some((r) => r.includes(event.full) || event.full.includes(stripReason(r)))) reasons.push(event.text);
  return { ...s, reasons };
}

/** The text a reason quotes in parentheses (`it is not scheduled (…)`), to compare with an event's message. */
function stripReason(r: string): string {
  const m = /\((.+)\)$/s.exec(r);
  return m && m[1]!.length >= 20 ? m[1]! : '\u0000';
}

export interface Revision {
  deployment: Obj;
  revision: number;
  replicaSet: Obj;
  newest: number;
  /** The ReplicaSet of the newest revision. */
  newestReplicaSet?: Obj;
}

const revisionNumber = (rs: Obj) => Number((isRecord(metaOf(rs).annotations) ? metaOf(rs).annotations as Record<string, unknown> : {})['deployment.kubernetes.io/revision'] ?? NaN);

/** The Deployment revision a pod belongs to (through its ReplicaSet), and the newest revision. */
export function revisionOf(graph: Graphish, pod: Obj): Revision | undefined {
  const ix = liveIndex(graph);
  const owner = controllerOf(pod);
  if (owner?.kind !== 'ReplicaSet') return undefined;
  const rs = ix.byKey.get(key('ReplicaSet', pod.namespace, String(owner.name)));
  const dep = rs && controllerOf(rs);
  if (!rs || dep?.kind !== 'Deployment') return undefined;
  const deployment = ix.byKey.get(key('Deployment', pod.namespace, String(dep.name)));
  const all = ix.replicaSets.get(`${pod.namespace}/${String(dep.name)}`) ?? [];
  const revision = revisionNumber(rs);
  if (!deployment || !Number.isFinite(revision)) return undefined;
  let newestReplicaSet: Obj | undefined;
  for (const r of all) if (!newestReplicaSet || revisionNumber(r) > revisionNumber(newestReplicaSet)) newestReplicaSet = r;
  return { deployment, revision, replicaSet: rs, newest: newestReplicaSet ? revisionNumber(newestReplicaSet) : revision, newestReplicaSet };
}

/** The workload that owns a pod, named as users know it: the Deployment rather than its ReplicaSet. */
export function workloadOf(graph: Graphish, pod: Obj): string | undefined {
  const owner = controllerOf(pod);
  if (!owner) return undefined;
  const rev = revisionOf(graph, pod);
  if (rev) return `Deployment ${pod.namespace}/${rev.deployment.name}`;
  return `${String(owner.kind)} ${pod.namespace}/${String(owner.name)}`;
}

export interface ProxyView {
  /** Addresses kube-proxy sends this Service port's traffic to. */
  used: string[];
  /** Used only because no endpoint is ready (serving and terminating ones, as kube-proxy falls back to). */
  fallback: boolean;
  /** Why published addresses are not used, one line per slice. */
  ignored: string[];
  /** Every ignored slice lacks the port name (endpoints-orphaned names that cause). */
  onlyPortNames: boolean;
  /** The reasons of `ignored` that concern ports only (kube-proxy's; the cluster DNS answers A records without them). */
  portless: string[];
}

/**
 * What kube-proxy programs for one Service port from the published objects: only IPv4/IPv6
 * slices, only slices carrying a port of the same name and protocol, ready endpoints (unset
 * `ready` counts as ready), and serving terminating ones only when none is ready.
 */
export function proxyView(objs: readonly { kind: string; name: string; body: Record<string, unknown> }[], port: { name?: string; protocol: string }, families?: readonly string[]): ProxyView {
  const ready: string[] = [];
  const fallback: string[] = [];
  const ignored: string[] = [];
  const portless: string[] = [];
  let other = 0; // ignored for a reason other than a missing port name
  const name = port.name ?? '';
  for (const o of objs) {
    if (o.kind === 'Endpoints') {
      for (const [i, s] of arr(o.body.subsets).entries()) {
        // The mirroring controller keeps a subset without ports (RepackSubsets' sentinel) as a slice without ports.
        if (arr(s.ports).length === 0 && (arr(s.addresses).length > 0 || arr(s.notReadyAddresses).length > 0)) {
          const why = `subset ${i} of Endpoints ${code(o.name)} lists addresses but no ports, so the EndpointSlice mirrored from it lists none, and kube-proxy programs an endpoint only for a port the slice lists`;
          ignored.push(why);
          portless.push(why);
          other++;
          continue;
        }
        if (arr(s.ports).some((p) => String(p.name ?? '') === name && String(p.protocol ?? 'TCP') === port.protocol)) ready.push(...arr(s.addresses).map((a) => String(a.ip)));
      }
      continue;
    }
    const eps = arr(o.body.endpoints).filter((e) => Array.isArray(e.addresses) && e.addresses.length > 0);
    if (o.body.addressType !== 'IPv4' && o.body.addressType !== 'IPv6') {
      if (eps.length) ignored.push(`EndpointSlice ${code(o.name)} has addressType ${String(o.body.addressType)}, which kube-proxy does not program`);
      if (eps.length) other++;
      continue;
    }
    // kube-proxy runs one proxier per IP family, each for the Service's cluster IP of its family:
    // a slice of a family the Service has no cluster IP of is dropped (endpointslicecache).
    if (families && !families.includes(String(o.body.addressType))) {
      if (eps.length) ignored.push(`EndpointSlice ${code(o.name)} has addressType ${String(o.body.addressType)}, but the Service has ${families.join(' and ')} cluster IPs only (ipFamilies), and kube-proxy's ${families.join('/')} proxier drops endpoints of another family`);
      if (eps.length) other++;
      continue;
    }
    const all = arr(o.body.ports);
    const named = all.filter((p) => String(p.name ?? '') === name);
    if (!named.some((p) => String(p.protocol ?? 'TCP') === port.protocol && typeof p.port === 'number')) {
      const numberless = named.some((p) => String(p.protocol ?? 'TCP') === port.protocol);
      if (eps.length) {
        if (all.length === 0) portless.push(`EndpointSlice ${code(o.name)} lists no ports at all, and kube-proxy programs an endpoint only for a port the slice lists`);
        ignored.push(all.length === 0 ? `EndpointSlice ${code(o.name)} lists no ports at all, and kube-proxy programs an endpoint only for a port the slice lists`
          : numberless ? `EndpointSlice ${code(o.name)} lists its port ${name ? `named ${code(name)}` : 'without a name'} over ${port.protocol} without a port number, and kube-proxy skips a port without one`
            : `EndpointSlice ${code(o.name)} lists no port ${name ? `named ${code(name)}` : 'without a name'} over ${port.protocol}`);
      }
      if (eps.length && (named.length || all.length === 0)) other++;
      continue;
    }
    for (const e of eps) {
      const c = isRecord(e.conditions) ? e.conditions : {};
      const addr = String((e.addresses as unknown[])[0]); // kube-proxy uses the first address
      if (c.ready !== false) ready.push(addr);
      else if (c.serving !== false && c.terminating === true) fallback.push(addr);
    }
  }
  const uniq = (l: string[]) => [...new Set(l)];
  const onlyPortNames = ignored.length > 0 && other === 0;
  return ready.length ? { used: uniq(ready), fallback: false, ignored, onlyPortNames, portless } : { used: uniq(fallback), fallback: fallback.length > 0, ignored, onlyPortNames, portless };
}

/** Container ports of a ReplicaSet's (or any workload's) pod template. */
export function templatePorts(o: Obj): { name?: string; containerPort?: number; protocol: string }[] {
  const spec = isRecord(o.body.spec) && isRecord(o.body.spec.template) && isRecord(o.body.spec.template.spec) ? o.body.spec.template.spec : {};
  return [...arr(spec.containers), ...arr(spec.initContainers)].flatMap((c) => arr(c.ports)).map((p) => ({
    name: typeof p.name === 'string' ? p.name : undefined,
    containerPort: typeof p.containerPort === 'number' ? p.containerPort : undefined,
    protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
  }));
}

/** Whether kube-proxy has ready endpoints for some port of the Service (terminating ones it falls back to do not count). */
export function hasReadyEndpoints(svc: { ports: readonly { name?: string; protocol: string }[]; endpointObjects: readonly { kind: string; name: string; body: Record<string, unknown> }[] }): boolean {
  if (svc.ports.length === 0) return svc.endpointObjects.some((o) => publishedEndpoints(o).ready.length > 0);
  return svc.ports.some((p) => {
    const v = proxyView(svc.endpointObjects, p);
    return v.used.length > 0 && !v.fallback;
  });
}

export interface RolloutStory {
  deployment: Obj;
  /** What the rollout did, in words. */
  text: string;
  /** The command that goes back to the revision that served. */
  fix: string;
}

const replicasOf = (o: Obj): number => {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const status = isRecord(o.body.status) ? o.body.status : {};
  return Math.max(typeof spec.replicas === 'number' ? spec.replicas : 0, typeof status.replicas === 'number' ? status.replicas : 0);
};

/**
 * A Deployment rollout that failed: its `Progressing` condition says
 * `ProgressDeadlineExceeded` (the deployment controller gave up waiting for the new pods),
 * with what happened to the old pods (scaled away, as `maxUnavailable: 100%` allows).
 */
export function rolloutStory(graph: Graphish, deployment: Obj): RolloutStory | undefined {
  const status = isRecord(deployment.body.status) ? deployment.body.status : {};
  const progressing = arr(status.conditions).find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return undefined;
  const ns = deployment.namespace;
  const sets = liveIndex(graph).replicaSets.get(`${ns}/${deployment.name}`) ?? [];
  const newest = sets.reduce<Obj | undefined>((a, b) => (!a || revisionNumber(b) > revisionNumber(a) ? b : a), undefined);
  const older = sets.filter((r) => r !== newest && Number.isFinite(revisionNumber(r))).sort((a, b) => revisionNumber(b) - revisionNumber(a));
  const spec = isRecord(deployment.body.spec) ? deployment.body.spec : {};
  const ru = isRecord(spec.strategy) && isRecord(spec.strategy.rollingUpdate) ? spec.strategy.rollingUpdate : {};
  const deadline = typeof spec.progressDeadlineSeconds === 'number' ? spec.progressDeadlineSeconds : 600;
  const parts = [`the rollout of Deployment ${ns}/${deployment.name}${newest ? ` to revision ${revisionNumber(newest)}` : ''} failed: its new pods did not become available within progressDeadlineSeconds ${deadline} (Progressing is False: ProgressDeadlineExceeded${typeof progressing.message === 'string' ? `, ${firstLine(progressing.message)}` : ''})`];
  const previous = older[0];
  if (previous && older.every((r) => replicasOf(r) === 0)) {
    const why = ru.maxUnavailable !== undefined ? ` (maxUnavailable ${code(String(ru.maxUnavailable))} let the controller remove them before the new ones were ready)` : spec.strategy && isRecord(spec.strategy) && spec.strategy.type === 'Recreate' ? ' (strategy Recreate removes them first)' : '';
    parts.push(`the pods of revision ${revisionNumber(previous)} (ReplicaSet ${code(previous.name)}) were scaled away${why}, so no old pod serves either`);
  }
  const back = previous ? ` --to-revision=${revisionNumber(previous)}` : '';
  return { deployment, text: parts.join('; '), fix: `kubectl rollout undo deployment/${deployment.name} -n ${ns}${back}` };
}

/** The failed rollout behind a pod, when the pod belongs to a Deployment whose rollout failed. */
export function rolloutOfPod(graph: Graphish, pod: Obj): RolloutStory | undefined {
  const rev = revisionOf(graph, pod);
  return rev ? rolloutStory(graph, rev.deployment) : undefined;
}

/**
 * Why a workload's controller cannot create its pods, in the controller's words: the
 * `ReplicaFailure` condition (FailedCreate) that the ReplicaSet controller sets on a
 * ReplicaSet or ReplicationController and the deployment controller copies to its
 * Deployment, else the newest FailedCreate Warning event about the workload (StatefulSets,
 * DaemonSets, Jobs) or, for a Deployment, about its newest ReplicaSet. A quota, Pod Security
 * admission, an admission webhook or a missing ServiceAccount all end there.
 */
export function creationFailure(graph: Graphish, workload: Obj): string | undefined {
  const failed = (o: Obj) => {
    const status = isRecord(o.body.status) ? o.body.status : {};
    const c = arr(status.conditions).find((x) => x.type === 'ReplicaFailure' && x.status === 'True');
    return c && typeof c.message === 'string' && c.message !== '' ? c.message : undefined;
  };
  const ix = liveIndex(graph);
  const event = (o: Obj) => {
    const e = ix.events.get(key(o.kind, o.namespace, o.name))?.find((x) => x.reason === 'FailedCreate' && typeof x.message === 'string');
    return e ? String(e.message) : undefined;
  };
  const sets = workload.kind === 'Deployment' ? ix.replicaSets.get(`${workload.namespace}/${workload.name}`) ?? [] : [];
  const newest = sets.reduce<Obj | undefined>((a, b) => (!a || revisionNumber(b) > revisionNumber(a) ? b : a), undefined);
  const text = failed(workload) ?? (newest ? failed(newest) : undefined) ?? event(workload) ?? (newest ? event(newest) : undefined);
  return text === undefined ? undefined : firstLine(text, 400);
}
