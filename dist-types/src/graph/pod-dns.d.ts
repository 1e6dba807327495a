import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { PodResolver } from '../types/reference.js';
export type { PodResolver };
/** Addresses that are never a Service ClusterIP: globally routable unicast (public DNS such as 8.8.8.8). */
export declare function isPublicAddress(ip: string): boolean;
export declare function podResolver(graph: ServiceGraph, t: PodTemplate): PodResolver;
/** One key per distinct resolver, to group the pods that read one value. */
export declare function resolverKey(r: PodResolver): string;
