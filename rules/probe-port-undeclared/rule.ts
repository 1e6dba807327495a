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
    description: 'A readiness, liveness or startup probe on a named port that its container does not declare, or with a `host` the kubelet cannot reach the pod by (localhost is the node\'s own): the probe fails every time.',
    category: 'port',
    severity: 'error',
    messages: {
      hostLoopback: '{{probe}} of container {{container}} in {{workload}} sets host {{host}}: the kubelet dials that address from the node, where it is the node\'s own loopback, not the pod; the probe fails and {{effect}} (leave host out: the kubelet dials the pod\'s IP; for a Host header use httpHeaders)',
      hostName: '{{probe}} of container {{container}} in {{workload}} sets host {{host}}: the kubelet dials it from the node, whose resolver knows no Service or pod names; the probe most likely fails and {{effect}} (leave host out: the kubelet dials the pod\'s IP; for a Host header use httpHeaders)',
      undeclared: '{{probe}} of container {{container}} in {{workload}} uses port {{port}}, which this container does not declare{{declared}}; the kubelet looks the name up in the probed container only, the probe fails, and {{effect}}',
    },
    remediation: 'Use a port name the probed container declares in its ports, or the port number.',
  },
  check({ graph, report }) {
    for (const t of graph.templates) {
      const containers = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
      if (!Array.isArray(containers)) continue;
      const hostNetwork = getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true;
      containers.forEach((c, i) => {
        if (!isRecord(c)) return;
        const names = Array.isArray(c.ports) ? c.ports.filter(isRecord).map((p) => p.name).filter((n): n is string => typeof n === 'string') : [];
        for (const probe of PROBES) {
          const pr = c[probe];
          if (!isRecord(pr)) continue;
          for (const handler of ['httpGet', 'tcpSocket'] as const) {
            const h = pr[handler];
            // `host` replaces the pod's IP as the address the kubelet dials, from the node: its
            // own loopback there (unless the pod shares the node's network), a name through the
            // node's resolver, which knows no Service names.
            if (isRecord(h) && typeof h.host === 'string' && h.host.trim() !== '' && !hostNetwork) {
              const host = h.host.trim().toLowerCase();
              const loopback = host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\./.test(host);
              // A cluster name: a bare label, or one under `.svc`/the cluster domain (an outside name may resolve on the node).
              const name = !loopback && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host) && /[a-z]/.test(host)
                && (!host.includes('.') || /\.svc(\.|$)/.test(host) || host.endsWith(`.${graph.settings.clusterDomain}`));
              if (loopback || name) {
                report({
                  object: t.owner,
                  path: [...t.path, 'spec', 'containers', i, probe, handler, 'host'],
                  messageId: loopback ? 'hostLoopback' : 'hostName',
                  ...(loopback ? {} : { severity: 'warning' as const }),
                  data: { probe, container: code(typeof c.name === 'string' ? c.name : `#${i}`), workload: where(t), host: code(h.host), effect: EFFECT[probe] },
                });
              }
            }
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
