import type { Finding } from '../types/finding.js';
import type { ReportInput } from './summary.js';
/**
 * Stable across commits: what is wrong and where in which object, never line numbers,
 * so code scanning keeps tracking a finding when the file around it moves.
 */
export declare function fingerprint(f: Finding): string;
/** SARIF 2.1.0: one run, a descriptor per rule, results with regions and related locations. */
export declare function formatSarif(input: ReportInput): string;
