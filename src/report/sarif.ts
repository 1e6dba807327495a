import { createHash } from 'node:crypto';
import type { Finding, Location, Severity } from '../types/finding.js';
import { fingerprint } from '../engine/fingerprint.js';
import { describe } from '../types/object.js';
import { DOCS_BASE, VERSION } from '../version.js';
import { renderedNote, repoPath } from './paths.js';
import type { ReportInput } from './summary.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

const pascal = (id: string) => id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** The artifact, and a region only when the line is known (not for unmapped rendered output). */
function physical(input: ReportInput, l: Location) {
  const artifactLocation = { uri: encodeURI(repoPath(input, l.file)), uriBaseId: '%SRCROOT%' };
  if (l.line === undefined) return { artifactLocation };
  return { artifactLocation, region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn } };
}

/**
 * The first fingerprint svclint wrote (rule, message id, object and path; no message data),
 * kept under its key so alerts that code scanning already tracks keep their identity.
 */
export function fingerprintV1(f: Finding): string {
  const where = f.object ? `${describe(f.object)}|${f.path}` : `${f.location?.file ?? ''}|${f.message}`;
  return createHash('sha256').update(`${f.ruleId}|${f.messageId}|${where}`).digest('hex').slice(0, 32);
}

/** SARIF 2.1.0: one run, a descriptor per rule, results with regions and related locations. */
export function formatSarif(input: ReportInput): string {
  const rules = input.rules ?? [];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = input.findings.map((f) => {
    const related = f.related
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.location)
      .map(({ r, i }) => ({ id: i + 1, physicalLocation: physical(input, r.location!), message: { text: r.object ? `${describe(r.object)}: ${r.message}` : r.message } }));
    const logical = f.object ? [{ fullyQualifiedName: `${describe(f.object)}${f.path ? ` ${f.path}` : ''}`, kind: 'object' }] : undefined;
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.message}${renderedNote(f.location)}` },
      locations: [
        {
          ...(f.location ? { physicalLocation: physical(input, f.location) } : {}),
          ...(logical ? { logicalLocations: logical } : {}),
        },
      ],
      ...(related.length ? { relatedLocations: related } : {}),
      // v2 is the fingerprint of baselines and --new-from-rev (src/engine/fingerprint.ts).
      partialFingerprints: { 'svclint/v1': fingerprintV1(f), 'svclint/v2': fingerprint(f) },
      properties: { category: f.category, remediation: f.remediation },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'svclint',
            informationUri: DOCS_BASE,
            version: VERSION,
            semanticVersion: VERSION,
            rules: rules.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.description },
              fullDescription: { text: `${r.description} ${r.remediation}` },
              help: { text: `${r.remediation} See ${DOCS_BASE}/blob/main/rules/${r.id}/README.md`, markdown: `${r.remediation}\n\n[Rule documentation](${DOCS_BASE}/blob/main/rules/${r.id}/README.md)` },
              helpUri: `${DOCS_BASE}/blob/main/rules/${r.id}/README.md`,
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { category: r.category, tags: ['kubernetes', r.category] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
