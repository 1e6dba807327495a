import { stringify } from 'yaml';
import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { PodTemplate, ServiceGraph } from '../../src/types/graph.js';
import { helmHookRun } from '../../src/graph/index.js';
import { CONTROLLER_LABELS } from '../../src/graph/controller-labels.js';
import { createdPods } from '../../src/graph/creators.js';
import { rbacGrant } from '../../src/graph/rbac.js';
import { workloadTemplates } from '../../src/engine/rule-kit.js';
import { nodeLocalDnsIPs, policyIndex, podView } from '../../src/graph/netpol.js';
import { ipInBlock, isEmptySelector, matchSelector, NAME_LABEL, type Policy, type PolicyPeer, type Selector } from '../../src/graph/netpol-model.js';
import { code } from '../../src/text.js';

const keysOf = (s: Selector): string[] => [...Object.keys(s.labels), ...s.exprs.map((e) => e.key)];

const hooks = new WeakMap<ServiceGraph, Map<string, PodTemplate[]>>();

/**
 * The pod templates of Helm hook Jobs and Pods in a namespace: never a Service's backend (the
 * graph leaves them out of its index), but Helm creates them (`pkg/action/hooks.go`) and a
 * policy that selects their pods is in force while they run.
 */
function hookTemplates(graph: ServiceGraph, ns: string): PodTemplate[] {
  let byNs = hooks.get(graph);
  if (!byNs) {
    byNs = new Map();
    for (const t of graph.templates) if (helmHookRun(t.owner)) byNs.set(t.namespace, [...(byNs.get(t.namespace) ?? []), t]);
    hooks.set(graph, byNs);
  }
  return byNs.get(ns) ?? [];
}

/** Pod templates of a namespace a selector picks, or undefined when the run cannot tell. */
function selected(ctx: RuleContext, ns: string, s: Selector): PodTemplate[] | undefined {
  // Live, a workload scaled to zero has no pods but its template still counts.
  const all = ctx.graph.settings.live ? [...ctx.graph.templatesIn(ns), ...workloadTemplates(ctx.graph).filter((t) => t.namespace === ns)] : [...ctx.graph.templatesIn(ns), ...hookTemplates(ctx.graph, ns)];
  // Pods the run does not see: none in the namespace, operator-made pods, controller-added labels.
  if (all.length === 0 || ctx.graph.customPodSources(ns).length > 0 || keysOf(s).some((k) => CONTROLLER_LABELS.has(k))) return undefined;
  // Pods an operator or controller of the run makes there (cert-manager's HTTP-01 solvers for an Ingress).
  if (s.exprs.length === 0 && Object.keys(s.labels).length > 0 && createdPods(ctx.graph.objects, ns, s.labels)) return undefined;
  // A workload of the namespace that RBAC of the run lets create pods there (an operator: Longhorn's manager makes its instance managers).
  if (rbacGrant(ctx.graph, 'pods', ['create'], ns, undefined, (g) => g.t.namespace === ns)) return undefined;
  return all.filter((t) => matchSelector(s, t.labels) === true);
}

const declares = (t: PodTemplate, name: string, protocol: string) => t.containers.some((c) => c.ports.some((p) => p.name === name && p.protocol === protocol));

function namedPorts(ctx: RuleContext, p: Policy): void {
  for (const dir of ['ingress', 'egress'] as const) {
    if (!p.isolates[dir]) continue;
    for (const rule of p.rules[dir]) {
      const named = (rule.ports ?? []).filter((x) => typeof x.port === 'string');
      if (named.length === 0) continue;
      // The destination: the policy's own pods for ingress; for egress, pod-only peers in this namespace.
      let dest: PodTemplate[] | undefined;
      if (dir === 'ingress') dest = selected(ctx, p.namespace, p.podSelector);
      else if (rule.peers && rule.peers.every((x) => x.pod && !x.ns && !x.ipBlock)) {
        const lists = rule.peers.map((x) => selected(ctx, p.namespace, x.pod!));
        dest = lists.some((l) => l === undefined) ? undefined : lists.flat() as PodTemplate[];
      }
      if (!dest || dest.length === 0) continue;
      for (const port of named) {
        if (dest.some((t) => declares(t, port.port as string, port.protocol))) continue;
        ctx.report({ object: p.object, path: [...port.path, 'port'], messageId: 'namedPort', data: { name: code(port.port as string), protocol: port.protocol, dir, pods: dest.map((t) => podView(t).name).slice(0, 3).join(', ') } });
      }
    }
  }
}

