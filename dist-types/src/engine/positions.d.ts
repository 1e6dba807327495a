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
type Memo = Required<Pick<TextMemo, 'keptFor' | 'keepFor'>>;
declare class FilePositions {
    readonly file: SourceFile;
    private readonly memo;
    private places;
    changed: boolean;
    constructor(file: SourceFile, memo: Memo);
    private all;
    get(key: string): Stored | undefined;
    set(key: string, s: Stored): void;
    keep(): void;
}
/**
 * Gives the files of a run (and the real files behind rendered ones) their kept positions
 * from `memo`; keepPositions() writes back what the run added. Without a memo that can
 * keep values, nothing changes.
 */
export declare function attachPositions(files: readonly SourceFile[], memo: TextMemo | undefined): FilePositions[];
/** Writes the positions the run found to the memo, per file that gained some, and detaches the files. */
export declare function keepPositions(attached: readonly FilePositions[]): void;
/** What is kept for a path, when the file has a memo and it holds the path. */
export declare function storedPosition(origin: Pick<ObjectOrigin, 'file' | 'docIndex' | 'docRange' | 'base'>, path: Path): Stored | undefined;
/** Keeps what was found for a path, when the file has a memo. */
export declare function storePosition(origin: Pick<ObjectOrigin, 'file' | 'docIndex' | 'docRange' | 'base'>, path: Path, range: [number, number], exact: boolean | undefined, location: Location): void;
/** The location toLocation() gives for what was kept. */
export declare function storedLocation(file: SourceFile, s: Stored): Location;
export {};
