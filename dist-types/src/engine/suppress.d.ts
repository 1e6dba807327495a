import type { K8sObject, Path } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import type { Finding } from '../types/finding.js';
export declare const ANNOTATION = "svclint.dev/disable";
/** A `# svclint-disable-line` / `# svclint-disable-next-line` comment, or the annotation. */
export interface Suppression {
    kind: 'comment' | 'annotation';
    /** Rule ids; empty means every rule. */
    rules: string[];
    used: Set<string>;
    file?: SourceFile;
    line?: number;
    offset?: [number, number];
    object?: K8sObject;
    path?: Path;
}
/** Suppression comments of a file: on the line itself, or on the line above (`next-line`). */
export declare function commentSuppressions(file: SourceFile): Suppression[];
export declare function annotationSuppression(o: K8sObject): Suppression | undefined;
export declare function covers(s: Suppression, ruleId: string): boolean;
/** Marks and returns whether a finding is suppressed. */
export declare function isSuppressed(f: Finding, object: K8sObject | undefined, comments: Map<string, Map<number, Suppression[]>>, annotations: Map<K8sObject, Suppression>, valueLine?: number): boolean;
