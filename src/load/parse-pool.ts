import { availableParallelism } from 'node:os';
import type { SourceFile } from '../types/source.js';
import { workerThreads } from '../lazy-builtins.js';
import { parseSource, type ParsedDocument, type SyntaxProblem } from './parse.js';
import { deferSpec } from './deferred-spec.js';
import { ParseMemory } from './memory.js';

export type ParseResult = { docs: ParsedDocument[]; problems: SyntaxProblem[] };

/**
 * Below this many bytes, starting threads costs more than it saves. Measured in fresh
 * processes (BENCHMARKS.md, bench/threshold.ts): with the js-yaml value parser one thread
 * reads about 15 MB/s, and two threads did not pay below 32 MiB on a loaded two-core
 * machine; 16 MiB is where they should break even with a free core.
 */
export const PARALLEL_THRESHOLD_BYTES = 16 * 1024 * 1024;
const BATCH_BYTES = 512 * 1024;
/**
 * The young generation of a parser thread. V8's default (up to 48 MiB on Node 20, more on
 * Node 22 and newer) is held once per thread on top of the main thread's; parsing makes
 * short-lived garbage that a smaller one collects as fast. Measured on 12 alias-heavy
 * files of 1.5 MiB on two threads: peak RSS 320–415 MiB by default, 290–330 MiB with 16
 * (Node 24: about 600 against 370), and the same parse time on the corpus copied twice.
 */
export const WORKER_YOUNG_GENERATION_MB = 16;

/** What a parser thread answers: results, or why it could not send them. */
export type WorkerAnswer = { id: number; results: ParseResult[] } | { id: number; json: string; specs?: [file: number, doc: number, spec: string][] } | { id: number; failed: string };

/**
 * Parses every file, on worker threads when the input is large. YAML parsing is most of
 * a run's time and files are independent, so it spreads over the cores; the results are
 * plain values, returned in the files' order.
 *
 * A thread never makes the run wait: when it fails (throws, exits, or answers with a
 * value that cannot be copied back, such as a document nested thousands of levels deep),
 * its batch is parsed again on this thread, where the value need not be copied, and the
 * thread is dropped. Batches no thread took are parsed here too.
 */
export async function parseAll(files: SourceFile[], threads = availableParallelism(), threshold = PARALLEL_THRESHOLD_BYTES): Promise<ParseResult[]> {
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  const workers = Math.min(threads, 8);
  if (workers < 2 || bytes < threshold) return files.map((f) => parseInline(f));

  const batches = toBatches(files);
  const memory = new ParseMemory(bytes);
  let stopped: unknown;
  const results: (ParseResult | undefined)[] = new Array(files.length);
  const runInline = (batch: number[]) => batch.forEach((i) => (results[i] ??= parseInline(files[i]!)));
  const url = new URL('./parse-worker.js', import.meta.url);
  const pool = Array.from({ length: Math.min(workers, batches.length) }, () => new (workerThreads().Worker)(url, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }));
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve) => {
            let current = -1;
            let done = false;
            const finish = () => {
              if (done) return;
              done = true;
              w.removeAllListeners();
              w.on('error', () => {}); // late errors of a dropped thread change nothing
              resolve();
            };
            const send = () => {
              if (next >= batches.length) return finish();
              current = next++;
              w.postMessage({ id: current, files: batches[current]!.map((i) => ({ path: files[i]!.path, text: files[i]!.text })) });
            };
            const fail = () => {
              if (done) return;
              if (stopped) return finish();
              if (current >= 0) runInline(batches[current]!);
              finish();
            };
            w.on('message', (msg: WorkerAnswer) => {
              if (stopped) return finish(); // past the memory bound: an answer is not decoded
              if ('failed' in msg) return fail();
              let answer: ParseResult[];
              try {
                answer = 'json' in msg ? (JSON.parse(msg.json) as ParseResult[]) : msg.results;
                if ('specs' in msg) for (const [f, d, spec] of msg.specs ?? []) deferSpec(answer[f]!.docs[d]!.value as Record<string, unknown>, () => spec);
              } catch {
                return fail();
              }
              const batch = batches[msg.id]!;
              batch.forEach((fileIndex, k) => (results[fileIndex] = answer[k]!));
              current = -1;
              try {
                memory.parsed(batch.reduce((n, i) => n + files[i]!.text.length, 0), answer);
              } catch (err) {
                // Past the memory bound: no thread takes another batch, and the run stops.
                stopped ??= err;
                next = batches.length;
              }
              send();
            });
            w.on('messageerror', fail);
            w.on('error', fail);
            w.on('exit', fail);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  if (stopped) throw stopped;
  for (const batch of batches) runInline(batch);
  return results as ParseResult[];
}

function toBatches(files: SourceFile[]): number[][] {
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
  return batches;
}

/** parseSource, with any failure it did not foresee turned into a problem for the file. */
export function parseInline(file: Pick<SourceFile, 'path' | 'text'>): ParseResult {
  try {
    return parseSource(file);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
    return { docs: [], problems: [{ messageId: err instanceof RangeError ? 'tooDeep' : 'parserFailure', data: { reason }, range: [0, 0] }] };
  }
}
