import type { Rule } from '../../src/types/rule.js';
import { code, list } from '../../src/text.js';
import { portNameProblems } from '../../src/names.js';

const rule: Rule = {
  meta: {
    id: 'container-port-name-invalid',
    description: 'A container port name that is not a valid port name (IANA_SVC_NAME) or is used twice in one pod; Services cannot target it.',
    category: 'schema',
    severity: 'error',
    messages: {
      invalid: 'container port name {{name}} is not a valid port name: it {{problems}}',
      repeated: 'container port name {{name}} is also used by container {{other}} of this pod; port names must be unique within a pod',
    },
    remediation: 'Name container ports with at most 15 lowercase letters, digits and \'-\', including a letter, unique within the pod.',
  },
  check({ graph, report }) {
    for (const t of graph.templates) {
      const seen = new Map<string, string>();
      for (const c of t.containers) {
        for (const p of c.ports) {
          if (!p.name) continue;
          const problems = portNameProblems(p.name);
          if (problems.length) report({ object: t.owner, path: [...p.path, 'name'], messageId: 'invalid', data: { name: code(p.name), problems: list(problems) } });
          const other = seen.get(p.name);
          if (other !== undefined) report({ object: t.owner, path: [...p.path, 'name'], messageId: 'repeated', data: { name: code(p.name), other: code(other) } });
          else seen.set(p.name, c.name);
        }
      }
    }
  },
};

export default rule;
