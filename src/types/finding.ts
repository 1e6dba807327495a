import type { ObjectRef } from './object.js';

export type Severity = 'error' | 'warning' | 'info';
export type Category = 'syntax' | 'schema' | 'selector' | 'endpoints' | 'port' | 'dns' | 'reference';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];
export const CATEGORIES: readonly Category[] = ['syntax', 'schema', 'selector', 'endpoints', 'port', 'dns', 'reference'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** A 1-based source range; `endColumn` is exclusive (the column just past the range), as in SARIF. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Set when the position is in a renderer's output for this file (helm template, kustomize). */
  rendered?: 'helm' | 'kustomize';
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
  message: string;
  remediation: string;
  object?: ObjectRef;
  path: string;
  location?: Location;
  related: RelatedInfo[];
}
