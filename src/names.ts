import { isIP } from 'node:net';

/** Kubernetes name and value validation (k8s.io/apimachinery/pkg/util/validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const isDNS1123Label = (s: string): boolean => s.length <= 63 && DNS1123_LABEL.test(s);
export const isDNS1035Label = (s: string): boolean => s.length <= 63 && DNS1035_LABEL.test(s);
export const isDNS1123Subdomain = (s: string): boolean => s.length <= 253 && s.split('.').every((l) => DNS1123_LABEL.test(l));
export const isIPAddress = (s: string): boolean => isIP(s) !== 0;

/**
 * What is wrong with a port name (IANA_SVC_NAME), in words; empty when valid. Port names
 * of containers and string targetPorts follow this: at most 15 characters, lowercase
 * letters, digits and '-', at least one letter, no '-' at either end or twice in a row.
 */
export function portNameProblems(name: string): string[] {
  const out: string[] = [];
  if (name.length > 15) out.push(`is ${name.length} characters long (at most 15)`);
  if (/[^-a-z0-9]/.test(name)) out.push(/[A-Z]/.test(name) && !/[^-a-zA-Z0-9]/.test(name) ? 'has uppercase letters' : 'has characters other than lowercase letters, digits and \'-\'');
  if (!/[a-z]/.test(name)) out.push('has no letter');
  if (name.startsWith('-') || name.endsWith('-')) out.push('starts or ends with \'-\'');
  if (name.includes('--')) out.push('has \'--\'');
  return out;
}

/** What is wrong with a DNS-1123 label, in words; empty when valid. */
export function dns1123LabelProblems(name: string): string[] {
  const out: string[] = [];
  if (name.length > 63) out.push(`is ${name.length} characters long (at most 63)`);
  if (/[A-Z]/.test(name)) out.push('has uppercase letters');
  if (/[^-a-zA-Z0-9]/.test(name)) out.push('has characters other than letters, digits and \'-\'');
  if (/^[^a-zA-Z0-9]|[^a-zA-Z0-9]$/.test(name)) out.push('does not start and end with a letter or digit');
  if (name === '') out.push('is empty');
  return out;
}

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
