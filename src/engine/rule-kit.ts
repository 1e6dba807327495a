import { rbacGrant } from '../graph/rbac.js';
import path from 'node:path';
import type { PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { Severity } from '../types/finding.js';
import { code, editDistance, list } from '../text.js';
import { CONTROLLER_LABELS, controllerLabelMatches } from '../graph/controller-labels.js';
import { createdPods, createdService } from '../graph/creators.js';
import type { Absence, RuleContext, RuleReport } from '../types/rule.js';
import { describe, refOf, type K8sObject, type Path } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { getIn } from '../graph/pods.js';
import { absoluteFolder, sameTree } from '../graph/referrers.js';
import { renamedServices } from '../graph/kustomize-names.js';
import { objectsOfKind } from '../graph/kinds.js';

/** Small helpers rule modules share. */

/** `Deployment shop/web`: the workload that owns a pod template. */
export const where = (t: PodTemplate): string => describe(refOf(t.owner));

const fronts = new WeakMap<ServiceGraph, ReadonlyMap<PodTemplate, ServiceNode>>();

/**
 * The pod templates that a Service of the files selects, each with the first (in the run's
 * order) that does: their pods are its endpoints, so what keeps them from being created or
 * started leaves it without them. Overlaid objects of a live run are left out.
 */
export function frontedTemplates(graph: ServiceGraph): ReadonlyMap<PodTemplate, ServiceNode> {
  let m = fronts.get(graph);
  if (m) return m;
  const out = new Map<PodTemplate, ServiceNode>();
  for (const svc of graph.services) {
    if (svc.mode !== 'selector' || svc.object.overlay) continue;
    for (const t of svc.backends) if (!out.has(t)) out.set(t, svc);
  }
  fronts.set(graph, out);
  return out;
}

/** A finding's related entry for the selector of the Service whose endpoints the pods are. */
export const selectorOf = (svc: ServiceNode): { object: K8sObject; path: Path; message: string } => ({
  object: svc.object,
  path: svc.selectorPath,
  message: `selector of Service ${svc.object.namespace}/${svc.object.name}`,
});

/** Reports the load problems (unreadable files, syntax errors) that belong to a rule. */
export function reportLoadProblems(ctx: RuleContext, ruleId: string): void {
  for (const p of ctx.graph.loadProblems) {
    if (p.ruleId !== ruleId) continue;
    // A template of another tool says nothing about a manifest until rendered.
    ctx.report({
      messageId: p.messageId,
      data: p.data,
      file: { source: p.file, path: p.filePath, range: p.range },
      ...(p.messageId === 'templateExpression' ? { severity: 'info' as const, remediation: 'Render the template (Ansible\'s template module, jinja2, mustache) and lint the output, or leave its folder out with `ignore` in .svclint.yaml.' } : {}),
      ...(p.messageId === 'jinjaTemplate' ? { severity: 'info' as const, remediation: 'Render the template (Ansible\'s template module, jinja2) and lint the output, or leave the templates folder out with `ignore` in .svclint.yaml.' } : {}),
      ...(p.messageId === 'goTemplate' ? { severity: 'info' as const, remediation: 'Render the template with the program that fills it in and lint the output, or leave its folder out with `ignore` in .svclint.yaml.' } : {}),
      // kubectl and Helm take the file (the last value wins); kustomize refuses it, and a render of it says so itself.
      ...(p.messageId === 'duplicateKey' ? { severity: 'warning' as const, remediation: 'Keep one of the keys: merge the two values into the last one, or delete the one that should not apply.' } : {}),
    });
  }
}

/**
 * When a port number written where a Service port belongs is the pods' port behind one (its
 * targetPort), the words that say so: `; 8080 is the pods' port (targetPort of 80)`.
 */
export function targetPortHint(svc: ServiceNode, port: number | undefined): string {
  if (port === undefined) return '';
  const p = svc.ports.find((x) => x.port !== port && ((x.target.kind === 'number' && x.target.value === port) || x.resolutions.some((r) => r.targetPort === port)));
  return p ? `; ${port} is the pods' port (the targetPort behind Service port ${p.port}): write ${p.port}${p.name ? ` or the name \`${p.name}\`` : ''}` : '';
}

/** How a Service's ports read in a message: `http` (80/TCP), 443/TCP. */
export function servicePortsText(svc: ServiceNode): string {
  if (svc.ports.length === 0) return 'no ports';
  return svc.ports.map((p) => (p.name ? `\`${p.name}\` (${p.port ?? '?'}/${p.protocol})` : `${p.port ?? '?'}/${p.protocol}`)).join(', ');
}

/** Whether a Service exposes a port by number or by name, as Ingress and route backends name it. */
export function exposes(svc: ServiceNode, port: { number?: number; name?: string }): boolean {
  if (port.number !== undefined) return svc.ports.some((p) => p.port === port.number);
  if (port.name !== undefined) return svc.ports.some((p) => p.name === port.name);
  return true;
}

/**
 * Services of a namespace whose names are close to a name, for "did you mean"; with `from`,
 * only Services defined near it (a large run holds many unrelated projects' `default`).
 */
export function nearestService(graph: ServiceGraph, namespace: string, name: string, from?: K8sObject): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const c of closeServices(graph, namespace, name)) {
    if ((!best || c.d < best.d) && (!from || near(c.s.object, from))) best = { n: c.s.object.name, d: c.d };
  }
  return best?.n;
}

const closeCache = new WeakMap<ServiceGraph, Map<string, { s: ServiceNode; d: number }[]>>();

