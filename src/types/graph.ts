import type { K8sObject, Path } from './object.js';
import type { LoadProblem } from './problem.js';
import type { SourceFile } from './source.js';
import type { TextMemo } from './memo.js';

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol: string;
  path: Path;
}

export interface ProbePort {
  probe: 'readinessProbe';
  /** The port as written: a number or a port name. */
  port: string | number;
  path: Path;
}

export interface ContainerInfo {
  name: string;
  /** An init container with restartPolicy: Always (a native sidecar). */
  sidecar: boolean;
  image?: string;
  path: Path;
  ports: ContainerPort[];
  readinessPort?: ProbePort;
}

/** How many pods a template yields. */
export type Replicas =
  | { mode: 'count'; count: number; path?: Path }
  | { mode: 'per-node' }
  | { mode: 'job'; count: number; suspended: boolean; path?: Path };

/** A pod, or the pod template of a workload: what a Service selector really matches. */
export interface PodTemplate {
  id: number;
  owner: K8sObject;
  namespace: string;
  /** Path to the template inside the owner ([] for a Pod). */
  path: Path;
  labels: Record<string, string>;
  labelsPath: Path;
  containers: ContainerInfo[];
  replicas: Replicas;
}

/** Why pods of a template never become ready endpoints. */
export type NotReadyReason =
  | { kind: 'scaled-to-zero'; path: Path }
  /** A Deployment written with `paused: true`: a new one creates no ReplicaSet (no pods) until resumed. */
  | { kind: 'paused'; path: Path }
  | { kind: 'job'; owner: string; suspended: boolean; path: Path }
  | { kind: 'probe-port-unknown'; container: string; port: string; path: Path }
  /** A container whose command cannot be executed: a whole command line as one word (`["npm start"]`), a shell its image lacks. */
  | { kind: 'command-unrunnable'; container: string; command: string; why: string; path: Path; probe?: 'readinessProbe' | 'startupProbe' }
  /** A readiness probe on a path the image's own server, as it comes, does not serve (404): the official nginx and `/healthz`. */
  | { kind: 'probe-path-missing'; container: string; probePath: string; image: string; why: string; path: Path; probe?: 'startupProbe'; soft?: boolean }
  /** An init container (not a native sidecar) running a server that never exits: the pod's containers never start. */
  | { kind: 'init-never-exits'; container: string; image: string; path: Path }
  /** An image whose server cannot start as the container is set up (the official nginx as a non-root user or on a read-only root file system). */
  | { kind: 'image-cannot-start'; container: string; image: string; why: string; path: Path }
  /** A readiness probe on a path the server answers on another port only (Spring Boot's actuator on `management.server.port`, Keycloak's health on 9000). */
  /** Two containers of the pod listen on one port: the second cannot bind it ("address already in use") and exits. */
  | { kind: 'port-taken'; container: string; other: string; port: number; why: string; path: Path; soft: boolean }
  | { kind: 'probe-path-elsewhere'; container: string; probePath: string; port: number; served: number; why: string; path: Path; probe?: 'startupProbe' };

export type TargetPort =
  | { kind: 'number'; value: number; defaulted: boolean }
  | { kind: 'name'; value: string }
  | { kind: 'quoted-number'; value: string }
  | { kind: 'invalid' };

/** FindPort's answer for one Service port on one pod template. */
export interface PortResolution {
  template: PodTemplate;
  /** The port number endpoints get; undefined when the pod is left out of this port's endpoints. */
  targetPort?: number;
  container?: ContainerInfo;
  containerPort?: ContainerPort;
  /** Numeric targetPort: whether some container of the pod declares it with the same protocol. */
  declared: boolean;
  failure?: 'name-missing' | 'protocol-mismatch' | 'quoted-number' | 'invalid';
  /** For protocol-mismatch: the port that has the name but another protocol. */
  mismatch?: { container: ContainerInfo; port: ContainerPort };
}

export interface ServicePortNode {
  index: number;
  path: Path;
  name?: string;
  port?: number;
  protocol: string;
  target: TargetPort;
  /** Where the targetPort is written, or the port itself when targetPort is omitted. */
  targetPath: Path;
  resolutions: PortResolution[];
}

export type ServiceMode = 'selector' | 'manual' | 'external-name';

