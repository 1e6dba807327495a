import type { K8sObject } from '../types/object.js';
import { describe, formatPath, refOf } from '../types/object.js';
import type { Finding, Location, RelatedInfo, Severity } from '../types/finding.js';
import type { SourceFile } from '../types/source.js';
import { lineCounterOf } from '../load/document.js';
import type { ServiceGraph } from '../types/graph.js';
import type { Rule, RuleReport } from '../types/rule.js';
import type { Config } from './config.js';
import { toLocation, trustedLocate, trustedLocation } from './locate.js';
import { inlineLocator, memoized, type Locator } from './locate-pool.js';
import { attachPositions, keepPositions } from './positions.js';
import { mark, ruleTime, timingRules } from '../timing.js';
import { isTypo } from '../text.js';
import { evidenceSeverity } from './rule-kit.js';
import { annotationSuppression, commentSuppressions, isSuppressed, type Suppression } from './suppress.js';

export class InternalError extends Error {
  override name = 'InternalError';
}

export const UNUSED_SUPPRESSION = 'unused-suppression';

export function fillTemplate(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => (k in data ? String(data[k]) : `{{${k}}}`));
}

export function ruleSetting(rule: Rule, config: Config): Severity | 'off' | undefined {
  return config.rules[rule.meta.id]?.severity;
}

/**
 * Runs every enabled rule over the graph and turns their reports into findings:
 * messages from templates, positions from paths, suppressions applied, sorted.
 */
export function runRules(graph: ServiceGraph, rules: readonly Rule[], config: Config): Finding[] {
  const attached = attachPositions(graph.files, graph.memo);
  try {
    return finish(graph, rules, config, check(graph, rules, config, inlineLocator));
  } finally {
    keepPositions(attached);
  }
}

/**
 * runRules() with the positions found by `locator`, which may work on a thread while the
 * rules run; the findings are filtered and sorted once every position is in.
 */
export async function runRulesWith(graph: ServiceGraph, rules: readonly Rule[], config: Config, locator: Locator): Promise<Finding[]> {
  const attached = attachPositions(graph.files, graph.memo);
  try {
    let reports: Reported[];
    try {
      reports = check(graph, rules, config, locator);
      mark('rules');
    } finally {
      await locator.settle();
    }
    mark('positions');
    return finish(graph, rules, config, reports);
  } finally {
    keepPositions(attached);
  }
}

type Reported = { finding: Finding; object?: K8sObject; report: RuleReport };

function check(graph: ServiceGraph, rules: readonly Rule[], config: Config, anyLocator: Locator): Reported[] {
  const locator = memoized(anyLocator);
  const findings: Reported[] = [];
  const timed = timingRules();
  for (const rule of rules) {
    const setting = ruleSetting(rule, config);
    if (setting === 'off') continue;
    const options = { ...(rule.meta.defaultOptions ?? {}), ...(config.rules[rule.meta.id]?.options ?? {}) };
    const contract = { graph, complete: config.completeInput === true };
    const report = (r: RuleReport) => {
      const finding = toFinding(rule, setting, r, locator, contract);
      if (finding) findings.push({ finding, object: r.object, report: r });
    };
    const started = timed ? performance.now() : 0;
    try {
      rule.check({ graph, options, report });
      if (timed) ruleTime(rule.meta.id, performance.now() - started);
    } catch (err) {
      throw new InternalError(`rule '${rule.meta.id}' crashed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return findings;
}

function finish(graph: ServiceGraph, rules: readonly Rule[], config: Config, findings: Reported[]): Finding[] {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));

  const comments = new Map<string, Map<number, Suppression[]>>();
  const allSuppressions: Suppression[] = [];
  for (const file of graph.files) {
    const list = commentSuppressions(file);
    if (list.length === 0) continue;
    const byLine = new Map<number, Suppression[]>();
    for (const s of list) {
      byLine.set(s.line!, [...(byLine.get(s.line!) ?? []), s]);
      allSuppressions.push(s);
    }
    comments.set(file.path, byLine);
  }
  const annotations = new Map<K8sObject, Suppression>();
  for (const o of graph.objects) {
    const s = annotationSuppression(o);
    if (s) {
      annotations.set(o, s);
      allSuppressions.push(s);
    }
  }

  // Suppression comments are read where they are, in rendered output too; positions then move to real files.
  const kept = findings.filter((f) => !isSuppressed(f.finding, f.object, comments, annotations, valueLines.get(f.finding))).map((f) => inRealFiles(f.finding, f.report));

  const unused = byId.get(UNUSED_SUPPRESSION);
  if (unused && ruleSetting(unused, config) !== 'off') {
    for (const s of allSuppressions) {
      const unknown = s.rules.filter((id) => !byId.has(id));
      const idle = s.rules.length === 0 ? (s.used.size === 0 ? ['all'] : []) : s.rules.filter((id) => byId.has(id) && !s.used.has(id));
      const reports: RuleReport[] = [];
      const where = s.kind === 'comment'
        ? { file: { source: s.file, path: s.file!.path, range: s.offset } }
        : { object: s.object, path: s.path };
      for (const id of unknown) {
        const near = [...byId.keys()].map((n) => ({ n, d: isTypo(id, n) })).filter((x) => x.d !== undefined).sort((a, b) => a.d! - b.d!)[0];
        reports.push({ messageId: 'unknownRule', data: { rule: id, hint: near ? `; did you mean \`${near.n}\`?` : '' }, ...where });
      }
      if (idle.length) reports.push({ messageId: 'unused', data: { rules: idle.map((r) => `'${r}'`).join(', ') }, ...where });
      for (const r of reports) kept.push(inRealFiles(toFinding(unused, ruleSetting(unused, config), r)!, r));
    }
  }
  return sortFindings(dedupe(kept));
}

