import type { K8sObject } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { getIn } from './pods.js';

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

/** An object cert-manager's ingress-shim makes a Certificate for. */
function certManagerShim(o: K8sObject): boolean {
  const a = getIn(o.body, ['metadata', 'annotations']);
  return a !== null && typeof a === 'object' && ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer'].some((k) => typeof (a as Record<string, unknown>)[k] === 'string');
}

/** ECK: a Service's ports as `spec.http.service.spec.ports` overrides them, else the default. */
function eckPorts(dflt: number, suffix: string) {
  return (o: K8sObject, service: string): number[] | undefined => {
    if (!service.endsWith(suffix)) return undefined;
    const ports = getIn(o.body, ['spec', 'http', 'service', 'spec', 'ports']);
    if (Array.isArray(ports) && ports.length) {
      const n = ports.map((p) => getIn(p, ['port'])).filter((x): x is number => typeof x === 'number');
      return n.length === ports.length ? n : undefined;
    }
    return [dflt];
  };
}

/** Strimzi: `<cluster>-kafka-bootstrap` serves the replication port 9091 and each internal listener's port. */
function strimziPorts(o: K8sObject, service: string): number[] | undefined {
  if (!service.endsWith('-kafka-bootstrap')) return undefined;
  const listeners = getIn(o.body, ['spec', 'kafka', 'listeners']);
  if (!Array.isArray(listeners)) return undefined;
  const ports = [9091];
  for (const l of listeners) {
    const type = getIn(l, ['type']);
    const port = getIn(l, ['port']);
    if (typeof port !== 'number') return undefined;
    if (type === 'internal' || type === 'cluster-ip') ports.push(port);
  }
  return ports;
}

