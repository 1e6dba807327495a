import type { K8sObject, Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph, ServiceNode } from '../types/graph.js';
/** A Service that an object of another kind sends traffic to, by name. */
export interface ServiceRef {
    object: K8sObject;
    /** Where the Service name (or host) is written. */
    path: Path;
    name: string;
    namespace: string;
    /**
     * The port: a Service port number or name; with `endpoint`, an endpoint port instead (the
     * Service port's name, or the number the pod's endpoint gets), as OpenShift's router reads
     * a Route's `targetPort`.
     */
    port?: {
        number?: number;
        name?: string;
        endpoint?: boolean;
    };
    portPath?: Path;
    /** Why the port is this one when the referrer writes none. */
    portDefault?: string;
    /** The referrer writes no port where its controller requires one. */
    portMissing?: boolean;
    /** The referrer reaches the Service by its DNS name: a headless one answers with pod IPs, and any port of the pods works. */
    viaDns?: boolean;
    /** How the referrer calls the field, for messages: `destination host`, `canaryService`. */
    field: string;
    /** The namespace is written in the reference (not the referrer's own); `namespacePath` where, when a field of its own. */
    namespaceWritten?: boolean;
    namespacePath?: Path;
    /** An Istio host written `<svc>.<ns>[.svc]`, which Istio does not complete (`istioPartialHost`). */
    partialHost?: boolean;
}
/**
 * One row per kind: where its Service references live. `at` is a path with `*` for every
 * list item; under it, `name` is the Service name (or, with `host`, a DNS host that
 * short names make relative to the object's namespace, as Istio does), `namespace` the
 * Service's namespace when the kind allows another, and `port` its port (a number, or a
 * Service port name where the kind allows one). `kind` filters entries that name another
 * kind of backend (Traefik's `TraefikService`).
 */
interface Row {
    kind: string;
    group: RegExp;
    at: string;
    name: string;
    host?: boolean;
    namespace?: string;
    port?: string;
    kindField?: string;
    /** The port is judged only when given by name (a number means something else to this kind). */
    portNamesOnly?: boolean;
    /** `port` is a path from the object's root, not from the entry (one port for every entry). */
    portFromRoot?: boolean;
    /** The port names an endpoint port: a Service port name, or the target port number. */
    endpointPort?: boolean;
    /** How messages call the field, when not `name`. */
    field?: string;
    /** The value `kindField` holds for a Service backend (default `Service`). */
    kindValue?: string;
    /** The entry is judged only when `namespace` is written (the kind has no default). */
    namespaceRequired?: boolean;
    /** A Service entry without a port is refused by the controller (Traefik: "service port not defined"). */
    portRequired?: boolean;
    /** `name` is `[scheme://]host[:port]` (Emissary's `service`); with a value, the port when none is written. */
    hostPort?: 'http' | 'tcp';
    /** The Service port the referrer's controller uses when `port` is not written, and why. */
    portDefault?: {
        number: number;
        why: string;
    };
    /** The entry names a Service only with this `apiVersion` (Knative's refs name Knative Services, kind `Service` too). */
    apiVersion?: string;
    /**
     * A Knative destination's `ref`: the resolver sends to `http://<name>.<namespace>.svc.<domain>`,
     * Service port 80, or 443 (`https`) when the destination gives `CACerts`.
     */
    knativeDestination?: boolean;
}
export declare const REFERRERS: readonly Row[];
/**
 * Emissary's `service`: `[scheme://]host[:port]`. A host of one label is the Service of that name
 * in the Mapping's namespace, `name.ns` and `name.ns.svc.<domain>` that Service; IPs, other
 * names and schemes are not Services the run can judge.
 */
export declare function emissaryService(raw: string, own: string, domain: string): {
    name: string;
    namespace: string;
    port?: number;
    scheme?: string;
} | undefined;
/**
 * The paths of an object that the table reads (each matching row's entries): the rest of the
 * object (a Knative Trigger's `subscriber.uri` beside its `subscriber.ref`) is read as hosts.
 */
export declare function tableReadPaths(o: K8sObject): Path[];
/** Every value under a path pattern (`spec.routes.*.services.*`), with its path. */
export declare function walk(v: unknown, pattern: string[], path?: Path): {
    value: unknown;
    path: Path;
}[];
/**
 * An Istio host as a Service: a short name is `<name>.<own namespace>.svc.<domain>`; a full
 * `<name>.<ns>.svc.<domain>` names that Service; any other name (`reviews.prod`, external
 * hosts, wildcards) is left to Istio's registry, which the run cannot see.
 */
