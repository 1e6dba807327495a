import { type K8sObject, type Path } from '../types/object.js';
import type { NotReadyReason, PodTemplate, Replicas } from '../types/graph.js';
interface TemplateSpot {
    template: Path;
    /** Where labels and spec live relative to the template. */
    replicas: (o: K8sObject) => Replicas;
}
declare const get: (v: unknown, path: Path) => unknown;
export { get as getIn };
/** The pod spec of a template (`spec` of its pod template), or undefined when it is not a map. */
export declare function templateSpec(t: PodTemplate): Record<string, unknown> | undefined;
/** Kinds whose pods a Service can select, and where their pod template is. */
export declare const POD_SOURCES: Record<string, TemplateSpot>;
export declare function podSourceOf(o: K8sObject): TemplateSpot | undefined;
/** Reads an integer field leniently (`"8080"` → 8080): its wrong type is reported by field-type-invalid. */
export declare function lenientInt(v: unknown): number | undefined;
/** A map keyed by names from the input: no prototype, so `constructor` or `__proto__` are plain keys. */
export declare function keyMap<V>(): Record<string, V>;
/**
 * Label values as the API server stores them: strings. Non-strings are a schema problem
 * reported elsewhere. The map has no prototype: a label may be named `constructor`.
 */
export declare function stringMap(v: unknown): Record<string, string>;
export declare function extractTemplate(o: K8sObject, id: number): PodTemplate | undefined;
/**
 * Why this template's pods can never be ready endpoints, as far as the manifests tell.
 * The kubelet resolves a named probe port among the probed container's own ports only.
 */
export declare function notReadyReasons(t: PodTemplate): NotReadyReason[];
