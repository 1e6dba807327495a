import type { PodTemplate } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { getIn, stringMap } from './pods.js';
import type { NamespaceLabels } from './netpol-model.js';
import { sameTree } from './referrers.js';
import { code } from '../text.js';

/**
 * Whether a pod template's pods run in the Istio mesh, as the sidecar injector's webhooks and
 * ambient mode decide: `in` with the evidence, `out` with it (`explicit` when the pods opt out
 * themselves), undefined when the run cannot tell (the namespace is not among the files).
 */
export type Membership = { in: true; how: string } | { in: false; how: string; explicit: boolean } | undefined;

export function membership(t: PodTemplate, namespaces: NamespaceLabels): Membership {
  const meta = t.path.length ? getIn(t.owner.body, [...t.path, 'metadata']) : getIn(t.owner.body, ['metadata']);
  const annotations = stringMap(isRecord(meta) ? meta.annotations : undefined);
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  if (isRecord(spec) && spec.hostNetwork === true) return { in: false, how: 'its pods use `hostNetwork`, where no sidecar is injected', explicit: true };
  const podInject = t.labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  if (podInject === 'false') return { in: false, how: 'its pods set `sidecar.istio.io/inject: "false"`', explicit: true };
  const podMode = t.labels['istio.io/dataplane-mode'];
  if (podMode === 'ambient') return { in: true, how: 'its pods are labelled `istio.io/dataplane-mode: ambient`' };
  // A Namespace object speaks for the workload only when it comes with it (its folder, or one
  // above or below): `default` written by another project says nothing of this one's labels.
  const nsObject = t.owner.namespaceDefaulted ? undefined : namespaces.defined.get(t.namespace);
  const known = nsObject !== undefined && sameTree(nsObject, t.owner);
  const labels = known ? namespaces.labels(t.namespace).labels : {};
  const ns = code(t.namespace);
  if (labels['istio-injection'] === 'disabled') return { in: false, how: `namespace ${ns} is labelled \`istio-injection: disabled\``, explicit: true };
  if (labels['istio-injection'] === 'enabled') return { in: true, how: `namespace ${ns} is labelled \`istio-injection: enabled\`` };
  if (labels['istio.io/rev'] !== undefined) return { in: true, how: `namespace ${ns} is labelled \`istio.io/rev: ${labels['istio.io/rev']}\`` };
  if (labels['istio.io/dataplane-mode'] === 'ambient' && podMode !== 'none') return { in: true, how: `namespace ${ns} is labelled \`istio.io/dataplane-mode: ambient\`` };
  // The injector's object selector: a pod label opts in where the namespace says nothing.
  if (t.labels['sidecar.istio.io/inject'] === 'true') return { in: true, how: 'its pods are labelled `sidecar.istio.io/inject: "true"`' };
  // So does a revision label (the injector's `rev.object` webhook, for a revision that exists).
  if (t.labels['istio.io/rev'] !== undefined) return { in: true, how: `its pods are labelled \`istio.io/rev: ${t.labels['istio.io/rev']}\`` };
  if (!known) return undefined;
  return { in: false, how: `namespace ${ns} has no \`istio-injection\`, \`istio.io/rev\` or ambient label and its pods do not opt in`, explicit: false };
}
