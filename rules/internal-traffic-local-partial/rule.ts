import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { PodTemplate, ServiceGraph, ServiceNode } from '../../src/types/graph.js';
import { getIn } from '../../src/graph/pods.js';
import { where } from '../../src/engine/rule-kit.js';
import { isRecord } from '../../src/load/objects.js';
import { liveNodes, podState, workloadOf } from '../../src/graph/live.js';
import { code, list } from '../../src/text.js';
import { references } from '../../src/graph/references.js';

const nodeOf = (body: Record<string, unknown>) => (isRecord(body.spec) && typeof body.spec.nodeName === 'string' ? body.spec.nodeName : undefined);

/**
 * Live: the Ready nodes that run clients (any running pod) or may get new ones (not
 * cordoned), less the nodes with a ready backend of this Service.
 */
function nodesWithoutBackend(graph: ServiceGraph, svc: ServiceNode): string[] {
  const nodes = liveNodes(graph);
  // A node that takes new pods: Ready, not cordoned, no NoSchedule taint (a lagging one included).
  const wanted = new Set(nodes.filter((n) => n.ready && !n.cordoned && !n.taints.some((t) => t.effects.includes('NoSchedule'))).map((n) => n.name));
  const ready = new Set(nodes.filter((n) => n.ready).map((n) => n.name));
  for (const o of graph.objects) {
    if (o.kind !== 'Pod') continue;
    const node = nodeOf(o.body);
    const phase = podState(o.body).phase;
    if (node && ready.has(node) && phase !== 'Succeeded' && phase !== 'Failed') wanted.add(node);
  }
  for (const t of svc.backends) {
    const node = nodeOf(t.owner.body);
    if (node && podState(t.owner.body).ready) wanted.delete(node);
  }
  return [...wanted].sort();
}

/** Live: the nodes where a pod that dials this Service (env, args, config) runs. */
function clientNodes(graph: ServiceGraph, svc: ServiceNode): Set<string> {
  const out = new Set<string>();
  for (const e of references(graph)) {
    const r = e.resolution;
    if ((r.kind !== 'service' && r.kind !== 'pod') || r.service !== svc) continue;
    for (const t of e.site.clients) {
      const node = t.owner.kind === 'Pod' ? nodeOf(t.owner.body) : undefined;
      if (node) out.add(node);
    }
  }
  return out;
}

