import { parseAllDocuments, type Document } from 'yaml';
import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { PARSE_OPTIONS } from './document.js';
import { jsYaml, parseValues } from './fast-parse.js';
import { splitDocuments } from './split.js';
import { clip } from '../text.js';

export interface ParsedDocument {
  index: number;
  /** Offsets of the document in the file's text, to find its nodes again later. */
  range: [number, number];
  /** The document as plain data; undefined for an empty document. */
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
 * Parses every YAML (or JSON) document of a text into plain values. Documents with syntax
 * errors become problems; the other documents are kept. Scalars are read as kubectl reads
 * them (scalars.ts). Most texts take the fast path (fast-parse.ts: a document splitter and
 * js-yaml); the rest, and every text with an error, are read by the `yaml` package, which
 * gives the same values (test/differential.test.ts). Node trees are not kept: the locator
 * builds them again for the few documents that have findings.
 */
export function parseText(text: string): { docs: ParsedDocument[]; problems: SyntaxProblem[] } {
  const docs = parseValues(text);
  return docs ? { docs, problems: [] } : parseWithYaml(text);
}

/** The full parse with the `yaml` package: values and syntax problems. */
export function parseWithYaml(text: string): { docs: ParsedDocument[]; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = [];
  const docs: ParsedDocument[] = [];
  let all: Document.Parsed[];
  try {
    all = parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
  } catch (err) {
    problems.push({ messageId: err instanceof RangeError ? 'tooDeep' : 'parserFailure', data: { reason: errorText(err) }, range: [0, 0] });
    return { docs, problems };
  }
  // An empty stream comes back as a non-array value.
  if (!Array.isArray(all)) return { docs, problems };
  all.forEach((doc, index) => {
    // A quoted scalar whose continuation lines sit left of its key is an error to `yaml` and
    // fine to go-yaml (kubectl) and js-yaml: read such a document as kubectl does.
    if (doc.errors[0]?.code === 'MISSING_CHAR' && /closing .?quote/i.test(doc.errors[0].message)) {
      // `yaml` ends a broken document at its error: take the document as the splitter cuts it.
      const slice = splitDocuments(text)?.find((x) => x.start <= doc.range[0] && doc.range[0] < Math.max(x.end, x.start + 1));
      const lenient = slice ? lenientQuoted(text.slice(slice.start, slice.end)) : undefined;
      if (slice && lenient !== undefined) {
        docs.push({ index, range: [slice.start, slice.end], value: lenient });
        return;
      }
    }
    if (doc.errors.length > 0) {
      // The first error of a document is the one to fix; later ones often follow from it.
      const e = doc.errors[0]!;
      const more = doc.errors.length - 1;
      const range: [number, number] = [e.pos[0], Math.max(e.pos[1], e.pos[0])];
      if (e.code === 'DUPLICATE_KEY') {
        const lineStart = text.lastIndexOf('\n', range[0] - 1) + 1;
        const line = text.slice(lineStart, text.indexOf('\n', range[0]) >>> 0);
        const key = /^\s*(?:-\s+)?["']?([^"':]+?)["']?\s*:/.exec(line)?.[1] ?? line.trim();
        problems.push({ messageId: 'duplicateKey', data: { key: clip(key) }, range });
      } else {
        const extra = more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''} in this document)` : '';
        problems.push({ messageId: 'syntaxError', data: { reason: firstLine(e.message) + extra }, range });
      }
      return;
    }
    try {
      docs.push({ index, range: [doc.range[0], doc.range[2]], value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) });
    } catch (err) {
      const start = doc.contents?.range[0] ?? 0;
      const msg = errorText(err);
      const id = /alias/i.test(msg) ? 'aliasBomb' : err instanceof RangeError ? 'tooDeep' : 'parserFailure';
      problems.push({ messageId: id, data: { reason: msg, limit: MAX_ALIAS_COUNT }, range: [start, start] });
    }
  });
  return { docs, problems };
}

/**
 * Parses one file. A `.json` file is also held to JSON: kubectl decodes a stream that
 * starts with `{` as JSON, so JSON with comments or trailing commas, which YAML may
 * read as something else, fails there and is a finding here.
 */
export function parseSource(file: Pick<SourceFile, 'path' | 'text'>): { docs: ParsedDocument[]; problems: SyntaxProblem[] } {
  const r = parseText(file.text);
  if (r.problems.length === 0 && /\.json$/i.test(file.path) && /^\s*\{/.test(file.text)) {
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

function lenientQuoted(text: string): unknown {
  try {
    const v = jsYaml()(text);
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function toLoadProblems(file: SourceFile, problems: SyntaxProblem[]): LoadProblem[] {
  return problems.map((p) => ({ ruleId: 'yaml-syntax', messageId: p.messageId, data: p.data, file, filePath: file.path, range: p.range }));
}

function firstLine(s: string): string {
  return clip(s.split('\n')[0]!.replace(/\s+at line \d+, column \d+:?$/, '').trim(), 200);
}

function errorText(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err));
}
