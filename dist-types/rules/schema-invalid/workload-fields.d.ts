import type { K8sObject, Path } from '../../src/types/object.js';
/**
 * What apps/v1 validation (pkg/apis/apps/validation, v1.36) rejects in a workload's own spec,
 * after the defaults the API server gives it (pkg/apis/apps/v1/defaults.go): rollout
 * strategies, counts and durations. A workload it rejects creates no pods. Held to
 * kube-apiserver by test/apiserver-differential.test.ts.
 */
export interface WorkloadFieldProblem {
    path: Path;
    field: string;
    problem: string;
}
export declare function workloadFieldProblems(o: K8sObject): WorkloadFieldProblem[];
