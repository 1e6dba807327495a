import type { K8sObject } from '../types/object.js';
import type { ServiceGraph, ServiceNode } from '../types/graph.js';
/** An object's name and namespace as its resource file writes them (namespace '' when not written). */
interface Written {
    name: string;
    namespace: string;
}
/**
 * The name and namespace an object rendered by kustomize has in the resource file it comes
 * from, before `namePrefix`, `nameSuffix` and `namespace` changed them. Undefined for objects
 * of other origins, or when the source cannot tell.
 */
export declare function written(o: K8sObject): Written | undefined;
/** Services of a namespace that kustomize renamed from `name` (`api` → `prod-api`). */
export declare function renamedServices(graph: ServiceGraph, namespace: string, name: string): ServiceNode[];
/**
 * Whether kustomize's `namespace` moved a Service out of `from`: its resource file writes
 * that namespace, or none while `from` is `default` (where it lands when applied alone).
 */
export declare function movedFrom(s: ServiceNode, from: string): boolean;
export {};
