import type { Rule } from '../../src/types/rule.js';
import { where } from '../../src/engine/rule-kit.js';
import { code, list } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'headless-port-mismatch',
    description: 'A headless Service whose port differs from the port its pods listen on: there is no VIP to remap ports, so clients dialing name:port reach nothing.',
    category: 'port',
    severity: 'warning',
    messages: {
      mismatch: 'this headless Service maps port {{port}} to targetPort {{targets}} on {{workloads}}, but a headless Service has no virtual IP to remap ports: clients that resolve {{name}} get pod IPs and dial port {{port}}, where nothing listens (only SRV lookups see {{targets}})',
    },
    remediation: 'Make port equal to the container port on a headless Service, or drop clusterIP: None to get a virtual IP that remaps the port.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      if (!svc.headless || svc.mode !== 'selector') continue;
      for (const sp of svc.ports) {
        if (sp.port === undefined) continue;
        const off = sp.resolutions.filter((r) => r.targetPort !== undefined && r.targetPort !== sp.port);
        if (off.length === 0) continue;
        report({
          object: svc.object,
          path: sp.targetPath,
          messageId: 'mismatch',
          data: {
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
