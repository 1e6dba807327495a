import type { PodTemplate, ServiceGraph, ServicePortNode } from '../types/graph.js';
import type { DnsResolution } from '../types/reference.js';
/**
 * Service-link variables: for every Service with a cluster IP in the pod's namespace the
 * kubelet sets `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORTNAME>`,
 * `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>` (+ `_PROTO`, `_PORT`, `_ADDR`), where
 * `<NAME>` is the Service name upper-cased with `-` as `_` (pkg/kubelet/envvars). Headless
 * and ExternalName Services get none; `enableServiceLinks: false` turns them off except for
 * the API server's own `kubernetes` Service. `$(VAR)` left undefined stays literal text.
 */
export declare const envName: (s: string) => string;
export interface LinkRef {
    text: string;
    variable: string;
    service: string;
    resolution: DnsResolution;
    servicePort?: ServicePortNode;
}
/** The `$(…)` Service-link variables in a text that a container expands, resolved for its pod. */
export declare function findLinks(graph: ServiceGraph, text: string, t: PodTemplate, defined: ReadonlySet<string>): LinkRef[];
