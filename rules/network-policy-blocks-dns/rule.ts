import type { Rule } from '../../src/types/rule.js';
import { admitRule, clusterDns, dnsFlows, nodeLocalDnsIPs, otherPolicies, verdictText, type DnsFlow, type Policy, policyIndex } from '../../src/graph/netpol.js';
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
    const related = pols.map((p) => ({ object: p.object, path: ['spec', 'podSelector'], message: `NetworkPolicy ${p.namespace}/${p.object.name} isolates these pods and admits no DNS query` }));
    const others = otherPolicies(ctx.graph, [t.namespace, dns.namespace], t.owner);
    ctx.report({
      ...base,
      messageId: blockedUdp.length ? 'blocked' : 'tcpMissing',
      severity: others.length ? 'info' : blockedUdp.length ? undefined : 'warning',
      data: { ...data, ports: list(ports.map((p) => `${p.port}/${p.protocol}`)), why: why + (others.length ? ` (the files also hold ${list(others.map((o) => code(o)), 2)}, policies of another API that svclint does not read, which may admit them)` : '') },
      related,
      remediation: `Admit DNS queries to cluster DNS on 53/UDP and 53/TCP; ${snippet}`,
    });
    return;
  }
  const unsure = d.protocols.find((p) => p.verdict.kind === 'cannot-tell');
  if (unsure) ctx.report({ ...base, messageId: 'cannotTell', severity: 'info', data: { ...data, why: verdictText(unsure.verdict).replace(/^cannot tell: /, '') } });
}

const rule: Rule = {
  meta: {
    id: 'network-policy-blocks-dns',
    description: 'Pods that dial Services by name but whose NetworkPolicies do not admit their DNS queries to cluster DNS (53/UDP and 53/TCP).',
    category: 'dns',
    severity: 'error',
    messages: {
      blocked: 'pods of {{client}} dial {{ref}} by name, but no NetworkPolicy admits their DNS queries to {{dns}} on {{ports}}, so no name resolves: {{why}} isolates them',
      tcpMissing: 'pods of {{client}} may send DNS queries to {{dns}} on UDP only: {{why}} does not admit {{ports}}, so answers too large for UDP (truncated, retried over TCP) fail',
      cannotTell: 'cannot tell whether NetworkPolicy admits the DNS queries of {{client}} (it dials {{ref}}) to {{dns}}: {{why}}',
    },
    remediation: 'Add an egress rule to cluster DNS on 53/UDP and 53/TCP to the isolating NetworkPolicy.',
  },
  check(ctx) {
    // Without a NetworkPolicy in the run every connection is admitted: nothing to judge.
    if (policyIndex(ctx.graph).policies.length === 0) return;
    // With NodeLocal DNSCache, queries go to a host-network pod on the client's node, at addresses of its own: what
    // admits them is an ipBlock of those addresses, which this rule does not model. Not judged.
    if (nodeLocalDnsIPs(ctx.graph).length > 0) return;
    for (const d of dnsFlows(ctx.graph)) check(ctx, d);
  },
};

export default rule;
