import type { K8sObject } from '../types/object.js';
import type { ServiceGraph, ServiceNode } from '../types/graph.js';
/**
 * The name an object rendered by kustomize has in the resource file it comes from, when
 * kustomize gave it another (`namePrefix`, `nameSuffix`): `api` for a rendered `prod-api`.
 * Undefined for objects of other origins, or when the source cannot tell.
 */
export declare function writtenName(o: K8sObject): string | undefined;
/** Services of a namespace that kustomize renamed from `name` (`api` → `prod-api`). */
export declare function renamedServices(graph: ServiceGraph, namespace: string, name: string): ServiceNode[];
