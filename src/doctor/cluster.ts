import { UsageError } from '../errors.js';
import { isRecord } from '../load/objects.js';
import { podState } from '../graph/live.js';
import { heapBytes, MemoryBudget, prune } from './budget.js';
import { ApiError, Deadline, formatBytes, getJson, keepAlive, type Limits } from './http.js';
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
  /** Server-side label filter (`kubernetes.io/service-name=web`). */
  labelSelector?: string;
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
  /**
   * One Service (`doctor svc/NAME -n NS`): read what its chain needs instead of every kind of
   * the namespace (see readForService). Only with `namespaces` equal to its namespace.
   */
  target?: { namespace: string; name: string };
  /**
   * Follow-up reads of the caller (cluster-wide lists) started with the second wave of a
   * target's reads, on the same connections; readCluster waits for them before it closes.
   */
  more?: (read: Pick<ClusterRead, 'items' | 'gaps' | 'reader'>) => Promise<void>;
  /** Leave the connections open after a read that succeeds: the caller reads on and closes the reader. */
  keepOpen?: boolean;
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

/** The answers of a run together (bodies in flight, objects kept) may take this many times --max-response-size. */
export const RUN_MEMORY_FACTOR = 2;
const MiB = 2 ** 20;

/** One line for a run that passes a memory bound: which, and what to do. */
function memoryError(bound: 'answers' | 'heap', budget: MemoryBudget, scoped: boolean): ApiError {
  const scope = scoped ? '' : 'pick a namespace with -n, or ';
  if (bound === 'heap') {
    const objects = `${budget.objects.toLocaleString('en')} object${budget.objects === 1 ? '' : 's'} read so far`;
    return new ApiError('memory', `the objects read from the cluster need more memory than the heap may grow to (${Math.floor(budget.heap / MiB)} MiB; ${objects}, with what their analysis takes); ${scope}raise --max-old-space-size (NODE_OPTIONS=--max-old-space-size=${2 * Math.ceil(budget.heap / MiB)})`);
  }
  return new ApiError('memory', `the objects read from the cluster need more than ${formatBytes(budget.limit)} of memory (twice --max-response-size, the bound for a run); ${scope}raise --max-response-size`);
}

/** Loads kubeconfig the way kubectl does: --kubeconfig, else KUBECONFIG, else ~/.kube/config, else in-cluster. */
export async function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): Promise<ResolvedConfig> {
  return loadKubeconfig(opts);
}

/** Reads the cluster with a fixed number of paged list calls per kind: never a call per Service or pod. */
export class ClusterReader {
  requests = 0;
  readonly limits: Limits;
  readonly deadline: Deadline;
  /** The run's memory: every answer of the run reads against it. */
  readonly budget: MemoryBudget;
  private readonly endpoint: ResolvedConfig['endpoint'];

  constructor(kc: ResolvedConfig, limits: number | (Partial<Limits> & { requestTimeoutMs: number; deadlineMs?: number; scoped?: boolean })) {
    const l = typeof limits === 'number' ? { requestTimeoutMs: limits } : limits;
    this.endpoint = { ...kc.endpoint, agent: keepAlive(kc.endpoint, PARALLEL) };
    this.limits = { requestTimeoutMs: l.requestTimeoutMs, maxResponseBytes: l.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, attempts: l.attempts ?? ATTEMPTS };
    this.deadline = new Deadline(l.deadlineMs ?? DEADLINE_FACTOR * l.requestTimeoutMs);
    this.budget = new MemoryBudget(RUN_MEMORY_FACTOR * this.limits.maxResponseBytes, (bound, budget) => memoryError(bound, budget, l.scoped ?? false));
  }

  get server(): string {
    return this.endpoint.server.origin;
  }

  /** Closes the connections kept open; requests still running fail. */
  close(): void {
    this.endpoint.agent?.destroy();
  }

  /** One GET of a JSON object, within the request timeout, the size cap, the run's memory and the run deadline. */
  async get(path: string): Promise<Record<string, unknown>> {
    this.requests++;
    const body = await getJson(this.endpoint, path, this.limits, this.deadline, { budget: this.budget });
    if (!isRecord(body)) throw new ApiError('garbage', 'the API answered JSON that is not an object');
    return body;
  }

  /** Counts a value the run keeps (as `objects` objects) against its memory; returns the bytes it counted. */
  keep(value: unknown, objects = 0): number {
    const bytes = heapBytes(value, this.budget.names);
    this.budget.keep(bytes, objects);
    return bytes;
  }

