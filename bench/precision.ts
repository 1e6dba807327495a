import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { fingerprint } from '../src/engine/fingerprint.js';
import type { Finding } from '../src/types/finding.js';
import { BIN, CORPUS, ROOT } from '../test/helpers.js';

/**
 * Precision on the labelled corpus: every error and warning svclint gives on ../shared/corpus
 * (one run, `svclint ../shared/corpus`) has a verdict in test/corpus/labels.yaml, keyed by
 * its fingerprint (src/engine/fingerprint.ts) and the file it is in, relative to the corpus.
 *
 *   npm run precision                  # lint the corpus, print precision per rule and severity
 *   npm run precision -- report.json   # the same for a saved `-f json` report of that run
 */

export type Verdict = 'TRUE' | 'DEBATABLE' | 'FALSE';
export const VERDICTS: readonly Verdict[] = ['TRUE', 'DEBATABLE', 'FALSE'];

export interface Label {
  fingerprint: string;
  file: string;
  rule: string;
  object?: string;
  verdict: Verdict;
  reason: string;
}

export const LABELS = path.join(ROOT, 'test', 'corpus', 'labels.yaml');

export function loadLabels(file = LABELS): Map<string, Label> {
  const doc = parse(readFileSync(file, 'utf8')) as { labels?: Label[] } | null;
  const out = new Map<string, Label>();
  for (const l of doc?.labels ?? []) {
    // YAML reads an unquoted TRUE or FALSE as a boolean.
    const v = l.verdict as unknown;
    if (typeof v === 'boolean') l.verdict = v ? 'TRUE' : 'FALSE';
    if (!VERDICTS.includes(l.verdict)) throw new Error(`${file}: label ${l.fingerprint} has verdict '${String(l.verdict)}' (one of ${VERDICTS.join(', ')})`);
    if (typeof l.reason !== 'string' || l.reason.trim() === '') throw new Error(`${file}: label ${l.fingerprint} has no reason`);
    out.set(key(l.fingerprint, l.file), l);
  }
  return out;
}

export const key = (fp: string, file: string): string => `${fp} ${file}`;

/** A finding's file relative to the corpus, with forward slashes. */
export function corpusFile(f: Pick<Finding, 'location'>): string {
  const file = f.location?.file ?? '';
  return path.relative(CORPUS, path.resolve(ROOT, file)).split(path.sep).join('/');
}

export interface Judged {
  finding: Finding;
  fingerprint: string;
  file: string;
  label?: Label;
}

/** The errors and warnings of a report, each with its label (if any). */
export function judge(findings: readonly Finding[], labels: Map<string, Label>): Judged[] {
  return findings
    .filter((f) => f.severity !== 'info')
    .map((finding) => {
      // The report's own fingerprint (computed from the message data, which JSON does not carry).
      const fp = (finding as Finding & { fingerprint?: string }).fingerprint ?? fingerprint(finding);
      const file = corpusFile(finding);
      return { finding, fingerprint: fp, file, label: labels.get(key(fp, file)) };
    });
}

/** A label ready to paste into labels.yaml for an unlabelled finding. */
export function labelStub(j: Judged): string {
  const f = j.finding;
  const object = f.object ? `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` : undefined;
  return [
    `  - fingerprint: ${j.fingerprint}`,
    `    file: ${JSON.stringify(j.file)}`,
    `    rule: ${f.ruleId}`,
    ...(object ? [`    object: ${JSON.stringify(object)}`] : []),
    `    severity: ${f.severity}`,
    `    message: ${JSON.stringify(f.message.slice(0, 300))}`,
    '    verdict: ',
    '    reason: ',
  ].join('\n');
}

interface Row { rule: string; severity: string; TRUE: number; DEBATABLE: number; FALSE: number; unlabelled: number }

/** Precision per rule and severity, then per severity: TRUE / labelled. */
export function precisionTable(judged: readonly Judged[]): string {
  const rows = new Map<string, Row>();
  const totals = new Map<string, Row>();
  const add = (m: Map<string, Row>, rule: string, severity: string, j: Judged) => {
    const k = `${rule}|${severity}`;
    let r = m.get(k);
    if (!r) m.set(k, (r = { rule, severity, TRUE: 0, DEBATABLE: 0, FALSE: 0, unlabelled: 0 }));
    if (j.label) r[j.label.verdict]++;
    else r.unlabelled++;
  };
  for (const j of judged) {
    add(rows, j.finding.ruleId, j.finding.severity, j);
    add(totals, 'all rules', j.finding.severity, j);
  }
  const pct = (r: Row) => {
    const n = r.TRUE + r.DEBATABLE + r.FALSE;
    return n ? `${Math.round((100 * r.TRUE) / n)}%` : '-';
  };
  const line = (r: Row) => `| ${r.rule} | ${r.severity} | ${r.TRUE + r.DEBATABLE + r.FALSE + r.unlabelled} | ${r.TRUE} | ${r.DEBATABLE} | ${r.FALSE} | ${r.unlabelled} | ${pct(r)} |`;
  const sorted = (m: Map<string, Row>) => [...m.values()].sort((a, b) => (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : a.rule < b.rule ? -1 : 1));
  return [
    '| rule | severity | findings | TRUE | DEBATABLE | FALSE | unlabelled | precision |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...sorted(rows).map(line),
    ...sorted(totals).map(line),
  ].join('\n');
}

/** Lints the corpus as one run, as the labels were made. */
export function lintCorpus(): Finding[] {
  const r = spawnSync(process.execPath, [BIN, path.relative(ROOT, CORPUS), '-f', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`svclint exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

function main(): void {
  const report = process.argv[2];
  if (!report && !existsSync(CORPUS)) {
    process.stderr.write(`precision: ${CORPUS} is absent; copy shared/ beside the clone or set SVCLINT_CORPUS\n`);
    process.exit(2);
  }
  const findings = report ? (JSON.parse(readFileSync(report, 'utf8')) as { findings: Finding[] }).findings : lintCorpus();
  const judged = judge(findings, loadLabels());
  process.stdout.write(`${precisionTable(judged)}\n`);
  const missing = judged.filter((j) => !j.label);
  if (missing.length) process.stdout.write(`\n${missing.length} unlabelled; add to ${path.relative(ROOT, LABELS)}:\n${missing.map(labelStub).join('\n')}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'dist', 'bench', 'precision.js')) main();