/** A template's `nodeSelector`, as strings. */
function nodeSelectorOf(t: PodTemplate): Record<string, string> {
  const sel = getIn(t.owner.body, [...t.path, 'spec', 'nodeSelector']);
  return isRecord(sel) ? Object.fromEntries(Object.entries(sel).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
}

/**
 * Backends that are DaemonSets run on the nodes their `nodeSelector` picks. A client of the
 * Service (a workload that dials it) whose own `nodeSelector` does not require those labels
 * may run on other nodes, where it has no local endpoint.
 */
function placement(graph: ServiceGraph, svc: ServiceNode, report: RuleContext['report']): void {
  const selectors = svc.backends.map(nodeSelectorOf);
  // Every backend must leave some node out by a label, the same one for all of them.
  const first = selectors[0]!;
  // The operating system and architecture labels pick the nodes a client's image can run on anyway.
  const needed = Object.entries(first).filter(([k, v]) => !/^(beta\.)?kubernetes\.io\/(os|arch)$/.test(k) && selectors.every((sel) => sel[k] === v));
  if (needed.length === 0) return;
  const seen = new Set<PodTemplate>();
  for (const e of references(graph)) {
    const r = e.resolution;
    if ((r.kind !== 'service' && r.kind !== 'pod') || r.service !== svc) continue;
    for (const t of e.site.clients) {
      if (seen.has(t) || svc.backends.includes(t) || t.owner.kind === 'Pod') continue;
      seen.add(t);
      const own = nodeSelectorOf(t);
      const lacking = needed.filter(([k, v]) => own[k] !== v);
      if (lacking.length === 0) continue;
      const b = svc.backends[0]!;
      report({
        object: svc.object,
        path: ['spec', 'internalTrafficPolicy'],
        messageId: 'placement',
        data: { workloads: list(svc.backends.map(where), 3), labels: list(lacking.map(([k, v]) => code(`${k}=${v}`)), 3), client: where(t), ref: code(e.text) },
        related: [
          { object: b.owner, path: [...b.path, 'spec', 'nodeSelector'], message: `nodeSelector of ${where(b)}` },
          { object: e.site.object, path: e.site.path, message: `where ${where(t)} dials the Service` },
        ],
      });
      return;
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'internal-traffic-local-partial',
    description: 'internalTrafficPolicy: Local on a Service whose backends are not on every node: clients on other nodes get no endpoint. Live, judged against the nodes: only Ready nodes that run pods or accept new ones and have no ready local backend count; a warning when a known client runs on such a node, else information.',
    category: 'endpoints',
    severity: 'warning',
    messages: {
      partial: 'internalTrafficPolicy: Local sends each client only to endpoints on its own node, but {{workloads}} {{verb}} not run on every node (not a DaemonSet): clients on the other nodes get connection failures',
      placement: 'internalTrafficPolicy: Local sends each client only to endpoints on its own node, but the backends ({{workloads}}) run only on nodes labelled {{labels}} (their nodeSelector), while {{client}}, which dials this Service ({{ref}}), does not require those labels: its pods on other nodes get connection failures',
      liveNodes: 'internalTrafficPolicy: Local sends each client only to endpoints on its own node, but {{nodes}} {{verb}} no ready backend of this Service ({{workloads}}): a client scheduled there would get connection failures (no known client runs there now)',
      liveClients: 'internalTrafficPolicy: Local sends each client only to endpoints on its own node, but {{nodes}} {{verb}} no ready backend of this Service ({{workloads}}) and a client of it runs there: its connections fail',
    },
    remediation: 'Use internalTrafficPolicy: Local only for node-local backends such as DaemonSets; otherwise remove it.',
  },
  check({ graph, report }) {
    const live = graph.settings.live;
    // Live without the nodes (not readable), there is nothing to judge against.
    if (live && liveNodes(graph).length === 0) return;
    for (const svc of graph.services) {
      const spec = isRecord(svc.object.body.spec) ? svc.object.body.spec : {};
      // A headless Service has no cluster IP for kube-proxy to program (ShouldSkipService): clients reach the pods' own addresses.
      if (spec.internalTrafficPolicy !== 'Local' || svc.mode !== 'selector' || svc.backends.length === 0 || svc.headless) continue;
      const path = ['spec', 'internalTrafficPolicy'];
      if (live) {
        const missing = nodesWithoutBackend(graph, svc);
        if (missing.length === 0) continue;
        const workloads = [...new Set(svc.backends.map((t) => workloadOf(graph, t.owner) ?? where(t)))];
        // A node without a local backend breaks only the clients on it: a warning when a known
        // client runs there, else information (no client the run knows is affected).
        const clients = clientNodes(graph, svc);
        const hit = missing.filter((n) => clients.has(n));
        const shown = hit.length ? hit : missing;
        report({
          object: svc.object,
          path,
          messageId: hit.length ? 'liveClients' : 'liveNodes',
          severity: hit.length ? undefined : 'info',
          data: { nodes: `node${shown.length > 1 ? 's' : ''} ${list(shown.map((n) => code(n)), 5)}`, verb: shown.length > 1 ? 'have' : 'has', workloads: list(workloads, 3) },
        });
        continue;
      }
      const partial = svc.backends.filter((t) => t.replicas.mode !== 'per-node');
      if (partial.length === 0) {
        placement(graph, svc, report);
        continue;
      }
      report({ object: svc.object, path, messageId: 'partial', data: { workloads: list(partial.map(where), 3), verb: partial.length === 1 ? 'does' : 'do' } });
    }
  },
};

export default rule;
