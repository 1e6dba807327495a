import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ReferenceEdge, ReferenceSite } from '../types/reference.js';
type Container = {
    field: string;
    index: number;
    c: Record<string, unknown>;
};
/**
 * The ConfigMaps a pod template reads, and which keys: `all` for envFrom and whole volumes,
 * else the keys of configMapKeyRef env entries and of volume `items`.
 */
export declare function configMapReads(t: PodTemplate, containers?: readonly Container[]): Map<string, Set<string> | 'all'>;
export declare function meshWide(configMap: string, key: string): boolean;
/** Every place in the run where a pod reads text that may name a host. */
export declare function referenceSites(graph: ServiceGraph): ReferenceSite[];
/**
 * The hosts pods dial, as the run can see them: each host found in env values, args,
 * commands and ConfigMap data, resolved the way the reading pods' resolver would.
 * Computed once per graph.
 */
export declare function references(graph: ServiceGraph): readonly ReferenceEdge[];
export {};
