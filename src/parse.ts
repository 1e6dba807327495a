import { parseAllDocuments, type Document } from 'yaml';
import type { SourceFile } from './types/source.js';
import type { LoadProblem } from './types/problem.js';
import { clip } from './text.js';

export interface ParsedDocument {
  doc: Document.Parsed;
  index: number;
  /** The document as plain data; undefined for an empty document. */
  value: unknown;
}

export interface ParsedFile {
  file: SourceFile;
  docs: ParsedDocument[];
}

/** Aliases allowed per document before it is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses every YAML (or JSON) document of a file, keeping node ranges.
 * Documents with syntax errors become problems; the other documents of the file are kept.
 * Kubernetes reads manifests as YAML 1.1 (yes/no/on/off are booleans), and so do we.
 */
export function parseFile(file: SourceFile): { parsed: ParsedFile; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const docs: ParsedDocument[] = [];
  let all: Document.Parsed[];
  try {
    all = parseAllDocuments(file.text, { lineCounter: file.lineCounter, version: '1.1', prettyErrors: false }) as Document.Parsed[];
  } catch (err) {
    problems.push(syntax(file, err instanceof RangeError ? 'tooDeep' : 'parserFailure', { reason: errorText(err) }, [0, 0]));
    return { parsed: { file, docs }, problems };
  }
  // An empty stream comes back as a non-array value.
  if (!Array.isArray(all)) return { parsed: { file, docs }, problems };
  all.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // The first error of a document is the one to fix; later ones often follow from it.
      for (const e of doc.errors.slice(0, 1)) {
        const more = doc.errors.length - 1;
        const range: [number, number] = [e.pos[0], Math.max(e.pos[1], e.pos[0])];
        if (e.code === 'DUPLICATE_KEY') {
          const lineStart = file.text.lastIndexOf('\n', range[0] - 1) + 1;
          const line = file.text.slice(lineStart, file.text.indexOf('\n', range[0]) >>> 0);
          const key = /^\s*(?:-\s+)?["']?([^"':]+?)["']?\s*:/.exec(line)?.[1] ?? line.trim();
          problems.push(syntax(file, 'duplicateKey', { key }, range));
        } else {
          problems.push(syntax(file, 'syntaxError', { reason: firstLine(e.message) + (more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''} in this document)` : '') }, range));
        }
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const start = doc.contents?.range[0] ?? 0;
      const msg = errorText(err);
      const id = /alias/i.test(msg) ? 'aliasBomb' : err instanceof RangeError ? 'tooDeep' : 'parserFailure';
      problems.push(syntax(file, id, { reason: msg, limit: MAX_ALIAS_COUNT }, [start, start]));
      return;
    }
    docs.push({ doc, index, value });
  });
  return { parsed: { file, docs }, problems };
}

function syntax(file: SourceFile, messageId: string, data: Record<string, string | number>, range: [number, number]): LoadProblem {
  return { ruleId: 'yaml-syntax', messageId, data, file, filePath: file.path, range };
}

function firstLine(s: string): string {
  return clip(s.split('\n')[0]!.replace(/\s+at line \d+, column \d+:?$/, '').trim(), 200);
}

function errorText(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err));
}
