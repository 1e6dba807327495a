export interface CodeCacheOptions {
    /**
     * Part of the cache file's name. A cache written at the end of a run holds the functions
     * that run compiled, so runs that execute different code (the lint, the doctor) keep
     * caches of their own.
     */
    tag?: string;
    /** false: use a cache, never write one (a run too short to compile what later runs need). */
    write?: boolean;
}
/**
 * Loads a large CommonJS module (the command itself, dist-bundle/svclint.cjs, 1.3 MB, and
 * the schema validators of a Kubernetes version, 1.1 MB) with a V8 code cache where Node has no compile cache of its
 * own (before 22.1; bin/svclint.js turns Node's on where there is one). On Node 20 the
 * validators' cache saved about 20 ms of CPU time in a one-file run, the command's about
 * 60 ms (BENCHMARKS.md, "Cold start").
 *
 * A code cache is code: V8 runs what it holds and checks only the length of the source
 * against it. So the cache is trusted for speed, never for more:
 * - it lives only in the user's own cache folder (an absolute XDG_CACHE_HOME, else
 *   $HOME/.cache; none when those are empty or relative, never the working folder), and
 *   only when every folder from there down is the user's and not writable by others;
 * - a cache file is opened without following a link or waiting (a FIFO, a link to
 *   /dev/zero), read only when it is a regular file of the user's under MAX_FILE_BYTES,
 *   and handed to V8 only when the SHA-256 stored in it matches its contents and the hash
 *   of the source it was made from; anything else is deleted and the module compiled
 *   from source;
 * - it is written atomically (a temporary file that is removed on failure) and pruned to
 *   MAX_FOLDER_BYTES, oldest first.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's. SVCLINT_DEBUG=1 says on
 * stderr why a cache was not used.
 */
export declare function requireWithCodeCache(file: string, opts?: CodeCacheOptions): unknown;
/** Largest cache file read (a version's validators make about 0.5 MB). */
export declare const MAX_FILE_BYTES: number;
/** The folder is pruned to this size, oldest files first. */
export declare const MAX_FOLDER_BYTES: number;
/**
 * `<cache>/svclint/code-cache`, made if missing (mode 700), or undefined when there is no
 * safe one: the base is not absolute, or a folder on the way is not the user's or may be
 * written by others (anyone who can write there could put code into every run).
 */
export declare function cacheFolder(env: NodeJS.ProcessEnv): string | undefined;
/** The V8 data of a cache file, when it is sound and made from this source; else undefined (and a bad file removed). */
export declare function readCache(file: string, key: Buffer): Buffer | undefined;
/** Writes a cache file atomically; on any failure nothing is left behind. Then prunes the folder. */
export declare function writeCache(dir: string, file: string, key: Buffer, data: Buffer): void;
/** Keeps the folder under MAX_FOLDER_BYTES (newest kept, `keep` always) and removes temporary files a killed run left an hour ago. */
export declare function prune(dir: string, keep: string, maxBytes?: number): void;
