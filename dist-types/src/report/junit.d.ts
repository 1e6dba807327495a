import type { ReportInput } from './summary.js';
/**
 * JUnit XML for CI systems that read nothing else: a suite per rule, a test case per
 * rule × object with findings (failing, one <failure> per finding), and one passing
 * case for a rule that found nothing; a rule that reads a live cluster is a skipped case
 * in a static run.
 */
export declare function formatJunit(input: ReportInput): string;
