import type { SourceFile } from '../types/source.js';
import { type ParsedDocument, type SyntaxProblem } from './parse.js';
export type ParseResult = {
    docs: ParsedDocument[];
    problems: SyntaxProblem[];
};
/**
 * Below this many bytes, starting a thread costs more than it saves. Measured in fresh
 * processes on a two-core machine (BENCHMARKS.md, twenty-seventh round), with the main
 * thread parsing alongside one worker against the main thread alone: gen_synth's 3.9 MiB
 * tree 0.99x wall, its 7.8 MiB tree 1.01x wall and 1.06x CPU (the worker compiles the parser
 * again), so trees that size stay on one thread; the corpus's 33 MiB 0.93x wall and 0.92x CPU
 * against the two workers and idle main thread of before.
 */
export declare const PARALLEL_THRESHOLD_BYTES: number;
/**
 * The young generation of a parser thread. V8's default (up to 48 MiB on Node 20, more on
 * Node 22 and newer) is held once per thread on top of the main thread's; parsing makes
 * short-lived garbage that a smaller one collects as fast. Measured on 12 alias-heavy
 * files of 1.5 MiB on two threads: peak RSS 320–415 MiB by default, 290–330 MiB with 16
 * (Node 24: about 600 against 370), and the same parse time on the corpus copied twice.
 */
export declare const WORKER_YOUNG_GENERATION_MB = 16;
/** What a parser thread answers: results, or why it could not send them. */
export type WorkerAnswer = {
    id: number;
    results: ParseResult[];
} | {
    id: number;
    json: string;
    specs?: [file: number, doc: number, spec: string][];
} | {
    id: number;
    failed: string;
};
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
export declare function parseAll(files: SourceFile[], threads?: number, threshold?: number): Promise<ParseResult[]>;
/** parseSource, with any failure it did not foresee turned into a problem for the file. */
export declare function parseInline(file: Pick<SourceFile, 'path' | 'text'>): ParseResult;
