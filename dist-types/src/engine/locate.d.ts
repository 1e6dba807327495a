import { type Document } from 'yaml';
import type { ObjectOrigin, Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import type { Location } from '../types/finding.js';
export interface Located {
    location: Location;
    /** False when the path did not exist and the nearest existing parent was used. */
    exact: boolean;
}
/**
 * Maps a path inside an object to a 1-based source range. The engine does this once for
 * every finding; rules never deal in positions. A missing key falls back to the nearest
 * parent that exists. Scalars are highlighted whole; a map or list is shown by its key.
 */
export declare function locate(origin: ObjectOrigin, path: Path): Located;
/**
 * The range of a path found by reading only the lines on the way to it (scan-position.ts),
 * or undefined when that scanner cannot be sure: then the document is parsed.
 */
export declare function scanLocateRange(origin: ObjectOrigin, path: Path): {
    range: [number, number];
    exact: boolean;
} | undefined;
/**
 * The offsets of a path in a parsed document, or of its nearest existing parent: node
 * offsets plus `offset` index `text`. Pure, so that a worker thread can run it on a
 * document it was sent (locate-pool.ts).
 */
export declare function rangeInDocument(doc: Document.Parsed, text: string, offset: number, segments: Path): {
    range: [number, number];
    exact: boolean;
};
/**
 * Where a position in a renderer's output is in a real file. Helm: in the template when
 * the document is the template's own text. Kustomize: in the resource or patch file whose
 * object of the same kind and name has the same text at the same path. Otherwise the
 * template, resource, chart or kustomization file, without a line.
 */
export declare function trustedLocation(file: SourceFile, start: number, end: number, origin?: ObjectOrigin, path?: Path): Location;
/** locate(), then out of rendered text into a real file (trustedLocation). */
export declare function trustedLocate(origin: ObjectOrigin, path: Path): Location;
/** Converts byte offsets into a 1-based range with an exclusive end column. */
export declare function toLocation(file: SourceFile, start: number, end: number): Location;
