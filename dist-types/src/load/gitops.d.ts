import type { K8sObject } from '../types/object.js';
/**
 * Where a GitOps controller of the run puts the objects of a folder of the run:
 *
 * - a Flux `Kustomization` (kustomize.toolkit.fluxcd.io) with `spec.targetNamespace` sets
 *   the namespace of every namespaced object it applies from `spec.path`, over what the
 *   files write (kustomize's `namespace:` transformer, which Flux runs);
 * - an Argo CD `Application` (argoproj.io) with `spec.destination.namespace` gives its
 *   namespace to the objects of `spec.source.path` (or each of `spec.sources[].path`) that
 *   write none; what a file writes wins.
 *
 * `path` is relative to the root of the repository the controller reads, which the run does
 * not know: it is the nearest folder above the controller's own file under which that path
 * holds files of the run. A folder placed by two controllers in different namespaces (one
 * copy per environment) is left as written: the run cannot be both.
 */
export interface Placement {
    by: K8sObject;
    folder: string;
    namespace: string;
    /** Flux overrides every namespace; Argo CD fills in only the missing ones. */
    override: boolean;
}
export declare function gitOpsPlacements(objects: K8sObject[], dirOf?: (file: string) => string): Placement[];
/**
 * Moves the objects the run's GitOps controllers place (gitOpsPlacements) into their
 * namespaces, the deepest folder first. Returns how many objects moved.
 */
export declare function placeByGitOps(objects: K8sObject[]): number;
