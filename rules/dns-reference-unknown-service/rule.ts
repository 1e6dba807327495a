import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { ServiceNode } from '../../src/types/graph.js';
import type { ReferenceEdge } from '../../src/types/reference.js';
import { references } from '../../src/graph/references.js';
import { nearestService, servicePortsText } from '../../src/engine/rule-kit.js';
import { code, list } from '../../src/text.js';

function ignored(ignore: string[], host: string): boolean {
  const h = host.toLowerCase();
  return ignore.some((p) => {
    const q = p.toLowerCase();
    return q.startsWith('*.') ? h.endsWith(q.slice(1)) : h === q || h.startsWith(`${q}.`);
  });
}

/** Ports a client may use: the Service ports; for headless Services the pods' ports too. */
function allowedPorts(svc: ServiceNode): Set<number> {
  const out = new Set(svc.ports.map((p) => p.port).filter((p): p is number => p !== undefined));
  if (svc.headless) for (const p of svc.ports) for (const r of p.resolutions) if (r.targetPort !== undefined) out.add(r.targetPort);
  return out;
}

function checkEdge(ctx: RuleContext, edge: ReferenceEdge): void {
  const { site } = edge;
  const r = edge.resolution;
  const base = { object: site.object, path: site.path };
  const data = { ref: code(edge.text), where: site.where };
  switch (r.kind) {
    case 'missing': {
      const near = nearestService(ctx.graph, r.namespace, r.name);
      const elsewhere = ctx.graph.servicesNamed(r.name).filter((s) => s.object.namespace !== r.namespace).map((s) => s.object.namespace);
      const hint = near ? `; did you mean ${code(near)}?` : elsewhere.length ? `; a Service ${code(r.name)} exists in ${list(elsewhere.map((n) => code(n)))}` : '';
      // Another namespace is often infrastructure installed from elsewhere: a warning.
      ctx.report({ ...base, messageId: 'missing', severity: r.namespace === site.namespace ? undefined : 'warning', data: { ...data, name: code(r.name), namespace: code(r.namespace), hint } });
      break;
    }
    case 'short-elsewhere':
      ctx.report({ ...base, messageId: 'shortElsewhere', data: { ...data, name: code(r.name), from: code(site.namespace), namespaces: list(r.namespaces.map((n) => code(n))), suggest: code(`${r.name}.${r.namespaces[0]}`) } });
      break;
    case 'swapped':
      ctx.report({ ...base, messageId: 'swapped', data: { ...data, suggest: code(`${r.service.object.name}.${r.service.object.namespace}`) } });
      break;
    case 'wrong-domain':
      ctx.report({ ...base, messageId: 'wrongDomain', data: { ...data, suffix: code(`.svc.${r.domain}`), domain: code(r.domain), clusterDomain: code(ctx.graph.settings.clusterDomain) } });
      break;
    case 'statefulset-pod': {
      const svc = r.serviceName ?? r.statefulSet;
      ctx.report({ ...base, messageId: 'statefulSetPod', data: { ...data, pod: code(r.pod), suggest: code(`${r.pod}.${svc}.${r.namespace}.svc.${ctx.graph.settings.clusterDomain}`) } });
      break;
    }
    case 'pod-not-headless':
      ctx.report({ ...base, messageId: 'podNotHeadless', data: { ...data, host: code(r.host), service: code(r.service.object.name) } });
      break;
    case 'service':
    case 'pod': {
      const svc = r.service;
      if (edge.port === undefined || svc.type === 'ExternalName' || svc.ports.length === 0) break;
      const allowed = allowedPorts(svc);
      if (allowed.has(edge.port)) break;
      const target = svc.ports.find((p) => p.resolutions.some((x) => x.targetPort === edge.port) || (p.target.kind === 'number' && p.target.value === edge.port));
      ctx.report({
        ...base,
        messageId: 'port',
        data: {
          ...data,
          port: edge.port,
          name: code(svc.object.name),
          ports: servicePortsText(svc),
          hint: target?.port !== undefined ? `; ${edge.port} is the pods' port, clients connect to the Service port ${target.port}` : '',
        },
        related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${svc.object.namespace}/${svc.object.name}` }],
      });
      break;
    }
    default:
      break;
  }
}

const rule: Rule = {
  meta: {
    id: 'dns-reference-unknown-service',
    description: 'A hostname in container env, args or a ConfigMap that will not resolve to the intended Service from the pods that use it, or uses a port the Service does not expose.',
    category: 'reference',
    severity: 'error',
    messages: {
      missing: '{{ref}} in {{where}} names Service {{name}} in namespace {{namespace}}, but that namespace has no such Service{{hint}}',
      shortElsewhere: '{{ref}} in {{where}} uses the short name {{name}}, which a pod resolves only in its own namespace ({{from}}); Service {{name}} is in {{namespaces}}: write {{suggest}}',
      swapped: '{{ref}} in {{where}} has the namespace and the Service name swapped: write {{suggest}}',
      wrongDomain: '{{ref}} in {{where}} ends in {{suffix}}, but the cluster domain is {{clusterDomain}}, so the name does not resolve (if your cluster uses {{domain}}, set clusterDomain in .svclint.yaml)',
      statefulSetPod: '{{ref}} in {{where}} names the StatefulSet pod {{pod}} without its Service; pod DNS names are `<pod>.<service>.<namespace>.svc`: write {{suggest}}',
      podNotHeadless: '{{ref}} in {{where}} names pod {{host}} under Service {{service}}, which is not headless; per-pod DNS names exist only for headless Services',
      port: '{{ref}} in {{where}} uses port {{port}}, but Service {{name}} exposes {{ports}}{{hint}}',
    },
    remediation: 'Refer to Services as <service>.<namespace> (or the full <service>.<namespace>.svc.<cluster-domain>) with a port the Service exposes; list hosts deployed elsewhere in this rule\'s ignore option.',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ignore: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'hostnames (or *.suffix) deployed elsewhere' },
      },
    },
    defaultOptions: { ignore: [] },
  },
  check(ctx) {
    const ignore = Array.isArray(ctx.options.ignore) ? (ctx.options.ignore as string[]) : [];
    for (const edge of references(ctx.graph)) if (!ignored(ignore, edge.host)) checkEdge(ctx, edge);
  },
};

export default rule;
