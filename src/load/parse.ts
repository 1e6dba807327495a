import { isRecord } from './objects.js';
import { Composer, Parser, isCollection, isScalar, visit, type Document, type YAMLError } from 'yaml';
import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { markSyntaxProblems, PARSE_OPTIONS, STRICT_PARSE_OPTIONS } from './document.js';
import { fastDocuments, readFlowLenient, readLenient } from './fast-parse.js';
import { splitDocuments } from './split.js';
import { clip } from '../text.js';

export interface ParsedDocument {
  index: number;
  /** Offsets of the document in the file's text, to find its nodes again later. */
  range: [number, number];
  /** The document as plain data. Empty and null documents are not kept (they hold no object). */
  value: unknown;
}

export interface ParsedFile {
  file: SourceFile;
  docs: ParsedDocument[];
}

/** A syntax problem as offsets into the text: plain data, so worker threads can return it. */
export interface SyntaxProblem {
  messageId: string;
  data: Record<string, string | number>;
  range: [number, number];
}

/** Aliases allowed per document before it is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/**
 * What the aliases of a file may add, in bytes of the values they expand to (as JSON):
 * this many times the file's size, plus EXPANSION_SLACK_BYTES. Values are copied when they
 * leave a parser thread and walked by the rules, so what counts is what they expand to,
 * not how many aliases there are.
 */
export const EXPANSION_FACTOR = 4;

/**
 * Largest document the `yaml` package reads (the fast path has no such limit): its node
 * trees take up to 250 times the text (a long list of short items), so a 32 MiB document
 * would need 8 GB. 3 MiB is what the API server accepts as one request's body, so a
 * larger document could not be applied anyway.
 */
export const MAX_FULL_PARSE_DOCUMENT_BYTES = 3 * 2 ** 20;
export const EXPANSION_SLACK_BYTES = 2 ** 20;

/**
 * The size of a value as JSON, counted until it passes `limit` (then a number above it):
 * shared values (what aliases make) count every time they appear.
 */
export function expandedBytes(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= limit) {
    const v = stack.pop();
    if (typeof v === 'string') total += v.length + 2;
    else if (Array.isArray(v)) {
      total += 2 + v.length;
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      total += 2 + keys.length;
      for (const k of keys) {
        total += k.length + 3;
        stack.push((v as Record<string, unknown>)[k]);
      }
    } else total += 8;
  }
  return total;
}

/**
 * Parses every YAML (or JSON) document of a text into plain values. Documents with syntax
 * errors become problems; the other documents are kept. Scalars are read as kubectl reads
 * them (scalars.ts). Most texts take the fast path (fast-parse.ts: a document splitter and
 * js-yaml); the rest, and every text with an error, are read by the `yaml` package, which
 * gives the same values (test/differential.test.ts). Node trees are not kept: the locator
 * builds them again for the few documents that have findings.
 */
export function parseText(text: string): { docs: ParsedDocument[]; problems: SyntaxProblem[] } {
  const parts = fastDocuments(text);
  if (!parts) return parseWithYaml(text);
  const docs: ParsedDocument[] = [];
  // One expansion budget for the whole text, shared by the documents read alone.
  const budget = { left: EXPANSION_FACTOR * text.length + EXPANSION_SLACK_BYTES };
  for (const part of parts) {
    if (!('leave' in part)) {
      docs.push({ index: part.index, range: [part.start, part.end], value: part.value });
      continue;
    }
    // A document the value parser leaves is read alone by the `yaml` package (documents are
    // independent: anchors, tags and errors do not cross `---`); one with an error sends the
    // whole text there, so errors are found and reported exactly as before.
    const one = parseWithYaml(text.slice(part.start, part.end), budget);
    if (one.problems.length > 0 || one.docs.length > 1) return parseWithYaml(text);
    const d = one.docs[0];
    if (d) docs.push({ index: part.index, range: [part.start + d.range[0], part.start + d.range[1]], value: d.value });
  }
  return { docs, problems: [] };
}