/** Flagger: the apex, `-primary` and `-canary` Services take `service.port` (more with port discovery). */
function flaggerPorts(o: K8sObject): number[] | undefined {
  const port = getIn(o.body, ['spec', 'service', 'port']);
  if (getIn(o.body, ['spec', 'service', 'portDiscovery']) === true || typeof port !== 'number') return undefined;
  return [port];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A Flux HelmRelease: release name `[targetNamespace-]name` unless set; the chart's name. */
function helmReleaseVars(o: K8sObject): Record<string, string> {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const target = str(spec.targetNamespace);
  const release = str(spec.releaseName) ?? (target ? `${target}-${o.name}` : o.name);
  const chart = str(getIn(spec, ['chart', 'spec', 'chart'])) ?? str(getIn(spec, ['chartRef', 'name'])) ?? o.name;
  return { release, chart: chart.split('/').at(-1)! };
}

/** A Flagger Canary's Service name: `service.name`, else its target's name. */
function flaggerVars(o: K8sObject): Record<string, string> {
  const service = str(getIn(o.body, ['spec', 'service', 'name'])) ?? str(getIn(o.body, ['spec', 'targetRef', 'name'])) ?? o.name;
  return { service };
}

/**
 * Pods of a Rollout's canary experiment steps: each template's pods carry the Rollout's pod
 * template labels, the template's own `metadata.labels`, and its `selector.matchLabels`.
 */
function experimentPods(o: K8sObject): Record<string, string>[] {
  const base = labelsAt(o.body, ['spec', 'template', 'metadata', 'labels']);
  const steps = getIn(o.body, ['spec', 'strategy', 'canary', 'steps']);
  const out: Record<string, string>[] = [];
  for (const step of Array.isArray(steps) ? steps : []) {
    const templates = getIn(step, ['experiment', 'templates']);
    for (const t of Array.isArray(templates) ? templates : []) {
      out.push({ ...base, ...labelsAt(t, ['metadata', 'labels']), ...labelsAt(t, ['selector', 'matchLabels']) });
    }
  }
  return out;
}

/** ECK's per-node-set Services: `<name>-es-<nodeSet>` for each of `spec.nodeSets`. */
function eckNodeSets(o: K8sObject): string[] {
  const sets = getIn(o.body, ['spec', 'nodeSets']);
  return (Array.isArray(sets) ? sets : []).map((n) => str(getIn(n, ['name']))).filter((n): n is string => n !== undefined).map((n) => `${o.name}-es-${n}`);
}

function labelsAt(v: unknown, path: string[]): Record<string, string> {
  const m = getIn(v, path);
  return isRecord(m) ? Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
}

const STATIC_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

export const CREATORS: readonly CreatorRow[] = [
  // prometheus-operator: one governing Service per kind, shared by every instance of the namespace.
  { by: 'prometheus-operator', group: 'monitoring.coreos.com', kinds: ['Prometheus'], services: ['prometheus-operated'], servicePorts: (o) => (getIn(o.body, ['spec', 'thanos']) !== undefined ? [9090, 10901] : [9090]), pods: [{ 'app.kubernetes.io/name': 'prometheus', prometheus: '{name}', 'app.kubernetes.io/instance': '{name}', 'operator.prometheus.io/name': '{name}' }] },
  { by: 'prometheus-operator', group: 'monitoring.coreos.com', kinds: ['Alertmanager'], services: ['alertmanager-operated'], servicePorts: () => [9093, 9094], pods: [{ 'app.kubernetes.io/name': 'alertmanager', alertmanager: '{name}', 'app.kubernetes.io/instance': '{name}' }] },
  { by: 'prometheus-operator', group: 'monitoring.coreos.com', kinds: ['ThanosRuler'], services: ['thanos-ruler-operated'], pods: [{ 'app.kubernetes.io/name': 'thanos-ruler', 'thanos-ruler': '{name}' }] },
  // CloudNativePG: read-write, read-only and any-instance Services.
  { by: 'the CloudNativePG operator', group: 'postgresql.cnpg.io', kinds: ['Cluster'], services: ['{name}-rw', '{name}-ro', '{name}-r'], servicePorts: () => [5432], pods: [{ 'cnpg.io/cluster': '{name}' }] },
  { by: 'the CloudNativePG operator', group: 'postgresql.cnpg.io', kinds: ['Pooler'], services: ['{name}'], servicePorts: () => [5432], pods: [{ 'cnpg.io/poolerName': '{name}' }] },
  // Zalando postgres-operator: master Service named like the cluster, replicas, poolers.
  { by: 'the Zalando postgres-operator', group: 'acid.zalan.do', kinds: ['postgresql'], services: ['{name}', '{name}-repl', '{name}-config', '{name}-pooler', '{name}-pooler-repl'], pods: [{ 'cluster-name': '{name}', application: 'spilo' }] },
  // Elastic Cloud on Kubernetes.
  // Elastic Cloud on Kubernetes: and one headless Service per node set, `<name>-es-<nodeSet>`.
  { by: 'the ECK operator', group: 'elasticsearch.k8s.elastic.co', kinds: ['Elasticsearch'], services: ['{name}-es-http', '{name}-es-transport', '{name}-es-internal-http'], servicePorts: (o, svc) => eckPorts(9200, '-es-http')(o, svc) ?? (svc.endsWith('-es-internal-http') ? [9200] : undefined), serviceNames: eckNodeSets, pods: [{ 'elasticsearch.k8s.elastic.co/cluster-name': '{name}', 'common.k8s.elastic.co/type': 'elasticsearch' }] },
  { by: 'the ECK operator', group: 'kibana.k8s.elastic.co', kinds: ['Kibana'], services: ['{name}-kb-http'], servicePorts: eckPorts(5601, '-kb-http'), pods: [{ 'kibana.k8s.elastic.co/name': '{name}', 'common.k8s.elastic.co/type': 'kibana' }] },
  { by: 'the ECK operator', group: 'apm.k8s.elastic.co', kinds: ['ApmServer'], services: ['{name}-apm-http'], servicePorts: eckPorts(8200, '-apm-http') },
  { by: 'the ECK operator', group: 'enterprisesearch.k8s.elastic.co', kinds: ['EnterpriseSearch'], services: ['{name}-ent-http'], servicePorts: eckPorts(3002, '-ent-http') },
  // An Agent in Fleet Server mode serves Fleet on `<name>-agent-http` (8220); Elastic Maps Server, Logstash's API.
  { by: 'the ECK operator', group: 'agent.k8s.elastic.co', kinds: ['Agent'], services: ['{name}-agent-http'], servicePorts: eckPorts(8220, '-agent-http'), pods: [{ 'agent.k8s.elastic.co/name': '{name}', 'common.k8s.elastic.co/type': 'agent' }] },
  { by: 'the ECK operator', group: 'maps.k8s.elastic.co', kinds: ['ElasticMapsServer'], services: ['{name}-ems-http'], servicePorts: eckPorts(8080, '-ems-http') },
  { by: 'the ECK operator', group: 'logstash.k8s.elastic.co', kinds: ['Logstash'], services: ['{name}-ls-api'], servicePorts: (o, svc) => (svc.endsWith('-ls-api') ? [9600] : undefined) },
  // Strimzi.
  { by: 'the Strimzi operator', group: 'kafka.strimzi.io', kinds: ['Kafka'], services: ['{name}-kafka-bootstrap', '{name}-kafka-brokers', '{name}-kafka-*', '{name}-zookeeper-client', '{name}-zookeeper-nodes'], servicePorts: strimziPorts, pods: [{ 'strimzi.io/cluster': '{name}', 'strimzi.io/kind': 'Kafka' }] },
  { by: 'the Strimzi operator', group: 'kafka.strimzi.io', kinds: ['KafkaConnect'], services: ['{name}-connect-api'], servicePorts: () => [8083], pods: [{ 'strimzi.io/cluster': '{name}' }] },
  { by: 'the Strimzi operator', group: 'kafka.strimzi.io', kinds: ['KafkaBridge'], services: ['{name}-bridge-service'], pods: [{ 'strimzi.io/cluster': '{name}' }] },
  // MongoDB Community operator: one headless Service `<name>-svc`.
  { by: 'the MongoDB Community operator', group: 'mongodbcommunity.mongodb.com', kinds: ['MongoDBCommunity'], services: ['{name}-svc'], pods: [{ app: '{name}-svc' }] },
  // Redis operators: Spotahome (RedisFailover) and OT-Container-Kit.
  { by: 'the Spotahome redis-operator', group: 'databases.spotahome.com', kinds: ['RedisFailover'], services: ['rfs-{name}', 'rfr-{name}', 'rfrm-{name}', 'rfrs-{name}'], pods: [{ 'app.kubernetes.io/name': '{name}' }] },
  { by: 'the OT-Container-Kit redis-operator', group: 'redis.redis.opstreelabs.in', kinds: ['Redis', 'RedisCluster', 'RedisReplication', 'RedisSentinel'], services: ['{name}', '{name}-headless', '{name}-additional', '{name}-leader', '{name}-leader-headless', '{name}-follower', '{name}-follower-headless', '{name}-sentinel', '{name}-sentinel-headless'], pods: [{ app: '{name}' }] },
  // MinIO operator: a Tenant's S3 Service is `minio` (one Tenant per namespace), its console `<name>-console`, its pods' headless `<name>-hl` (pkg/resources/services).
  { by: 'the MinIO operator', group: 'minio.min.io', kinds: ['Tenant'], services: ['minio', '{name}-console', '{name}-hl'], pods: [{ 'v1.min.io/tenant': '{name}' }] },
  // Rook: the mgr and its dashboard, mons, object stores.
  { by: 'the Rook operator', group: 'ceph.rook.io', kinds: ['CephCluster'], services: ['rook-ceph-mgr', 'rook-ceph-mgr-dashboard', 'rook-ceph-mon-*', 'rook-ceph-exporter'], pods: [{ app: 'rook-ceph-mgr' }, { app: 'rook-ceph-mon' }, { app: 'rook-ceph-osd' }] },
  { by: 'the Rook operator', group: 'ceph.rook.io', kinds: ['CephObjectStore'], services: ['rook-ceph-rgw-{name}'], pods: [{ app: 'rook-ceph-rgw', rook_object_store: '{name}' }] },
  // Tekton Triggers: an EventListener gets `el-<name>`, its listener on 8080 (and metrics on 9000).
  { by: 'Tekton Triggers (this EventListener)', group: 'triggers.tekton.dev', kinds: ['EventListener'], services: ['el-{name}'], servicePorts: () => [8080, 9000], pods: [{ eventlistener: '{name}' }] },
  // Knative Serving: a Service (or Route) gets a Kubernetes Service of its name, on port 80 (443 with TLS).
  { by: 'Knative Serving (this Service)', group: 'serving.knative.dev', kinds: ['Service', 'Route'], services: ['{name}'], servicePorts: () => [80, 443] },
  // cert-manager's HTTP-01 solvers: generated names, fixed label.
  { by: 'cert-manager (HTTP-01 solver)', group: 'cert-manager.io', kinds: ['Issuer', 'ClusterIssuer', 'Certificate'], services: ['cm-acme-http-solver-*'], pods: [{ 'acme.cert-manager.io/http01-solver': 'true' }] },
  // …and for an Ingress or Gateway its ingress-shim makes a Certificate of (`cert-manager.io/issuer`, `cert-manager.io/cluster-issuer`), in its namespace.
  { by: 'cert-manager (HTTP-01 solver)', group: 'networking.k8s.io', kinds: ['Ingress'], when: certManagerShim, services: ['cm-acme-http-solver-*'], pods: [{ 'acme.cert-manager.io/http01-solver': 'true' }] },
  { by: 'cert-manager (HTTP-01 solver)', group: 'gateway.networking.k8s.io', kinds: ['Gateway'], when: certManagerShim, services: ['cm-acme-http-solver-*'], pods: [{ 'acme.cert-manager.io/http01-solver': 'true' }] },
  // Flux: a HelmRelease renders its chart; its Services are named like the release or the chart.
  { by: 'Flux (the chart this HelmRelease installs)', group: 'helm.toolkit.fluxcd.io', kinds: ['HelmRelease'], services: ['{release}', '{release}-*', '{chart}', '{chart}-*'], vars: helmReleaseVars, namespace: (o) => str(getIn(o.body, ['spec', 'targetNamespace'])) },
  { by: 'the Flux operator', group: 'fluxcd.controlplane.io', kinds: ['FluxInstance'], services: ['webhook-receiver', 'notification-controller', 'source-controller', 'source-watcher'] },
  // Argo Events: an EventSource with `spec.service` gets `<name>-eventsource-svc`; its pods and a Sensor's are labelled by name.
  { by: 'the Argo Events controller (this EventSource)', group: 'argoproj.io', kinds: ['EventSource'], services: ['{name}-eventsource-svc'], when: (o) => isRecord(getIn(o.body, ['spec', 'service'])), pods: [{ 'eventsource-name': '{name}', 'controller': 'eventsource-controller' }] },
  { by: 'the Argo Events controller (this EventSource)', group: 'argoproj.io', kinds: ['EventSource'], pods: [{ 'eventsource-name': '{name}', 'controller': 'eventsource-controller' }] },
  { by: 'the Argo Events controller (this Sensor)', group: 'argoproj.io', kinds: ['Sensor'], pods: [{ 'sensor-name': '{name}', 'controller': 'sensor-controller' }] },
  // Argo Rollouts: preview/active and canary/stable Services are the user's; experiments make their own.
  { by: 'Argo Rollouts (an experiment)', group: 'argoproj.io', kinds: ['Experiment'], services: ['{name}-*'] },
  // Flagger: a Canary makes the apex, `-canary` and `-primary` Services of its target (or of `service.name`).
  { by: 'Flagger (this Canary)', group: 'flagger.app', kinds: ['Canary'], services: ['{service}', '{service}-canary', '{service}-primary'], servicePorts: flaggerPorts, vars: flaggerVars },
  { by: 'Argo Rollouts (an experiment step of this Rollout)', group: 'argoproj.io', kinds: ['Rollout'], podLabels: experimentPods },
  // AWS Load Balancer Controller: `use-annotation` backends name an action, not a Service.
  {
    by: 'the AWS Load Balancer Controller (an action annotation)',
    group: 'networking.k8s.io',
    kinds: ['Ingress'],
    serviceNames: (o) => Object.keys(isRecord(o.body.metadata) && isRecord(o.body.metadata.annotations) ? o.body.metadata.annotations : {})
      .filter((k) => k.startsWith('alb.ingress.kubernetes.io/actions.'))
      .map((k) => k.slice('alb.ingress.kubernetes.io/actions.'.length)),
  },
];

/** Pods no object of the input describes, yet every cluster of that kind runs. */
export const STATIC_PODS: readonly { by: string; namespace: string; labels: Record<string, string> }[] = STATIC_COMPONENTS.map((component) => ({
  by: `the kubelet (the static pod ${component} that kubeadm writes on control-plane nodes)`,
  namespace: 'kube-system',
  labels: { component, tier: 'control-plane' },
}));

export interface Creator {
  by: string;
  /** The object of the input that causes the creation, if any. */
  source?: K8sObject;
}

function fill(pattern: string, vars: Record<string, string>): string {
  return pattern.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
}

function patternMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) && name.length > pattern.length - 1 : name === pattern;
}

