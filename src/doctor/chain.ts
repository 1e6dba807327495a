import type { ServiceGraph, ServiceNode } from '../types/graph.js';
import type { Finding } from '../types/finding.js';
import { describe, formatPath, refOf, type K8sObject, type Path } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { hasReadyEndpoints, liveNodes, podStory, proxyView, publishedEndpoints, rolloutOfPod, workloadOf } from '../graph/live.js';
import { resolveHost } from '../graph/dns.js';
import { policyLink } from '../graph/netpol.js';
import { plural } from '../text.js';
import { objectsOfKind } from '../graph/kinds.js';

const OK = '✔';
const BAD = '✘';
const NOTE = '•';
const mark = (ok: boolean) => (ok ? OK : BAD);

/** kube-proxy's mode from its kubeadm-style ConfigMap: iptables unless it says otherwise. */
export function kubeProxyMode(graph: ServiceGraph): string | undefined {
  const cm = objectsOfKind(graph, 'ConfigMap').find((o) => o.namespace === 'kube-system' && o.name === 'kube-proxy');
  const conf = cm && isRecord(cm.body.data) ? cm.body.data['config.conf'] : undefined;
  if (typeof conf !== 'string') return undefined;
  const m = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(conf);
  return m && m[1] ? m[1] : 'iptables (the default)';
}

const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const same = (f: Finding, o: K8sObject) => f.object?.kind === o.kind && f.object.namespace === o.namespace && f.object.name === o.name;

