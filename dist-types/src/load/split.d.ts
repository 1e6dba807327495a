/** One document of a stream: its offsets in the text, and whether it has any content. */
export interface DocumentSlice {
    /** The document's index in the stream, empty documents counted. */
    index: number;
    start: number;
    end: number;
}
/**
 * Splits a YAML stream into documents in one pass over its lines, keeping offsets: a
 * line starting with `---` or `...` (then a space, a tab or the line's end) at column 0
 * is a document marker wherever it appears, so no parse is needed to find the documents.
 * A document is everything from its `---` (or the end of the previous one) to the next
 * marker; comment-only text before the first `---` belongs to that document, and `...`
 * always ends one, as in the `yaml` package. Empty documents (a marker and nothing else)
 * are counted but not returned: millions of `---` lines cost their bytes, not an object
 * each. Returns undefined for a stream with directives (`%YAML`), which the full parser reads.
 */
export declare function splitDocuments(text: string): DocumentSlice[] | undefined;
