import type { K8sObject, Path } from '../../src/types/object.js';
/**
 * What Knative Serving's validating webhook rejects in the container ports of a Service,
 * Configuration or Revision (knative/serving `pkg/apis/serving/k8s_validation.go`): more than
 * one port in a container ("More than one container port is set"), more than one container
 * with ports, a protocol other than TCP, and the ports the queue-proxy sidecar takes (8012, 8013, 8022, 9090, 9091, and the profiling port 8008).
 */
export declare const KNATIVE_SERVING: RegExp;
export type KnativeProblem = {
    path: Path;
    problem: string;
};
export declare function knativeFieldProblems(o: K8sObject): KnativeProblem[];
