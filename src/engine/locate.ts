import path from 'node:path';
import { templateLocation } from './helm-template.js';
import { isAlias, isCollection, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { ObjectOrigin, Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import { documentAt, hasSyntaxProblems, lineCounterOf, partAt, spanOf } from '../load/document.js';
import { scanRange } from './scan-position.js';
import { storedLocation, storedPosition, storePosition } from './positions.js';
import type { Location } from '../types/finding.js';

export interface Located {
  location: Location;
  /** False when the path did not exist and the nearest existing parent was used. */
  exact: boolean;
}

/**
 * Maps a path inside an object to a 1-based source range. The engine does this once for
 * every finding; rules never deal in positions. A missing key falls back to the nearest
 * parent that exists. Scalars are highlighted whole; a map or list is shown by its key.
 */
export function locate(origin: ObjectOrigin, path: Path): Located {
  const kept = storedPosition(origin, path);
  if (kept && kept[2] !== 2) return { location: storedLocation(origin.file, kept), exact: kept[2] === 1 };
  return found(origin, path);
}

/** A path's range and location as found now (not kept), kept for the next run when the file has a memo (positions.ts). */
function found(origin: ObjectOrigin, path: Path): Located & { range: [number, number] } {
  const { range, exact } = scanLocateRange(origin, path) ?? parsedRange(origin, path);
  const location = toLocation(origin.file, range[0], range[1]);
  storePosition(origin, path, range, exact, location);
  return { location, exact, range };
}

/** The offsets in its file of a path inside an object, or of its nearest existing parent. */
function locateRange(origin: ObjectOrigin, path: Path): { range: [number, number]; exact: boolean } {
  const kept = storedPosition(origin, path);
  if (kept && kept[2] !== 2) return { range: [kept[0], kept[1]], exact: kept[2] === 1 };
  return found(origin, path);
}

/**
 * The range of a path found by reading only the lines on the way to it (scan-position.ts),
 * or undefined when that scanner cannot be sure: then the document is parsed.
 */
export function scanLocateRange(origin: ObjectOrigin, path: Path): { range: [number, number]; exact: boolean } | undefined {
  if (!scannable(origin.file)) return undefined;
  const span = spanOf(origin);
  // A scan reads up to the whole document; past a few dozen in one document, one parse (kept) is cheaper.
  const scans = (scansOf.get(span.key) ?? 0) + 1;
  if (scans > SCANS_PER_DOCUMENT) return undefined;
  if (scansOf.size > 100_000) scansOf.clear(); // a long-lived library process
  scansOf.set(span.key, scans);
  return scanRange(origin.file.text, span.range[0], span.range[1], span.base.length ? [...span.base, ...path] : path);
}

const scannableFiles = new WeakMap<SourceFile, boolean>();
const scansOf = new Map<string, number>();
const SCANS_PER_DOCUMENT = 32;

/**
 * A file without CR line breaks or byte order marks, and without syntax problems (where
 * `yaml` recovers from an error, its nodes are not what a reading of the lines gives).
 */
function scannable(file: SourceFile): boolean {
  if (hasSyntaxProblems(file)) return false;
  let ok = scannableFiles.get(file);
  if (ok === undefined) scannableFiles.set(file, (ok = !file.text.includes('\r') && !file.text.includes('\uFEFF')));
  return ok;
}

/** The range of a path in its document's node tree (the `yaml` package). */
function parsedRange(origin: ObjectOrigin, path: Path): { range: [number, number]; exact: boolean } {
  const { doc, offset, base } = documentAt(origin);
  return rangeInDocument(doc, origin.file.text, offset, [...base, ...path]);
}

/**
 * The offsets of a path in a parsed document, or of its nearest existing parent: node
 * offsets plus `offset` index `text`. Pure, so that a worker thread can run it on a
 * document it was sent (locate-pool.ts).
 */
export function rangeInDocument(doc: Document.Parsed, text: string, offset: number, segments: Path): { range: [number, number]; exact: boolean } {
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let key: Node | null = null;
  let exact = true;
  for (const seg of segments) {
    if (isAlias(node)) node = node.resolve(doc) ?? null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) { exact = false; break; }
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? null;
      if (node === null) break; // `key:` with no value: show the key
    } else if (isSeq(node) && typeof seg === 'number' && seg >= 0 && seg < node.items.length) {
      node = node.items[seg] as Node;
      key = null;
    } else {
      exact = false;
      break;
    }
  }
  return { range: pickRange(text, offset, node, key), exact };
}

/**
 * Where a position in a renderer's output is in a real file. Helm: in the template when
 * the document is the template's own text. Kustomize: in the resource or patch file whose
 * object of the same kind and name has the same text at the same path. Otherwise the
 * template, resource, chart or kustomization file, without a line.
 */
export function trustedLocation(file: SourceFile, start: number, end: number, origin?: ObjectOrigin, path?: Path): Location {
  if (!file.rendered) return toLocation(file, start, end);
  const tag = renderTag(file);
  const part = partAt(file, start);
  if (!part) return { file: file.path, ...tag };
  if (part.verbatim && start >= part.verbatim.from) {
    const shift = part.verbatim.at - part.verbatim.from;
    return { ...toLocation(part.verbatim.file, start + shift, end + shift), ...tag };
  }
  if (part.template && origin && path && origin.base.length === 0) {
    const inTemplate = templateLocation(part.template.file, part.template.doc, path);
    if (inTemplate) return { ...inTemplate, ...tag };
  }
  if (part.sources && origin && path && origin.base.length === 0) {
    const want = file.text.slice(start, end);
    for (const src of part.sources) {
      const found = locateRange({ file: src.file, base: [], docIndex: src.docIndex, docRange: src.docRange }, path);
      if (found.exact && src.file.text.slice(found.range[0], found.range[1]) === want) return { ...toLocation(src.file, found.range[0], found.range[1]), ...tag };
    }
  }
  return { file: part.file, ...tag };
}

/** What a location in rendered output says of it: the renderer, and for kustomize the folder built. */
function renderTag(file: SourceFile): Pick<Location, 'rendered' | 'build'> {
  if (file.rendered !== 'kustomize') return { rendered: file.rendered };
  return { rendered: file.rendered, build: path.posix.dirname(file.path) };
}

/** locate(), then out of rendered text into a real file (trustedLocation). */
export function trustedLocate(origin: ObjectOrigin, path: Path): Location {
  const { range } = locateRange(origin, path);
  return trustedLocation(origin.file, range[0], range[1], origin, path);
}

function pickRange(text: string, at: number, node: Node | null, key: Node | null): [number, number] {
  if (node && !isCollection(node) && node.range) return [at + node.range[0], at + node.range[1]];
  if (key?.range) return [at + key.range[0], at + key.range[1]];
  if (node?.range) return firstLine(text, at + node.range[0], at + node.range[1]);
  return [at, at];
}

function firstLine(text: string, start: number, end: number): [number, number] {
  let stop = text.indexOf('\n', start);
  if (stop < 0 || stop > end) stop = end;
  while (stop > start && /\s/.test(text[stop - 1]!)) stop--;
  return [start, Math.max(stop, start)];
}

/** Converts byte offsets into a 1-based range with an exclusive end column. */
export function toLocation(file: SourceFile, start: number, end: number): Location {
  const lc = lineCounterOf(file);
  const s = lc.linePos(start);
  const e = lc.linePos(Math.max(end, start));
  const endColumn = e.line === s.line && e.col <= s.col ? s.col + 1 : e.col;
  return { file: file.path, line: s.line, column: s.col, endLine: e.line, endColumn, ...(file.rendered ? { rendered: file.rendered } : {}) };
}