/** The Services of a namespace close to a name, in order, with their distance: once per name in a run. */
function closeServices(graph: ServiceGraph, namespace: string, name: string): { s: ServiceNode; d: number }[] {
  let known = closeCache.get(graph);
  if (!known) closeCache.set(graph, (known = new Map()));
  const key = `${namespace}/${name}`;
  let out = known.get(key);
  if (out) return out;
  out = [];
  // Stricter than label typos: long names share many characters by chance. editDistance stops
  // counting past its limit (and answers limit + 1), so the limit is the threshold itself.
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 6)));
  for (const s of graph.servicesIn(namespace)) {
    // Cheapest test first: most names differ in length by more than the limit.
    if (Math.abs(s.object.name.length - name.length) > limit) continue;
    const d = editDistance(name, s.object.name, limit);
    if (d > 0 && d <= limit && genuinelyClose(name, s.object.name)) out.push({ s, d });
  }
  known.set(key, out);
  return out;
}

/**
 * A "did you mean" needs more than a small distance: names of three letters are one edit
 * from many others (`api`, `app`), and siblings that differ only in digits (`redis-0`,
 * `backend-v1`) are different Services on purpose, not typos of each other.
 */
export function genuinelyClose(a: string, b: string): boolean {
  if (Math.min(a.length, b.length) < 4) return false;
  const stem = (x: string) => x.replace(/-?\d+$/, '').replace(/\d+/g, '0');
  return stem(a) !== stem(b);
}

/** Whether the run defines any Service in a namespace (else a missing one may live elsewhere). */
export function hasServicesIn(graph: ServiceGraph, namespace: string): boolean {
  return graph.servicesIn(namespace).length > 0;
}

/**
 * Whether a Service selects a template's pods, by their labels (the template's, plus the
 * ones controllers add): the same answer for a manifest and for a live workload whose
 * pods are the graph's backends.
 */
export function selectsTemplate(service: ServiceNode, t: PodTemplate): boolean {
  return Object.entries(service.selector).every(([k, v]) => (t.labels[k] === undefined && CONTROLLER_LABELS.has(k) ? controllerLabelMatches(t, k, v) : t.labels[k] === v));
}

/** Workload templates whether the run is static or live (live, pods are the graph's templates). */
export function workloadTemplates(graph: ServiceGraph): readonly PodTemplate[] {
  return graph.settings.live ? graph.workloadTemplates : graph.templates;
}

/**
 * Per-pod DNS names (`<host>.<service>.<ns>.svc`) need a headless Service of that name in
 * the pod's namespace that selects the pod: StatefulSet serviceName and pod subdomain alike.
 */
export function podDnsService(graph: ServiceGraph, t: PodTemplate, name: string):
  | { problem: 'missing' }
  | { problem: 'notHeadless' | 'notSelecting'; service: ServiceNode }
  | { problem: undefined; service: ServiceNode } {
  const service = graph.service(t.namespace, name);
  if (!service) return { problem: 'missing' };
  // An ExternalName Service has no endpoints; a Service that does not select the pods gives them
  // none (checked before headlessness: CoreDNS answers per-pod names of any Service's endpoints).
  if (service.mode === 'external-name') return { problem: 'notHeadless', service };
  if (service.mode === 'selector' && !selectsTemplate(service, t)) return { problem: 'notSelecting', service };
  if (!service.headless) return { problem: 'notHeadless', service };
  return { problem: undefined, service };
}

/**
 * What identifies a template's main images whatever registry or version they come from: the
 * last path segment without tag, digest or trailing version (`gcr.io/x/reviews-v2:1` → `reviews`).
 */
export function imageNames(t: PodTemplate): ReadonlySet<string> {
  let out = imageNameCache.get(t);
  if (!out) imageNameCache.set(t, (out = readImageNames(t)));
  return out;
}

const imageNameCache = new WeakMap<PodTemplate, ReadonlySet<string>>();

