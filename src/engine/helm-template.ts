import { parseDocument } from 'yaml';
import type { Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import type { Location } from '../types/finding.js';
import { rangeInDocument, toLocation } from './locate.js';

/** A template with its actions blanked out, offset for offset, and where its documents are. */
interface Skeleton {
  text: string;
  /** Offsets of each document that holds more than actions and blank lines. */
  docs: [number, number][];
}

const skeletons = new WeakMap<SourceFile, Skeleton>();

/**
 * A Helm template read as YAML: a line of actions alone (`{{- if .Values.x }}`, `{{- end }}`)
 * becomes blank, an action inside a line (`port: {{ .Values.port }}`) a plain word of the same
 * length, so every offset of the skeleton is the template's own.
 */
export function skeletonOf(file: SourceFile): Skeleton {
  let s = skeletons.get(file);
  if (s) return s;
  const text = file.text.replace(/\{\{[\s\S]*?\}\}/g, (m) => m.replace(/[^\n]/g, 'x'));
  // A line that is only actions (now only x's) and spaces was a directive: blank it.
  const lines = text.split('\n');
  const original = file.text.split('\n');
  const out = lines.map((l, i) => (/^\s*x+(\s+x+)*\s*$/.test(l) && /^\s*\{\{/.test(original[i] ?? '') && /\}\}\s*$/.test(original[i] ?? '') ? ' '.repeat(l.length) : l)).join('\n');
  const docs: [number, number][] = [];
  let start = 0;
  for (const m of out.matchAll(/^---[ \t]*$/gm)) {
    docs.push([start, m.index]);
    start = m.index + m[0].length;
  }
  docs.push([start, out.length]);
  s = { text: out, docs: docs.filter(([a, b]) => /[^\sx]/.test(out.slice(a, b).replace(/#.*$/gm, ''))) };
  skeletons.set(file, s);
  return s;
}

/** How many documents a template renders when no action adds or drops one. */
export function templateDocuments(file: SourceFile): number {
  return skeletonOf(file).docs.length;
}

/**
 * Where a path of a rendered document is written in its template: the line and columns of
 * the key or value that renders it, when the skeleton holds that exact path and parses
 * without errors; undefined otherwise (the caller names the template without a line).
 */
export function templateLocation(file: SourceFile, docIndex: number, path: Path): Location | undefined {
  const sk = skeletonOf(file);
  const d = sk.docs[docIndex];
  if (!d) return undefined;
  let doc;
  try {
    doc = parseDocument(sk.text.slice(d[0], d[1]), { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  const { range, exact } = rangeInDocument(doc, sk.text, d[0], path);
  return exact ? toLocation(file, range[0], range[1]) : undefined;
}
