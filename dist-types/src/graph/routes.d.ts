import type { ServiceGraph, ServiceNode } from '../types/graph.js';
import type { Location } from '../types/finding.js';
export interface RouteBackend {
    kind: string;
    namespace: string;
    name: string;
    replicas: number | 'per-node';
    /** Job/CronJob pods: endpoints only while they run. */
    finishes: boolean;
    container?: string;
    /** The endpoint port; absent when FindPort fails and the pods are left out. */
    targetPort?: number;
    protocol: string;
    ready: boolean;
    notReady: string[];
    unresolved?: string;
}
/** A pod the run knows dials this port, and whether NetworkPolicy admits it to the backends. */
export interface RouteClient {
    /** `Deployment shop/web`, or the ingress controller. */
    client: string;
    /** Where the client names the Service (`env \`API_URL\` of container \`web\``). */
    via: string;
    admitted: 'yes' | 'no' | 'cannot-tell';
    /** Per backend, when not admitted: why. */
    detail?: string[];
}
export interface RoutePort {
    name?: string;
    port?: number;
    protocol: string;
    targetPort: string | number;
    /** `VIP:port/protocol`. */
    from: string;
    srv?: string;
    backends: RouteBackend[];
    /** Clients the run knows (reference edges, Ingress backends); absent when none. */
    clients?: RouteClient[];
}
export interface ServiceRoutes {
    kind: 'Service';
    namespace: string;
    name: string;
    type: string;
    mode: ServiceNode['mode'];
    selector: Record<string, string>;
    /** ClusterIP, `unallocated`, `headless`, or `none` for ExternalName. */
    vip: string;
    dns: string;
    externalName?: string;
    location?: Location;
    ports: RoutePort[];
    manualEndpoints: {
        kind: string;
        name: string;
    }[];
}
export declare function computeRoutes(graph: ServiceGraph): ServiceRoutes[];
export declare function formatRoutesText(routes: ServiceRoutes[]): string;
/** One endpoint the EndpointSlice controller publishes for a live pod. */
export interface ControllerEndpoint {
    pod: string;
    /** The Service ports FindPort resolves on this pod (a pod that resolves none is still listed, with no ports). */
    ports: {
        name: string;
        port: number;
        protocol: string;
    }[];
    ready: boolean;
    serving: boolean;
    terminating: boolean;
    hostname?: string;
}
/**
 * The endpoints the EndpointSlice controller writes for a Service from live pods
 * (svclint doctor's graph): every selected pod that has an IP and has not finished, with
 * the ports FindPort resolves on it. `serving` is the pod's Ready condition, `ready` is
 * serving and not terminating, or true for every pod under `publishNotReadyAddresses`.
 * Undefined for a Service the controller does not manage (no selector, ExternalName).
 */
export declare function controllerEndpoints(svc: ServiceNode): ControllerEndpoint[] | undefined;
