import type { Rule } from '../../src/types/rule.js';
import { describe, refOf } from '../../src/types/object.js';
import { describeReasons, podState, publishedEndpoints } from '../../src/graph/live.js';
import { code, list, plural } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'service-no-ready-endpoints',
    description: 'Live: a Service whose selector matches pods but which has no ready endpoints, with the reason for each pod (not ready, crash looping, terminating, port not resolved) or for the slices.',
    category: 'endpoints',
    severity: 'error',
    messages: {
      podsNotReady: 'this Service selects {{pods}} but has no ready endpoints: {{why}}',
      slicesBehind: 'this Service selects {{ready}} ready, but its EndpointSlices list no ready endpoint for them{{managed}}; kube-proxy has nothing to send traffic to',
    },
    remediation: 'Fix what keeps the selected pods from being ready (see each pod\'s reason), then check the EndpointSlices with kubectl get endpointslices -l kubernetes.io/service-name=<service>.',
  },
  check({ graph, report }) {
    if (!graph.settings.live) return;
    for (const svc of graph.services) {
      if (svc.mode !== 'selector' || svc.backends.length === 0 || svc.object.overlay) continue;
      const published = svc.endpointObjects.map((o) => publishedEndpoints(o));
      // Ready addresses count only in slices that carry a port (pods FindPort leaves out sit in port-less slices).
      if (published.some((p) => p.ready.length > 0 && (p.ports.length > 0 || svc.ports.length === 0))) continue;
      const pods = svc.backends.map((t) => ({ t, s: podState(t.owner.body) }));
      // A pod the port lookup leaves out serves no port of this Service.
      const unresolved = new Set(svc.ports.flatMap((p) => p.resolutions.filter((r) => r.targetPort === undefined).map((r) => r.template)));
      const serving = pods.filter((p) => p.s.ready && p.s.ip && !unresolved.has(p.t));
      const name = (p: (typeof pods)[number]) => `${describe(refOf(p.t.owner))}${p.s.owner ? ` (${p.s.owner})` : ''}`;
      if (serving.length > 0) {
        const managed = [...new Set(published.map((p) => p.managedBy).filter((m): m is string => !!m))];
        report({
          object: svc.object,
          path: ['spec', 'selector'],
          messageId: 'slicesBehind',
          data: {
            ready: plural(serving.length, 'pod'),
            managed: svc.endpointObjects.length === 0 ? ' (there are no EndpointSlices for it: is the endpoint-slice controller running?)' : managed.length && !managed.includes('endpointslice-controller.k8s.io') ? ` (its slices are managed by ${list(managed.map((m) => code(m)))})` : '',
          },
        });
        continue;
      }
      const why = pods.slice(0, 5).map((p) => `${name(p)}: ${unresolved.has(p.t) ? 'no container port matches the targetPort' : describeReasons(p.s)}`);
      report({
        object: svc.object,
        path: ['spec', 'selector'],
        messageId: 'podsNotReady',
        data: { pods: plural(pods.length, 'pod'), why: why.join('; ') + (pods.length > 5 ? `; and ${pods.length - 5} more` : '') },
        related: pods.slice(0, 5).map((p) => ({ object: p.t.owner, path: ['status'], message: describeReasons(p.s) })),
      });
    }
  },
};

export default rule;
