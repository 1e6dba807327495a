import { UsageError } from '../errors.js';
import type { ParseResult } from './parse-pool.js';
/**
 * The memory bound of a lint run (docs/limits.md), in three steps, each ending the run with
 * exit code 2 and one line (`memoryRefusal`) instead of a V8 abort:
 *
 * - while the inputs are read, MEMORY_PER_INPUT_BYTE per byte + MEMORY_BASE_BYTES: about
 *   what a real tree takes through the whole run (the corpus copied to 100k objects peaked at
 *   4.6 times its bytes; the parse alone leaves 2.3 times for the corpus and its copies, 7.6
 *   for 128k one-line-selector Services in 14 MiB), so an input no heap could hold stops
 *   before its bulk is read, and denser text is left to the next two checks;
 * - while files are parsed on threads (`ParseMemory`), the heap measured so far, what the
 *   bytes not yet parsed will take at the rate measured so far, and MEMORY_PER_OBJECT for
 *   each object parsed: dense or hostile text (flow collections of empty maps took 30
 *   times their bytes) stops within the first eighth of the input it parses (at least
 *   MEMORY_WATCH_MIN_BYTES);
 * - once parsed (`checkRunMemory`), the heap measured and MEMORY_PER_OBJECT per object,
 *   what the graph, the rules, the positions and the report take (5.5–6.5 KiB each
 *   measured from the corpus to 128k Services that are each a finding).
 */
export declare const MEMORY_PER_INPUT_BYTE = 6;
export declare const MEMORY_PER_OBJECT: number;
export declare const MEMORY_BASE_BYTES: number;
/**
 * Bytes parsed before the rate measured so far is trusted for the rest: an eighth of the
 * input, at least this. Garbage not yet collected makes the rate of the first megabytes
 * too high; an eighth of what the read bound lets in, parsed even at 30 times its size,
 * stays within the heap.
 */
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
 * and once an eighth of them (at least MEMORY_WATCH_MIN_BYTES, or all) are parsed, the heap
 * now, the rest at the rate measured so far and the objects' share of the analysis must fit
 * in the heap.
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
