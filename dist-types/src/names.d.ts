export declare const isDNS1123Label: (s: string) => boolean;
export declare const isDNS1035Label: (s: string) => boolean;
export declare const isDNS1123Subdomain: (s: string) => boolean;
export declare const isIPAddress: (s: string) => boolean;
/**
 * What is wrong with a port name (IANA_SVC_NAME), in words; empty when valid. Port names
 * of containers and string targetPorts follow this: at most 15 characters, lowercase
 * letters, digits and '-', at least one letter, no '-' at either end or twice in a row.
 */
export declare function portNameProblems(name: string): string[];
/** What is wrong with a DNS-1123 label, in words; empty when valid. */
export declare function dns1123LabelProblems(name: string): string[];
export declare const PROTOCOLS: string[];
/**
 * Why the API server refuses an IP address in a field validated as an IP (v1.36, with its
 * default strict IP parsing): not an address, an IPv4 octet with a leading 0 (read as octal
 * by libc), or an IPv4-mapped IPv6 address. Undefined when valid.
 */
export declare function ipProblem(s: string): string | undefined;
/**
 * Why an address cannot be an endpoint (Endpoints, EndpointSlices, a Service's
 * externalIPs): the API server refuses unspecified, loopback, link-local and link-local
 * multicast addresses. Undefined when the address may be an endpoint (or is no IP at all).
 */
export declare function endpointIPProblem(s: string): string | undefined;
/** What is wrong with a qualified name (a label key, appProtocol, loadBalancerClass), in words; empty when valid. */
export declare function qualifiedNameProblems(s: string): string[];
/** What is wrong with a label value, in words; empty when valid. */
export declare function labelValueProblems(s: string): string[];
/**
 * Why the API server refuses a CIDR in a field validated as one (v1.36, strict parsing),
 * or undefined: not `address/bits`, a bad address, a prefix too long, or address bits set
 * beyond the prefix (`10.0.0.1/8` for `10.0.0.0/8`).
 */
export declare function cidrProblem(v: string): string | undefined;
