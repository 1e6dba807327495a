import { getHeapStatistics } from 'node:v8';
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
export const MEMORY_PER_INPUT_BYTE = 6;
export const MEMORY_PER_OBJECT = 8 * 1024;
export const MEMORY_BASE_BYTES = 200 * 2 ** 20;
/**
 * Bytes parsed before the rate measured so far is trusted for the rest: an eighth of the
 * input, at least this. Garbage not yet collected makes the rate of the first megabytes
 * too high; an eighth of what the read bound lets in, parsed even at 30 times its size,
 * stays within the heap.
 */
export const MEMORY_WATCH_MIN_BYTES = 16 * 2 ** 20;

/** The heap V8 may grow to in this process (--max-old-space-size). */
export const heapLimit = (): number => getHeapStatistics().heap_size_limit;
const heapUsed = (): number => getHeapStatistics().used_heap_size;

export function formatSize(n: number): string {
  for (const [unit, f] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) if (n >= f) return `${+(n / f).toFixed(1)} ${unit}`;
  return `${n} bytes`;
}

/** The one line of a run its memory bound stops. */
export function memoryRefusal(bytes: number, need: number, heap: number): UsageError {
  const mib = Math.ceil(need / 2 ** 20);
  return new UsageError(
    `input too large for the memory bound: ${formatSize(bytes)} of input needs about ${mib} MiB and the heap may grow to ${Math.floor(heap / 2 ** 20)} MiB; split it, or raise --max-old-space-size (NODE_OPTIONS=--max-old-space-size=${mib})`,
  );
}

/** The objects of a file's parse: each document, or each item of a `*List`. */
export function objectCount(r: ParseResult): number {
  let n = 0;
  for (const d of r.docs) {
    const v = d.value as { kind?: unknown; items?: unknown } | null;
    n += v && typeof v === 'object' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items) ? v.items.length : 1;
  }
  return n;
}

/**
 * Watches the heap while `total` bytes are parsed: each answer counts its bytes and objects,
 * and once an eighth of them (at least MEMORY_WATCH_MIN_BYTES, or all) are parsed, the heap
 * now, the rest at the rate measured so far and the objects' share of the analysis must fit
 * in the heap.
 */
export class ParseMemory {
  private readonly start = heapUsed();
  private bytes = 0;
  private objects = 0;

  constructor(readonly total: number, readonly heap = heapLimit()) {}

  parsed(bytes: number, results: readonly ParseResult[]): void {
    this.bytes += bytes;
    for (const r of results) this.objects += objectCount(r);
    if (this.bytes < Math.min(Math.max(MEMORY_WATCH_MIN_BYTES, this.total / 8), this.total)) return;
    const used = heapUsed();
    const rate = Math.max(0, used - this.start) / this.bytes;
    const need = used + Math.max(0, this.total - this.bytes) * rate + this.objects * MEMORY_PER_OBJECT;
    if (need > this.heap) throw memoryRefusal(this.total, need, this.heap);
  }
}

/** After the parse: the heap it left and the analysis of its objects must fit in the heap. */
export function checkRunMemory(bytes: number, parsed: readonly ParseResult[], heap = heapLimit()): void {
  let objects = 0;
  for (const r of parsed) objects += objectCount(r);
  const need = heapUsed() + objects * MEMORY_PER_OBJECT;
  if (need > heap) throw memoryRefusal(bytes, need, heap);
}
