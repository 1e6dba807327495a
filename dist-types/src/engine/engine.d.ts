import type { Finding, Severity } from '../types/finding.js';
import type { ServiceGraph } from '../types/graph.js';
import type { Rule } from '../types/rule.js';
import type { Config } from './config.js';
import { type Locator } from './locate-pool.js';
export declare class InternalError extends Error {
    name: string;
}
export declare const UNUSED_SUPPRESSION = "unused-suppression";
export declare function fillTemplate(template: string, data?: Record<string, string | number>): string;
export declare function ruleSetting(rule: Rule, config: Config): Severity | 'off' | undefined;
/**
 * Runs every enabled rule over the graph and turns their reports into findings:
 * messages from templates, positions from paths, suppressions applied, sorted.
 */
export declare function runRules(graph: ServiceGraph, rules: readonly Rule[], config: Config): Finding[];
/**
 * runRules() with the positions found by `locator`, which may work on a thread while the
 * rules run; the findings are filtered and sorted once every position is in.
 */
export declare function runRulesWith(graph: ServiceGraph, rules: readonly Rule[], config: Config, locator: Locator): Promise<Finding[]>;
export declare function sortFindings(list: Finding[]): Finding[];