function readImageNames(t: PodTemplate): Set<string> {
  const out = new Set<string>();
  for (const c of t.containers) {
    if (c.sidecar || !c.image) continue;
    out.add(c.image.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/').at(-1)!.replace(/[-_.]?v?\d+(\.\d+)*$/, ''));
  }
  return out;
}

/**
 * The severity contract, applied by the engine to every report:
 * - error: the input proves the failure (the API server would reject it; the counterpart is
 *   in the run and wrong; strong evidence such as a near-miss name or label);
 * - warning: likely wrong, with the counterpart in the run;
 * - info: it depends on what the input does not hold. A rule says so with `absent`; the
 *   report then drops to info, and its message says what is missing and where svclint
 *   looked, unless the input is declared complete (`completeInput`, `--complete-input`;
 *   always so for a live cluster). What a file that failed to load may hold is info even
 *   then; what an operator, a controller or the kubelet makes from the run (creators.ts) is
 *   not missing at all, and the report is dropped (`drop`).
 */
export function evidenceSeverity(graph: ServiceGraph, complete: boolean, r: RuleReport, severity: Severity): { severity: Severity; note: string; drop?: boolean } {
  const a = r.absent;
  // What a creator of the run makes is there: nothing is missing, whatever object says so (a Helm test
  // hook dialling the `<cluster>-rw` Service CloudNativePG makes for a Cluster of the chart).
  if (a && !graph.settings.live) {
    const creator = a.service !== undefined ? createdService(graph.objects, a.namespace, a.service) : a.podLabels ? createdPods(graph.objects, a.namespace, a.podLabels) : undefined;
    if (creator) return { severity, note: '', drop: true };
  }
  // A Helm test hook (`helm.sh/hook: test`) is not installed with the release: it runs only with `helm test`.
  const hook = !graph.settings.live && r.object ? helmTestHook(r.object) : undefined;
  if (hook && severity === 'error') return { severity: 'warning', note: `; ${describe(refOf(r.object!))} is a Helm test hook (\`helm.sh/hook: ${hook}\`), which is not installed with the release and runs only with \`helm test\`` };
  // The next four only lower a severity to info: a finding at info already is not asked about them.
  const lowers = severity !== 'info';
  const testData = !lowers || graph.settings.live || onlyTestData(graph) ? undefined : testDataFolderIn(graph, r.object?.origin?.file.path ?? r.file?.path);
  if (testData) return { severity: 'info', note: `; the file is in ${code(testData)}, a test-data folder: test input, often wrong on purpose` };
  const variants = lowers ? mixedVariants(graph, r) : undefined;
  if (variants) return { severity: 'info', note: variants };
  const partial = lowers && r.object && !graph.settings.live ? partialOf(r.object) : undefined;
  if (partial) return { severity: 'info', note: `; ${describe(refOf(r.object!))} looks like part of an object (${partial}), such as a kustomize patch: what it patches is not in the files given` };
  // A finding about a file (a syntax error, a Helm template read as YAML) judges the text itself.
  const placeholder = lowers && !graph.settings.live && r.object ? placeholderIn(r) : undefined;
  if (placeholder) return { severity: 'info', note: `; ${code(placeholder)} looks like a placeholder that a script fills in before the file is applied` };
  if (!a) return { severity, note: '' };
  // A live cluster is the whole state: what is absent there is missing, whoever should have made it.
  if (graph.settings.live) return { severity, note: '' };
  const failed = failedFileHolding(graph, a, r.object);
  if (failed) return { severity: 'info', note: `; ${failed}, so this may follow from that: fix it first` };
  // Pods whose own ServiceAccount may patch pods there label themselves at run time (Vault's `vault-active`, Patroni's `role`).
  if (!a.nearMiss && a.podLabels) {
    const labels = a.podLabels;
    // Its own pods: the workload's template carries part of the selector (`app: vault` of `app: vault, vault-active: "true"`).
    const g = rbacGrant(graph, 'pods', ['patch', 'update'], a.namespace, undefined, (x) => x.t.namespace === a.namespace && Object.entries(labels).some(([k, v]) => x.t.labels[k] === v));
    if (g) return { severity: 'info', note: `; ${where(g.t)} may label pods at run time: its ServiceAccount ${code(g.account)} may ${g.verb === '*' ? 'do anything with' : g.verb} pods (${g.role.kind} ${code(g.role.name)})` };
  }
  if (complete || a.nearMiss || graph.settings.live) return { severity, note: '' };
  const n = graph.files.length;
  return {
    severity: 'info',
    note: `; svclint looked in the ${n} file${n === 1 ? '' : 's'} given: fine if it comes from elsewhere (another chart or repository, an operator, a later step)${severity === 'info' ? '' : `, ${article(severity)} with --complete-input`}`,
  };
}

/** The `helm.sh/hook` value of an object that is a Helm test hook (`test`, `test-success`, `test-failure`). */
function helmTestHook(o: K8sObject): string | undefined {
  const v = isRecord(o.body.metadata) && isRecord(o.body.metadata.annotations) ? o.body.metadata.annotations['helm.sh/hook'] : undefined;
  return typeof v === 'string' && v.split(',').some((h) => /^\s*test(-success|-failure)?\s*$/.test(h)) ? v.trim() : undefined;
}

/**
 * The test-data folder a file is in (`…/testdata/…`, the Go convention the Kubernetes
 * ecosystem follows: input for tests, never deployed, and often invalid on purpose), judged
 * on the path below the working folder so a checkout that itself lives under such a folder
 * is not.
 */
export function testDataFolder(file: string | undefined): string | undefined {
  // Resolving cannot add a folder name the path does not hold (it only drops `.` and `..`).
  if (!file || !/test[-_]?data/i.test(file)) return undefined;
  const abs = path.resolve(file);
  const cwd = process.cwd();
  const rel = abs.startsWith(cwd + path.sep) ? abs.slice(cwd.length + 1) : file;
  const parts = rel.split(/[\\/]/).slice(0, -1);
  const i = parts.findIndex((p) => /^test[-_]?data$/i.test(p));
  return i < 0 ? undefined : `${parts.slice(0, i + 1).join('/')}/`;
}

const testDataCache = new WeakMap<ServiceGraph, Map<string, string | undefined>>();

/** testDataFolder() once per file of a run: every finding about a file asks again. */
function testDataFolderIn(graph: ServiceGraph, file: string | undefined): string | undefined {
  if (!file) return undefined;
  let known = testDataCache.get(graph);
  if (!known) testDataCache.set(graph, (known = new Map()));
  if (known.has(file)) return known.get(file);
  const folder = testDataFolder(file);
  known.set(file, folder);
  return folder;
}

const onlyTestDataCache = new WeakMap<ServiceGraph, boolean>();

/**
 * Whether every file of the run is in a test-data folder: the input was asked for as it is
 * (`svclint testdata/case-1/`), not swept up by a walk over a repository, and is judged like any other.
 */
function onlyTestData(graph: ServiceGraph): boolean {
  let v = onlyTestDataCache.get(graph);
  if (v === undefined) onlyTestDataCache.set(graph, (v = graph.files.length > 0 && graph.files.every((f) => testDataFolder(f.path) !== undefined)));
  return v;
}

/**
 * A finding that combines objects of several files about an object the run defines more than
 * once (the same Service in `tgi/`, `vllm/` and `saxml/`: variants of one application, or
 * copies in a release folder) may combine objects that are never deployed together.
 */
function mixedVariants(graph: ServiceGraph, r: RuleReport): string | undefined {
  const o = r.object;
  if (!o?.origin || graph.settings.live || !r.related?.length) return undefined;
  // The counterpart is a Service the files define more than once: the one compared may be another copy.
  for (const rel of r.related) {
    const c = rel.object;
    if (c === o || !c.origin || c.origin.file.path === o.origin.file.path) continue;
    if (!near(c, o)) return `; ${describe(refOf(c))} is defined in ${c.origin.file.path}, far from this file: whether the two are deployed together is not in the files given`;
    const copies = definitions(graph).get(definitionKey(c)) ?? [];
    if (copies.length > 1) return `; the files given define ${describe(refOf(c))} ${copies.length} times (${copies.slice(0, 2).map((x) => x.origin?.file.path).join(', ')}${copies.length > 2 ? '…' : ''}): this compares with one copy, which may not be the one deployed with it`;
  }
  // A file that holds its own backend is an example of its own: backends from other files may be other examples.
  const own = r.related.find((x) => x.object !== o && x.object.origin?.file.path === o.origin!.file.path)?.object ?? ownBackend(graph, o);
  const other = r.related.find((x) => x.object.origin && x.object.origin.file.path !== o.origin!.file.path);
  if (own && other && own.kind !== 'Service' && other.object.kind !== 'Service') {
    return `; this file holds ${describe(refOf(own))} itself, and ${describe(refOf(other.object))} comes from ${other.object.origin!.file.path}: whether the two are deployed together is not in the files given`;
  }
  const files = new Set(r.related.map((x) => x.object.origin?.file.path).filter((f) => f !== undefined));
  if (files.size < 2) return undefined;
  const copies = definitions(graph).get(definitionKey(o)) ?? [];
  const elsewhere = copies.filter((c) => c.origin && c.origin.file.path !== o.origin!.file.path);
  if (elsewhere.length === 0) return undefined;
  return `; the files given define ${describe(refOf(o))} ${elsewhere.length + 1} times (also in ${elsewhere[0]!.origin!.file.path}${elsewhere.length > 1 ? ` and ${elsewhere.length - 1} more` : ''}): variants or copies, whose objects may never be deployed together`;
}

/** A workload in a Service's own file that the Service selects. */
function ownBackend(graph: ServiceGraph, o: K8sObject): K8sObject | undefined {
  if (o.kind !== 'Service') return undefined;
  const svc = graph.service(o.namespace, o.name);
  if (!svc || svc.object !== o || svc.mode !== 'selector') return undefined;
  return svc.backends.find((t) => t.owner.origin?.file.path === o.origin?.file.path)?.owner;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'Rollout']);

