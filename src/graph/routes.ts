import type { PodTemplate, Replicas, ServiceGraph, ServiceNode } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import type { Location } from '../types/finding.js';
import { trustedLocate } from '../engine/locate.js';
import { serviceFlows, verdictText, type ServiceFlow } from './netpol.js';

export interface RouteBackend {
  kind: string;
  namespace: string;
  name: string;
  replicas: number | 'per-node';
  /** Job/CronJob pods: endpoints only while they run. */
  finishes: boolean;
  container?: string;
  /** The endpoint port; absent when FindPort fails and the pods are left out. */
  targetPort?: number;
  protocol: string;
  ready: boolean;
  notReady: string[];
  unresolved?: string;
}

/** A pod the run knows dials this port, and whether NetworkPolicy admits it to the backends. */
export interface RouteClient {
  /** `Deployment shop/web`, or the ingress controller. */
  client: string;
  /** Where the client names the Service (`env \`API_URL\` of container \`web\``). */
  via: string;
  admitted: 'yes' | 'no' | 'cannot-tell';
  /** Per backend, when not admitted: why. */
  detail?: string[];
}

export interface RoutePort {
  name?: string;
  port?: number;
  protocol: string;
  targetPort: string | number;
  /** `VIP:port/protocol`. */
  from: string;
  srv?: string;
  backends: RouteBackend[];
  /** Clients the run knows (reference edges, Ingress backends); absent when none. */
  clients?: RouteClient[];
}

export interface ServiceRoutes {
  kind: 'Service';
  namespace: string;
  name: string;
  type: string;
  mode: ServiceNode['mode'];
  selector: Record<string, string>;
  /** ClusterIP, `unallocated`, `headless`, or `none` for ExternalName. */
  vip: string;
  dns: string;
  externalName?: string;
  location?: Location;
  ports: RoutePort[];
  manualEndpoints: { kind: string; name: string }[];
}

function replicaCount(r: Replicas): number | 'per-node' {
  if (r.mode === 'per-node') return 'per-node';
  if (r.mode === 'job' && r.suspended) return 0;
  return r.count;
}

function targetText(svc: ServiceNode, i: number): string | number {
  const t = svc.ports[i]!.target;
  return t.kind === 'number' ? t.value : t.kind === 'invalid' ? '?' : t.value;
}

/** What the endpoints controller and kube-proxy would build from these manifests. */
function routeClients(flows: ServiceFlow[]): RouteClient[] {
  const out = new Map<string, RouteClient>();
  for (const f of flows) {
    const bad = f.backends.filter((b) => b.verdict.kind !== 'allowed');
    const admitted = bad.some((b) => b.verdict.kind === 'blocked') ? 'no' : bad.length ? 'cannot-tell' : 'yes';
    const c: RouteClient = { client: f.client.name, via: f.site.where, admitted };
    if (bad.length) c.detail = bad.map((b) => `${b.backend.name} :${b.targetPort}/${b.protocol}: ${verdictText(b.verdict)}`);
    out.set(`${c.client}|${c.via}`, c);
  }
  return [...out.values()];
}

