import type { Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import type { Location } from '../types/finding.js';
/** A template with its actions blanked out, offset for offset, and where its documents are. */
interface Skeleton {
    text: string;
    /** Offsets of each document that holds more than actions and blank lines. */
    docs: [number, number][];
}
/**
 * A Helm template read as YAML: a line of actions alone (`{{- if .Values.x }}`, `{{- end }}`)
 * becomes blank, an action inside a line (`port: {{ .Values.port }}`) a plain word of the same
 * length, so every offset of the skeleton is the template's own.
 */
export declare function skeletonOf(file: SourceFile): Skeleton;
/** How many documents a template renders when no action adds or drops one. */
export declare function templateDocuments(file: SourceFile): number;
/**
 * Where a path of a rendered document is written in its template: the line and columns of
 * the key or value that renders it, when the skeleton holds that exact path and parses
 * without errors; undefined otherwise (the caller names the template without a line).
 */
export declare function templateLocation(file: SourceFile, docIndex: number, path: Path): Location | undefined;
export {};
