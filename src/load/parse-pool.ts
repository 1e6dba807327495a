import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../types/source.js';
import { parseText, type ParsedDocument, type SyntaxProblem } from './parse.js';

export type ParseResult = { docs: ParsedDocument[]; problems: SyntaxProblem[] };

/** Below this many bytes, starting threads costs more than it saves (the pre-commit case). */
export const PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024;
const BATCH_BYTES = 512 * 1024;

/**
 * Parses every file, on worker threads when the input is large. YAML parsing is most of
 * a run's time and files are independent, so it spreads over the cores; the results are
 * plain values, returned in the files' order.
 */
export async function parseAll(files: SourceFile[], threads = availableParallelism()): Promise<ParseResult[]> {
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  const workers = Math.min(threads, 8);
  if (workers < 2 || bytes < PARALLEL_THRESHOLD_BYTES) return files.map((f) => parseText(f.text));

  const batches: number[][] = [];
  let cur: number[] = [];
  let size = 0;
  files.forEach((f, i) => {
    cur.push(i);
    size += f.text.length;
    if (size >= BATCH_BYTES) {
      batches.push(cur);
      cur = [];
      size = 0;
    }
  });
  if (cur.length) batches.push(cur);

  const results: ParseResult[] = new Array(files.length);
  const url = new URL('./parse-worker.js', import.meta.url);
  const pool = Array.from({ length: Math.min(workers, batches.length) }, () => new Worker(url));
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= batches.length) return resolve();
              const id = next++;
              w.postMessage({ id, texts: batches[id]!.map((i) => files[i]!.text) });
            };
            w.on('message', (msg: { id: number; results: ParseResult[] }) => {
              batches[msg.id]!.forEach((fileIndex, k) => (results[fileIndex] = msg.results[k]!));
              send();
            });
            w.on('error', reject);
            w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`parser thread exited with code ${code}`))));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
