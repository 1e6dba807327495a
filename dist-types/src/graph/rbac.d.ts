import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { K8sObject } from '../types/object.js';
/** A workload of the run that RBAC of the run lets do something, and the grant that does. */
export interface Grant {
    t: PodTemplate;
    account: string;
    verb: string;
    role: K8sObject;
}
/**
 * A workload of the run whose ServiceAccount the run's RBAC lets use one of `verbs` on
 * `resource` (a core resource: `pods`, `configmaps`) in `namespace`, on the object `name` where
 * given (a rule with `resourceNames` grants only those). `accept` may turn a grant down (a
 * rule on every object of the kind, when the workload does not name the object).
 */
export declare function rbacGrant(graph: ServiceGraph, resource: string, verbs: readonly string[], namespace: string, name?: string, accept?: (g: Grant, named: boolean) => boolean): Grant | undefined;