function toFinding(rule: Rule, setting: Severity | 'off' | undefined, r: RuleReport, locator: Locator = inlineLocator, contract?: { graph: ServiceGraph; complete: boolean }): Finding | undefined {
  const { meta } = rule;
  const template = meta.messages[r.messageId];
  if (template === undefined) throw new InternalError(`rule '${meta.id}' reported unknown messageId '${r.messageId}'`);
  // The severity contract (rule-kit.ts) caps a finding that rests on what the input lacks, whatever the setting.
  const judged = setting && setting !== 'off' ? setting : r.severity ?? meta.severity;
  const { severity, note, drop } = contract ? evidenceSeverity(contract.graph, contract.complete, r, judged) : { severity: judged, note: '', drop: false };
  if (drop) return undefined;
  const f: Finding = {
    ruleId: meta.id,
    messageId: r.messageId,
    category: meta.category,
    severity,
    ...(severity !== judged ? { ruleSeverity: judged } : {}),
    message: fillTemplate(template, r.data) + note,
    ...(r.data ? { data: r.data } : {}),
    remediation: r.remediation ?? meta.remediation,
    path: r.path ? formatPath(r.path) : '',
    related: [],
  };
  if (r.object) {
    f.object = refOf(r.object);
    const origin = r.object.origin;
    if (origin) {
      locator.at(origin, r.path ?? [], (l) => {
        f.location = r.text ? narrowed(origin.file, l, r.text) : l;
        // A suppression comment on the line where the value starts (`nginx.conf: |  # svclint-disable-line …`) still applies.
        if (f.location !== l && l.line !== undefined) valueLines.set(f, l.line);
      });
    }
  } else if (r.file) {
    if (r.file.source && r.file.range) f.location = toLocation(r.file.source, r.file.range[0], r.file.range[1]);
    else f.location = { file: r.file.path, line: 1, column: 1, endLine: 1, endColumn: 1 };
  }
  for (const rel of (r.related ?? []).slice(0, MAX_RELATED)) {
    const info: RelatedInfo = { message: rel.message, object: refOf(rel.object), path: formatPath(rel.path) };
    if (rel.object.origin) locator.at(rel.object.origin, rel.path, (l) => (info.location = l));
    f.related.push(info);
  }
  return f;
}

/**
 * The most related places a finding lists: the first ones say where to look, and a rule that lists
 * all of N objects for each of N findings would write N² of them (1,500 NetworkPolicies over the
 * same pods: a report past JavaScript's longest string).
 */
export const MAX_RELATED = 10;

/** The line where a finding's value starts, for findings narrowed to a text inside it. */
const valueLines = new WeakMap<Finding, number>();

/** Characters that continue a host or a URL: a match of `api` inside `api-cache` is not the text. */
const WORD = /[A-Za-z0-9_.\-]/;

/**
 * A location narrowed to the first place inside it where the source writes `text` verbatim
 * and as a whole word (a URL on line 14 of a ConfigMap's nginx.conf, not the key's line);
 * the location as it is when the source does not (base64, escapes, another file).
 */
export function narrowed(file: SourceFile, l: Location, text: string): Location {
  if (file.rendered || l.file !== file.path || l.line === undefined || l.column === undefined || l.endLine === undefined || l.endColumn === undefined || !text) return l;
  const starts = lineCounterOf(file).lineStarts;
  const from = starts[l.line - 1];
  const to = starts[l.endLine - 1];
  if (from === undefined || to === undefined) return l;
  const start = from + l.column - 1;
  const end = to + l.endColumn - 1;
  for (let i = file.text.indexOf(text, start); i >= 0 && i + text.length <= end; i = file.text.indexOf(text, i + 1)) {
    const before = file.text[i - 1];
    const after = file.text[i + text.length];
    if ((before === undefined || !WORD.test(before) || !WORD.test(text[0]!)) && (after === undefined || !WORD.test(after) || !WORD.test(text.at(-1)!))) return toLocation(file, i, i + text.length);
  }
  return l;
}

/** Positions in a renderer's output, mapped to a real file's line when exact, else to the file alone (trustedLocation). */
function inRealFiles(f: Finding, r: RuleReport): Finding {
  if (r.object?.origin?.file.rendered) f.location = trustedLocate(r.object.origin, r.path ?? []);
  else if (r.file?.source?.rendered && r.file.range) f.location = trustedLocation(r.file.source, r.file.range[0], r.file.range[1]);
  (r.related ?? []).forEach((rel, i) => {
    if (rel.object.origin?.file.rendered && f.related[i]) f.related[i]!.location = trustedLocate(rel.object.origin, rel.path);
  });
  return f;
}

function dedupe(list: Finding[]): Finding[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const key = `${f.ruleId}|${f.location?.file}|${f.location?.line}|${f.location?.column}|${f.object ? describe(f.object) : ''}|${f.path}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => {
    const fa = a.location?.file ?? '\uffff';
    const fb = b.location?.file ?? '\uffff';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0)
      || (a.location?.column ?? 0) - (b.location?.column ?? 0)
      || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
      || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
  });
}
