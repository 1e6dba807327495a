import type { K8sObject, Path } from './object.js';
import type { PodTemplate, ServiceNode, ServicePortNode } from './graph.js';

/**
 * The resolver a pod gets, as the kubelet writes its resolv.conf (pkg/kubelet/network/dns):
 * - `ClusterFirst` (the default) and `ClusterFirstWithHostNet`: the cluster DNS, search path
 *   `<ns>.svc.<domain> svc.<domain> <domain>` plus the node's, `ndots:5`;
 * - `ClusterFirst` on a `hostNetwork: true` pod falls back to `Default`;
 * - `Default`: the node's own resolv.conf, which knows no cluster names;
 * - `None`: nothing but what `dnsConfig` lists.
 * Under every policy `dnsConfig` nameservers and searches are appended and its options
 * override.
 */
/**
 * musl's resolver (Alpine images) asks a name with at least `ndots` dots only as written: it
 * does not fall back to the search list the way glibc and Go do. Set when every container of
 * the template runs a musl image and the pod's `ndots` is one a cluster name can reach.
 */
export interface MuslResolver {
  ndots: number;
  /** Where the `ndots` comes from (the option, or `dnsPolicy: None` without one: the resolver's default 1). */
  path: Path;
  image: string;
  /**
   * The `search` line the kubelet writes is at least this long, 255 characters or more: musl
   * reads resolv.conf lines into 256 bytes and ignores one that does not fit, so the pod has no
   * search list at all. `path`: the `dnsConfig.searches` that make it so.
   */
  searchLine?: { length: number; path: Path };
}

export type PodResolver =
  | { kind: 'cluster'; extraSearches: string[]; musl?: MuslResolver }
  | { kind: 'node'; why: 'default' | 'host-network'; path: Path }
  | {
      kind: 'none';
      path: Path;
      searches: string[];
      nameservers: string[];
      /** Whether a nameserver is the cluster DNS: yes (the run's kube-dns ClusterIP), no (every one is a public address, never a ClusterIP), or the run cannot tell. */
      clusterDns: 'yes' | 'no' | 'unknown';
      musl?: MuslResolver;
    };

/** Where a pod reads a configuration value that may name a host. */
export interface ReferenceSite {
  /** The object that holds the text: a workload (env, args, command) or a ConfigMap. */
  object: K8sObject;
  path: Path;
  /** The namespace whose pods' resolver reads the value. */
  namespace: string;
  /** Human words for the place (`env \`DB\` of container \`app\``). */
  where: string;
  /** The env name or ConfigMap key, when the value sits under one. */
  key?: string;
  /** The pod templates that read the value (a ConfigMap's consumers; empty when none in the run). */
  clients: readonly PodTemplate[];
  /**
   * Where Kubernetes expands `$(VAR)` in the value (container env, args, command): the
   * variables the container defines itself (for an env value, those defined before it);
   * undefined for text it does not expand. With
   * `envFrom` the container may define any name, so links are not judged there.
   */
  expands?: { defined: ReadonlySet<string>; envFrom: boolean };
  /** For an env host (`DB_HOST`): the port its sibling variable gives (`DB_PORT=5432`). */
  portFrom?: { name: string; value: number };
  /** A custom resource's field that the operator's pods dial from the resource's namespace (Strimzi's bootstrapServers). */
  podSide?: boolean;
  /** An address the container hands to other pods (an injector's, a server's advertised address): their DNS settings resolve it, not its pod's. */
  dialledElsewhere?: boolean;
  /** A ConfigMap or Secret that no pod of the run reads at all: what it names may never be dialled. */
  unreadByPods?: boolean;
}

