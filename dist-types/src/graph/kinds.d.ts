import type { ServiceGraph } from '../types/graph.js';
import type { K8sObject } from '../types/object.js';
/** The objects of this kind (any apiVersion), in the order of `graph.objects`. */
export declare function objectsOfKind(graph: ServiceGraph, kind: string): readonly K8sObject[];
/**
 * The first object of the run, in the order of `graph.objects`, with this kind, namespace and
 * name (whatever its apiVersion): what `graph.objects.find()` over the three gives.
 */
export declare function objectNamed(graph: ServiceGraph, kind: string, namespace: string, name: string): K8sObject | undefined;
