/** Per-file cap: a larger file (or stream) is reported as `file-unreadable`, not read. */
export declare const DEFAULT_MAX_FILE_BYTES: number;
/** Cap on all inputs of one run together; beyond it the run stops with exit code 2. */
export declare const DEFAULT_MAX_INPUT_BYTES: number;
/** Files read at once: enough to keep the I/O thread pool busy, few enough to bound memory. */
export declare const READ_CONCURRENCY = 16;
/** Why an input was not read: the `file-unreadable` message id and its data. */
export interface ReadRefusal {
    messageId: 'tooLarge' | 'tooLargeStream' | 'binary' | 'notRegular' | 'ioError';
    data: Record<string, string | number>;
}
export type ReadOutcome = {
    text: string;
} | {
    refused: ReadRefusal;
};
/** Reads a size such as `512MiB`, `256Mi` (a Kubernetes quantity), `100MB`, `2G` or a number of bytes; undefined when it is not one. */
export declare function parseSize(v: string | number): number | undefined;
/**
 * Counts the bytes of a run's inputs against the total cap and against what the heap can
 * hold. Regular files reserve their size before they are read, so a run over either
 * stops before it reads the bulk.
 */
export declare class InputBudget {
    readonly limit: number;
    readonly heapBytes: number;
    private used;
    constructor(limit?: number, heapBytes?: number);
    take(bytes: number): void;
}
/** The refusal for an I/O error: its code and message. */
export declare function ioRefusal(err: unknown): ReadOutcome;
/**
 * Reads at most `cap` bytes of any file: a regular file larger than that is refused by its
 * size without reading it; a device, pipe or other stream is read until the cap and
 * refused when it goes on. A regular file is read without waiting on the event loop: a
 * few syscalls in turn cost less CPU than many small reads in flight (BENCHMARKS.md).
 */
export declare function readCapped(file: string, cap: number, budget: InputBudget): Promise<ReadOutcome>;
/**
 * readCapped() for a file met inside a folder: only regular files are read there (opening
 * a FIFO would wait for a writer, so it is opened non-blocking and refused by its type).
 */
export declare function readRegularSync(file: string, cap: number, budget: InputBudget, sum?: boolean): ReadOutcome;
/** Reads a stream (stdin) up to the cap; stops reading and refuses it when it goes on. */
export declare function readStreamCapped(stream: AsyncIterable<string | Uint8Array> & {
    destroy?: () => void;
}, cap: number, budget: InputBudget): Promise<ReadOutcome>;
/** Maps with at most `limit` calls in flight; results keep the order of `items`. */
export declare function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
