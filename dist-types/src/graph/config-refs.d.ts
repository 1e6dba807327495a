import type { PodTemplate } from '../types/graph.js';
import { type K8sObject, type Path } from '../types/object.js';
/**
 * A ConfigMap or Secret a pod cannot start without, as the kubelet reads it: an env entry's
 * `configMapKeyRef`/`secretKeyRef`, an `envFrom` source, or a volume (or a projected volume's
 * source) that a container mounts, each unless it says `optional: true`.
 */
export interface ConfigRef {
    kind: 'ConfigMap' | 'Secret';
    name: string;
    /** The key read; undefined when the whole object is (envFrom, a volume without `items`). */
    key?: string;
    via: 'env' | 'envFrom' | 'volume';
    /** Where the reference is written: the `configMapKeyRef`, `configMapRef`, volume source or item. */
    path: Path;
    /** The path of its name field, for a finding about a missing object. */
    namePath: Path;
    /** The container (env, envFrom) or the volume (volume) that reads it. */
    container?: string;
    volume?: string;
    /** The variable an env entry sets. */
    env?: string;
    /** An item's file name inside the volume. */
    file?: string;
}
/**
 * The references of a pod template that keep its pods from starting when what they name is
 * missing. Containers and init containers alike: the kubelet builds each one's environment
 * before it starts it. Volumes only when a container mounts them: the kubelet sets up the
 * volumes its containers use, and skips the others.
 */
export declare function configRefs(t: PodTemplate): ConfigRef[];
/**
 * The keys the kubelet finds in a ConfigMap or Secret, or undefined when something other
 * than the manifest fills them in: a service account token Secret (the token controller).
 * A ConfigMap's env readers see `data` only; its volumes see `binaryData` too. A Secret's
 * `stringData` is merged into `data` by the API server.
 */
export declare function keysOf(o: K8sObject): {
    data: Set<string>;
    binary: Set<string>;
} | undefined;
/** An object a pod needs before it is created (admission) or placed (the scheduler). */
export interface PodObjectRef {
    kind: 'ServiceAccount' | 'PriorityClass' | 'RuntimeClass' | 'PersistentVolumeClaim';
    name: string;
    path: Path;
    /** Cluster-scoped kinds are looked up by name alone. */
    clusterScoped: boolean;
    volume?: string;
}
/**
 * What the API server's admission looks up when a controller creates the pods
 * (`serviceAccountName`, or the deprecated `serviceAccount` it is defaulted from;
 * `priorityClassName`; `runtimeClassName`), and the claims the scheduler must find
 * (`persistentVolumeClaim` volumes, used or not). The `default` ServiceAccount is made by
 * the control plane in every namespace, and so are the `system-` PriorityClasses.
 */
export declare function podObjectRefs(t: PodTemplate): PodObjectRef[];
/**
 * What a ResourceQuota of the namespace makes every container of a pod state, as its
 * admission checks it: the quota's `hard` compute resources (cpu and memory, requests and
 * limits; `cpu` is `requests.cpu`), for quotas that apply to every pod (no `scopes` nor
 * `scopeSelector`). Undefined when no such quota names one.
 */
export declare function quotaRequired(quota: K8sObject): Map<string, 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory'> | undefined;
/**
 * The cpu and memory requests and limits a container has when the quota admission sees it:
 * as written; a request defaulted from the limit written beside it (the API server's
 * defaulting); then what LimitRanges of type Container give (`default`, itself defaulted
 * from `max`, for limits; `defaultRequest`, defaulted from `default`, else from `min`, for
 * requests).
 */
export declare function stated(c: Record<string, unknown>, limitRanges: readonly K8sObject[]): Set<string>;
