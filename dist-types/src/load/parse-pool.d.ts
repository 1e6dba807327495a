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
/** What a parser thread answers: results, or why it could not send them. */
export type WorkerAnswer = {
    id: number;
    results: ParseResult[];
} | {
    id: number;
    json: string;
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
