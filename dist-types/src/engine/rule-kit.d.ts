import type { PodTemplate, ServiceGraph, ServiceNode } from '../types/graph.js';
import type { RuleContext } from '../types/rule.js';
/** Small helpers rule modules share. */
/** `Deployment shop/web`: the workload that owns a pod template. */
export declare const where: (t: PodTemplate) => string;
/** Reports the load problems (unreadable files, syntax errors) that belong to a rule. */
export declare function reportLoadProblems(ctx: RuleContext, ruleId: string): void;
/** How a Service's ports read in a message: `http` (80/TCP), 443/TCP. */
export declare function servicePortsText(svc: ServiceNode): string;
/** Whether a Service exposes a port by number or by name, as Ingress and route backends name it. */
export declare function exposes(svc: ServiceNode, port: {
    number?: number;
    name?: string;
}): boolean;
/** Services of a namespace whose names are close to a name, for "did you mean". */
export declare function nearestService(graph: ServiceGraph, namespace: string, name: string): string | undefined;
/** Whether the run defines any Service in a namespace (else a missing one may live elsewhere). */
export declare function hasServicesIn(graph: ServiceGraph, namespace: string): boolean;
/**
 * Whether a Service selects a template's pods, by their labels (the template's, plus the
 * ones controllers add): the same answer for a manifest and for a live workload whose
 * pods are the graph's backends.
 */
export declare function selectsTemplate(service: ServiceNode, t: PodTemplate): boolean;
/** Workload templates whether the run is static or live (live, pods are the graph's templates). */
export declare function workloadTemplates(graph: ServiceGraph): readonly PodTemplate[];
/**
 * Per-pod DNS names (`<host>.<service>.<ns>.svc`) need a headless Service of that name in
 * the pod's namespace that selects the pod: StatefulSet serviceName and pod subdomain alike.
 */
export declare function podDnsService(graph: ServiceGraph, t: PodTemplate, name: string): {
    problem: 'missing';
} | {
    problem: 'notHeadless' | 'notSelecting';
    service: ServiceNode;
} | {
    problem: undefined;
    service: ServiceNode;
};
/**
 * What identifies a template's main images whatever registry or version they come from: the
 * last path segment without tag, digest or trailing version (`gcr.io/x/reviews-v2:1` → `reviews`).
 */
export declare function imageNames(t: PodTemplate): Set<string>;