/** Workloads of one name are copies whatever their kind (a Deployment and the legacy ReplicationController it replaces). */
function definitionKey(o: K8sObject): string {
  return `${WORKLOAD_KINDS.has(o.kind) ? 'workload' : o.kind}/${o.namespace}/${o.name}`;
}

const definitionCache = new WeakMap<ServiceGraph, Map<string, K8sObject[]>>();

function definitions(graph: ServiceGraph): Map<string, K8sObject[]> {
  let m = definitionCache.get(graph);
  if (m) return m;
  m = new Map();
  for (const o of graph.objects) {
    const k = definitionKey(o);
    const list = m.get(k);
    if (list) list.push(o);
    else m.set(k, [o]);
  }
  definitionCache.set(graph, m);
  return m;
}

const APPS_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const JOB_CONTAINERS: Record<string, Path> = {
  Job: ['spec', 'template', 'spec', 'containers'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers'],
  Pod: ['spec', 'containers'],
};
/** Images that a kustomize `images:` entry or a script replaces: `kic-placeholder:placeholder`, `IMAGE`. */
const PLACEHOLDER_IMAGE = /placeholder|^[A-Z][A-Z0-9_]*$/;
/** `patch.yaml`, `service-patch.yml`, `patch_replicas.yaml`, `patches.json`. */
const PATCH_FILE = /(^|[-_.])patch(es)?([-_.]|$)/i;

/**
 * Why an object reads as a fragment to be merged into another (a strategic-merge patch)
 * rather than an object to apply: `$patch` directives, or an apps/v1 workload with neither
 * a selector nor a container image (the API server requires both).
 */
export function partialObject(o: K8sObject): string | undefined {
  if (hasPatchDirective(o.body, 0)) return 'it holds `$patch` directives';
  const file = o.origin?.file.path;
  if (file && PATCH_FILE.test(path.basename(file))) return `it is in ${path.basename(file)}, named like a patch`;
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  if (o.kind === 'Service' && o.apiVersion === 'v1' && spec.ports === undefined && spec.selector === undefined && spec.clusterIP !== 'None' && spec.type !== 'ExternalName') {
    return 'a Service with neither ports nor a selector';
  }
  // A Job, CronJob or Pod has no selector to tell: none of its containers naming an image tells instead.
  const unimaged = JOB_CONTAINERS[o.kind];
  if (unimaged) {
    const list = getIn(o.body, unimaged);
    if (Array.isArray(list) && list.length > 0 && list.every((c) => isRecord(c) && c.image === undefined)) return `a ${o.kind} whose containers name no image`;
    return undefined;
  }
  if (!APPS_WORKLOADS.has(o.kind) || !o.apiVersion.startsWith('apps/')) return undefined;
  if (spec.template === undefined) return `a ${o.kind} with no pod template`;
  if (spec.selector !== undefined) return undefined;
  const podSpec = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : undefined;
  const containers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  if (containers.some((c) => isRecord(c) && typeof c.image === 'string' && !PLACEHOLDER_IMAGE.test(c.image))) return undefined;
  return `a ${o.kind} with no selector and no container image`;
}

const partialCache = new WeakMap<K8sObject, string | undefined>();

/** partialObject() once per object: an object with many findings is walked once. */
function partialOf(o: K8sObject): string | undefined {
  if (partialCache.has(o)) return partialCache.get(o);
  const why = partialObject(o);
  partialCache.set(o, why);
  return why;
}

function hasPatchDirective(v: unknown, depth: number): boolean {
  if (depth > 12) return false;
  if (Array.isArray(v)) return v.some((x) => hasPatchDirective(x, depth + 1));
  if (!isRecord(v)) return false;
  return Object.keys(v).some((k) => k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') || Object.values(v).some((x) => hasPatchDirective(x, depth + 1));
}

const IP_PLACEHOLDER = /^(?:[A-Za-z]|[xX]{2,3}|\*)(?:\.(?:[A-Za-z]|[xX]{2,3}|\*)){3}$/;

/**
 * Upper-case words that are real values (protocols, enum members), not placeholders: Istio
 * writes its enums in upper case (TLS and mTLS modes, ServiceEntry locations and resolutions,
 * the outbound traffic policy, load balancers).
 */
const NOT_PLACEHOLDERS = new Set([
  'HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'SCTP', 'NONE', 'TRUE', 'FALSE', 'NULL', 'ALPN',
  'MONGO', 'REDIS', 'MYSQL',
  'DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL', 'PASSTHROUGH', 'AUTO_PASSTHROUGH',
  'STRICT', 'PERMISSIVE', 'UNSET', 'MESH_EXTERNAL', 'MESH_INTERNAL', 'STATIC', 'DNS_ROUND_ROBIN',
  'REGISTRY_ONLY', 'ALLOW_ANY', 'ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN', 'RANDOM',
]);

/**
 * A value that a script substitutes before the file is applied: `${PORT}`, `${NS:-default}`, `$INBOUND_CIDRS` (envsubst),
 * `<YOUR_PROJECT>` (upper case: svclint's own messages write `<pod-hostname>`; in the value as written any case, `<your domain>`), `__HOST__`, `{{ .Values.x }}`, or a bare upper-case word where a number or a name
 * belongs (`port: PORT`, `image: CONTAINER_IMAGE`), in what a finding quotes or its object's name.
 */
export function placeholderIn(r: RuleReport): string | undefined {
  // The value the finding is about, as written: `targetPort: PORT`.
  const at = r.object && r.path ? getIn(r.object.body, [...r.path]) : undefined;
  if (typeof at === 'string' && /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(at) && at.length >= 4 && !NOT_PLACEHOLDERS.has(at)) return at;
  // An address written the way documentation writes one: `A.B.C.D`, `x.x.x.x`, `xxx.xxx.xxx.xxx`.
  if (typeof at === 'string' && IP_PLACEHOLDER.test(at)) return at;
  // A finding about a text inside the value (a URL in a mounted file) is judged on that text: the
  // rest of a file (a Python dict's "HOST" key, an unrelated `${HOME}`) says nothing about it.
  const own = typeof at === 'string' ? (r.text !== undefined && at !== r.text ? r.text : at) : undefined;
  // In the value as written: a token between double underscores (`__INGRESS_HOST__`), an angle-bracketed
  // blank of any case (`registry.<your domain>`), a documentation address inside a name (`app.A.B.C.D.nip.io`).
  if (own !== undefined) {
    const m = /__[A-Z][A-Z0-9_]*__|<[^<>`\s][^<>`]*>|(?:^|\.)(?:[A-Z]|[xX]{1,3})(?:\.(?:[A-Z]|[xX]{1,3})){3}(?=\.|$)/.exec(own);
    if (m) return m[0].replace(/^\./, '');
  }
  const texts = [...Object.values(r.data ?? {}).map(String), r.object?.name ?? '', r.object?.namespace ?? '', own !== undefined ? `"${own}"` : ''];
  for (const raw of texts) {
    // A shell script quoted in a message (`sh -c mysqladmin … -p"$MARIADB_ROOT_PASSWORD"`) reads its variables at run time: no placeholder.
    const t = raw.includes('sh -') ? raw.replace(/`(?:\/(?:usr\/)?bin\/)?(?:ba|da|z)?sh -[a-z]*c [^`]*`/g, '') : raw;
    const m = /\$\{[A-Za-z_][\w]*(:-[^}]*)?\}|\$[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|<[A-Z][^<>`]*>|\{\{[^}]*\}\}/.exec(t);
    if (m) return m[0];
    // Quoted as a found value (`"PORT"`), never a word inside a sentence (env `DATABASE_URL`).
    const word = /"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)"/.exec(t)?.[1];
    if (word && word.length >= 4 && !NOT_PLACEHOLDERS.has(word)) return word;
  }
  return undefined;
}

