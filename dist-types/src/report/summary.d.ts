import type { Finding, Severity } from '../types/finding.js';
import type { RuleMeta } from '../types/rule.js';
import type { ServiceRoutes } from '../graph/routes.js';
export interface Summary {
    errors: number;
    warnings: number;
    infos: number;
    files: number;
    objects: number;
    services: number;
    /** What was read, when it was not files (a live cluster): replaces the file count. */
    scope?: string;
    /** Doctor: what could not be read, so "no problems" is never claimed for it. */
    notChecked?: string[];
    /** --new-from-rev: how the findings compare with the base revision's (the report holds the new ones). */
    comparison?: Comparison;
    /** Findings --quiet leaves out (warnings and infos), so "no problems" is not claimed over them. */
    hidden?: number;
}
export interface Comparison {
    /** The revision as given, and the commit it named. */
    against: string;
    commit: string;
    new: number;
    fixed: number;
    existing: number;
}
export interface ReportInput {
    findings: Finding[];
    summary: Summary;
    /** Source text by file path, for code frames. */
    sources: Map<string, string>;
    /** Every rule of the run (SARIF descriptors, JUnit suites). */
    rules?: readonly RuleMeta[];
    /** The Service graph as routes (the markdown summary draws it). */
    routes?: ServiceRoutes[];
    /** Environment for CI formats: GITHUB_WORKSPACE, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA. */
    env?: Record<string, string | undefined>;
    /** Working directory: file paths in findings are relative to it. */
    cwd?: string;
}
export declare function countBySeverity(findings: Finding[]): Record<Severity, number>;