/** The table's rows by group and kind, in the table's order: every object of a run is looked up. */
let rowIndex: Map<string, CreatorRow[]> | undefined;

function rowsFor(o: K8sObject): CreatorRow[] {
  if (!rowIndex) {
    rowIndex = new Map();
    for (const r of CREATORS) {
      for (const kind of new Set(r.kinds)) {
        const key = `${r.group}\u0000${kind}`;
        const list = rowIndex.get(key);
        if (list) list.push(r);
        else rowIndex.set(key, [r]);
      }
    }
  }
  const slash = o.apiVersion.indexOf('/');
  const rows = rowIndex.get(`${slash < 0 ? '' : o.apiVersion.slice(0, slash)}\u0000${o.kind}`);
  return rows ? rows.filter((r) => !r.when || r.when(o)) : [];
}

const creatorsOf = new WeakMap<readonly K8sObject[], { o: K8sObject; rows: CreatorRow[] }[]>();

/** The objects of a run that create something, with their rows: found once per run, not once per finding. */
function creatorObjects(objects: readonly K8sObject[]): { o: K8sObject; rows: CreatorRow[] }[] {
  let list = creatorsOf.get(objects);
  if (!list) {
    list = [];
    for (const o of objects) {
      const rows = rowsFor(o);
      if (rows.length) list.push({ o, rows });
    }
    creatorsOf.set(objects, list);
  }
  return list;
}