/** Objects that send traffic to the Service or depend on it: Ingress and Gateway route backends, StatefulSets it governs. */
function referrers(graph: ServiceGraph, svc: ServiceNode): { object: K8sObject; paths: Path[] }[] {
  const { namespace, name } = svc.object;
  const out: { object: K8sObject; paths: Path[] }[] = [];
  for (const o of graph.objects) {
    const spec = isRecord(o.body.spec) ? o.body.spec : {};
    const paths: Path[] = [];
    if (o.kind === 'Ingress' && o.namespace === namespace) {
      const check = (b: unknown, p: Path) => {
        if (isRecord(b) && isRecord(b.service) && b.service.name === name) paths.push([...p, 'service']);
        if (isRecord(b) && b.serviceName === name) paths.push(p);
      };
      check(spec.defaultBackend, ['spec', 'defaultBackend']);
      check(spec.backend, ['spec', 'backend']);
      arr(spec.rules).forEach((r, i) => arr(isRecord(r.http) ? r.http.paths : undefined).forEach((p, j) => check(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend'])));
    } else if (/Route$/.test(o.kind) && o.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      arr(spec.rules).forEach((r, i) => arr(r.backendRefs).forEach((b, j) => {
        const ns = typeof b.namespace === 'string' && b.namespace ? b.namespace : o.namespace;
        if (b.name === name && ns === namespace && (b.kind ?? 'Service') === 'Service' && (b.group ?? '') === '') paths.push(['spec', 'rules', i, 'backendRefs', j]);
      }));
    } else if (o.kind === 'StatefulSet' && o.namespace === namespace && spec.serviceName === name) {
      paths.push(['spec', 'serviceName']);
    }
    if (paths.length) out.push({ object: o, paths });
  }
  return out;
}

/**
 * One Service, link by link in the order of the troubleshooting table: the Service, its
 * selector and pods (with their nodes and the kubelet's last words), port resolution, the
 * EndpointSlices, the routes kube-proxy programs from them, DNS, and who points at it.
 */
export function chainView(graph: ServiceGraph, svc: ServiceNode, findings: Finding[], unread: ReadonlySet<string> = new Set()): string {
  const o = svc.object;
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : 'none';
  const out: string[] = [];
  const ports = svc.ports.map((p) => `${p.name ?? p.port} ${p.port}/${p.protocol} → ${p.target.kind === 'invalid' ? '?' : p.target.value}`).join(', ');
  const addr = svc.type === 'ExternalName' ? 'ExternalName' : `${svc.type === 'ClusterIP' ? '' : `${svc.type}, `}ClusterIP ${ip}${svc.headless ? ' (headless)' : ''}`;
  out.push(`Service ${o.namespace}/${o.name} (${addr}; ${ports || 'no ports'})`);
  if (svc.mode === 'external-name') {
    out.push(...externalName(graph, svc));
  } else if (svc.mode === 'manual') {
    const ready = svc.endpointObjects.reduce((n, x) => n + publishedEndpoints(x).ready.length, 0);
    out.push(`  ${NOTE} no selector: endpoints come from ${plural(svc.endpointObjects.length, 'hand-made object')}`);
    out.push(`  ${mark(ready > 0)} endpoints: ${ready} ready address(es)`);
  } else {
    // Unreadable pods are not missing pods: no ✘ may rest on them.
    if (unread.has('Pod')) out.push(`  ! selector ${Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',')}: pods could not be read, so selection, readiness and ports are not checked`);
    else out.push(...selected(graph, svc, findings));
  }
  if (svc.mode !== 'external-name') out.push(...routes(svc, ip));
  const mode = kubeProxyMode(graph);
  if (mode) out.push(`  ${NOTE} kube-proxy mode: ${mode}`);
  for (const f of findings.filter((x) => x.ruleId === 'kube-proxy-unhealthy').slice(0, 3)) out.push(`  ${BAD} ${f.message}`);
  const dnsProblems = findings.filter((f) => f.ruleId === 'cluster-dns-unhealthy');
  out.push(`  ${mark(!dnsProblems.length)} DNS: ${o.name}.${o.namespace}.svc.${graph.settings.clusterDomain}${dnsProblems.length ? ` — ${dnsProblems[0]!.message}` : ''}`);
  out.push(...policy(graph, svc));
  for (const r of referrers(graph, svc)) {
    const where = r.paths.map(formatPath);
    const theirs = findings.filter((f) => same(f, r.object) && (r.object.kind === 'StatefulSet' || where.some((p) => f.path.startsWith(p))));
    out.push(`  ${mark(!theirs.length)} referred to by ${describe(refOf(r.object))} (${where.join(', ')})`);
    for (const f of theirs) out.push(`      ${f.severity}: ${f.message} [${f.ruleId}]`);
  }
  const mine = findings.filter((f) => same(f, o));
  if (mine.length) {
    out.push('', 'Findings:');
    for (const f of mine) out.push(`  ${f.severity}: ${f.message} [${f.ruleId}]`, `    fix: ${f.remediation}`);
  }
  return `${out.join('\n')}\n`;
}

export function externalName(graph: ServiceGraph, svc: ServiceNode): string[] {
  const host = (svc.externalName ?? '?').replace(/\.$/, '');
  const out = [`  ${NOTE} ExternalName: a CNAME to ${host}; no selector, no endpoints`];
  if (!host.endsWith(`.svc.${graph.settings.clusterDomain}`)) return out;
  const r = resolveHost(graph, host, svc.object.namespace);
  const ns = host.slice(0, -`.svc.${graph.settings.clusterDomain}`.length).split('.');
  const namespaces = objectsOfKind(graph, 'Namespace');
  if (ns.length === 2 && namespaces.length && !namespaces.some((o) => o.name === ns[1])) out.push(`  ${BAD} ${host} names Service ${ns[1]}/${ns[0]}, but namespace ${ns[1]} does not exist`);
  else if (r.kind === 'missing') out.push(`  ${BAD} ${host} names Service ${r.namespace}/${r.name}, which does not exist`);
  else if (r.kind === 'service') {
    const t = r.service;
    const ready = hasReadyEndpoints(t);
    out.push(`  ${mark(ready)} ${host} is Service ${t.object.namespace}/${t.object.name}, ${ready ? 'with ready endpoints' : 'which has no ready endpoints'}`);
  }
  return out;
}

function selected(graph: ServiceGraph, svc: ServiceNode, findings: Finding[]): string[] {
  const out: string[] = [];
  const sel = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = svc.backends.map((t) => ({ t, s: podStory(graph, t.owner) }));
  out.push(`  ${mark(pods.length > 0)} selector ${sel} matches ${plural(pods.length, 'pod')} in ${svc.object.namespace}`);
  if (!pods.length) for (const f of findings.filter((x) => x.ruleId === 'selector-no-match' && same(x, svc.object))) out.push(`      ${f.message}`);
  const ready = pods.filter((p) => p.s.ready);
  if (pods.length) out.push(`  ${mark(ready.length > 0)} readiness: ${ready.length} of ${plural(pods.length, 'pod')} ready`);
  for (const p of pods.filter((x) => !x.s.ready).slice(0, 10)) {
    const w = workloadOf(graph, p.t.owner);
    out.push(`      ${describe(refOf(p.t.owner))}${w ? ` (${w})` : ''}: ${p.s.reasons.join('; ') || 'not ready'}`);
  }
  const rollouts = new Map(pods.filter((x) => !x.s.ready).map((x) => rolloutOfPod(graph, x.t.owner)).filter((r) => r !== undefined).map((r) => [r.deployment.name, r]));
  for (const r of rollouts.values()) out.push(`  ${BAD} ${r.text}`, `      fix: ${r.fix}`);
  // The nodes these pods run on, when one is not Ready or is cordoned.
  const nodes = new Map(liveNodes(graph).map((n) => [n.name, n]));
  const on = new Set(pods.map((p) => (isRecord(p.t.owner.body.spec) ? p.t.owner.body.spec.nodeName : undefined)).filter((n): n is string => typeof n === 'string'));
  for (const name of [...on].sort()) {
    const n = nodes.get(name);
    if (n?.problem) out.push(`  ${BAD} ${n.problem}`);
    else if (n?.cordoned) out.push(`  ${NOTE} node \`${name}\` is cordoned (spec.unschedulable): no new pods are scheduled there`);
  }
  for (const sp of svc.ports) {
    const ok = sp.resolutions.filter((r) => r.targetPort !== undefined);
    if (!sp.resolutions.length) continue;
    const nums = [...new Set(ok.map((r) => r.targetPort))].join(', ');
    out.push(`  ${mark(ok.length === sp.resolutions.length)} port ${sp.name ?? String(sp.port)}: targetPort ${sp.target.kind === 'invalid' ? '?' : sp.target.value} resolves to ${nums || 'nothing'} on ${ok.length} of ${plural(sp.resolutions.length, 'pod')}`);
  }
  const pub = svc.endpointObjects.map((x) => publishedEndpoints(x));
  const count = (k: 'ready' | 'notReady' | 'terminating') => pub.reduce((n, p) => n + p[k].length, 0);
  const what = svc.endpointObjects.some((x) => x.kind === 'Endpoints') ? 'Endpoints (v1)' : 'EndpointSlices';
  out.push(`  ${mark(count('ready') > 0)} ${what}: ${plural(svc.endpointObjects.length, 'object')}, ${count('ready')} ready, ${count('notReady')} not ready, ${count('terminating')} terminating`);
  return out;
}

/** The routes kube-proxy programs: never a ✔ to an address it will not use. */
function routes(svc: ServiceNode, ip: string): string[] {
  const out: string[] = [];
  for (const sp of svc.ports) {
    const view = proxyView(svc.endpointObjects, sp);
    const addrs = view.used;
    const target = [...new Set(sp.resolutions.map((r) => r.targetPort).filter((x) => x !== undefined))].join('|') || (sp.target.kind === 'number' ? sp.target.value : '?');
    const to = addrs.length ? addrs.slice(0, 5).map((a) => `${a}:${target}`).join(', ') + (addrs.length > 5 ? ` and ${addrs.length - 5} more` : '') : 'nothing';
    out.push(`  ${mark(addrs.length > 0 && !view.fallback)} route ${svc.headless ? 'headless' : ip}:${sp.port}/${sp.protocol} → ${to}${view.fallback ? ' (only terminating endpoints, used until they stop)' : ''}`);
    for (const why of view.ignored) out.push(`      ${why}`);
  }
  return out;
}

/** How many client lines the policy link shows; the rest are counted. */
const POLICY_LINES = 8;

/** NetworkPolicy between the clients the input knows and this Service's backends (and their DNS queries). */
function policy(graph: ServiceGraph, svc: ServiceNode): string[] {
  const link = policyLink(graph, svc);
  if (link.status === 'none' && link.lines[0] === 'no NetworkPolicy in the input') return [];
  const sign = link.status === 'admitted' ? OK : link.status === 'blocked' ? BAD : NOTE;
  const what = { admitted: 'admits every known client', blocked: 'blocks a known client', 'cannot-tell': 'cannot tell for a known client', none: 'no known client' }[link.status];
  const out = [`  ${sign} NetworkPolicy: ${what}`];
  for (const l of link.lines.slice(0, POLICY_LINES)) out.push(`      ${l}`);
  if (link.lines.length > POLICY_LINES) out.push(`      … and ${link.lines.length - POLICY_LINES} more`);
  return out;
}