  /**
   * One GET of a page of a list, read element by element: each checked for the shape svclint
   * relies on (never a phantom object), stripped of what no check reads, counted against the
   * run's memory and handed to `take` (unless `want` says no). Returns the page's metadata.
   */
  async page(path: string, r: Resource, take: (item: Record<string, unknown>, bytes: number) => void, want?: (item: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    this.requests++;
    const onItem = (it: unknown, i: number) => {
      checkItem(it, i);
      prune(it);
      if (want && !want(it)) return;
      const item = { apiVersion: r.apiVersion, kind: r.kind, ...it };
      take(item, this.keep(item, 1));
    };
    const page = await getJson(this.endpoint, path, this.limits, this.deadline, { budget: this.budget, onItem });
    if (!isRecord(page)) throw new ApiError('garbage', 'the API answered JSON that is not an object');
    if (typeof page.kind === 'string' && page.kind !== `${r.kind}List`) throw new ApiError('garbage', `the API answered a ${page.kind}, not a ${r.kind}List`);
    if (!Object.hasOwn(page, 'items')) throw new ApiError('garbage', 'the API answered a list whose items are missing');
    if (page.items !== null && !Array.isArray(page.items)) throw new ApiError('garbage', 'the API answered a list whose items are not a list');
    return isRecord(page.metadata) ? page.metadata : {};
  }

  /** Called after each page (tests use it to let a continue token expire). */
  onPage?: (page: number) => Promise<void>;
  /** How many lists had to start again because their continue token expired. */
  restarts = 0;

  /**
   * Lists a resource page by page; restarts once when the continue token expires (410).
   * A list that does not end (a continue token seen twice, more pages than the announced
   * item count can fill) or whose answer has the wrong shape is an ApiError for that kind;
   * what it had kept is then given back to the run's memory. `want` picks the items kept.
   */
  async list(r: Resource, namespace: string | undefined, pageSize: number, want?: (item: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
    const prefix = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`;
    const path = namespace && !r.clusterScoped ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${prefix}/${r.plural}`;
    for (let attempt = 0; ; attempt++) {
      const kept = new Kept(this.budget, r.keep);
      const seen = new Set<string>();
      let cont: string | undefined;
      let pages = 0;
      let maxPages = Infinity;
      try {
        do {
          const q = new URLSearchParams({ limit: String(pageSize) });
          if (r.fieldSelector) q.set('fieldSelector', r.fieldSelector);
          if (r.labelSelector) q.set('labelSelector', r.labelSelector);
          if (cont) q.set('continue', cont);
          const meta = await this.page(`${path}?${q}`, r, (item, bytes) => kept.add(item, bytes), want);
          pages++;
          cont = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
          if (typeof meta.remainingItemCount === 'number') maxPages = Math.min(maxPages, pages + Math.ceil(meta.remainingItemCount / pageSize));
          if (cont && seen.has(cont)) throw new ApiError('garbage', `the API sent the same continue token twice (page ${pages}): the list would never end`);
          if (cont && pages >= maxPages) throw new ApiError('garbage', `the API sent more pages (${pages + 1}) than its item count can fill: the list would never end`);
          if (cont) seen.add(cont);
          if (cont && this.onPage) await this.onPage(kept.items.length);
        } while (cont);
        return kept.done();
      } catch (err) {
        kept.drop();
        if (err instanceof ApiError && err.status === 410 && attempt === 0) {
          this.restarts++;
          continue; // expired continue token: list again from the start
        }
        throw err;
      }
    }
  }
}

/**
 * The items of one list as they are read, with what each counts against the run's memory.
 * With `keep` (Events), only the newest that many are held: the list is cut back to them
 * whenever it reaches twice that, so a list of any length holds at most 2 × keep.
 */
class Kept {
  items: Record<string, unknown>[] = [];
  private bytes: number[] = [];
  private total = 0;
  constructor(private readonly budget: MemoryBudget, private readonly keep?: number) {}

  add(item: Record<string, unknown>, bytes: number): void {
    this.items.push(item);
    this.bytes.push(bytes);
    this.total += bytes;
    if (this.keep && this.items.length >= 2 * this.keep) this.cut();
  }

  /** The items, the newest `keep` of them when the kind keeps only those. */
  done(): Record<string, unknown>[] {
    if (this.keep) this.cut();
    return this.items;
  }

  /** The list failed: what it held is given back. */
  drop(): void {
    this.budget.keep(-this.total, -this.items.length);
    this.items = [];
    this.bytes = [];
    this.total = 0;
  }

  private cut(): void {
    const order = this.items.map((_, i) => i).sort((a, b) => newer(this.items[a]!, this.items[b]!));
    const stay = order.slice(0, this.keep);
    let freed = 0;
    for (const i of order.slice(this.keep)) freed += this.bytes[i]!;
    this.items = stay.map((i) => this.items[i]!);
    this.bytes = stay.map((i) => this.bytes[i]!);
    this.total -= freed;
    this.budget.keep(-freed, -(order.length - stay.length));
  }
}

const eventTime = (e: Record<string, unknown>): string => {
  const m = e.metadata as { creationTimestamp?: string } | undefined;
  return String(e.lastTimestamp ?? e.eventTime ?? m?.creationTimestamp ?? '');
};

/** Newest first by their last time (RFC 3339 strings sort as times). */
function newer(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ta = eventTime(a);
  const tb = eventTime(b);
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

/** Checks one item of a list for the shape svclint relies on: never a phantom object. */
function checkItem(it: unknown, i: number): asserts it is Record<string, unknown> & { metadata: Record<string, unknown> } {
  const bad = (what: string) => new ApiError('garbage', `the API answered a list whose items[${i}]${what}`);
  if (!isRecord(it)) throw bad(' is not an object');
  if (!isRecord(it.metadata)) throw bad('.metadata is not an object');
  if (typeof it.metadata.name !== 'string' || it.metadata.name === '') throw bad('.metadata.name is not a name');
  for (const m of ['labels', 'annotations']) {
    const v = it.metadata[m];
    if (v !== undefined && v !== null && (!isRecord(v) || Object.values(v).some((x) => typeof x !== 'string'))) throw bad(`.metadata.${m} is not a map of strings`);
  }
}

/** One line for an error that ends the run: what failed, why, what to do. */
export function fatalError(server: string, err: ApiError): UsageError {
  if (err.status === 401) return new UsageError(`the Kubernetes API at ${server} rejected the credentials (401 Unauthorized); refresh them or pick another --context`);
  if (err.kind === 'deadline') return new UsageError(`${err.message} before the cluster was read; raise --deadline or --request-timeout`);
  if (err.kind === 'memory') return new UsageError(err.message);
  return new UsageError(`cannot reach the Kubernetes API at ${server} (${err.message}); check the kubeconfig context and that the cluster is running`);
}

/** Why a kind could not be read, in words for a gap. */
function gapReason(err: ApiError): string {
  if (err.status === 403) return 'forbidden (403): the credentials may not list it';
  if (err.status === 404) return 'the API does not serve it (404)';
  return err.message;
}

/** How one run reads one kind: its items, or a gap; a fatal error ends the run. */
function kindReads(reader: ClusterReader, opts: ReadOptions, gaps: Gap[], state: { endpointSource: ClusterRead['endpointSource'] }) {
  const pageSize = opts.pageSize ?? 500;
  const scopes: (string | undefined)[] = opts.namespaces ?? [undefined];
  const fatal = (err: unknown): never => {
    if (err instanceof ApiError) throw fatalError(reader.server, err);
    throw err;
  };
  /** One kind in one scope: its items, or a gap; the run ends on a fatal error. */
  const read = async (r: Resource, ns: string | undefined, proof = false): Promise<Record<string, unknown>[]> => {
    try {
      opts.onProgress?.(`reading ${r.plural}${ns ? ` in ${ns}` : ''}`);
      return await reader.list(r, ns, pageSize);
    } catch (err) {
      // The first list proves the server and the credentials: only an answer (a status, a redirect,
      // a body too large or too slow) makes its failure one kind's problem; no answer, or one that
      // is not JSON, ends the run, as a failed /version read did.
      if (!(err instanceof ApiError) || err.fatal || (proof && !err.answered)) fatal(err);
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
      for (const ns of scopes) append(out, await read(r, ns));
      return out;
    }
  };
  return { read, readWide, fatal, scopes, pageSize };
}

/** Reads everything the doctor needs, tolerating per-kind failures (403, 404, 5xx, garbage, timeouts) and missing CRDs. */
export async function readCluster(kc: ResolvedConfig, opts: ReadOptions): Promise<ClusterRead> {
  const reader = new ClusterReader(kc, { ...opts, scoped: opts.namespaces !== undefined });
  reader.onPage = opts.onPage;
  const gaps: Gap[] = [];
  const items: Record<string, unknown>[] = [];
  const state = { endpointSource: 'EndpointSlice' as ClusterRead['endpointSource'] };
  const { read, readWide, fatal, scopes } = kindReads(reader, opts, gaps, state);
  let dns = undefined as Awaited<ReturnType<typeof readDns>> | undefined;
  const target = opts.target && opts.namespaces?.length === 1 && opts.namespaces[0] === opts.target.namespace ? opts.target : undefined;
  if (target) {
    try {
      dns = await readForService(reader, target, { read, readWide, fatal }, items, gaps, state, opts.more);
    } finally {
      reader.close();
    }
  } else {
    const jobs = RESOURCES.flatMap((r) => (r.clusterScoped || (r.wide && opts.namespaces) ? [undefined] : scopes).map((ns) => () => (r.wide && opts.namespaces ? readWide(r) : read(r, ns))));
    try {
      // Services first and alone: when none can be read, nothing else matters. Their list also
      // proves the server answers and the credentials work: an answer that is not an HTTP status
      // (no answer, a reset, garbage) ends the run there, as a failed /version read did.
      const results = await inParallel(scopes.map((ns) => () => read(byKind('Service'), ns, true)), 1);
      results.push(...(await inParallel([...jobs.slice(scopes.length), async () => ((dns = await readDnsOrGap(reader, fatal)), [])], PARALLEL)));
      if (state.endpointSource === 'Endpoints') results.push(...(await inParallel(scopes.map((ns) => () => read(ENDPOINTS, ns)), PARALLEL)));
      for (const r of results) append(items, r);
    } catch (err) {
      reader.close();
      throw err;
    }
    if (!opts.keepOpen) reader.close();
  }
  if (!dns) throw new Error('the cluster DNS read did not run');
  // Keep gaps in the order of the table whatever order the reads ended in.
  const order = (g: Gap) => RESOURCES.findIndex((r) => r.kind === g.kind) >>> 0;
  gaps.sort((a, b) => order(a) - order(b) || scopes.indexOf(a.namespace) - scopes.indexOf(b.namespace));
  // Cluster DNS is checked whatever namespaces were asked for: its objects join the rest.
  if (dns.readable) {
    append(items, dns.pods);
    if (dns.service) items.push({ apiVersion: 'v1', kind: 'Service', ...dns.service });
    append(items, dns.slices);
    if (dns.corefile !== undefined) items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: dns.corefile } });
    if (dns.kubeProxyConfig !== undefined) items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, data: { 'config.conf': dns.kubeProxyConfig } });
  } else {
    gaps.push({ kind: 'cluster DNS (kube-system)', reason: `${dns.reason ?? 'forbidden'}: the cluster DNS check did not run` });
  }
  return { items, gaps, endpointSource: state.endpointSource, requests: reader.requests, server: reader.server, reader, dns };
}

