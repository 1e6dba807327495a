export interface PodState {
    phase: string;
    ip?: string;
    ready: boolean;
    terminating: boolean;
    /** Why the pod is not a ready endpoint, in words (empty when it is one). */
    reasons: string[];
    owner?: string;
}
/** What a pod's status says about it as an endpoint: phase, IP, Ready, and why not. */
export declare function podState(body: Record<string, unknown>): PodState;
export declare function describeReasons(s: PodState): string;
/** Ready addresses an EndpointSlice (or v1 Endpoints) publishes, with the port names it carries. */
export declare function publishedEndpoints(o: {
    kind: string;
    body: Record<string, unknown>;
}): {
    ready: string[];
    notReady: string[];
    terminating: string[];
    ports: string[];
    managedBy?: string;
};
type Obj = {
    kind: string;
    namespace: string;
    name: string;
    body: Record<string, unknown>;
};
type Graphish = {
    objects: readonly Obj[];
};
export interface NodeState {
    name: string;
    ready: boolean;
    cordoned: boolean;
    /** Why pods there get no traffic, in words (undefined for a Ready node). */
    problem?: string;
}
/** A node's Ready condition, its not-ready/unreachable taints and spec.unschedulable (cordon). */
export declare function nodeState(o: Obj): NodeState;
/** The nodes read from the cluster (empty when nodes could not be listed). */
export declare function liveNodes(graph: Graphish): NodeState[];
/** The newest Warning event about a pod (Unhealthy, BackOff, FailedScheduling, FailedMount...), in one line. */
export declare function latestEvent(graph: Graphish, pod: Obj): {
    reason: string;
    message: string;
    text: string;
} | undefined;
/** podState, plus the node the pod runs on and the kubelet's latest words about it. */
export declare function podStory(graph: Graphish, pod: Obj): PodState;
export interface Revision {
    deployment: Obj;
    revision: number;
    replicaSet: Obj;
    newest: number;
    /** The ReplicaSet of the newest revision. */
    newestReplicaSet?: Obj;
}
/** The Deployment revision a pod belongs to (through its ReplicaSet), and the newest revision. */
export declare function revisionOf(graph: Graphish, pod: Obj): Revision | undefined;
/** The workload that owns a pod, named as users know it: the Deployment rather than its ReplicaSet. */
export declare function workloadOf(graph: Graphish, pod: Obj): string | undefined;
export interface ProxyView {
    /** Addresses kube-proxy sends this Service port's traffic to. */
    used: string[];
    /** Used only because no endpoint is ready (serving and terminating ones, as kube-proxy falls back to). */
    fallback: boolean;
    /** Why published addresses are not used, one line per slice. */
    ignored: string[];
    /** Every ignored slice lacks the port name (endpoints-orphaned names that cause). */
    onlyPortNames: boolean;
}
/**
 * What kube-proxy programs for one Service port from the published objects: only IPv4/IPv6
 * slices, only slices carrying a port of the same name and protocol, ready endpoints (unset
 * `ready` counts as ready), and serving terminating ones only when none is ready.
 */
export declare function proxyView(objs: readonly {
    kind: string;
    name: string;
    body: Record<string, unknown>;
}[], port: {
    name?: string;
    protocol: string;
}): ProxyView;
/** Container ports of a ReplicaSet's (or any workload's) pod template. */
export declare function templatePorts(o: Obj): {
    name?: string;
    containerPort?: number;
    protocol: string;
}[];
/** Whether kube-proxy has ready endpoints for some port of the Service (terminating ones it falls back to do not count). */
export declare function hasReadyEndpoints(svc: {
    ports: readonly {
        name?: string;
        protocol: string;
    }[];
    endpointObjects: readonly {
        kind: string;
        name: string;
        body: Record<string, unknown>;
    }[];
}): boolean;
export {};