const article = (s: Severity): string => (s === 'info' ? 'an info' : s === 'error' ? 'an error' : 'a warning');

/**
 * A file of the run that failed to parse or render and may hold what a finding missed: one in
 * the folder tree of the object the finding is about.
 */
function failedFileHolding(graph: ServiceGraph, a: Absence, object: K8sObject | undefined): string | undefined {
  if (graph.loadProblems.length === 0) return undefined;
  const here = object?.origin?.file.path;
  // The answer depends on what is missing and on the folder of the object only: findings about
  // one absence (every copy of an application, every port of a Service) ask once.
  let known = holdingCache.get(graph);
  if (!known) holdingCache.set(graph, (known = new Map()));
  const key = JSON.stringify([a.what, a.namespace, a.service ?? null, a.podLabels ? Object.entries(a.podLabels) : null, here ? path.dirname(here) : null]);
  if (known.has(key)) return known.get(key);
  const found = findFailedFileHolding(graph, a, here);
  known.set(key, found);
  return found;
}

const holdingCache = new WeakMap<ServiceGraph, Map<string, string | undefined>>();

function findFailedFileHolding(graph: ServiceGraph, a: Absence, here: string | undefined): string | undefined {
  for (const p of graph.loadProblems) {
    // A repeated key is read as kubectl reads it (the last value wins): its document is loaded.
    if (p.ruleId === 'yaml-syntax' && p.messageId === 'duplicateKey') continue;
    if (here && related(path.dirname(p.filePath), here)) {
      const how = p.ruleId === 'render-failed' ? 'render' : p.ruleId === 'yaml-syntax' ? 'parse' : 'read';
      return `${p.filePath} failed to ${how} (${p.ruleId}) and may hold ${a.what}`;
    }
  }
  return undefined;
}

