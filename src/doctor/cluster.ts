import { UsageError } from '../errors.js';
import { isRecord } from '../load/objects.js';
import { ApiError, Deadline, getJson, keepAlive, type Limits } from './http.js';
import { loadKubeconfig, type ResolvedConfig } from './kubeconfig.js';

/** A resource svclint reads from a live cluster. Never Secrets. */
export interface Resource {
  apiVersion: string;
  kind: string;
  plural: string;
  /** Custom resources may not be installed: skipped quietly when the API does not know them. */
  optional?: boolean;
  /** Cluster-scoped (Nodes): one list whatever namespaces are asked for. */
  clusterScoped?: boolean;
  fieldSelector?: string;
  /** Keep only the newest this many (Events). */
  keep?: number;
  /**
   * Read cluster-wide even when namespaces are asked for (NetworkPolicies: a policy in the
   * client's namespace decides its egress), falling back to the namespaces when forbidden.
   */
  wide?: boolean;
}

export const RESOURCES: Resource[] = [
  { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
  { apiVersion: 'v1', kind: 'Node', plural: 'nodes', clusterScoped: true },
  { apiVersion: 'v1', kind: 'Event', plural: 'events', fieldSelector: 'type=Warning', keep: 1000 },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices' },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets' },
  { apiVersion: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers' },
  { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' },
  { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', wide: true },
  { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', clusterScoped: true },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', plural: 'httproutes', optional: true },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', optional: true },
];

/** ConfigMaps: read only for a client view (a workload's mounted configuration), in its namespace. */
export const CONFIGMAPS: Resource = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' };

/** v1 Endpoints: read only on clusters that serve no discovery.k8s.io/v1 EndpointSlices. */
export const ENDPOINTS: Resource = { apiVersion: 'v1', kind: 'Endpoints', plural: 'endpoints' };

export interface ReadOptions {
  kubeconfig?: string;
  context?: string;
  /** Namespaces to read; undefined reads the whole cluster. */
  namespaces?: string[];
  requestTimeoutMs: number;
  /** The whole run's deadline (default: DEADLINE_FACTOR × the request timeout). */
  deadlineMs?: number;
  /** Largest response body read (default 256 MiB). */
  maxResponseBytes?: number;
  pageSize?: number;
  onProgress?: (text: string) => void;
  /** Called after each page of a paged list (tests use it to break things mid-read). */
  onPage?: (page: number) => Promise<void>;
}

export interface Gap {
  kind: string;
  namespace?: string;
  reason: string;
}

export interface ClusterRead {
  items: Record<string, unknown>[];
  /** What could not be read (403, 404, 5xx, garbage, timeouts), so the checks that needed it are named. */
  gaps: Gap[];
  endpointSource: 'EndpointSlice' | 'Endpoints';
  requests: number;
  server: string;
  /** For follow-up lists (pods cluster-wide when a selector matches none in scope). */
  reader: ClusterReader;
  /** kube-system facts for the DNS check, when readable. */
  dns?: { pods: Record<string, unknown>[]; service?: Record<string, unknown>; slices: Record<string, unknown>[]; corefile?: string; kubeProxyConfig?: string; readable: boolean };
}

/** The run deadline, unless --deadline says otherwise: a few requests' worth. */
export const DEADLINE_FACTOR = 6;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 2 ** 20;
const ATTEMPTS = 4;
/** Lists read at the same time (kube-apiserver's default per-client limits are far above). */
const PARALLEL = 4;

/** Loads kubeconfig the way kubectl does: --kubeconfig, else KUBECONFIG, else ~/.kube/config, else in-cluster. */
export async function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): Promise<ResolvedConfig> {
  return loadKubeconfig(opts);
}

/** Reads the cluster with a fixed number of paged list calls per kind: never a call per Service or pod. */
export class ClusterReader {
  requests = 0;
  readonly limits: Limits;
  readonly deadline: Deadline;
  private readonly endpoint: ResolvedConfig['endpoint'];

  constructor(kc: ResolvedConfig, limits: number | (Partial<Limits> & { requestTimeoutMs: number; deadlineMs?: number })) {
    const l = typeof limits === 'number' ? { requestTimeoutMs: limits } : limits;
    this.endpoint = { ...kc.endpoint, agent: keepAlive(kc.endpoint, PARALLEL) };
    this.limits = { requestTimeoutMs: l.requestTimeoutMs, maxResponseBytes: l.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, attempts: l.attempts ?? ATTEMPTS };
    this.deadline = new Deadline(l.deadlineMs ?? DEADLINE_FACTOR * l.requestTimeoutMs);
  }

  get server(): string {
    return this.endpoint.server.origin;
  }

  /** Closes the connections kept open; requests still running fail. */
  close(): void {
    this.endpoint.agent?.destroy();
  }

  /** One GET of a JSON object, within the request timeout, the size cap and the run deadline. */
  async get(path: string): Promise<Record<string, unknown>> {
    this.requests++;
    const body = await getJson(this.endpoint, path, this.limits, this.deadline);
    if (!isRecord(body)) throw new ApiError('garbage', 'the API answered JSON that is not an object');
    return body;
  }

  /** Called after each page (tests use it to let a continue token expire). */
  onPage?: (page: number) => Promise<void>;
  /** How many lists had to start again because their continue token expired. */
  restarts = 0;

  /**
   * Lists a resource page by page; restarts once when the continue token expires (410).
   * A list that does not end (a continue token seen twice, more pages than the announced
   * item count can fill) or whose answer has the wrong shape is an ApiError for that kind.
   */
  async list(r: Resource, namespace: string | undefined, pageSize: number): Promise<Record<string, unknown>[]> {
    const prefix = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`;
    const path = namespace && !r.clusterScoped ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${prefix}/${r.plural}`;
    for (let attempt = 0; ; attempt++) {
      const items: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      let cont: string | undefined;
      let pages = 0;
      let maxPages = Infinity;
      try {
        do {
          const q = new URLSearchParams({ limit: String(pageSize) });
          if (r.fieldSelector) q.set('fieldSelector', r.fieldSelector);
          if (cont) q.set('continue', cont);
          const page = await this.get(`${path}?${q}`);
          pages++;
          for (const it of listItems(page, r)) items.push({ apiVersion: r.apiVersion, kind: r.kind, ...it });
          const meta = isRecord(page.metadata) ? page.metadata : {};
          cont = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
          if (typeof meta.remainingItemCount === 'number') maxPages = Math.min(maxPages, pages + Math.ceil(meta.remainingItemCount / pageSize));
          if (cont && seen.has(cont)) throw new ApiError('garbage', `the API sent the same continue token twice (page ${pages}): the list would never end`);
          if (cont && pages >= maxPages) throw new ApiError('garbage', `the API sent more pages (${pages + 1}) than its item count can fill: the list would never end`);
          if (cont) seen.add(cont);
          if (cont && this.onPage) await this.onPage(items.length);
        } while (cont);
        return r.keep ? newest(items, r.keep) : items;
      } catch (err) {
        if (err instanceof ApiError && err.status === 410 && attempt === 0) {
          this.restarts++;
          continue; // expired continue token: list again from the start
        }
        throw err;
      }
    }
  }
}

const eventTime = (e: Record<string, unknown>): string => {
  const m = e.metadata as { creationTimestamp?: string } | undefined;
  return String(e.lastTimestamp ?? e.eventTime ?? m?.creationTimestamp ?? '');
};

/** The newest `keep` items by their last time (RFC 3339 strings sort as times). */
function newest(items: Record<string, unknown>[], keep: number): Record<string, unknown>[] {
  return items.sort((a, b) => (eventTime(a) < eventTime(b) ? 1 : eventTime(a) > eventTime(b) ? -1 : 0)).slice(0, keep);
}


/** The items of one page, each checked for the shape svclint relies on: never a phantom object. */
function listItems(page: Record<string, unknown>, r: Resource): Record<string, unknown>[] {
  if (typeof page.kind === 'string' && page.kind !== `${r.kind}List`) throw new ApiError('garbage', `the API answered a ${page.kind}, not a ${r.kind}List`);
  if (page.items === null) return []; // Go's empty list
  if (!Array.isArray(page.items)) throw new ApiError('garbage', `the API answered a list whose items are ${page.items === undefined ? 'missing' : 'not a list'}`);
  page.items.forEach((it, i) => {
    const bad = (what: string) => new ApiError('garbage', `the API answered a list whose items[${i}]${what}`);
    if (!isRecord(it)) throw bad(' is not an object');
    if (!isRecord(it.metadata)) throw bad('.metadata is not an object');
    if (typeof it.metadata.name !== 'string' || it.metadata.name === '') throw bad('.metadata.name is not a name');
    for (const m of ['labels', 'annotations']) {
      const v = it.metadata[m];
      if (v !== undefined && v !== null && (!isRecord(v) || Object.values(v).some((x) => typeof x !== 'string'))) throw bad(`.metadata.${m} is not a map of strings`);
    }
  });
  return page.items as Record<string, unknown>[];
}

/** One line for an error that ends the run: what failed, why, what to do. */
export function fatalError(server: string, err: ApiError): UsageError {
  if (err.status === 401) return new UsageError(`the Kubernetes API at ${server} rejected the credentials (401 Unauthorized); refresh them or pick another --context`);
  if (err.kind === 'deadline') return new UsageError(`${err.message} before the cluster was read; raise --deadline or --request-timeout`);
  return new UsageError(`cannot reach the Kubernetes API at ${server} (${err.message}); check the kubeconfig context and that the cluster is running`);
}

/** Why a kind could not be read, in words for a gap. */
function gapReason(err: ApiError): string {
  if (err.status === 403) return 'forbidden (403): the credentials may not list it';
  if (err.status === 404) return 'the API does not serve it (404)';
  return err.message;
}

/** Reads everything the doctor needs, tolerating per-kind failures (403, 404, 5xx, garbage, timeouts) and missing CRDs. */
export async function readCluster(kc: ResolvedConfig, opts: ReadOptions): Promise<ClusterRead> {
  const reader = new ClusterReader(kc, opts);
  reader.onPage = opts.onPage;
  const pageSize = opts.pageSize ?? 500;
  const gaps: Gap[] = [];
  const items: Record<string, unknown>[] = [];
  const fatal = (err: unknown): never => {
    if (err instanceof ApiError) throw fatalError(reader.server, err);
    throw err;
  };
  // The first request proves the server answers and the credentials work.
  try {
    await reader.get('/version');
  } catch (err) {
    if (!(err instanceof ApiError) || err.fatal || err.kind !== 'status') fatal(err);
  }
  const state = { endpointSource: 'EndpointSlice' as ClusterRead['endpointSource'] };
  const scopes: (string | undefined)[] = opts.namespaces ?? [undefined];
  /** One kind in one scope: its items, or a gap; the run ends on a fatal error. */
  const read = async (r: Resource, ns: string | undefined): Promise<Record<string, unknown>[]> => {
    try {
      opts.onProgress?.(`reading ${r.plural}${ns ? ` in ${ns}` : ''}`);
      return await reader.list(r, ns, pageSize);
    } catch (err) {
      if (!(err instanceof ApiError) || err.fatal) fatal(err);
      const e = err as ApiError;
      if (e.status === 404 && r.kind === 'EndpointSlice') state.endpointSource = 'Endpoints';
      else if (!(e.status === 404 && r.optional)) gaps.push({ kind: r.kind, namespace: ns, reason: gapReason(e) });
      return [];
    }
  };
  /** A `wide` kind in a scoped run: one cluster-wide list, or the namespaces when that is forbidden. */
  const readWide = async (r: Resource): Promise<Record<string, unknown>[]> => {
    try {
      return await reader.list(r, undefined, pageSize);
    } catch (err) {
      if (!(err instanceof ApiError) || err.fatal) fatal(err);
      gaps.push({ kind: `${r.kind} (cluster-wide)`, reason: `${gapReason(err as ApiError)}; only namespace ${scopes.join(', ')} was read, so policies in other namespaces are not judged` });
      const out: Record<string, unknown>[] = [];
      for (const ns of scopes) out.push(...(await read(r, ns)));
      return out;
    }
  };
  const jobs = RESOURCES.flatMap((r) => (r.clusterScoped || (r.wide && opts.namespaces) ? [undefined] : scopes).map((ns) => () => (r.wide && opts.namespaces ? readWide(r) : read(r, ns))));
  let dns = undefined as Awaited<ReturnType<typeof readDns>> | undefined;
  try {
    // Services first and alone: when none can be read, nothing else matters.
    const results = await inParallel(jobs.slice(0, scopes.length), 1);
    results.push(...(await inParallel([...jobs.slice(scopes.length), async () => ((dns = await readDnsOrGap(reader, fatal)), [])], PARALLEL)));
    if (state.endpointSource === 'Endpoints') results.push(...(await inParallel(scopes.map((ns) => () => read(ENDPOINTS, ns)), PARALLEL)));
    for (const r of results) items.push(...r);
  } finally {
    reader.close();
  }
  if (!dns) throw new Error('the cluster DNS read did not run');
  // Keep gaps in the order of the table whatever order the reads ended in.
  const order = (g: Gap) => RESOURCES.findIndex((r) => r.kind === g.kind) >>> 0;
  gaps.sort((a, b) => order(a) - order(b) || scopes.indexOf(a.namespace) - scopes.indexOf(b.namespace));
  // Cluster DNS is checked whatever namespaces were asked for: its objects join the rest.
  if (dns.readable) {
    items.push(...dns.pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p })));
    if (dns.service) items.push({ apiVersion: 'v1', kind: 'Service', ...dns.service });
    items.push(...dns.slices.map((s) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...s })));
    if (dns.corefile !== undefined) items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: dns.corefile } });
    if (dns.kubeProxyConfig !== undefined) items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, data: { 'config.conf': dns.kubeProxyConfig } });
  } else {
    gaps.push({ kind: 'cluster DNS (kube-system)', reason: `${dns.reason ?? 'forbidden'}: the cluster DNS check did not run` });
  }
  return { items, gaps, endpointSource: state.endpointSource, requests: reader.requests, server: reader.server, reader, dns };
}