/** The full parse with the `yaml` package: values and syntax problems. */
export function parseWithYaml(text: string, budget?: { left: number }): { docs: ParsedDocument[]; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = [];
  const docs: ParsedDocument[] = [];
  text = withoutHugeDocuments(text, problems);
  // What aliases may still add in this text (see EXPANSION_FACTOR), or in the whole text a document was cut from.
  const left = budget ?? { left: EXPANSION_FACTOR * text.length + EXPANSION_SLACK_BYTES };
  // One document at a time (what parseAllDocuments does, without holding every node tree at once).
  // Duplicate keys are found in linear time (mayRepeatKeys); the `yaml` package's own check
  // compares every key with every other (20,000 keys: 15 s). Only a text whose documents
  // may repeat a key or have errors is composed again with it, for its exact errors.
  const stream = new Composer(PARSE_OPTIONS).compose(new Parser().parse(text));
  let strict: YAMLError[][] | undefined;
  const strictErrors = (i: number): YAMLError[] => {
    strict ??= Array.from(new Composer(STRICT_PARSE_OPTIONS).compose(new Parser().parse(text)), (d) => d.errors);
    return strict[i] ?? [];
  };
  let index = -1;
  // The end of a document read as the splitter cut it (below): documents `yaml` found inside it are part of it.
  let covered = -1;
  const each = (doc: Document.Parsed) => {
    if (doc.range[0] < covered) return;
    index++;
    // A quoted scalar whose continuation lines sit left of its key is an error to `yaml` and
    // fine to go-yaml (kubectl) and js-yaml: read such a document as kubectl does.
    if (doc.errors[0]?.code === 'MISSING_CHAR' && /closing .?quote/i.test(doc.errors[0].message) && closesAtLineEnd(text, doc.errors[0].pos[0])) {
      // `yaml` ends a broken document at its error: take the document as the splitter cuts it.
      const slice = splitDocuments(text)?.find((x) => x.start <= doc.range[0] && doc.range[0] < Math.max(x.end, x.start + 1));
      const quoted = slice ? lenientQuoted(text.slice(slice.start, slice.end)) : undefined;
      if (slice && quoted !== undefined) {
        docs.push({ index, range: [slice.start, slice.end], value: quoted });
        covered = slice.end;
        return;
      }
    }
    // So is a flow collection whose continuation lines sit at or left of its key's indentation: go-yaml does not
    // check indentation inside `[ ]` and `{ }` (libyaml's scanner unrolls no indentation in a flow context).
    if (doc.errors[0]?.code === 'BAD_INDENT' && /^Flow (?:sequence|map) in block collection must be sufficiently indented/.test(doc.errors[0].message)) {
      const slice = splitDocuments(text)?.find((x) => x.start <= doc.range[0] && doc.range[0] < Math.max(x.end, x.start + 1));
      const value = slice ? readFlowLenient(text.slice(slice.start, slice.end)) : undefined;
      if (slice && value !== null && typeof value === 'object') {
        docs.push({ index, range: [slice.start, slice.end], value });
        covered = slice.end;
        return;
      }
    }
    // A repeated key is no error to kubectl and Helm (go-yaml, not strict: the last value wins), and such a document is
    // read here as they read it; `yaml` without its key check (PARSE_OPTIONS) gives the same values. Any other error
    // (found without the key check) is one they refuse too.
    const repeated = doc.errors.length === 0 && mayRepeatKeys(doc) ? strictErrors(index).filter((e) => e.code === 'DUPLICATE_KEY') : [];
    let duplicate: SyntaxProblem | undefined;
    if (doc.errors.length > 0) {
      // The first error of a document is the one to fix; later ones often follow from it.
      const e = doc.errors[0]!;
      const more = doc.errors.length - 1;
      const range: [number, number] = [e.pos[0], Math.max(e.pos[1], e.pos[0])];
      const extra = more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''} in this document)` : '';
      problems.push({ messageId: 'syntaxError', data: { reason: firstLine(e.message) + extra }, range });
      return;
    } else if (repeated.length > 0) {
      const e = repeated[0]!;
      const range: [number, number] = [e.pos[0], Math.max(e.pos[1], e.pos[0])];
      const lineStart = text.lastIndexOf('\n', range[0] - 1) + 1;
      const line = text.slice(lineStart, text.indexOf('\n', range[0]) >>> 0);
      const key = /^\s*(?:-\s+)?["']?([^"':]+?)["']?\s*:/.exec(line)?.[1] ?? line.trim();
      duplicate = { messageId: 'duplicateKey', data: { key: clip(key) }, range };
    }
    const start = doc.contents?.range[0] ?? 0;
    try {
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      // A repeated key in a document that holds no Kubernetes object (a linter's or an editor's settings, a CI
      // workflow) is no manifest's fault: left alone like the document.
      if (duplicate && isRecord(value) && typeof value.kind === 'string') problems.push(duplicate);
      // An empty (null) document holds no object: not kept, as on the fast path.
      if (value === null || value === undefined) return;
      const own = doc.range[2] - doc.range[0];
      const star = text.indexOf('*', doc.range[0]);
      if (star >= 0 && star < doc.range[2]) {
        const size = expandedBytes(value, own + left.left);
        if (size > own + left.left) {
          const limit = EXPANSION_FACTOR * text.length + EXPANSION_SLACK_BYTES;
          problems.push({ messageId: 'aliasExpansion', data: { limit: formatBytes(limit) }, range: [start, start] });
          return;
        }
        left.left -= Math.max(0, size - own);
      }
      docs.push({ index, range: [doc.range[0], doc.range[2]], value });
    } catch (err) {
      const msg = errorText(err);
      const id = /alias/i.test(msg) ? 'aliasBomb' : err instanceof RangeError ? 'tooDeep' : 'parserFailure';
      problems.push({ messageId: id, data: { reason: msg, limit: MAX_ALIAS_COUNT }, range: [start, start] });
    }
  };
  try {
    for (const doc of stream) each(doc as Document.Parsed);
  } catch (err) {
    problems.push({ messageId: err instanceof RangeError ? 'tooDeep' : 'parserFailure', data: { reason: errorText(err) }, range: [0, 0] });
    return { docs, problems };
  }
  return { docs, problems };
}

/**
 * Parses one file. A `.json` file is also held to JSON: kubectl decodes a stream that
 * starts with `{` as JSON, so JSON with comments or trailing commas, which YAML may
 * read as something else, fails there and is a finding here.
 */
export function parseSource(file: Pick<SourceFile, 'path' | 'text'>): { docs: ParsedDocument[]; problems: SyntaxProblem[] } {
  const r = parseText(file.text);
  if (file.text.includes('{{')) {
    const t = helmTemplate(file.text, r, file.path);
    if (t) return t;
  }
  if (file.text.includes('{%')) {
    const t = jinjaTemplate(file.text, r);
    if (t) return t;
  }
  if (file.text.includes('{{')) {
    const t = templateExpression(file.text, r);
    if (t) return t;
  }
  // A `.json` file that YAML cannot read and that names no apiVersion and kind (a data file of
  // JSON lines, a tool's relaxed JSON) is no manifest: skipped, as other files that are not.
  if (r.problems.length > 0 && /\.json$/i.test(file.path) && !/\bapiVersion\b/.test(file.text) && !/\bkind\b/.test(file.text)) return { docs: [], problems: [] };
  // A JSON file that holds no Kubernetes object (an editor's settings, a linter's configuration,
  // JSON with comments) is no manifest: kubectl's verdict on it does not matter.
  if (r.problems.length === 0 && /\.json$/i.test(file.path) && /^\s*\{/.test(file.text) && /"apiVersion"\s*:/.test(file.text) && /"kind"\s*:/.test(file.text)) {
    try {
      JSON.parse(file.text);
    } catch (err) {
      const at = Number(/at position (\d+)/.exec(errorText(err))?.[1] ?? 0);
      const reason = `not valid JSON, which kubectl requires of a file starting with \`{\`: ${errorText(err)}`;
      return { docs: [], problems: [{ messageId: 'syntaxError', data: { reason }, range: [at, Math.min(at + 1, file.text.length)] }] };
    }
  }
  return r;
}