/** Whether a file lies in a folder, or the folder inside the file's own folder tree. */
function related(dir: string, file: string): boolean {
  const fileDir = path.dirname(file);
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
  return inside(fileDir, dir) || inside(dir, fileDir);
}

/**
 * Services of this name in other namespaces, defined near `object` (within two folders of a
 * common parent, or live): evidence that a reference missed its namespace. Far-away files of
 * a large run (another project's `web`) are no evidence.
 */
export function sameNameElsewhere(graph: ServiceGraph, name: string, namespace: string, object: K8sObject): ServiceNode[] {
  // A referrer that sets no namespace goes wherever it is applied (unplacedHint): the Service
  // elsewhere is where it may land, not a slip.
  if (object.namespaceDefaulted && namespace === object.namespace) return [];
  return placedElsewhere(graph, name, namespace, object);
}

/** Services of this name placed in another namespace near `object`. */
function placedElsewhere(graph: ServiceGraph, name: string, namespace: string, object: K8sObject): ServiceNode[] {
  // A Service that sets no namespace goes wherever it is applied: no evidence of another namespace.
  return graph.servicesNamed(name).filter((s) => s.object.namespace !== namespace && !s.object.namespaceDefaulted && near(s.object, object));
}

/**
 * For a referrer that sets no namespace, looking for a Service in the namespace it is assumed
 * to be in: the namespaces near it that hold a Service of that name, in words. Such a file is
 * the output of `helm template -n demo` (a chart writes `namespace:` on some objects only) or
 * meant for `kubectl apply -n demo`: applied there, the reference works, and nothing in the
 * files says it is applied anywhere else.
 */
export function unplacedHint(graph: ServiceGraph, name: string, namespace: string, object: K8sObject): string | undefined {
  if (graph.settings.live || !object.namespaceDefaulted || namespace !== object.namespace) return undefined;
  const namespaces = [...new Set(placedElsewhere(graph, name, namespace, object).map((s) => s.object.namespace))];
  if (namespaces.length === 0) return undefined;
  const ns = namespaces[0]!;
  const where = namespaces.length === 1 ? `namespace ${code(ns)}: applied there` : `namespaces ${list(namespaces.map((n) => code(n)))}: applied to one of them`;
  return `; ${describe(refOf(object))} sets no namespace and goes where it is applied, and Service ${code(name)} is in ${where} (\`helm install -n ${ns}\`, \`kubectl apply -n ${ns}\`), the reference works`;
}

const folderCache = new Map<string, string[]>();

/** The folders of a file's absolute path, root first (kept: every finding asks again). */
function folders(file: string): string[] {
  let f = folderCache.get(file);
  if (!f) {
    if (folderCache.size > 100_000) folderCache.clear();
    folderCache.set(file, (f = absoluteFolder(file).split(path.sep)));
  }
  return f;
}

export function near(a: K8sObject, b: K8sObject): boolean {
  const fa = a.origin?.file.path;
  const fb = b.origin?.file.path;
  if (fa === undefined || fb === undefined) return true;
  const da = folders(fa);
  const db = folders(fb);
  let c = 0;
  while (c < da.length && c < db.length && da[c] === db[c]) c++;
  // Within two folders of a common parent: `services/` and `workloads/` of one app are near,
  // two samples of a collection (`samples/a/k8s/`, `samples/b/k8s/`) are not.
  return da.length - c <= 2 && db.length - c <= 2;
}

/**
 * The Service of the same kustomize build that `namePrefix` or `nameSuffix` renamed from `name`
 * (`api` → `prod-api`), for a reference kustomize does not rewrite (an HTTPRoute's backendRefs,
 * an annotation, a custom resource's field): the build itself proves the name is gone.
 */
