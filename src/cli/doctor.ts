import type { Config } from '../engine/config.js';
import type { CliIO } from './main.js';
import { UsageError } from '../errors.js';
import { buildGraph } from '../graph/index.js';
import { runRules } from '../engine/engine.js';
import { toLiveObjects, toObjects } from '../load/objects.js';
import { discover } from '../load/discover.js';
import { parseText, toLoadProblems } from '../load/parse.js';
import type { LoadProblem } from '../types/problem.js';
import type { Format } from '../report/index.js';
import type { K8sObject } from '../types/object.js';
import type { SourceFile } from '../types/source.js';
import { stringMap } from '../graph/pods.js';
import type { Finding } from '../types/finding.js';
import type { ServiceGraph } from '../types/graph.js';
import { RULES } from '../../rules/index.js';
import { listClusterWide, loadKubeConfig, readCluster, RESOURCES } from '../doctor/cluster.js';
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
}

export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw new UsageError(`--request-timeout '${s}' is not a duration (like 10s, 500ms, 1m)`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

export interface DoctorResult {
  graph: ServiceGraph;
  findings: Finding[];
  requests: number;
  files?: SourceFile[];
  /** Where the state came from: `context X`, or a file. */
  source: string;
  /** Milliseconds since process start at each step (SVCLINT_TIMING=1 prints them). */
  marks?: { start: number; kubeconfig: number; read: number };
}

/** Reads the live cluster (read-only: get and list only) and runs every rule over it. */
export async function doctorLive(opts: DoctorOptions, config: Config, io: CliIO): Promise<DoctorResult> {
  const start = performance.now();
  const kc = await loadKubeConfig(opts);
  const kubeconfig = performance.now();
  const namespaces = opts.allNamespaces || !opts.namespace ? undefined : [opts.namespace];
  const read = await readCluster(kc, {
    namespaces,
    requestTimeoutMs: parseDuration(opts.requestTimeout),
    onProgress: io.isTTY ? (t) => io.stderr(`\r\u001b[2K${t}…`) : undefined,
  });
  // With -n, a Service whose selector matches no pod there may match pods elsewhere: one cluster-wide list.
  if (namespaces && selectsNothing(read.items)) {
    const wide = await listClusterWide(read.reader, RESOURCES.find((r) => r.kind === 'Pod')!);
    read.items.push(...wide.items);
    if (wide.gap) read.gaps.push({ kind: 'Pod (cluster-wide)', reason: `${wide.gap.reason}; only namespace ${namespaces.join(', ')} was read, so pods that match from other namespaces are not shown` });
  }
  if (io.isTTY) io.stderr('\r\u001b[2K');
  const marks = { start, kubeconfig, read: performance.now() };
  for (const g of read.gaps) {
    io.stderr(`svclint: could not read ${g.kind}${g.namespace ? ` in namespace ${g.namespace}` : ''}: ${g.reason}; the checks that need it did not run there\n`);
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
  return { graph, findings: runRules(graph, RULES, config), requests: read.reader.requests, files, source: `context ${kc.getCurrentContext() || read.server}`, marks };
}

/** Whether some Service read has a selector that matches no pod of its namespace. */
function selectsNothing(items: Record<string, unknown>[]): boolean {
  const labels = new Map<string, Record<string, string>[]>();
  for (const it of items) {
    if (it.kind !== 'Pod') continue;
    const m = (it.metadata ?? {}) as { namespace?: string; labels?: Record<string, string> };
    labels.set(m.namespace ?? '', [...(labels.get(m.namespace ?? '') ?? []), m.labels ?? {}]);
  }
  return items.some((it) => {
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
  const parsed = found.files.map((file) => {
    const r = parseText(file.text);
    problems.push(...toLoadProblems(file, r.problems));
    return { file, docs: r.docs };
  });
  let objects = toObjects(parsed, { defaultNamespace: namespace });
  let files = found.files;
  if (opts.filename?.length) {
    const local = await localObjects(opts.filename, config, namespace, io, objects.length);
    objects = overlay(objects, local.objects);
    files = [...files, ...local.files];
  }
  const graph = buildGraph(objects, { clusterDomain: config.clusterDomain, defaultNamespace: namespace, kubernetesVersion: config.kubernetesVersion, networkPolicy: config.networkPolicy, live: true }, problems, files);
  return { graph, findings: runRules(graph, RULES, config), requests: 0, files, source: from === '-' ? 'stdin' : from };
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

/** `SVCLINT_TIMING=1`: one stderr line splitting the wall time (benchmarks read it). */
export function timingLine(result: DoctorResult): string {
  const m = result.marks;
  if (!m) return '';
  const ms = (a: number, b: number) => `${Math.round(b - a)} ms`;
  return `svclint: timing: startup ${ms(0, m.start)}, kubeconfig ${ms(m.start, m.kubeconfig)}, requests ${ms(m.kubeconfig, m.read)} (${result.requests}), analysis ${ms(m.read, performance.now())}\n`;
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
}

/**
 * Keeps the findings about the Services a -l selector, svc/NAME or -n picks. A filter that
 * picks no Service is a usage error (exit 2), never "no problems".
 */
export function selectFindings(result: DoctorResult, opts: Filter): Finding[] {
  const match = opts.selector ? parseLabelSelector(opts.selector) : () => true;
  const picked = result.graph.services
    .filter((s) => !opts.namespace || s.object.namespace === opts.namespace)
    .filter((s) => !opts.target || (s.object.namespace === opts.target.namespace && s.object.name === opts.target.name))
    .filter((s) => match(stringMap((s.object.body.metadata as Record<string, unknown> | undefined)?.labels)));
  if (picked.length === 0 && (opts.selector || opts.target || opts.namespace)) throw new UsageError(nothingPicked(opts));
  // Cluster DNS is everyone's problem; other findings stay within the namespace asked for.
  const inScope = (f: Finding) => f.ruleId === 'cluster-dns-unhealthy' || !opts.namespace || f.object?.namespace === opts.namespace;
  if (!opts.selector && !opts.target) return result.findings.filter(inScope);
  const keep = new Set(picked.map((s) => `${s.object.namespace}/${s.object.name}`));
  return result.findings.filter((f) => f.object?.kind === 'Service' && keep.has(`${f.object.namespace}/${f.object.name}`));
}

function nothingPicked(opts: Filter): string {
  if (opts.target) return `no Service ${opts.target.namespace}/${opts.target.name} (give its namespace with -n)`;
  const where = opts.namespace ? ` in namespace ${opts.namespace}` : '';
  if (opts.selector) return `no Service matches -l ${opts.selector}${where}`;
  return `no Service in namespace ${opts.namespace} (check the name with kubectl get namespaces)`;
}
