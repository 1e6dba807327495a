import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { dns1123LabelProblems } from '../../src/names.js';
import { exposes, nearestService, sameNameElsewhere, servicePortsText } from '../../src/engine/rule-kit.js';
import { code, isStrongTypo } from '../../src/text.js';

interface Backend {
  service: string;
  port: { number?: number; name?: string };
  path: Path;
  portPath: Path;
}

/** Backends of an Ingress, in networking.k8s.io/v1 and the older v1beta1 shape. */
function backends(o: K8sObject): Backend[] {
  const out: Backend[] = [];
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const add = (b: unknown, path: Path) => {
    if (!isRecord(b)) return;
    // A Service name the API server refuses in an Ingress (not a DNS label) is schema-invalid's finding: the Ingress never exists.
    if (isRecord(b.service) && typeof b.service.name === 'string' && o.apiVersion === 'networking.k8s.io/v1' && dns1123LabelProblems(b.service.name).length) return;
    if (isRecord(b.service) && typeof b.service.name === 'string') {
      const p = isRecord(b.service.port) ? b.service.port : {};
      out.push({
        service: b.service.name,
        port: typeof p.number === 'number' ? { number: p.number } : typeof p.name === 'string' ? { name: p.name } : {},
        path: [...path, 'service', 'name'],
        portPath: [...path, 'service', 'port', typeof p.number === 'number' ? 'number' : 'name'],
      });
    } else if (typeof b.serviceName === 'string') {
      const sp = b.servicePort;
      out.push({
        service: b.serviceName,
        port: typeof sp === 'number' ? { number: sp } : typeof sp === 'string' ? (/^\d+$/.test(sp) ? { number: Number(sp) } : { name: sp }) : {},
        path: [...path, 'serviceName'],
        portPath: [...path, 'servicePort'],
      });
    }
  };
  add(spec.defaultBackend, ['spec', 'defaultBackend']);
  add(spec.backend, ['spec', 'backend']);
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r, i) => {
    const paths = isRecord(r) && isRecord(r.http) && Array.isArray(r.http.paths) ? r.http.paths : [];
    paths.forEach((p, j) => add(isRecord(p) ? p.backend : undefined, ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
  });
  return out;
}

function check(ctx: RuleContext, o: K8sObject): void {
  for (const b of backends(o)) {
    const svc = ctx.graph.service(o.namespace, b.service);
    if (!svc) {
      const near = nearestService(ctx.graph, o.namespace, b.service, o);
      ctx.report({
        object: o,
        path: b.path,
        messageId: 'noService',
        absent: { what: `Service ${code(b.service)} in namespace ${code(o.namespace)}`, namespace: o.namespace, service: b.service, nearMiss: (near !== undefined && isStrongTypo(b.service, near)) || sameNameElsewhere(ctx.graph, b.service, o.namespace, o).length > 0 },
        data: { service: code(b.service), namespace: code(o.namespace), hint: near ? `; did you mean ${code(near)}?` : '' },
      });
      continue;
    }
    if (svc.ports.length === 0 || exposes(svc, b.port)) continue;
    ctx.report({
      object: o,
      path: b.portPath,
      messageId: 'noPort',
      data: { service: code(b.service), port: code(b.port.number ?? b.port.name ?? ''), kind: b.port.number !== undefined ? 'number' : 'name', ports: servicePortsText(svc) },
      related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${o.namespace}/${b.service}` }],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'ingress-backend-unknown',
    description: 'An Ingress backend that names a Service missing from the Ingress\'s namespace, or a port the Service does not expose.',
    category: 'reference',
    severity: 'error',
    messages: {
      noService: 'this Ingress sends traffic to Service {{service}}, but there is no such Service in namespace {{namespace}} (an Ingress can only reach Services in its own namespace){{hint}}',
      noPort: 'this Ingress sends traffic to port {{kind}} {{port}} of Service {{service}}, which exposes {{ports}}',
    },
    remediation: 'Name a Service in the Ingress\'s namespace and one of its ports (the Service port, not the container port).',
  },
  check(ctx) {
    for (const o of ctx.graph.objects) {
      if (o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion)) check(ctx, o);
    }
  },
};

export default rule;