/** What a hostname means to the resolver of a pod in a namespace (search path, ndots:5). */
export type DnsResolution =
  | { kind: 'service'; service: ServiceNode; namespace: string; form: 'short' | 'namespaced' | 'fqdn' | 'link' }
  | { kind: 'pod'; service: ServiceNode; namespace: string; host: string }
  | { kind: 'missing'; name: string; namespace: string; form: 'short' | 'namespaced' | 'fqdn' }
  | { kind: 'short-elsewhere'; name: string; namespaces: string[]; pod?: string }
  | { kind: 'swapped'; service: ServiceNode }
  | { kind: 'wrong-domain'; domain: string; name: string; namespace: string }
  | { kind: 'statefulset-pod'; pod: string; statefulSet: string; serviceName?: string; namespace: string }
  | { kind: 'pod-not-headless'; service: ServiceNode; host: string; under?: ServiceNode; maybeNamespace?: boolean }
  /** A name under the cluster domain that is not `…svc.<domain>` or `…pod.<domain>` (CoreDNS answers NXDOMAIN). */
  | { kind: 'outside-zone'; service?: ServiceNode }
  /** `<svc>.svc[.<domain>]`: the namespace label is missing. */
  | { kind: 'no-namespace'; name: string; services: ServiceNode[] }
  /** The host is a workload (Pod, Deployment, StatefulSet…) of that namespace, not a Service. */
  | { kind: 'workload'; workload: PodTemplate; namespace: string }
  /** `<x>.<ns>.pod.<domain>` where `<x>` is not a dashed IP address: pod A records are named by IP only. */
  | { kind: 'pod-record-not-ip'; label: string; namespace: string }
  /** `<dashed-ip>.<ns>.pod.<domain>` where the run's Corefile leaves `pods` disabled (its default). */
  | { kind: 'pod-records-off'; namespace: string }
  /** A StatefulSet pod name under a Service that does not govern it, or with an ordinal the set never creates. */
  | { kind: 'statefulset-pod-invalid'; problem: 'service' | 'ordinal'; pod: string; workload: PodTemplate; service: ServiceNode; serviceName?: string; range: readonly [number, number | undefined] }
  /** `<host>.<svc>.<ns>.svc…` where no pod the headless Service selects has that hostname. */
  | { kind: 'pod-unknown'; service: ServiceNode; host: string; known: string[]; noHostname?: PodTemplate; /** The host is the generated pod name of this template's pods (`$(POD_NAME)`). */ generated?: PodTemplate }
  /** A name with a trailing dot that is not fully qualified: absolute, so no search path completes it. */
  | { kind: 'absolute-partial'; target: DnsResolution & { kind: 'service' | 'pod' }; suggest: string }
  /**
   * A cluster name the reading pod cannot resolve because of its own DNS settings: its resolver
   * is the node's (`dnsPolicy: Default`, or `ClusterFirst` with `hostNetwork`), or `dnsPolicy: None`
   * with no cluster DNS nameserver (`none-external`: proven; `none-unknown`: the run cannot tell)
   * or with searches that never complete the name (`none-search`); or a musl resolver whose
   * `ndots` makes it ask the name only as written (`musl-ndots`).
   */
  | { kind: 'pod-dns'; problem: 'node' | 'none-external' | 'none-unknown' | 'none-search' | 'musl-ndots' | 'musl-search-line'; target: DnsResolution & { kind: 'service' | 'pod' }; client: PodTemplate; resolver: PodResolver; fqdn: boolean }
  /**
   * A Service every cluster has (`kubernetes.default`, `kube-dns.kube-system`), asked by a pod
   * whose resolver is the node's: only the cluster DNS knows the name.
   */
  | { kind: 'builtin-node'; fqdn: string; client: PodTemplate; resolver: PodResolver & { kind: 'node' }; full: boolean }
  /**
   * The reading pod's `hostAliases` name the host: the kubelet writes it into the pod's
   * /etc/hosts, which the resolver reads before DNS. `shadows` is the Service DNS would give.
   */
  | { kind: 'host-alias'; ip: string; client: PodTemplate; path: Path; shadows?: ServiceNode }
  /** `$(FOO_SERVICE_HOST)`: a Service-link variable whose Service the kubelet does not inject. */
  | { kind: 'link-missing'; variable: string; name: string; namespace: string; reason: 'missing' | 'disabled' | 'headless' | 'port'; service?: ServiceNode }
  | { kind: 'unknown' };

/** One host a pod dials, found in configuration text, with what it resolves to. */
export interface ReferenceEdge {
  site: ReferenceSite;
  /** The text as written (`http://api:8080`). */
  text: string;
  host: string;
  /** The port as written, when the text has one (or its sibling env variable's, see portFrom). */
  port?: number;
  /** The env variable the port comes from, when the host's own text names none (`DB_PORT`). */
  portFrom?: string;
  /** The port a client uses when the text names none (`http://` → 80, `https://` → 443). */
  defaultPort?: number;
  /** Dialled over UDP by the clients that read it (`STATSD_HOST`, `JAEGER_AGENT_HOST`); TCP otherwise. */
  protocol?: 'UDP';
  /** For an SRV name (`_http._tcp.api.shop.svc…`): the port name and protocol it asks for. */
  srv?: { port: string; protocol: string };
  /** Written as `namespace/name` (a controller flag or config value), not as a DNS name. */
  namespaced?: boolean;
  /** Found where only a host can stand (a URL's authority, a whole value under a host key, an nginx upstream server). */
  position?: boolean;
  /**
   * Resolved by the client through the Service's EndpointSlices, not DNS (gRPC's `kubernetes:///`
   * targets): `port` is the pods' port it dials, `portName` a Service port's name; `port` above is then unset.
   */
  endpoints?: { port?: number; portName?: string };
  /** The reading program looks the name up another way than libc (`HostRef.lookup`). */
  lookup?: { how: 'never' | 'no-search'; why: string; unlessPodServes?: number };
  resolution: DnsResolution;
  /** The Service port the connection reaches, when the host resolves to a Service and the port is one it exposes. */
  servicePort?: ServicePortNode;
}
