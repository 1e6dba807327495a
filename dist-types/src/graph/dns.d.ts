import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { DnsResolution, PodResolver } from '../types/reference.js';
export type { DnsResolution };
/**
 * The hostnames an Indexed Job's controller gives its pods: `<job>-<index>` for every index
 * below `completions`, whatever the template's own `hostname` says (the Job controller sets
 * it on every pod it creates). `count` is undefined when `completions` is not a number the run
 * shows. A CronJob's Jobs have generated names, so their pods' hostnames are unknown (`job`
 * undefined). Undefined for any other template.
 */
export declare function indexedJobHostnames(t: PodTemplate): {
    job?: string;
    count?: number;
} | undefined;
/** The placeholder label for `$(variable)` (the pod's generated name) in template `t`. */
export declare function generatedPodLabel(graph: ServiceGraph, t: PodTemplate, variable: string): string;
/** The template and variable a placeholder label stands for. */
export declare function generatedPod(graph: ServiceGraph, label: string): {
    t: PodTemplate;
    variable: string;
} | undefined;
/** A text with each placeholder label written back as the variable it stands for. */
export declare function withoutGeneratedLabels(graph: ServiceGraph, text: string): string;
/**
 * Resolves a hostname the way a pod in namespace `from` would: a bare name only in its own
 * namespace (`<name>.<from>.svc.<domain>`), `<svc>.<ns>` and `<svc>.<ns>.svc` through the
 * search path, `<host>.<svc>.<ns>.svc.<domain>` for pods of headless Services,
 * `<dashed-ip>.<ns>.pod.<domain>` for pod A records. CoreDNS is authoritative for the
 * cluster domain: any other name under it does not exist. Names the run cannot judge
 * (namespaces it defines no Service in, external hosts) are `unknown`.
 */
export declare function resolveHost(graph: ServiceGraph, host: string, from: string): DnsResolution;
/** Services of a namespace named `<name>-<role>` (`-primary`, `-read`, `-hl`…), the writable roles first. */
export declare function roleNamedServices(graph: ServiceGraph, namespace: string, name: string): string[];
/** The fully qualified name of what a cluster name resolved to, with the trailing dot. */
export declare function fqdnOf(graph: ServiceGraph, r: DnsResolution & {
    kind: 'service' | 'pod';
}): string;
/**
 * What a name means to one pod, given its own resolver (`podResolver`): `base` is the answer
 * of the standard ClusterFirst resolver of its namespace (`resolveHost`). Extra `dnsConfig`
 * searches can complete a name the standard path does not; the node's resolver and a `None`
 * resolver without the cluster DNS cannot reach a cluster name at all.
 */
export declare function resolveFor(graph: ServiceGraph, host: string, from: string, resolver: PodResolver, base: DnsResolution, client: PodTemplate): DnsResolution;
