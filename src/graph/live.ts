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
  return list(s.reasons, 3) || 'it is not ready';
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
