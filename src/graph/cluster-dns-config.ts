import { parse } from 'yaml';
import type { K8sObject } from '../types/object.js';
import { isRecord } from '../load/objects.js';

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

const ARPA = /\.arpa\.?$/;

export function clusterDnsConfig(objects: readonly K8sObject[]): ClusterDnsConfig {
  const out: ClusterDnsConfig = {};
  const domains = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'ConfigMap' || o.namespace !== 'kube-system' || !isRecord(o.body.data)) continue;
    const data = o.body.data;
    if (o.name === 'coredns' && typeof data.Corefile === 'string' && !/\{\{|\$\{/.test(data.Corefile)) {
      const k = kubernetesBlock(data.Corefile);
      if (k) {
        for (const z of k.zones) if (!ARPA.test(z)) domains.add(z.replace(/\.$/, '').toLowerCase());
        out.pods = k.pods;
        out.endpointPodNames = k.endpointPodNames;
      }
    }
    if (o.name === 'kubeadm-config' && typeof data.ClusterConfiguration === 'string') {
      try {
        const c: unknown = parse(data.ClusterConfiguration, { logLevel: 'error' });
        const d = isRecord(c) && isRecord(c.networking) ? c.networking.dnsDomain : undefined;
        if (typeof d === 'string' && d !== '') domains.add(d.replace(/\.$/, '').toLowerCase());
      } catch {
        // Not YAML: nothing stated.
      }
    }
  }
  if (domains.size === 1) out.domain = [...domains][0]!;
  return out;
}

/** The first `kubernetes` plugin block of a Corefile: its zones and the options read here. */
function kubernetesBlock(corefile: string): { zones: string[]; pods: 'disabled' | 'insecure' | 'verified'; endpointPodNames: boolean } | undefined {
  const lines = corefile.split(/\r?\n/).map((l) => l.replace(/#.*$/, '').trim());
  const at = lines.findIndex((l) => /^kubernetes(\s|\{|$)/.test(l));
  if (at < 0) return undefined;
  const head = lines[at]!.replace(/\{.*$/, '').trim().split(/\s+/).slice(1);
  let pods: 'disabled' | 'insecure' | 'verified' = 'disabled';
  let endpointPodNames = false;
  if (lines[at]!.includes('{') && !lines[at]!.includes('}')) {
    for (let i = at + 1; i < lines.length && !lines[i]!.startsWith('}'); i++) {
      const w = lines[i]!.split(/\s+/);
      if (w[0] === 'pods' && (w[1] === 'insecure' || w[1] === 'verified' || w[1] === 'disabled')) pods = w[1];
      if (w[0] === 'endpoint_pod_names') endpointPodNames = true;
    }
  }
  return { zones: head, pods, endpointPodNames };
}
