import { isIP } from './lazy-builtins.js';

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

/**
 * Why the API server refuses an IP address in a field validated as an IP (v1.36, with its
 * default strict IP parsing): not an address, an IPv4 octet with a leading 0 (read as octal
 * by libc), or an IPv4-mapped IPv6 address. Undefined when valid.
 */
export function ipProblem(s: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const octets = s.split('.');
    if (octets.some((o) => Number(o) > 255)) return 'is not an IP address';
    if (octets.some((o) => o.length > 1 && o.startsWith('0'))) return 'has an octet with a leading 0';
    return undefined;
  }
  if (isIP(s) !== 6) return 'is not an IP address';
  if (/^[0:]*:ffff:\d+\.\d+\.\d+\.\d+$/i.test(s) || /^[0:]*:ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(s)) return 'is an IPv4-mapped IPv6 address';
  return undefined;
}

/** The 16 bytes of a valid IPv6 address. */
function ipv6Bytes(s: string): number[] {
  let text = s;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) text = text.slice(0, v4.index) + [((+v4[1]! << 8) | +v4[2]!).toString(16), ((+v4[3]! << 8) | +v4[4]!).toString(16)].join(':');
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

/**
 * Why an address cannot be an endpoint (Endpoints, EndpointSlices, a Service's
 * externalIPs): the API server refuses unspecified, loopback, link-local and link-local
 * multicast addresses. Undefined when the address may be an endpoint (or is no IP at all).
 */
export function endpointIPProblem(s: string): string | undefined {
  const kind = isIP(s);
  if (kind === 4) {
    const [a, b, c] = s.split('.').map(Number) as [number, number, number];
    if (s.split('.').every((o) => Number(o) === 0)) return 'is the unspecified address';
    if (a === 127) return 'is in the loopback range (127.0.0.0/8)';
    if (a === 169 && b === 254) return 'is in the link-local range (169.254.0.0/16)';
    if (a === 224 && b === 0 && c === 0) return 'is in the link-local multicast range (224.0.0.0/24)';
    return undefined;
  }
  if (kind !== 6) return undefined;
  const bytes = ipv6Bytes(s);
  if (bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return endpointIPProblem(bytes.slice(12).join('.'));
  if (bytes.every((x) => x === 0)) return 'is the unspecified address';
  if (bytes.slice(0, 15).every((x) => x === 0) && bytes[15] === 1) return 'is the loopback address (::1)';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'is in the link-local range (fe80::/10)';
  if (bytes[0] === 0xff && (bytes[1]! & 0x0f) === 0x02) return 'is in the link-local multicast range (ff02::/16)';
  return undefined;
}

/** What is wrong with a qualified name (a label key, appProtocol, loadBalancerClass), in words; empty when valid. */
export function qualifiedNameProblems(s: string): string[] {
  const parts = s.split('/');
  const out: string[] = [];
  let name = s;
  if (parts.length > 2) return ['has more than one \'/\''];
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix === '') out.push('has an empty prefix before \'/\'');
    else if (!isDNS1123Subdomain(prefix)) out.push(`has a prefix ${JSON.stringify(prefix)} that is not a lowercase DNS subdomain`);
  }
  if (name === '') out.push('has an empty name');
  else {
    if (name.length > 63) out.push(`has a name of ${name.length} characters (at most 63)`);
    if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) out.push('has a name that is not letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit');
  }
  return out;
}

/** What is wrong with a label value, in words; empty when valid. */
export function labelValueProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push(`is ${s.length} characters long (at most 63)`);
  if (s !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(s)) out.push('is not letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit');
  return out;
}

/**
 * Why the API server refuses a CIDR in a field validated as one (v1.36, strict parsing),
 * or undefined: not `address/bits`, a bad address, a prefix too long, or address bits set
 * beyond the prefix (`10.0.0.1/8` for `10.0.0.0/8`).
 */
export function cidrProblem(v: string): string | undefined {
  const [addr, bits, extra] = v.split('/');
  if (addr === undefined || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return 'is not a CIDR';
  const bad = ipProblem(addr);
  if (bad) return `has an address that ${bad}`;
  const bytes = isIP(addr) === 4 ? addr.split('.').map(Number) : ipv6Bytes(addr);
  const prefix = Number(bits);
  if (prefix > bytes.length * 8) return `has a prefix longer than ${bytes.length * 8} bits`;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    if ((bytes[i]! & (0xff >> keep)) !== 0) return 'has address bits set beyond the prefix length';
  }
  return undefined;
}
