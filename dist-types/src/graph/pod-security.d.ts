import type { Path } from '../types/object.js';
/**
 * The Pod Security Standards as the API server's PodSecurity admission checks a pod
 * (k8s.io/pod-security-admission `policy`): the baseline checks, and the restricted ones on
 * top of them. Only what a pod template can say is read (no ephemeral containers). Where a
 * check's allowed values grew with the Kubernetes version (sysctls, SELinux types), the
 * newest list is used: an older cluster may refuse more, never less.
 */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export interface PodSecurityViolation {
    /** The API server's words for the check (`allowPrivilegeEscalation != false`). */
    reason: string;
    /** What to change, in the API server's words. */
    detail: string;
    /** Where in the pod (relative to the pod template: `spec`, `metadata`): the field, or the container that leaves it out. */
    path: Path;
}
/** The sysctls the kubelet and Pod Security take as safe (namespaced, isolated): the newest list. */
export declare const SAFE_SYSCTLS: Set<string>;
/** The level a namespace enforces (`pod-security.kubernetes.io/enforce`) and the version it pins, where its labels say so. */
export declare function enforcedLevel(labels: unknown): {
    level: PodSecurityLevel;
    version: string;
    label: string;
} | undefined;
/**
 * What the PodSecurity admission of a namespace enforcing `level` (at `version`) refuses in
 * a pod, in the order the API server lists its checks; empty when it admits the pod.
 */
export declare function podSecurityViolations(spec: Record<string, unknown>, level: PodSecurityLevel, version?: string): PodSecurityViolation[];
