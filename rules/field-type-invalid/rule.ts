import type { Rule, RuleContext } from '../../src/types/rule.js';
import { formatPath, type K8sObject, type Path } from '../../src/types/object.js';
import { podSourceOf } from '../../src/graph/pods.js';
import { hasSchema } from '../../src/kubernetes.js';
import { code } from '../../src/text.js';

type Want = 'object' | 'array' | 'string' | 'integer' | 'int-or-string' | 'boolean';

/** Pod template fields svclint's graph reads; `[]` is every item of a list, `*` every value of a map. */
const TEMPLATE: [string, Want][] = [
  ['metadata', 'object'], ['metadata.labels', 'object'], ['metadata.labels.*', 'string'],
  ['spec', 'object'], ['spec.containers', 'array'], ['spec.containers.[]', 'object'],
  ['spec.containers.[].name', 'string'], ['spec.containers.[].ports', 'array'], ['spec.containers.[].ports.[]', 'object'],
  ['spec.containers.[].ports.[].containerPort', 'integer'], ['spec.containers.[].ports.[].name', 'string'],
  ['spec.containers.[].ports.[].protocol', 'string'],
  ['spec.initContainers', 'array'], ['spec.initContainers.[]', 'object'],
  ['spec.initContainers.[].ports', 'array'], ['spec.initContainers.[].ports.[]', 'object'],
  ['spec.initContainers.[].ports.[].containerPort', 'integer'], ['spec.initContainers.[].ports.[].name', 'string'],
];

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

function ok(v: unknown, want: Want): boolean {
  switch (want) {
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'int-or-string': return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    case 'boolean': return typeof v === 'boolean';
  }
}

const WANT_TEXT: Record<Want, string> = {
  object: 'a map', array: 'a list', string: 'a string', integer: 'an integer', 'int-or-string': 'an integer or a port name', boolean: 'true or false',
};

/** Visits every value at a dotted pattern, calling back with its concrete path. */
function visit(root: unknown, pattern: string[], path: Path, cb: (v: unknown, p: Path) => void): void {
  if (root === undefined || root === null) return;
  if (pattern.length === 0) return cb(root, path);
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '[]') {
    if (Array.isArray(root)) root.forEach((v, i) => visit(v, rest, [...path, i], cb));
    return;
  }
  if (head === '*') {
    if (typeof root === 'object' && !Array.isArray(root)) for (const [k, v] of Object.entries(root)) visit(v, rest, [...path, k], cb);
    return;
  }
  if (typeof root !== 'object' || Array.isArray(root)) return;
  const v = (root as Record<string, unknown>)[head];
  if (v === undefined || v === null) return; // Go reads null as absent
  visit(v, rest, [...path, head], cb);
}

type Spec = [string[], Want];
const compile = (specs: [string, Want][]): Spec[] => specs.map(([p, w]) => [p.split('.'), w]);
const TEMPLATE_SPECS = compile(TEMPLATE);

function checkAll(ctx: RuleContext, o: K8sObject, base: Path, specs: Spec[]): void {
  let root: unknown = o.body;
  for (const seg of base) root = (root as Record<string, unknown> | undefined)?.[seg as string];
  if (root === undefined) return;
  for (const [pattern, want] of specs) {
    visit(root, pattern, base, (v, p) => {
      if (!ok(v, want)) {
        ctx.report({
          object: o,
          path: p,
          messageId: want === 'string' && (typeof v === 'number' || typeof v === 'boolean') ? 'quote' : 'type',
          data: { field: code(formatPath(p)), want: WANT_TEXT[want], found: typeOf(v), value: code(String(v)) },
        });
      }
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'field-type-invalid',
    description: 'A pod template field with the wrong type in a workload whose kind or API version has no bundled schema (older API versions, Argo Rollouts), which the API server rejects.',
    category: 'schema',
    severity: 'error',
    messages: {
      type: '{{field}} must be {{want}}, found {{found}}',
      quote: '{{field}} must be a string, found {{found}} {{value}}; the API server rejects it (quote the value)',
    },
    remediation: 'Give the field the type the Kubernetes API expects.',
  },
  check(ctx) {
    for (const o of ctx.graph.objects) {
      // Kinds with a bundled API schema are checked, more fully, by schema-invalid.
      if (hasSchema(o.apiVersion, o.kind)) continue;
      const spot = podSourceOf(o);
      if (spot) checkAll(ctx, o, spot.template, TEMPLATE_SPECS);
    }
  },
};

export default rule;
