import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
export interface ParsedDocument {
    index: number;
    /** Offsets of the document in the file's text, to find its nodes again later. */
    range: [number, number];
    /** The document as plain data. Empty and null documents are not kept (they hold no object). */
    value: unknown;
}
export interface ParsedFile {
    file: SourceFile;
    docs: ParsedDocument[];
}
/** A syntax problem as offsets into the text: plain data, so worker threads can return it. */
export interface SyntaxProblem {
    messageId: string;
    data: Record<string, string | number>;
    range: [number, number];
}
/** Aliases allowed per document before it is treated as an alias bomb. */
export declare const MAX_ALIAS_COUNT = 100;
/**
 * What the aliases of a file may add, in bytes of the values they expand to (as JSON):
 * this many times the file's size, plus EXPANSION_SLACK_BYTES. Values are copied when they
 * leave a parser thread and walked by the rules, so what counts is what they expand to,
 * not how many aliases there are.
 */
export declare const EXPANSION_FACTOR = 4;
/**
 * Largest document the `yaml` package reads (the fast path has no such limit): its node
 * trees take up to 250 times the text (a long list of short items), so a 32 MiB document
 * would need 8 GB. 3 MiB is what the API server accepts as one request's body, so a
 * larger document could not be applied anyway.
 */
export declare const MAX_FULL_PARSE_DOCUMENT_BYTES: number;
export declare const EXPANSION_SLACK_BYTES: number;
/**
 * The size of a value as JSON, counted until it passes `limit` (then a number above it):
 * shared values (what aliases make) count every time they appear.
 */
export declare function expandedBytes(value: unknown, limit: number): number;
/**
 * Parses every YAML (or JSON) document of a text into plain values. Documents with syntax
 * errors become problems; the other documents are kept. Scalars are read as kubectl reads
 * them (scalars.ts). Most texts take the fast path (fast-parse.ts: a document splitter and
 * js-yaml); the rest, and every text with an error, are read by the `yaml` package, which
 * gives the same values (test/differential.test.ts). Node trees are not kept: the locator
 * builds them again for the few documents that have findings.
 */
export declare function parseText(text: string): {
    docs: ParsedDocument[];
    problems: SyntaxProblem[];
};
/** The full parse with the `yaml` package: values and syntax problems. */
export declare function parseWithYaml(text: string, budget?: {
    left: number;
}): {
    docs: ParsedDocument[];
    problems: SyntaxProblem[];
};
/**
 * Parses one file. A `.json` file is also held to JSON: kubectl decodes a stream that
 * starts with `{` as JSON, so JSON with comments or trailing commas, which YAML may
 * read as something else, fails there and is a finding here.
 */
export declare function parseSource(file: Pick<SourceFile, 'path' | 'text'>): {
    docs: ParsedDocument[];
    problems: SyntaxProblem[];
};
export declare function toLoadProblems(file: SourceFile, problems: SyntaxProblem[]): LoadProblem[];
