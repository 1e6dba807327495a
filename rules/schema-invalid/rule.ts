import type { Rule } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import { formatPath } from '../../src/types/object.js';
import { hasSchema, removedVersion } from '../../src/kubernetes.js';
import { code, editDistance, isTypo, list } from '../../src/text.js';
import { bundleFor, type SchemaError, type Validator } from './validators.js';
import { getIn, podSourceOf } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { ObjectMemo } from '../../src/graph/memo.js';
import { networkPolicyProblems } from '../../src/graph/netpol-validate.js';
import { podFieldProblems } from './pod-fields.js';
import { workloadFieldProblems } from './workload-fields.js';
import { GATEWAY_GROUP, gatewayFieldProblems } from './gateway-fields.js';
import { KNATIVE_SERVING, knativeFieldProblems } from './knative-fields.js';
import { compareQuantities, isWholeQuantity, parseQuantity, quantityValue, roundUpMilli, type Quantity } from '../../src/graph/quantity.js';
import { dns1123LabelProblems, isDNS1123Label, isDNS1123Subdomain, isIPAddress, labelValueProblems, portNameProblems, qualifiedNameProblems } from '../../src/names.js';

/** Kinds whose names the API server holds to a DNS subdomain (Services and Namespaces have rules of their own). */
const SUBDOMAIN_NAMES = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Endpoints', 'EndpointSlice', 'Ingress', 'ConfigMap', 'NetworkPolicy']);

/** Mistakes common enough to deserve their own explanation. */
const HINTS: Record<string, string> = {
  'Service:spec.selector.matchLabels': 'a Service selector is a plain map of labels (`selector: {app: web}`); matchLabels belongs to workload selectors',
  'Service:spec.selector.matchExpressions': 'a Service selector is a plain map of labels and cannot use expressions',
};

function pathOf(instancePath: string): Path {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => {
    const k = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(k) ? Number(k) : k;
  });
}