export function computeRoutes(graph: ServiceGraph): ServiceRoutes[] {
  const domain = graph.settings.clusterDomain;
  const flows = new Map<unknown, ServiceFlow[]>();
  for (const f of serviceFlows(graph)) flows.set(f.port, [...(flows.get(f.port) ?? []), f]);
  return graph.services.map((svc) => {
    const o = svc.object;
    const vip = svc.type === 'ExternalName' ? 'none' : svc.headless ? 'headless' : svc.clusterIP ?? 'unallocated';
    const dns = `${o.name}.${o.namespace}.svc.${domain}`;
    const ports: RoutePort[] = svc.ports.map((sp, i) => ({
      ...(sp.name ? { name: sp.name } : {}),
      ...(sp.port !== undefined ? { port: sp.port } : {}),
      protocol: sp.protocol,
      targetPort: targetText(svc, i),
      from: `${vip}:${sp.port ?? '?'}/${sp.protocol}`,
      ...(sp.name ? { srv: `_${sp.name}._${sp.protocol.toLowerCase()}.${dns}` } : {}),
      backends: sp.resolutions.map((r) => backend(graph, svc, r.template, sp.protocol, r.targetPort, r.container?.name, r.failure)),
      ...(flows.has(sp) ? { clients: routeClients(flows.get(sp)!) } : {}),
    }));
    const out: ServiceRoutes = {
      kind: 'Service',
      namespace: o.namespace,
      name: o.name,
      type: svc.type,
      mode: svc.mode,
      selector: svc.selector,
      vip,
      dns,
      ...(svc.externalName !== undefined ? { externalName: svc.externalName } : {}),
      ...(o.origin ? { location: trustedLocate(o.origin, []) } : {}),
      ports,
      manualEndpoints: svc.manualEndpoints.map((e) => ({ kind: e.kind, name: e.name })),
    };
    return out;
  });
}

function backend(graph: ServiceGraph, svc: ServiceNode, t: PodTemplate, protocol: string, targetPort: number | undefined, container: string | undefined, failure: string | undefined): RouteBackend {
  const reasons = graph.notReadyReasons(t).filter((r) => !(svc.publishNotReadyAddresses && r.kind === 'probe-port-unknown'));
  const b: RouteBackend = {
    kind: t.owner.kind,
    namespace: t.namespace,
    name: t.owner.name,
    replicas: replicaCount(t.replicas),
    finishes: t.replicas.mode === 'job',
    protocol,
    ready: reasons.every((r) => r.kind === 'job' && !r.suspended),
    notReady: reasons.map((r) => r.kind === 'probe-port-unknown' ? `readiness probe on undeclared port ${r.port}` : r.kind === 'command-unrunnable' || r.kind === 'image-cannot-start' || r.kind === 'port-taken' || r.kind === 'init-never-exits' ? `container ${r.container} cannot start` : r.kind === 'probe-path-elsewhere' ? `readiness probe ${r.probePath} answered on port ${r.served} only` : r.kind === 'probe-path-missing' ? `readiness probe ${r.probePath} not served` : r.kind === 'scaled-to-zero' ? 'scaled to zero' : r.kind === 'paused' ? 'paused' : r.suspended ? 'suspended' : `${t.owner.kind} pods finish`),
  };
  if (container) b.container = container;
  if (targetPort !== undefined) b.targetPort = targetPort;
  if (failure) b.unresolved = failure;
  return b;
}

function replicasText(b: RouteBackend): string {
  if (b.replicas === 'per-node') return '×1 per node';
  return `×${b.replicas}${b.finishes ? ' (while the job runs)' : ''}`;
}