export declare function istioHost(host: string, own: string, domain: string): {
    name: string;
    namespace: string;
} | undefined;
/**
 * A host Istio takes as written although it is a Service's name cut short: `reviews.prod` or
 * `reviews.prod.svc` (Istio completes only names without a dot, `ResolveShortnameToFQDN`), so
 * it matches no Service of the mesh's registry, whose hosts are `<svc>.<ns>.svc.<domain>`.
 */
export declare function istioPartialHost(host: string): {
    name: string;
    namespace: string;
} | undefined;
/** The Service references of every object of a kind in the table. */
export declare function serviceRefs(graph: ServiceGraph): ServiceRef[];
/** A port name a monitor scrapes, and the objects it looks for it on. */
export interface MonitorPort {
    object: K8sObject;
    path: Path;
    port: string;
    /** A PodMonitor's `portNumber`: a container port by number. */
    portNumber?: number;
    kind: 'service' | 'pod';
    services: ServiceNode[];
    templates: PodTemplate[];
}
/**
 * prometheus-operator ServiceMonitor `endpoints[].port` names a port of the Services its
 * selector picks (by the Services' own labels); PodMonitor `podMetricsEndpoints[].port` a
 * container port of the pods it picks. Only ports given by name are listed.
 */
export declare function monitorPorts(graph: ServiceGraph): MonitorPort[];
/**
 * Why a ServiceMonitor of the run selects no Service, where the run shows the Service it was
 * written for: `labels` — a Service of its folder tree whose pods carry the selected labels but
 * which does not itself (prometheus-operator matches the Services' own labels); `namespace` — a
 * Service of its folder tree that matches, in a namespace its `namespaceSelector` leaves out
 * (without one, a monitor looks in its own namespace only).
 */
export interface MonitorMiss {
    object: K8sObject;
    kind: 'labels' | 'namespace';
    service: ServiceNode;
    namespaces: string[];
}
export declare function serviceMonitorMisses(graph: ServiceGraph): MonitorMiss[];
/**
 * A ServiceMonitor endpoint's `targetPort`: prometheus-operator keeps the targets whose pod
 * declares that container port (`__meta_kubernetes_pod_container_port_number`, or `_name` for a
 * name), unless the endpoint also names a Service `port`, which wins. Listed when
 * the Services it selects (in its folder tree) have pods of the run and none declares it.
 */
export interface MonitorTargetPort {
    object: K8sObject;
    path: Path;
    port: number | string;
    services: ServiceNode[];
}
export declare function serviceMonitorTargetPorts(graph: ServiceGraph): MonitorTargetPort[];
/**
 * The absolute folder of a file, kept (every finding asks again): `base.yaml` and `crs.yaml`
 * given as `svclint .` share the working folder.
 */
export declare function absoluteFolder(file: string): string;
/**
 * Whether two objects come from one folder tree (the same folder, or one above the other):
 * evidence that they belong to one application. Objects read from a cluster always do.
 */
export declare function sameTree(a: K8sObject, b: K8sObject): boolean;
/** A subset of an Istio DestinationRule: its name, pod labels and where it is written. */
export interface MeshSubset {
    rule: K8sObject;
    name: string;
    labels: Record<string, string>;
    path: Path;
}
/** The DestinationRules of the run by the Service their host names (`namespace/name`). */
export declare function destinationRules(graph: ServiceGraph): Map<string, {
    rule: K8sObject;
    subsets: MeshSubset[];
}[]>;
/** A VirtualService destination that names a subset. */
export interface SubsetRef {
    object: K8sObject;
    path: Path;
    subset: string;
    name: string;
    namespace: string;
}
/** Every VirtualService destination (routes and mirrors) that names a subset of a Service host. */
export declare function subsetRefs(graph: ServiceGraph): SubsetRef[];
/**
 * A URL whose host is `<svc>.<ns>.svc[.<domain>]`: the Service it names and the port it dials
 * (80 or 443 by scheme when it names none). Other hosts are not Services the run can judge.
 */
export declare function serviceUrl(url: string, domain: string): {
    name: string;
    namespace: string;
    port: number;
    scheme: string;
    named: boolean;
} | undefined;
export {};