function valueAt(body: unknown, path: Path): unknown {
  let cur = body;
  for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

/**
 * The object above `path` where the unknown field `extra` is a field the schema takes: the
 * nearest ancestor object (not a list) that lacks it and where, moved there, the validator
 * no longer names it. Undefined where none is.
 */
function misplaced(body: Record<string, unknown>, validate: Validator, path: Path, extra: string): Path | undefined {
  const value = valueAt(body, [...path, extra]);
  for (let cut = path.length - 1; cut >= 0; cut--) {
    const to = path.slice(0, cut);
    const parent = valueAt(body, to);
    if (!isRecord(parent) || Object.hasOwn(parent, extra)) continue;
    const copy = structuredClone(body);
    const from = valueAt(copy, path);
    const dest = valueAt(copy, to);
    if (!isRecord(from) || !isRecord(dest)) continue;
    delete from[extra];
    dest[extra] = value;
    const ok = validate(withoutNullFields(copy));
    const named = (validate.errors ?? []).some((e: SchemaError) => {
      const at = pathOf(e.instancePath);
      return (e.keyword === 'additionalProperties' && String(e.params.additionalProperty) === extra && formatPath(at) === formatPath(to)) || formatPath(at).startsWith(formatPath([...to, extra]));
    });
    if (ok || !named) return to;
  }
  return undefined;
}

function suggest(name: string, fields: string[]): string | undefined {
  const lower = name.toLowerCase();
  fields = fields.filter((f) => f !== name);
  const same = fields.find((f) => f.toLowerCase() === lower);
  if (same) return same;
  let best: { f: string; d: number } | undefined;
  for (const f of fields) {
    if (Math.abs(f.length - name.length) > 2) continue;
    const d = editDistance(lower, f.toLowerCase(), 2);
    if (d <= 2 && (!best || d < best.d)) best = { f, d };
  }
  return best?.f;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

/** Fields only a pod's securityContext has (PodSecurityContext), not a container's. */
const POD_SECURITY_ONLY = new Set(['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy', 'sysctls', 'seLinuxChangePolicy']);

const rule: Rule = {
  meta: {
    id: 'schema-invalid',
    description: 'A field the Kubernetes API schema rejects in a Service, its workloads, Endpoints, EndpointSlices, Ingresses and ConfigMaps, or an apiVersion the API server no longer serves (extensions/v1beta1 Ingress, apps/v1beta2 Deployment): unknown fields (targetport, selectors), wrong types, missing required fields; and what object, pod, Ingress and NetworkPolicy validation reject in them (names, labels, container names, a restart policy the kind does not take, container resources, volumes, volume mounts that name no volume, env and envFrom entries, a container without an image, image pull policies, security contexts, tolerations, node affinity and topology spread constraints, rollout strategies (maxSurge and maxUnavailable), CronJob schedules, Ingress hosts, paths, path types and backends, NetworkPolicy selectors, CIDRs and ports; in Gateway API HTTPRoutes, GRPCRoutes and Gateways, what their CRDs reject: hostnames, path and method matches, filters, timeouts, listener names and TLS).',
    category: 'schema',
    severity: 'error',
    messages: {
      unknownField: 'unknown field {{field}} in {{parent}}{{hint}}',
      wrongType: '{{field}} must be {{want}}, found {{found}}',
      required: '{{parent}} is missing the required field {{field}}',
      enum: '{{field}} must be one of {{allowed}}, found {{found}}',
      invalid: '{{field}} {{message}}',
      objectName: 'name {{value}} is not a valid {{kind}} name: the API server takes lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters',
      labelKey: 'label key {{key}} in {{field}} is not a valid label key: it {{problems}}',
      labelValue: 'label value {{value}} of {{key}} is not a valid label value: it {{problems}}',
      containerName: 'container name {{value}} is not a DNS label: it {{problems}}',
      containerNameRepeated: 'container name {{value}} is already used by another container of this pod; names must be unique among containers and init containers',
      restartPolicy: 'restartPolicy {{value}} is not allowed for a {{kind}}: it takes {{allowed}}',
      ingressValue: '{{field}} {{value}} {{problem}}; the API server rejects the Ingress',
      policyValue: '{{field}} {{value}} {{problem}}; the API server rejects the NetworkPolicy, so it is not in force',
      ingressBackendPort: 'this backend {{problem}}; the API server rejects the Ingress',
      ingressShape: 'this {{problem}}; the API server rejects the Ingress',
      quantity: '{{field}} {{value}} is not a quantity the API server reads (a number with an optional suffix: `500m`, `128Mi`, `1Gi`, `2`){{hint}}; it rejects the whole object',
      resource: '{{field}} {{problem}}; the API server rejects the pod template, so no pod is created',
      podField: '{{field}} {{problem}}; the API server rejects the pod template, so no pod is created',
      podsRefused: '{{field}} {{problem}}; the API server stores the {{kind}} but refuses every pod created from it (its controller reports `FailedCreate`), so no pod runs',
      workloadField: '{{field}} {{problem}}; the API server rejects the {{kind}}, so it creates no pods',
      dataField: '{{field}} {{problem}}; the API server rejects the {{kind}}, so pods that read it never start',
      monitorPort: '{{field}} is the number {{port}}, but the {{kind}} CRD types `port` as a string, the name of a port (of the Service for a ServiceMonitor, of the container for a PodMonitor): the API server refuses the {{kind}} ("must be of type string"), so Prometheus never scrapes it; write the port\'s name, or use `targetPort` for a number',
      knativeField: '{{field}} {{problem}}; Knative Serving\'s webhook rejects the {{kind}}, so it makes no revision and no route',
      gatewayField: '{{field}} {{problem}}; the API server rejects the {{kind}} (the validation of the Gateway API CRD), so the gateway never sees it',
      statefulSetName: 'name {{value}} is not a valid StatefulSet name: it names the pods and their hostnames, so it must be a DNS label (lowercase letters, digits and \'-\', no \'.\', at most 63 characters)',
      unserved: 'apiVersion {{version}} of {{kind}} is no longer served (removed in Kubernetes {{removedIn}}): the API server answers `no matches for kind "{{rawKind}}" in version "{{rawVersion}}"`, so the {{kind}} is never created; use {{use}}',
    },
    remediation: 'Fix the field to match the Kubernetes API for this kind (kubectl explain shows it).',
  },
  check({ graph, report }) {
    // Objects read from a live cluster passed the API server's own validation: only files
    // (a saved state, -f manifests) are checked, and the validators load only for them.
    const objects = graph.objects.filter((o) => !graph.settings.live || o.origin !== undefined || o.overlay);
    for (const o of objects) {
      const gone = removedVersion(o.apiVersion, o.kind);
      if (gone) report({ object: o, path: ['apiVersion'], messageId: 'unserved', data: { version: code(o.apiVersion), kind: o.kind, rawKind: o.kind, rawVersion: o.apiVersion, removedIn: gone.removedIn, use: code(gone.use) } });
      if (KNATIVE_SERVING.test(o.apiVersion)) {
        for (const p of knativeFieldProblems(o)) report({ object: o, path: p.path, messageId: 'knativeField', data: { field: code(formatPath(p.path)), problem: p.problem, kind: o.kind } });
      }
      if ((o.kind === 'Secret' || o.kind === 'ConfigMap') && o.apiVersion === 'v1') {
        for (const p of dataProblems(o)) report({ object: o, path: p.path, messageId: 'dataField', data: { field: code(formatPath(p.path)), problem: p.problem, kind: o.kind } });
      }
      // The Prometheus Operator's CRDs type a ServiceMonitor's and PodMonitor's endpoint `port` as a
      // string (the port's name): the API server refuses a number there ("must be of type string").
      const monitor = o.apiVersion === 'monitoring.coreos.com/v1' ? MONITOR_ENDPOINTS[o.kind] : undefined;
      if (monitor) {
        const list = getIn(o.body, ['spec', monitor]);
        (Array.isArray(list) ? list : []).forEach((e, i) => {
          const port = isRecord(e) ? e.port : undefined;
          if (typeof port === 'number') report({ object: o, path: ['spec', monitor, i, 'port'], messageId: 'monitorPort', data: { kind: o.kind, port: String(port), field: code(`${monitor}[${i}].port`) } });
        });
      }
      if ((o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' || o.kind === 'Gateway') && GATEWAY_GROUP.test(o.apiVersion)) {
        for (const p of gatewayFieldProblems(o)) report({ object: o, path: p.path, messageId: 'gatewayField', data: { field: code(formatPath(p.path)), problem: p.problem, kind: o.kind } });
      }
    }
    const checked = (o: { apiVersion: string; kind: string }) => hasSchema(o.apiVersion, o.kind) || (o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1');
    if (!objects.some(checked)) return;
    const version = graph.settings.kubernetesVersion;
    let bundle: ReturnType<typeof bundleFor> | undefined;
    // What an object's schema errors are depends on its document and the Kubernetes version alone: kept across runs (--cache, the hook).
    const memo = new ObjectMemo(graph, `schema-invalid\0${String(version)}`, isReports);
    for (const o of objects) {
      if (!checked(o)) continue;
      for (const r of memo.of(o, () => objectReports(o, (bundle ??= bundleFor(version))))) report({ object: o, ...r });
    }
    memo.keep();
  },
};

/** A report about the object it was made for. */
type ObjectReport = { path: Path; messageId: string; data: Record<string, string> };

const isReports = (v: unknown): v is ObjectReport[] => Array.isArray(v) && v.every((r) => isRecord(r)
  && Array.isArray(r.path) && r.path.every((p) => typeof p === 'string' || typeof p === 'number')
  && typeof r.messageId === 'string' && isRecord(r.data) && Object.values(r.data).every((d) => typeof d === 'string'));

/**
 * The object as the API server decodes it: a map field written `null` is absent (Go leaves the
 * field unset), so a required one is missing (`schedule:` with no value). List items stay: a
 * null item is a zero value, not a gap. The same object when it holds no null field.
 */
function withoutNullFields(v: unknown): unknown {
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = withoutNullFields(x);
      if (y !== x) (copy ??= [...v])[i] = y;
    }
    return copy ?? v;
  }
  if (!isRecord(v)) return v;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = v[k];
    if (x === null) {
      copy ??= { ...v };
      delete copy[k];
      continue;
    }
    const y = withoutNullFields(x);
    if (y !== x) (copy ??= { ...v })[k] = y;
  }
  return copy ?? v;
}

/** What the API server rejects in one object: its metadata, then what its schema does not allow. */
function objectReports(o: K8sObject, bundle: ReturnType<typeof bundleFor>): ObjectReport[] {
  const out: ObjectReport[] = [];
  const report = (r: ObjectReport) => out.push(r);
  metadata(o, report);
  const validate = bundle.validators[`${o.apiVersion}/${o.kind}`];
  if (!validate || validate(withoutNullFields(o.body))) return out;
  for (const e of relevant(validate.errors ?? [], o)) {
    const path = pathOf(e.instancePath);
    const where = formatPath(path) || 'the object';
    if (e.keyword === 'additionalProperties') {
      const extra = String(e.params.additionalProperty);
      const full = [...path, extra];
      // Fields of the pod's securityContext written in a container's (`fsGroup`): the right place, not a look-alike.
      const podLevel = POD_SECURITY_ONLY.has(extra) && path.at(-1) === 'securityContext' && typeof path.at(-2) === 'number' ? `it is a field of the pod's \`spec.securityContext\`, not of a container's` : undefined;
      const hint = HINTS[`${o.kind}:${formatPath(full)}`] ?? podLevel;
      // The fields of the object where it was written, when the error names its definition; else every field.
      const def = /^#\/\$defs\/([^/]+)\/additionalProperties$/.exec(e.schemaPath ?? '')?.[1];
      // A field of an object above, indented too far (`selector` under `spec.ports[0]`), says so before any look-alike.
      const above = hint ? undefined : misplaced(o.body, validate, path, extra);
      const near = above ? undefined : suggest(extra, (def !== undefined ? bundle.properties[def] : undefined) ?? bundle.fields);
      const placed = above ? `it is a field of ${above.length ? code(formatPath(above)) : 'the object itself'}, not of ${code(where)}: is it indented too far?` : undefined;
      report({ path: full, messageId: 'unknownField', data: { field: code(extra), parent: code(where), hint: hint ? `; ${hint}` : placed ? `; ${placed}` : near ? `; did you mean ${code(near)}?` : '' } });
    } else if (HINTS[`${o.kind}:${where}`]) {
      report({ path, messageId: 'invalid', data: { field: code(where), message: `is not allowed here: ${HINTS[`${o.kind}:${where}`]}` } });
    } else if (e.keyword === 'type' || e.keyword === 'oneOf') {
      const v = valueAt(o.body, path);
      const want = e.keyword === 'oneOf' ? 'an integer or a string' : typeText(e.params.type);
      // An unquoted y/yes/on/no/off or 1.0 is read as a boolean or number, as kubectl reads it: say so.
      const quote = want === 'a string' && (typeof v === 'boolean' || typeof v === 'number')
        ? `; YAML reads it unquoted as a ${typeof v}${typeof v === 'boolean' ? ' (as it does y, yes, on, n, no, off)' : ''}: quote it`
        : '';
      report({ path, messageId: 'wrongType', data: { field: code(where), want, found: `${typeName(v)}${v !== null && typeof v !== 'object' ? ` ${code(JSON.stringify(v))}` : ''}${quote}` } });
    } else if (e.keyword === 'required') {
      const missing = String(e.params.missingProperty);
      // A Service port written `port:` with no value is service-ports-invalid's (it says what a chart left unset).
      if (o.kind === 'Service' && missing === 'port' && path.length === 3 && path[1] === 'ports' && valueAt(o.body, [...path, 'port']) === null) continue;
      report({ path, messageId: 'required', data: { field: code(missing), parent: code(where) } });
    } else if (e.keyword === 'enum') {
      const allowed = (e.params.allowedValues as unknown[]).map((x) => code(String(x)));
      report({ path, messageId: 'enum', data: { field: code(where), allowed: list(allowed, 8), found: code(JSON.stringify(valueAt(o.body, path))) } });
    } else {
      report({ path, messageId: 'invalid', data: { field: code(where), message: e.message ?? 'is invalid' } });
    }
  }
  return out;
}

/** What ObjectMeta validation rejects: the object's name, label keys and values (of the object and of its pod template). */
function metadata(o: K8sObject, report: (r: ObjectReport) => void): void {
  const meta = isRecord(o.body.metadata) ? o.body.metadata : {};
  // A StatefulSet's name is its pods' hostname prefix: ValidateStatefulSetName holds it to a DNS label.
  if (o.kind === 'StatefulSet' && typeof meta.name === 'string' && meta.name !== '' && isDNS1123Subdomain(meta.name) && !isDNS1123Label(meta.name)) {
    report({ path: ['metadata', 'name'], messageId: 'statefulSetName', data: { value: code(meta.name) } });
  } else if (SUBDOMAIN_NAMES.has(o.kind) && typeof meta.name === 'string' && meta.name !== '' && !isDNS1123Subdomain(meta.name)) {
    report({ path: ['metadata', 'name'], messageId: 'objectName', data: { value: code(meta.name), kind: o.kind } });
  }
  const spot = podSourceOf(o);
  if (spot && o.kind !== 'Rollout') podSpec(o, [...spot.template, 'spec'], report);
  for (const p of workloadFieldProblems(o)) report({ path: p.path, messageId: 'workloadField', data: { field: p.field, problem: p.problem, kind: o.kind } });
  if (o.kind === 'Ingress' && o.apiVersion === 'networking.k8s.io/v1') ingressSpec(o, report);
  if (o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1') {
    for (const p of networkPolicyProblems(o)) report({ path: p.path, messageId: 'policyValue', data: { field: p.field, value: p.value, problem: p.problem } });
  }
  const places: Path[] = [['metadata', 'labels'], ...(spot && spot.template.length ? [[...spot.template, 'metadata', 'labels']] : [])];
  for (const at of places) {
    const labels = valueAt(o.body, at);
    if (!isRecord(labels)) continue;
    for (const [k, v] of Object.entries(labels)) {
      const kp = qualifiedNameProblems(k);
      if (kp.length) report({ path: at, messageId: 'labelKey', data: { key: code(k), field: code(formatPath(at)), problems: list(kp) } });
      if (typeof v !== 'string') continue;
      const vp = labelValueProblems(v);
      if (vp.length) report({ path: [...at, k], messageId: 'labelValue', data: { key: code(k), value: code(v), problems: list(vp) } });
    }
  }
}

/** The restart policies the API server allows in a kind's pod template (an unset one is defaulted). */
const RESTART_POLICIES: Record<string, readonly string[]> = {
  Pod: ['Always', 'OnFailure', 'Never'],
  Deployment: ['Always'], StatefulSet: ['Always'], DaemonSet: ['Always'], ReplicaSet: ['Always'], ReplicationController: ['Always'],
  Job: ['OnFailure', 'Never'], CronJob: ['OnFailure', 'Never'],
};

/** What pod validation rejects in container names (DNS labels, unique in the pod) and the restart policy. */
/** A key of a ConfigMap's or Secret's data as the API server takes it (IsConfigMapKey). */
function configKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'is longer than 253 characters';
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return 'is not a valid key: it takes letters, digits, \'-\', \'_\' and \'.\' only';
  if (key === '.' || key === '..') return `may not be ${code(key)}`;
  if (key.startsWith('..')) return 'may not start with `..`';
  return undefined;
}

