import type { Rule } from '../../src/types/rule.js';
/**
 * The engine reports these after every other rule has run, since only then is it known
 * which suppressions were used. The module holds the metadata that configures them.
 */
declare const rule: Rule;
export default rule;