export function renamedInBuild(graph: ServiceGraph, object: K8sObject, namespace: string, name: string): ServiceNode | undefined {
  const file = object.origin?.file;
  if (file?.rendered !== 'kustomize') return undefined;
  return renamedServices(graph, namespace, name).find((s) => s.object.origin?.file === file);
}

/** The words of a finding about a reference to a name the build renamed. */
export function renamedText(renamed: ServiceNode, name: string): string {
  return `; this kustomize build renames Service ${code(name)} to ${code(renamed.object.name)} (namePrefix or nameSuffix), and kustomize rewrites the names only in the fields it knows (Ingress backends, a StatefulSet's serviceName, volume sources), not in this one: write ${code(renamed.object.name)}, or add a nameReference for this field to the kustomization's \`configurations\``;
}

/** The run's one install of a controller (by its image), with the text of its arguments, environment and mounted ConfigMaps. */
export function controllerInstall(ctx: RuleContext, image: RegExp): { owner: K8sObject; image: string; parts: string[]; files: string[]; resources: K8sObject[]; unread: boolean } | undefined {
  const found = ctx.graph.templates.filter((t) => containerImages(t).some((i) => image.test(i)));
  if (found.length !== 1) return undefined;
  const t = found[0]!;
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  const parts: string[] = [];
  const files: string[] = [];
  const maps = new Set<string>();
  let unread = false;
  for (const field of ['containers', 'initContainers']) {
    const cs = getIn(spec, [field]);
    for (const c of Array.isArray(cs) ? cs : []) {
      for (const k of ['command', 'args']) for (const a of (Array.isArray(getIn(c, [k])) ? getIn(c, [k]) as unknown[] : [])) if (typeof a === 'string') parts.push(a);
      for (const e of (Array.isArray(getIn(c, ['env'])) ? getIn(c, ['env']) as unknown[] : [])) {
        if (isRecord(e) && typeof e.value === 'string') parts.push(`${String(e.name)}=${e.value}`);
        else if (isRecord(e) && e.valueFrom !== undefined) unread = true;
      }
      for (const e of (Array.isArray(getIn(c, ['envFrom'])) ? getIn(c, ['envFrom']) as unknown[] : [])) { const n = getIn(e, ['configMapRef', 'name']); if (typeof n === 'string') maps.add(n); else unread = true; }
    }
  }
  // ConfigMap volumes (plain or projected) are read; any other source of files (a Secret, a claim) is not.
  for (const v of (Array.isArray(getIn(spec, ['volumes'])) ? getIn(spec, ['volumes']) as unknown[] : [])) {
    const n = getIn(v, ['configMap', 'name']);
    if (typeof n === 'string') maps.add(n);
    else if (getIn(v, ['secret']) !== undefined || getIn(v, ['persistentVolumeClaim']) !== undefined || getIn(v, ['hostPath']) !== undefined || getIn(v, ['csi']) !== undefined) unread = true;
    const sources = getIn(v, ['projected', 'sources']);
    for (const src of Array.isArray(sources) ? sources : []) {
      const m = getIn(src, ['configMap', 'name']);
      if (typeof m === 'string') maps.add(m);
      else if (getIn(src, ['secret']) !== undefined) unread = true;
    }
  }
  for (const x of objectsOfKind(ctx.graph, 'ConfigMap')) {
    if (x.namespace !== t.namespace || !maps.has(x.name)) continue;
    if (isRecord(x.body.data)) for (const [k, v] of Object.entries(x.body.data)) (String(v).includes('\n') ? files : parts).push(String(v).includes('\n') ? String(v) : `${k}=${String(v)}`);
  }
  // Contour's ContourConfiguration resource carries the same settings.
  const resources = ctx.graph.objects.filter((x) => x.kind === 'ContourConfiguration' || x.kind === 'ContourDeployment');
  const img = containerImages(t).find((i) => image.test(i))!;
  return { owner: t.owner, image: img, parts, files, resources, unread };
}

function containerImages(t: { owner: K8sObject; path: Path }): string[] {
  const out: string[] = [];
  for (const field of ['containers', 'initContainers']) {
    const cs = getIn(t.owner.body, [...t.path, 'spec', field]);
    for (const c of Array.isArray(cs) ? cs : []) { const i = getIn(c, ['image']); if (typeof i === 'string') out.push(i); }
  }
  return out;
}

/**
 * The scheme every pod behind a Service port probes its target port with (`HTTP` for an
 * `httpGet` probe without `scheme`): the kubelet's own proof of what the server speaks there.
 * Undefined when the port has no pods in the run, or one of them has no HTTP probe on that port,
 * or they disagree.
 */
export function probedScheme(sp: ServicePortNode): 'HTTP' | 'HTTPS' | undefined {
  if (sp.resolutions.length === 0) return undefined;
  let found: 'HTTP' | 'HTTPS' | undefined;
  for (const r of sp.resolutions) {
    const c = r.container;
    if (!c || r.targetPort === undefined) return undefined;
    const raw = getIn(r.template.owner.body, c.path);
    if (!isRecord(raw)) return undefined;
    let mine: 'HTTP' | 'HTTPS' | undefined;
    for (const k of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const h = getIn(raw, [k, 'httpGet']);
      if (!isRecord(h)) continue;
      const port = typeof h.port === 'number' ? h.port : typeof h.port === 'string' ? (/^\d+$/.test(h.port) ? Number(h.port) : c.ports.find((p) => p.name === h.port)?.containerPort) : undefined;
      if (port !== r.targetPort) continue;
      const scheme = h.scheme === undefined ? 'HTTP' : typeof h.scheme === 'string' && /^https?$/i.test(h.scheme) ? (h.scheme.toUpperCase() as 'HTTP' | 'HTTPS') : undefined;
      if (scheme === undefined || (mine !== undefined && mine !== scheme)) return undefined;
      mine = scheme;
    }
    if (mine === undefined || (found !== undefined && found !== mine)) return undefined;
    found = mine;
  }
  return found;
}

