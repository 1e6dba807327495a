import { availableParallelism } from 'node:os';
import type { SourceFile } from '../types/source.js';
import { workerThreads } from '../lazy-builtins.js';
import { parseSource, type ParsedDocument, type SyntaxProblem } from './parse.js';
import { deferSpec } from './deferred-spec.js';
import { ParseMemory } from './memory.js';

export type ParseResult = { docs: ParsedDocument[]; problems: SyntaxProblem[] };

/**
 * Below this many bytes, starting a thread costs more than it saves. Measured in fresh
 * processes on a two-core machine (BENCHMARKS.md, twenty-seventh round), with the main
 * thread parsing alongside one worker against the main thread alone: gen_synth's 3.9 MiB
 * tree 0.99x wall, its 7.8 MiB tree 1.01x wall and 1.06x CPU (the worker compiles the parser
 * again), so trees that size stay on one thread; the corpus's 33 MiB 0.93x wall and 0.92x CPU
 * against the two workers and idle main thread of before.
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
 * Parses every file, on worker threads too when the input is large. YAML parsing is most of
 * a run's time and files are independent, so it spreads over the cores; the results are
 * plain values, returned in the files' order.
 *
 * The main thread parses batches itself alongside `threads - 1` workers: it has nothing else
 * to do until every file is parsed, its compiled parser is warm after the first batches
 * (a thread's is cold for its first ones), and what it parses need not be copied back.
 * Measured on the corpus (BENCHMARKS.md, twenty-seventh round): two workers and an idle
 * main thread took 3.4 s of CPU for what one thread parses in 1.6 s. A worker keeps a
 * second batch queued while there are more, so it does not wait while the main thread is
 * inside one of its own.
 *
 * A thread never makes the run wait: when it fails (throws, exits, or answers with a
 * value that cannot be copied back, such as a document nested thousands of levels deep),
 * its batches are parsed again on this thread, where the value need not be copied, and the
 * thread is dropped. Batches no thread took are parsed here too.
 */
export async function parseAll(files: SourceFile[], threads = availableParallelism(), threshold = PARALLEL_THRESHOLD_BYTES): Promise<ParseResult[]> {
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  const workers = Math.min(threads, 8) - 1;
  if (workers < 1 || bytes < threshold) return files.map((f) => parseInline(f));

  const batches = toBatches(files);
  const memory = new ParseMemory(bytes);
  let stopped: unknown;
  const results: (ParseResult | undefined)[] = new Array(files.length);
  const runInline = (batch: number[]) => batch.forEach((i) => (results[i] ??= parseInline(files[i]!)));
  const batchBytes = (batch: number[]) => batch.reduce((n, i) => n + files[i]!.text.length, 0);
  /** Counts a parsed batch against the memory bound; past it, no thread takes another batch and the run stops. */
  const parsed = (batch: number[]) => {
    try {
      memory.parsed(batchBytes(batch), batch.map((i) => results[i]!));
    } catch (err) {
      stopped ??= err;
      next = batches.length;
    }
  };
  const url = new URL('./parse-worker.js', import.meta.url);
  const pool = Array.from({ length: Math.min(workers, batches.length - 1) }, () => new (workerThreads().Worker)(url, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }));
  let next = 0;
  const threadsDone = pool.map(
    (w) =>
      new Promise<void>((resolve) => {
        const inFlight = new Set<number>();
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          w.removeAllListeners();
          w.on('error', () => {}); // late errors of a dropped thread change nothing
          resolve();
        };
        // One batch in flight, and a second queued while more than one is left for the others.
        const send = () => {
          while (next < batches.length && (inFlight.size === 0 || (inFlight.size === 1 && batches.length - next > 2))) {
            const id = next++;
            inFlight.add(id);
            w.postMessage({ id, files: batches[id]!.map((i) => ({ path: files[i]!.path, text: files[i]!.text })) });
          }
          if (inFlight.size === 0) finish();
        };
        const fail = () => {
          if (done) return;
          if (!stopped) for (const id of inFlight) runInline(batches[id]!);
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
          inFlight.delete(msg.id);
          parsed(batch);
          if (stopped) return finish();
          send();
        });
        w.on('messageerror', fail);
        w.on('error', fail);
        w.on('exit', fail);
        send();
      }),
  );
  try {
    // This thread's share: a batch at a time, letting the workers' answers in between.
    while (next < batches.length) {
      const batch = batches[next++]!;
      runInline(batch);
      parsed(batch);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(threadsDone);
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
