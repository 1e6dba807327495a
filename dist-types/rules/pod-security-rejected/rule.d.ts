import type { Rule } from '../../src/types/rule.js';
declare const rule: Rule;
export default rule;
