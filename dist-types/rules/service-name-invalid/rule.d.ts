import type { Rule } from '../../src/types/rule.js';
/**
 * Kubernetes 1.36 relaxed Service names to DNS-1123 labels (KEP-5311, the
 * RelaxedServiceNameValidation gate, on by default from 1.36): a leading digit is
 * accepted there, and refused by older API servers.
 */
export declare function relaxedServiceNames(kubernetesVersion: string): boolean;
/** What makes a name fail DNS-1035, in words. */
export declare function dns1035Problems(name: string, relaxed?: boolean): string[];
/** A valid name close to the given one, for the message. */
export declare function dns1035Suggestion(name: string): string | undefined;
declare const rule: Rule;
export default rule;
