import { parseDocument, stringify } from 'yaml';
import type { Finding, Severity } from '../types/finding.js';
import { describe } from '../types/object.js';
import type { RuleMeta } from '../types/rule.js';
import { UsageError } from '../errors.js';
import { fillTemplate } from './engine.js';
import { fingerprint } from './fingerprint.js';

/**
 * Findings of two runs matched as multisets (a problem found twice before and three times
 * now is one new finding), in two passes: first by fingerprint, then what is left by place
 * alone (rule, object and path), so a finding whose message data changed because a
 * neighbour changed (the nearest candidate, a count of pod templates) is still the one
 * that was there. `added` and `existing` keep the order of `now`; `fixed` that of `before`.
 */
export interface Comparison {
  added: Finding[];
  fixed: Finding[];
  existing: Finding[];
}

/** Where a finding is, without what it says: the second pass of a comparison. */
export function placeKey(f: Finding): string {
  return f.object ? `${f.ruleId}\u001e${describe(f.object)}\u001e${f.path}` : `${f.ruleId}\u001e${f.location?.file ?? ''}\u001e${f.message}`;
}

const placeOfEntry = (e: BaselineEntry) => (e.object ? `${e.rule}\u001e${e.object}\u001e${e.path ?? ''}` : `${e.rule}\u001e${e.file ?? ''}\u001e${e.message}`);

/** Pairs items of `now` with items of `before` by exact key, then by place; returns the indexes paired. */
function pair<B, N>(before: B[], now: N[], exact: [(b: B) => string, (n: N) => string], place: [(b: B) => string, (n: N) => string]): { nowMatched: boolean[]; beforeMatched: boolean[] } {
  const beforeMatched = before.map(() => false);
  const nowMatched = now.map(() => false);
  for (const [kb, kn] of [exact, place]) {
    const free = new Map<string, number[]>();
    before.forEach((b, i) => {
      if (beforeMatched[i]) return;
      const k = kb(b);
      const list = free.get(k);
      if (list) list.push(i);
      else free.set(k, [i]);
    });
    now.forEach((n, i) => {
      if (nowMatched[i]) return;
      const j = free.get(kn(n))?.shift();
      if (j === undefined) return;
      nowMatched[i] = true;
      beforeMatched[j] = true;
    });
  }
  return { nowMatched, beforeMatched };
}

/** Which findings of `now` the change introduced, which of `before` it fixed, which were already there. */
export function compareFindings(before: Finding[], now: Finding[]): Comparison {
  const fps = new Map<Finding, string>();
  const fp = (f: Finding) => {
    let v = fps.get(f);
    if (v === undefined) fps.set(f, (v = fingerprint(f)));
    return v;
  };
  const m = pair(before, now, [fp, fp], [placeKey, placeKey]);
  return {
    added: now.filter((_, i) => !m.nowMatched[i]),
    existing: now.filter((_, i) => m.nowMatched[i]),
    fixed: before.filter((_, i) => !m.beforeMatched[i]),
  };
}

/** What compareFindings matches a finding by: its fingerprint, then its place. */
export interface MatchKeys {
  fingerprint: string;
  place: string;
}

export function matchKeys(f: Finding): MatchKeys {
  return { fingerprint: fingerprint(f), place: placeKey(f) };
}

/** The findings of `now` that compareFindings(before, now) gives as added, with `before` given by their matchKeys (kept from an earlier lint). */
export function addedSince(before: MatchKeys[], now: Finding[]): Finding[] {
  const m = pair(before, now, [(b) => b.fingerprint, fingerprint], [(b) => b.place, placeKey]);
  return now.filter((_, i) => !m.nowMatched[i]);
}

/** "2 new, 1 fixed, 5 already there" */
export function comparisonLine(c: { added: number; fixed: number; existing: number }): string {
  return `${c.added} new, ${c.fixed} fixed, ${c.existing} already there`;
}

/** One line of a baseline file: what the finding was, readable in a review. */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  object?: string;
  path?: string;
  file?: string;
  message: string;
}

export const BASELINE_HEADER = [
  'svclint baseline: findings known when it was written. `svclint --baseline FILE` does not',
  'report them and reports entries that no longer occur, so the file shrinks as they are fixed.',
  'Rewrite it with `svclint --write-baseline FILE`.',
];

function entryOf(f: Finding): BaselineEntry {
  return {
    fingerprint: fingerprint(f),
    rule: f.ruleId,
    ...(f.object ? { object: describe(f.object) } : {}),
    ...(f.path ? { path: f.path } : {}),
    ...(!f.object && f.location ? { file: f.location.file } : {}),
    message: f.message,
  };
}

