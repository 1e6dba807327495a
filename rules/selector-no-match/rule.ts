import { inferencePools } from '../../src/graph/inference.js';
import { near, where } from '../../src/engine/rule-kit.js';
import type { Rule, RelatedReport, RuleContext } from '../../src/types/rule.js';
import type { CustomPodSource, PodTemplate, ServiceNode } from '../../src/types/graph.js';
import { describe, refOf } from '../../src/types/object.js';
import { code, isStrongTypo, isTypo, list, pair, plural, selectorText } from '../../src/text.js';
import { getIn, stringMap } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { workloadKey } from '../../src/graph/index.js';
import { creationFailure } from '../../src/graph/live.js';
import { CONTROLLER_LABELS, controllerLabelMatches } from '../../src/graph/controller-labels.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

/** How one selector entry differs from a template's labels. */
type Diff =
  | { kind: 'equal'; key: string }
  | { kind: 'value'; key: string; want: string; found: string; typo?: number }
  | { kind: 'key'; key: string; found: string }
  | { kind: 'missing'; key: string; want: string }
  | { kind: 'controller'; key: string; want: string };

function diff(selector: Record<string, string>, t: PodTemplate): Diff[] {
  const labels = t.labels;
  return Object.entries(selector).map(([k, v]): Diff => {
    if (labels[k] === v) return { kind: 'equal', key: k };
    if (CONTROLLER_LABELS.has(k) && !(k in labels)) return controllerLabelMatches(t, k, v) ? { kind: 'equal', key: k } : { kind: 'controller', key: k, want: v };
    if (k in labels) return { kind: 'value', key: k, want: v, found: labels[k]!, typo: isTypo(v, labels[k]!) };
    const sameValue = Object.keys(labels).find((lk) => labels[lk] === v && !(lk in selector));
    if (sameValue) return { kind: 'key', key: k, found: sameValue };
    const typoKey = Object.keys(labels).find((lk) => !(lk in selector) && isTypo(k, lk) !== undefined);
    if (typoKey) return { kind: 'key', key: k, found: typoKey };
    return { kind: 'missing', key: k, want: v };
  });
}

const labelKeys = new WeakMap<PodTemplate, string>();

/** The template's labels as one string, the same for every template with the same labels. */
function labelKey(t: PodTemplate): string {
  let k = labelKeys.get(t);
  if (k === undefined) {
    // Each key and value with its length first: no two label sets give one string.
    const keys = Object.keys(t.labels).sort();
    k = '';
    for (const key of keys) {
      const v = t.labels[key]!;
      k += `${key.length}:${key}${v.length}:${v}`;
    }
    labelKeys.set(t, k);
  }
  return k;
}

function score(d: Diff[]): number {
  return d.reduce((s, x) => s + (x.kind === 'equal' ? 1 : x.kind === 'key' || (x.kind === 'value' && x.typo) ? 0.5 : 0), 0);
}

function explain(d: Diff[], labels: Record<string, string>): string {
  const parts: string[] = [];
  for (const x of d) {
    if (x.kind === 'value') {
      parts.push(x.typo ? `${pair(x.key, x.found)} (${plural(x.typo, 'character')} off)` : `${pair(x.key, x.found)} instead of ${code(x.want)}`);
    } else if (x.kind === 'key') {
      parts.push(`key ${code(x.found)} instead of ${code(x.key)}${labels[x.found] !== undefined ? ` (${pair(x.found, labels[x.found]!)})` : ''}`);
    } else if (x.kind === 'controller') {
      parts.push(`no pod with ${pair(x.key, x.want)} (its controller sets that label itself)`);
    } else if (x.kind === 'missing') {
      parts.push(`no label ${code(x.key)}`);
    }
  }
  return list(parts, 3);
}


/**
 * `selector: {}` written on a Service: the API stores an empty map as no selector, so the
 * EndpointSlice controller makes no endpoints (syncService returns when Selector is nil), while
 * the pods of the namespace look selected. Judged where no EndpointSlice or Endpoints of the
 * run name the Service and the namespace has pod templates.
 */
function emptySelector(graph: RuleContext['graph'], svc: ServiceNode, report: RuleContext['report']): void {
  const o = svc.object;
  const sel = getIn(o.body, ['spec', 'selector']);
  if (!isRecord(sel) || Object.keys(sel).length > 0 || svc.type === 'ExternalName' || svc.endpointObjects.length > 0 || svc.manualEndpoints.length > 0 || graph.settings.live) return;
  const pods = graph.templatesIn(o.namespace);
  if (pods.length === 0) return;
  report({
    object: o,
    path: ['spec', 'selector'],
    messageId: 'emptySelector',
    severity: 'warning',
    data: { namespace: code(o.namespace), pods: list(pods.map((t) => where(t)), 3) },
    remediation: 'Write the labels of the pods this Service fronts under spec.selector, or remove `selector: {}` and write EndpointSlices for it.',
  });
}

