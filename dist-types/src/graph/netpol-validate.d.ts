import type { K8sObject, Path } from '../types/object.js';
/** One thing NetworkPolicy validation rejects: where, which field, its value as text, and why. */
export interface PolicyProblem {
    path: Path;
    field: string;
    value: string;
    problem: string;
}
/**
 * What NetworkPolicy validation (networking.k8s.io/v1, kube-apiserver v1.36) rejects in a
 * policy: selectors, policy types, peers, CIDRs, ports. Checked against kube-apiserver by
 * test/apiserver-differential.test.ts. A policy with any is never stored, so never in force.
 */
export declare function networkPolicyProblems(o: K8sObject): PolicyProblem[];
