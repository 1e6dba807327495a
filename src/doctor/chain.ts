import type { ServiceGraph, ServiceNode } from '../types/graph.js';
import type { Finding } from '../types/finding.js';
import { describe, refOf } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { podState, publishedEndpoints } from '../graph/live.js';

const OK = '✔';
const BAD = '✘';
const NOTE = '•';

/** kube-proxy's mode from its kubeadm-style ConfigMap: iptables unless it says otherwise. */
export function kubeProxyMode(graph: ServiceGraph): string | undefined {
  const cm = graph.objects.find((o) => o.kind === 'ConfigMap' && o.namespace === 'kube-system' && o.name === 'kube-proxy');
  const conf = cm && isRecord(cm.body.data) ? cm.body.data['config.conf'] : undefined;
  if (typeof conf !== 'string') return undefined;
  const m = /^mode:\s*"?([a-z]*)"?\s*$/m.exec(conf);
  return m && m[1] ? m[1] : 'iptables (the default)';
}

/**
 * One Service, link by link in the order of the troubleshooting table: the Service, its
 * selector and pods, their readiness, port resolution, the EndpointSlices the cluster
 * published, the routes that result, and DNS.
 */
export function chainView(graph: ServiceGraph, svc: ServiceNode, findings: Finding[]): string {
  const o = svc.object;
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : 'none';
  const out: string[] = [];
  const ports = svc.ports.map((p) => `${p.name ?? p.port} ${p.port}/${p.protocol} → ${p.target.kind === 'invalid' ? '?' : p.target.value}`).join(', ');
  const addr = svc.type === 'ExternalName' ? 'ExternalName' : `${svc.type === 'ClusterIP' ? '' : `${svc.type}, `}ClusterIP ${ip}${svc.headless ? ' (headless)' : ''}`;
  out.push(`Service ${o.namespace}/${o.name} (${addr}; ${ports || 'no ports'})`);
  if (svc.mode === 'external-name') {
    out.push(`  ${NOTE} ExternalName: a CNAME to ${svc.externalName ?? '?'}; no selector, no endpoints`);
  } else if (svc.mode === 'manual') {
    const pub = svc.endpointObjects.map((x) => publishedEndpoints(x));
    const ready = pub.reduce((n, p) => n + p.ready.length, 0);
    out.push(`  ${NOTE} no selector: endpoints come from ${svc.endpointObjects.length} hand-made object(s)`);
    out.push(`  ${ready ? OK : BAD} endpoints: ${ready} ready address(es)`);
  } else {
    const sel = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = svc.backends.map((t) => ({ t, s: podState(t.owner.body) }));
    out.push(`  ${pods.length ? OK : BAD} selector ${sel} matches ${pods.length} pod(s) in ${o.namespace}`);
    if (!pods.length) {
      for (const f of findings.filter((x) => x.ruleId === 'selector-no-match')) out.push(`      ${f.message}`);
    }
    const ready = pods.filter((p) => p.s.ready);
    if (pods.length) out.push(`  ${ready.length ? OK : BAD} readiness: ${ready.length} of ${pods.length} pod(s) ready`);
    for (const p of pods.filter((x) => !x.s.ready).slice(0, 10)) {
      out.push(`      ${describe(refOf(p.t.owner))}${p.s.owner ? ` (${p.s.owner})` : ''}: ${p.s.reasons.join('; ') || 'not ready'}`);
    }
    for (const sp of svc.ports) {
      const ok = sp.resolutions.filter((r) => r.targetPort !== undefined);
      const label = sp.name ?? String(sp.port);
      if (!sp.resolutions.length) continue;
      const nums = [...new Set(ok.map((r) => r.targetPort))].join(', ');
      out.push(`  ${ok.length === sp.resolutions.length ? OK : BAD} port ${label}: targetPort ${sp.target.kind === 'invalid' ? '?' : sp.target.value} resolves to ${nums || 'nothing'} on ${ok.length} of ${sp.resolutions.length} pod(s)`);
    }
    const pub = svc.endpointObjects.map((x) => publishedEndpoints(x));
    const count = (k: 'ready' | 'notReady' | 'terminating') => pub.reduce((n, p) => n + p[k].length, 0);
    const what = svc.endpointObjects.some((x) => x.kind === 'Endpoints') ? 'Endpoints (v1)' : 'EndpointSlices';
    out.push(`  ${count('ready') ? OK : BAD} ${what}: ${svc.endpointObjects.length} object(s), ${count('ready')} ready, ${count('notReady')} not ready, ${count('terminating')} terminating`);
  }
  if (svc.mode !== 'external-name') {
    const pub = svc.endpointObjects.map((x) => publishedEndpoints(x));
    for (const sp of svc.ports) {
      // A slice carries traffic for a port only when it lists that port (by name).
      const addrs = [...new Set(pub.filter((p) => p.ports.includes(sp.name ?? '')).flatMap((p) => p.ready))];
      const target = [...new Set(sp.resolutions.map((r) => r.targetPort).filter((x) => x !== undefined))].join('|') || (sp.target.kind === 'number' ? sp.target.value : '?');
      out.push(`  ${addrs.length ? OK : BAD} route ${svc.headless ? 'headless' : ip}:${sp.port}/${sp.protocol} → ${addrs.length ? addrs.slice(0, 5).map((a) => `${a}:${target}`).join(', ') + (addrs.length > 5 ? ` and ${addrs.length - 5} more` : '') : 'nothing'}`);
    }
  }
  const mode = kubeProxyMode(graph);
  if (mode) out.push(`  ${NOTE} kube-proxy mode: ${mode}`);
  const dnsProblems = findings.filter((f) => f.ruleId === 'cluster-dns-unhealthy');
  out.push(`  ${dnsProblems.length ? BAD : OK} DNS: ${o.name}.${o.namespace}.svc.${graph.settings.clusterDomain}${dnsProblems.length ? ` — ${dnsProblems[0]!.message}` : ''}`);
  const mine = findings.filter((f) => f.object && f.object.kind === 'Service' && f.object.namespace === o.namespace && f.object.name === o.name);
  if (mine.length) {
    out.push('', 'Findings:');
    for (const f of mine) out.push(`  ${f.severity}: ${f.message} [${f.ruleId}]`, `    fix: ${f.remediation}`);
  }
  return `${out.join('\n')}\n`;
}
