import type { ReportInput } from './summary.js';
import { fingerprint } from '../engine/fingerprint.js';

/** The JSON contract (documented in the README): versioned; fields are only ever added. */
export function formatJson(input: ReportInput): string {
  const findings = input.findings.map((f) => ({
    ruleId: f.ruleId,
    messageId: f.messageId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    remediation: f.remediation,
    ...(f.object ? { object: { kind: f.object.kind, namespace: f.object.namespace ?? null, name: f.object.name } } : {}),
    path: f.path,
    fingerprint: fingerprint(f),
    ...(f.location ? { location: f.location } : {}),
    related: f.related.map((r) => ({
      message: r.message,
      ...(r.object ? { object: { kind: r.object.kind, namespace: r.object.namespace ?? null, name: r.object.name } } : {}),
      ...(r.path !== undefined ? { path: r.path } : {}),
      ...(r.location ? { location: r.location } : {}),
    })),
  }));
  return `${JSON.stringify({ version: 1, findings, summary: input.summary }, null, 2)}\n`;
}
