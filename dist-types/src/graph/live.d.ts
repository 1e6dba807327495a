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
    /** The node's Ready condition is True: the node-lifecycle controller's taints may lag behind it. */
    ready: boolean;
    cordoned: boolean;
    /** Why pods there get no traffic, in words (undefined for a Ready node). */
    problem?: string;
    /** The node-lifecycle taints, once per key with their effects: they matter for scheduling only. */
    taints: {
        key: string;
        effects: string[];
    }[];
}
/** `node.kubernetes.io/not-ready` (NoSchedule, NoExecute): a taint named once, with its effects. */
export declare function taintText(t: {
    key: string;
    effects: string[];
}): string;
/**
 * A node's Ready condition, its not-ready/unreachable taints and spec.unschedulable (cordon).
 * The condition decides: the node-lifecycle controller adds and removes the taints after it
 * sees the condition change, so a taint on a node whose Ready is True is lag, not a fault.
 */
export declare function nodeState(o: Obj): NodeState;
/** The nodes read from the cluster (empty when nodes could not be listed). */
export declare function liveNodes(graph: Graphish): NodeState[];
/** The newest Warning event about a pod (Unhealthy, BackOff, FailedScheduling, FailedMount...), in one line. */
export declare function latestEvent(graph: Graphish, pod: Obj): {
    reason: string;
    message: string;
    full: string;
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
    /** The reasons of `ignored` that concern ports only (kube-proxy's; the cluster DNS answers A records without them). */
    portless: string[];
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
}, families?: readonly string[]): ProxyView;
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
export interface RolloutStory {
    deployment: Obj;
    /** What the rollout did, in words. */
    text: string;
    /** The command that goes back to the revision that served. */
    fix: string;
}
/**
 * A Deployment rollout that failed: its `Progressing` condition says
 * `ProgressDeadlineExceeded` (the deployment controller gave up waiting for the new pods),
 * with what happened to the old pods (scaled away, as `maxUnavailable: 100%` allows).
 */
export declare function rolloutStory(graph: Graphish, deployment: Obj): RolloutStory | undefined;
/** The failed rollout behind a pod, when the pod belongs to a Deployment whose rollout failed. */
export declare function rolloutOfPod(graph: Graphish, pod: Obj): RolloutStory | undefined;
/**
 * Why a workload's controller cannot create its pods, in the controller's words: the
 * `ReplicaFailure` condition (FailedCreate) that the ReplicaSet controller sets on a
 * ReplicaSet or ReplicationController and the deployment controller copies to its
 * Deployment, else the newest FailedCreate Warning event about the workload (StatefulSets,
 * DaemonSets, Jobs) or, for a Deployment, about its newest ReplicaSet. A quota, Pod Security
 * admission, an admission webhook or a missing ServiceAccount all end there.
 */
export declare function creationFailure(graph: Graphish, workload: Obj): string | undefined;
export {};
