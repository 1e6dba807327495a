import type { Finding } from '../types/finding.js';
import type { ServiceRoutes } from '../graph/routes.js';
import type { ReportInput } from './summary.js';
/** Beyond this many Services, only broken ones and their neighbours are drawn. */
export declare const GRAPH_LIMIT = 40;
/** A Mermaid picture of Services → workloads, grouped by namespace, broken edges dashed and red. */
export declare function mermaid(routes: ServiceRoutes[], findings: Finding[]): string;
/** A pull-request summary: counts, a table of findings with links, the Service graph. */
export declare function formatMarkdown(input: ReportInput): string;
