/**
 * What a document of a file that failed to load (a repeated key) tells when read leniently,
 * keys kept and the last one winning: its kind and, when it has metadata, its namespace,
 * name and pod labels (the string ones: a label compared with a string equals only a
 * string). Findings about what the run lacks name such a file as where it may be
 * (engine/rule-kit.ts). Plain data: it crosses parser threads and the parse cache.
 */
export type DocSummary = {
    kind: string;
    meta?: {
        namespace?: string;
        name: string;
        podLabels?: [string, string][];
    };
} | null;
/** A document's summary: null when it is not an object with a kind. */
export declare function summary(doc: unknown): DocSummary;
