import type { Rule } from '../../src/types/rule.js';
import { podDnsService, where, workloadTemplates } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { references } from '../../src/graph/references.js';
import { code, list } from '../../src/text.js';
import { dns1123LabelProblems } from '../../src/names.js';

const rule: Rule = {
  meta: {
    id: 'statefulset-service-invalid',
    description: 'A StatefulSet whose serviceName is not a DNS label (the API server rejects it), names no Service, a Service that is not headless, or a headless Service that does not select its pods (its pods get no stable DNS names), or whose name is too long for its pods\' controller-revision-hash label (no pods at all).',
    category: 'dns',
    severity: 'error',
    messages: {
      missing: '{{workload}} names {{service}} as its serviceName, but there is no Service {{service}} in namespace {{namespace}} among the linted files; its pods get no DNS names like {{example}}{{hint}}',
      notHeadless: '{{workload}} names {{service}} as its serviceName, but that Service is not headless (clusterIP: {{clusterIP}}); the Kubernetes DNS specification promises per-pod names like {{example}} only for a headless Service (CoreDNS answers them for the endpoints of a selecting Service too; another cluster DNS may not){{dialled}}',
      notSelecting: '{{workload}} names {{service}} as its serviceName, but that headless Service does not select its pods (selector {{selector}}); per-pod DNS names like {{example}} exist only for pods the Service selects',
      nameTooLong: 'the name of {{workload}} has {{length}} characters: its controller labels every pod `controller-revision-hash: <name>-<hash>`, longer than the 63 characters a label value may have {{odds}}, so the API server refuses every pod and its Services get no endpoints',
      invalidName: 'serviceName {{service}} is not a DNS label: it {{problems}}; the API server rejects the StatefulSet',
    },
    remediation: 'Point serviceName at a headless Service (clusterIP: None) in the same namespace whose selector matches the StatefulSet\'s pod template.',
  },
  check({ graph, report }) {
    const domain = graph.settings.clusterDomain;
    for (const t of workloadTemplates(graph)) {
      if (t.owner.kind !== 'StatefulSet') continue;
      // The controller labels every pod `controller-revision-hash: <name>-<hash>`, the hash the
      // decimal digits of a 32-bit FNV sum (most often 10, else 9): a label value is at most 63
      // characters, so over 52 the API server refuses the pods (kubernetes/kubernetes#64023).
      // Live, the pods show what happened.
      const stsName = t.owner.name;
      if (!graph.settings.live && stsName.length > 52 && stsName.length <= 63 && !/[{$<]/.test(stsName)) {
        report({
          object: t.owner,
          path: ['metadata', 'name'],
          messageId: 'nameTooLong',
          ...(stsName.length === 53 ? { severity: 'warning' as const } : {}),
          data: { workload: where(t), length: stsName.length, odds: stsName.length === 53 ? 'when the hash has 10 digits, as about three in four do' : 'for all but the rare hashes of 8 digits or fewer' },
          remediation: 'Shorten the StatefulSet\'s name to 52 characters or fewer (the pod names and their DNS names get shorter too).',
        });
      }
      const name = getIn(t.owner.body, ['spec', 'serviceName']);
      if (typeof name !== 'string' || name === '') continue;
      const data = {
        workload: where(t),
        service: code(name),
        namespace: code(t.namespace),
        example: code(`${t.owner.name}-0.${name}.${t.namespace}.svc.${domain}`),
      };
      const path = ['spec', 'serviceName'];
      const problems = dns1123LabelProblems(name);
      if (problems.length) {
        // Never stored, so it governs nothing: the name is the finding.
        if (!graph.settings.live) report({ object: t.owner, path, messageId: 'invalidName', data: { service: code(name), problems: list(problems, 3) }, remediation: 'Name the governing Service: a DNS label (lowercase letters, digits and \'-\', at most 63 characters), the headless Service\'s own name.' });
        continue;
      }
      const r = podDnsService(graph, t, name);
      if (r.problem === 'missing') {
        // The pods run without their governing Service (the API server and the controller do not
        // need it): only a client of their per-pod names (`<name>-0.<serviceName>`) is broken by it.
        const prefix = `${t.owner.name.toLowerCase()}-`;
        const client = references(graph).find((e) => e.resolution.kind === 'missing' && e.resolution.name === name && e.resolution.namespace === t.namespace && e.host.toLowerCase().startsWith(prefix));
        // A headless Service of the run that selects these very pods under another name (a chart's `<fullname>-headless`
        // beside a serviceName built from the chart's name): the serviceName was meant to be it.
        const sibling = graph.services.find((x) => x.headless && x.object.namespace === t.namespace && x.object.name !== name && x.backends.includes(t));
        report({
          object: t.owner,
          path,
          messageId: 'missing',
          data: { ...data, hint: sibling ? `; the headless Service ${code(sibling.object.name)} of the files given selects these pods: did you mean it?` : '' },
          severity: sibling ? (client ? 'error' : 'warning') : client ? 'warning' : 'info',
          absent: { what: `Service ${code(name)} in namespace ${code(t.namespace)}`, namespace: t.namespace, service: name, nearMiss: sibling !== undefined },
          ...(sibling ? { related: [{ object: sibling.object, path: ['metadata', 'name'], message: `headless Service ${sibling.object.namespace}/${sibling.object.name}, which selects these pods` }] } : {}),
        });
      } else if (r.problem === 'notHeadless') {
        // Per-pod names matter only to a client that uses them: one in the run makes it a warning.
        const svc = r.service;
        const client = references(graph).find((e) => e.resolution.kind === 'pod-not-headless' && e.resolution.service === svc);
        report({
          object: t.owner,
          path,
          messageId: 'notHeadless',
          severity: client ? 'warning' : 'info',
          data: { ...data, clusterIP: svc.clusterIP ?? 'allocated', dialled: client ? `, and ${client.site.where} of ${client.site.object.kind} ${client.site.object.namespace}/${client.site.object.name} dials ${code(client.text)}` : '; no client in the files given dials one' },
          related: [{ object: svc.object, path: ['spec'], message: `Service ${t.namespace}/${name}` }],
        });
      } else if (r.problem === 'notSelecting') {
        report({
          object: t.owner,
          path,
          messageId: 'notSelecting',
          data: { ...data, selector: Object.entries(r.service.selector).map(([k, v]) => code(`${k}: ${v}`)).join(', ') },
          related: [{ object: r.service.object, path: r.service.selectorPath, message: `selector of Service ${t.namespace}/${name}` }],
        });
      }
    }
  },
};

export default rule;