export function formatRoutesText(routes: ServiceRoutes[]): string {
  const out: string[] = [];
  for (const s of routes) {
    const how = s.mode === 'selector' ? `selector ${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')}`
      : s.mode === 'manual' ? 'no selector: endpoints managed by hand or another controller' : `CNAME → ${s.externalName ?? '?'}`;
    out.push(`Service ${s.namespace}/${s.name} (${s.type}${s.vip === 'headless' ? ', headless' : ''}; ${how})${s.location ? `  ${s.location.file}${s.location.line === undefined ? ' (in rendered output)' : `:${s.location.line}`}${s.location.build ? ` (kustomize build ${s.location.build})` : ''}` : ''}`);
    out.push(`  DNS  ${s.dns}  ${s.mode === 'external-name' ? 'CNAME' : s.vip === 'headless' ? 'A/AAAA → ready pod IPs' : 'A/AAAA → ClusterIP'}`);
    for (const p of s.ports) {
      out.push(`  ${p.from}${p.name ? ` (${p.name})` : ''} → targetPort ${p.targetPort}${p.srv ? `   SRV ${p.srv}` : ''}`);
      if (s.mode === 'selector' && p.backends.length === 0) out.push('    ✗ no pod template matches the selector');
      for (const b of p.backends) {
        const what = `${b.kind} ${b.namespace}/${b.name} ${replicasText(b)}`;
        if (b.targetPort === undefined) {
          out.push(`    ✗ ${what}  left out: ${b.unresolved === 'protocol-mismatch' ? `port ${p.targetPort} has another protocol` : b.unresolved === 'quoted-number' ? 'quoted number is a name' : `no container port named ${p.targetPort}`}`);
        } else {
          const ready = b.ready ? '' : `  never ready: ${b.notReady.join(', ')}`;
          out.push(`    ${b.ready ? '→' : '✗'} ${what}  ${b.container ? `container ${b.container} ` : ''}:${b.targetPort}/${b.protocol}${ready}`);
        }
      }
      for (const c of p.clients ?? []) {
        const mark = c.admitted === 'yes' ? '←' : c.admitted === 'no' ? '✗' : '?';
        const what = c.admitted === 'yes' ? 'admitted by NetworkPolicy' : c.admitted === 'no' ? 'blocked by NetworkPolicy' : 'NetworkPolicy: cannot tell';
        out.push(`    ${mark} client ${c.client} (${c.via})  ${what}`);
        for (const d of c.detail ?? []) out.push(`        ${d}`);
      }
      if (s.mode === 'manual') {
        out.push(s.manualEndpoints.length ? `    → ${s.manualEndpoints.map((e) => `${e.kind} ${e.name}`).join(', ')}` : '    → (endpoints not in these manifests)');
      }
    }
    out.push('');
  }
  if (routes.length === 0) out.push('no Services in the input');
  return `${out.join('\n').trimEnd()}\n`;
}

/** One endpoint the EndpointSlice controller publishes for a live pod. */
export interface ControllerEndpoint {
  pod: string;
  /** The Service ports FindPort resolves on this pod (a pod that resolves none is still listed, with no ports). */
  ports: { name: string; port: number; protocol: string }[];
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  hostname?: string;
}

/**
 * The endpoints the EndpointSlice controller writes for a Service from live pods
 * (svclint doctor's graph): every selected pod that has an IP and has not finished, with
 * the ports FindPort resolves on it. `serving` is the pod's Ready condition, `ready` is
 * serving and not terminating, or true for every pod under `publishNotReadyAddresses`.
 * Undefined for a Service the controller does not manage (no selector, ExternalName).
 */
export function controllerEndpoints(svc: ServiceNode): ControllerEndpoint[] | undefined {
  if (svc.mode !== 'selector') return undefined;
  const out: ControllerEndpoint[] = [];
  for (const t of svc.backends) {
    if (t.owner.kind !== 'Pod') continue;
    const body = t.owner.body;
    const status = isRecord(body.status) ? body.status : {};
    const meta = isRecord(body.metadata) ? body.metadata : {};
    const spec = isRecord(body.spec) ? body.spec : {};
    const phase = status.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const hasIP = (typeof status.podIP === 'string' && status.podIP !== '') || (Array.isArray(status.podIPs) && status.podIPs.length > 0);
    if (!hasIP) continue;
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
    const serving = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
    const terminating = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
    const ports: ControllerEndpoint['ports'] = [];
    for (const sp of svc.ports) {
      const r = sp.resolutions.find((x) => x.template === t);
      if (r?.targetPort !== undefined) ports.push({ name: sp.name ?? '', port: r.targetPort, protocol: sp.protocol });
    }
    const e: ControllerEndpoint = { pod: t.owner.name, ports, ready: svc.publishNotReadyAddresses || (serving && !terminating), serving, terminating };
    if (typeof spec.hostname === 'string' && spec.hostname !== '' && spec.subdomain === svc.object.name) e.hostname = spec.hostname;
    out.push(e);
  }
  return out;
}
