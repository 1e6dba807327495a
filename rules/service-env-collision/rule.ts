import type { Rule } from '../../src/types/rule.js';
import { where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';

/** Images known to turn every PREFIX_* variable into a setting (KAFKA_PORT → port=tcp://…). */
const MAPS_ALL_VARIABLES = /(^|\/)(cp-kafka|cp-server|cp-zookeeper|cp-schema-registry|cp-kafka-connect|cp-ksqldb-server|kafka)(:|@|$)/;

/** The variables Kubernetes injects into pods for a Service (docker-link style). */
export function injectedNames(service: string, ports: { port?: number; protocol: string }[]): string[] {
  const p = service.toUpperCase().replace(/-/g, '_');
  const out = [`${p}_SERVICE_HOST`, `${p}_SERVICE_PORT`, `${p}_PORT`];
  for (const sp of ports) {
    if (sp.port === undefined) continue;
    const base = `${p}_PORT_${sp.port}_${sp.protocol}`;
    out.push(base, `${base}_PROTO`, `${base}_PORT`, `${base}_ADDR`);
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'service-env-collision',
    description: 'A Service whose name makes Kubernetes inject variables like KAFKA_PORT=tcp://… into the pods it selects while they are configured through variables with the same prefix.',
    category: 'reference',
    severity: 'info',
    messages: {
      apiServer: 'Service {{service}} in namespace {{namespace}} makes the kubelet set {{vars}} to its own cluster IP in {{pods}}, overriding the API server\'s address: in-cluster clients there (client-go, operators, kubectl in a pod) connect to this Service instead of the API server',
      collision: 'Service {{service}} makes Kubernetes inject {{injected}} into the pods of {{workload}}, whose container {{container}} is configured through {{prefix}} variables ({{own}}); software that maps {{prefix}} variables to settings reads {{example}} as a setting and fails',
    },
    remediation: 'Rename the Service, set the injected variable explicitly in the container, or set enableServiceLinks: false in the pod spec.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      // A Service named `kubernetes` outside `default` replaces the API server's own variables
      // in every pod of its namespace that has Service links (the kubelet keys them by name).
      if (svc.object.name === 'kubernetes' && svc.object.namespace !== 'default' && !svc.headless && svc.type !== 'ExternalName') {
        const linked = graph.templatesIn(svc.object.namespace).filter((t) => getIn(t.owner.body, [...t.path, 'spec', 'enableServiceLinks']) !== false);
        const all = graph.templatesIn(svc.object.namespace).length;
        if (linked.length > 0 || all === 0) {
          report({
            object: svc.object,
            path: ['metadata', 'name'],
            messageId: 'apiServer',
            severity: 'error',
            data: {
              service: code(svc.object.name),
              namespace: code(svc.object.namespace),
              vars: list(['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'KUBERNETES_PORT'].map((n) => code(n)), 3),
              pods: linked.length ? `the pods of ${list(linked.map(where), 3)}` : 'every pod of that namespace',
            },
            remediation: 'Rename the Service, or set enableServiceLinks: false in every pod of that namespace.',
          });
        }
      }
      if (svc.mode !== 'selector') continue;
      const prefix = `${svc.object.name.toUpperCase().replace(/-/g, '_')}_`;
      const injected = injectedNames(svc.object.name, svc.ports);
      for (const t of svc.backends) {
        if (getIn(t.owner.body, [...t.path, 'spec', 'enableServiceLinks']) === false) continue;
        const containers = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
        if (!Array.isArray(containers)) continue;
        containers.forEach((c, i) => {
          if (!isRecord(c) || !Array.isArray(c.env)) return;
          const names = c.env.filter(isRecord).map((e) => e.name).filter((n): n is string => typeof n === 'string');
          const own = names.filter((n) => n.startsWith(prefix) && !injected.includes(n));
          if (own.length === 0) return;
          const open = injected.filter((n) => !names.includes(n));
          if (!open.includes(`${prefix}PORT`)) return; // set explicitly: the container's value wins
          const port = svc.ports[0]?.port;
          const image = typeof c.image === 'string' ? c.image : '';
          report({
            severity: MAPS_ALL_VARIABLES.test(image) ? 'warning' : undefined,
            object: svc.object,
            path: ['metadata', 'name'],
            messageId: 'collision',
            data: {
              service: code(svc.object.name),
              injected: list(open.slice(0, 3).map((n) => code(n)), 3),
              workload: where(t),
              container: code(typeof c.name === 'string' ? c.name : `#${i}`),
              prefix: code(`${prefix}*`),
              own: list(own.map((n) => code(n)), 3),
              example: code(`${prefix}PORT=tcp://<cluster-ip>:${port ?? '<port>'}`),
            },
            related: [{ object: t.owner, path: [...t.path, 'spec', 'containers', i, 'env'], message: `env of container ${typeof c.name === 'string' ? c.name : i}` }],
          });
        });
      }
    }
  },
};

export default rule;
