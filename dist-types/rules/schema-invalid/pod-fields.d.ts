import type { Path } from '../../src/types/object.js';
/**
 * What pod validation (`ValidatePodSpec` of kube-apiserver) rejects in a pod's volumes, its
 * containers' volume mounts, env and envFrom, and their images: each is a reason the whole
 * workload is refused. Read from the API server's source (pkg/apis/core/validation, v1.36) and
 * held to a running one by test/apiserver-differential.test.ts.
 *
 * Fields the schema requires (a mount's `name` and `mountPath`, an item's `key` and `path`, an
 * env entry's `name`...) are reported by the schema when missing; here only when empty, which
 * the schema lets through and the server does not.
 */
export interface PodFieldProblem {
    path: Path;
    /** The field, relative to the pod spec (`containers[0].volumeMounts[1].name`). */
    field: string;
    problem: string;
    /**
     * Checked only when a Pod is created (ValidatePodCreate, validateContainersOnlyForPod): a
     * workload's template with it is stored, and every pod its controller makes is refused.
     */
    podsOnly?: boolean;
}
/** A sysctl name with `.` as its separator (NormalizeName: `net/ipv4/ip_forward` is `net.ipv4.ip_forward`). */
export declare function normalSysctl(name: string): string;
/** The kernel namespace of a sysctl (GetNamespace): `Net`, `IPC`, or undefined (not namespaced). */
export declare function sysctlNamespace(name: string): 'Net' | 'IPC' | undefined;
/** What the API server rejects in one pod spec's volumes, mounts, env, envFrom and images. */
export declare function podFieldProblems(spec: Record<string, unknown>, at: Path, claims?: readonly string[]): PodFieldProblem[];
