import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { Path } from '../types/object.js';
import type { PodResolver } from '../types/reference.js';
export type { PodResolver };
/** Addresses that are never a Service ClusterIP: globally routable unicast (public DNS such as 8.8.8.8). */
export declare function isPublicAddress(ip: string): boolean;
/** The ClusterIPs of cluster DNS the run defines (`kube-system/kube-dns`, or the configured Service). */
export declare function clusterDnsIPs(graph: ServiceGraph): Set<string>;
export declare function podResolver(graph: ServiceGraph, t: PodTemplate): PodResolver;
/** The image of a pod whose every container resolves with musl, or undefined. */
export declare function muslPodImage(t: PodTemplate): string | undefined;
/** One key per distinct resolver, to group the pods that read one value. */
export declare function resolverKey(r: PodResolver): string;
/**
 * The pod's `hostAliases`, by lowercase hostname: the kubelet writes them into /etc/hosts,
 * which glibc and musl read before DNS, for the name exactly as written (no search path).
 */
export declare function hostAliases(t: PodTemplate): ReadonlyMap<string, {
    ip: string;
    path: Path;
}>;
/** One key per distinct set of host aliases ('' for none), to group the pods that read one value. */
export declare function aliasKey(t: PodTemplate): string;
