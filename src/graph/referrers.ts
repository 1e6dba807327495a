import path from 'node:path';
import type { K8sObject, Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph, ServiceNode } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { getIn, stringMap } from './pods.js';
import { matchSelector, readSelector } from './netpol-model.js';

/** A Service that an object of another kind sends traffic to, by name. */
export interface ServiceRef {
  object: K8sObject;
  /** Where the Service name (or host) is written. */
  path: Path;
  name: string;
  namespace: string;
  /**
   * The port: a Service port number or name; with `endpoint`, an endpoint port instead (the
   * Service port's name, or the number the pod's endpoint gets), as OpenShift's router reads
   * a Route's `targetPort`.
   */
  port?: { number?: number; name?: string; endpoint?: boolean };
  portPath?: Path;
  /** Why the port is this one when the referrer writes none. */
  portDefault?: string;
  /** The referrer writes no port where its controller requires one. */
  portMissing?: boolean;
  /** The referrer reaches the Service by its DNS name: a headless one answers with pod IPs, and any port of the pods works. */
  viaDns?: boolean;
  /** How the referrer calls the field, for messages: `destination host`, `canaryService`. */
  field: string;
  /** The namespace is written in the reference (not the referrer's own); `namespacePath` where, when a field of its own. */
  namespaceWritten?: boolean;
  namespacePath?: Path;
  /** An Istio host written `<svc>.<ns>[.svc]`, which Istio does not complete (`istioPartialHost`). */
  partialHost?: boolean;
}

/**
 * One row per kind: where its Service references live. `at` is a path with `*` for every
 * list item; under it, `name` is the Service name (or, with `host`, a DNS host that
 * short names make relative to the object's namespace, as Istio does), `namespace` the
 * Service's namespace when the kind allows another, and `port` its port (a number, or a
 * Service port name where the kind allows one). `kind` filters entries that name another
 * kind of backend (Traefik's `TraefikService`).
 */
interface Row {
  kind: string;
  group: RegExp;
  at: string;
  name: string;
  host?: boolean;
  namespace?: string;
  port?: string;
  kindField?: string;
  /** The port is judged only when given by name (a number means something else to this kind). */
  portNamesOnly?: boolean;
  /** `port` is a path from the object's root, not from the entry (one port for every entry). */
  portFromRoot?: boolean;
  /** The port names an endpoint port: a Service port name, or the target port number. */
  endpointPort?: boolean;
  /** How messages call the field, when not `name`. */
  field?: string;
  /** The value `kindField` holds for a Service backend (default `Service`). */
  kindValue?: string;
  /** The entry is judged only when `namespace` is written (the kind has no default). */
  namespaceRequired?: boolean;
  /** A Service entry without a port is refused by the controller (Traefik: "service port not defined"). */
  portRequired?: boolean;
  /** `name` is `[scheme://]host[:port]` (Emissary's `service`); with a value, the port when none is written. */
  hostPort?: 'http' | 'tcp';
  /** The Service port the referrer's controller uses when `port` is not written, and why. */
  portDefault?: { number: number; why: string };
  /** The entry names a Service only with this `apiVersion` (Knative's refs name Knative Services, kind `Service` too). */
  apiVersion?: string;
  /**
   * A Knative destination's `ref`: the resolver sends to `http://<name>.<namespace>.svc.<domain>`,
   * Service port 80, or 443 (`https`) when the destination gives `CACerts`.
   */
  knativeDestination?: boolean;
}

const ISTIO = /^networking\.istio\.io\//;
const TRAEFIK = /^traefik\.(io|containo\.us)\//;
const CONTOUR = /^projectcontour\.io\//;
const ARGO = /^argoproj\.io\//;
const SMI = /^split\.smi-spec\.io\//;
const NGINX_INC = /^k8s\.nginx\.org\//;
const GATEWAY_API = /^gateway\.networking\.k8s\.io\//;
const MCS = /^(multicluster\.x-k8s\.io|net\.gke\.io)\//;
const PROMETHEUS = /^monitoring\.coreos\.com\//;
const EMISSARY = /^getambassador\.io\//;
const APISIX = /^apisix\.apache\.org\//;
const GLOO = /^gloo\.solo\.io\//;
const GLOO_GATEWAY = /^gateway\.solo\.io\//;
const SKIPPER = /^zalando\.org\//;
const KONG = /^configuration\.konghq\.com\//;
// OpenShift 3 also stored Routes as `v1` (no group); Kubernetes has no core Route.
const OPENSHIFT_ROUTE = /^(route\.openshift\.io\/|v1$)/;
const INFERENCE = /^inference\.networking\.k8s\.io\//;
const INFERENCE_ALPHA = /^inference\.networking\.x-k8s\.io\//;
const LINKERD_POLICY = /^policy\.linkerd\.io\//;
const ENVOY_GATEWAY = /^gateway\.envoyproxy\.io\//;
const CILIUM = /^cilium\.io\//;
const KNATIVE_SOURCES = /^(sources|eventing|messaging|flows)\.knative\.dev\//;
const KNATIVE_WHY = 'Knative sends to `http://<name>.<namespace>.svc`, port 80 (443 with `CACerts`), for a `v1` Service';

