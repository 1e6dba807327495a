import type { Rule } from '../../src/types/rule.js';
import { admitRule, clusterDns, dnsFlows, nodeLocalDnsIPs, otherPolicies, usesClusterDns, verdictText, type DnsFlow, type Policy, policyIndex } from '../../src/graph/netpol.js';
import { references } from '../../src/graph/references.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import type { K8sObject } from '../../src/types/object.js';
import type { PodTemplate } from '../../src/types/graph.js';
import { code, list } from '../../src/text.js';

type Proto = DnsFlow['protocols'][number];

/** The isolating policies behind blocked verdicts, once each. */
function policies(ps: Proto[]): Policy[] {
  const out = new Map<string, Policy>();
  for (const p of ps) if (p.verdict.kind === 'blocked') for (const s of p.verdict.sides) for (const pol of s.policies) out.set(`${pol.namespace}/${pol.object.name}`, pol);
  return [...out.values()];
}

function check(ctx: Parameters<Rule['check']>[0], d: DnsFlow): void {
  const udp = d.protocols.filter((p) => p.protocol === 'UDP');
  const tcp = d.protocols.filter((p) => p.protocol === 'TCP');
  const blockedUdp = udp.filter((p) => p.verdict.kind === 'blocked');
  const blockedTcp = tcp.filter((p) => p.verdict.kind === 'blocked');
  const t = d.template;
  const base = { object: t.owner, path: t.labelsPath };
  const server = d.protocols[0]?.server;
  const data = { client: d.client.name, ref: code(d.example.text), dns: server ? server.name : 'cluster DNS' };
  const blocked = [...blockedUdp, ...blockedTcp];
  if (blocked.length) {
    const pols = policies(blocked);
    const egress = blocked.some((p) => p.verdict.kind === 'blocked' && p.verdict.sides.some((s) => s.direction === 'egress'));
    const ports = blocked.map((p) => ({ port: p.port, protocol: p.protocol }));
    const dns = clusterDns(ctx.graph);
    const snippet = egress
      ? `add to \`spec.egress\` of NetworkPolicy ${pols[0]!.namespace}/${pols[0]!.object.name}:\n${admitRule('egress', t.namespace, dns, dns.podLabels, ports)}`
      : `add to \`spec.ingress\` of the cluster DNS pods' NetworkPolicy ${pols[0]!.namespace}/${pols[0]!.object.name}:\n${admitRule('ingress', dns.namespace, d.client, {}, ports)}`;
    const why = list(pols.map((p) => `NetworkPolicy ${code(`${p.namespace}/${p.object.name}`)}`));
    // The first five: N policies over the same pods would write N² entries into the report.
    const related = pols.slice(0, 5).map((p) => ({ object: p.object, path: ['spec', 'podSelector'], message: `NetworkPolicy ${p.namespace}/${p.object.name} isolates these pods and admits no DNS query` }));
    const others = otherPolicies(ctx.graph, [t.namespace, dns.namespace], t.owner);
    ctx.report({
      ...base,
      messageId: blockedUdp.length ? 'blocked' : 'tcpMissing',
      severity: others.length ? 'info' : blockedUdp.length ? undefined : 'warning',
      data: { ...data, ports: list(ports.map((p) => `${p.port}/${p.protocol}`)), isolate: pols.length === 1 ? 'isolates' : 'isolate', doesNot: pols.length === 1 ? 'does not' : 'do not', why: why + (others.length ? ` (the files also hold ${list(others.map((o) => code(o)), 2)}, policies of another API that svclint does not read, which may admit them)` : '') },
      related,
      remediation: `Admit DNS queries to cluster DNS on 53/UDP and 53/TCP; ${snippet}`,
    });
    return;
  }
  const unsure = d.protocols.find((p) => p.verdict.kind === 'cannot-tell');
  if (unsure) ctx.report({ ...base, messageId: 'cannotTell', severity: 'info', data: { ...data, why: verdictText(unsure.verdict).replace(/^cannot tell: /, '') } });
}

const CILIUM = /^cilium\.io\/v2/;

/** Whether a Cilium endpoint selector picks a template's pods (`k8s:` prefixes read; expressions: undefined, svclint cannot tell). */
function ciliumSelects(sel: unknown, t: PodTemplate, clusterwide: boolean): boolean | undefined {
  if (sel === undefined || sel === null) return undefined;
  if (!isRecord(sel)) return undefined;
  if (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length) return undefined;
  const labels = isRecord(sel.matchLabels) ? sel.matchLabels : {};
  return Object.entries(labels).every(([k, v]) => {
    const key = k.replace(/^(k8s|any):/, '');
    if (key === 'io.kubernetes.pod.namespace') return clusterwide && v === t.namespace;
    return t.labels[key] === v;
  });
}

/** Whether an egress rule of a Cilium policy may let DNS queries out: port 53, or peers that include cluster DNS on any port. */
function mayAllowDns(rule: unknown): boolean {
  if (!isRecord(rule)) return true;
  const ports = Array.isArray(rule.toPorts) ? rule.toPorts : [];
  if (ports.length) {
    return ports.some((tp) => {
      const list = getIn(tp, ['ports']);
      return !Array.isArray(list) || list.length === 0 || list.some((p) => !isRecord(p) || String(p.port ?? '') === '53' || p.port === 0 || p.port === '0' || (typeof p.endPort === 'number' && Number(p.port) <= 53 && p.endPort >= 53));
    });
  }
  const entities = Array.isArray(rule.toEntities) ? rule.toEntities : [];
  if (entities.some((e) => e === 'all' || e === 'cluster')) return true;
  const endpoints = Array.isArray(rule.toEndpoints) ? rule.toEndpoints : [];
  if (endpoints.some((e) => !isRecord(e) || (Object.keys(e).length === 0) || JSON.stringify(e).includes('kube-dns') || JSON.stringify(e).includes('kube-system') || JSON.stringify(e).includes('coredns'))) return true;
  // CIDRs, Services, node selectors, groups: what they cover is not read here.
  return ['toCIDR', 'toCIDRSet', 'toServices', 'toNodes', 'toGroups', 'toRequires'].some((k) => rule[k] !== undefined) || Object.keys(rule).length === 0;
}

