/**
 * A CustomResourceDefinition's spec this long or longer (as JSON) travels and is kept as
 * JSON text, decoded on first read: from a parser thread (parse-worker.ts) and in the parse
 * cache (cache.ts). CRDs are most of the bytes of a repository that ships them (59% of the
 * parse results of the corpus's first 14 projects), and no rule reads their spec.
 */
export declare const DEFER_MIN_CHARS = 4096;
/** The spec of `value` as JSON when it is a CustomResourceDefinition whose spec is at least DEFER_MIN_CHARS long as JSON. */
export declare function deferrableSpec(value: unknown): string | undefined;
/**
 * Gives `value` a `spec` that is the JSON `text()` parsed, on first read (then a plain
 * property, as if it had always been there); written to, it is plain at once. Its place
 * among the keys is the one the null placeholder held.
 */
export declare function deferSpec(value: Record<string, unknown>, text: () => string): void;
/**
 * The JSON text of `value`'s spec while it is still deferred (not read yet), else undefined:
 * a check that needs one field of a few CRDs can look for it in the text before it makes
 * the whole spec a value.
 */
export declare function deferredSpecText(value: object): string | undefined;
