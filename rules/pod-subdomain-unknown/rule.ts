import type { Rule } from '../../src/types/rule.js';
import { podDnsService, where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { code } from '../../src/text.js';
import { dns1123LabelProblems } from '../../src/names.js';

const rule: Rule = {
  meta: {
    id: 'pod-subdomain-unknown',
    description: 'A pod subdomain that names no Service selecting the pod (or an ExternalName one), so the pod\'s hostname.subdomain DNS name does not exist; one that is not headless relies on CoreDNS.',
    category: 'dns',
    severity: 'error',
    messages: {
      missing: 'the pods of {{workload}} set subdomain {{subdomain}}, but there is no Service {{subdomain}} in namespace {{namespace}} among the linted files; {{example}} will not resolve',
      externalName: 'the pods of {{workload}} set subdomain {{subdomain}}, but Service {{subdomain}} is an ExternalName Service, which has no endpoints; {{example}} does not exist',
      clusterIP: 'the pods of {{workload}} set subdomain {{subdomain}}, and Service {{subdomain}} selects them but is not headless: CoreDNS answers {{example}} for its endpoints all the same, but the Kubernetes DNS specification promises per-pod names only for a headless Service, and another cluster DNS may not answer it',
      notSelecting: 'the pods of {{workload}} set subdomain {{subdomain}}, but Service {{subdomain}} does not select them; {{example}} exists only for pods the Service selects (they are its endpoints)',
    },
    remediation: 'Create a headless Service (clusterIP: None) named like the subdomain, in the same namespace, whose selector matches these pods.',
  },
  check({ graph, report }) {
    const domain = graph.settings.clusterDomain;
    for (const t of graph.templates) {
      const specPath = [...t.path, 'spec'];
      const sub = getIn(t.owner.body, [...specPath, 'subdomain']);
      if (typeof sub !== 'string' || sub === '') continue;
      // One the API server rejects never reaches a pod: pod-dns-config-invalid reports it.
      if (dns1123LabelProblems(sub).length) continue;
      // A StatefulSet's pods get their subdomain from its serviceName: reported on the StatefulSet.
      const owners = getIn(t.owner.body, ['metadata', 'ownerReferences']);
      if (Array.isArray(owners) && owners.some((o) => typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'StatefulSet')) continue;
      const hostname = getIn(t.owner.body, [...specPath, 'hostname']);
      const host = typeof hostname === 'string' && hostname !== '' ? hostname : '<pod-hostname>';
      const data = { workload: where(t), subdomain: code(sub), namespace: code(t.namespace), example: code(`${host}.${sub}.${t.namespace}.svc.${domain}`) };
      const path = [...specPath, 'subdomain'];
      const r = podDnsService(graph, t, sub);
      if (r.problem === 'missing') report({ object: t.owner, path, messageId: 'missing', data, severity: 'warning' });
      else if (r.problem === 'notHeadless') {
        const external = r.service.mode === 'external-name';
        report({ object: t.owner, path, messageId: external ? 'externalName' : 'clusterIP', severity: external ? undefined : 'info', data, related: [{ object: r.service.object, path: ['spec'], message: `Service ${t.namespace}/${sub}` }] });
      }
      else if (r.problem === 'notSelecting') report({ object: t.owner, path, messageId: 'notSelecting', data, related: [{ object: r.service.object, path: r.service.selectorPath, message: `selector of Service ${t.namespace}/${sub}` }] });
    }
  },
};

export default rule;
