import { LineCounter, type Document } from 'yaml';
import { kubernetesTags } from './scalars.js';
import type { ObjectOrigin, Path } from '../types/object.js';
import type { RenderedPart, SourceFile } from '../types/source.js';
/**
 * Options every parse of a manifest uses: YAML 1.1 with scalars read as kubectl reads them.
 * Without the `yaml` package's duplicate-key check, which compares every key of a map with
 * every other (quadratic: 20,000 annotations took 15 s to locate); parse.ts finds
 * duplicates in linear time and asks STRICT_PARSE_OPTIONS for the exact error. logLevel
 * 'error': the package's warnings (a map used as a key) would go to stderr as Node
 * warnings; such input is reported as a finding instead.
 */
export declare const PARSE_OPTIONS: {
    readonly version: '1.1';
    readonly prettyErrors: false;
    readonly customTags: typeof kubernetesTags;
    readonly uniqueKeys: false;
    readonly logLevel: 'error';
};
export declare const STRICT_PARSE_OPTIONS: {
    readonly version: '1.1';
    readonly prettyErrors: false;
    readonly customTags: typeof kubernetesTags;
    readonly logLevel: 'error';
    readonly uniqueKeys: true;
};
export interface LocatedDocument {
    doc: Document.Parsed;
    /** Add to the document's node offsets to get offsets in the file. */
    offset: number;
    /** The path from these nodes' root to the object: origin.base, or nothing when only the object's text was parsed. */
    base: Path;
}
/** The text whose nodes give an origin's positions: its document, or only its item of a large List. */
export interface Span {
    key: string;
    range: [number, number];
    base: Path;
    /** The text is one item of a List: when it does not parse alone as one (errors, another shape), the whole document is parsed instead. */
    item?: true;
}
/** From this size a List item is parsed alone (below it, the whole document is as quick). */
export declare const ITEM_SPAN_MIN_BYTES: number;
export declare function spanOf(origin: ObjectOrigin): Span;
/** Whether an item's text parsed alone as what its span says: no errors, and one entry when it is a sequence of one. */
export declare function parsedAsItem(doc: Document.Parsed, base: Path): boolean;
/**
 * The most recently used of a bounded number of values, made on demand: node trees are
 * many times the size of their text, and findings come document by document, so a few
 * dozen kept are as good as all of them (at 100,000 objects, all of them were 170 MB).
 */
export declare class Recent<V> {
    private readonly keep;
    private readonly values;
    constructor(keep: number);
    get(key: string, make: () => V): V;
}
/** Node trees kept for positions, per thread. */
export declare const KEEP_DOCUMENTS = 64;
/** A key for the document an origin is in, the same for every object of that document. */
export declare function documentKey(origin: ObjectOrigin): string;
/**
 * The nodes of one document, with ranges, for mapping a path to a position. A run keeps
 * only plain values in memory; the nodes of a document are built again from its slice of
 * the text when a finding in it needs a position, and the most recent ones are kept.
 * Parsing is deterministic and documents are independent, so the nodes are the same
 * however often they are built.
 */
export declare function documentAt(origin: ObjectOrigin): LocatedDocument;
/** Records that parsing a file gave syntax problems: its positions then come from `yaml`'s own nodes only (locate.ts). */
export declare function markSyntaxProblems(file: SourceFile): void;
export declare function hasSyntaxProblems(file: SourceFile): boolean;
export declare function lineCounterOf(file: SourceFile): LineCounter;
/**
 * The rendered document an offset of a renderer's output is in. A document starts where the
 * one before it ends: an offset there is in the later one (the last document's end is its own).
 */
export declare function partAt(file: SourceFile, offset: number): RenderedPart | undefined;