/** Go's base64.StdEncoding as encoding/json decodes a []byte: padded, with line breaks ignored. */
function base64Problem(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') return undefined; // a type error, which the schema reports
  // A placeholder that a later step fills in (envsubst's `${VAR}`, a template's `{{ }}`, `<token>`).
  if (/[${}<>]/.test(v)) return undefined;
  const s = v.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(={0,2})$/.test(s) || /=[^=]/.test(s) || (s.endsWith('=') && /[^=]={3,}$/.test(s))) return 'is not base64 (the API server decodes `data` values of a Secret, and `binaryData` of a ConfigMap, as padded standard base64; put plain text in `stringData`, or `data` of a ConfigMap)';
  return undefined;
}

/** What the API server rejects in a Secret's or ConfigMap's keys and encoded values (ValidateSecret, ValidateConfigMap). */
function dataProblems(o: K8sObject): { path: Path; problem: string }[] {
  const out: { path: Path; problem: string; base64?: boolean; more?: number }[] = [];
  const fields = o.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  const seen = new Set<string>();
  for (const f of fields) {
    const m = o.body[f];
    if (!isRecord(m)) continue;
    for (const [k, v] of Object.entries(m)) {
      const kp = configKeyProblem(k);
      if (kp) out.push({ path: [f, k], problem: kp });
      if ((o.kind === 'Secret' && f === 'data') || f === 'binaryData') {
        const bp = base64Problem(v);
        // The first value that is no base64 speaks for the rest of its map: one finding, with the count.
        if (bp) {
          const first = out.find((x) => x.path[0] === f && x.base64);
          if (first) first.more = (first.more ?? 0) + 1;
          else out.push({ path: [f, k], problem: bp, base64: true });
        }
      }
      // The API server names the key in data: "duplicate of key present in binaryData".
      if (o.kind === 'ConfigMap' && seen.has(k)) out.push({ path: ['data', k], problem: 'is also a key of `binaryData`; a ConfigMap\'s keys must be unique across data and binaryData' });
      seen.add(k);
    }
  }
  return out.map((x) => (x.more ? { path: x.path, problem: x.problem.replace(/^is not base64/, `is not base64, nor are ${x.more} more values of \`${String(x.path[0])}\``) } : x));
}

