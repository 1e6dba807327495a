import type { ParsedDocument } from './parse.js';
/**
 * The fast path: the documents of a text as plain values, read by js-yaml 4 one document at
 * a time from the splitter's slices. Returns undefined when the text is for the `yaml`
 * package to read: it has anything in LEAVE_TO_YAML or directives, or a document js-yaml
 * rejects (the `yaml` package then reports the errors, with their positions, as before).
 */
export declare function parseValues(text: string): ParsedDocument[] | undefined;
