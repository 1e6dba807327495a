import type { PodTemplate } from '../types/graph.js';
/**
 * Labels that controllers add to the pods they create, beyond the template's labels.
 * A Service may select on them (one StatefulSet pod per Service is a common pattern).
 */
export declare const CONTROLLER_LABELS: Set<string>;
/** The ordinals a StatefulSet's pods get: `[start, start + replicas)` (`spec.ordinals.start`). */
export declare function statefulSetOrdinals(t: PodTemplate): [number, number];
/**
 * Whether some pod of the template would carry `key: value` once its controller adds its
 * labels. Values the controller computes at run time (hashes, uids) cannot be disproved,
 * so they count as matching rather than raise a false alarm.
 */
export declare function controllerLabelMatches(t: PodTemplate, key: string, value: string): boolean;
