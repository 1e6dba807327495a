import type { Rule } from '../../src/types/rule.js';
import { isRecord } from '../../src/load/objects.js';
import { podState, publishedEndpoints } from '../../src/graph/live.js';
import { code, list } from '../../src/text.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

const rule: Rule = {
  meta: {
    id: 'cluster-dns-unhealthy',
    description: 'Live: cluster DNS cannot answer: no ready CoreDNS pods, the kube-dns Service without ready endpoints on 53/UDP and 53/TCP, or a Corefile that does not serve the cluster domain.',
    liveOnly: true,
    category: 'dns',
    severity: 'error',
    messages: {
      noPods: 'no cluster DNS pod (k8s-app=kube-dns in kube-system) is ready{{why}}: no Service name resolves anywhere in the cluster',
      noEndpoints: 'the kube-dns Service has no ready endpoints on {{ports}}: pods cannot resolve Service names',
      corefile: 'the CoreDNS Corefile (ConfigMap kube-system/coredns) has no `kubernetes` plugin for {{domain}}: Service names in that domain do not resolve',
    },
    remediation: 'Fix the CoreDNS deployment in kube-system (kubectl -n kube-system describe pods -l k8s-app=kube-dns) and its Corefile.',
  },
  check({ graph, report }) {
    if (!graph.settings.live) return;
    const dnsSvc = graph.service('kube-system', 'kube-dns');
    const pods = objectsOfKind(graph, 'Pod').filter((o) => o.namespace === 'kube-system' && isRecord(o.body.metadata) && isRecord(o.body.metadata.labels) && o.body.metadata.labels['k8s-app'] === 'kube-dns');
    // Without the kube-dns Service in view (kube-system not readable) there is nothing to judge here.
    if (dnsSvc) {
      const states = pods.map((p) => podState(p.body));
      if (!states.some((s) => s.ready)) {
        const why = states.flatMap((s) => s.reasons).slice(0, 2);
        report({ object: dnsSvc.object, path: ['spec', 'selector'], messageId: 'noPods', data: { why: pods.length ? ` (${list(why)})` : ' (there are none)' } });
      }
      const missing: string[] = [];
      for (const proto of ['UDP', 'TCP']) {
        const ok = dnsSvc.endpointObjects.some((o) => {
          const pub = publishedEndpoints(o);
          const ports = Array.isArray(o.body.ports) ? o.body.ports.filter(isRecord) : [];
          const has53 = o.kind !== 'EndpointSlice' || ports.some((p) => p.port === 53 && (p.protocol ?? 'TCP') === proto);
          return has53 && pub.ready.length > 0;
        });
        if (!ok) missing.push(`53/${proto}`);
      }
      if (missing.length) report({ object: dnsSvc.object, path: ['spec', 'ports'], messageId: 'noEndpoints', data: { ports: list(missing) } });
    }
    const cm = objectsOfKind(graph, 'ConfigMap').find((o) => o.namespace === 'kube-system' && o.name === 'coredns');
    const corefile = cm && isRecord(cm.body.data) && typeof cm.body.data.Corefile === 'string' ? cm.body.data.Corefile : undefined;
    if (cm && corefile !== undefined) {
      const domain = graph.settings.clusterDomain;
      const serves = corefile.split('\n').some((l) => {
        const m = /^\s*kubernetes\s+(.*?)\s*\{?\s*$/.exec(l);
        return m && m[1]!.split(/\s+/).some((z) => z.replace(/\.$/, '') === domain);
      });
      if (!serves) report({ object: cm, path: ['data', 'Corefile'], messageId: 'corefile', data: { domain: code(domain) } });
    }
  },
};

export default rule;
