import type { ParsedDocument } from './parse.js';
/**
 * js-yaml with the same scalars, warnings allowed: how go-yaml (kubectl) reads a document
 * that `yaml` rejects only because a quoted scalar's continuation lines sit left of its key.
 */
export declare function readLenient(text: string): unknown;
/** One document of a text: its slice, and its value when the value parser read it. */
export type FastDocument = {
    index: number;
    start: number;
    end: number;
    value: unknown;
} | {
    index: number;
    start: number;
    end: number;
    leave: true;
};
/**
 * The documents of a text, each read by the value parser (js-yaml 4 on the splitter's slice)
 * or marked for the `yaml` package (`leave`). Returns undefined when the whole text is for
 * the `yaml` package: it has directives or a byte-order mark, or a document js-yaml rejects
 * (the `yaml` package then reports the errors, with their positions, as before).
 */
export declare function fastDocuments(text: string): FastDocument[] | undefined;
/**
 * The fast path for a whole text: its documents as plain values when the value parser reads
 * every one of them, else undefined.
 */
export declare function parseValues(text: string): ParsedDocument[] | undefined;