const order = (e: BaselineEntry) => [e.object ?? `~${e.file ?? ''}`, e.path ?? '', e.rule, e.fingerprint];

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const x = order(a);
  const y = order(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** The baseline file of `findings`: YAML, one entry per finding, sorted by object, path and rule (no lines, so it diffs well). */
export function formatBaseline(findings: Finding[]): string {
  const entries = findings.map(entryOf).sort(compareEntries);
  const body = stringify({ version: 1, findings: entries }, { lineWidth: 0 });
  return `${BASELINE_HEADER.map((l) => `# ${l}`).join('\n')}\n${body}`;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
  /** 1-based line of each entry, in entries' order (for stale-entry findings). */
  lines: number[];
}

const FP = /^[0-9a-f]{32}$/;

/** Reads a baseline file's text; a file of the wrong shape is a usage error naming the entry. */
export function parseBaseline(text: string, file: string): Baseline {
  const doc = parseDocument(text, { keepSourceTokens: false, logLevel: 'error' });
  if (doc.errors.length) throw new UsageError(`--baseline ${file}: not YAML (${doc.errors[0]!.message.split('\n')[0]}); rewrite it with --write-baseline`);
  const value = doc.toJS() as unknown;
  const list = value && typeof value === 'object' && !Array.isArray(value) ? (value as { version?: unknown; findings?: unknown }) : undefined;
  if (!list || list.version !== 1 || !Array.isArray(list.findings)) throw new UsageError(`--baseline ${file}: not a svclint baseline (version: 1 and a findings list); write one with --write-baseline`);
  const entries: BaselineEntry[] = [];
  list.findings.forEach((e: unknown, i: number) => {
    const r = e as Partial<BaselineEntry> | null;
    if (!r || typeof r !== 'object' || typeof r.fingerprint !== 'string' || !FP.test(r.fingerprint) || typeof r.rule !== 'string') {
      throw new UsageError(`--baseline ${file}: entry ${i + 1} has no fingerprint of 32 hex digits and rule; rewrite the file with --write-baseline`);
    }
    entries.push({ fingerprint: r.fingerprint, rule: r.rule, message: String(r.message ?? ''), ...(typeof r.object === 'string' ? { object: r.object } : {}), ...(typeof r.path === 'string' ? { path: r.path } : {}), ...(typeof r.file === 'string' ? { file: r.file } : {}) });
  });
  const where = new Map<string, number[]>();
  text.split('\n').forEach((l, i) => {
    const m = /fingerprint:\s*["']?([0-9a-f]{32})/.exec(l);
    if (m) where.set(m[1]!, [...(where.get(m[1]!) ?? []), i + 1]);
  });
  const lines = entries.map((e) => where.get(e.fingerprint)?.shift() ?? 1);
  return { file, entries, lines };
}

export interface BaselineResult {
  /** Findings the baseline does not know. */
  kept: Finding[];
  /** How many findings it knew. */
  known: number;
  /** Entries that matched no finding, with their lines. */
  stale: { entry: BaselineEntry; line: number }[];
}

/** Leaves out the findings the baseline knows (as a multiset: an entry covers one finding; by fingerprint, then by place). */
export function applyBaseline(findings: Finding[], baseline: Baseline): BaselineResult {
  const m = pair(baseline.entries, findings, [(e) => e.fingerprint, fingerprint], [placeOfEntry, placeKey]);
  const kept = findings.filter((_, i) => !m.nowMatched[i]);
  const stale = baseline.entries.map((entry, i) => ({ entry, line: baseline.lines[i]!, used: m.beforeMatched[i] })).filter((x) => !x.used).map(({ entry, line }) => ({ entry, line }));
  return { kept, known: findings.length - kept.length, stale };
}

/**
 * Stale entries as findings of `unused-suppression` (a baseline entry is a suppression),
 * at the entry's line in the baseline file; none when that rule is off.
 */
export function staleFindings(stale: BaselineResult['stale'], file: string, meta: RuleMeta, setting: Severity | 'off' | undefined): Finding[] {
  if (setting === 'off') return [];
  const template = meta.messages.staleBaseline ?? '';
  return stale.map(({ entry, line }) => {
    const data = { fingerprint: entry.fingerprint, rule: `'${entry.rule}'`, where: entry.object ?? entry.file ?? 'a file' };
    return {
      ruleId: meta.id,
      messageId: 'staleBaseline',
      category: meta.category,
      severity: setting ?? meta.severity,
      message: fillTemplate(template, data),
      data,
      remediation: 'Remove the entry, or rewrite the file with --write-baseline.',
      path: '',
      location: { file, line, column: 1, endLine: line, endColumn: 1 },
      related: [],
    };
  });
}
