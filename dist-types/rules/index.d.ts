import type { Rule } from '../src/types/rule.js';
/** Every rule, in the order `svclint rules` lists them. One line per rule folder. */
export declare const RULES: readonly Rule[];
