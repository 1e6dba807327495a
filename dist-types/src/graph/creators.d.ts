import type { K8sObject } from '../types/object.js';
/**
 * Objects the input itself will create out of band: Services and pods that an operator, a
 * GitOps controller or the kubelet makes from something the run holds. One row per source;
 * a rule asks `createdService` / `createdPods` and never names an operator itself.
 *
 * Name patterns: `{name}` is the resource's name (or, where a row says so, the release or
 * chart), a trailing `*` makes the pattern a prefix.
 */
export interface CreatorRow {
    /** Who creates them, for messages: "the Rook operator". */
    by: string;
    /** API group of the source (the part of apiVersion before `/`); '' for core objects. */
    group: string;
    kinds: readonly string[];
    /** Services it creates. */
    services?: readonly string[];
    /** Labels of pods it creates (a selector that is a subset of one of these matches). */
    pods?: readonly Record<string, string>[];
    /** Values for the patterns beyond `{name}` (release and chart names of a HelmRelease). */
    vars?: (o: K8sObject) => Record<string, string>;
    /** Namespace the objects go to; default the source's own. */
    namespace?: (o: K8sObject) => string | undefined;
    /** Whether this object qualifies (an Ingress only with the annotation). */
    when?: (o: K8sObject) => boolean;
    /** Extra Service names read from the object (annotation keys). */
    serviceNames?: (o: K8sObject) => string[];
    /** Labels of pods read from the object (an Argo Rollouts experiment step's templates). */
    podLabels?: (o: K8sObject) => Record<string, string>[];
    /** The port numbers of a Service it creates (by the Service's name), where the object decides them; undefined when it cannot tell. */
    servicePorts?: (o: K8sObject, service: string) => number[] | undefined;
}
export declare const CREATORS: readonly CreatorRow[];
/** Pods no object of the input describes, yet every cluster of that kind runs. */
export declare const STATIC_PODS: readonly {
    by: string;
    namespace: string;
    labels: Record<string, string>;
}[];
export interface Creator {
    by: string;
    /** The object of the input that causes the creation, if any. */
    source?: K8sObject;
}
/** Who creates Service `name` in `namespace` out of band, from the objects of the run (asked once per name in a run). */
export declare function createdService(objects: readonly K8sObject[], namespace: string, name: string): Creator | undefined;
/**
 * The ports of a Service that a creator of the run makes, where its resource decides them (every
 * creator of that name agreeing): `alertmanager-operated` 9093 and 9094, an ECK Kibana's
 * `-kb-http` 5601, a Flagger Canary's `service.port`. Undefined where no creator makes the
 * Service or one cannot tell.
 */
export declare function createdServicePorts(objects: readonly K8sObject[], namespace: string, name: string): {
    by: string;
    source: K8sObject;
    ports: number[];
} | undefined;
/** Who creates pods carrying every label of `selector` in `namespace` out of band. */
export declare function createdPods(objects: readonly K8sObject[], namespace: string, selector: Record<string, string>): Creator | undefined;
/**
 * A creator of the run in `namespace` that makes Services and pods whose known labels are all
 * among `selector`'s (the table knows some of a pod's labels, not all: Rook's `app:
 * rook-ceph-mgr` under a selector that adds `rook_cluster`): it may make a Service that a
 * selector of its pods' labels picks. Asked only on the way to a finding.
 */
export declare function createdServicesLike(objects: readonly K8sObject[], namespace: string, selector: Record<string, string>): Creator | undefined;
