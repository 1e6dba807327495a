import type { K8sObject, Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { ReferenceEdge } from '../types/reference.js';
import { type Direction, type PodView, type Verdict } from './netpol-model.js';
/** The connections the run knows pods make, judged against its NetworkPolicies. */
export interface FlowSite {
    object: K8sObject;
    path: Path;
    /** What the client dials (`http://api:8080`, or the Ingress backend). */
    text: string;
    /** Where it is written, in words. */
    where: string;
}
export interface BackendVerdict {
    backend: PodView;
    /** The backend pod's port after the Service's DNAT: where policy applies. */
    targetPort: number;
    protocol: string;
    verdict: Verdict;
}
export interface ServiceFlow {
    site: FlowSite;
    client: PodView;
    service: ServiceNode;
    port: ServicePortNode;
    backends: BackendVerdict[];
    /** The text names no port and the Service has several: which of them the client dials is not written. */
    portUnwritten?: boolean;
}
/**
 * The addresses NodeLocal DNSCache answers on, from its DaemonSet in the run (the
 * `k8s-dns-node-cache` image's `-localip`): a link-local address, and in iptables mode the
 * kube-dns ClusterIP, which it binds on every node (with NOTRACK: no translation to pod IPs).
 * Queries then go to a host-network pod on the client's node, not to the cluster DNS pods.
 */
export declare function nodeLocalDnsIPs(graph: ServiceGraph): string[];
export declare const DNS_DEFAULTS: {
    namespace: string;
    podLabels: {
        'k8s-app': string;
    };
    service: string;
    ports: {
        port: number;
        protocol: string;
    }[];
};
/** The pods and ports of cluster DNS: the run's own CoreDNS objects, else the configured defaults. */
export declare function clusterDns(graph: ServiceGraph): {
    namespace: string;
    podLabels: Record<string, string>;
    pods: PodView[];
    ports: {
        port: number;
        protocol: string;
        target: (pod: PodView) => number | undefined;
    }[];
};
export declare const labelText: (labels: Record<string, string>) => string;
/** The ingress controller's pods, when configured: the run's own, else one assumed pod. */
export declare function ingressController(graph: ServiceGraph): PodView[] | undefined;
/** The verdict of the run's NetworkPolicies on a connection between two pods (views of templates, or pods the run only knows the labels of). */
export declare function judgeViews(graph: ServiceGraph, client: PodView, server: PodView, port: number, protocol: string): Verdict;
/** The verdict of the run's NetworkPolicies on a connection from the pods of one template to those of another. */
export declare function judgePods(graph: ServiceGraph, client: PodTemplate, server: PodTemplate, port: number, protocol: string): Verdict;
/**
 * Every flow to a Service's backends the run knows: each reference edge from each client pod
 * template that reads it, and each Ingress backend from the ingress controller (when configured).
 */
export declare function serviceFlows(graph: ServiceGraph): readonly ServiceFlow[];
export interface IngressBackend {
    ingress: K8sObject;
    path: Path;
    name: string;
    number?: number;
    portName?: string;
}
/** The Service backends of every networking.k8s.io/v1 Ingress of the run (default backend and rules). */
export declare function ingressBackends(graph: ServiceGraph): IngressBackend[];
export interface DnsFlow {
    template: PodTemplate;
    client: PodView;
    /** A name the pods dial, to show why they need DNS. */
    example: ReferenceEdge;
    /** Per protocol, the worst verdict over the DNS pods. */
    protocols: {
        protocol: string;
        port: number;
        server: PodView;
        verdict: Verdict;
    }[];
}
/** Whether a pod queries cluster DNS: ClusterFirst (off the host network) or ClusterFirstWithHostNet. */
export declare function usesClusterDns(graph: ServiceGraph, t: PodTemplate): boolean;
/** DNS queries of every pod template that dials a Service by name, judged against cluster DNS. */
export declare function dnsFlows(graph: ServiceGraph): DnsFlow[];
/**
 * The smallest rule that admits one connection at one side, as YAML for `spec.ingress` or
 * `spec.egress` of a policy in the subject's namespace: the peer by its labels (and its
 * namespace by name when it is another one), and the port.
 */
export declare function admitRule(direction: Direction, subjectNs: string, peer: {
    namespace: string;
}, peerLabels: Record<string, string>, ports: {
    port: number;
    protocol: string;
}[]): string;
/** The fix for a blocked connection: one rule per blocking side, in the first isolating policy. */
export declare function admitFix(client: PodView, server: PodView, serverLabels: Record<string, string>, port: number, protocol: string, verdict: Verdict & {
    kind: 'blocked';
}): string;
export declare function verdictText(v: Verdict): string;
export type { Policy, PodView, Verdict, Direction } from './netpol-model.js';
export { judge, policyIndex, podView } from './netpol-model.js';
/** The "policy" link of a Service's chain: its known clients and cluster DNS, admitted or not. */
export interface PolicyLink {
    /** `none`: no NetworkPolicy in the input touches these flows, or no client is known. */
    status: 'admitted' | 'blocked' | 'cannot-tell' | 'none';
    /** One line per client, port and verdict (`Deployment shop/web → 80/TCP: blocked at ingress by shop/deny`). */
    lines: string[];
}
/**
 * For the chain view between DNS and ports: whether the clients the run knows reach this
 * Service's backends, and whether they can resolve its name (their egress to cluster DNS).
 */
export declare function policyLink(graph: ServiceGraph, svc: ServiceNode): PolicyLink;
/**
 * The policies of other APIs (AdminNetworkPolicy, Cilium's, Calico's) that can decide a
 * connection between pods of these namespaces, in the folder tree of `near`, as
 * `Kind namespace/name`: they can admit what NetworkPolicy alone would not (an
 * AdminNetworkPolicy's Allow is final, Cilium and Calico add their allow rules), so a block
 * svclint sees is not proof.
 */
export declare function otherPolicies(graph: ServiceGraph, namespaces: readonly string[], near: K8sObject): string[];
