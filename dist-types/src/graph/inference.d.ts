import type { K8sObject, Path } from '../types/object.js';
import type { ServiceGraph } from '../types/graph.js';
/**
 * An InferencePool of the Gateway API Inference Extension: like a Service, a label selector
 * over the pods of its own namespace and the port requests reach them on; a gateway sends an
 * HTTPRoute's requests to the pod its endpoint picker chooses. `inference.networking.k8s.io/v1`
 * writes `selector.matchLabels` and `targetPorts[].number`; `inference.networking.x-k8s.io/v1alpha2`
 * a plain `selector` map and `targetPortNumber`.
 */
export interface InferencePool {
    object: K8sObject;
    selector: Record<string, string>;
    selectorPath: Path;
    targetPorts: {
        number: number;
        path: Path;
    }[];
}
export declare const INFERENCE_GROUP: RegExp;
/** The run's InferencePools, read once per graph. */
export declare function inferencePools(graph: ServiceGraph): InferencePool[];
