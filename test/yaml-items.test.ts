import fc from 'fast-check';
import { dump } from 'js-yaml';
import { isMap, isSeq, parseDocument, stringify, type Document, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlListItems } from '../src/load/yaml-items.js';
import { parsedAsItem, PARSE_OPTIONS } from '../src/load/document.js';
import { rangeInDocument } from '../src/engine/locate.js';
import { lintText } from '../src/lint.js';
import type { Path } from '../src/types/object.js';

/** Every path to a node of a parsed document (keys as written, indexes as numbers). */
function pathsOf(node: Node | null, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (isMap(node)) for (const p of node.items) pathsOf(p.value as Node | null, [...at, String((p.key as { value?: unknown }).value)], out);
  else if (isSeq(node)) node.items.forEach((x, i) => pathsOf(x as Node, [...at, i], out));
  return out;
}

/** Each item alone: no errors, one entry, the same value, and every node at the offsets the whole document gives it. */
function sameAsWhole(text: string, count: number): number {
  const whole = parseDocument(text, PARSE_OPTIONS) as Document.Parsed;
  expect(whole.errors).toEqual([]);
  const items = yamlListItems(text, 0, text.length);
  if (count === 0) return 0; // `items: []`: a flow sequence, not split
  expect(items, text).toBeDefined();
  expect(items!.length, text).toBe(count);
  let nodes = 0;
  items!.forEach(([s, e], i) => {
    const alone = parseDocument(text.slice(s, e), PARSE_OPTIONS) as Document.Parsed;
    expect(parsedAsItem(alone, [0]), text.slice(s, e)).toBe(true);
    expect((alone.toJS() as unknown[])[0]).toEqual((whole.toJS() as { items: unknown[] }).items[i]);
    for (const p of pathsOf((alone.contents as { items: Node[] }).items[0] ?? null)) {
      nodes++;
      expect(rangeInDocument(alone, text, s, [0, ...p])).toEqual(rangeInDocument(whole, text, 0, ['items', i, ...p]));
    }
  });
  return nodes;
}

// Keys that are plain words, as Kubernetes objects have; values of every kind, multi-line strings included.
const key = fc.stringMatching(/^[a-z][a-zA-Z0-9.-]{0,8}$/);
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a\nb', 'line one\n\n  indented\nlast\n', ' lead', 'x: y', '- z', '# not a comment', '#!/bin/sh\necho "$A"\n', '"q"', "it's", ''));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;
const list = fc.record({ apiVersion: fc.constant('v1'), items: fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), { maxLength: 5 }), kind: fc.constant('List'), metadata: fc.dictionary(key, value, { maxKeys: 2 }) });
const layouts: ((v: unknown) => string)[] = [
  (v) => stringify(v), // the `yaml` package: entries indented under their key
  (v) => stringify(v, { indentSeq: false }), // kubectl's layout: entries at the key's column
  (v) => dump(v, { noRefs: true }),
  (v) => `---\n# a saved state\n${dump(v, { noRefs: true, lineWidth: 20 })}...\n`,
  (v) => stringify(v, { indentSeq: false, blockQuote: 'literal', lineWidth: 30 }),
];

describe('the items of a YAML List, parsed one by one (src/load/yaml-items.ts)', () => {
  it('give the same values and the same ranges, for every node, as parsing the whole document (differential, fixed seed)', () => {
    let nodes = 0;
    fc.assert(fc.property(list, fc.integer({ min: 0, max: layouts.length - 1 }), (value, layout) => {
      nodes += sameAsWhole(layouts[layout]!(value), value.items.length);
    }), { seed: 20261203, numRuns: 400 });
    expect(nodes).toBeGreaterThan(2000);
  });

  it('lines at or left of the entries\' column inside an item: comments, blank lines of a block scalar', () => {
    const cases = [
      'items:\n- a: 1\n# a comment at column 0, inside the first item\n  b: |\n    x\n\n    y\n- c: 2\nkind: List\n',
      'kind: List\nitems:\n  - a: 1\n  # between items\n  - b: [1,\n      2]\n    c: "two\n      lines"\n  -\n    d: 4\nmetadata:\n  x: 1\n',
      'items:\n- - nested\n  - seq\n- plain multi\n  line scalar\n- {flow: map,\n   over: lines}\n',
      'items:   # the list\n- a: 1\r\n- b: 2\r\n',
    ];
    for (const t of cases) sameAsWhole(t, (parseDocument(t).toJS() as { items: unknown[] }).items.length);
  });

  it('is undefined for any other shape, so the whole document is parsed', () => {
    for (const t of [
      'items: [1, 2]\n', 'items:\n  a: 1\n', 'items:\n- 1\nitems:\n- 2\n', '- items\n', '"items":\n- 1\n', 'items:\n\t- 1\n', '? items\n: [1]\n',
      'kind: List\n', '--- a\n', 'items:\n',
    ]) {
      expect(yamlListItems(t, 0, t.length), t).toBeUndefined();
    }
  });

  it('an item that does not parse alone (an alias to another item\'s anchor) is found in its whole document', () => {
    const pad = 'x'.repeat(300 * 1024);
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, annotations: {pad: &p ${pad}}}\n  spec: {selector: {app: gone-a}, ports: [{port: 80}]}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b, annotations: {pad: *p}}\n  spec: {selector: {app: gone-b}, ports: [{port: 80}]}\n`;
    const lines = lintText(text, 'list.yaml').findings.filter((f) => f.ruleId === 'selector-no-match').map((f) => `${f.object!.name}:${f.location!.line}`);
    expect(lines).toEqual(['a:7', 'b:11']);
  });

  it('place findings in every item of a large YAML List where parsing the whole document places them', () => {
    const svc = (i: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: 'shop', annotations: { pad: 'x'.repeat(300) } }, spec: { selector: { app: `gone-${i}` }, ports: [{ port: 80, targetPort: 'http' }] } });
    const text = dump({ apiVersion: 'v1', items: Array.from({ length: 1200 }, (_, i) => svc(i)), kind: 'List', metadata: { resourceVersion: '' } });
    expect(text.length).toBeGreaterThan(256 * 1024);
    const whole = parseDocument(text, PARSE_OPTIONS) as Document.Parsed;
    const found = lintText(text, 'state.yaml').findings.filter((f) => f.ruleId === 'selector-no-match');
    expect(found.length).toBe(1200);
    for (const f of found) {
      const i = Number(f.object!.name.slice(4));
      const [start] = rangeInDocument(whole, text, 0, ['items', i, 'spec', 'selector']).range;
      expect(f.location).toMatchObject({ file: 'state.yaml', line: text.slice(0, start).split('\n').length });
    }
  });
});
