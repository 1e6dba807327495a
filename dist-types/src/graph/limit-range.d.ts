import type { K8sObject, Path } from '../types/object.js';
export interface LimitRangeRefusal {
    /** The LimitRanger's own words (`maximum cpu usage per Container is 16, but limit is 17`). */
    message: string;
    container: string;
    /** Where in the pod template's spec: the container's resource, or the container. */
    path: Path;
}
/**
 * The first refusal of a LimitRange for a pod, over its containers and init containers:
 * a request above the limit the range's default gave its container (`defaulted`: the pod's
 * validation, which runs after the range's defaults are merged and before its constraints are
 * checked), then each container against the Container items and the pod's totals against the Pod
 * items (LimitRanger's PodLimitFunc), or undefined. `container` is undefined where the pod as
 * a whole is refused.
 */
export declare function limitRangeRefusal(spec: Record<string, unknown>, range: K8sObject): (Omit<LimitRangeRefusal, 'container'> & {
    container?: string;
    defaulted?: true;
}) | undefined;
/**
 * What one pod asks of a ResourceQuota, in thousandths, as the quota admission counts it: each
 * container's requests and limits as the API server completes them (a request from the limit
 * beside it; the namespace's LimitRange defaults, as limitRangeRefusal applies them), summed
 * over the containers, or an init container's where it is larger (init containers run one at a
 * time). Undefined where the run cannot tell (sidecar init containers, pod overhead, several
 * LimitRanges, amounts it cannot read). A key is left out where a container states nothing for it.
 */
export declare function podQuotaUsage(spec: Record<string, unknown>, ranges: readonly K8sObject[]): Map<string, bigint> | undefined;