const servicesCreated = new WeakMap<readonly K8sObject[], Map<string, Creator | undefined>>();

/** Who creates Service `name` in `namespace` out of band, from the objects of the run (asked once per name in a run). */
export function createdService(objects: readonly K8sObject[], namespace: string, name: string): Creator | undefined {
  let known = servicesCreated.get(objects);
  if (!known) servicesCreated.set(objects, (known = new Map()));
  const key = `${namespace}/${name}`;
  if (!known.has(key)) known.set(key, findCreatedService(objects, namespace, name));
  return known.get(key);
}

function findCreatedService(objects: readonly K8sObject[], namespace: string, name: string): Creator | undefined {
  for (const { o, rows } of creatorObjects(objects)) {
    for (const row of rows) {
      const ns = row.namespace?.(o) ?? o.namespace;
      if (ns !== namespace && !(row.group === 'cert-manager.io' && o.kind === 'ClusterIssuer')) continue;
      if (servicePatternsOf(o, row).some((p) => patternMatches(p, name)) || (row.serviceNames?.(o) ?? []).includes(name)) return { by: row.by, source: o };
    }
  }
  return undefined;
}

/**
 * The ports of a Service that a creator of the run makes, where its resource decides them (every
 * creator of that name agreeing): `alertmanager-operated` 9093 and 9094, an ECK Kibana's
 * `-kb-http` 5601, a Flagger Canary's `service.port`. Undefined where no creator makes the
 * Service or one cannot tell.
 */
