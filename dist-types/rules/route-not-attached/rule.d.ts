import type { Rule } from '../../src/types/rule.js';
/** Whether a listener hostname and a route hostname intersect (`*.` is a suffix match of one label or more). */
export declare function hostnamesIntersect(listener: string, route: string): boolean;
declare const rule: Rule;
export default rule;