export interface ServiceNode {
  object: K8sObject;
  type: string;
  headless: boolean;
  clusterIP?: string;
  externalName?: string;
  /** `selector` matches pods; `manual` has no selector (endpoints come from elsewhere). */
  mode: ServiceMode;
  selector: Record<string, string>;
  selectorPath: Path;
  publishNotReadyAddresses: boolean;
  backends: PodTemplate[];
  ports: ServicePortNode[];
  /** Hand-written Endpoints and EndpointSlices for this Service. */
  manualEndpoints: K8sObject[];
  /** Every EndpointSlice (or v1 Endpoints) published for this Service, whoever manages it. */
  endpointObjects: K8sObject[];
}

/** Where cluster DNS and the ingress controller run, and the pod network: NetworkPolicy needs them. */
export interface NetworkPolicySettings {
  /** Cluster DNS pods (default kube-system, `k8s-app: kube-dns`, 53/UDP and 53/TCP). */
  clusterDns?: { namespace?: string; podLabels?: Record<string, string>; service?: string; ports?: { port: number; protocol: string }[] };
  /** The ingress controller's pods: when set, Ingress backends are judged as flows from them. */
  ingressController?: { namespace: string; podLabels: Record<string, string> };
  /** The cluster's pod CIDRs: with them, ipBlock peers can be judged for pod traffic. */
  podCIDRs?: string[];
}

export interface GraphSettings {
  clusterDomain: string;
  /** The domain was configured, not defaulted: names in another domain are then proven not to resolve. */
  clusterDomainGiven?: boolean;
  /** The cluster DNS's own settings, where the input holds its Corefile (cluster-dns-config.ts). */
  coredns?: { pods: 'disabled' | 'insecure' | 'verified'; endpointPodNames: boolean };
  networkPolicy?: NetworkPolicySettings;
  defaultNamespace: string;
  /** Kubernetes minor version whose API schemas apply, like `1.37`. */
  kubernetesVersion: string;
  /**
   * The objects are a cluster's live state (svclint doctor): pods select as themselves,
   * not through workload templates, and EndpointSlices are what the cluster published.
   */
  live?: boolean;
}

export interface ServiceGraph {
  settings: GraphSettings;
  /** Every file read in this run, including those with only syntax errors. */
  files: SourceFile[];
  objects: K8sObject[];
  loadProblems: LoadProblem[];
  services: ServiceNode[];
  templates: PodTemplate[];
  templatesIn(namespace: string): readonly PodTemplate[];
  /** Pod templates matching a selector in a namespace (indexed: no scan of all templates). */
  select(namespace: string, selector: Record<string, string>): PodTemplate[];
  /** Pod templates in any namespace matching a selector. */
  selectAnywhere(selector: Record<string, string>): PodTemplate[];
  notReadyReasons(t: PodTemplate): NotReadyReason[];
  /** The Service of that name in that namespace, if the run defines it. */
  service(namespace: string, name: string): ServiceNode | undefined;
  /** Every definition of the Service of that name in that namespace (copies in several folders), in the run's order. */
  serviceDefinitions(namespace: string, name: string): readonly ServiceNode[];
  /** Services of a namespace. */
  servicesIn(namespace: string): readonly ServiceNode[];
  /** Services of that name, in any namespace. */
  servicesNamed(name: string): readonly ServiceNode[];
  /** Namespaces the run knows: of objects, and Namespace objects. */
  namespaces: ReadonlySet<string>;
  /** The pod template a workload object owns, if it is a pod source. */
  templateOf(o: K8sObject): PodTemplate | undefined;
  /** Live only: the pod templates of workloads, which explain why pods are missing. */
  workloadTemplates: readonly PodTemplate[];
  /** Custom resources in a namespace whose operator may create pods (labels they carry). */
  customPodSources(namespace: string): CustomPodSource[];
  /** Where pure functions of a text keep their results across runs, when the run has a cache (memo.ts). */
  memo?: TextMemo;
}

/** A custom resource (Prometheus, Alertmanager, a database cluster...) that may own pods. */
export interface CustomPodSource {
  object: K8sObject;
  /** Labels found on the resource and on pod metadata inside its spec. */
  labels: Record<string, string>;
}
