import type { ObjectOrigin, Path } from '../types/object.js';
import type { Location } from '../types/finding.js';
/**
 * Where findings get their positions. Most are found by reading the lines on the way to
 * the path (scan-position.ts); the rest cost a parse of their document with ranges (the
 * `yaml` package), which a run over many documents hands to a worker thread, which works
 * while the rules go on, and collects the answers before findings are filtered and sorted.
 */
export interface Locator {
    /** Calls `set` with the position of a path inside an object: now, or before settle() resolves. */
    at(origin: ObjectOrigin, path: Path, set: (location: Location) => void): void;
    /** Resolves when every position asked for has been set; stops the thread if there is one. */
    settle(): Promise<void>;
}
/** Positions found on this thread, at once. */
export declare const inlineLocator: Locator;
/**
 * A locator that finds each path of a document once per run: findings point at the same
 * nodes again and again (a Service's selector from every finding about its pods, each copy
 * of a repeated object from every other), so a large run asks for far fewer positions than
 * it sets. Each caller gets its own copy of the position.
 */
export declare function memoized(inner: Locator): Locator;
/** What the thread is sent: the text of each document the first time, then paths into it. */
export interface LocateRequest {
    id: number;
    /** `item`: the text is one item of a List (its path from the text's root); the thread answers null when it does not parse alone as one. */
    docs: {
        key: string;
        text: string;
        item?: Path;
    }[];
    reqs: {
        key: string;
        segments: Path;
    }[];
}
/** Offsets into each request's document text, or null where the thread could not tell. */
export interface LocateAnswer {
    id: number;
    ranges: ([number, number] | null)[];
}
/**
 * Batches whose claim is shared with the thread: each is taken by whoever claims it first,
 * the thread from the first batch on, this thread from the last one once the rules are done.
 */
export declare const CLAIMED_BATCHES: number;
export declare const CLAIM: {
    readonly free: 0;
    readonly thread: 1;
    readonly main: 2;
};
