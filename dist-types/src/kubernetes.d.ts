/** Kubernetes versions whose API schemas svclint bundles (rules/schema-invalid/generated). */
export declare const KUBERNETES_VERSIONS: readonly ['1.34', '1.35', '1.36', '1.37'];
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];
export declare const DEFAULT_KUBERNETES_VERSION: KubernetesVersion;
/** The kinds validated against those schemas, as `apiVersion/kind`. */
export declare const SCHEMA_KINDS: readonly ['v1/Service', 'v1/Endpoints', 'v1/Pod', 'v1/ReplicationController', 'v1/ConfigMap', 'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'apps/v1/ReplicaSet', 'batch/v1/Job', 'batch/v1/CronJob', 'discovery.k8s.io/v1/EndpointSlice', 'networking.k8s.io/v1/Ingress'];
export declare function hasSchema(apiVersion: string, kind: string): boolean;
/** Where a built-in kind's apiVersion is no longer served: the release that removed it and the version to use. */
export declare function removedVersion(apiVersion: string, kind: string): {
    removedIn: string;
    use: string;
} | undefined;
/**
 * Every built-in `group/version` and `group/version/Kind` that each supported Kubernetes
 * version serves for the kinds above, for `helm template --api-versions`: offline, Helm knows
 * group/versions only, so a chart that asks `.Capabilities.APIVersions.Has
 * "networking.k8s.io/v1/Ingress"` renders the removed version unless told.
 */
export declare function servedKindVersions(): string[];
