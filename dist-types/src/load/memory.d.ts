import { UsageError } from '../errors.js';
import type { ParseResult } from './parse-pool.js';
/**
 * The memory bound of a lint run (docs/limits.md), in three steps, each ending the run with
 * exit code 2 and one line (`memoryRefusal`) instead of a V8 abort:
 *
 * - while the inputs are read, MEMORY_PER_INPUT_BYTE per byte + MEMORY_BASE_BYTES: what
 *   the lint of real trees needs (after the parse the heap held 2.3–7.6 times the bytes
 *   read: the corpus and its copies up to 50k objects at the low end, 128k one-line-selector
 *   Services in 14 MiB at the high end), so an input no heap could hold stops before its
 *   bulk is read;
 * - while files are parsed on threads (`ParseMemory`), the heap measured so far, what the
 *   bytes not yet parsed will take at the rate measured so far, and MEMORY_PER_OBJECT for
 *   each object parsed: dense or hostile text (flow collections of empty maps took 30
 *   times their bytes) stops within the first MEMORY_WATCH_MIN_BYTES it parses;
 * - once parsed (`checkRunMemory`), the heap measured and MEMORY_PER_OBJECT per object,
 *   what the graph, the rules, the positions and the report take (5.5–6.5 KiB each
 *   measured from the corpus to 128k Services that are each a finding).
 */
export declare const MEMORY_PER_INPUT_BYTE = 6;
export declare const MEMORY_PER_OBJECT: number;
export declare const MEMORY_BASE_BYTES: number;
/** Bytes parsed before the rate measured so far is trusted for the rest. */
export declare const MEMORY_WATCH_MIN_BYTES: number;
/** The heap V8 may grow to in this process (--max-old-space-size). */
export declare const heapLimit: () => number;
export declare function formatSize(n: number): string;
/** The one line of a run its memory bound stops. */
export declare function memoryRefusal(bytes: number, need: number, heap: number): UsageError;
/** The objects of a file's parse: each document, or each item of a `*List`. */
export declare function objectCount(r: ParseResult): number;
/**
 * Watches the heap while `total` bytes are parsed: each answer counts its bytes and objects,
 * and once MEMORY_WATCH_MIN_BYTES are parsed (or all), the heap now, the rest at the rate
 * measured so far and the objects' share of the analysis must fit in the heap.
 */
export declare class ParseMemory {
    readonly total: number;
    readonly heap: number;
    private readonly start;
    private bytes;
    private objects;
    constructor(total: number, heap?: number);
    parsed(bytes: number, results: readonly ParseResult[]): void;
}
/** After the parse: the heap it left and the analysis of its objects must fit in the heap. */
export declare function checkRunMemory(bytes: number, parsed: readonly ParseResult[], heap?: number): void;