export function createdServicePorts(objects: readonly K8sObject[], namespace: string, name: string): { by: string; source: K8sObject; ports: number[] } | undefined {
  let found: { by: string; source: K8sObject; ports: number[] } | undefined;
  for (const { o, rows } of creatorObjects(objects)) {
    for (const row of rows) {
      const ns = row.namespace?.(o) ?? o.namespace;
      if (ns !== namespace) continue;
      if (!(servicePatternsOf(o, row).some((p) => patternMatches(p, name)) || (row.serviceNames?.(o) ?? []).includes(name))) continue;
      const ports = row.servicePorts?.(o, name);
      if (!ports) return undefined;
      found = found ? { ...found, ports: [...new Set([...found.ports, ...ports])] } : { by: row.by, source: o, ports };
    }
  }
  return found;
}

/** Who creates pods carrying every label of `selector` in `namespace` out of band. */
export function createdPods(objects: readonly K8sObject[], namespace: string, selector: Record<string, string>): Creator | undefined {
  const entries = Object.entries(selector);
  if (entries.length === 0) return undefined;
  // Asked once per finding: copies of one application ask the same question many times.
  let known = podsCreated.get(objects);
  if (!known) podsCreated.set(objects, (known = new Map()));
  const key = JSON.stringify([namespace, entries]);
  if (known.has(key)) return known.get(key);
  const found = findCreatedPods(objects, namespace, entries);
  known.set(key, found);
  return found;
}

