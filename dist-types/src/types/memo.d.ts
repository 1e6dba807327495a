/**
 * A store for what pure functions of a text give, kept across runs (the parse cache, with
 * `--cache` and in the pre-commit hook): the documents of a file read again leniently, the
 * hosts in a mounted configuration file. It only ever saves time: `of()` returns what
 * `compute()` returns, and a stored value that does not pass `valid` is computed again.
 */
export interface TextMemo {
    of<T>(kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T;
}
