import type { Config } from '../engine/config.js';
import type { CliIO } from './main.js';
import { UsageError } from '../errors.js';
import { buildGraph } from '../graph/index.js';
import { runRules } from '../engine/engine.js';
import { toLiveObjects, toObjects } from '../load/objects.js';
import { discover } from '../load/discover.js';
import { parseText, toLoadProblems } from '../load/parse.js';
import type { LoadProblem } from '../types/problem.js';
import { countBySeverity, format, type Format } from '../report/index.js';
import { computeRoutes } from '../graph/routes.js';
import { checkOutputFiles, INPUT, type ReadPath } from '../report/write.js';
import { emit, namedReads, pairOutputs, resolveConfig, sourceTexts } from './lint-command.js';
import { EXIT, useColor } from './io.js';
import { severityRank, type Severity } from '../types/finding.js';
import { workloadOf } from '../graph/live.js';
import type { K8sObject } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import { stringMap } from '../graph/pods.js';
import type { Finding } from '../types/finding.js';
import type { ServiceGraph, ServiceNode } from '../types/graph.js';
import { RULES } from '../../rules/index.js';
import { append, byKind, CONFIGMAPS, DEADLINE_FACTOR, listClusterWide, loadKubeConfig, readCluster, type ClusterRead, type Gap } from '../doctor/cluster.js';
import { references } from '../graph/references.js';
import { maySpring } from '../graph/spring.js';
import { isRecord } from '../load/objects.js';
import { applyGaps, CORE_KINDS } from '../doctor/gaps.js';
import { mark } from '../timing.js';
import { parseAll } from '../load/parse-pool.js';
import { parseSize } from '../load/read.js';
import { parseLabelSelector } from '../doctor/selector.js';

export interface DoctorOptions {
  /** Local manifests laid over the live state (-f). */
  filename?: string[];
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  kubeconfig?: string;
  context?: string;
  requestTimeout: string;
  /** The whole run's deadline (default: a few request timeouts). */
  deadline?: string;
  /** Largest API response read, like 256Mi. */
  maxResponseSize?: string;
  /** What the run is about: a Service (chain view) or a workload (client view). */
  target?: Target;
}

export type TargetKind = 'Service' | 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface Target {
  kind: TargetKind;
  namespace: string;
  name: string;
}

/** kubectl's names for the kinds a target may have: `svc/web`, `deploy/web`, `pod/web-0`, `sts/db`, `ds/agent`. */
const TARGET_KINDS: Record<string, TargetKind> = {
  svc: 'Service', service: 'Service', services: 'Service',
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
};