const podsCreated = new WeakMap<readonly K8sObject[], Map<string, Creator | undefined>>();

function findCreatedPods(objects: readonly K8sObject[], namespace: string, entries: [string, string][]): Creator | undefined {
  const covers = (labels: Record<string, string>) => entries.every(([k, v]) => labels[k] === v);
  for (const s of STATIC_PODS) if (s.namespace === namespace && covers(s.labels)) return { by: s.by };
  for (const { o, rows } of creatorObjects(objects)) {
    for (const row of rows) {
      if ((row.namespace?.(o) ?? o.namespace) !== namespace) continue;
      if (podsOf(o, row).some(covers)) return { by: row.by, source: o };
    }
  }
  return undefined;
}

/**
 * A creator of the run in `namespace` that makes Services and pods whose known labels are all
 * among `selector`'s (the table knows some of a pod's labels, not all: Rook's `app:
 * rook-ceph-mgr` under a selector that adds `rook_cluster`): it may make a Service that a
 * selector of its pods' labels picks. Asked only on the way to a finding.
 */
export function createdServicesLike(objects: readonly K8sObject[], namespace: string, selector: Record<string, string>): Creator | undefined {
  const inSelector = (labels: Record<string, string>) => Object.keys(labels).length > 0 && Object.entries(labels).every(([k, v]) => selector[k] === v);
  for (const { o, rows } of creatorObjects(objects)) {
    for (const row of rows) {
      if ((row.namespace?.(o) ?? o.namespace) !== namespace || !(row.services?.length || row.serviceNames)) continue;
      if (podsOf(o, row).some(inSelector)) return { by: row.by, source: o };
    }
  }
  return undefined;
}

const servicePatterns = new WeakMap<K8sObject, Map<CreatorRow, string[]>>();

/** The Service name patterns one row of the table makes from an object, filled in once. */
function servicePatternsOf(o: K8sObject, row: CreatorRow): string[] {
  let byRow = servicePatterns.get(o);
  if (!byRow) servicePatterns.set(o, (byRow = new Map()));
  let patterns = byRow.get(row);
  if (!patterns) {
    const vars = { name: o.name, ...(row.vars?.(o) ?? {}) };
    patterns = (row.services ?? []).map((p) => fill(p, vars));
    byRow.set(row, patterns);
  }
  return patterns;
}

const podLabelsMade = new WeakMap<K8sObject, Map<CreatorRow, Record<string, string>[]>>();

/** The label sets of the pods one row of the table makes from an object, filled in once. */
function podsOf(o: K8sObject, row: CreatorRow): Record<string, string>[] {
  let byRow = podLabelsMade.get(o);
  if (!byRow) podLabelsMade.set(o, (byRow = new Map()));
  let pods = byRow.get(row);
  if (!pods) {
    const vars = { name: o.name, ...(row.vars?.(o) ?? {}) };
    pods = [...(row.pods ?? []).map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, fill(v, vars)]))), ...(row.podLabels?.(o) ?? [])];
    byRow.set(row, pods);
  }
  return pods;
}