/**
 * Traefik's scheme towards a Service port (its Kubernetes Ingress, CRD and Gateway providers,
 * `getProtocol`/`parseServiceProtocol`): `https` for port 443 or a port name that starts with
 * `https`, else `http`, unless the route or the Service says which.
 */
export function traefikScheme(sp: ServicePortNode): 'http' | 'https' {
  return sp.port === 443 || (sp.name ?? '').startsWith('https') ? 'https' : 'http';
}

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
const grantCache = new WeakMap<ServiceGraph, K8sObject[]>();

/** The run's Gateway API ReferenceGrants, in order, found once per run. */
function referenceGrants(graph: ServiceGraph): K8sObject[] {
  let grants = grantCache.get(graph);
  if (!grants) grantCache.set(graph, (grants = objectsOfKind(graph, 'ReferenceGrant').filter((g) => g.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`))));
  return grants;
}

/**
 * Whether a ReferenceGrant in namespace `to` lets `referrer` (a route, a Gateway: a kind of the
 * Gateway API's group, in its namespace) refer to the core-group object `kind`/`name` there.
 */
export function referenceGranted(graph: ServiceGraph, referrer: K8sObject, to: string, kind: string, name: string): boolean {
  return referenceGrants(graph).some((g) => {
    if (g.namespace !== to) return false;
    const spec = isRecord(g.body.spec) ? g.body.spec : {};
    const froms = Array.isArray(spec.from) ? spec.from.filter(isRecord) : [];
    const tos = Array.isArray(spec.to) ? spec.to.filter(isRecord) : [];
    return froms.some((f) => f.group === GATEWAY_API_GROUP && f.kind === referrer.kind && f.namespace === referrer.namespace)
      && tos.some((t) => (t.group ?? '') === '' && t.kind === kind && (t.name === undefined || t.name === name));
  });
}

/**
 * A ReferenceGrant of the referrer's folder tree that would admit its reference to `kind`/`name`
 * in namespace `to` but for one thing, in words: it stands in the referrer's namespace (a grant
 * belongs to the target's), or it allows another referring kind, another namespace, or another
 * name. Evidence enough for an error.
 */
export function grantNearMiss(graph: ServiceGraph, referrer: K8sObject, to: string, kind: string, name: string): { grant: K8sObject; why: string } | undefined {
  const from = referrer.namespace;
  const what = referrer.kind.endsWith('Route') ? 'route' : referrer.kind;
  for (const g of referenceGrants(graph)) {
    // Only a grant of the referrer's folder tree is evidence about it.
    if (!sameTree(g, referrer)) continue;
    const spec = isRecord(g.body.spec) ? g.body.spec : {};
    const froms = Array.isArray(spec.from) ? spec.from.filter(isRecord) : [];
    const tos = Array.isArray(spec.to) ? spec.to.filter(isRecord) : [];
    const toKind = tos.filter((t) => (t.group ?? '') === '' && t.kind === kind);
    const named = toKind.some((t) => t.name === undefined || t.name === name);
    const fromOk = (f: Record<string, unknown>) => f.group === GATEWAY_API_GROUP && f.kind === referrer.kind && f.namespace === from;
    if (g.namespace === from && g.namespace !== to && named && froms.some((f) => f.group === GATEWAY_API_GROUP && f.kind === referrer.kind)) {
      return { grant: g, why: `ReferenceGrant ${code(`${g.namespace}/${g.name}`)} is in the ${what}'s namespace ${code(from)}: a grant takes effect only in the namespace of what it lets others refer to, ${code(to)}` };
    }
    if (g.namespace !== to) continue;
    if (named && !froms.some(fromOk)) {
      // The group slipped: the core group (`""`, `core`) or a version written into it.
      const slip = froms.find((x) => x.group !== GATEWAY_API_GROUP && x.kind === referrer.kind && x.namespace === from);
      if (slip) return { grant: g, why: `ReferenceGrant ${code(`${g.namespace}/${g.name}`)} allows ${code(referrer.kind)} of group ${code(JSON.stringify(slip.group ?? ''))}, not ${code(GATEWAY_API_GROUP)}` };
      const f = froms.find((x) => x.group === GATEWAY_API_GROUP && (x.kind === referrer.kind || x.namespace === from));
      if (f && f.kind !== referrer.kind) return { grant: g, why: `ReferenceGrant ${code(`${g.namespace}/${g.name}`)} allows ${code(String(f.kind))}, not ${code(referrer.kind)}` };
      if (f && f.namespace !== from) return { grant: g, why: `ReferenceGrant ${code(`${g.namespace}/${g.name}`)} allows namespace ${code(String(f.namespace))}, not ${code(from)}` };
    }
    if (!named && froms.some(fromOk) && toKind.length > 0) {
      return { grant: g, why: `ReferenceGrant ${code(`${g.namespace}/${g.name}`)} allows only ${kind} ${list(toKind.map((t) => code(String(t.name))), 3)}` };
    }
  }
  return undefined;
}