type KindReads = Pick<ReturnType<typeof kindReads>, 'read' | 'readWide' | 'fatal'>;

/** The kinds that own pods, by the name an ownerReference gives them. */
const OWNER_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Rollout'];

const metaOf = (it: Record<string, unknown>) => (isRecord(it.metadata) ? it.metadata : {});
const ownerKinds = (it: Record<string, unknown>): string[] => (Array.isArray(metaOf(it).ownerReferences) ? (metaOf(it).ownerReferences as unknown[]) : []).map((r) => (isRecord(r) && typeof r.kind === 'string' ? r.kind : '')).filter(Boolean);
/** A NetworkPolicy with an ingress `from` or egress `to` peer that has a namespaceSelector. */
function namespacePeer(it: Record<string, unknown>): boolean {
  if (it.kind !== 'NetworkPolicy' || !isRecord(it.spec)) return false;
  const rules = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
  const peers = [...rules(it.spec.ingress).flatMap((r) => rules(r.from)), ...rules(it.spec.egress).flatMap((r) => rules(r.to))];
  return peers.some((p) => p.namespaceSelector !== undefined && p.namespaceSelector !== null);
}

/** Ready as the doctor judges it (a terminating pod is not): only a pod that is not has its events quoted. */
const isReady = (pod: Record<string, unknown>) => podState(pod).ready;

