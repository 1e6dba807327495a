import type { SourceFile } from '../types/source.js';
import type { TextMemo } from '../types/memo.js';
import { type ParseResult } from './parse-pool.js';
import { cacheDir } from './cache-dir.js';
export { cacheDir };
/**
 * A cache of parse results for repeated runs (`--cache`, and always in the pre-commit hook):
 * a file whose text was parsed before by the same build of svclint is not parsed again.
 *
 * - Key: a SHA-256 of the svclint version, whether the file is held to JSON (a `.json`
 *   name: parse.ts) and the text's SHA-256; the file's first line names the build that wrote it
 *   (code-identity.ts), and another build (an install from a later commit of the same
 *   version) ignores and replaces the whole file. Nothing else changes what parsing gives: the config and
 *   the command line act on the parsed values later, so a change of config misses nothing.
 * - Where: `$XDG_CACHE_HOME/svclint` (only an absolute XDG_CACHE_HOME counts, as the XDG
 *   spec says), else `$HOME/.cache/svclint`; with neither there is no cache. Never the
 *   working folder.
 * - One file of lines `key \t last-used \t checksum \t JSON`; a line is checked (its
 *   SHA-256) and read only when a run needs it, so a run pays for the files it has, not
 *   for the whole cache. A line that fails its checksum or does not read back is dropped
 *   and the file is parsed; a file that is not ours (another header) is ignored and
 *   replaced. The cache is only ever trusted for speed: what it holds is what parsing the
 *   same text gives (test/cache.test.ts lints with and without it and compares).
 * - Size: at most `maxBytes` (64 MiB by default, SVCLINT_CACHE_MAX_BYTES); the entries
 *   used longest ago go first.
 * - Concurrent runs: written to a temporary file and renamed over the cache, so a reader
 *   sees the old file or the new one, never half of one; the last writer wins, and a run
 *   that loses only misses entries next time.
 * - Values JSON cannot carry exactly (a negative zero, a non-finite number) are not cached.
 */
/** The first line: the format, the version and the build (code-identity.ts) that wrote the file; any other build replaces it. */
export declare const cacheHeader: () => string;
export declare const CACHE_FILE = "parse-cache.v1";
export declare const DEFAULT_CACHE_MAX_BYTES: number;
/** JSON text of a value, or undefined when JSON would not give the same values back. */
export declare function exactJson(result: unknown): string | undefined;
export { DEFER_MIN_CHARS } from './deferred-spec.js';
export declare class ParseCache implements TextMemo {
    readonly dir: string | undefined;
    readonly maxBytes: number;
    private readonly now;
    private entries;
    /** The file as read: entries point into it. */
    private bytes;
    private changed;
    readonly file: string | undefined;
    hits: number;
    misses: number;
    constructor(dir: string | undefined, maxBytes?: number, now?: number, fileName?: string);
    private read;
    /** A file's key: the version, whether it is held to JSON, and its text's hash (content-sum.ts: taken from its bytes when it was read with a cache). */
    static key(file: Pick<SourceFile, 'path' | 'text'>): string;
    get(key: string): ParseResult | undefined;
    /** The JSON text of an entry whose checksum holds (decoded when asked for), touched as a read one is; undefined for any other. */
    private checkedText;
    /** An entry whose checksum holds and whose value passes `valid`; any other is dropped. */
    getChecked<T>(key: string, valid: (v: unknown) => v is T): T | undefined;
    /**
     * Keeps a parse result. The `spec` of a large CustomResourceDefinition (most of the bytes
     * of a repository that ships its CRDs, and read by no rule) is kept as an entry of its
     * own and decoded only when something reads it: get() gives the document a `spec` that
     * parses that entry on first use.
     */
    set(key: string, result: ParseResult): void;
    /**
     * What `compute()` gives for a text, kept across runs under a hash of the version, `kind`
     * and the text (types/memo.ts): the graph's memo. A value JSON cannot carry exactly is
     * computed every time.
     */
    of<T>(kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T;
    /** Each file's parse key, as this run computed it (noteKeys): keptFor() and keepFor() need not hash the text again. */
    private readonly fileKeys;
    /** Records the parse keys of files (in the same order) that the run has computed. */
    noteKeys(files: readonly object[], keys: readonly (string | undefined)[]): void;
    /** The key of what is kept under `kind` for a file: made from its parse key, which covers its text and how it is read. */
    private fileKindKey;
    keptFor<T>(file: Pick<SourceFile, 'path' | 'text'>, kind: string, valid: (v: unknown) => v is T): T | undefined;
    keepFor(file: Pick<SourceFile, 'path' | 'text'>, kind: string, value: unknown): void;
    /** Keeps a JSON text (plain strings and numbers only, so exact) under a key. */
    setJson(key: string, json: string | undefined): void;
    /** Writes the cache when this run changed it, pruned to its size, by an atomic rename. Failures only cost the next run time. */
    save(): void;
    get size(): number;
}
/** The cache for this environment (one per process: the hook's two loads share it); SVCLINT_CACHE_MAX_BYTES sets its size. */
export declare function openParseCache(env: NodeJS.ProcessEnv): ParseCache;
/** parseAll(), with the results the cache has taken from it and the rest parsed and added; `keys` is given each file's key. */
export declare function parseAllCached(files: SourceFile[], cache: ParseCache, keys?: string[]): Promise<ParseResult[]>;
