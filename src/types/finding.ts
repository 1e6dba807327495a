import type { ObjectRef } from './object.js';

export type Severity = 'error' | 'warning' | 'info';
export type Category = 'syntax' | 'schema' | 'selector' | 'endpoints' | 'port' | 'dns' | 'reference';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];
export const CATEGORIES: readonly Category[] = ['syntax', 'schema', 'selector', 'endpoints', 'port', 'dns', 'reference'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * A 1-based source range; `endColumn` is exclusive (the column just past the range), as in
 * SARIF. A finding in a renderer's output that maps to no exact line of a real file has a
 * file and no range.
 */
export interface Location {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Set when the finding is in a renderer's output (helm template, kustomize build) for this file. */
  rendered?: 'helm' | 'kustomize';
  /** Kustomize: the folder whose build rendered it (`overlays/prod`), where a base shared by overlays is reported. */
  build?: string;
}

export interface RelatedInfo {
  message: string;
  object?: ObjectRef;
  path?: string;
  location?: Location;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  category: Category;
  severity: Severity;
  /** The rule's own severity where the severity contract (rule-kit.ts) lowered it: what the rule judged, before the evidence was weighed. */
  ruleSeverity?: Severity;
  message: string;
  /** The values filled into the message template (the fingerprint reads them, not the wording). */
  data?: Record<string, string | number>;
  remediation: string;
  object?: ObjectRef;
  path: string;
  location?: Location;
  related: RelatedInfo[];
}