/**
 * `doctor svc/NAME -n NS`: what that Service's chain needs, in a fixed number of requests
 * whatever the size of the namespace or cluster, and in two waves instead of a /version
 * round trip, the Services alone, then every kind.
 *
 * First, together: the namespace's Services (their list proves the server and the
 * credentials, and other Services are the names its pods dial) and pods (the near-miss hint
 * reads their labels), the Service's EndpointSlices (by label), NetworkPolicies (cluster-wide),
 * the Ingresses, HTTPRoutes and StatefulSets that may name it, and cluster DNS.
 * Then, from what came back: the kinds the selected pods' ownerReferences name (ReplicaSets
 * with their Deployments, Jobs with their CronJobs), the Nodes they run on and, when some are
 * not ready, the namespace's Warning events about pods; when the selector matches no pod
 * there, every kind that may carry a scaled-down template and the namespace's FailedCreate
 * events (a controller refused its pods); Namespaces when a NetworkPolicy
 * peer selects by namespace or an ExternalName needs their existence; and the caller's
 * cluster-wide reads.
 */
async function readForService(reader: ClusterReader, target: { namespace: string; name: string }, k: KindReads, items: Record<string, unknown>[], gaps: Gap[], state: { endpointSource: ClusterRead['endpointSource'] }, more: ReadOptions['more']): Promise<Awaited<ReturnType<typeof readDns>>> {
  const ns = target.namespace;
  const { read, readWide, fatal } = k;
  const take = (p: Promise<Record<string, unknown>[]>) => p.then((r) => append(items, r));
  // The Services of the namespace come first: a server or credentials that do not work end the run there, in one line.
  const services = take(read(byKind('Service'), ns, true));
  let dns = undefined as Awaited<ReturnType<typeof readDns>> | undefined;
  const slices: Resource = { ...byKind('EndpointSlice'), labelSelector: `kubernetes.io/service-name=${target.name}` };
  // What the second wave is chosen from; the rest runs on beside it.
  const needed = [services, take(read(byKind('Pod'), ns)), take(read(slices, ns)), take(readWide(byKind('NetworkPolicy')))];
  const rest = [
    take(read(byKind('Ingress'), ns)),
    take(read(byKind('HTTPRoute'), ns)),
    take(read(byKind('StatefulSet'), ns)),
    readDnsOrGap(reader, fatal).then((d) => void (dns = d)),
  ];
  for (const p of rest) p.catch(() => undefined); // awaited below; a failure meanwhile is not unhandled
  await settle(needed);
  const svc = items.find((it) => it.kind === 'Service' && metaOf(it).name === target.name && metaOf(it).namespace === ns);
  if (!svc) {
    await settle(rest);
    return dns!; // "no Service NS/NAME" is the answer: nothing more to read
  }
  const spec = isRecord(svc.spec) ? svc.spec : {};
  const selector = isRecord(spec.selector) ? Object.entries(spec.selector).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
  const pods = items.filter((it) => it.kind === 'Pod' && metaOf(it).namespace === ns);
  const selected = selector.length ? pods.filter((p) => {
    const labels = isRecord(metaOf(p).labels) ? (metaOf(p).labels as Record<string, string>) : {};
    return selector.every(([key, v]) => labels[key] === v);
  }) : [];
  const kinds = new Set<string>();
  if (selected.length) {
    for (const p of selected) for (const o of ownerKinds(p)) kinds.add(o);
    if (kinds.has('ReplicaSet')) kinds.add('Deployment');
    if (kinds.has('Job')) kinds.add('CronJob');
  } else if (selector.length) {
    // Nothing selected here: a scaled-down workload of any kind may be what the selector names.
    for (const o of OWNER_KINDS) kinds.add(o);
  }
  kinds.delete('StatefulSet'); // read already
  const second: Promise<unknown>[] = [];
  for (const o of OWNER_KINDS) if (kinds.has(o)) second.push(take(read(byKind(o), ns)));
  if (selected.length) second.push(take(read(byKind('Node'), undefined)));
  if (selected.some((p) => !isReady(p))) second.push(take(read({ ...byKind('Event'), fieldSelector: 'type=Warning,involvedObject.kind=Pod' }, ns)));
  // No pod at all: a workload's controller may be refused them (quota, Pod Security, a webhook), which it reports in FailedCreate events.
  if (selector.length && !selected.length) second.push(take(read({ ...byKind('Event'), fieldSelector: 'type=Warning,reason=FailedCreate' }, ns)));
  // Namespace labels matter only to a policy peer with a namespaceSelector; an ExternalName needs their existence.
  if (items.some(namespacePeer) || spec.type === 'ExternalName') second.push(take(read(byKind('Namespace'), undefined)));
  // An ExternalName's chain shows whether the Service it names has ready endpoints: all the namespace's slices.
  if (spec.type === 'ExternalName' && state.endpointSource === 'EndpointSlice') second.push(take(read(byKind('EndpointSlice'), ns)));
  if (state.endpointSource === 'Endpoints') second.push(take(read({ ...ENDPOINTS, fieldSelector: spec.type === 'ExternalName' ? undefined : `metadata.name=${target.name}` }, ns)));
  if (more) second.push(more({ items, gaps, reader }));
  await settle([...second, ...rest]);
  // A Rollout owns its pods through ReplicaSets: read only when one of those names it.
  if (!kinds.has('Rollout') && items.some((it) => it.kind === 'ReplicaSet' && ownerKinds(it).includes('Rollout'))) await take(read(byKind('Rollout'), ns));
  return dns!;
}

