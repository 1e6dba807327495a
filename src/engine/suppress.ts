import type { K8sObject, Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import type { Finding } from '../types/finding.js';
import { isRecord } from '../load/objects.js';

export const ANNOTATION = 'svclint.dev/disable';

/** A `# svclint-disable-line` / `# svclint-disable-next-line` comment, or the annotation. */
export interface Suppression {
  kind: 'comment' | 'annotation';
  /** Rule ids; empty means every rule. */
  rules: string[];
  used: Set<string>;
  // comment
  file?: SourceFile;
  line?: number;
  offset?: [number, number];
  // annotation
  object?: K8sObject;
  path?: Path;
}

const COMMENT = /(^|\s)#\s*svclint-disable-(next-line|line)\b([^\n]*)$/;

function parseRules(list: string): string[] {
  return list.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s && s !== 'all' && !s.startsWith('--'));
}

/** Suppression comments of a file: on the line itself, or on the line above (`next-line`). */
export function commentSuppressions(file: SourceFile): Suppression[] {
  const out: Suppression[] = [];
  if (!file.text.includes('svclint-disable')) return out;
  const lines = file.text.split('\n');
  let offset = 0;
  lines.forEach((text, i) => {
    const m = COMMENT.exec(text);
    if (m) {
      const start = offset + m.index + m[1]!.length;
      const rest = m[3]!.split(/\s--\s|\s#/)[0]!; // `-- reason` explains; a later `#` starts another comment
      out.push({
        kind: 'comment',
        rules: parseRules(rest),
        used: new Set(),
        file,
        line: m[2] === 'line' ? i + 1 : i + 2,
        offset: [start, offset + text.replace(/\r$/, '').length],
      });
    }
    offset += text.length + 1;
  });
  return out;
}

export function annotationSuppression(o: K8sObject): Suppression | undefined {
  const meta = o.body.metadata;
  const ann = isRecord(meta) && isRecord(meta.annotations) ? meta.annotations[ANNOTATION] : undefined;
  if (typeof ann !== 'string') return undefined;
  return { kind: 'annotation', rules: parseRules(ann), used: new Set(), object: o, path: ['metadata', 'annotations', ANNOTATION] };
}

export function covers(s: Suppression, ruleId: string): boolean {
  return s.rules.length === 0 || s.rules.includes(ruleId);
}

/** Marks and returns whether a finding is suppressed. */
export function isSuppressed(f: Finding, object: K8sObject | undefined, comments: Map<string, Map<number, Suppression[]>>, annotations: Map<K8sObject, Suppression>, valueLine?: number): boolean {
  let hit = false;
  if (f.location) {
    const lines = valueLine !== undefined && valueLine !== f.location.line ? [f.location.line ?? 0, valueLine] : [f.location.line ?? 0];
    for (const line of lines) {
      for (const s of comments.get(f.location.file)?.get(line) ?? []) {
        if (covers(s, f.ruleId)) {
          s.used.add(f.ruleId);
          hit = true;
        }
      }
    }
  }
  const a = object ? annotations.get(object) : undefined;
  if (a && covers(a, f.ruleId)) {
    a.used.add(f.ruleId);
    hit = true;
  }
  return hit;
}
