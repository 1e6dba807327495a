import type { ReportInput } from './summary.js';
/** The JSON contract (documented in the README): versioned; fields are only ever added. */
export declare function formatJson(input: ReportInput): string;