export function parseTarget(target: string, namespace: string): Target {
  const m = /^([a-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(target);
  const kind = m ? TARGET_KINDS[m[1]!] : undefined;
  if (!m || !kind) throw new UsageError(`'${target}' is not svc/NAME, deploy/NAME, sts/NAME, ds/NAME or pod/NAME`);
  return { kind, namespace, name: m[2]! };
}

export function parseDuration(s: string, flag = '--request-timeout'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  const n = m ? Number(m[1]) : 0;
  if (!m || n <= 0) throw new UsageError(`${flag} '${s}' is not a positive duration (like 10s, 500ms, 1m)`);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

/** --max-response-size: a size like 256Mi or 64MiB (the sizes every svclint option takes), at least 1 KiB. */
export function responseSize(s: string): number {
  const n = parseSize(s);
  if (n === undefined || n < 1024) throw new UsageError(`--max-response-size '${s}' is not a size of at least 1Ki (like 256Mi, 64MiB)`);
  return n;
}

export interface DoctorResult {
  graph: ServiceGraph;
  findings: Finding[];
  requests: number;
  files?: SourceFile[];
  /** Where the state came from: `context X`, or a file. */
  source: string;
  /** Kinds that could not be read: the checks that need them were skipped. */
  gaps?: Gap[];
}

/** Reads the live cluster (read-only: get and list only) and runs every rule over it. */
export async function doctorLive(opts: DoctorOptions, config: Config, io: CliIO, guard?: (reads: { path: string; what: string }[]) => void): Promise<DoctorResult> {
  const requestTimeoutMs = parseDuration(opts.requestTimeout);
  const deadlineMs = opts.deadline ? parseDuration(opts.deadline, '--deadline') : DEADLINE_FACTOR * requestTimeoutMs;
  const maxResponseBytes = opts.maxResponseSize ? responseSize(opts.maxResponseSize) : undefined;
  const kc = await loadKubeConfig(opts);
  guard?.(kc.files ?? []); // no report lands on the kubeconfig or a file it names
  mark('kubeconfig');
  const namespaces = opts.allNamespaces || !opts.namespace ? undefined : [opts.namespace];
  const target = namespaces && opts.target?.kind === 'Service' && !opts.filename?.length ? { namespace: opts.target.namespace, name: opts.target.name } : undefined;
  const read = await readCluster(kc, {
    namespaces,
    requestTimeoutMs,
    deadlineMs,
    maxResponseBytes,
    onProgress: io.isTTY ? (t) => io.stderr(`\r\u001b[2K${t}…`) : undefined,
    // Scoped: the widening reads below reuse the connections; they are closed after them.
    keepOpen: namespaces !== undefined && !target,
    // One Service: the cluster-wide reads start with the second wave of its reads, on the same connections.
    ...(target && namespaces ? { target, more: (r) => widenForService(r, namespaces, target, opts, config.clusterDomain) } : {}),
  });
  if (namespaces && !target) {
    // The widening reads use the connections of the first ones; they are closed after the last.
    try {
      const widened = widen(read, namespaces, opts, config.clusterDomain);
      await widened.done;
      // With -n, a Service whose selector matches no pod there may match pods elsewhere: one cluster-wide list.
      if (!widened.wide && !read.gaps.some((g) => g.kind === 'Pod') && selectsNothing(read.items)) {
        // The pods of the namespaces in scope were read already: only the others are kept.
        const wide = await listClusterWide(read.reader, byKind('Pod'), 500, undefined, (it) => !namespaces.includes(nsOf(it)));
        append(read.items, wide.items);
        if (wide.gap) read.gaps.push({ kind: 'Pod (cluster-wide)', reason: `${wide.gap.reason}; only namespace ${namespaces.join(', ')} was read, so pods that match from other namespaces are not shown` });
      }
    } finally {
      read.reader.close();
    }
  }
  if (io.isTTY) io.stderr('\r\u001b[2K');
  mark(`requests (${read.reader.requests})`);
  // Nothing read is not success: without a single Service list, nothing was examined.
  const serviceGaps = read.gaps.filter((g) => g.kind === 'Service');
  if (serviceGaps.length && serviceGaps.length === (namespaces ?? [undefined]).length) {
    throw new UsageError(`no Service could be read (${serviceGaps[0]!.reason}), so nothing was checked; use credentials that may list Services${namespaces ? '' : ', or pick a namespace with -n'}`);
  }
  if (read.endpointSource === 'Endpoints') io.stderr('svclint: this cluster serves no discovery.k8s.io/v1 EndpointSlices; reading v1 Endpoints instead\n');
  let objects = toLiveObjects(read.items);
  let files: SourceFile[] = [];
  if (opts.filename?.length) {
    const local = await localObjects(opts.filename, config, opts.namespace ?? 'default', io, objects.length);
    objects = overlay(objects, local.objects);
    files = local.files;
  }
  const graph = buildGraph(objects, { clusterDomain: config.clusterDomain, defaultNamespace: opts.namespace ?? 'default', kubernetesVersion: config.kubernetesVersion, networkPolicy: config.networkPolicy, live: true }, [], files);
  const { kept, skipped } = applyGaps(runRules(graph, RULES, config), read.gaps);
  mark('analysis');
  for (const g of read.gaps) {
    const rules = [...new Set(skipped.filter((s) => s.gap === g).map((s) => s.ruleId))];
    const what = rules.length ? `skipped the checks that need it: ${rules.join(', ')}` : 'the checks that need it did not run there';
    io.stderr(`svclint: could not read ${g.kind}${g.namespace ? ` in namespace ${g.namespace}` : ''}: ${g.reason}; ${what}\n`);
  }
  return { graph, findings: kept, requests: read.reader.requests, files, source: `context ${kc.context || read.server}`, gaps: read.gaps.filter((g) => CORE_KINDS.includes(g.kind)) };
}


const nsOf = (it: Record<string, unknown>): string => ((it.metadata ?? {}) as { namespace?: string }).namespace ?? '';

/**
 * A scoped run still sees the causes next door, with a fixed number of extra lists (never one
 * per Service, pod or namespace). The pods, Services and EndpointSlices of the whole cluster
 * are read when a NetworkPolicy in scope may block clients from elsewhere or one elsewhere
 * limits some pods' egress, when the run is a client view or the namespace has no Service
 * (what its pods dial lives elsewhere), or when an ExternalName points at another namespace. A client view also reads the
 * ConfigMaps of its namespace (configuration its pods mount). Returns whether pods were read
 * cluster-wide.
 */
function widen(read: Pick<ClusterRead, 'items' | 'gaps' | 'reader'>, scope: string[], opts: DoctorOptions, domain: string): { wide: boolean; done: Promise<void> } {
  const inScope = (it: Record<string, unknown>) => scope.includes(nsOf(it));
  const client = opts.target !== undefined && opts.target.kind !== 'Service';
  const scopedServices = read.items.filter((it) => it.kind === 'Service' && inScope(it));
  const elsewhere = scopedServices.some((it) => {
    const spec = (it.spec ?? {}) as { type?: string; externalName?: string };
    const host = typeof spec.externalName === 'string' ? spec.externalName.toLowerCase().replace(/\.$/, '') : '';
    const m = spec.type === 'ExternalName' && host.endsWith(`.svc.${domain}`) ? host.slice(0, -`.svc.${domain}`.length).split('.') : [];
    return m.length >= 2 && !scope.includes(m.at(-1)!);
  });
  // A policy in scope may block clients from anywhere; one elsewhere matters to them only by
  // their egress (policyTypes defaults to Egress when the policy has egress rules).
  const egress = (it: Record<string, unknown>) => {
    const spec = (it.spec ?? {}) as { policyTypes?: unknown; egress?: unknown };
    return Array.isArray(spec.policyTypes) ? spec.policyTypes.includes('Egress') : spec.egress !== undefined;
  };
  const policies = read.items.some((it) => it.kind === 'NetworkPolicy' && (inScope(it) || egress(it)));
  const jobs: Promise<void>[] = [];
  const add = (kind: string, what: string, p: Promise<{ items: Record<string, unknown>[]; gap?: Gap }>) => jobs.push(p.then((r) => {
    append(read.items, r.items);
    if (r.gap) read.gaps.push({ kind: `${kind} (cluster-wide)`, reason: `${r.gap.reason}; only namespace ${scope.join(', ')} was read, so ${what}` });
  }));
  const wide = policies || client || elsewhere || scopedServices.length === 0;
  // What is in scope was read already: a cluster-wide list keeps only the rest.
  const elsewhereOnly = (it: Record<string, unknown>) => !inScope(it);
  if (wide) {
    add('Pod', 'clients and backends in other namespaces are not shown', listClusterWide(read.reader, byKind('Pod'), 500, undefined, elsewhereOnly));
    add('Service', 'names of other namespaces are not judged', listClusterWide(read.reader, byKind('Service'), 500, undefined, elsewhereOnly));
    add('EndpointSlice', 'endpoints of other namespaces are not shown', listClusterWide(read.reader, byKind('EndpointSlice'), 500, undefined, elsewhereOnly));
  }
  if (client) for (const ns of scope) add('ConfigMap', 'configuration its pods mount is not followed', listClusterWide(read.reader, CONFIGMAPS, 500, ns));
  // A server whose listening address or port comes from a mounted ConfigMap (nginx, Redis, PostgreSQL): that namespace's ConfigMaps.
  else for (const ns of scope.filter((n) => read.items.some((it) => it.kind === 'Pod' && nsOf(it) === n && readsServerConfig(it)))) add('ConfigMap', 'the configuration files its servers read are not followed', listClusterWide(read.reader, CONFIGMAPS, 500, ns));
  const done = Promise.all(jobs).then(() => {
    read.gaps.forEach((g) => g.kind === 'ConfigMap (cluster-wide)' && (g.kind = 'ConfigMap'));
  });
  return { wide, done };
}

/**
 * widen() for one Service, on connections the reader keeps open. When its selector matches no
 * pod of its namespace and the pods are not read cluster-wide anyway, the pods it matches
 * elsewhere come from one server-filtered list (`labelSelector=` the selector).
 */
async function widenForService(read: Pick<ClusterRead, 'items' | 'gaps' | 'reader'>, scope: string[], target: { namespace: string; name: string }, opts: DoctorOptions, domain: string): Promise<void> {
  const widened = widen(read, scope, opts, domain);
  const jobs = [widened.done];
  const svc = read.items.find((it) => it.kind === 'Service' && nsOf(it) === target.namespace && (it.metadata as { name?: string }).name === target.name);
  if (svc && !widened.wide && !read.gaps.some((g) => g.kind === 'Pod') && selectsNothing(read.items, svc)) {
    const selector = Object.entries(((svc.spec ?? {}) as { selector?: Record<string, string> }).selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    jobs.push(listClusterWide(read.reader, { ...byKind('Pod'), labelSelector: selector }, 500, undefined, (it) => !scope.includes(nsOf(it))).then((wide) => {
      append(read.items, wide.items);
      if (wide.gap) read.gaps.push({ kind: 'Pod (cluster-wide)', reason: `${wide.gap.reason}; only namespace ${scope.join(', ')} was read, so pods that match from other namespaces are not shown` });
    }));
  }
  await Promise.all(jobs);
}



/** Whether a pod mounts a ConfigMap into a server whose configuration file says where it listens (nginx, Redis, PostgreSQL, HAProxy, Spring Boot, Elasticsearch, MySQL). */
function readsServerConfig(pod: Record<string, unknown>): boolean {
  const spec = (pod.spec ?? {}) as { volumes?: unknown; containers?: unknown };
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  if (!volumes.some((v) => v && typeof v === 'object' && ('configMap' in v || 'projected' in v))) return false;
  return (Array.isArray(spec.containers) ? spec.containers : []).some((c) => {
    const text = JSON.stringify([c?.image, c?.command, c?.args]);
    return /nginx|haproxy|redis-server|postgres|config_file|elasticsearch|mysql|mariadb|httpd|apache/.test(text) || (isRecord(c) && maySpring(c));
  });
}

/** Whether some Service read (or `only` that one) has a selector that matches no pod of its namespace. */
function selectsNothing(items: Record<string, unknown>[], only?: Record<string, unknown>): boolean {
  const labels = new Map<string, Record<string, string>[]>();
  for (const it of items) {
    if (it.kind !== 'Pod') continue;
    const m = (it.metadata ?? {}) as { namespace?: string; labels?: Record<string, string> };
    const ns = m.namespace ?? '';
    let list = labels.get(ns);
    if (!list) labels.set(ns, (list = []));
    list.push(m.labels ?? {});
  }
  return (only ? [only] : items).some((it) => {
    if (it.kind !== 'Service') return false;
    const sel = Object.entries(((it.spec ?? {}) as { selector?: Record<string, string> }).selector ?? {});
    const ns = ((it.metadata ?? {}) as { namespace?: string }).namespace ?? '';
    return sel.length > 0 && !(labels.get(ns) ?? []).some((l) => sel.every(([k, v]) => l[k] === v));
  });
}

/** A saved cluster state (--from) instead of a live cluster, with the same -f overlay. */
export async function doctorFrom(from: string, opts: DoctorOptions, config: Config, io: CliIO): Promise<DoctorResult> {
  const namespace = opts.namespace ?? config.namespace ?? 'default';
  const found = await discover([from], { cwd: io.cwd, ignore: [], readStdin: io.readStdin, render: false, maxInputBytes: config.maxInputBytes });
  const problems: LoadProblem[] = [...found.problems];
  mark('read');
  // Parsed in the worker pool, as the lint does: a saved state is often one big document.
  const results = await parseAll(found.files);
  mark('parse');
  const parsed = found.files.map((file, i) => {
    const r = results[i]!;
    problems.push(...toLoadProblems(file, r.problems));
    return { file, docs: r.docs };
  });
  let objects = toObjects(parsed, { defaultNamespace: namespace });
  // As the lint: input with nothing to read is a mistake (an empty file, stdin not piped), not a healthy cluster.
  if (objects.length === 0 && problems.length === 0) {
    throw new UsageError(`no Kubernetes objects found in ${from === '-' ? 'stdin' : `'${from}'`}: --from reads a saved cluster state, such as \`kubectl get services,endpointslices,pods -A -o yaml\``);
  }
  let files = found.files;
  if (opts.filename?.length) {
    const local = await localObjects(opts.filename, config, namespace, io, objects.length);
    objects = overlay(objects, local.objects);
    files = [...files, ...local.files];
  }
  const graph = buildGraph(objects, { clusterDomain: config.clusterDomain, defaultNamespace: namespace, kubernetesVersion: config.kubernetesVersion, networkPolicy: config.networkPolicy, live: true }, problems, files);
  const findings = runRules(graph, RULES, config);
  mark('analysis');
  return { graph, findings, requests: 0, files, source: from === '-' ? 'stdin' : from };
}

/**
 * kubectl habit: `-o json` and `-o yaml` name a format, not a file. Read them as --format
 * json (JSON is valid YAML), with a one-line note.
 */
export function kubectlOutputHabit(opts: { format?: Format[]; outputFile?: string[] }, io: CliIO): void {
  const files = opts.outputFile ?? [];
  const i = files.findIndex((f) => f === 'json' || f === 'yaml');
  if (i < 0) return;
  io.stderr(`svclint: reading -o ${files[i]} as --format json${files[i] === 'yaml' ? ' (JSON is valid YAML)' : ''}; -o is --output-file here\n`);
  opts.outputFile = files.filter((_, j) => j !== i);
  opts.format = [...(opts.format ?? []).slice(0, i), 'json', ...(opts.format ?? []).slice(i)];
}

/** What was read, for the summary line: `12 Services, 40 pods in 3 namespaces from context X`. */
export function readScope(result: DoctorResult, namespace: string | undefined): string {
  const inScope = result.graph.objects.filter((o) => !namespace || o.namespace === namespace);
  const services = inScope.filter((o) => o.kind === 'Service').length;
  const pods = inScope.filter((o) => o.kind === 'Pod');
  const namespaces = new Set(inScope.filter((o) => o.kind === 'Service' || o.kind === 'Pod').map((o) => o.namespace));
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(services, 'Service')}, ${n(pods.length, 'pod')} in ${n(namespaces.size, 'namespace')} from ${result.source}`;
}

const identity = (o: K8sObject) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}|${o.kind}|${o.namespace}|${o.name}`;

/** Local manifests, parsed with positions, for the overlay. */
async function localObjects(paths: string[], config: Config, namespace: string, io: CliIO, firstId: number): Promise<{ objects: K8sObject[]; files: SourceFile[] }> {
  const found = await discover(paths, { cwd: io.cwd, ignore: config.ignore, ignoreBase: config.base, readStdin: io.readStdin, render: { namespace }, maxInputBytes: config.maxInputBytes });
  const parsed = found.files.map((file) => ({ file, docs: parseText(file.text).docs }));
  return { objects: toObjects(parsed, { defaultNamespace: namespace }, firstId).map((o) => ({ ...o, overlay: true })), files: found.files };
}

/**
 * "What breaks if I apply this?": local objects replace live ones of the same identity;
 * a local workload replaces the live pods it owns (its template stands for its pods).
 */
export function overlay(live: K8sObject[], local: K8sObject[]): K8sObject[] {
  const replaced = new Set(local.map(identity));
  const workloads = local.filter((o) => POD_OWNERS.has(o.kind));
  const ownedByLocal = (pod: K8sObject) => {
    const refs = (pod.body.metadata as { ownerReferences?: { kind?: string; name?: string }[] } | undefined)?.ownerReferences ?? [];
    return refs.some((r) => workloads.some((w) => w.namespace === pod.namespace && (r.name === w.name || (typeof r.name === 'string' && r.name.startsWith(`${w.name}-`) && (r.kind === 'ReplicaSet' || r.kind === 'Job')))));
  };
  return [...live.filter((o) => !replaced.has(identity(o)) && !(o.kind === 'Pod' && ownedByLocal(o))), ...local];
}

const POD_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Rollout']);

export interface Filter {
  selector?: string;
  target?: { namespace: string; name: string };
  namespace?: string;
  /** The namespace's pods dial Services: without a Service of its own it is a client view. */
  clients?: boolean;
}

/** Rules about the way from a client to a Service: their findings sit on the client, maybe next door. */
const DIAL_RULES = new Set(['network-policy-blocks-service', 'network-policy-blocks-dns', 'dns-reference-unknown-service']);

const objKey = (o: { kind: string; namespace?: string; name: string }) => `${o.kind}|${o.namespace ?? ''}|${o.name}`;

/**
 * Findings on clients (in any namespace) about their way to the picked Services: a policy that
 * blocks them (at either end), their DNS egress, a name that resolves to nothing there.
 */
export function nextDoor(graph: ServiceGraph, findings: readonly Finding[], picked: readonly ServiceNode[]): Finding[] {
  const services = new Set(picked);
  const namespaces = new Set(picked.map((s) => s.object.namespace));
  const clients = new Set<string>();
  for (const e of references(graph)) {
    const r = e.resolution;
    const hit = ((r.kind === 'service' || r.kind === 'pod') && services.has(r.service)) || (r.kind === 'missing' && namespaces.has(r.namespace));
    if (!hit) continue;
    clients.add(objKey(e.site.object));
    for (const t of e.site.clients) clients.add(objKey(t.owner));
  }
  const about = (f: Finding) => {
    if (f.ruleId !== 'network-policy-blocks-service') return true;
    return (f.related ?? []).some((r) => r.object?.kind === 'Service' && picked.some((s) => s.object.namespace === r.object!.namespace && s.object.name === r.object!.name));
  };
  return findings.filter((f) => DIAL_RULES.has(f.ruleId) && f.object && clients.has(objKey(f.object)) && about(f));
}

/**
 * Keeps the findings about the Services a -l selector, svc/NAME or -n picks, and the findings
 * on their clients next door. A filter that picks no Service is a usage error (exit 2), never
 * "no problems" — unless the namespace's pods dial Services (a client view, `clients`).
 */
/** Findings about what every Service depends on: kept in runs scoped to a namespace. */
const CLUSTER_WIDE = new Set(['cluster-dns-unhealthy', 'kube-proxy-unhealthy']);

export function selectFindings(result: DoctorResult, opts: Filter): Finding[] {
  const match = opts.selector ? parseLabelSelector(opts.selector) : () => true;
  const picked = result.graph.services
    .filter((s) => !opts.namespace || s.object.namespace === opts.namespace)
    .filter((s) => !opts.target || (s.object.namespace === opts.target.namespace && s.object.name === opts.target.name))
    .filter((s) => match(stringMap((s.object.body.metadata as Record<string, unknown> | undefined)?.labels)));
  if (picked.length === 0 && (opts.selector || opts.target || (opts.namespace && !opts.clients))) throw new UsageError(nothingPicked(opts));
  const near = nextDoor(result.graph, result.findings, picked);
  const keepNear = (f: Finding) => near.includes(f);
  // Cluster DNS and kube-proxy are everyone's problem; other findings stay within the namespace asked for.
  const inScope = (f: Finding) => CLUSTER_WIDE.has(f.ruleId) || !opts.namespace || f.object?.namespace === opts.namespace || keepNear(f);
  if (!opts.selector && !opts.target) return result.findings.filter(inScope);
  const keep = new Set(picked.map((s) => `${s.object.namespace}/${s.object.name}`));
  return result.findings.filter((f) => (f.object?.kind === 'Service' && keep.has(`${f.object.namespace}/${f.object.name}`)) || keepNear(f));
}

function nothingPicked(opts: Filter): string {
  if (opts.target) return `no Service ${opts.target.namespace}/${opts.target.name} (give its namespace with -n)`;
  const where = opts.namespace ? ` in namespace ${opts.namespace}` : '';
  if (opts.selector) return `no Service matches -l ${opts.selector}${where}`;
  return `no Service in namespace ${opts.namespace}, and no pod there dials one (check the name with kubectl get namespaces)`;
}

export interface DoctorCliOptions extends DoctorOptions {
  from?: string;
  config?: string;
  clusterDomain?: string;
  format?: Format[];
  outputFile?: string[];
  failLevel?: Severity;
}

/**
 * `svclint doctor [target]`: reads the cluster, runs the rules and shows what was asked for
 * (a report, a Service's chain, a workload's client view). The exit code follows what is
 * shown: 1 for a finding at the fail level or a ✘ in a chain or client view.
 */
export async function doctorCommand(target: string | undefined, opts: DoctorCliOptions, io: CliIO, mark: (phase: string) => void): Promise<number> {
  mark('modules');
  if (target) opts.target = parseTarget(target, opts.namespace ?? 'default');
  const svcTarget = opts.target?.kind === 'Service' ? { namespace: opts.target.namespace, name: opts.target.name } : undefined;
  const client = opts.target && opts.target.kind !== 'Service' ? opts.target : undefined;
  kubectlOutputHabit(opts, io);
  const config = await resolveConfig(io, { config: opts.config, clusterDomain: opts.clusterDomain });
  // The files known before the work (config, --from, -f) and, once read, the kubeconfig's:
  // no report is written over any of them.
  const outputFiles = pairOutputs(opts.format, opts.outputFile).map((o) => o.file);
  const reads: ReadPath[] = [...namedReads(config, {}), ...(opts.from ? [{ path: opts.from, what: 'the saved state (--from)' }] : []), ...(opts.filename ?? []).map((f) => ({ path: f, what: INPUT }))];
  const guard = (more: ReadPath[]) => {
    reads.push(...more);
    checkOutputFiles(outputFiles, reads, io.cwd);
  };
  guard([]);
  const result = opts.from ? await doctorFrom(opts.from, opts, config, io) : await doctorLive(opts, config, io, guard);
  const sources = sourceTexts(result.files ?? []);
  guard([...sources.keys()].map((p) => ({ path: p, what: INPUT })));
  const namespace = opts.allNamespaces ? undefined : opts.namespace;
  const fail = opts.failLevel ?? config.failLevel ?? 'error';
  const atFail = (fs: readonly Finding[]) => fs.some((f) => severityRank(f.severity) >= severityRank(fail));
  const { chainView } = await import('../doctor/chain.js');
  const { clientView, dialingWorkloads } = await import('../doctor/client.js');
  const unread = (ns: string) => {
    const gaps = (result.gaps ?? []).filter((g) => !g.namespace || g.namespace === ns);
    return gaps.length ? `  ! not checked, could not be read: ${[...new Set(gaps.map((g) => g.kind))].join(', ')}\n` : '';
  };
  // A namespace without a Service whose pods dial Services is a client view of those pods.
  const clients = !client && !svcTarget && !opts.selector && namespace && !result.graph.servicesIn(namespace).length ? dialingWorkloads(result.graph, namespace) : [];
  const views = client ? [client] : clients;
  const findings = client ? clientFindings(result, client) : selectFindings(result, { selector: opts.selector, target: svcTarget, namespace, clients: clients.length > 0 });
  if (views.length && !opts.format?.length) {
    const shown = views.map((v) => clientView(result.graph, v, result.findings));
    emit(io, shown.map((v) => v.text).join('\n') + unread(views[0]!.namespace), opts.outputFile?.[0]);
    return shown.some((v) => v.failed) || atFail(findings) ? EXIT.findings : EXIT.ok;
  }
  if (svcTarget && !opts.format?.length) {
    const svc = result.graph.service(svcTarget.namespace, svcTarget.name)!;
    const gaps = new Set((result.gaps ?? []).filter((g) => !g.namespace || g.namespace === svc.object.namespace).map((g) => g.kind));
    const text = chainView(result.graph, svc, result.findings, gaps);
    emit(io, text + unread(svc.object.namespace), opts.outputFile?.[0]);
    return text.includes('✘') || atFail(findings) ? EXIT.findings : EXIT.ok;
  }
  const code = atFail(findings) ? EXIT.findings : EXIT.ok;
  const counts = countBySeverity(findings);
  const notChecked = [...new Set((result.gaps ?? []).map((g) => `${g.kind}${g.namespace ? ` in ${g.namespace}` : ''}`))];
  const summary = { errors: counts.error, warnings: counts.warning, infos: counts.info, files: result.files?.length ?? 0, objects: result.graph.objects.length, services: result.graph.services.length, scope: readScope(result, namespace), ...(notChecked.length ? { notChecked } : {}) };
  const outputs = pairOutputs(opts.format, opts.outputFile);
  const routes = outputs.some((o) => o.format === 'markdown') ? computeRoutes(result.graph) : undefined;
  const input = { findings, summary, sources, rules: RULES.map((r) => r.meta), routes, env: io.env, cwd: io.cwd };
  for (const out of outputs) emit(io, format(out.format, input, { color: !out.file && useColor(io, undefined) }), out.file);
  return code;
}

/** A client view's findings: those on the workload and its pods, and on the Services they dial or own. */
function clientFindings(result: DoctorResult, target: Target): Finding[] {
  const g = result.graph;
  const pods = g.objects.filter((o) => o.kind === 'Pod' && o.namespace === target.namespace && (target.kind === 'Pod' ? o.name === target.name : workloadOf(g, o) === `${target.kind} ${target.namespace}/${target.name}`));
  if (!pods.length && !g.objects.some((o) => o.kind === target.kind && o.namespace === target.namespace && o.name === target.name)) {
    throw new UsageError(`no ${target.kind} ${target.namespace}/${target.name} (give its namespace with -n)`);
  }
  const keys = new Set([`${target.kind}|${target.namespace}|${target.name}`, ...pods.map((p) => `Pod|${p.namespace}|${p.name}`)]);
  const templates = new Set(pods.map((p) => g.templateOf(p)).filter((t) => t !== undefined));
  const services = new Set<string>();
  for (const e of references(g)) {
    if (!e.site.clients.some((t) => templates.has(t))) continue;
    keys.add(`${e.site.object.kind}|${e.site.object.namespace}|${e.site.object.name}`);
    const r = e.resolution;
    if (r.kind === 'service' || r.kind === 'pod') services.add(`Service|${r.service.object.namespace}|${r.service.object.name}`);
  }
  for (const s of g.services) if (s.backends.some((b) => pods.includes(b.owner))) services.add(`Service|${s.object.namespace}|${s.object.name}`);
  return result.findings.filter((f) => CLUSTER_WIDE.has(f.ruleId) || (f.object && (keys.has(`${f.object.kind}|${f.object.namespace}|${f.object.name}`) || services.has(`${f.object.kind}|${f.object.namespace}|${f.object.name}`))));
}
