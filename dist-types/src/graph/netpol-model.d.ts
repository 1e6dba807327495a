import ipaddr from 'ipaddr.js';
import type { K8sObject, Path } from '../types/object.js';
import type { ContainerPort, PodTemplate, ServiceGraph } from '../types/graph.js';
/**
 * NetworkPolicy (networking.k8s.io/v1) as the API defines it: which policies select a pod,
 * whether a pod is isolated per direction, and whether one connection (client pod → server
 * pod, port, protocol) is admitted. Pure; policies are indexed by namespace and by one
 * selected label, so selecting the policies of a pod never scans all policies.
 */
/** Three-valued: the run may not tell (ipBlock, unknown namespace labels, hostNetwork). */
export type Tri = true | false | 'unknown';
export declare const NAME_LABEL = "kubernetes.io/metadata.name";
interface Requirement {
    key: string;
    op: string;
    values: string[];
}
/** A metav1.LabelSelector: matchLabels and matchExpressions, ANDed. */
export interface Selector {
    labels: Record<string, string>;
    exprs: Requirement[];
}
export interface PolicyPort {
    protocol: string;
    /** A number, a port name, or undefined for every port of the protocol. */
    port?: number | string;
    endPort?: number;
    path: Path;
}
export interface PolicyPeer {
    pod?: Selector;
    ns?: Selector;
    ipBlock?: {
        cidr: string;
        except: string[];
    };
    path: Path;
}
export type Direction = 'ingress' | 'egress';
export interface PolicyRule {
    /** Undefined when `from`/`to` is missing or empty: every peer. */
    peers?: PolicyPeer[];
    /** Undefined when `ports` is missing or empty: every port. */
    ports?: PolicyPort[];
    path: Path;
}
export interface Policy {
    object: K8sObject;
    namespace: string;
    podSelector: Selector;
    /** Directions the policy isolates (policyTypes, defaulted as the API server does). */
    isolates: Record<Direction, boolean>;
    rules: Record<Direction, PolicyRule[]>;
}
/** A pod as policies see it: a manifest's pod template, or a pod the run assumes (cluster DNS). */
export interface PodView {
    key: string;
    namespace: string;
    labels: Record<string, string>;
    ports: readonly ContainerPort[];
    hostNetwork: boolean;
    /** `Deployment shop/web`. */
    name: string;
    template?: PodTemplate;
    /** Labels its controller adds with values the run cannot know (a hash, each pod's own name): a selector on them may or may not match. */
    vague?: ReadonlySet<string>;
}
export type Verdict = {
    kind: 'allowed';
} | {
    kind: 'blocked';
    sides: {
        direction: Direction;
        policies: Policy[];
    }[];
} | {
    kind: 'cannot-tell';
    reasons: string[];
};
export declare function readSelector(v: unknown): Selector;
export declare function isEmptySelector(s: Selector): boolean;
/**
 * Matches a selector against labels. When `known` is false only the namespace-name label
 * is known to be there: a requirement on any other key cannot be judged.
 */
export declare function matchSelector(s: Selector, labels: Record<string, string>, known?: boolean, vague?: ReadonlySet<string>): Tri;
export declare const and: (a: Tri, b: Tri) => Tri;
export declare const or: (a: Tri, b: Tri) => Tri;
export declare function readPolicy(o: K8sObject): Policy;
export declare const isNetworkPolicy: (o: K8sObject) => boolean;
/** A template's PodView, made once per template (flows ask for the same backends again and again). */
export declare function podView(t: PodTemplate): PodView;
type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
/** Whether an IP lies inside a CIDR (exceptions removed). */
export declare function ipInBlock(ip: string, block: {
    cidr: string;
    except: string[];
}): boolean;
/** Every namespace's labels, as far as the run knows them. */
export interface NamespaceLabels {
    labels(ns: string): {
        labels: Record<string, string>;
        known: boolean;
    };
    /** Namespaces that have a Namespace object in the run. */
    defined: ReadonlyMap<string, K8sObject>;
}
export declare function namespaceLabels(objects: readonly K8sObject[]): NamespaceLabels;
export interface PolicyIndex {
    policies: readonly Policy[];
    /** Policies of the pod's namespace whose podSelector selects it. */
    selecting(pod: PodView): Policy[];
    /**
     * Policies of the pod's namespace that select some of its pods only, by a label the
     * controller gives each pod (`statefulset.kubernetes.io/pod-name: db-0`).
     */
    selectingSome(pod: PodView): Policy[];
    namespaces: NamespaceLabels;
    podCIDRs?: Cidr[];
}
export declare function indexPolicies(objects: readonly K8sObject[], podCIDRs?: readonly string[]): PolicyIndex;
/** Whether a peer of a policy in namespace `policyNs` admits a pod. */
export declare function peerMatches(index: PolicyIndex, peer: PolicyPeer, policyNs: string, pod: PodView, why: Set<string>): Tri;
/** Whether a rule's ports admit `port`/`protocol` on the destination pod (named ports resolve there). */
export declare function portMatches(ports: readonly PolicyPort[] | undefined, port: number, protocol: string, dest: PodView): boolean;
/**
 * Whether a connection from `client` to `server` on `port`/`protocol` (the server pod's
 * port, after a Service's DNAT) is admitted: egress at the client and ingress at the server.
 */
export declare function judge(index: PolicyIndex, client: PodView, server: PodView, port: number, protocol: string): Verdict;
/** The run's NetworkPolicies, indexed once per graph. */
export declare function policyIndex(graph: ServiceGraph): PolicyIndex;
export {};
