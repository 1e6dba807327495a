/** Kubernetes versions whose API schemas svclint bundles (rules/schema-invalid/generated). */
export const KUBERNETES_VERSIONS = ['1.34', '1.35', '1.36', '1.37'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = '1.37';

/** The kinds validated against those schemas, as `apiVersion/kind`. */
export const SCHEMA_KINDS = [
  'v1/Service', 'v1/Endpoints', 'v1/Pod', 'v1/ReplicationController', 'v1/ConfigMap',
  'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'apps/v1/ReplicaSet',
  'batch/v1/Job', 'batch/v1/CronJob', 'discovery.k8s.io/v1/EndpointSlice', 'networking.k8s.io/v1/Ingress',
] as const;

export function hasSchema(apiVersion: string, kind: string): boolean {
  return (SCHEMA_KINDS as readonly string[]).includes(`${apiVersion}/${kind}`);
}

/**
 * API versions of built-in kinds that the API server no longer serves, with the release that
 * stopped serving them and the version to use: applying one fails with
 * `no matches for kind "Ingress" in version "extensions/v1beta1"`, so the object never exists.
 * Every supported Kubernetes version (KUBERNETES_VERSIONS) is past all of them.
 */
const REMOVED_VERSIONS: Record<string, Record<string, [removedIn: string, use: string]>> = {
  Deployment: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  DaemonSet: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  ReplicaSet: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  StatefulSet: { 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  NetworkPolicy: { 'extensions/v1beta1': ['1.16', 'networking.k8s.io/v1'] },
  Ingress: { 'extensions/v1beta1': ['1.22', 'networking.k8s.io/v1'], 'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'] },
  IngressClass: { 'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'] },
  MutatingWebhookConfiguration: { 'admissionregistration.k8s.io/v1beta1': ['1.22', 'admissionregistration.k8s.io/v1'] },
  ValidatingWebhookConfiguration: { 'admissionregistration.k8s.io/v1beta1': ['1.22', 'admissionregistration.k8s.io/v1'] },
  APIService: { 'apiregistration.k8s.io/v1beta1': ['1.22', 'apiregistration.k8s.io/v1'] },
  CronJob: { 'batch/v1beta1': ['1.25', 'batch/v1'], 'batch/v2alpha1': ['1.21', 'batch/v1'] },
  EndpointSlice: { 'discovery.k8s.io/v1beta1': ['1.25', 'discovery.k8s.io/v1'] },
  PodDisruptionBudget: { 'policy/v1beta1': ['1.25', 'policy/v1'] },
  HorizontalPodAutoscaler: { 'autoscaling/v2beta1': ['1.25', 'autoscaling/v2'], 'autoscaling/v2beta2': ['1.26', 'autoscaling/v2'] },
};

/** Where a built-in kind's apiVersion is no longer served: the release that removed it and the version to use. */
export function removedVersion(apiVersion: string, kind: string): { removedIn: string; use: string } | undefined {
  const hit = REMOVED_VERSIONS[kind]?.[apiVersion];
  return hit ? { removedIn: hit[0], use: hit[1] } : undefined;
}

/**
 * Every built-in `group/version` and `group/version/Kind` that each supported Kubernetes
 * version serves for the kinds above, for `helm template --api-versions`: offline, Helm knows
 * group/versions only, so a chart that asks `.Capabilities.APIVersions.Has
 * "networking.k8s.io/v1/Ingress"` renders the removed version unless told.
 */
export function servedKindVersions(): string[] {
  const out = new Set<string>(['apiregistration.k8s.io/v1']);
  for (const [kind, versions] of Object.entries(REMOVED_VERSIONS)) {
    for (const [, use] of Object.values(versions)) out.add(`${use}/${kind}`);
  }
  return [...out].sort();
}

