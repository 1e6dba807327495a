import type { Finding, Severity } from '../types/finding.js';

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  files: number;
  objects: number;
  services: number;
}

export interface ReportInput {
  findings: Finding[];
  summary: Summary;
  /** Source text by file path, for code frames. */
  sources: Map<string, string>;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
