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
