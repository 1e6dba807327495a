import { isAlias, isCollection, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ObjectOrigin, Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import { documentAt, lineCounterOf } from '../load/document.js';
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
  const { doc, offset } = documentAt(origin);
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let key: Node | null = null;
  let exact = true;
  for (const seg of [...origin.base, ...path]) {
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
  const range = pickRange(origin.file, offset, node, key);
  return { location: toLocation(origin.file, range[0], range[1]), exact };
}

function pickRange(file: SourceFile, at: number, node: Node | null, key: Node | null): [number, number] {
  if (node && !isCollection(node) && node.range) return [at + node.range[0], at + node.range[1]];
  if (key?.range) return [at + key.range[0], at + key.range[1]];
  if (node?.range) return firstLine(file.text, at + node.range[0], at + node.range[1]);
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
