import type { ServiceGraph } from '../types/graph.js';
import type { DnsResolution } from '../types/reference.js';
export type { DnsResolution };
/**
 * Resolves a hostname the way a pod in namespace `from` would: a bare name only in its own
 * namespace (`<name>.<from>.svc.<domain>`), `<svc>.<ns>` and `<svc>.<ns>.svc` through the
 * search path, `<host>.<svc>.<ns>.svc.<domain>` for pods of headless Services,
 * `<dashed-ip>.<ns>.pod.<domain>` for pod A records. CoreDNS is authoritative for the
 * cluster domain: any other name under it does not exist. Names the run cannot judge
 * (namespaces it defines no Service in, external hosts) are `unknown`.
 */
export declare function resolveHost(graph: ServiceGraph, host: string, from: string): DnsResolution;
