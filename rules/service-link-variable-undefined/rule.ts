import type { Rule } from '../../src/types/rule.js';
import { references } from '../../src/graph/references.js';
import { code } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'service-link-variable-undefined',
    description: 'A $(FOO_SERVICE_HOST)-style Service-link variable in container env, args or command that the kubelet does not set for the pod, so the literal text is used.',
    category: 'reference',
    severity: 'error',
    messages: {
      missing: '{{ref}} in {{where}} expects Service {{name}} in namespace {{namespace}}, but there is none there{{hint}}; the kubelet sets no {{variable}} and the container gets the literal text',
      disabled: '{{ref}} in {{where}} reads a Service-link variable of Service {{name}}, but the pod sets enableServiceLinks: false, so the kubelet sets no {{variable}} and the container gets the literal text',
      headless: '{{ref}} in {{where}} reads a Service-link variable of Service {{name}}, which has no cluster IP (headless or ExternalName), so the kubelet sets no {{variable}}; use the DNS name {{dns}}',
      port: '{{ref}} in {{where}} names a port Service {{name}} does not have, so the kubelet sets no {{variable}}; it exposes {{ports}}',
    },
    remediation: 'Use the Service\'s DNS name (<service>.<namespace>) instead of Service-link variables, or point the variable at a Service with a cluster IP in the pod\'s namespace.',
  },
  check({ graph, report }) {
    const seen = new Set<string>();
    for (const edge of references(graph)) {
      const r = edge.resolution;
      if (r.kind !== 'link-missing') continue;
      // One finding per place, Service and cause (`$(A_SERVICE_HOST):$(A_SERVICE_PORT)` is one mistake).
      const key = `${edge.site.object.id}|${edge.site.path.join('.')}|${r.name}|${r.reason}${r.reason === 'port' ? r.variable : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const data = { ref: code(edge.text), where: edge.site.where, name: code(r.name), namespace: code(r.namespace), variable: code(r.variable) };
      const elsewhere = graph.servicesNamed(r.name).map((s) => s.object.namespace);
      const related = r.service ? [{ object: r.service.object, path: ['metadata', 'name'], message: `Service ${r.service.object.namespace}/${r.service.object.name}` }] : [];
      report({
        object: edge.site.object,
        path: edge.site.path,
        text: edge.text,
        messageId: r.reason,
        related,
        data: {
          ...data,
          hint: elsewhere.length ? ` (it is in ${elsewhere.map((n) => code(n)).join(', ')}; variables exist only for Services of the pod's own namespace: use the DNS name ${code(`${r.name}.${elsewhere[0]}`)})` : '',
          dns: code(`${r.name}.${r.namespace}`),
          ports: r.service ? r.service.ports.map((p) => (p.name ? `${code(p.name)} (${p.port}/${p.protocol})` : `${p.port}/${p.protocol}`)).join(', ') || 'no ports' : '',
        },
      });
    }
  },
};

export default rule;
