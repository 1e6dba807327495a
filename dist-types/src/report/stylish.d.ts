import type { ReportInput } from './summary.js';
export interface StylishOptions {
    color: boolean;
    /** Lines of context shown above the finding's line. */
    context?: number;
}
/** Human output: `file:line:col: severity: message [rule]`, a code frame, the fix and related objects. */
export declare function formatStylish(input: ReportInput, opts: StylishOptions): string;
