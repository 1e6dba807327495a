import type { Rule } from '../../src/types/rule.js';
import { isRecord } from '../../src/load/objects.js';
import { describe, refOf } from '../../src/types/object.js';
import { code, list, pair } from '../../src/text.js';
import { stringMap } from '../../src/graph/pods.js';

const NEEDS_SELECTOR = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** What ValidateLabelSelector refuses in an expression, by its index: values with an operator that takes none, none where it needs some. */
function malformed(selector: Record<string, unknown>): { index: number; why: string }[] {
  const out: { index: number; why: string }[] = [];
  (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []).forEach((e, index) => {
    if (!isRecord(e) || typeof e.key !== 'string') return;
    const n = Array.isArray(e.values) ? e.values.length : 0;
    const expr = code(`${e.key} ${String(e.operator)}`);
    if ((e.operator === 'In' || e.operator === 'NotIn') && n === 0) out.push({ index, why: `expression ${expr} has no values, and ${code(String(e.operator))} needs at least one` });
    else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && n > 0) out.push({ index, why: `expression ${expr} has values, and ${code(String(e.operator))} takes none` });
    else if (typeof e.operator === 'string' && !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) out.push({ index, why: `expression ${expr}: ${code(e.operator)} is not one of \`In\`, \`NotIn\`, \`Exists\` and \`DoesNotExist\`` });
  });
  return out;
}

/** Why a LabelSelector does not select these labels; empty when it does. */
function misses(selector: Record<string, unknown>, labels: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(stringMap(selector.matchLabels))) {
    if (labels[k] === undefined) out.push(`the template has no label ${code(k)} (selector wants ${pair(k, v)})`);
    else if (labels[k] !== v) out.push(`the selector wants ${pair(k, v)}, the template has ${pair(k, labels[k]!)}`);
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isRecord(e) || typeof e.key !== 'string') continue;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = labels[e.key] !== undefined;
    const ok =
      e.operator === 'In' ? has && values.includes(labels[e.key]!)
      : e.operator === 'NotIn' ? !has || !values.includes(labels[e.key]!)
      : e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
      : true;
    if (!ok) out.push(`expression ${code(`${e.key} ${e.operator}${values.length ? ` (${values.join(', ')})` : ''}`)} does not hold for the template's labels`);
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'workload-selector-mismatch',
    description: 'A workload whose spec.selector does not select its own pod template (or is empty where a selector is required), which the API server rejects.',
    category: 'selector',
    severity: 'error',
    messages: {
      mismatch: 'the selector of {{workload}} does not match its own pod template: {{why}}',
      malformed: 'the selector of {{workload}} is invalid: {{why}}; the API server rejects the workload',
      empty: '{{workload}} has an empty spec.selector, which would select every pod in the namespace; the API server rejects it',
    },
    remediation: 'Make spec.selector.matchLabels a subset of spec.template.metadata.labels.',
  },
  check({ graph, report }) {
    for (const t of graph.templates) {
      const o = t.owner;
      if (o.kind === 'Pod' || o.kind === 'CronJob') continue;
      const spec = isRecord(o.body.spec) ? o.body.spec : {};
      const workload = describe(refOf(o));
      const sel = spec.selector;
      // A missing selector is a schema error (schema-invalid reports it).
      if (sel === undefined || sel === null) continue;
      if (!isRecord(sel)) continue;
      if (o.kind === 'ReplicationController') {
        // A plain map, like a Service selector.
        const why = Object.entries(stringMap(sel)).filter(([k, v]) => t.labels[k] !== v).map(([k, v]) => (t.labels[k] === undefined ? `the template has no label ${code(k)} (selector wants ${pair(k, v)})` : `the selector wants ${pair(k, v)}, the template has ${pair(k, t.labels[k]!)}`));
        if (why.length) report({ object: o, path: ['spec', 'selector'], messageId: 'mismatch', data: { workload, why: list(why, 3) } });
        continue;
      }
      const empty = Object.keys(stringMap(sel.matchLabels)).length === 0 && !(Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0);
      if (empty) {
        if (NEEDS_SELECTOR.has(o.kind)) report({ object: o, path: ['spec', 'selector'], messageId: 'empty', data: { workload } });
        continue;
      }
      // A selector the API server refuses outright says so, not that it misses the template.
      const bad = malformed(sel);
      for (const b of bad) report({ object: o, path: ['spec', 'selector', 'matchExpressions', b.index], messageId: 'malformed', data: { workload, why: b.why } });
      if (bad.length) continue;
      const why = misses(sel, t.labels);
      if (why.length) report({ object: o, path: ['spec', 'selector'], messageId: 'mismatch', data: { workload, why: list(why, 3) }, related: [{ object: o, path: t.labelsPath, message: 'the pod template labels' }] });
    }
  },
};

export default rule;
