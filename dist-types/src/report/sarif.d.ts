import type { Finding } from '../types/finding.js';
import type { ReportInput } from './summary.js';
/**
 * The first fingerprint svclint wrote (rule, message id, object and path; no message data),
 * kept under its key so alerts that code scanning already tracks keep their identity.
 */
export declare function fingerprintV1(f: Finding): string;
/** SARIF 2.1.0: one run, a descriptor per rule, results with regions and related locations. */
export declare function formatSarif(input: ReportInput): string;
