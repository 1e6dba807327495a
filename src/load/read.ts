import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { bytesSum, noteReadSum } from './content-sum.js';
import { formatSize, heapLimit, MEMORY_BASE_BYTES, MEMORY_PER_INPUT_BYTE, memoryRefusal } from './memory.js';

/** Per-file cap: a larger file (or stream) is reported as `file-unreadable`, not read. */
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Cap on all inputs of one run together; beyond it the run stops with exit code 2. */
export const DEFAULT_MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** Files read at once: enough to keep the I/O thread pool busy, few enough to bound memory. */
export const READ_CONCURRENCY = 16;

const CHUNK = 64 * 1024;

/** Why an input was not read: the `file-unreadable` message id and its data. */
export interface ReadRefusal {
  messageId: 'tooLarge' | 'tooLargeStream' | 'binary' | 'notRegular' | 'ioError';
  data: Record<string, string | number>;
}

export type ReadOutcome = { text: string } | { refused: ReadRefusal };

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|ki|kib|m|mb|mi|mib|g|gb|gi|gib)?$/i;
const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1000, kib: 1024, ki: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, mi: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3, gi: 1024 ** 3 };

/** Reads a size such as `512MiB`, `256Mi` (a Kubernetes quantity), `100MB`, `2G` or a number of bytes; undefined when it is not one. */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : undefined;
  const m = SIZE_RE.exec(v.trim());
  if (!m) return undefined;
  const n = Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Counts the bytes of a run's inputs against the total cap and against what the heap can
 * hold. Regular files reserve their size before they are read, so a run over either
 * stops before it reads the bulk.
 */
export class InputBudget {
  private used = 0;
  constructor(readonly limit = DEFAULT_MAX_INPUT_BYTES, readonly heapBytes = heapLimit()) {}

  take(bytes: number): void {
    this.used += bytes;
    const need = MEMORY_PER_INPUT_BYTE * this.used + MEMORY_BASE_BYTES;
    if (need > this.heapBytes && this.used <= this.limit) throw memoryRefusal(this.used, need, this.heapBytes);
    if (this.used > this.limit) {
      throw new UsageError(
        `the inputs are more than ${formatSize(this.limit)} in total; lint fewer files at a time, or raise the cap with --max-input-bytes or maxInputBytes in .svclint.yaml`,
      );
    }
  }
}

function refusal(messageId: ReadRefusal['messageId'], data: ReadRefusal['data'] = {}): ReadOutcome {
  return { refused: { messageId, data } };
}

/** Text of bytes read, unless they are binary (NUL bytes). */
function toText(buf: Buffer, sum = false): ReadOutcome {
  if (buf.includes(0)) return refusal('binary');
  const out = { text: buf.toString('utf8') };
  if (sum) noteReadSum(out, bytesSum(buf));
  return out;
}

/** The refusal for an I/O error: its code and message. */
export function ioRefusal(err: unknown): ReadOutcome {
  return refusal('ioError', { code: (err as NodeJS.ErrnoException).code ?? 'EIO', reason: (err as Error).message });
}

/** Refuses a folder, a non-regular file when only those are read, a regular file over the cap. */
function refuseByStat(st: Stats, cap: number, regularOnly: boolean): ReadOutcome | undefined {
  if (st.isDirectory()) return refusal('ioError', { code: 'EISDIR', reason: 'it is a folder' });
  if (!st.isFile() && regularOnly) return refusal('notRegular');
  if (st.isFile() && st.size > cap) return refusal('tooLarge', { size: st.size, limit: cap });
  return undefined;
}

/**
 * Reads an open regular file of `size` bytes (at most `cap`) in one call, plus one at its
 * end; a file that grew since its size was taken is read on in chunks up to the cap.
 */
function readRegular(fd: number, size: number, cap: number, budget: InputBudget, sum = false): ReadOutcome {
  let reserved = size;
  budget.take(reserved);
  const chunks: Buffer[] = [];
  let total = 0;
  let want = size > 0 ? Math.min(size + 1, cap + 1) : CHUNK;
  for (;;) {
    const buf = Buffer.allocUnsafe(want);
    const bytesRead = readSync(fd, buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > reserved) {
      budget.take(total - reserved);
      reserved = total;
    }
    if (total > cap) return refusal('tooLargeStream', { limit: cap });
    if (total === size && bytesRead < buf.length) break; // all its stated size: its end
    want = CHUNK;
  }
  return toText(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), sum);
}

/**
 * Reads at most `cap` bytes of any file: a regular file larger than that is refused by its
 * size without reading it; a device, pipe or other stream is read until the cap and
 * refused when it goes on. A regular file is read without waiting on the event loop: a
 * few syscalls in turn cost less CPU than many small reads in flight (BENCHMARKS.md).
 */
export async function readCapped(file: string, cap: number, budget: InputBudget): Promise<ReadOutcome> {
  let fh;
  try {
    fh = await open(file, constants.O_RDONLY);
    const st = await fh.stat();
    const refused = refuseByStat(st, cap, false);
    if (refused) return refused;
    if (st.isFile()) return readRegular(fh.fd, st.size, cap, budget);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
      budget.take(bytesRead);
      if (total > cap) return refusal('tooLargeStream', { limit: cap });
    }
    return toText(Buffer.concat(chunks, total));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return ioRefusal(err);
  } finally {
    await fh?.close();
  }
}

/**
 * readCapped() for a file met inside a folder: only regular files are read there (opening
 * a FIFO would wait for a writer, so it is opened non-blocking and refused by its type).
 */
export function readRegularSync(file: string, cap: number, budget: InputBudget, sum = false): ReadOutcome {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    return refuseByStat(st, cap, true) ?? readRegular(fd, st.size, cap, budget, sum);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return ioRefusal(err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads a stream (stdin) up to the cap; stops reading and refuses it when it goes on. */
export async function readStreamCapped(stream: AsyncIterable<string | Uint8Array> & { destroy?: () => void }, cap: number, budget: InputBudget): Promise<ReadOutcome> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(buf);
    total += buf.length;
    budget.take(buf.length);
    if (total > cap) {
      stream.destroy?.();
      return refusal('tooLargeStream', { limit: cap });
    }
  }
  return toText(Buffer.concat(chunks, total));
}

/** Maps with at most `limit` calls in flight; results keep the order of `items`. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
