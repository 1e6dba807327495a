import type { Rule } from '../../src/types/rule.js';
import { selectsTemplate, where, workloadTemplates } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { code } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'headless-peer-readiness',
    description: 'A headless Service used for peer discovery by a StatefulSet whose pods gate readiness, without publishNotReadyAddresses: peers cannot find each other before they are ready.',
    category: 'endpoints',
    severity: 'info',
    messages: {
      gated: 'headless Service {{service}} is the serviceName of {{workload}}, whose pods have a readiness probe; DNS lists only ready pods, so while the cluster forms (or after a full restart) peers that wait to see each other before turning ready never resolve each other',
    },
    remediation: 'If the pods discover peers through this Service, set publishNotReadyAddresses: true on it (and keep a separate Service for client traffic).',
  },
  check({ graph, report }) {
    for (const t of workloadTemplates(graph)) {
      if (t.owner.kind !== 'StatefulSet') continue;
      const name = getIn(t.owner.body, ['spec', 'serviceName']);
      if (typeof name !== 'string' || name === '') continue;
      const svc = graph.service(t.namespace, name);
      if (!svc || !svc.headless || svc.publishNotReadyAddresses || svc.mode !== 'selector' || !selectsTemplate(svc, t)) continue;
      if (!t.containers.some((c) => !c.sidecar && c.readinessPort !== undefined) && !hasProbe(t.owner.body, t.path)) continue;
      report({ object: svc.object, path: ['spec'], messageId: 'gated', data: { service: code(name), workload: where(t) } });
    }
  },
};

function hasProbe(body: unknown, templatePath: readonly (string | number)[]): boolean {
  const containers = getIn(body, [...templatePath, 'spec', 'containers']);
  return Array.isArray(containers) && containers.some((c) => typeof c === 'object' && c !== null && 'readinessProbe' in c);
}

export default rule;
