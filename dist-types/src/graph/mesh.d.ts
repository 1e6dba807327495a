import type { PodTemplate } from '../types/graph.js';
import type { NamespaceLabels } from './netpol-model.js';
/**
 * Whether a pod template's pods run in the Istio mesh, as the sidecar injector's webhooks and
 * ambient mode decide: `in` with the evidence, `out` with it (`explicit` when the pods opt out
 * themselves), undefined when the run cannot tell (the namespace is not among the files).
 */
export type Membership = {
    in: true;
    how: string;
} | {
    in: false;
    how: string;
    explicit: boolean;
} | undefined;
export declare function membership(t: PodTemplate, namespaces: NamespaceLabels): Membership;
