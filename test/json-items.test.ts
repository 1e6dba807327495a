import fc from 'fast-check';
import { isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonListItems } from '../src/load/json-items.js';
import { PARSE_OPTIONS } from '../src/load/document.js';
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

const json = fc.jsonValue({ maxDepth: 4 });
const list = fc.record({ kind: fc.constant('List'), apiVersion: fc.constant('v1'), items: fc.array(json, { maxLength: 6 }), metadata: fc.dictionary(fc.string(), json, { maxKeys: 2 }) });
const layouts = [(v: unknown) => JSON.stringify(v), (v: unknown) => JSON.stringify(v, null, 2), (v: unknown) => `\n ${JSON.stringify(v, null, '\t')}\n`];

describe('the items of a JSON List, parsed one by one (src/load/json-items.ts)', () => {
  it('give the same values and the same ranges, for every node, as parsing the whole document (differential, fixed seed)', () => {
    let nodes = 0;
    fc.assert(fc.property(list, fc.constantFrom(...layouts), (value, layout) => {
      const text = layout(value);
      const whole = parseDocument(text, PARSE_OPTIONS) as Document.Parsed;
      const items = jsonListItems(text, 0, text.length);
      expect(items).toBeDefined();
      expect(items!.length).toBe(value.items.length);
      items!.forEach(([s, e], i) => {
        const alone = parseDocument(text.slice(s, e), PARSE_OPTIONS) as Document.Parsed;
        expect(alone.errors).toEqual([]);
        expect(alone.toJS()).toEqual(whole.toJS().items[i]);
        for (const p of pathsOf(alone.contents as Node | null)) {
          nodes++;
          expect(rangeInDocument(alone, text, s, p)).toEqual(rangeInDocument(whole, text, 0, ['items', i, ...p]));
        }
      });
    }), { seed: 20261203, numRuns: 300 });
    expect(nodes).toBeGreaterThan(1000);
  });

  it('is undefined for anything but plain JSON of that shape, so the whole document is parsed', () => {
    for (const text of ['items: [1, 2]', '{"items": [a"b]}', '{"items": [1] # c\n}', '{"items": [1], "items": [2]}', '{"kind": "List"}', '[1, 2]', '{"items": [1, 2]} x', "{'items': [1]}", '{"items": [tru]}']) {
      expect(jsonListItems(text, 0, text.length)).toBeUndefined();
    }
    // A nested `items` is not the List's; brackets and quotes inside strings are text.
    const text = '{"a": {"items": [9]}, "items": [ {"x": "]\\"}"} , 2 ]}';
    expect(jsonListItems(text, 0, text.length)).toEqual([[33, 46], [49, 50]]);
  });

  it('place findings in every item of a large JSON List where parsing the whole document places them', () => {
    const svc = (i: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: 'shop', annotations: { pad: 'x'.repeat(300) } }, spec: { selector: { app: `gone-${i}` }, ports: [{ port: 80, targetPort: 'http' }] } });
    const items = Array.from({ length: 1200 }, (_, i) => svc(i));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);
    expect(text.length).toBeGreaterThan(256 * 1024);
    const whole = parseDocument(text, PARSE_OPTIONS) as Document.Parsed;
    const found = lintText(text, 'state.json').findings.filter((f) => f.ruleId === 'selector-no-match');
    expect(found.length).toBe(1200);
    for (const f of found) {
      const i = Number(f.object!.name.slice(4));
      const [start] = rangeInDocument(whole, text, 0, ['items', i, 'spec', 'selector']).range;
      const line = text.slice(0, start).split('\n').length;
      expect(f.location).toMatchObject({ file: 'state.json', line });
    }
  });

  it('a small List: each item located in its own place, whichever was located first (one node tree, many objects)', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n  spec: {selector: {app: gone-a}, ports: [{port: 80}]}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n  spec: {selector: {app: gone-b}, ports: [{port: 80}]}\n';
    const lines = lintText(text, 'list.yaml').findings.filter((f) => f.ruleId === 'selector-no-match').map((f) => `${f.object!.name}:${f.location!.line}`);
    expect(lines).toEqual(['a:7', 'b:11']);
  });
});
