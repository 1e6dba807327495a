import { frontedTemplates, selectorOf, where } from '../../src/engine/rule-kit.js';
import type { Rule } from '../../src/types/rule.js';
import type { K8sObject } from '../../src/types/object.js';
import { pathTo } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn, templateSpec } from '../../src/graph/pods.js';
import { enforcedLevel, podSecurityViolations } from '../../src/graph/pod-security.js';
import { code } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'pod-security-rejected',
    description: 'The pods behind a Service break the Pod Security level their namespace enforces (the `pod-security.kubernetes.io/enforce` label of a Namespace in the input): the API server\'s PodSecurity admission refuses to create them, and the Service gets no endpoints.',
    category: 'endpoints',
    severity: 'error',
    messages: {
      violates: '{{workload}} breaks the Pod Security level {{level}} that namespace {{namespace}} enforces: {{violations}}; the API server refuses to create its pods (FailedCreate: violates PodSecurity "{{level}}:{{version}}"), so {{service}} gets no endpoints from them',
    },
    remediation: 'Set what the level requires on every container and init container (restricted: securityContext.allowPrivilegeEscalation: false, capabilities.drop: ["ALL"], runAsNonRoot: true, seccompProfile.type: RuntimeDefault), remove what it forbids (host namespaces, hostPath volumes, hostPorts, privileged), or run the workload in a namespace whose level allows it.',
  },
  check({ graph, report }) {
    // Live, the workload's events say this (FailedCreate, with the API server's message).
    if (graph.settings.live) return;
    const namespaces = new Map<string, K8sObject>();
    for (const o of graph.objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1' && !namespaces.has(o.name)) namespaces.set(o.name, o);
    if (namespaces.size === 0) return;
    for (const [t, svc] of frontedTemplates(graph)) {
      const ns = namespaces.get(t.namespace);
      if (!ns) continue;
      const enforced = enforcedLevel(getIn(ns.body, ['metadata', 'labels']));
      if (!enforced || enforced.level === 'privileged') continue;
      const spec = templateSpec(t);
      if (!isRecord(spec)) continue;
      const found = podSecurityViolations(spec, enforced.level, enforced.version);
      if (found.length === 0) continue;
      report({
        object: t.owner,
        path: pathTo(t.path, ...found[0]!.path),
        messageId: 'violates',
        data: {
          workload: where(t),
          level: enforced.level,
          version: enforced.version,
          namespace: code(t.namespace),
          violations: found.map((v) => `${v.reason} (${v.detail})`).join('; '),
          service: `Service ${svc.object.namespace}/${svc.object.name}`,
        },
        related: [{ object: ns, path: ['metadata', 'labels', enforced.label], message: `namespace ${ns.name} enforces ${enforced.level}` }, selectorOf(svc)],
      });
    }
  },
};

export default rule;