/** One cluster-wide paged list (after readCluster, on its reader); what forbids it becomes a gap. */
export async function listClusterWide(reader: ClusterReader, r: Resource, pageSize = 500, namespace?: string): Promise<{ items: Record<string, unknown>[]; gap?: Gap }> {
  try {
    return { items: await reader.list(r, namespace, pageSize) };
  } catch (err) {
    if (!(err instanceof ApiError) || err.fatal) throw fatalError(reader.server, err instanceof ApiError ? err : new ApiError('garbage', String(err)));
    return { items: [], gap: { kind: r.kind, reason: gapReason(err) } };
  }
}

/** Runs jobs with at most `width` at a time; results in the order of the jobs. */
async function inParallel<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  let failed = false; // once one job fails, start no more
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, async () => {
    while (!failed && next < jobs.length) {
      const i = next++;
      try {
        out[i] = await jobs[i]!();
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  }));
  return out;
}

async function readDnsOrGap(reader: ClusterReader, fatal: (err: unknown) => never): Promise<NonNullable<ClusterRead['dns']> & { reason?: string }> {
  try {
    return await readDns(reader);
  } catch (err) {
    if (!(err instanceof ApiError) || err.fatal) fatal(err);
    return { pods: [], slices: [], readable: false, reason: gapReason(err as ApiError) };
  }
}