/**
 * Whether the quoted scalar whose first line ends at `at` (where `yaml` reports its missing
 * closing quote) closes at the end of a line, as go-yaml requires: after the closing quote only
 * spaces, a comment, or the punctuation of a flow collection. go-yaml refuses text right after
 * it (`"open … "next": 1`, an unclosed quote that a later line's quote happens to close).
 */
function closesAtLineEnd(text: string, at: number): boolean {
  // The index of the quote that closes one opened at `from` (undefined: none before `limit`).
  const close = (from: number, limit: number): number | undefined => {
    const q = text[from];
    for (let i = from + 1; i < limit; i++) {
      const c = text[i];
      if (q === '"' && c === '\\') i++;
      else if (c === q) {
        if (q === "'" && text[i + 1] === "'") i++;
        else return i;
      }
    }
    return undefined;
  };
  // The opening quote: on the line of `at` or one above it (`yaml` reports where it gave up), the first quote of a
  // line that its line does not close, after any scalar quoted and closed on it (a quoted key).
  const opener = (lineStart: number, lineEnd: number): number | undefined => {
    for (let i = lineStart; i < lineEnd; i++) {
      if (text[i] !== '"' && text[i] !== "'") continue;
      if (i > lineStart && !/[\s[{,:-]/.test(text[i - 1]!)) continue; // a quote inside a plain scalar
      const c = close(i, lineEnd);
      if (c === undefined) return i;
      i = c;
    }
    return undefined;
  };
  let open: number | undefined;
  let lineEnd = at;
  for (let n = 0; n < 500 && open === undefined && lineEnd > 0; n++) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    open = opener(lineStart, lineEnd);
    lineEnd = lineStart - 1;
  }
  if (open === undefined) return false;
  const end = close(open, text.length);
  if (end === undefined) return false;
  const eol = text.indexOf('\n', end);
  return /^\s*([#,\]}].*)?$/.test(text.slice(end + 1, eol < 0 ? text.length : eol));
}

function lenientQuoted(text: string): unknown {
  try {
    const v = readLenient(text);
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

const ACTION = /\{\{-?\s*(?:[.$]|include\b|if\b|range\b|with\b|define\b|template\b|toYaml\b|end\b|else\b|tpl\b|\/\*)/;

/** A value with a key that may have been a YAML collection (a key starting with `{` or `[`): what collectionKeyIn() then asks the text. */
function mayHaveCollectionKey(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) return v.some((x) => mayHaveCollectionKey(x, depth + 1));
  return Object.entries(v).some(([k, x]) => /^[{[]/.test(k) || mayHaveCollectionKey(x, depth + 1));
}

/**
 * Whether a document of the text has a key that is a YAML collection: `{{ .Values.x }}` unquoted
 * reads as a map whose key is a map. A quoted key that starts with `{` or `[` (a Grafana
 * dashboard's `"{p}"`, an address `"[::1]:8080"`) is a string, not one.
 */
function collectionKeyIn(text: string): boolean {
  let found = false;
  try {
    for (const doc of new Composer(PARSE_OPTIONS).compose(new Parser().parse(text))) {
      visit(doc, {
        Pair(_, pair) {
          if (isCollection(pair.key)) {
            found = true;
            return visit.BREAK;
          }
          return undefined;
        },
      });
      if (found) break;
    }
  } catch {
    return false;
  }
  return found;
}

const hasCollectionKey = (text: string, r: { docs: ParsedDocument[] }): boolean => r.docs.some((d) => mayHaveCollectionKey(d.value)) && collectionKeyIn(text);

/**
 * A Helm chart template read as plain YAML: template actions (`{{ .Values.x }}`) that made a
 * syntax error, or that YAML read as maps. One finding at the first action, which says what
 * the file is and how to lint it, instead of a syntax error or wrong-type findings.
 */
function helmTemplate(text: string, r: { docs: ParsedDocument[]; problems: SyntaxProblem[] }, file = ''): { docs: ParsedDocument[]; problems: SyntaxProblem[] } | undefined {
  const m = ACTION.exec(text);
  if (!m) return undefined;
  if (!r.problems.some((p) => p.messageId === 'syntaxError') && !hasCollectionKey(text, r)) return undefined;
  const at = m.index;
  // Helm's own objects and functions, or a chart's `templates/` folder, say Helm; other Go templates are filled in by
  // a program of their own (an e2e framework's `text/template`), which is all the file says.
  const helm = HELM_MARK.test(text) || /(^|[\\/])templates[\\/]/.test(file);
  return { docs: [], problems: [{ messageId: helm ? 'helmTemplate' : 'goTemplate', data: { action: clip(text.slice(at, text.indexOf('}}', at) + 2 || at + 20), 60) }, range: [at, at + m[0].length] }] };
}

/** A template action that names Helm's built-in objects or its own functions. */
const HELM_MARK = /\{\{-?[^}]*?(?:\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\b(?:include|toYaml|tpl|required|lookup)\b)/;

const JINJA = /\{%-?\s*(?:if|for|set|raw|include|import|from|macro|block|with|filter|call|elif|else|endif|endfor|endraw|endmacro|endblock|endwith)\b/;

/**
 * A Jinja template (an Ansible role's `templates/`, a Salt state) read as plain YAML: its
 * statements (`{% for … %}`) made a syntax error. What it renders to is not in the file: one
 * finding at the first statement, which says what the file is.
 */
function jinjaTemplate(text: string, r: { docs: ParsedDocument[]; problems: SyntaxProblem[] }): { docs: ParsedDocument[]; problems: SyntaxProblem[] } | undefined {
  const m = JINJA.exec(text);
  const error = r.problems.find((p) => p.messageId === 'syntaxError');
  if (!m || !error) return undefined;
  // The error is the template's: on a line with a statement or an expression (a YAML mistake
  // elsewhere in a file that merely quotes a template is still a YAML mistake).
  const lineStart = text.lastIndexOf('\n', error.range[0] - 1) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', error.range[0]) >>> 0);
  if (!line.includes('{%') && !line.includes('{{')) return undefined;
  const at = m.index;
  return { docs: [], problems: [{ messageId: 'jinjaTemplate', data: { statement: clip(text.slice(at, text.indexOf('%}', at) + 2 || at + 20), 60) }, range: [at, at + m[0].length] }] };
}

/** A Jinja (Ansible, Salt) or Mustache expression: a variable, its attributes, filters; no Go template's leading dot. */
const EXPRESSION = /\{\{-?\s*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]\n]*\])*\s*(?:\|[^{}\n]*)?-?\}\}/;

/**
 * A template whose expressions (`namespace: {{ namespace }}`, an Ansible role's) plain YAML
 * reads as maps keyed by maps, or cannot read: what it renders to is not in the file. One
 * finding at the first expression, which says what the file is, instead of schema errors
 * about maps where strings belong.
 */
function templateExpression(text: string, r: { docs: ParsedDocument[]; problems: SyntaxProblem[] }): { docs: ParsedDocument[]; problems: SyntaxProblem[] } | undefined {
  if (!r.problems.some((p) => p.messageId === 'syntaxError') && !hasCollectionKey(text, r)) return undefined;
  // The first expression outside a comment.
  for (const m of text.matchAll(new RegExp(EXPRESSION.source, 'g'))) {
    const before = text.slice(text.lastIndexOf('\n', m.index - 1) + 1, m.index);
    if (/(^|\s)#/.test(before)) continue;
    return { docs: [], problems: [{ messageId: 'templateExpression', data: { expression: clip(m[0], 60) }, range: [m.index, m.index + m[0].length] }] };
  }
  return undefined;
}

export function toLoadProblems(file: SourceFile, problems: SyntaxProblem[]): LoadProblem[] {
  if (problems.length) markSyntaxProblems(file);
  return problems.map((p) => ({ ruleId: 'yaml-syntax', messageId: p.messageId, data: p.data, file, filePath: file.path, range: p.range }));
}

/** Whether a map of the document has two scalar keys of the same value (what the `yaml` package calls a duplicate key). */
function mayRepeatKeys(doc: Document.Parsed): boolean {
  let repeated = false;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const p of map.items) {
        if (!isScalar(p.key)) continue;
        if (seen.has(p.key.value)) {
          repeated = true;
          return visit.BREAK;
        }
        seen.add(p.key.value);
      }
      return undefined;
    },
  });
  return repeated;
}

/**
 * The text with every document over MAX_FULL_PARSE_DOCUMENT_BYTES made one comment of
 * the same length (its marker kept, so every offset stays), and a problem for each.
 */
function withoutHugeDocuments(text: string, problems: SyntaxProblem[]): string {
  if (text.length <= MAX_FULL_PARSE_DOCUMENT_BYTES) return text;
  const huge = (splitDocuments(text) ?? [{ index: 0, start: 0, end: text.length }]).filter((s) => s.end - s.start > MAX_FULL_PARSE_DOCUMENT_BYTES);
  if (huge.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const s of huge) {
    const head = text.startsWith('---', s.start) ? 3 : 0;
    // One comment of the same length: the lexer reads it as one token, not a line at a time.
    const length = s.end - s.start - head;
    const newline = text.charCodeAt(s.end - 1) === 10 ? 1 : 0;
    parts.push(text.slice(at, s.start + head), `${head ? ' ' : ''}#`.padEnd(length - newline, ' ').slice(0, Math.max(0, length - newline)), newline ? '\n' : '');
    at = s.end;
    problems.push({ messageId: 'tooLargeToParse', data: { size: formatBytes(s.end - s.start), limit: formatBytes(MAX_FULL_PARSE_DOCUMENT_BYTES) }, range: [s.start, s.start] });
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function formatBytes(n: number): string {
  return n >= 2 ** 20 ? `${+(n / 2 ** 20).toFixed(1)} MiB` : `${+(n / 1024).toFixed(1)} KiB`;
}

function firstLine(s: string): string {
  return clip(s.split('\n')[0]!.replace(/\s+at line \d+, column \d+:?$/, '').trim(), 200);
}

function errorText(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err));
}