export const REFERRERS: readonly Row[] = [
  ...['http', 'tcp', 'tls'].map((p) => ({ kind: 'VirtualService', group: ISTIO, at: `spec.${p}.*.route.*.destination`, name: 'host', host: true, port: 'port.number' })),
  { kind: 'VirtualService', group: ISTIO, at: 'spec.http.*.mirror', name: 'host', host: true, port: 'port.number' },
  { kind: 'DestinationRule', group: ISTIO, at: 'spec', name: 'host', host: true },
  ...['IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP'].map((kind) => ({ kind, group: TRAEFIK, at: 'spec.routes.*.services.*', name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind', portRequired: true })),
  // A TraefikService's weighted services and mirrors (the same fields as IngressRoute's services).
  ...['spec.weighted.services.*', 'spec.mirroring', 'spec.mirroring.mirrors.*'].map((at) => ({ kind: 'TraefikService', group: TRAEFIK, at, name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind', portRequired: true })),
  { kind: 'HTTPProxy', group: CONTOUR, at: 'spec.routes.*.services.*', name: 'name', port: 'port' },
  { kind: 'HTTPProxy', group: CONTOUR, at: 'spec.tcpproxy.services.*', name: 'name', port: 'port' },
  ...['canaryService', 'stableService'].map((name) => ({ kind: 'Rollout', group: ARGO, at: 'spec.strategy.canary', name })),
  ...['activeService', 'previewService'].map((name) => ({ kind: 'Rollout', group: ARGO, at: 'spec.strategy.blueGreen', name })),
  // SMI traffic splits (Linkerd, Flagger): the root Service clients call, and its backends.
  { kind: 'TrafficSplit', group: SMI, at: 'spec', name: 'service' },
  { kind: 'TrafficSplit', group: SMI, at: 'spec.backends.*', name: 'service' },
  // NGINX Inc. ingress controller: an upstream is a Service and one of its Service ports.
  ...['VirtualServer', 'VirtualServerRoute', 'TransportServer'].map((kind) => ({ kind, group: NGINX_INC, at: 'spec.upstreams.*', name: 'service', port: 'port' })),
  // Traefik's errors middleware serves error pages from a Service (the fields of a route's service).
  { kind: 'Middleware', group: TRAEFIK, at: 'spec.errors.service', name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind' },
  // AWS Load Balancer Controller: a TargetGroupBinding registers the pods (or nodes) behind a Service port, by number or name.
  { kind: 'TargetGroupBinding', group: /^elbv2\.k8s\.aws\//, at: 'spec.serviceRef', field: 'serviceRef', name: 'name', port: 'port', portRequired: true },
  // KEDA's HTTP add-on: the interceptor forwards to this Service and Service port.
  { kind: 'HTTPScaledObject', group: /^http\.keda\.sh\//, at: 'spec.scaleTargetRef', field: 'scaleTargetRef.service', name: 'service', port: 'port' },
  // Linkerd's own HTTPRoute (policy.linkerd.io, a copy of the Gateway API's): its backends are Services and Service ports.
  { kind: 'HTTPRoute', group: LINKERD_POLICY, at: 'spec.rules.*.backendRefs.*', field: 'backendRefs[].name', name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind' },
  // Gateway API policies attached to a Service (and a port of it, by name).
  ...['BackendTLSPolicy', 'BackendLBPolicy'].map((kind) => ({ kind, group: GATEWAY_API, at: 'spec.targetRefs.*', name: 'name', kindField: 'kind', port: 'sectionName', portNamesOnly: true })),
  // Multi-cluster Services: a ServiceExport exports the Service of its own name and namespace.
  { kind: 'ServiceExport', group: MCS, at: 'metadata', name: 'name' },
  // prometheus-operator: the Alertmanagers a Prometheus sends alerts to, by Service and port
  // name (a port number there is matched against container ports, not Service ports).
  { kind: 'Prometheus', group: PROMETHEUS, at: 'spec.alerting.alertmanagers.*', name: 'name', namespace: 'namespace', port: 'port', portNamesOnly: true },
  // Emissary-ingress (Ambassador): `service` is `[scheme://]name[.namespace][:port]`, the port
  // the Service's (80, or 443 when TLS is originated, when none is written).
  { kind: 'Mapping', group: EMISSARY, at: 'spec', name: 'service', hostPort: 'http' },
  { kind: 'TCPMapping', group: EMISSARY, at: 'spec', name: 'service', hostPort: 'tcp' },
  // Its external services: authentication, rate limiting, tracing and access logs (the port judged when written).
  { kind: 'AuthService', group: EMISSARY, at: 'spec', name: 'auth_service', hostPort: 'tcp' },
  ...['RateLimitService', 'TracingService', 'LogService'].map((kind) => ({ kind, group: EMISSARY, at: 'spec', name: 'service', hostPort: 'tcp' as const })),
  // Apache APISIX: backends by Service name and Service port (number or name), in the route's namespace.
  { kind: 'ApisixRoute', group: APISIX, at: 'spec.http.*.backends.*', name: 'serviceName', port: 'servicePort' },
  { kind: 'ApisixRoute', group: APISIX, at: 'spec.stream.*.backend', name: 'serviceName', port: 'servicePort' },
  // Gloo: a Kubernetes upstream is a Service and its port number, in the namespace written.
  { kind: 'Upstream', group: GLOO, at: 'spec.kube', name: 'serviceName', namespace: 'serviceNamespace', namespaceRequired: true, port: 'servicePort' },
  // Gloo Edge's VirtualService (and RouteTable) routes straight to a Service: `kube.ref` and `kube.port`, a Service port.
  ...['VirtualService', 'RouteTable'].flatMap((kind) => ['spec.virtualHost.routes.*.routeAction.single.kube', 'spec.virtualHost.routes.*.routeAction.multi.destinations.*.destination.kube', 'spec.routes.*.routeAction.single.kube', 'spec.routes.*.routeAction.multi.destinations.*.destination.kube'].map((at) => ({ kind, group: GLOO_GATEWAY, at, field: 'kube.ref.name', name: 'ref.name', namespace: 'ref.namespace', port: 'port' }))),
  // Skipper: a RouteGroup backend of `type: service` is a Service and its port number.
  { kind: 'RouteGroup', group: SKIPPER, at: 'spec.backends.*', name: 'serviceName', kindField: 'type', kindValue: 'service', port: 'servicePort' },
  // Kong: TCP and UDP ingresses name a Service and its port number.
  ...['TCPIngress', 'UDPIngress'].map((kind) => ({ kind, group: KONG, at: 'spec.rules.*.backend', name: 'serviceName', port: 'servicePort' })),
  // OpenShift Route: its Service (`to`, up to three `alternateBackends`) and one `targetPort`
  // for all of them, which the router matches against each endpoint's port name or number.
  // Gateway API Inference Extension: the Service of an InferencePool's endpoint picker, and
  // its Service port (required in v1; 9002 when v1alpha2's portNumber is not written).
  { kind: 'InferencePool', group: INFERENCE, at: 'spec.endpointPickerRef', field: 'endpointPickerRef.name', name: 'name', kindField: 'kind', port: 'port.number' },
  { kind: 'InferencePool', group: INFERENCE_ALPHA, at: 'spec.extensionRef', field: 'extensionRef.name', name: 'name', kindField: 'kind', port: 'portNumber', portDefault: { number: 9002, why: 'the endpoint picker is called on port 9002 when `portNumber` is not written' } },
  // Envoy Gateway: the external services of its policies (authorization, processing, JWKS, OIDC),
  // backendRefs of the Gateway API's shape: a Service and its Service port.
  ...['spec.extAuth.http.backendRefs.*', 'spec.extAuth.grpc.backendRefs.*', 'spec.extAuth.http.backendRef', 'spec.extAuth.grpc.backendRef', 'spec.jwt.providers.*.remoteJWKS.backendRefs.*', 'spec.oidc.provider.backendRefs.*'].map((at) => ({ kind: 'SecurityPolicy', group: ENVOY_GATEWAY, at, field: 'backendRefs[].name', name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind' })),
  ...['spec.extProc.*.backendRefs.*', 'spec.extProc.*.backendRef'].map((at) => ({ kind: 'EnvoyExtensionPolicy', group: ENVOY_GATEWAY, at, field: 'backendRefs[].name', name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind' })),
  // Envoy Gateway's EnvoyProxy sends traces, access logs and metrics to Services.
  ...['spec.telemetry.tracing.provider.backendRefs.*', 'spec.telemetry.accessLog.settings.*.sinks.*.openTelemetry.backendRefs.*', 'spec.telemetry.metrics.sinks.*.openTelemetry.backendRefs.*'].map((at) => ({ kind: 'EnvoyProxy', group: ENVOY_GATEWAY, at, field: 'backendRefs[].name', name: 'name', namespace: 'namespace', port: 'port', kindField: 'kind' })),
  // Cilium: a policy's `toServices` and an Envoy config's Services.
  { kind: 'CiliumNetworkPolicy', group: CILIUM, at: 'spec.egress.*.toServices.*.k8sService', field: 'toServices[].k8sService.serviceName', name: 'serviceName', namespace: 'namespace' },
  { kind: 'CiliumClusterwideNetworkPolicy', group: CILIUM, at: 'spec.egress.*.toServices.*.k8sService', field: 'toServices[].k8sService.serviceName', name: 'serviceName', namespace: 'namespace', namespaceRequired: true },
  ...['spec.services.*', 'spec.backendServices.*'].map((at) => ({ kind: 'CiliumEnvoyConfig', group: CILIUM, at, name: 'name', namespace: 'namespace' })),
  // Contour: an ExtensionService (external authorization, rate limiting) is a Service and its Service port.
  { kind: 'ExtensionService', group: CONTOUR, at: 'spec.services.*', name: 'name', port: 'port' },
  // Argo Rollouts: the ping-pong Services of an ALB canary and the ALB's root Service.
  ...['pingService', 'pongService'].map((name) => ({ kind: 'Rollout', group: ARGO, at: 'spec.strategy.canary.pingPong', name })),
  { kind: 'Rollout', group: ARGO, at: 'spec.strategy.canary.trafficRouting.alb', name: 'rootService' },
  // Knative Eventing: a source's sink and a trigger's or subscription's subscriber, where they name a `v1` Service.
  ...['PingSource', 'ApiServerSource', 'ContainerSource', 'SinkBinding', 'KafkaSource', 'GitHubSource', 'CronJobSource'].map((kind) => ({ kind, group: KNATIVE_SOURCES, at: 'spec.sink.ref', field: 'sink.ref.name', name: 'name', namespace: 'namespace', kindField: 'kind', apiVersion: 'v1', knativeDestination: true })),
  ...[['Trigger', 'spec.subscriber.ref'], ['Subscription', 'spec.subscriber.ref'], ['Subscription', 'spec.reply.ref'], ['Broker', 'spec.delivery.deadLetterSink.ref'], ['Trigger', 'spec.delivery.deadLetterSink.ref']].map(([kind, at]) => ({ kind: kind!, group: KNATIVE_SOURCES, at: at!, field: `${at!.split('.').slice(1, -1).join('.')}.ref.name`, name: 'name', namespace: 'namespace', kindField: 'kind', apiVersion: 'v1', knativeDestination: true })),
  ...[['spec.to', 'to.name'], ['spec.alternateBackends.*', 'alternateBackends[].name']].map(([at, field]) => ({ kind: 'Route', group: OPENSHIFT_ROUTE, at: at!, field, name: 'name', kindField: 'kind', port: 'spec.port.targetPort', portFromRoot: true, endpointPort: true })),
];

/**
 * Emissary's `service`: `[scheme://]host[:port]`. A host of one label is the Service of that name
 * in the Mapping's namespace, `name.ns` and `name.ns.svc.<domain>` that Service; IPs, other
 * names and schemes are not Services the run can judge.
 */
export function emissaryService(raw: string, own: string, domain: string): { name: string; namespace: string; port?: number; scheme?: string } | undefined {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(raw.trim());
  if (!m) return undefined;
  const scheme = m[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return undefined;
  const host = m[2]!.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || /^[\d.]+$/.test(host)) return undefined;
  const labels = host.split('.');
  let ref: [string, string] | undefined;
  if (labels.length === 1) ref = [host, own];
  else if (labels.length === 2 || host === `${labels[0]}.${labels[1]}.svc` || host === `${labels[0]}.${labels[1]}.svc.${domain}`) ref = [labels[0]!, labels[1]!];
  if (!ref || !ref.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: ref[0], namespace: ref[1], port, scheme };
}

/** The rows of each kind: most objects are of no kind in the table. */
const ROWS_BY_KIND = new Map<string, Row[]>();
for (const row of REFERRERS) ROWS_BY_KIND.set(row.kind, [...(ROWS_BY_KIND.get(row.kind) ?? []), row]);

/**
 * The paths of an object that the table reads (each matching row's entries): the rest of the
 * object (a Knative Trigger's `subscriber.uri` beside its `subscriber.ref`) is read as hosts.
 */
export function tableReadPaths(o: K8sObject): Path[] {
  if (o.kind === 'Middleware' && TRAEFIK.test(o.apiVersion)) return [['spec']];
  const out: Path[] = [];
  for (const row of ROWS_BY_KIND.get(o.kind) ?? []) {
    if (!row.group.test(o.apiVersion)) continue;
    for (const { path } of walk(o.body, row.at.split('.'))) out.push(path);
  }
  return out;
}

/** Every value under a path pattern (`spec.routes.*.services.*`), with its path. */
export function walk(v: unknown, pattern: string[], path: Path = []): { value: unknown; path: Path }[] {
  if (pattern.length === 0) return [{ value: v, path }];
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '*') return Array.isArray(v) ? v.flatMap((x, i) => walk(x, rest, [...path, i])) : [];
  return isRecord(v) && head in v ? walk(v[head], rest, [...path, head]) : [];
}

/** Hosts a ServiceEntry declares: Istio routes to them, not to a Service. */
const entryCache = new WeakMap<ServiceGraph, Set<string>>();

function serviceEntryHosts(graph: ServiceGraph): Set<string> {
  // Read once per graph: the referrer table and the subset check both ask.
  const known = entryCache.get(graph);
  if (known) return known;
  const out = new Set<string>();
  entryCache.set(graph, out);
  for (const o of graph.objects) {
    if (o.kind !== 'ServiceEntry' || !ISTIO.test(o.apiVersion)) continue;
    const hosts = getIn(o.body, ['spec', 'hosts']);
    for (const h of Array.isArray(hosts) ? hosts : []) if (typeof h === 'string') out.add(h.toLowerCase());
  }
  return out;
}

/**
 * An Istio host as a Service: a short name is `<name>.<own namespace>.svc.<domain>`; a full
 * `<name>.<ns>.svc.<domain>` names that Service; any other name (`reviews.prod`, external
 * hosts, wildcards) is left to Istio's registry, which the run cannot see.
 */
export function istioHost(host: string, own: string, domain: string): { name: string; namespace: string } | undefined {
  const h = host.toLowerCase();
  if (h.includes('*')) return undefined;
  if (!h.includes('.')) return { name: h, namespace: own };
  const m = new RegExp(`^([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.${domain.replace(/\./g, '\\.')}$`).exec(h);
  return m ? { name: m[1]!, namespace: m[2]! } : undefined;
}

/**
 * A host Istio takes as written although it is a Service's name cut short: `reviews.prod` or
 * `reviews.prod.svc` (Istio completes only names without a dot, `ResolveShortnameToFQDN`), so
 * it matches no Service of the mesh's registry, whose hosts are `<svc>.<ns>.svc.<domain>`.
 */
export function istioPartialHost(host: string): { name: string; namespace: string } | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(?:\.svc)?$/.exec(host.toLowerCase());
  return m ? { name: m[1]!, namespace: m[2]! } : undefined;
}

const cache = new WeakMap<ServiceGraph, ServiceRef[]>();

/** The Service references of every object of a kind in the table. */
export function serviceRefs(graph: ServiceGraph): ServiceRef[] {
  let out = cache.get(graph);
  if (out) return out;
  out = [];
  const entries = serviceEntryHosts(graph);
  for (const o of graph.objects) {
    const rows = ROWS_BY_KIND.get(o.kind);
    if (!rows) continue;
    for (const row of rows) {
      if (!row.group.test(o.apiVersion)) continue;
      for (const { value, path } of walk(o.body, row.at.split('.'))) {
        if (!isRecord(value)) continue;
        const raw = getIn(value, row.name.split('.'));
        if (typeof raw !== 'string' || raw === '') continue;
        if (row.kindField && (value[row.kindField] ?? (row.kindValue ?? 'Service')) !== (row.kindValue ?? 'Service')) continue;
        if (row.apiVersion !== undefined && value.apiVersion !== row.apiVersion) continue;
        if (row.namespaceRequired && (typeof getIn(value, row.namespace!.split('.')) !== 'string' || getIn(value, row.namespace!.split('.')) === '')) continue;
        let name = raw;
        let namespace = o.namespace;
        let namespacePath: Path | undefined;
        if (row.hostPort) {
          const t = emissaryService(raw, o.namespace, graph.settings.clusterDomain);
          if (!t) continue;
          const tls = t.scheme === 'https' || (t.scheme === undefined && typeof value.tls === 'string' && value.tls !== '') || value.tls === true;
          const port = t.port ?? (row.hostPort === 'http' ? (tls ? 443 : 80) : undefined);
          const ref: ServiceRef = { object: o, path: [...path, ...row.name.split('.')], name: t.name, namespace: t.namespace, field: row.name };
          if (port !== undefined) {
            ref.port = { number: port };
            ref.portPath = [...path, ...row.name.split('.')];
            if (t.port === undefined) ref.portDefault = tls ? `Emissary sends to port 443 when \`service\` names no port and TLS is originated` : 'Emissary sends to port 80 when `service` names no port';
          }
          ref.viaDns = true;
          out.push(ref);
          continue;
        }
        if (row.host) {
          if (entries.has(raw.toLowerCase())) continue;
          const s = istioHost(raw, o.namespace, graph.settings.clusterDomain);
          if (!s) {
            const partial = istioPartialHost(raw);
            if (partial) out.push({ object: o, path: [...path, ...row.name.split('.')], ...partial, field: row.field ?? row.name, partialHost: true });
            continue;
          }
          ({ name, namespace } = s);
        } else if (row.namespace && typeof getIn(value, row.namespace.split('.')) === 'string' && getIn(value, row.namespace.split('.')) !== '') {
          namespace = getIn(value, row.namespace.split('.')) as string;
          namespacePath = [...path, ...row.namespace.split('.')];
        }
        const ref: ServiceRef = { object: o, path: [...path, ...row.name.split('.')], name, namespace, field: row.field ?? row.name };
        if (namespacePath) Object.assign(ref, { namespaceWritten: true, namespacePath });
        else if (namespace !== o.namespace) ref.namespaceWritten = true;
        if (row.knativeDestination) {
          const ca = getIn(o.body, [...path.slice(0, -1), 'CACerts']);
          ref.port = { number: typeof ca === 'string' && ca !== '' ? 443 : 80 };
          ref.portPath = [...path, ...row.name.split('.')];
          ref.portDefault = KNATIVE_WHY;
          ref.viaDns = true;
        }
        if (row.port) {
          const portPath = row.port.split('.');
          const p = getIn(row.portFromRoot ? o.body : value, portPath);
          if (typeof p === 'number') ref.port = row.portNamesOnly ? undefined : { number: p };
          else if (typeof p === 'string' && p !== '') ref.port = !/^\d+$/.test(p) ? { name: p } : row.portNamesOnly ? undefined : { number: Number(p) };
          if (ref.port) {
            ref.portPath = row.portFromRoot ? portPath : [...path, ...portPath];
            if (row.endpointPort) ref.port.endpoint = true;
          } else if (row.portRequired && (p === undefined || p === null || p === 0 || p === '')) ref.portMissing = true;
          else if (row.portDefault && (p === undefined || p === null)) {
            ref.port = { number: row.portDefault.number };
            ref.portPath = [...path, ...row.name.split('.')];
            ref.portDefault = row.portDefault.why;
          }
        }
        out.push(ref);
      }
    }
  }
  cache.set(graph, out);
  return out;
}

/** A port name a monitor scrapes, and the objects it looks for it on. */
export interface MonitorPort {
  object: K8sObject;
  path: Path;
  port: string;
  /** A PodMonitor's `portNumber`: a container port by number. */
  portNumber?: number;
  kind: 'service' | 'pod';
  services: ServiceNode[];
  templates: PodTemplate[];
}

const MONITORING = /^monitoring\.coreos\.com\//;

/** The namespaces a monitor's `namespaceSelector` covers: `any`, `matchNames`, else its own. */
function monitorNamespaces(graph: ServiceGraph, o: K8sObject): string[] {
  const ns = getIn(o.body, ['spec', 'namespaceSelector']);
  if (getIn(ns, ['any']) === true) return [...graph.namespaces];
  const names = getIn(ns, ['matchNames']);
  if (Array.isArray(names) && names.length) return names.filter((n): n is string => typeof n === 'string');
  return [o.namespace];
}

const labelCache = new WeakMap<ServiceNode, Record<string, string>>();

/** A Service's own labels, read once per Service: every monitor with `any` namespace reads them all. */
function serviceLabels(s: ServiceNode): Record<string, string> {
  let labels = labelCache.get(s);
  if (!labels) labelCache.set(s, (labels = stringMap(getIn(s.object.body, ['metadata', 'labels']))));
  return labels;
}

/**
 * prometheus-operator ServiceMonitor `endpoints[].port` names a port of the Services its
 * selector picks (by the Services' own labels); PodMonitor `podMetricsEndpoints[].port` a
 * container port of the pods it picks. Only ports given by name are listed.
 */
export function monitorPorts(graph: ServiceGraph): MonitorPort[] {
  const out: MonitorPort[] = [];
  const selected = new Map<string, Pick<MonitorPort, 'services' | 'templates'>>();
  for (const o of graph.objects) {
    if (!MONITORING.test(o.apiVersion) || (o.kind !== 'ServiceMonitor' && o.kind !== 'PodMonitor')) continue;
    const sel = getIn(o.body, ['spec', 'selector']);
    if (!isRecord(sel)) continue;
    const namespaces = monitorNamespaces(graph, o);
    const service = o.kind === 'ServiceMonitor';
    // Monitors that select alike (one chart's monitors, copies of a folder) select the same objects.
    const key = `${o.kind}\u0000${JSON.stringify(sel)}\u0000${namespaces.join('\u0000')}`;
    let picked = selected.get(key);
    if (!picked) {
      const selector = readSelector(sel);
      picked = {
        services: service ? namespaces.flatMap((ns) => graph.servicesIn(ns)).filter((s) => matchSelector(selector, serviceLabels(s)) === true) : [],
        templates: service ? [] : namespaces.flatMap((ns) => graph.templatesIn(ns)).filter((t) => matchSelector(selector, t.labels) === true),
      };
      selected.set(key, picked);
    }
    const { services, templates } = picked;
    const field = service ? 'endpoints' : 'podMetricsEndpoints';
    const list = getIn(o.body, ['spec', field]);
    (Array.isArray(list) ? list : []).forEach((e, i) => {
      const port = getIn(e, ['port']);
      if (typeof port === 'string' && port !== '') out.push({ object: o, path: ['spec', field, i, 'port'], port, kind: service ? 'service' : 'pod', services, templates });
      // A PodMonitor's `portNumber` (prometheus-operator 0.80 and later): a container port number.
      const number = service ? undefined : getIn(e, ['portNumber']);
      if (typeof number === 'number' && (typeof port !== 'string' || port === '')) out.push({ object: o, path: ['spec', field, i, 'portNumber'], port: String(number), portNumber: number, kind: 'pod', services, templates });
    });
  }
  return out;
}

/**
 * Why a ServiceMonitor of the run selects no Service, where the run shows the Service it was
 * written for: `labels` — a Service of its folder tree whose pods carry the selected labels but
 * which does not itself (prometheus-operator matches the Services' own labels); `namespace` — a
 * Service of its folder tree that matches, in a namespace its `namespaceSelector` leaves out
 * (without one, a monitor looks in its own namespace only).
 */
export interface MonitorMiss {
  object: K8sObject;
  kind: 'labels' | 'namespace';
  service: ServiceNode;
  namespaces: string[];
}

export function serviceMonitorMisses(graph: ServiceGraph): MonitorMiss[] {
  const out: MonitorMiss[] = [];
  for (const o of graph.objects) {
    if (o.kind !== 'ServiceMonitor' || !MONITORING.test(o.apiVersion)) continue;
    const sel = getIn(o.body, ['spec', 'selector']);
    if (!isRecord(sel) || Object.keys(sel).length === 0) continue;
    const selector = readSelector(sel);
    const namespaces = monitorNamespaces(graph, o);
    const matches = (s: ServiceNode) => matchSelector(selector, serviceLabels(s)) === true;
    if (namespaces.some((ns) => graph.servicesIn(ns).some(matches))) continue;
    const near = (s: ServiceNode) => sameTree(s.object, o);
    const elsewhere = graph.services.find((s) => !namespaces.includes(s.object.namespace) && near(s) && matches(s));
    if (elsewhere) {
      out.push({ object: o, kind: 'namespace', service: elsewhere, namespaces });
      continue;
    }
    const byPods = namespaces.flatMap((ns) => graph.servicesIn(ns)).find((s) => near(s) && s.backends.some((t) => matchSelector(selector, t.labels) === true));
    if (byPods) out.push({ object: o, kind: 'labels', service: byPods, namespaces });
  }
  return out;
}

/**
 * A ServiceMonitor endpoint's `targetPort`: prometheus-operator keeps the targets whose pod
 * declares that container port (`__meta_kubernetes_pod_container_port_number`, or `_name` for a
 * name), unless the endpoint also names a Service `port`, which wins. Listed when
 * the Services it selects (in its folder tree) have pods of the run and none declares it.
 */
export interface MonitorTargetPort {
  object: K8sObject;
  path: Path;
  port: number | string;
  services: ServiceNode[];
}

export function serviceMonitorTargetPorts(graph: ServiceGraph): MonitorTargetPort[] {
  const out: MonitorTargetPort[] = [];
  for (const o of graph.objects) {
    if (o.kind !== 'ServiceMonitor' || !MONITORING.test(o.apiVersion)) continue;
    const list = getIn(o.body, ['spec', 'endpoints']);
    if (!Array.isArray(list) || !list.some((e) => getIn(e, ['targetPort']) !== undefined)) continue;
    const sel = getIn(o.body, ['spec', 'selector']);
    if (!isRecord(sel)) continue;
    const selector = readSelector(sel);
    const services = monitorNamespaces(graph, o).flatMap((ns) => graph.servicesIn(ns)).filter((s) => matchSelector(selector, serviceLabels(s)) === true && sameTree(s.object, o));
    if (services.length === 0 || services.some((s) => s.mode !== 'selector' || s.backends.length === 0)) continue;
    list.forEach((e, i) => {
      const port = getIn(e, ['targetPort']);
      // A port given by name as well is matched by name: targetPort is then not read.
      if ((typeof port !== 'number' && (typeof port !== 'string' || port === '')) || getIn(e, ['port']) !== undefined) return;
      const declares = (p: { containerPort?: number; name?: string }) => (typeof port === 'number' ? p.containerPort === port : p.name === port);
      if (services.some((s) => s.backends.some((t) => t.containers.some((c) => c.ports.some(declares))))) return;
      out.push({ object: o, path: ['spec', 'endpoints', i, 'targetPort'], port, services });
    });
  }
  return out;
}

const folderCache = new Map<string, string>();

/**
 * The absolute folder of a file, kept (every finding asks again): `base.yaml` and `crs.yaml`
 * given as `svclint .` share the working folder.
 */
export function absoluteFolder(file: string): string {
  let dir = folderCache.get(file);
  if (dir === undefined) {
    if (folderCache.size > 100_000) folderCache.clear();
    folderCache.set(file, (dir = path.dirname(path.resolve(file))));
  }
  return dir;
}

const dirOf = (o: K8sObject): string | undefined => (o.origin ? absoluteFolder(o.origin.file.path) : undefined);

const under = (child: string, parent: string): boolean => child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/**
 * Whether two objects come from one folder tree (the same folder, or one above the other):
 * evidence that they belong to one application. Objects read from a cluster always do.
 */
export function sameTree(a: K8sObject, b: K8sObject): boolean {
  const x = dirOf(a);
  const y = dirOf(b);
  if (x === undefined || y === undefined) return true;
  return x === y || under(x, y) || under(y, x);
}

/** A subset of an Istio DestinationRule: its name, pod labels and where it is written. */
export interface MeshSubset {
  rule: K8sObject;
  name: string;
  labels: Record<string, string>;
  path: Path;
}

/** The DestinationRules of the run by the Service their host names (`namespace/name`). */
export function destinationRules(graph: ServiceGraph): Map<string, { rule: K8sObject; subsets: MeshSubset[] }[]> {
  const out = new Map<string, { rule: K8sObject; subsets: MeshSubset[] }[]>();
  for (const o of graph.objects) {
    if (o.kind !== 'DestinationRule' || !ISTIO.test(o.apiVersion)) continue;
    const host = getIn(o.body, ['spec', 'host']);
    if (typeof host !== 'string') continue;
    const svc = istioHost(host, o.namespace, graph.settings.clusterDomain);
    if (!svc) continue;
    const items = getIn(o.body, ['spec', 'subsets']);
    const subsets = (Array.isArray(items) ? items : []).flatMap((x, i): MeshSubset[] => (isRecord(x) && typeof x.name === 'string'
      ? [{ rule: o, name: x.name, labels: stringMap(x.labels), path: ['spec', 'subsets', i] }]
      : []));
    const key = `${svc.namespace}/${svc.name}`;
    out.set(key, [...(out.get(key) ?? []), { rule: o, subsets }]);
  }
  return out;
}

/** A VirtualService destination that names a subset. */
export interface SubsetRef {
  object: K8sObject;
  path: Path;
  subset: string;
  name: string;
  namespace: string;
}

/** Every VirtualService destination (routes and mirrors) that names a subset of a Service host. */
export function subsetRefs(graph: ServiceGraph): SubsetRef[] {
  const out: SubsetRef[] = [];
  const entries = serviceEntryHosts(graph);
  for (const o of graph.objects) {
    if (o.kind !== 'VirtualService' || !ISTIO.test(o.apiVersion)) continue;
    const at = [...['http', 'tcp', 'tls'].map((p) => `spec.${p}.*.route.*.destination`), 'spec.http.*.mirror'];
    for (const pattern of at) {
      for (const { value, path } of walk(o.body, pattern.split('.'))) {
        if (!isRecord(value) || typeof value.host !== 'string' || typeof value.subset !== 'string' || value.subset === '') continue;
        if (entries.has(value.host.toLowerCase())) continue;
        const svc = istioHost(value.host, o.namespace, graph.settings.clusterDomain);
        if (svc) out.push({ object: o, path: [...path, 'subset'], subset: value.subset, ...svc });
      }
    }
  }
  return out;
}

/**
 * A URL whose host is `<svc>.<ns>.svc[.<domain>]`: the Service it names and the port it dials
 * (80 or 443 by scheme when it names none). Other hosts are not Services the run can judge.
 */
export function serviceUrl(url: string, domain: string): { name: string; namespace: string; port: number; scheme: string; named: boolean } | undefined {
  const m = /^(https?):\/\/(?:[^@/\s]*@)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.[a-z0-9.-]+)?\.?(?::(\d{1,5}))?(?:[/?#]|$)/i.exec(url.trim());
  if (!m) return undefined;
  const d = m[4]?.slice(1).toLowerCase();
  if (d !== undefined && d !== domain) return undefined;
  const scheme = m[1]!.toLowerCase();
  return { name: m[2]!.toLowerCase(), namespace: m[3]!.toLowerCase(), port: m[5] !== undefined ? Number(m[5]) : scheme === 'https' ? 443 : 80, scheme, named: m[5] !== undefined };
}
