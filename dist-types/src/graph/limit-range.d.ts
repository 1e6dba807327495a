import type { K8sObject, Path } from '../types/object.js';
export interface LimitRangeRefusal {
    /** The LimitRanger's own words (`maximum cpu usage per Container is 16, but limit is 17`). */
    message: string;
    container: string;
    /** Where in the pod template's spec: the container's resource, or the container. */
    path: Path;
}
/** The first refusal of the containers (`spec.containers` only, as LimitRanger checks them), or undefined. */
export declare function limitRangeRefusal(spec: Record<string, unknown>, range: K8sObject): LimitRangeRefusal | undefined;
