import type { Rule } from '../../src/types/rule.js';
import type { ServiceGraph, ServiceNode } from '../../src/types/graph.js';
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

const rule: Rule = {
  meta: {
    id: 'internal-traffic-local-partial',
    description: 'internalTrafficPolicy: Local on a Service whose backends are not on every node: clients on other nodes get no endpoint. Live, judged against the nodes: only Ready nodes that run pods or accept new ones and have no ready local backend count; a warning when a known client runs on such a node, else information.',
    category: 'endpoints',
    severity: 'warning',
    messages: {
      partial: 'internalTrafficPolicy: Local sends each client only to endpoints on its own node, but {{workloads}} {{verb}} not run on every node (not a DaemonSet): clients on the other nodes get connection failures',
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
      if (spec.internalTrafficPolicy !== 'Local' || svc.mode !== 'selector' || svc.backends.length === 0) continue;
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
      if (partial.length === 0) continue;
      report({ object: svc.object, path, messageId: 'partial', data: { workloads: list(partial.map(where), 3), verb: partial.length === 1 ? 'does' : 'do' } });
    }
  },
};

export default rule;
