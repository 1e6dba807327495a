import type { Finding } from './types/finding.js';
import type { ServiceGraph } from './types/graph.js';
import type { SourceFile } from './types/source.js';
import type { LoadProblem } from './types/problem.js';
import type { Rule } from './types/rule.js';
import type { TextMemo } from './types/memo.js';
import type { ParseResult } from './load/parse-pool.js';
import type { Locator } from './engine/locate-pool.js';
import { type Config } from './engine/config.js';
export interface LintInput {
    files: SourceFile[];
    /** Parse results in the files' order (from parseAll); parsed here when absent. */
    parsed?: ParseResult[];
    problems?: LoadProblem[];
    config?: Config;
    /** Overrides config.namespace. */
    namespace?: string;
    /** The input is a cluster's live state (svclint doctor --from). */
    live?: boolean;
    rules?: readonly Rule[];
    /** Where pure functions of a text keep their results across runs (the parse cache): it changes no finding. */
    memo?: TextMemo;
}
export interface LintResult {
    graph: ServiceGraph;
    findings: Finding[];
}
/** The pure part of a run: source files in, graph and findings out. */
export declare function buildFromFiles(input: LintInput): ServiceGraph;
export declare function lint(input: LintInput): LintResult;
/**
 * lint(), with positions found by `locator` (a worker thread on large runs: see
 * locate-pool.ts); the findings are the same.
 */
export declare function lintWith(input: LintInput, locator: Locator): Promise<LintResult>;
/** Lints YAML text, as a library call or from tests. */
export declare function lintText(text: string, path?: string, opts?: Omit<LintInput, 'files'>): LintResult;
