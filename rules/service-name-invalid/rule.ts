import type { Rule } from '../../src/types/rule.js';
import { code, list } from '../../src/text.js';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Kubernetes 1.36 relaxed Service names to DNS-1123 labels (KEP-5311, the
 * RelaxedServiceNameValidation gate, on by default from 1.36): a leading digit is
 * accepted there, and refused by older API servers.
 */
export function relaxedServiceNames(kubernetesVersion: string): boolean {
  const minor = Number(/^1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? '0');
  return minor >= 36;
}

/** What makes a name fail DNS-1035, in words. */
export function dns1035Problems(name: string, relaxed = false): string[] {
  const out: string[] = [];
  if (name.length > 63) out.push(`is ${name.length} characters long (at most 63)`);
  if (/[A-Z]/.test(name)) out.push('has uppercase letters');
  if (name.includes('.')) out.push('contains a dot');
  if (/[^-a-zA-Z0-9.]/.test(name)) out.push(`contains ${list([...new Set(name.replace(/[-a-zA-Z0-9.]/g, ''))].map((c) => code(c)))}`);
  if (relaxed ? /^[^a-zA-Z0-9]/.test(name) : /^[^a-zA-Z]/.test(name)) out.push(relaxed ? 'does not start with a letter or digit' : 'does not start with a letter');
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
    description: 'A Service name that is not a DNS label (DNS-1035 before Kubernetes 1.36, DNS-1123 from 1.36), so the API server rejects it and no DNS name can exist for it.',
    category: 'dns',
    severity: 'error',
    messages: {
      invalid: 'Service name {{name}} is not a {{kind}} label: it {{problems}}; the API server rejects it, since the name must work as the first label of `<name>.<namespace>.svc`{{suggestion}}',
    },
    remediation: 'Rename the Service to lowercase letters, digits and \'-\', starting with a letter (a digit from Kubernetes 1.36) and at most 63 characters.',
  },
  check({ graph, report }) {
    const relaxed = relaxedServiceNames(graph.settings.kubernetesVersion);
    for (const svc of graph.services) {
      const o = svc.object;
      const meta = o.body.metadata as Record<string, unknown> | undefined;
      const name = meta?.name;
      if (typeof name !== 'string' || name === '' || (relaxed ? DNS1123 : DNS1035).test(name) && name.length <= 63) continue;
      const s = dns1035Suggestion(name);
      report({
        object: o,
        path: ['metadata', 'name'],
        messageId: 'invalid',
        data: { name: code(name), kind: relaxed ? 'DNS-1123' : 'DNS-1035', problems: list(dns1035Problems(name, relaxed), 5), suggestion: s ? `; did you mean ${code(s)}?` : '' },
      });
    }
  },
};

export default rule;