const MONITOR_ENDPOINTS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { ServiceMonitor: 'endpoints', PodMonitor: 'podMetricsEndpoints' });

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function podSpec(o: K8sObject, at: Path, report: (r: ObjectReport) => void): void {
  const spec = valueAt(o.body, at);
  if (!isRecord(spec)) return;
  const names = (items: unknown) => (Array.isArray(items) ? items : []).map((c) => (isRecord(c) && typeof c.name === 'string' ? c.name : undefined));
  const regular = names(spec.containers);
  const init = names(spec.initContainers);
  // Init containers are checked against each other and every regular container; regular ones among themselves.
  const check = (field: 'containers' | 'initContainers', containerNames: (string | undefined)[], taken: Set<string>) => {
    containerNames.forEach((name, i) => {
      if (name === undefined || name === '') return;
      const path = [...at, field, i, 'name'];
      const problems = isDNS1123Label(name) ? [] : dns1123LabelProblems(name);
      if (problems.length) report({ path, messageId: 'containerName', data: { value: code(name), problems: list(problems) } });
      else if (taken.has(name)) report({ path, messageId: 'containerNameRepeated', data: { value: code(name) } });
      taken.add(name);
    });
  };
  if (init.length) check('initContainers', init, new Set(regular.filter((n): n is string => n !== undefined && isDNS1123Label(n))));
  check('containers', regular, new Set());
  for (const field of ['initContainers', 'containers'] as const) {
    const items = spec[field];
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      if (isRecord(c) && isRecord(c.resources)) resources(c.resources, [...at, field, i, 'resources'], report);
    });
  }
  const claims = o.kind === 'StatefulSet' && isRecord(o.body.spec) && Array.isArray(o.body.spec.volumeClaimTemplates)
    ? o.body.spec.volumeClaimTemplates.map((t) => (isRecord(t) && isRecord(t.metadata) && typeof t.metadata.name === 'string' ? t.metadata.name : '')).filter(Boolean)
    : [];
  for (const p of podFieldProblems(spec, at, claims)) {
    // A template is stored with what only a Pod's creation checks; each pod made from it is refused.
    if (p.podsOnly && o.kind !== 'Pod') report({ path: p.path, messageId: 'podsRefused', data: { field: p.field, problem: p.problem, kind: o.kind } });
    else report({ path: p.path, messageId: 'podField', data: { field: p.field, problem: p.problem } });
  }
  // AppArmor's annotations on the pod (or template) name a container and a profile
  // (ValidateAppArmorPodAnnotations): a container the spec does not hold, or a profile in another
  // form, makes the API server reject it.
  const metaAt: Path = [...at.slice(0, -1), 'metadata', 'annotations'];
  const annotations = valueAt(o.body, metaAt);
  if (isRecord(annotations)) {
    const all = new Set([...regular, ...init, ...names(spec.ephemeralContainers)]);
    for (const [key, profile] of Object.entries(annotations)) {
      if (!key.startsWith(APPARMOR_PREFIX)) continue;
      const container = key.slice(APPARMOR_PREFIX.length);
      if (!all.has(container)) {
        const near = [...all].find((n) => n !== undefined && isTypo(container, n));
        report({ path: [...metaAt, key], messageId: 'podField', data: { field: `the AppArmor annotation for container ${code(container)}`, problem: `names a container the pod does not have ("container not found")${near ? `; did you mean ${code(near)}?` : ''}` } });
      }
      if (typeof profile === 'string' && profile !== '' && profile !== 'runtime/default' && profile !== 'unconfined' && !profile.startsWith('localhost/')) {
        report({ path: [...metaAt, key], messageId: 'podField', data: { field: `the AppArmor annotation for container ${code(container)}`, problem: `has profile ${code(profile)}, which is not \`runtime/default\`, \`unconfined\` or \`localhost/<profile>\` ("invalid AppArmor profile name")` } });
      }
    }
  }
  // Ephemeral containers are added to a running pod (`kubectl debug`), never written in a manifest:
  // ValidatePodCreate refuses them on a Pod, ValidatePodTemplateSpec in a template.
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    report({ path: [...at, 'ephemeralContainers'], messageId: 'podField', data: { field: code('ephemeralContainers'), problem: o.kind === 'Pod' ? 'cannot be set when a Pod is created (ephemeral containers are added to a running pod, with `kubectl debug`)' : 'is not allowed in a pod template (ephemeral containers are added to a running pod, with `kubectl debug`)' } });
  }
  const allowed = RESTART_POLICIES[o.kind];
  const policy = spec.restartPolicy;
  if (allowed && typeof policy === 'string' && policy !== '' && !allowed.includes(policy)) {
    report({ path: [...at, 'restartPolicy'], messageId: 'restartPolicy', data: { value: code(policy), kind: o.kind, allowed: list(allowed.map((p) => code(p))) } });
  }
}

