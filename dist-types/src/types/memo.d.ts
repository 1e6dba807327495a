import type { SourceFile } from './source.js';
/**
 * A store for what pure functions of a text give, kept across runs (the parse cache, with
 * `--cache` and in the pre-commit hook): the hosts in a mounted configuration file, the positions of paths in a file. It only ever
 * saves time: `of()` returns what `compute()` returns, and a stored value that does not
 * pass `valid` is computed again.
 */
export interface TextMemo {
    of<T>(kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T;
    /**
     * What was kept under `kind` for a file of this text, read as this file is read (a `.json`
     * name is held to JSON), or undefined. The caller keeps a value that grows over runs
     * (positions asked for so far) and writes it back with keepFor().
     */
    keptFor?<T>(file: Pick<SourceFile, 'path' | 'text'>, kind: string, valid: (v: unknown) => v is T): T | undefined;
    keepFor?(file: Pick<SourceFile, 'path' | 'text'>, kind: string, value: unknown): void;
}
