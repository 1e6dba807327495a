import type { K8sObject } from '../types/object.js';
/**
 * What the cluster's DNS configuration in the input says: CoreDNS's Corefile (ConfigMap
 * `kube-system/coredns`, key `Corefile`) and kubeadm's `ClusterConfiguration` (ConfigMap
 * `kube-system/kubeadm-config`, `networking.dnsDomain`). CoreDNS's kubernetes plugin serves the
 * zones its `kubernetes` line names, answers `<dashed-ip>.<ns>.pod.<zone>` only with
 * `pods insecure` or `pods verified` (`disabled` is the default), and with
 * `endpoint_pod_names` names an endpoint without a hostname by its pod's name.
 */
export interface ClusterDnsConfig {
    /** The cluster domain, where the input states exactly one. */
    domain?: string;
    /** The Corefile's `pods` mode, where the input holds a Corefile with a kubernetes block. */
    pods?: 'disabled' | 'insecure' | 'verified';
    endpointPodNames?: boolean;
}
export declare function clusterDnsConfig(objects: readonly K8sObject[]): ClusterDnsConfig;
