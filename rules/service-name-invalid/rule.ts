import type { Rule } from '../../src/types/rule.js';
import { code, list } from '../../src/text.js';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** What makes a name fail DNS-1035, in words. */
export function dns1035Problems(name: string): string[] {
  const out: string[] = [];
  if (name.length > 63) out.push(`is ${name.length} characters long (at most 63)`);
  if (/[A-Z]/.test(name)) out.push('has uppercase letters');
  if (name.includes('.')) out.push('contains a dot');
  if (/[^-a-zA-Z0-9.]/.test(name)) out.push(`contains ${list([...new Set(name.replace(/[-a-zA-Z0-9.]/g, ''))].map((c) => code(c)))}`);
  if (/^[^a-zA-Z]/.test(name)) out.push('does not start with a letter');
  if (/[^a-zA-Z0-9]$/.test(name)) out.push('does not end with a letter or digit');
  return out;
}

/** A valid name close to the given one, for the message. */
export function dns1035Suggestion(name: string): string | undefined {
  let s = name.toLowerCase().replace(/[^-a-z0-9]+/g, '-').replace(/^-+/, '');
  if (/^[0-9]/.test(s)) s = `svc-${s}`;
  s = s.slice(0, 63).replace(/-+$/, '');
  s = s.replace(/--+/g, '-');
  return DNS1035.test(s) ? s : undefined;
}

const rule: Rule = {
  meta: {
    id: 'service-name-invalid',
    description: 'A Service name that is not a DNS-1035 label, so the API server rejects it and no DNS name can exist for it.',
    category: 'dns',
    severity: 'error',
    messages: {
      invalid: 'Service name {{name}} is not a DNS-1035 label: it {{problems}}; the API server rejects it, since the name must work as the first label of `<name>.<namespace>.svc`{{suggestion}}',
    },
    remediation: 'Rename the Service to lowercase letters, digits and \'-\', starting with a letter and at most 63 characters.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      const o = svc.object;
      const meta = o.body.metadata as Record<string, unknown> | undefined;
      const name = meta?.name;
      if (typeof name !== 'string' || name === '' || DNS1035.test(name) && name.length <= 63) continue;
      const s = dns1035Suggestion(name);
      report({
        object: o,
        path: ['metadata', 'name'],
        messageId: 'invalid',
        data: { name: code(name), problems: list(dns1035Problems(name), 5), suggestion: s ? `; did you mean ${code(s)}?` : '' },
      });
    }
  },
};

export default rule;
