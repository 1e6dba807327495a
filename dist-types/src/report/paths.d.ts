import type { Location } from '../types/finding.js';
import type { ReportInput } from './summary.js';
/** ` (in rendered output of helm template)`: said in every format for findings in a renderer's output. */
export declare function renderedNote(l: Location | undefined): string;
/** `file:line:col`, or the file alone when no exact line is known (rendered output). */
export declare function position(l: Location, file?: string): string;
/**
 * A finding's file as the repository sees it: relative to GITHUB_WORKSPACE when that is
 * set (CI), else as shown (relative to the working directory). `<stdin>` stays as is.
 */
export declare function repoPath(input: ReportInput, file: string): string;
