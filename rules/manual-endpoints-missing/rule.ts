import type { Rule } from '../../src/types/rule.js';
import { proxyView, publishedEndpoints } from '../../src/graph/live.js';
import { list } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'manual-endpoints-missing',
    description: 'Live: a Service without a selector that has no EndpointSlices (or Endpoints) with a ready address kube-proxy uses (FQDN slices and slices without the Service\'s port names are ignored), so nothing answers on its ClusterIP.',
    liveOnly: true,
    category: 'endpoints',
    severity: 'error',
    messages: {
      none: 'this Service has no selector and no EndpointSlice names it, so it has no endpoints; something must write them (kubernetes.io/service-name label)',
      noneReady: 'this Service has no selector and its {{count}} hand-written endpoint objects list no ready address',
      ignored: 'this Service has no selector and kube-proxy uses none of its hand-written endpoints: {{why}}',
    },
    remediation: 'Create an EndpointSlice labelled kubernetes.io/service-name=<service> with the backend addresses, or give the Service a selector.',
  },
  check({ graph, report }) {
    if (!graph.settings.live) return;
    for (const svc of graph.services) {
      if (svc.mode !== 'manual' || svc.object.overlay) continue;
      if (svc.endpointObjects.length === 0) {
        report({ object: svc.object, path: ['spec'], messageId: 'none' });
      } else if (!svc.endpointObjects.some((o) => publishedEndpoints(o).ready.length > 0)) {
        report({ object: svc.object, path: ['spec'], messageId: 'noneReady', data: { count: svc.endpointObjects.length } });
      } else if (svc.ports.length && !svc.ports.some((p) => proxyView(svc.endpointObjects, p).used.length > 0)) {
        const views = svc.ports.map((p) => proxyView(svc.endpointObjects, p));
        // Port names that differ are endpoints-orphaned's finding: one cause, one finding.
        if (views.every((v) => v.onlyPortNames)) continue;
        const why = [...new Set(views.flatMap((v) => v.ignored))];
        report({ object: svc.object, path: ['spec'], messageId: 'ignored', data: { why: list(why, 3) || 'no endpoint is ready' } });
      }
    }
  },
};

export default rule;
