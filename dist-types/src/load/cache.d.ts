import type { SourceFile } from '../types/source.js';
import { type ParseResult } from './parse-pool.js';
import { cacheDir } from './cache-dir.js';
export { cacheDir };
export declare const CACHE_FILE = "parse-cache.v1";
export declare const DEFAULT_CACHE_MAX_BYTES: number;
/** JSON text of a value, or undefined when JSON would not give the same values back. */
export declare function exactJson(result: unknown): string | undefined;
export declare class ParseCache {
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
    static key(file: Pick<SourceFile, 'path' | 'text'>): string;
    get(key: string): ParseResult | undefined;
    /** An entry whose checksum holds and whose value passes `valid`; any other is dropped. */
    getChecked<T>(key: string, valid: (v: unknown) => v is T): T | undefined;
    set(key: string, result: ParseResult): void;
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
