import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { K8sObject } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { exposes, nearestService, sameNameElsewhere, servicePortsText } from '../../src/engine/rule-kit.js';
import { code } from '../../src/text.js';

const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Whether a ReferenceGrant in `to` lets routes of `kind` in `from` reach Service `name`. */
function granted(ctx: RuleContext, kind: string, from: string, to: string, name: string): boolean {
  return ctx.graph.objects.some((g) => {
    if (g.kind !== 'ReferenceGrant' || g.namespace !== to || !g.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) return false;
    const spec = isRecord(g.body.spec) ? g.body.spec : {};
    const froms = Array.isArray(spec.from) ? spec.from.filter(isRecord) : [];
    const tos = Array.isArray(spec.to) ? spec.to.filter(isRecord) : [];
    return froms.some((f) => f.group === GATEWAY_GROUP && f.kind === kind && f.namespace === from)
      && tos.some((t) => (t.group ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === name));
  });
}

function check(ctx: RuleContext, o: K8sObject): void {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
    const refs = isRecord(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
    refs.forEach((ref, j) => {
      if (!isRecord(ref) || typeof ref.name !== 'string') return;
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return; // another kind of backend
      const at = ['spec', 'rules', i, 'backendRefs', j];
      const ns = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : o.namespace;
      const name = ref.name;
      if (typeof ref.port !== 'number') {
        ctx.report({ object: o, path: at, messageId: 'noPortField', data: { service: code(name) } });
      }
      if (ns !== o.namespace && !granted(ctx, o.kind, o.namespace, ns, name)) {
        // A ReferenceGrant belongs to the target namespace, often installed with it: its absence is evidence only in a complete input.
        ctx.report({ object: o, path: [...at, 'namespace'], messageId: 'noGrant', absent: { what: `a ReferenceGrant in namespace ${code(ns)}`, namespace: ns }, data: { kind: o.kind, service: code(`${ns}/${name}`), from: code(o.namespace), to: code(ns) } });
      }
      const svc = ctx.graph.service(ns, name);
      if (!svc) {
        const near = nearestService(ctx.graph, ns, name, o);
        ctx.report({
          object: o,
          path: [...at, 'name'],
          messageId: 'noService',
          absent: { what: `Service ${code(name)} in namespace ${code(ns)}`, namespace: ns, service: name, nearMiss: near !== undefined || sameNameElsewhere(ctx.graph, name, ns, o).length > 0 },
          data: { service: code(name), namespace: code(ns), hint: near ? `; did you mean ${code(near)}?` : '' },
        });
        return;
      }
      if (typeof ref.port === 'number' && svc.ports.length > 0 && !exposes(svc, { number: ref.port })) {
        ctx.report({
          object: o,
          path: [...at, 'port'],
          messageId: 'noPort',
          data: { service: code(name), port: ref.port, ports: servicePortsText(svc) },
          related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ns}/${name}` }],
        });
      }
    });
  });
}

const rule: Rule = {
  meta: {
    id: 'route-backend-unknown',
    description: 'A Gateway API route backendRef that names a missing Service or port, leaves out the port, or crosses namespaces without a ReferenceGrant.',
    category: 'reference',
    severity: 'error',
    messages: {
      noService: 'this route sends traffic to Service {{service}}, but there is no such Service in namespace {{namespace}}{{hint}}',
      noPort: 'this route sends traffic to port {{port}} of Service {{service}}, which exposes {{ports}}',
      noPortField: 'the backendRef to Service {{service}} has no port; a Service backend needs the Service port',
      noGrant: 'this {{kind}} in namespace {{from}} refers to Service {{service}} in namespace {{to}}, but no ReferenceGrant in {{to}} allows it; the gateway rejects the reference (ResolvedRefs=False)',
    },
    remediation: 'Name an existing Service and one of its ports; for another namespace, add a ReferenceGrant there that allows this route kind from this namespace.',
  },
  check(ctx) {
    for (const o of ctx.graph.objects) {
      if (ROUTES.has(o.kind) && o.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) check(ctx, o);
    }
  },
};

export default rule;
