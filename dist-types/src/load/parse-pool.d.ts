import type { SourceFile } from '../types/source.js';
import { type ParsedDocument, type SyntaxProblem } from './parse.js';
export type ParseResult = {
    docs: ParsedDocument[];
    problems: SyntaxProblem[];
};
/**
 * Below this many bytes, starting threads costs more than it saves. Measured in fresh
 * processes (BENCHMARKS.md, bench/threshold.ts): with the js-yaml value parser one thread
 * reads about 15 MB/s, and two threads did not pay below 32 MiB on a loaded two-core
 * machine; 16 MiB is where they should break even with a free core.
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
 * Parses every file, on worker threads when the input is large. YAML parsing is most of
 * a run's time and files are independent, so it spreads over the cores; the results are
 * plain values, returned in the files' order.
 *
 * A thread never makes the run wait: when it fails (throws, exits, or answers with a
 * value that cannot be copied back, such as a document nested thousands of levels deep),
 * its batch is parsed again on this thread, where the value need not be copied, and the
 * thread is dropped. Batches no thread took are parsed here too.
 */
export declare function parseAll(files: SourceFile[], threads?: number, threshold?: number): Promise<ParseResult[]>;
/** parseSource, with any failure it did not foresee turned into a problem for the file. */
export declare function parseInline(file: Pick<SourceFile, 'path' | 'text'>): ParseResult;
