import type { ReportInput } from './summary.js';
/** Escaping of workflow command data (the message). */
export declare function escapeData(s: string): string;
/** Escaping of workflow command properties (file, title): also `:` and `,`. */
export declare function escapeProperty(s: string): string;
/** GitHub Actions workflow commands: one annotation per finding. */
export declare function formatGithub(input: ReportInput): string;
