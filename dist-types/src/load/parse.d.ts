import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
export interface ParsedDocument {
    index: number;
    /** Offsets of the document in the file's text, to find its nodes again later. */
    range: [number, number];
    /** The document as plain data; undefined for an empty document. */
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
 * Parses every YAML (or JSON) document of a text into plain values. Documents with syntax
 * errors become problems; the other documents are kept. Scalars are read as kubectl reads
 * them (scalars.ts). Most documents take the fast path (fast-parse.ts: a document splitter
 * and js-yaml); the rest, and every text with an error, are read by the `yaml` package, which
 * gives the same values (test/differential.test.ts). Node trees are not kept: the locator
 * builds them again for the few documents that have findings.
 */
export declare function parseText(text: string): {
    docs: ParsedDocument[];
    problems: SyntaxProblem[];
};
/** The full parse with the `yaml` package: values and syntax problems. */
export declare function parseWithYaml(text: string): {
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
