import type { Rule } from '../../src/types/rule.js';
import type { K8sObject } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { podStory } from '../../src/graph/live.js';
import { code, list } from '../../src/text.js';

const isKubeProxy = (o: K8sObject) => {
  const labels = isRecord(o.body.metadata) && isRecord(o.body.metadata.labels) ? o.body.metadata.labels : {};
  return labels['k8s-app'] === 'kube-proxy' || labels.component === 'kube-proxy';
};

const rule: Rule = {
  meta: {
    id: 'kube-proxy-unhealthy',
    description: 'Live: a kube-proxy pod (k8s-app=kube-proxy in kube-system) that is not ready: on its node, Service cluster IPs and node ports are not programmed or kept up to date, so pods there cannot reach Services.',
    liveOnly: true,
    category: 'endpoints',
    severity: 'error',
    messages: {
      notReady: 'kube-proxy on node {{node}} is not ready ({{why}}): Service cluster IPs and node ports are not programmed, or not kept up to date, on that node, so its pods reach no Service (or stale endpoints)',
    },
    remediation: 'Look at the kube-proxy pod (kubectl -n kube-system logs and describe it) and the node; Services work again on that node once it runs.',
  },
  check({ graph, report }) {
    if (!graph.settings.live) return;
    for (const o of graph.objects) {
      if (o.kind !== 'Pod' || o.namespace !== 'kube-system' || !isKubeProxy(o)) continue;
      const s = podStory(graph, o);
      if (s.ready || s.terminating) continue;
      const node = isRecord(o.body.spec) && typeof o.body.spec.nodeName === 'string' ? o.body.spec.nodeName : undefined;
      if (!node) continue; // not scheduled: no node depends on it yet
      report({ object: o, path: ['status'], messageId: 'notReady', data: { node: code(node), why: list(s.reasons.slice(0, 2)) || 'not ready' } });
    }
  },
};

export default rule;
