import type { ObjectOrigin, Path } from '../types/object.js';
import type { Location } from '../types/finding.js';
import type { TextMemo } from '../types/memo.js';
import type { SourceFile } from '../types/source.js';

/**
 * Positions kept across runs in the run's memo (the parse cache: `--cache` and the
 * pre-commit hook). Where a path is in a file is a function of the file's text (and how it
 * is read), the document, the path from the document to the object (List items) and the
 * path asked for; the next run over the same text takes it from here instead of reading
 * the lines or parsing the document again. Kept per file: the offsets, whether the path
 * was there (`exact`: 1, 0, or 2 when a worker thread found the range and did not say),
 * and the line and columns toLocation() gives for them.
 */
export type Stored = [start: number, end: number, exact: 0 | 1 | 2, line: number, column: number, endLine: number, endColumn: number];
type Places = Record<string, Stored>;

const KIND = 'positions';

const isPlaces = (v: unknown): v is Places =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
  && Object.values(v).every((p) => Array.isArray(p) && p.length === 7 && p.every((n) => Number.isSafeInteger(n) && n >= 0) && p[2] <= 2 && p[3] >= 1 && p[4] >= 1 && p[5] >= 1 && p[6] >= 1);

type Memo = Required<Pick<TextMemo, 'keptFor' | 'keepFor'>>;

class FilePositions {
  private places: Places | undefined;
  changed = false;
  constructor(readonly file: SourceFile, private readonly memo: Memo) {}

  private all(): Places {
    return (this.places ??= this.memo.keptFor(this.file, KIND, isPlaces) ?? (Object.create(null) as Places));
  }

  get(key: string): Stored | undefined {
    return this.all()[key];
  }

  set(key: string, s: Stored): void {
    const all = this.all();
    const was = all[key];
    if (was && was[2] !== 2) return;
    all[key] = s;
    this.changed = true;
  }

  keep(): void {
    if (!this.changed || !this.places) return;
    this.memo.keepFor(this.file, KIND, this.places);
    this.changed = false;
  }
}

const byFile = new WeakMap<SourceFile, FilePositions>();

/**
 * Gives the files of a run (and the real files behind rendered ones) their kept positions
 * from `memo`; keepPositions() writes back what the run added. Without a memo that can
 * keep values, nothing changes.
 */
export function attachPositions(files: readonly SourceFile[], memo: TextMemo | undefined): FilePositions[] {
  if (!memo?.keptFor || !memo.keepFor) return [];
  const m: Memo = { keptFor: memo.keptFor.bind(memo), keepFor: memo.keepFor.bind(memo) };
  const out: FilePositions[] = [];
  const add = (f: SourceFile) => {
    if (byFile.has(f)) return;
    const p = new FilePositions(f, m);
    byFile.set(f, p);
    out.push(p);
  };
  for (const f of files) {
    add(f);
    for (const part of f.parts ?? []) {
      if (part.verbatim) add(part.verbatim.file);
      for (const s of part.sources ?? []) add(s.file);
    }
  }
  return out;
}

/** Writes the positions the run found to the memo, per file that gained some, and detaches the files. */
export function keepPositions(attached: readonly FilePositions[]): void {
  for (const p of attached) {
    p.keep();
    byFile.delete(p.file);
  }
}

const keyOf = (origin: Pick<ObjectOrigin, 'docIndex' | 'docRange' | 'base'>, path: Path) =>
  `${origin.docIndex}:${origin.docRange[0]}:${origin.docRange[1]}\u0000${JSON.stringify(origin.base)}\u0000${JSON.stringify(path)}`;

/** What is kept for a path, when the file has a memo and it holds the path. */
export function storedPosition(origin: Pick<ObjectOrigin, 'file' | 'docIndex' | 'docRange' | 'base'>, path: Path): Stored | undefined {
  return byFile.get(origin.file)?.get(keyOf(origin, path));
}

/** Keeps what was found for a path, when the file has a memo. */
export function storePosition(origin: Pick<ObjectOrigin, 'file' | 'docIndex' | 'docRange' | 'base'>, path: Path, range: [number, number], exact: boolean | undefined, location: Location): void {
  const p = byFile.get(origin.file);
  if (!p || location.line === undefined || location.column === undefined || location.endLine === undefined || location.endColumn === undefined) return;
  p.set(keyOf(origin, path), [range[0], range[1], exact === undefined ? 2 : exact ? 1 : 0, location.line, location.column, location.endLine, location.endColumn]);
}

/** The location toLocation() gives for what was kept. */
export function storedLocation(file: SourceFile, s: Stored): Location {
  return { file: file.path, line: s[3], column: s[4], endLine: s[5], endColumn: s[6], ...(file.rendered ? { rendered: file.rendered } : {}) };
}