/** What people write for a unit the API server spells otherwise. */
function quantityHint(v: string): string {
  const m = /^\s*[+-]?[\d.]+\s*([A-Za-z]+)\s*$/.exec(v);
  if (!m) return /\s/.test(v.trim()) ? ': no space inside' : '';
  const unit = m[1]!;
  const fixes: Record<string, string> = { KB: 'k` (1000) or `Ki', K: 'k` (1000) or `Ki', MB: 'M` (10⁶) or `Mi', GB: 'G` (10⁹) or `Gi', TB: 'T` or `Ti', KiB: 'Ki', MiB: 'Mi', GiB: 'Gi', TiB: 'Ti', kb: 'k` or `Ki', mb: 'M` or `Mi', gb: 'G` or `Gi', ki: 'Ki', mi: 'Mi', gi: 'Gi', ti: 'Ti', g: 'G` or `Gi', Mb: 'M` or `Mi', Gb: 'G` or `Gi' };
  const fix = fixes[unit];
  return fix ? `: for ${code(unit)} write \`${fix}\` (suffixes are case-sensitive)` : '';
}

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (name: string) => name.startsWith('hugepages-');
/** A resource name without a domain, or in a `kubernetes.io/` domain: native, and so it may be overcommitted (not hugepages). */
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.') && qualifiedNameProblems(`requests.${name}`).length === 0;

