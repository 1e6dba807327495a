import type { Rule } from '../../src/types/rule.js';
import { where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
const EFFECT: Record<(typeof PROBES)[number], string> = {
  readinessProbe: 'the pod never turns Ready and gets no Service traffic',
  livenessProbe: 'the kubelet restarts the container again and again',
  startupProbe: 'the container never finishes starting and is restarted again and again',
};

const rule: Rule = {
  meta: {
    id: 'probe-port-undeclared',
    description: 'A readiness, liveness or startup probe on a named port that its container does not declare: the probe fails every time.',
    category: 'port',
    severity: 'error',
    messages: {
      undeclared: '{{probe}} of container {{container}} in {{workload}} uses port {{port}}, which this container does not declare{{declared}}; the kubelet looks the name up in the probed container only, the probe fails, and {{effect}}',
    },
    remediation: 'Use a port name the probed container declares in its ports, or the port number.',
  },
  check({ graph, report }) {
    for (const t of graph.templates) {
      const containers = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
      if (!Array.isArray(containers)) continue;
      containers.forEach((c, i) => {
        if (!isRecord(c)) return;
        const names = Array.isArray(c.ports) ? c.ports.filter(isRecord).map((p) => p.name).filter((n): n is string => typeof n === 'string') : [];
        for (const probe of PROBES) {
          const pr = c[probe];
          if (!isRecord(pr)) continue;
          for (const handler of ['httpGet', 'tcpSocket'] as const) {
            const h = pr[handler];
            // A quoted number works: the kubelet falls back to reading it as a number.
            if (!isRecord(h) || typeof h.port !== 'string' || /^\d+$/.test(h.port) || names.includes(h.port)) continue;
            report({
              object: t.owner,
              path: [...t.path, 'spec', 'containers', i, probe, handler, 'port'],
              messageId: 'undeclared',
              data: {
                probe,
                container: code(typeof c.name === 'string' ? c.name : `#${i}`),
                workload: where(t),
                port: code(h.port),
                declared: names.length ? ` (it declares ${list(names.map((n) => code(n)), 5)})` : '',
                effect: EFFECT[probe],
              },
            });
          }
        }
      });
    }
  },
};

export default rule;