/** Waits for every read; the first that fails (a fatal error: the others become gaps) ends the wait, and the run. */
async function settle(reads: Promise<unknown>[]): Promise<void> {
  await Promise.all(reads);
}

/** Appends one array to another in place (spreading a list of 100,000 items into push() passes the call stack). */
export function append<T>(to: T[], from: readonly T[]): void {
  for (const x of from) to.push(x);
}

/** One cluster-wide paged list (after readCluster, on its reader); what forbids it becomes a gap. `want` picks the items kept. */
export async function listClusterWide(reader: ClusterReader, r: Resource, pageSize = 500, namespace?: string, want?: (item: Record<string, unknown>) => boolean): Promise<{ items: Record<string, unknown>[]; gap?: Gap }> {
  try {
    return { items: await reader.list(r, namespace, pageSize, want) };
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
  // What this read keeps counts against the run's memory, and is given back when it fails.
  let kept = 0;
  let objects = 0;
  const keep = <T>(list: T[]) => (item: T, bytes: number) => {
    list.push(item);
    kept += bytes;
    objects++;
  };
  try {
    // Five independent reads: at once, not one after the other (they were the longest job of a run).
    const settled = await Promise.allSettled([
      // The cluster DNS pods and kube-proxy's, in one list (a set-based selector).
      reader.page(`/api/v1/namespaces/kube-system/pods?labelSelector=${encodeURIComponent('k8s-app in (kube-dns,kube-proxy)')}`, DNS_POD, keep(out.pods)),
      reader.get('/api/v1/namespaces/kube-system/services/kube-dns').catch(optional),
      reader.page('/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkube-dns', DNS_SLICE, keep(out.slices)),
      reader.get('/api/v1/namespaces/kube-system/configmaps/coredns').catch(optional),
      // kube-proxy's mode, when kubeadm-style configuration is readable (best effort).
      reader.get('/api/v1/namespaces/kube-system/configmaps/kube-proxy').catch((e: unknown) => (e instanceof ApiError && e.fatal ? Promise.reject(e) : undefined)),
    ]);
    // Every read has ended (none adds to what is kept after this), the first failure decides.
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [, service, , cm, kp] = settled.map((r) => (r as PromiseFulfilledResult<Record<string, unknown> | undefined>).value);
    out.service = service;
    if (out.service && (!isRecord(out.service.metadata) || out.service.metadata.name !== 'kube-dns')) throw new ApiError('garbage', 'the API answered something other than the kube-dns Service');
    const data = isRecord(cm?.data) ? cm.data : undefined;
    out.corefile = typeof data?.Corefile === 'string' ? data.Corefile : undefined;
    const kpData = isRecord(kp?.data) ? kp.data : undefined;
    out.kubeProxyConfig = typeof kpData?.['config.conf'] === 'string' ? kpData['config.conf'] : undefined;
    const more = (out.service ? 1 : 0) + (out.corefile !== undefined ? 1 : 0) + (out.kubeProxyConfig !== undefined ? 1 : 0);
    kept += reader.keep([out.service, out.corefile, out.kubeProxyConfig], more);
    objects += more;
    return out;
  } catch (err) {
    reader.budget.keep(-kept, -objects);
    throw err;
  }
}
