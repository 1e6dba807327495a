import { type K8sObject } from '../types/object.js';
import type { GraphSettings, PodTemplate, PortResolution, ServiceGraph, ServicePortNode } from '../types/graph.js';
import type { LoadProblem } from '../types/problem.js';
import type { SourceFile } from '../types/source.js';
/**
 * Builds the one graph of a run: every Service with the pod templates its selector picks
 * (same resolved namespace, template labels), FindPort per port and template, and the
 * hand-written endpoints of selectorless Services.
 */
export declare function buildGraph(objects: K8sObject[], settings: GraphSettings, loadProblems?: LoadProblem[], files?: SourceFile[]): ServiceGraph;
/**
 * A rule's answer for a list the graph shares between the Services of one selector (backends,
 * a port's resolutions), kept for the rule's check where the list is long: N Services over the
 * same N templates would ask N times (N²). A short list is answered again, which costs less than
 * keeping every answer.
 */
export declare function perList<V>(cache: Map<readonly unknown[], V>, list: readonly unknown[], make: () => V): V;
/**
 * A Service port's resolution on one of its backends: one lookup, where a walk over the
 * resolutions for each backend is quadratic in the backends (N Services over N templates: N³).
 */
export declare function resolutionOn(port: ServicePortNode, t: PodTemplate): PortResolution | undefined;
/** Identity of a template's owner: objects with the same identity are one object in a cluster. */
export declare function workloadKey(t: PodTemplate): string;
/**
 * Groups items by their template's owner identity. The same workload defined twice in one
 * run (variants, overlays, copies) is one object in a cluster: callers treat the variants
 * of one workload together instead of reporting each copy.
 */
export declare function byWorkload<T extends {
    template: PodTemplate;
}>(items: readonly T[]): T[][];
/**
 * Whether an object is a Helm hook that runs once: a test hook (`helm.sh/hook: test`, or the
 * older `test-success`/`test-failure`) of any kind, or a Job or Pod of any hook (`pre-install`…).
 */
export declare function helmHookRun(o: K8sObject): boolean;
