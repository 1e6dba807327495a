import type { ReportInput } from './summary.js';
export declare const FORMATS: readonly ['stylish', 'json', 'sarif', 'github', 'markdown', 'junit'];
export type Format = (typeof FORMATS)[number];
export declare function format(name: Format, input: ReportInput, opts: {
    color: boolean;
}): string;
export type { ReportInput, Summary } from './summary.js';
export { countBySeverity } from './summary.js';
