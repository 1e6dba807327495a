import type { Rule } from '../../src/types/rule.js';
/** What makes a name fail DNS-1035, in words. */
export declare function dns1035Problems(name: string): string[];
/** A valid name close to the given one, for the message. */
export declare function dns1035Suggestion(name: string): string | undefined;
declare const rule: Rule;
export default rule;