export const byKind = (kind: string): Resource => RESOURCES.find((r) => r.kind === kind)!;
const DNS_POD = byKind('Pod');
const DNS_SLICE = byKind('EndpointSlice');

/** Cluster DNS health inputs: a fixed handful of requests in kube-system. */
async function readDns(reader: ClusterReader): Promise<NonNullable<ClusterRead['dns']> & { reason?: string }> {
  const out: NonNullable<ClusterRead['dns']> = { pods: [], slices: [], readable: true };
  const optional = (e: unknown) => (e instanceof ApiError && e.status === 404 ? undefined : Promise.reject(e));
  // Five independent reads: at once, not one after the other (they were the longest job of a run).
  const [pods, service, slices, cm, kp] = await Promise.all([
    reader.get('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns'),
    reader.get('/api/v1/namespaces/kube-system/services/kube-dns').catch(optional),
    reader.get('/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkube-dns'),
    reader.get('/api/v1/namespaces/kube-system/configmaps/coredns').catch(optional),
    // kube-proxy's mode, when kubeadm-style configuration is readable (best effort).
    reader.get('/api/v1/namespaces/kube-system/configmaps/kube-proxy').catch((e: unknown) => (e instanceof ApiError && e.fatal ? Promise.reject(e) : undefined)),
  ]);
  out.pods = listItems(pods, DNS_POD);
  out.service = service;
  if (out.service && (!isRecord(out.service.metadata) || out.service.metadata.name !== 'kube-dns')) throw new ApiError('garbage', 'the API answered something other than the kube-dns Service');
  out.slices = listItems(slices, DNS_SLICE);
  const data = isRecord(cm?.data) ? cm.data : undefined;
  out.corefile = typeof data?.Corefile === 'string' ? data.Corefile : undefined;
  const kpData = isRecord(kp?.data) ? kp.data : undefined;
  out.kubeProxyConfig = typeof kpData?.['config.conf'] === 'string' ? kpData['config.conf'] : undefined;
  return out;
}
