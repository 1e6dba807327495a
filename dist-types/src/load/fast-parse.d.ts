import type { ParsedDocument } from './parse.js';
type Listener = (event: 'open' | 'close', state: {
    position: number;
    kind: string | null;
    result: unknown;
}) => void;
type Loader = (text: string, listener?: Listener) => unknown;
/**
 * The values of a text's documents as the `yaml` package's default parse (YAML 1.2, core
 * schema) gives them, from js-yaml, when the value parser reads every document (empty
 * documents left out); else undefined, for the `yaml` package to read.
 * test/config-files.test.ts compares the two on the corpus and generated scalars.
 */
export declare function coreValues(text: string): unknown[] | undefined;
/**
 * js-yaml with the same scalars, warnings allowed: how go-yaml (kubectl) reads a document
 * that `yaml` rejects only because a quoted scalar's continuation lines sit left of its key.
 */
export declare function readLenient(text: string): unknown;
/**
 * One document as the value parser reads it (the `yaml` package's shapes still leave it), with
 * js-yaml's `deficient indentation` allowed: the continuation lines of a flow collection at or
 * left of its key's indentation, which go-yaml does not check inside `[ ]` and `{ }`, so kubectl
 * reads what `yaml` calls an error. Undefined when the document is left or rejected.
 */
export declare function readFlowLenient(text: string): unknown;
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
export declare function fastDocuments(text: string, read?: Loader): FastDocument[] | undefined;
/**
 * The fast path for a whole text: its documents as plain values when the value parser reads
 * every one of them, else undefined.
 */
export declare function parseValues(text: string): ParsedDocument[] | undefined;
export {};