/**
 * An Istio `Gateway`'s `spec.selector` picks the gateway proxies that serve it, in any
 * namespace (PILOT_SCOPE_GATEWAY_TO_NAMESPACE is off by default). Where no pod template of the
 * run matches but gateway pods of the run carry the selector's keys with other values (the
 * `istio` key's, which names the gateway, or a slip of a character or two), the
 * Gateway is served by no proxy of the run (istioctl's IST0101): a warning, as another gateway
 * installed elsewhere may carry the labels.
 */
function istioGateways(graph: RuleContext['graph'], report: RuleContext['report']): void {
  for (const o of graph.objects) {
    if (o.kind !== 'Gateway' || !/^networking\.istio\.io\//.test(o.apiVersion)) continue;
    const selector = stringMap(getIn(o.body, ['spec', 'selector']));
    const entries = Object.entries(selector);
    if (entries.length === 0) continue;
    const templates = graph.templates;
    if (templates.some((t) => entries.every(([k, v]) => t.labels[k] === v))) continue;
    // Gateway proxies (istiod carries `istio: pilot`, not a gateway).
    const gatewayLike = (t: (typeof templates)[number]) => /gateway|ingress|egress/i.test(t.owner.name) || Object.values(t.labels).some((v) => /gateway|ingress|egress/i.test(v));
    // The values that differ are the `istio` key's (the gateway's own label) or a slip of one.
    const near = templates.filter((t) => gatewayLike(t) && entries.every(([k, v]) => t.labels[k] === v || (t.labels[k] !== undefined && (k === 'istio' || isStrongTypo(v, t.labels[k]!)))));
    if (near.length === 0) continue;
    const found = [...new Set(near.map((t) => entries.map(([k]) => pair(k, t.labels[k]!)).join(', ')))];
    report({
      object: o,
      path: ['spec', 'selector'],
      messageId: 'istioGateway',
      severity: 'warning',
      data: { selector: selectorText(selector), found: list(found, 3), pods: list(near.slice(0, 3).map((t) => `${where(t)} in namespace ${code(t.namespace)}`), 3) },
      related: near.slice(0, 3).map((t) => ({ object: t.owner, path: t.labelsPath, message: `pod labels of ${where(t)}` })),
      remediation: 'Make spec.selector the labels of the gateway pods that should serve this Gateway (`istio: ingressgateway` for the istioctl install, the gateway chart\'s release labels otherwise).',
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'selector-no-match',
    description: 'A Service selector (or an InferencePool\'s, or an Istio Gateway\'s) that matches no pod template, or an empty `selector: {}`, which selects none.',
    category: 'selector',
    severity: 'error',
    messages: {
      nearMiss: 'selector {{selector}} matches no pod in namespace {{namespace}}; nearest: {{candidates}}',
      otherNamespace: 'selector {{selector}} matches no pod in namespace {{namespace}}{{defaulted}}; it matches {{matches}}',
      workloadLabels: 'selector {{selector}} matches no pod in namespace {{namespace}}; it matches the labels of {{workload}} itself, but a Service selects pods, and its pod template has {{templateLabels}}',
      noCandidates: 'selector {{selector}} matches no pod in namespace {{namespace}}; no pod template there ({{count}} in all) has a label close to it{{known}}',
      operatorLabels: 'selector {{selector}} names {{keys}}, which prometheus-operator does not put (with that value) on the pods it makes for {{resource}}: they carry {{labels}} and the resource\'s spec.podMetadata.labels, not the resource\'s own labels (and no `app` since v0.48.0), so the Service gets no endpoints',
      operator: 'selector {{selector}} matches no pod template in namespace {{namespace}}; its pods may be created by the operator of {{resource}}, which {{shared}}',
      liveScaledToZero: 'selector {{selector}} matches no running pod: it selects the pods of {{workload}}, which is scaled to 0 replicas',
      liveNoPods: 'selector {{selector}} matches no running pod: it selects the pods of {{workload}}, which has none right now ({{why}})',
      liveCannotCreate: 'selector {{selector}} matches no running pod: it selects the pods of {{workload}}, whose controller cannot create them: {{failure}}',
      noTemplates: 'selector {{selector}} matches no pod: there is no pod template in namespace {{namespace}} among the linted files',
      poolNearMiss: 'this InferencePool\'s selector {{selector}} matches no pod in namespace {{namespace}}, so the gateway has no model server to send its requests to; nearest: {{candidates}}',
      poolOtherNamespace: 'this InferencePool\'s selector {{selector}} matches no pod in namespace {{namespace}}; it matches {{matches}}, but a pool selects pods of its own namespace only',
      poolNoMatch: 'this InferencePool\'s selector {{selector}} matches no pod in namespace {{namespace}}{{why}}, so the gateway has no model server to send its requests to',
      istioGateway: 'this Istio Gateway selects the gateway pods with {{selector}}, but no pod template of the run has these labels; the gateway pods of the run have {{found}} ({{pods}}): no proxy of theirs serves this Gateway, and its hosts get no listener',
      emptySelector: 'this Service\'s `selector: {}` selects no pod: the API server stores an empty selector as none, and the EndpointSlice controller makes no endpoints for a Service without one; the pods of {{pods}} in namespace {{namespace}} get no traffic from it unless someone writes its EndpointSlices',
      liveNoPodsInNamespace: 'selector {{selector}} matches no pod: namespace {{namespace}} runs no pod, and no workload there has these labels',
    },
    remediation: 'Make the selector equal to labels of the pod template (spec.template.metadata.labels) of the workload this Service fronts, in the same namespace.',
  },
  check({ graph, report }) {
    // Per namespace, once per run: its templates by distinct label set (in order of first
    // appearance, each set's templates one per workload, by id) and those of workloads that are not bare Pods.
    const groupCache = new Map<string, { sets: { labels: Record<string, string>; templates: PodTemplate[] }[]; workloads: PodTemplate[]; byOwnerLabel?: Map<string, number[]> }>();
    const groupsOf = (ns: string, candidates: readonly PodTemplate[]) => {
      let g = groupCache.get(ns);
      if (g) return g;
      const byKey = new Map<string, { labels: Record<string, string>; templates: PodTemplate[] }>();
      const seenOwners = new Set<string>();
      for (const t of candidates) {
        const k = labelKey(t);
        let set = byKey.get(k);
        if (!set) byKey.set(k, (set = { labels: t.labels, templates: [] }));
        const w = workloadKey(t);
        if (!seenOwners.has(w)) {
          seenOwners.add(w);
          set.templates.push(t);
        }
      }
      for (const set of byKey.values()) set.templates.sort((a, b) => a.id - b.id);
      g = { sets: [...byKey.values()], workloads: candidates.filter((t) => t.owner.kind !== 'Pod') };
      groupCache.set(ns, g);
      return g;
    };
    // Copies of one application ask about the same selector in the same namespace: answered once.
    const operators = new Map<string, ReturnType<typeof operatorEvidence>>();
    const operatorOf = (ns: string, selector: Record<string, string>) => {
      const key = JSON.stringify([ns, Object.entries(selector)]);
      if (operators.has(key)) return operators.get(key);
      const found = operatorEvidence(selector, graph.customPodSources(ns));
      operators.set(key, found);
      return found;
    };
    const nearest = new Map<string, { t: PodTemplate; d: Diff[]; s: number }[]>();
    for (const svc of graph.services) {
      emptySelector(graph, svc, report);
      if (svc.mode !== 'selector' || svc.backends.length > 0) continue;
      const o = svc.object;
      const selector = selectorText(svc.selector);
      const namespace = code(o.namespace);
      const base = { object: o, path: svc.selectorPath };
      // Live: the workload is there, its pods are not.
      const owner = graph.workloadTemplates.find((t) => t.namespace === o.namespace && matches(svc, t.labels));
      if (owner) {
        const zero = (owner.replicas.mode === 'count' || owner.replicas.mode === 'job') && owner.replicas.count === 0;
        const failure = zero ? undefined : creationFailure(graph, owner.owner);
        report({
          ...base,
          messageId: zero ? 'liveScaledToZero' : failure ? 'liveCannotCreate' : 'liveNoPods',
          data: { selector, workload: where(owner), why: owner.replicas.mode === 'job' ? 'its jobs are not running' : 'they are not created yet, or were deleted', failure: failure ?? '' },
          remediation: zero ? 'Scale the workload up (kubectl scale), or remove the Service if it is no longer used.'
            : failure ? 'Remove what refuses the pods (raise the quota, meet the namespace\'s Pod Security level, fix the webhook or create the ServiceAccount); the controller retries on its own.' : undefined,
        });
        continue;
      }
      const candidates = graph.templatesIn(o.namespace);
      const absent = { what: `pods with ${selector} in namespace ${namespace}`, namespace: o.namespace, podLabels: svc.selector };

      // The workload's own labels match, but its template's do not: a classic mix-up.
      const byWorkload = workloadLabelled(groupsOf(o.namespace, candidates), svc);
      if (byWorkload) {
        report({
          ...base,
          messageId: 'workloadLabels',
          data: { selector, namespace, workload: where(byWorkload), templateLabels: selectorText(byWorkload.labels) || 'no labels' },
          related: [{ object: byWorkload.owner, path: byWorkload.labelsPath, message: `pod template labels of ${where(byWorkload)}` }],
        });
        continue;
      }

      const elsewhere = graph.selectAnywhere(svc.selector).filter((t) => t.namespace !== o.namespace);
      if (elsewhere.length > 0) {
        // Where an object that sets no namespace lands is up to the command that applies it.
        // `system` with no Namespace of that name in the run is kubebuilder's placeholder: the overlay that includes
        // the folder (config/default) sets the namespace, and a folder it leaves out is rendered here on its own.
        const placeholder = o.namespace === 'system' && !objectsOfKind(graph, 'Namespace').some((x) => x.name === 'system');
        const unplaced = o.namespaceDefaulted || placeholder || elsewhere.every((t) => t.owner.namespaceDefaulted);
        report({
          ...base,
          messageId: 'otherNamespace',
          ...(unplaced ? { absent: { what: `the namespace these objects are applied to (${o.namespaceDefaulted ? (getIn(o.body, ['metadata', 'namespace']) !== undefined ? 'the chart\'s release namespace' : 'the Service sets none') : placeholder ? '`system` is the placeholder that a kustomize overlay\'s `namespace:` replaces, and no Namespace `system` is in the run' : 'the workloads set none'})`, namespace: o.namespace, podLabels: svc.selector } } : {}),
          data: {
            selector,
            namespace,
            defaulted: !o.namespaceDefaulted ? '' : getIn(o.body, ['metadata', 'namespace']) !== undefined ? ` (the chart gives it the release's namespace, which \`helm template\` without a namespace renders as ${code(o.namespace)})` : ' (the Service sets no metadata.namespace, so it goes to the default namespace)',
            matches: list(elsewhere.map((t) => `${where(t)} in namespace ${code(t.namespace)}${t.owner.namespaceDefaulted ? ' (which sets no metadata.namespace)' : ''}`), 3),
          },
          related: elsewhere.slice(0, 3).map((t) => rel(t, `matching pod template in namespace \`${t.namespace}\``)),
        });
        continue;
      }

      // Operators create pods from custom resources (Prometheus, Alertmanager, database clusters):
      // a selector that names a resource of the namespace — its labels, its name as a label
      // value, or a label key in its API group — may well match pods the run cannot see.
      const operated = operatorOf(o.namespace, svc.selector);
      // prometheus-operator gives its pods a known set of labels: a selector key outside it
      // (the resource's own labels, `app`, which v0.48.0 dropped) matches none of them.
      const unlabelled = operated ? operatorLabelMiss(operated.source.object, svc.selector, graph.objects) : undefined;
      // Every entry on labels the operator's pods carry: they match.
      if (unlabelled && unlabelled.missing.length === 0) continue;
      if (operated && unlabelled) {
        report({
          ...base,
          messageId: 'operatorLabels',
          severity: 'warning',
          data: { selector, resource: describe(refOf(operated.source.object)), keys: list(unlabelled.missing.map((k) => code(k)), 4), labels: list(unlabelled.labels.map((k) => code(k)), 8) },
          related: [{ object: operated.source.object, path: ['metadata', 'name'], message: `custom resource ${describe(refOf(operated.source.object))}` }],
          remediation: 'Select the pods by labels the operator sets (`prometheus: <name>` or `app.kubernetes.io/instance: <name>`), or add the label to `spec.podMetadata.labels` of the resource.',
        });
        continue;
      }
      if (operated) {
        report({
          ...base,
          messageId: 'operator',
          severity: 'info',
          absent,
          data: { selector, namespace, resource: describe(refOf(operated.source.object)), shared: operated.why },
          related: [{ object: operated.source.object, path: ['metadata', 'name'], message: `custom resource ${describe(refOf(operated.source.object))}` }],
          remediation: 'Check that the operator labels its pods with every key of this selector, or lint the rendered pods with it.',
        });
        continue;
      }

      if (candidates.length === 0) {
        // Live, an empty namespace is a fact, not a gap in the files given: the Service has no endpoints.
        if (graph.settings.live) report({ ...base, messageId: 'liveNoPodsInNamespace', data: { selector, namespace } });
        else report({ ...base, messageId: 'noTemplates', severity: 'warning', absent, data: { selector, namespace } });
        continue;
      }

      const groups = groupsOf(o.namespace, candidates);
      // Pods of one workload share their labels (a live namespace holds a template per pod): each
      // distinct label set is compared once, and only its first three templates (by id) can be
      // among the nearest three. A selector on a label a controller sets depends on the template itself.
      // The nearest depend on the namespace and the selector alone: copies of an application ask once.
      const rankKey = JSON.stringify([o.namespace, Object.entries(svc.selector)]);
      const perTemplate = Object.keys(svc.selector).some((k) => CONTROLLER_LABELS.has(k));
      const ranked = nearest.get(rankKey) ?? groups.sets
        .flatMap((g) => {
          if (g.templates.length === 0) return [];
          if (perTemplate) return g.templates.map((t) => ({ t, d: diff(svc.selector, t) }));
          const d = diff(svc.selector, g.templates[0]!);
          return g.templates.slice(0, 3).map((t) => ({ t, d }));
        })
        .map((c) => ({ ...c, s: score(c.d) }))
        .filter((c) => c.s > 0)
        .sort((a, b) => b.s - a.s || a.t.id - b.t.id)
        .slice(0, 3);
      nearest.set(rankKey, ranked);
      if (ranked.length > 0) {
        // Point at the first selector entry the nearest template gets wrong.
        const wrong = ranked[0]!.d.find((x) => x.kind !== 'equal');
        report({
          ...base,
          path: wrong ? [...svc.selectorPath, wrong.key] : svc.selectorPath,
          messageId: 'nearMiss',
          // A label one typo (isStrongTypo: a character or two, not a third of the word) or one renamed key away is evidence, and so is a label the controller of a
          // template in the run would set otherwise; labels merely shared are not, nor a template
          // in a folder far from the Service (another sample of a collection).
          // So is the nearest being the workload named as the Service (one side changed, not the other).
          absent: { ...absent, nearMiss: near(ranked[0]!.t.owner, o) && ((ranked[0]!.t.owner.name === o.name && ranked[0]!.t.owner.kind !== 'Pod') || ranked[0]!.d.some((x) => (x.kind === 'value' && isStrongTypo(x.want, x.found)) || (x.kind === 'key' && (ranked[0]!.t.labels[x.found] === svc.selector[x.key] || isStrongTypo(x.key, x.found))) || x.kind === 'controller')) },
          data: { selector, namespace, candidates: ranked.map((c) => `${where(c.t)} has ${explain(c.d, c.t.labels)}`).join('; ') },
          related: ranked.map((c) => rel(c.t, `nearest pod template: ${where(c.t)}`)),
        });
        continue;
      }
      // The workload named as the Service, beside it, whose pods have the selector's keys (or
      // some of its labels): an overlay or a later edit changed one side only.
      const twin = candidates.find((t) => t.owner.name === o.name && t.owner.kind !== 'Pod' && near(t.owner, o)
        && (Object.keys(svc.selector).every((k) => t.labels[k] !== undefined) || Object.entries(svc.selector).some(([k, v]) => t.labels[k] === v)));
      if (twin) {
        const d = diff(svc.selector, twin);
        const wrong = d.find((x) => x.kind !== 'equal');
        report({
          ...base,
          path: wrong ? [...svc.selectorPath, wrong.key] : svc.selectorPath,
          messageId: 'nearMiss',
          absent: { ...absent, nearMiss: true },
          data: { selector, namespace, candidates: `${where(twin)}, named as this Service, has ${explain(d, twin.labels)}` },
          related: [rel(twin, `pod template of ${where(twin)}`)],
        });
        continue;
      }
      const keys = Object.keys(svc.selector);
      const values = new Set<string>();
      for (const { labels } of groups.sets) for (const k of keys) if (labels[k] !== undefined) values.add(pair(k, labels[k]!));
      report({
        ...base,
        messageId: 'noCandidates',
        absent,
        data: {
          selector,
          namespace,
          count: candidates.length,
          known: values.size ? ` (found ${list([...values], 5)})` : '',
        },
      });
    }
    istioGateways(graph, report);
    // InferencePools select the model servers of their own namespace as Services select pods.
    for (const pool of inferencePools(graph)) {
      const o = pool.object;
      const entries = Object.entries(pool.selector);
      if (entries.length === 0) continue;
      const candidates = graph.templatesIn(o.namespace);
      if (candidates.some((t) => entries.every(([k, v]) => t.labels[k] === v))) continue;
      const selector = selectorText(pool.selector);
      const namespace = code(o.namespace);
      const base = { object: o, path: pool.selectorPath };
      const absent = { what: `pods with ${selector} in namespace ${namespace}`, namespace: o.namespace, podLabels: pool.selector };
      const elsewhere = graph.selectAnywhere(pool.selector).filter((t) => t.namespace !== o.namespace);
      if (elsewhere.length > 0) {
        report({
          ...base,
          messageId: 'poolOtherNamespace',
          ...(o.namespaceDefaulted || elsewhere.every((t) => t.owner.namespaceDefaulted) ? { absent } : {}),
          data: { selector, namespace, matches: list(elsewhere.map((t) => `${where(t)} in namespace ${code(t.namespace)}`), 3) },
          related: elsewhere.slice(0, 3).map((t) => rel(t, `matching pod template in namespace \`${t.namespace}\``)),
        });
        continue;
      }
      if (candidates.length === 0) {
        report({ ...base, messageId: 'poolNoMatch', severity: 'warning', absent, data: { selector, namespace, why: ': there is no pod template in that namespace among the linted files' } });
        continue;
      }
      const ranked = groupsOf(o.namespace, candidates).sets
        .flatMap((g) => g.templates.slice(0, 3).map((t) => ({ t, d: diff(pool.selector, t) })))
        .map((c) => ({ ...c, s: score(c.d) }))
        .filter((c) => c.s > 0)
        .sort((a, b) => b.s - a.s || a.t.id - b.t.id)
        .slice(0, 3);
      if (ranked.length > 0) {
        const wrong = ranked[0]!.d.find((x) => x.kind !== 'equal');
        report({
          ...base,
          path: wrong ? [...pool.selectorPath, wrong.key] : pool.selectorPath,
          messageId: 'poolNearMiss',
          absent: { ...absent, nearMiss: near(ranked[0]!.t.owner, o) && ranked[0]!.d.some((x) => (x.kind === 'value' && isStrongTypo(x.want, x.found)) || (x.kind === 'key' && (ranked[0]!.t.labels[x.found] === pool.selector[x.key] || isStrongTypo(x.key, x.found)))) },
          data: { selector, namespace, candidates: ranked.map((c) => `${where(c.t)} has ${explain(c.d, c.t.labels)}`).join('; ') },
          related: ranked.map((c) => rel(c.t, `nearest pod template: ${where(c.t)}`)),
        });
        continue;
      }
      report({ ...base, messageId: 'poolNoMatch', absent, data: { selector, namespace, why: ` (none of its ${candidates.length} pod templates has a label close to it)` } });
    }
  },
};

/**
 * The selector keys a pod of a prometheus-operator Prometheus or Alertmanager never carries
 * (pkg/prometheus/server/statefulset.go and pkg/alertmanager/statefulset.go: the selector labels
 * `app.kubernetes.io/{name,managed-by,instance}`, `prometheus`/`alertmanager`,
 * `operator.prometheus.io/{name,shard}`, BuildPodMetadata's `app.kubernetes.io/version`, and
 * spec.podMetadata.labels); undefined where it may carry every one, or the operator's `--labels`
 * may add labels the run cannot see.
 */
const operatorsCache = new WeakMap<readonly unknown[], readonly { kind: string; body: Record<string, unknown> }[]>();
/** The Deployments of the run whose containers mention prometheus-operator (found once per run). */
function prometheusOperators(objects: readonly { kind: string; body: Record<string, unknown> }[]): readonly { kind: string; body: Record<string, unknown> }[] {
  let out = operatorsCache.get(objects);
  if (!out) operatorsCache.set(objects, (out = objects.filter((x) => x.kind === 'Deployment' && /prometheus-operator/.test(JSON.stringify(getIn(x.body, ['spec', 'template', 'spec', 'containers']) ?? '')))));
  return out;
}

function operatorLabelMiss(o: { kind: string; apiVersion: string; name: string; body: Record<string, unknown> }, selector: Record<string, string>, objects: readonly { kind: string; body: Record<string, unknown> }[]): { missing: string[]; labels: string[] } | undefined {
  if (!/^monitoring\.coreos\.com\//.test(o.apiVersion) || (o.kind !== 'Prometheus' && o.kind !== 'Alertmanager')) return undefined;
  const own = o.kind === 'Prometheus' ? 'prometheus' : 'alertmanager';
  // The selector must be aimed at this resource's pods: its name among the entries.
  if (!(selector[own] === o.name || selector['app.kubernetes.io/instance'] === o.name || selector['operator.prometheus.io/name'] === o.name)) return undefined;
  // Each label the pods carry, with its value where the run knows it (undefined: any value).
  const known = new Map<string, string | undefined>([['app.kubernetes.io/name', own], ['app.kubernetes.io/managed-by', 'prometheus-operator'], ['app.kubernetes.io/instance', o.name], ['app.kubernetes.io/version', undefined], [own, o.name]]);
  if (own === 'prometheus') {
    known.set('operator.prometheus.io/name', o.name);
    known.set('operator.prometheus.io/shard', undefined);
  }
  for (const [k, v] of Object.entries(stringMap(getIn(o.body, ['spec', 'podMetadata', 'labels'])))) known.set(k, v);
  // The operator's own `--labels` flag adds labels to what it makes.
  const operators = prometheusOperators(objects);
  if (operators.some((x) => JSON.stringify(getIn(x.body, ['spec', 'template', 'spec', 'containers'])).includes('--labels'))) return undefined;
  // Before v0.48.0 the pods carried `app: prometheus` (or `app: alertmanager`) too.
  const images = operators.flatMap((x) => JSON.stringify(getIn(x.body, ['spec', 'template', 'spec', 'containers']) ?? '').match(/prometheus-operator:v?(\d+)\.(\d+)/g) ?? []);
  if (images.some((i) => { const m = /:v?(\d+)\.(\d+)/.exec(i)!; return Number(m[1]) === 0 && Number(m[2]) < 48; })) known.set('app', own);
  const missing = Object.entries(selector).filter(([k, v]) => !known.has(k) || (known.get(k) !== undefined && known.get(k) !== v)).map(([k]) => k);
  return { missing, labels: [...known.keys()].sort() };
}

/** Words of label keys and values that say nothing about which operator made the pods. */
const GENERIC = new Set(['app', 'kubernetes', 'name', 'component', 'instance', 'part', 'role', 'cluster', 'type', 'master', 'primary', 'replica', 'leader', 'node', 'true', 'false']);

/**
 * The custom resource a selector points at, and in what words: every selector entry on its
 * labels (or its name), a selector value equal to its name, a selector key in its API group.
 * When several resources qualify, the one the selector also names by kind or group wins
 * (`app.kubernetes.io/component: redis` picks a `RedisFailover` over a `postgresql`).
 */
function operatorEvidence(selector: Record<string, string>, sources: CustomPodSource[]): { source: CustomPodSource; why: string } | undefined {
  const entries = Object.entries(selector);
  const words = new Set(entries.flatMap(([k, v]) => [...k.split(/[/.-]/), ...v.split(/[.-]/)]).map((w) => w.toLowerCase()).filter((w) => w.length >= 3 && !GENERIC.has(w)));
  let best: { source: CustomPodSource; why: string; score: number } | undefined;
  // The selector key in the resource's API group, per apiVersion: a namespace's resources share a few.
  const groupEntry = new Map<string, [string, string] | undefined>();
  for (const c of candidates(entries, sources)) {
    const all = entries.every(([k, v]) => c.labels[k] === v || v === c.object.name);
    const named = entries.find(([, v]) => v === c.object.name);
    let inGroup: [string, string] | undefined;
    if (groupEntry.has(c.object.apiVersion)) inGroup = groupEntry.get(c.object.apiVersion);
    else {
      const g = c.object.apiVersion.split('/')[0]!;
      inGroup = entries.find(([k]) => {
        const prefix = k.includes('/') ? k.split('/')[0]! : '';
        return prefix !== '' && (g === prefix || g.endsWith(`.${prefix}`));
      });
      groupEntry.set(c.object.apiVersion, inGroup);
    }
    // Most resources of a namespace share nothing with the selector.
    if (!all && !named && !inGroup) continue;
    const group = c.object.apiVersion.split('/')[0]!;
    const shared = entries.filter(([k, v]) => c.labels[k] === v);
    let why: string | undefined;
    let score = 0;
    if (all) {
      why = shared.length ? `carries ${list(shared.map(([k, v]) => pair(k, v)), 3)}` : `is named ${code(c.object.name)}`;
      score = 4;
    } else if (named) {
      why = `is named ${code(c.object.name)}, like the selector's ${pair(named[0], named[1])}`;
      score = 2;
    } else if (inGroup) {
      why = `is in API group ${code(group)}, like the selector key ${code(inGroup[0])}`;
      score = 1;
    }
    if (!why) continue;
    if (named && inGroup) score += 1;
    const kindWords = `${c.object.kind} ${group}`.toLowerCase();
    if ([...words].some((w) => kindWords.includes(w))) score += 2;
    if (!best || score > best.score) best = { source: c, why, score };
  }
  return best;
}

/** A namespace's custom resources indexed by label, name and apiVersion (once per run: every Service without pods asks). */
interface SourceIndex {
  byLabel: Map<string, number[]>;
  byName: Map<string, number[]>;
  byApiVersion: Map<string, number[]>;
}

const sourceIndexes = new WeakMap<readonly CustomPodSource[], SourceIndex>();

function indexOf(sources: readonly CustomPodSource[]): SourceIndex {
  let ix = sourceIndexes.get(sources);
  if (ix) return ix;
  ix = { byLabel: new Map(), byName: new Map(), byApiVersion: new Map() };
  const add = (m: Map<string, number[]>, key: string, i: number) => {
    const at = m.get(key);
    if (at) at.push(i);
    else m.set(key, [i]);
  };
  sources.forEach((c, i) => {
    for (const [k, v] of Object.entries(c.labels)) add(ix!.byLabel, `${k}\u0000${v}`, i);
    add(ix!.byName, c.object.name, i);
    add(ix!.byApiVersion, c.object.apiVersion, i);
  });
  sourceIndexes.set(sources, ix);
  return ix;
}

/**
 * The resources that may qualify for operatorEvidence(), in their order: those that carry
 * the first entry or bear its value as name (every entry on its labels or name), those named
 * like an entry's value, and those of an API group an entry's key is in. Every other one
 * shares nothing with the selector.
 */
function candidates(entries: [string, string][], sources: readonly CustomPodSource[]): CustomPodSource[] {
  if (entries.length === 0) return [...sources];
  const ix = indexOf(sources);
  const at = new Set<number>();
  const take = (list: number[] | undefined) => {
    for (const i of list ?? []) at.add(i);
  };
  const [k0, v0] = entries[0]!;
  take(ix.byLabel.get(`${k0}\u0000${v0}`));
  for (const [, v] of entries) take(ix.byName.get(v));
  for (const [apiVersion, list] of ix.byApiVersion) {
    const g = apiVersion.split('/')[0]!;
    if (entries.some(([k]) => {
      const prefix = k.includes('/') ? k.split('/')[0]! : '';
      return prefix !== '' && (g === prefix || g.endsWith(`.${prefix}`));
    })) take(list);
  }
  return [...at].sort((a, b) => a - b).map((i) => sources[i]!);
}

const ownerLabels = (t: PodTemplate) => stringMap((t.owner.body.metadata as Record<string, unknown> | undefined)?.labels);

/**
 * The first workload of a namespace (in order) whose own labels the selector matches. Its
 * workloads are indexed once by label, so that each Service reads only those carrying the
 * rarest of its selector's labels, not every workload of the namespace.
 */
function workloadLabelled(g: { workloads: PodTemplate[]; byOwnerLabel?: Map<string, number[]> }, svc: ServiceNode): PodTemplate | undefined {
  const entries = Object.entries(svc.selector);
  if (entries.length === 0) return g.workloads[0];
  if (!g.byOwnerLabel) {
    g.byOwnerLabel = new Map();
    g.workloads.forEach((t, i) => {
      for (const [k, v] of Object.entries(ownerLabels(t))) {
        const key = `${k}\u0000${v}`;
        const at = g.byOwnerLabel!.get(key);
        if (at) at.push(i);
        else g.byOwnerLabel!.set(key, [i]);
      }
    });
  }
  let fewest: number[] | undefined;
  for (const [k, v] of entries) {
    const at = g.byOwnerLabel.get(`${k}\u0000${v}`);
    if (!at) return undefined;
    if (!fewest || at.length < fewest.length) fewest = at;
  }
  for (const i of fewest!) if (matches(svc, ownerLabels(g.workloads[i]!))) return g.workloads[i];
  return undefined;
}

function matches(svc: ServiceNode, labels: Record<string, string>): boolean {
  return Object.entries(svc.selector).every(([k, v]) => labels[k] === v);
}

function rel(t: PodTemplate, message: string): RelatedReport {
  return { object: t.owner, path: t.labelsPath, message };
}

export default rule;
