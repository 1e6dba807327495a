import type { Finding, Location, Severity } from '../types/finding.js';
import type { SourceFile } from '../types/source.js';
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
/**
 * The most related places a finding lists: the first ones say where to look, and a rule that lists
 * all of N objects for each of N findings would write N² of them (1,500 NetworkPolicies over the
 * same pods: a report past JavaScript's longest string).
 */
export declare const MAX_RELATED = 10;
/**
 * A location narrowed to the first place inside it where the source writes `text` verbatim
 * and as a whole word (a URL on line 14 of a ConfigMap's nginx.conf, not the key's line);
 * the location as it is when the source does not (base64, escapes, another file).
 */
export declare function narrowed(file: SourceFile, l: Location, text: string): Location;
export declare function sortFindings(list: Finding[]): Finding[];
