import { availableParallelism } from 'node:os';
import type { SourceFile } from '../types/source.js';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../lazy-builtins.js';
import { parseSource, type ParsedDocument, type SyntaxProblem } from './parse.js';

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
export type WorkerAnswer = { id: number; results: ParseResult[] } | { id: number; json: string } | { id: number; failed: string };

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
  const pool = new ParsePool(threads, threshold);
  try {
    for (const f of files) pool.add(f);
    return await pool.results(files);
  } finally {
    await pool.close();
  }
}

/** A file as a parser thread is sent it. */
type Text = Pick<SourceFile, 'path' | 'text'>;

/** Batches sent ahead to a thread while files are still being added (no answer is read until the adding stops). */
const FEED_DEPTH = 4;

/**
 * parseAll() over files given one at a time, as they are read: once the files given reach
 * the threshold, threads start and take batches while the rest are still being read (no
 * thread starts for an input below it, as in parseAll). A file's result is parseSource's
 * for its path and text wherever it is parsed, so a run that feeds its reads here gets
 * the results parseAll() gives, sooner: the threads start during the reads, not after.
 */
export class ParsePool {
  private readonly files: Text[] = [];
  private readonly parsed: (ParseResult | undefined)[] = [];
  private readonly batches: number[][] = [];
  private current: number[] = [];
  private currentBytes = 0;
  private bytes = 0;
  private next = 0;
  private threads: { worker: Worker; sent: number[]; done: boolean }[] | undefined;
  private feeding = true;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly threadCount = availableParallelism(), private readonly threshold = PARALLEL_THRESHOLD_BYTES) {}

  /** How many threads have started so far. */
  get threadsStarted(): number {
    return this.threads?.length ?? 0;
  }

  /** One more file, in the order results() will be asked for. */
  add(file: Text): void {
    const i = this.files.push({ path: file.path, text: file.text }) - 1;
    this.bytes += file.text.length;
    this.current.push(i);
    this.currentBytes += file.text.length;
    if (this.currentBytes >= BATCH_BYTES) this.cut();
    if (!this.threads && this.bytes >= this.threshold && Math.min(this.threadCount, 8) >= 2) this.start();
    this.dispatch();
  }

  /**
   * The results of `files`, in their order: a file added with the same path and text gets
   * the result of its parse here; the others are added now (to the threads too, when the
   * files reach the threshold).
   */
  async results(files: readonly Text[]): Promise<ParseResult[]> {
    const byPath = new Map<string, number>();
    this.files.forEach((f, i) => byPath.set(f.path, i));
    const index = files.map((f) => {
      const i = byPath.get(f.path);
      if (i !== undefined && this.files[i]!.text === f.text) return i;
      this.add(f);
      return this.files.length - 1;
    });
    this.feeding = false;
    if (this.current.length) this.cut();
    if (this.threads) {
      this.dispatch();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.settle();
      });
    }
    return index.map((i) => (this.parsed[i] ??= parseInline(this.files[i]!)));
  }

  /** Stops the threads (results already answered stay). */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads ?? [];
    this.threads = [];
    // A results() still waiting parses what is left on this thread.
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private cut(): void {
    this.batches.push(this.current);
    this.current = [];
    this.currentBytes = 0;
  }

  private start(): void {
    this.threads = [];
  }

  /** A new thread, while there are batches no thread holds: at most one per core (8 at most), as many as there are batches. */
  private spawn(): { worker: Worker; sent: number[]; done: boolean } {
    const url = new URL('./parse-worker.js', import.meta.url);
    const t = { worker: new (workerThreads().Worker)(url, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), sent: [] as number[], done: false };
    const fail = () => this.drop(t);
    t.worker.on('message', (msg: WorkerAnswer) => this.answer(t, msg));
    t.worker.on('messageerror', fail);
    t.worker.on('error', fail);
    t.worker.on('exit', fail);
    this.threads!.push(t);
    return t;
  }

  /** Sends batches to threads with room: up to FEED_DEPTH each while files are added, one each after. */
  private dispatch(): void {
    if (!this.threads || this.closed) return;
    while (this.threads.length < Math.min(this.threadCount, 8) && this.next + this.threads.filter((t) => !t.done && t.sent.length === 0).length < this.batches.length) this.spawn();
    const depth = this.feeding ? FEED_DEPTH : 1;
    for (let round = 0; round < depth; round++) {
      for (const t of this.threads) {
        if (t.done || t.sent.length > round || this.next >= this.batches.length) continue;
        const id = this.next++;
        t.sent.push(id);
        t.worker.postMessage({ id, files: this.batches[id]!.map((i) => this.files[i]!) });
      }
    }
  }

  private answer(t: { worker: Worker; sent: number[]; done: boolean }, msg: WorkerAnswer): void {
    if (t.done || this.closed) return;
    if ('failed' in msg) return this.drop(t);
    let answer: ParseResult[];
    try {
      answer = 'json' in msg ? (JSON.parse(msg.json) as ParseResult[]) : msg.results;
    } catch {
      return this.drop(t);
    }
    this.batches[msg.id]!.forEach((fileIndex, k) => (this.parsed[fileIndex] = answer[k]!));
    t.sent = t.sent.filter((id) => id !== msg.id);
    this.dispatch();
    this.settle();
  }

  /** A thread that failed: its batches are parsed here, and it takes no more. */
  private drop(t: { worker: Worker; sent: number[]; done: boolean }): void {
    if (t.done || this.closed) return;
    t.done = true;
    t.worker.removeAllListeners();
    t.worker.on('error', () => {}); // late errors of a dropped thread change nothing
    for (const id of t.sent) for (const i of this.batches[id]!) this.parsed[i] ??= parseInline(this.files[i]!);
    t.sent = [];
    this.settle();
  }

  /** Wakes results() once no thread holds a batch and none is left to send (or no thread is left). */
  private settle(): void {
    if (!this.wake || this.feeding) return;
    const threads = this.threads ?? [];
    const busy = threads.some((t) => !t.done && t.sent.length > 0);
    const live = threads.some((t) => !t.done);
    if (busy || (live && this.next < this.batches.length)) return;
    const wake = this.wake;
    this.wake = undefined;
    wake();
  }
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