/**
 * A container's `resources` as pod validation reads them (ValidateResourceRequirements): each
 * quantity must parse and be non-negative, each name be a standard container resource or an
 * extended one (whose amounts are whole numbers and whose request equals its limit), a
 * request may not exceed its limit, and hugepages need a size they are a multiple of and a
 * cpu or memory amount beside them.
 */
function resources(r: Record<string, unknown>, at: Path, report: (r: ObjectReport) => void): void {
  const read = (which: 'limits' | 'requests') => {
    const out = new Map<string, Quantity>();
    const m = r[which];
    if (!isRecord(m)) return out;
    for (const name in m) {
      const v = m[name];
      if (typeof v !== 'string' && typeof v !== 'number') continue; // the schema reports other types
      const path = [...at, which, name];
      const field = `\`resources.${which}.${name}\``;
      const parsed = parseQuantity(v);
      const q = parsed && roundUpMilli(parsed);
      if (!q) {
        report({ path, messageId: 'quantity', data: { field, value: code(String(v)), hint: typeof v === 'string' ? quantityHint(v) : '' } });
        continue;
      }
      out.set(name, q);
      const bad = (problem: string) => report({ path, messageId: 'resource', data: { field, problem } });
      // cpu and memory, nearly every amount written: nothing about the name to check.
      if (STANDARD_RESOURCES.has(name)) {
        if (q.negative) bad(`${code(String(v))} is negative; it must be 0 or more`);
        continue;
      }
      const nameProblems = qualifiedNameProblems(name);
      if (nameProblems.length) bad(`names no valid resource: it ${list(nameProblems)}`);
      else if (!name.includes('/')) {
        if (!STANDARD_RESOURCES.has(name) && !isHugePages(name)) bad(`names ${code(name)}, which is not a resource a container can have (\`cpu\`, \`memory\`, \`ephemeral-storage\`, \`hugepages-<size>\`, or an extended resource \`<domain>/<name>\`)`);
      } else if (!isNative(name) && !isExtended(name)) bad(`names ${code(name)}, which does not follow the extended resource name standard`);
      if (q.negative) bad(`${code(String(v))} is negative; it must be 0 or more`);
      if (isExtended(name) && !isWholeQuantity(q)) bad(`${code(String(v))} is not a whole number, as an extended resource must be`);
      if (isHugePages(name)) {
        const size = parseQuantity(name.slice('hugepages-'.length));
        const page = size ? quantityValue(size) : 0n;
        if (page <= 0n) bad(`names a hugepages size ${code(name.slice('hugepages-'.length))} that is not a quantity`);
        else if (quantityValue(q) % page !== 0n) bad(`${code(String(v))} is not a multiple of the page size ${code(name.slice('hugepages-'.length))}`);
      }
    }
    return out;
  };
  const limits = read('limits');
  const requests = read('requests');
  for (const [name, q] of requests) {
    const limit = limits.get(name);
    const written = (which: string) => String((r[which] as Record<string, unknown>)[name]);
    const field = code(`resources.requests.${name}`);
    const overcommit = isNative(name) && !isHugePages(name);
    if (limit) {
      const c = compareQuantities(q, limit);
      if (c !== 0 && !overcommit) report({ path: [...at, 'requests', name], messageId: 'resource', data: { field, problem: `${code(written('requests'))} must equal the limit ${code(written('limits'))}: ${code(name)} cannot be overcommitted` } });
      else if (c > 0) report({ path: [...at, 'requests', name], messageId: 'resource', data: { field, problem: `${code(written('requests'))} is more than the limit ${code(written('limits'))}; a request must be at most its limit` } });
    } else if (!overcommit) {
      report({ path: [...at, 'limits'], messageId: 'resource', data: { field, problem: `has no limit beside it; ${code(name)} cannot be overcommitted, so its limit must be set (and equal)` } });
    }
  }
  const names = [...limits.keys(), ...requests.keys()];
  if (names.some(isHugePages) && !names.some((n) => n === 'cpu' || n === 'memory')) {
    report({ path: at, messageId: 'resource', data: { field: code('resources'), problem: 'asks for hugepages without cpu or memory; hugepages need one of them' } });
  }
}

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];
/** What an Exact or Prefix path may not hold (networking validation's invalidPathSequences and suffixes). */
const BAD_PATH_PARTS = ['//', '/./', '/../', '%2f', '%2F'];

