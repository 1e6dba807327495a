import type { PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { Finding } from '../types/finding.js';
import type { ReferenceEdge } from '../types/reference.js';
import { describe, formatPath, refOf, type K8sObject } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { podStory, proxyView, rolloutOfPod, rolloutStory, workloadOf } from '../graph/live.js';
import { references } from '../graph/references.js';
import { dnsFlows, policyIndex, serviceFlows, verdictText } from '../graph/netpol.js';
import { code } from '../text.js';
import { externalName } from './chain.js';
import { objectsOfKind } from '../graph/kinds.js';

const OK = '✔';
const BAD = '✘';
const NOTE = '•';
const mark = (ok: boolean) => (ok ? OK : BAD);

/** A workload the client view starts from: `deploy/web`, `pod/web-0`, `sts/db`, `ds/agent`. */
export interface ClientTarget {
  kind: string;
  namespace: string;
  name: string;
}

/** The live pods of a target: the Pod itself, or the pods its controller owns (a Deployment's through its ReplicaSets). */
export function podsOf(graph: ServiceGraph, target: ClientTarget): K8sObject[] {
  const pods = objectsOfKind(graph, 'Pod').filter((o) => o.namespace === target.namespace);
  if (target.kind === 'Pod') return pods.filter((p) => p.name === target.name);
  const want = `${target.kind} ${target.namespace}/${target.name}`;
  return pods.filter((p) => workloadOf(graph, p) === want);
}

/** The object a target names, when it was read. */
function targetObject(graph: ServiceGraph, target: ClientTarget): K8sObject | undefined {
  return graph.objects.find((o) => o.kind === target.kind && o.namespace === target.namespace && o.name === target.name);
}

/** The workloads of a namespace whose pods dial a Service (by a name the cluster's DNS answers or should). */
export function dialingWorkloads(graph: ServiceGraph, namespace: string): ClientTarget[] {
  const out = new Map<string, ClientTarget>();
  for (const e of references(graph)) {
    if (e.site.namespace !== namespace || e.resolution.kind === 'unknown') continue;
    for (const t of e.site.clients) {
      if (t.owner.kind !== 'Pod') continue;
      const w = workloadOf(graph, t.owner);
      const m = w ? /^(\w+) ([^/]+)\/(.+)$/.exec(w) : null;
      const target = m ? { kind: m[1]!, namespace: m[2]!, name: m[3]! } : { kind: 'Pod', namespace, name: t.owner.name };
      out.set(`${target.kind}/${target.name}`, target);
    }
  }
  return [...out.values()].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}

/** The pod's resolver, as the kubelet writes resolv.conf from dnsPolicy, hostNetwork and dnsConfig. */
function resolver(graph: ServiceGraph, pod: K8sObject): { ok: boolean; text: string } {
  const spec = isRecord(pod.body.spec) ? pod.body.spec : {};
  const policy = typeof spec.dnsPolicy === 'string' && spec.dnsPolicy ? spec.dnsPolicy : 'ClusterFirst';
  const host = spec.hostNetwork === true;
  const cfg = isRecord(spec.dnsConfig) ? spec.dnsConfig : {};
  const options = Array.isArray(cfg.options) ? cfg.options.filter(isRecord) : [];
  const ndots = options.find((o) => o.name === 'ndots')?.value ?? '5';
  const domain = graph.settings.clusterDomain;
  const search = [`${pod.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...(Array.isArray(cfg.searches) ? cfg.searches.map(String) : [])];
  if (policy === 'Default') return { ok: false, text: `resolver: dnsPolicy Default uses the node's resolver: no cluster name resolves (use dnsPolicy ClusterFirst)` };
  if (policy === 'ClusterFirst' && host) return { ok: false, text: `resolver: a hostNetwork pod with dnsPolicy ClusterFirst falls back to the node's resolver: no cluster name resolves (use dnsPolicy ClusterFirstWithHostNet)` };
  if (policy === 'None') {
    const ns = Array.isArray(cfg.nameservers) ? cfg.nameservers.map(String) : [];
    const dns = graph.service('kube-system', 'kube-dns');
    const ip = dns && typeof (dns.object.body.spec as Record<string, unknown> | undefined)?.clusterIP === 'string' ? String((dns.object.body.spec as Record<string, unknown>).clusterIP) : undefined;
    const cluster = ip !== undefined && ns.includes(ip);
    const searches = Array.isArray(cfg.searches) ? cfg.searches.map(String) : [];
    return { ok: cluster, text: `resolver: dnsPolicy None, nameservers ${ns.join(', ') || 'none'}${cluster ? ' (cluster DNS)' : ip ? `, not cluster DNS (${ip}): no cluster name resolves` : ''}, search ${searches.join(' ') || 'none'}` };
  }
  return { ok: true, text: `resolver: cluster DNS (dnsPolicy ${policy}), search ${search.join(' ')}, ndots ${String(ndots)}` };
}

function portText(p: ServicePortNode): string {
  return `${p.name ? `${p.name} ` : ''}${p.port ?? '?'}/${p.protocol}`;
}

/** A fix, indented under the line it mends (snippets keep their own indentation). */
function fixLines(remediation: string, indent = '      '): string[] {
  const [first, ...rest] = remediation.split('\n');
  return [`${indent}  fix: ${first}`, ...rest.map((l) => `${indent}       ${l}`)];
}

/**
 * `<svc>.<ns>.svc[.<domain>]` or `<svc>.<ns>` where the cluster has no namespace `<ns>`:
 * judged only when the Namespace objects were read (a live cluster's full list).
 */
function missingNamespace(graph: ServiceGraph, host: string): string | undefined {
  const namespaces = objectsOfKind(graph, 'Namespace');
  if (!namespaces.length) return undefined;
  const h = host.toLowerCase().replace(/\.$/, '');
  const domain = graph.settings.clusterDomain;
  const labels = (h.endsWith(`.svc.${domain}`) ? h.slice(0, -`.${domain}`.length) : h).split('.');
  if (labels.length !== 3 || labels[2] !== 'svc') return undefined;
  return namespaces.some((o) => o.name === labels[1]) ? undefined : labels[1];
}

/** Findings of the run on one object, by rule. */
const on = (findings: readonly Finding[], o: K8sObject, rules: string[]) =>
  findings.filter((f) => rules.includes(f.ruleId) && f.object?.kind === o.kind && f.object.namespace === o.namespace && f.object.name === o.name);

/** One dialled name, link by link: name → Service → port → endpoints → NetworkPolicy. */
function dial(graph: ServiceGraph, t: PodTemplate, e: ReferenceEdge, findings: readonly Finding[], clusterResolver = true): string[] {
  const out = [`  → ${code(e.text)} (${e.site.where}${e.site.object.kind === 'ConfigMap' || e.site.object.kind === 'Secret' ? ` in ${e.site.object.kind} ${e.site.object.name}` : ''})`];
  const r = e.resolution;
  const site = formatPath(e.site.path);
  const mine = findings.filter((f) => f.ruleId === 'dns-reference-unknown-service' && f.object?.kind === e.site.object.kind && f.object.namespace === e.site.object.namespace && f.object.name === e.site.object.name && f.path === site && f.message.includes(e.host));
  if (r.kind !== 'service' && r.kind !== 'pod') {
    const gone = r.kind === 'unknown' ? missingNamespace(graph, e.host) : undefined;
    if (gone) {
      out.push(`      ${BAD} name: ${code(e.host)} names a Service in namespace ${code(gone)}, which does not exist`);
      return out;
    }
    if (r.kind === 'unknown') {
      out.push(`      ${NOTE} ${code(e.host)} is not a Service name of this cluster (an outside name, or not one svclint can judge)`);
      return out;
    }
    if (r.kind === 'host-alias' && !mine.length) {
      out.push(`      ${NOTE} name: ${code(e.host)} is ${code(r.ip)} from the pod's hostAliases (/etc/hosts, read before DNS)`);
      return out;
    }
    const words = mine.length ? mine.map((f) => f.message) : [r.kind === 'missing' ? `Service ${r.namespace}/${r.name} does not exist` : `${code(e.host)} does not resolve to a Service (${r.kind})`];
    for (const w of words) out.push(`      ${BAD} name: ${w}`);
    return out;
  }
  const svc = r.service;
  const how = r.kind === 'pod' ? `a pod of headless Service ${svc.object.namespace}/${svc.object.name}` : `Service ${svc.object.namespace}/${svc.object.name}`;
  const via = e.endpoints
    ? ' (a gRPC `kubernetes://` target: the client lists its EndpointSlices from the API and dials the pods, no DNS)'
    : r.kind === 'service' ? { short: ' (a bare name: same namespace only)', namespaced: ' (through the search path)', fqdn: '', link: ' (a Service-link variable)' }[r.form] : '';
  // A Service-link variable is an IP the kubelet injects, a `kubernetes://` target comes from the API: neither needs a resolver.
  if (!clusterResolver && !e.endpoints && !(r.kind === 'service' && r.form === 'link')) {
    out.push(`      ${BAD} name: ${code(e.host)} is ${how}, but the pods' resolver is not cluster DNS: the name does not resolve there`);
    return out;
  }
  out.push(`      ${OK} name: ${code(e.host)} is ${how}${via}`);
  for (const f of mine) out.push(`      ${f.severity === 'error' ? BAD : NOTE} ${f.message}`);
  if (svc.mode === 'external-name') {
    out.push(...externalName(graph, svc).map((l) => `    ${l}`));
    return out;
  }
  const dialled = e.port ?? e.defaultPort;
  const ports = e.servicePort ? [e.servicePort] : dialled === undefined && !e.endpoints?.port && !e.endpoints?.portName ? svc.ports : [];
  if (!ports.length && e.endpoints) {
    out.push(`      ${BAD} port: ${e.endpoints.portName !== undefined ? `no port of Service ${svc.object.namespace}/${svc.object.name} is named ${code(e.endpoints.portName)}` : `no port of Service ${svc.object.namespace}/${svc.object.name} sends to ${e.endpoints.port} on its pods`} (it has ${svc.ports.map(portText).join(', ') || 'none'})`);
    return out;
  }
  if (!ports.length) {
    out.push(`      ${BAD} port: ${dialled} is not a port of Service ${svc.object.namespace}/${svc.object.name} (it has ${svc.ports.map(portText).join(', ') || 'none'})`);
    return out;
  }
  for (const sp of ports) {
    const targets = [...new Set(sp.resolutions.map((x) => x.targetPort).filter((x) => x !== undefined))];
    out.push(`      ${mark(svc.mode !== 'selector' || targets.length > 0)} port ${portText(sp)} → ${sp.target.kind === 'invalid' ? '?' : sp.target.value}${targets.length ? ` (${targets.join(', ')} on the pods)` : svc.mode === 'selector' ? ' (no selected pod has it)' : ''}`);
    const view = proxyView(svc.endpointObjects, sp);
    out.push(`      ${mark(view.used.length > 0 && !view.fallback)} endpoints: ${view.used.length ? `${view.used.length} ${view.fallback ? 'terminating (used until they stop)' : 'ready'}` : 'none ready'}`);
  }
  for (const f of on(findings, svc.object, ['service-no-ready-endpoints', 'selector-no-match', 'target-port-unresolved', 'manual-endpoints-missing'])) out.push(`          ${f.message}`);
  if (policyIndex(graph).policies.length) {
    const flows = serviceFlows(graph).filter((f) => f.client.template === t && f.service === svc && ports.includes(f.port));
    const lines = [...new Set(flows.flatMap((f) => f.backends.map((b) => ({ ok: b.verdict.kind === 'allowed', bad: b.verdict.kind === 'blocked', text: `${b.backend.name} :${b.targetPort}/${b.protocol}: ${verdictText(b.verdict)}` }))).map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as { ok: boolean; bad: boolean; text: string });
    if (!lines.length) out.push(`      ${NOTE} NetworkPolicy: no ready backend to judge`);
    for (const l of lines.slice(0, 8)) out.push(`      ${l.ok ? OK : l.bad ? BAD : NOTE} NetworkPolicy: ${l.text}`);
    const fix = findings.find((f) => f.ruleId === 'network-policy-blocks-service' && f.object?.kind === e.site.object.kind && f.object.namespace === e.site.object.namespace && f.object.name === e.site.object.name && f.path === site);
    if (fix && lines.some((l) => l.bad)) out.push(...fixLines(fix.remediation));
  }
  return out;
}

/** How many clients of one Service the view lists. */
const CLIENT_LINES = 10;
const rank = (v: 'allowed' | 'cannot-tell' | 'blocked' | undefined) => (v === 'blocked' ? 2 : v === 'cannot-tell' ? 1 : 0);

/**
 * A client pod named by its workload: the Deployment, found through its ReplicaSet, or when
 * the ReplicaSets of that namespace were not read, from the ReplicaSet's name, which the
 * deployment controller writes as `<deployment>-<pod-template-hash>`.
 */
function clientName(graph: ServiceGraph, o: K8sObject): string {
  if (o.kind !== 'Pod') return describe(refOf(o));
  const w = workloadOf(graph, o);
  const meta = isRecord(o.body.metadata) ? o.body.metadata : {};
  const hash = isRecord(meta.labels) ? meta.labels['pod-template-hash'] : undefined;
  const rs = w && /^ReplicaSet [^/]+\/(.+)$/.exec(w);
  if (rs && typeof hash === 'string' && rs[1]!.endsWith(`-${hash}`)) return `Deployment ${o.namespace}/${rs[1]!.slice(0, -hash.length - 1)}`;
  return w ?? describe(refOf(o));
}

/** The Services that select the target's pods, and the clients the run knows of each, with their NetworkPolicy verdicts. */
function dialledBy(graph: ServiceGraph, pods: K8sObject[]): string[] {
  const mine = new Set(pods);
  const services = graph.services.filter((s) => s.backends.some((b) => mine.has(b.owner)));
  if (!services.length) return [];
  const out = ['', 'Its Services, and who dials them:'];
  for (const svc of services) {
    const edges = references(graph).filter((e) => (e.resolution.kind === 'service' || e.resolution.kind === 'pod') && e.resolution.service === svc);
    const clients = new Map<string, { where: string; worst: 'allowed' | 'cannot-tell' | 'blocked' | undefined; verdicts: Set<string> }>();
    for (const e of edges) {
      for (const t of e.site.clients) {
        const name = clientName(graph, t.owner);
        const c = clients.get(name) ?? { where: `${code(e.text)} in ${e.site.where}`, worst: undefined, verdicts: new Set<string>() };
        for (const f of serviceFlows(graph).filter((x) => x.client.template === t && x.service === svc)) {
          for (const b of f.backends) {
            const rank = { allowed: 0, 'cannot-tell': 1, blocked: 2 } as const;
            if (c.worst === undefined || rank[b.verdict.kind] > rank[c.worst]) c.worst = b.verdict.kind;
            if (b.verdict.kind !== 'allowed') c.verdicts.add(verdictText(b.verdict));
          }
        }
        clients.set(name, c);
      }
    }
    out.push(`  Service ${svc.object.namespace}/${svc.object.name} (${svc.ports.map(portText).join(', ') || 'no ports'}): ${clients.size ? `${clients.size} known client(s)` : 'no known client'}`);
    const shown = [...clients].sort(([a, x], [b, y]) => rank(y.worst) - rank(x.worst) || a.localeCompare(b));
    if (shown.length > CLIENT_LINES) out.push(`    … ${shown.length - CLIENT_LINES} more not shown; the first ${CLIENT_LINES}, worst first:`);
    for (const [name, c] of shown.slice(0, CLIENT_LINES)) {
      const sign = c.worst === 'blocked' ? BAD : c.worst === 'cannot-tell' ? NOTE : OK;
      out.push(`    ${sign} ${name} dials ${c.where}${c.verdicts.size ? `: ${[...c.verdicts].join('; ')}` : ''}`);
    }
  }
  return out;
}

/**
 * The client view: what a workload's pods dial (env, args, commands and the ConfigMaps they
 * read: the linter's reference graph) and, for each name, the way to it: the pods' resolver
 * and their egress to cluster DNS, the Service, the port, the endpoints and NetworkPolicy at
 * both ends; then the workload's own Services and who dials them. `failed` when a ✘ is shown.
 */
export function clientView(graph: ServiceGraph, target: ClientTarget, findings: readonly Finding[]): { text: string; failed: boolean } {
  const pods = podsOf(graph, target);
  const obj = targetObject(graph, target);
  const label = `${target.kind} ${target.namespace}/${target.name}`;
  const out: string[] = [];
  if (!pods.length) {
    out.push(`${label}: ${obj ? 'no pod of it exists' : 'not found'}`);
    const rollout = obj?.kind === 'Deployment' ? rolloutStory(graph, obj) : undefined;
    if (rollout) out.push(`  ${BAD} ${rollout.text}`, `      fix: ${rollout.fix}`);
    out.push(`  ${BAD} ${obj ? 'nothing runs, so nothing dials: check kubectl describe ' + target.kind.toLowerCase() + '/' + target.name + ' -n ' + target.namespace : `no ${target.kind} ${target.name} in namespace ${target.namespace}`}`);
    return { text: `${out.join('\n')}\n`, failed: true };
  }
  const stories = pods.map((p) => ({ p, s: podStory(graph, p) }));
  const ready = stories.filter((x) => x.s.ready);
  out.push(`${label}: ${pods.length} pod${pods.length === 1 ? '' : 's'}, ${ready.length} ready`);
  for (const x of stories.filter((y) => !y.s.ready).slice(0, 5)) out.push(`  ${BAD} ${describe(refOf(x.p))}: ${x.s.reasons.join('; ') || 'not ready'}`);
  const rollout = stories.map((x) => rolloutOfPod(graph, x.p)).find((r) => r !== undefined);
  if (rollout) out.push(`  ${BAD} ${rollout.text}`, `      fix: ${rollout.fix}`);
  // The pods of one workload share a template: the first running one speaks for them.
  const rep = (ready[0] ?? stories[0]!).p;
  const t = graph.templateOf(rep);
  const dnsHealth = findings.filter((f) => f.ruleId === 'cluster-dns-unhealthy');
  const res = resolver(graph, rep);
  out.push(`  ${mark(res.ok)} ${res.text}`);
  if (dnsHealth.length) out.push(`  ${BAD} cluster DNS: ${dnsHealth[0]!.message}`);
  const edges = t ? references(graph).filter((e) => e.site.clients.includes(t)) : [];
  const seen = new Set<string>();
  const unique = edges.filter((e) => {
    const k = `${e.site.where}\u0000${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (t && unique.some((e) => e.resolution.kind !== 'unknown') && policyIndex(graph).policies.length) {
    const d = dnsFlows(graph).find((x) => x.template === t);
    if (d && d.protocols.length) {
      const worst = d.protocols.some((p) => p.verdict.kind === 'blocked') ? BAD : d.protocols.some((p) => p.verdict.kind === 'cannot-tell') ? NOTE : OK;
      out.push(`  ${worst} egress to cluster DNS: ${d.protocols.map((p) => `${p.port}/${p.protocol} ${verdictText(p.verdict)}`).join('; ')}`);
      const fix = findings.find((f) => f.ruleId === 'network-policy-blocks-dns' && f.object?.kind === t.owner.kind && f.object.namespace === t.owner.namespace && f.object.name === t.owner.name);
      if (fix && worst === BAD) out.push(...fixLines(fix.remediation, ''));
    }
  }
  out.push('', unique.length ? `What it dials (${unique.length}):` : 'What it dials: no host name found in its env, args, command or the ConfigMaps it reads');
  for (const e of unique) out.push(...dial(graph, t!, e, findings, res.ok));
  out.push(...dialledBy(graph, pods));
  const text = `${out.join('\n')}\n`;
  return { text, failed: text.includes(BAD) };
}

export type { ServiceNode };
