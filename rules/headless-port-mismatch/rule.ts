import type { Rule } from '../../src/types/rule.js';
import type { ServiceNode } from '../../src/types/graph.js';
import type { ReferenceEdge } from '../../src/types/reference.js';
import { where } from '../../src/engine/rule-kit.js';
import { references } from '../../src/graph/references.js';
import { code, list } from '../../src/text.js';

/** A client in the run that dials this headless Service (or one of its pods) on `port`. */
function dialler(edges: readonly ReferenceEdge[], svc: ServiceNode, port: number): ReferenceEdge | undefined {
  return edges.find((e) => (e.resolution.kind === 'service' || e.resolution.kind === 'pod') && e.resolution.service === svc && e.port === port);
}

const rule: Rule = {
  meta: {
    id: 'headless-port-mismatch',
    description: 'A headless Service whose port differs from the port its pods listen on: there is no VIP to remap ports, so clients dialing name:port reach nothing.',
    category: 'port',
    // Clients may well dial the pods' port or use SRV records: only a client of the run that dials the Service port proves it wrong.
    severity: 'info',
    messages: {
      mismatch: 'this headless Service maps port {{port}} to targetPort {{targets}} on {{workloads}}, but a headless Service has no virtual IP to remap ports: clients that resolve {{name}} get pod IPs and dial port {{port}}, where nothing listens (only SRV lookups see {{targets}}); no client in the files given dials port {{port}}',
      dialled: 'this headless Service maps port {{port}} to targetPort {{targets}} on {{workloads}}, but a headless Service has no virtual IP to remap ports: {{client}} dials {{text}}, which reaches the pod IPs on port {{port}}, where nothing listens',
    },
    remediation: 'Make port equal to the container port on a headless Service, or drop clusterIP: None to get a virtual IP that remaps the port.',
  },
  check({ graph, report }) {
    const edges = graph.services.some((s) => s.headless) ? references(graph) : [];
    for (const svc of graph.services) {
      if (!svc.headless || svc.mode !== 'selector') continue;
      for (const sp of svc.ports) {
        if (sp.port === undefined) continue;
        const off = sp.resolutions.filter((r) => r.targetPort !== undefined && r.targetPort !== sp.port);
        if (off.length === 0) continue;
        const client = dialler(edges, svc, sp.port);
        report({
          object: svc.object,
          path: sp.targetPath,
          messageId: client ? 'dialled' : 'mismatch',
          ...(client ? { severity: 'error' as const, related: [{ object: client.site.object, path: client.site.path, message: `${client.site.where} dials ${client.text}` }] } : {}),
          data: {
            client: client ? `${client.site.where} of ${client.site.object.kind} ${client.site.object.namespace}/${client.site.object.name}` : '',
            text: client ? code(client.text) : '',
            port: sp.port,
            targets: list([...new Set(off.map((r) => String(r.targetPort)))]),
            workloads: list([...new Set(off.map((r) => where(r.template)))], 3),
            name: code(`${svc.object.name}.${svc.object.namespace}`),
          },
        });
      }
    }
  },
};

export default rule;