/** Why a host (an Ingress rule's, a TLS host) is refused: an IP address, a wildcard not at the start, not a lowercase DNS name. */
function hostProblem(host: string, ipAllowed = false): string | undefined {
  if (!ipAllowed && isIPAddress(host)) return 'is an IP address, and a host must be a DNS name';
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (name.includes('*')) return 'has a wildcard other than a leading `*.`';
  if (!isDNS1123Subdomain(name)) return 'is not a lowercase DNS name (letters, digits, \'-\' and \'.\', no trailing dot)';
  return undefined;
}

/** What Ingress validation (networking.k8s.io/v1) rejects: hosts, paths and path types, backends, the class name, TLS. */
function ingressSpec(o: K8sObject, report: (r: ObjectReport) => void): void {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && (spec.defaultBackend === undefined || spec.defaultBackend === null)) report({ path: ['spec'], messageId: 'ingressShape', data: { problem: 'Ingress has neither `rules` nor a `defaultBackend` (one of them is required)' } });
  const value = (field: string, v: string, problem: string, path: Path) => report({ path, messageId: 'ingressValue', data: { field, value: code(v), problem } });
  // The deprecated class annotation next to the field: on create both must name one class (ValidateIngressCreate).
  const annotations = isRecord(o.body.metadata) && isRecord(o.body.metadata.annotations) ? o.body.metadata.annotations : {};
  const annotated = annotations['kubernetes.io/ingress.class'];
  if (typeof annotated === 'string' && typeof spec.ingressClassName === 'string' && annotated !== spec.ingressClassName) {
    value('annotation `kubernetes.io/ingress.class`', annotated, `must match \`ingressClassName\` (${code(spec.ingressClassName)}) when both are set; drop the deprecated annotation`, ['metadata', 'annotations', 'kubernetes.io/ingress.class']);
  }
  const backend = (b: unknown, at: Path) => {
    // One of `service` and `resource` (validateIngressBackend: "cannot set both").
    if (isRecord(b) && isRecord(b.service) && b.resource !== undefined && b.resource !== null) report({ path: [...at, 'resource'], messageId: 'ingressBackendPort', data: { problem: 'sets both `service` and `resource`, and a backend is one or the other' } });
    const svc = isRecord(b) ? b.service : undefined;
    if (!isRecord(svc)) return;
    const name = svc.name;
    if (typeof name === 'string' && name !== '') {
      const problems = dns1123LabelProblems(name);
      if (problems.length) value('service name', name, `is not a DNS label: it ${list(problems)}`, [...at, 'service', 'name']);
    } else if (name === undefined || name === '') report({ path: [...at, 'service', 'name'], messageId: 'ingressBackendPort', data: { problem: 'names no Service (`service.name` is required)' } });
    const port = isRecord(svc.port) ? svc.port : {};
    const number = port.number;
    const portName = port.name;
    const hasNumber = number !== undefined && number !== null && number !== 0;
    const hasName = typeof portName === 'string' && portName !== '';
    if (!hasNumber && !hasName) report({ path: at, messageId: 'ingressBackendPort', data: { problem: 'gives no Service port (`port.number` or `port.name` is required)' } });
    else if (hasNumber && hasName) report({ path: at, messageId: 'ingressBackendPort', data: { problem: 'gives both `port.number` and `port.name`, and takes one' } });
    else if (typeof number === 'number' && (number < 1 || number > 65535)) value('port number', String(number), 'is outside 1–65535', [...at, 'service', 'port', 'number']);
    else if (hasName) {
      const problems = portNameProblems(portName as string);
      if (problems.length) value('port name', portName as string, `is not a valid port name: it ${list(problems)}`, [...at, 'service', 'port', 'name']);
    }
  };
  if (typeof spec.ingressClassName === 'string' && spec.ingressClassName !== '' && !isDNS1123Subdomain(spec.ingressClassName)) value('ingressClassName', spec.ingressClassName, 'is not a lowercase DNS name', ['spec', 'ingressClassName']);
  if (spec.defaultBackend !== undefined) backend(spec.defaultBackend, ['spec', 'defaultBackend']);
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    if (typeof rule.host === 'string' && rule.host !== '') {
      const problem = hostProblem(rule.host);
      if (problem) value('host', rule.host, problem, ['spec', 'rules', i, 'host']);
    }
    const paths = isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
    if (isRecord(rule.http) && Array.isArray(rule.http.paths) && paths.length === 0) report({ path: ['spec', 'rules', i, 'http', 'paths'], messageId: 'ingressShape', data: { problem: 'rule has `http` with no paths (`paths` is required)' } });
    paths.forEach((p, j) => {
      if (!isRecord(p)) return;
      const at: Path = ['spec', 'rules', i, 'http', 'paths', j];
      const type = p.pathType;
      const path = typeof p.path === 'string' ? p.path : '';
      if (typeof type === 'string' && !PATH_TYPES.includes(type)) value('pathType', type, `is not one of ${list(PATH_TYPES.map((t) => code(t)))}`, [...at, 'pathType']);
      else if (type === 'Exact' || type === 'Prefix') {
        if (!path.startsWith('/')) value('path', path, `is not an absolute path (a ${type} path starts with \'/\')`, [...at, 'path']);
        else {
          const bad = BAD_PATH_PARTS.find((x) => path.includes(x)) ?? ['/..', '/.'].find((x) => path.endsWith(x));
          if (bad) value('path', path, `holds ${code(bad)}, which a ${type} path may not`, [...at, 'path']);
        }
      } else if (type === 'ImplementationSpecific' && path !== '' && !path.startsWith('/')) value('path', path, 'is not an absolute path (a path starts with \'/\')', [...at, 'path']);
      if (p.backend !== undefined) backend(p.backend, [...at, 'backend']);
    });
  });
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((t, i) => {
    if (!isRecord(t)) return;
    (Array.isArray(t.hosts) ? t.hosts : []).forEach((h, j) => {
      if (typeof h !== 'string' || h === '') return;
      const problem = hostProblem(h, true);
      if (problem) value('TLS host', h, problem, ['spec', 'tls', i, 'hosts', j]);
    });
    if (typeof t.secretName === 'string' && t.secretName !== '' && !isDNS1123Subdomain(t.secretName)) value('TLS secretName', t.secretName, 'is not a lowercase DNS name', ['spec', 'tls', i, 'secretName']);
  });
}

function typeText(t: unknown): string {
  const types = (Array.isArray(t) ? t : [t]).filter((x) => x !== 'null').map(String);
  return list(types.map((x) => (x === 'integer' ? 'an integer' : x === 'object' ? 'a map' : x === 'array' ? 'a list' : `a ${x}`)));
}

/**
 * The errors worth showing: one per place, none for null values (Go reads null as
 * absent), and none of the sub-errors a failed oneOf leaves behind.
 */
function relevant(errors: SchemaError[], o: K8sObject): SchemaError[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors.filter((e) => {
    // `status` is written by the cluster, not by the manifest's author (and dropped on apply).
    if (e.instancePath === '/status' || e.instancePath.startsWith('/status/')) return false;
    if (e.keyword !== 'oneOf' && oneOfPaths.has(e.instancePath)) return false;
    if ((e.keyword === 'type' || e.keyword === 'oneOf') && valueAt(o.body, pathOf(e.instancePath)) === null) return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export default rule;
