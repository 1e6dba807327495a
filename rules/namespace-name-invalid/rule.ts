import type { Rule } from '../../src/types/rule.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';
import { dns1123LabelProblems } from '../../src/names.js';

const rule: Rule = {
  meta: {
    id: 'namespace-name-invalid',
    description: 'A namespace name that is not a DNS-1123 label, so the namespace cannot exist and no Service in it can be resolved.',
    category: 'dns',
    severity: 'error',
    messages: {
      invalid: 'namespace {{name}} is not a DNS-1123 label: it {{problems}}; the namespace is part of every DNS name in it (`<service>.{{raw}}.svc`)',
    },
    remediation: 'Use lowercase letters, digits and \'-\' for namespace names, starting and ending with a letter or digit, at most 63 characters.',
  },
  check({ graph, report }) {
    for (const o of graph.objects) {
      const meta = isRecord(o.body.metadata) ? o.body.metadata : {};
      const [name, path] = o.kind === 'Namespace' && o.apiVersion === 'v1' ? [meta.name, ['metadata', 'name']] : [meta.namespace, ['metadata', 'namespace']];
      if (typeof name !== 'string' || name === '') continue;
      const problems = dns1123LabelProblems(name);
      if (problems.length) report({ object: o, path, messageId: 'invalid', data: { name: code(name), raw: name.slice(0, 63), problems: list(problems) } });
    }
  },
};

export default rule;
