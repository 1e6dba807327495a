import type { Rule } from '../../src/types/rule.js';
import { where } from '../../src/engine/rule-kit.js';
import { isRecord } from '../../src/load/objects.js';
import { list } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'internal-traffic-local-partial',
    description: 'internalTrafficPolicy: Local on a Service whose backends are not on every node: clients on other nodes get no endpoint.',
    category: 'endpoints',
    severity: 'warning',
    messages: {
      partial: 'internalTrafficPolicy: Local sends each client only to endpoints on its own node, but {{workloads}} {{verb}} not run on every node (not a DaemonSet): clients on the other nodes get connection failures',
    },
    remediation: 'Use internalTrafficPolicy: Local only for node-local backends such as DaemonSets; otherwise remove it.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      const spec = isRecord(svc.object.body.spec) ? svc.object.body.spec : {};
      if (spec.internalTrafficPolicy !== 'Local' || svc.mode !== 'selector' || svc.backends.length === 0) continue;
      const partial = svc.backends.filter((t) => t.replicas.mode !== 'per-node');
      if (partial.length === 0) continue;
      report({
        object: svc.object,
        path: ['spec', 'internalTrafficPolicy'],
        messageId: 'partial',
        data: { workloads: list(partial.map(where), 3), verb: partial.length === 1 ? 'does' : 'do' },
      });
    }
  },
};

export default rule;
