import type { Path } from '../types/object.js';
/**
 * Where a path is in one document's text, found by reading only the lines on the way to
 * it: the keys of each map on the path and the dashes of each list, skipping every deeper
 * line by its indentation. Finding a position this way costs a few lines per segment
 * instead of a parse of the whole document (a CRD of a megabyte took the `yaml` package
 * a second to parse again for one finding).
 *
 * It reads plain block YAML, and flow collections that open and close on one line and hold
 * plain keys and scalars (`selector: {app: web}`, `- {name: http, port: 80}`), and answers
 * `undefined` ("not sure") for anything else on its way: other flow collections, anchors,
 * aliases, tags, complex or merge keys, keys whose scalar could read as something other than their text (`yes`, `80`),
 * escapes in quoted keys, block scalars and multi-line scalars as the target, tabs, CR
 * line breaks, directives. The caller then parses the document with `yaml`
 * (locate.ts), so an answer is either the `yaml` package's own range for that path or
 * none. test/scan-position.test.ts holds it to that, path by path, over the corpus, the
 * rule cases, the fixtures and generated documents.
 *
 * The answer follows locate.ts's rangeInDocument: the range of the scalar the path names;
 * a collection's key, or its first line when it has no key; a missing key or index stops
 * at the nearest existing parent (`exact: false`).
 */
export declare function scanRange(text: string, start: number, end: number, segments: Path): {
    range: [number, number];
    exact: boolean;
} | undefined;