/**
 * Cilium (cilium.io/v2 CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy): in the default
 * enforcement mode a policy with an `egress` section puts the endpoints it selects into egress
 * default-deny (unless `enableDefaultDeny.egress: false`); their DNS queries then need a rule of
 * some selecting policy that lets port 53 out, or one to cluster DNS on any port.
 */
function checkCilium(ctx: Parameters<Rule['check']>[0]): void {
  const pols = ctx.graph.objects.filter((o) => CILIUM.test(o.apiVersion) && (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy'));
  if (pols.length === 0) return;
  const seen = new Set<PodTemplate>();
  for (const edge of references(ctx.graph)) {
    if (edge.resolution.kind !== 'service' && edge.resolution.kind !== 'pod') continue;
    for (const t of edge.site.clients) {
      if (seen.has(t)) continue;
      seen.add(t);
      if (!usesClusterDns(ctx.graph, t)) continue;
      const selecting: K8sObject[] = [];
      let unsure = false;
      for (const p of pols) {
        const wide = p.kind === 'CiliumClusterwideNetworkPolicy';
        if (!wide && p.namespace !== t.namespace) continue;
        const specs = Array.isArray(p.body.specs) ? p.body.specs : [p.body.spec];
        for (const spec of specs) {
          if (!isRecord(spec)) continue;
          const sel = ciliumSelects(spec.endpointSelector, t, wide);
          if (sel === undefined) {
            if (spec.endpointSelector !== undefined) unsure = true;
            continue;
          }
          if (sel) selecting.push({ ...p, body: { ...p.body, spec } });
        }
      }
      if (unsure || selecting.length === 0) continue;
      const isolating = selecting.filter((p) => (Array.isArray(getIn(p.body, ['spec', 'egress'])) || Array.isArray(getIn(p.body, ['spec', 'egressDeny']))) && getIn(p.body, ['spec', 'enableDefaultDeny', 'egress']) !== false);
      if (isolating.length === 0) continue;
      if (selecting.some((p) => (getIn(p.body, ['spec', 'egress']) as unknown[] | undefined ?? []).some(mayAllowDns))) continue;
      const first = isolating[0]!;
      ctx.report({
        object: t.owner,
        path: t.labelsPath,
        messageId: 'ciliumBlocked',
        severity: 'warning',
        data: { client: `${t.owner.kind} ${t.namespace}/${t.owner.name}`, ref: code(edge.text), policy: code(`${first.kind === 'CiliumClusterwideNetworkPolicy' ? '' : `${first.namespace}/`}${first.name}`) },
        related: isolating.slice(0, 3).map((p) => ({ object: ctx.graph.objects.find((o) => o.id === p.id) ?? p, path: ['spec'], message: `${p.kind} ${p.name} selects these pods and has an egress section` })),
        remediation: 'Add an egress rule to kube-dns on port 53 (UDP and TCP), for example toEndpoints `k8s:io.kubernetes.pod.namespace: kube-system` and `k8s:k8s-app: kube-dns` with toPorts 53/ANY.',
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'network-policy-blocks-dns',
    description: 'Pods that dial Services by name but whose NetworkPolicies do not admit their DNS queries to cluster DNS (53/UDP and 53/TCP).',
    category: 'dns',
    severity: 'error',
    messages: {
      blocked: 'pods of {{client}} dial {{ref}} by name, but no NetworkPolicy admits their DNS queries to {{dns}} on {{ports}}, so no name resolves: {{why}} {{isolate}} them',
      tcpMissing: 'pods of {{client}} may send DNS queries to {{dns}} on UDP only: {{why}} {{doesNot}} admit {{ports}}, so answers too large for UDP (truncated, retried over TCP) fail',
      ciliumBlocked: 'pods of {{client}} dial {{ref}} by name, but Cilium policy {{policy}} selects them with an egress section, which puts them in egress default-deny, and no egress rule of the policies that select them lets DNS out (port 53, or cluster DNS on any port): no name resolves',
      cannotTell: 'cannot tell whether NetworkPolicy admits the DNS queries of {{client}} (it dials {{ref}}) to {{dns}}: {{why}}',
    },
    remediation: 'Add an egress rule to cluster DNS on 53/UDP and 53/TCP to the isolating NetworkPolicy.',
  },
  check(ctx) {
    checkCilium(ctx);
    // Without a NetworkPolicy in the run every connection is admitted: nothing to judge.
    if (policyIndex(ctx.graph).policies.length === 0) return;
    // With NodeLocal DNSCache, queries go to a host-network pod on the client's node, at addresses of its own: what
    // admits them is an ipBlock of those addresses, which this rule does not model. Not judged.
    if (nodeLocalDnsIPs(ctx.graph).length > 0) return;
    for (const d of dnsFlows(ctx.graph)) check(ctx, d);
  },
};

export default rule;
