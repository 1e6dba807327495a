import type { K8sObject, Path } from '../types/object.js';
export interface PriorityRefusal {
    /** The admission plugin's own words. */
    message: string;
    /** Where in the pod spec: `priority` or `preemptionPolicy`. */
    path: Path;
    certain: boolean;
}
/** The Priority admission's refusal of a pod with this spec, given the PriorityClasses of the run, or undefined. */
export declare function priorityRefusal(spec: Record<string, unknown>, classes: readonly K8sObject[]): PriorityRefusal | undefined;