function peers(p: Policy): PolicyPeer[] {
  return [...p.rules.ingress, ...p.rules.egress].flatMap((r) => r.peers ?? []);
}

function namespaceSelectors(ctx: RuleContext, p: Policy): void {
  const { defined, labels } = policyIndex(ctx.graph).namespaces;
  // Only when every namespace of the run has its Namespace object can "none" be known.
  if (defined.size === 0 || [...ctx.graph.namespaces].some((ns) => !defined.has(ns))) return;
  for (const peer of peers(p)) {
    // A selector by name may mean a namespace installed elsewhere (kube-system, monitoring).
    if (!peer.ns || isEmptySelector(peer.ns) || keysOf(peer.ns).includes(NAME_LABEL)) continue;
    if ([...defined.keys()].some((ns) => matchSelector(peer.ns!, labels(ns).labels) === true)) continue;
    ctx.report({ object: p.object, path: [...peer.path, 'namespaceSelector'], messageId: 'namespaceNoMatch', data: { count: defined.size } });
  }
}

function clusterIpBlocks(ctx: RuleContext, p: Policy): void {
  for (const peer of peers(p)) {
    const block = peer.ipBlock;
    const prefix = Number(block?.cidr.split('/')[1]);
    // A narrow block meant for one address; wide blocks (10.0.0.0/8) admit much else.
    if (!block || !(block.cidr.includes(':') ? prefix >= 120 : prefix >= 24)) continue;
    for (const svc of ctx.graph.services) {
      if (!svc.clusterIP || svc.headless || !ipInBlock(svc.clusterIP, block) || svc.mode !== 'selector') continue;
      // NodeLocal DNSCache binds the kube-dns ClusterIP on every node: queries to it are not translated, and this is the peer that admits them.
      if (nodeLocalDnsIPs(ctx.graph).includes(svc.clusterIP)) continue;
      const write: Record<string, unknown> = {};
      if (svc.object.namespace !== p.namespace) write.namespaceSelector = { matchLabels: { [NAME_LABEL]: svc.object.namespace } };
      write.podSelector = { matchLabels: svc.selector };
      ctx.report({
        object: p.object,
        path: [...peer.path, 'ipBlock'],
        messageId: 'clusterIp',
        data: { cidr: code(block.cidr), ip: code(svc.clusterIP), service: code(`${svc.object.namespace}/${svc.object.name}`) },
        remediation: `Select the Service's pods instead of its ClusterIP:\n${stringify([write]).trimEnd()}`,
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'network-policy-ineffective',
    description: 'A NetworkPolicy, or a rule in one, that can never take effect: it selects no pod, names a port no destination declares, selects no namespace, or admits a Service by its ClusterIP.',
    category: 'selector',
    severity: 'warning',
    messages: {
      selectsNothing: 'podSelector matches no pod template in namespace {{namespace}}: this NetworkPolicy isolates nothing',
      namedPort: 'named port {{name}}/{{protocol}} in this {{dir}} rule is declared by no destination pod ({{pods}}): the port entry never matches',
      namespaceNoMatch: 'namespaceSelector matches none of the {{count}} namespaces the input defines: this peer admits nothing',
      clusterIp: 'ipBlock {{cidr}} holds the ClusterIP {{ip}} of Service {{service}}, but policy applies after the Service is translated to pod IPs on common network plugins: this peer does not admit that Service',
    },
    remediation: 'Fix the selector or port so that it names pods, ports and namespaces that exist.',
  },
  check(ctx) {
    for (const p of policyIndex(ctx.graph).policies) {
      if (!isEmptySelector(p.podSelector)) {
        const sel = selected(ctx, p.namespace, p.podSelector);
        if (sel && sel.length === 0) ctx.report({ object: p.object, path: ['spec', 'podSelector'], messageId: 'selectsNothing', data: { namespace: code(p.namespace) } });
      }
      namedPorts(ctx, p);
      namespaceSelectors(ctx, p);
      clusterIpBlocks(ctx, p);
    }
  },
};

export default rule;
