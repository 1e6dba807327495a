import { describe, expect, it } from 'vitest';
// The built module: its worker thread is a compiled file next to it.
import { parseAll, PARALLEL_THRESHOLD_BYTES } from '../dist/src/load/parse-pool.js';
import { parseSource, parseText } from '../src/load/parse.js';
import { lintText } from '../src/lint.js';

describe('parsing', () => {
  it('gives the same values and problems on worker threads as in one thread, in file order', async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: "${'v'.repeat(200)}", on: yes}\n`;
    const files = Array.from({ length: 110 }, (_, f) => ({
      path: `f${f}.yaml`,
      text: f === 7 ? 'a: [broken\n' : Array.from({ length: 600 }, (_, i) => doc(f * 1000 + i)).join('---\n'),
    }));
    expect(files.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(PARALLEL_THRESHOLD_BYTES);
    const threaded = await parseAll(files, 2);
    const single = await parseAll(files, 1);
    expect(threaded).toEqual(single);
    expect(threaded[7]!.problems[0]!.messageId).toBe('syntaxError');
    expect((threaded[3]!.docs[5]!.value as { metadata: { name: string }; data: Record<string, unknown> }).metadata.name).toBe('cm-3005');
    expect((threaded[3]!.docs[5]!.value as { data: Record<string, unknown> }).data.true).toBe(true); // YAML 1.1: `on: yes` is true: true
  });

  it('sends a large CRD spec from a thread as JSON text of its own, decoded when first read into the value a single thread gives', async () => {
    const props = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field${i}`, { type: 'string', description: `the ${i}th field, described at length`.repeat(3) }]));
    const crd = (name: string) => JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group: 'x.io', names: { kind: 'X', plural: 'xs' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: props } } }] } });
    const filler = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f-${i}}\ndata: {k: "${'v'.repeat(2000)}"}\n`;
    const files = Array.from({ length: 120 }, (_, f) => ({
      path: `f${f}.yaml`,
      text: f === 5 ? `${crd('big.x.io')}\n---\n${JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'small.x.io' }, spec: { group: 'x.io' } })}\n` : Array.from({ length: 80 }, (_, i) => filler(f * 100 + i)).join('---\n'),
    }));
    expect(files.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(PARALLEL_THRESHOLD_BYTES);
    const threaded = await parseAll(files, 2);
    const [big, small] = threaded[5]!.docs.map((d) => d.value as Record<string, unknown>);
    expect(Object.getOwnPropertyDescriptor(big, 'spec')!.get).toBeDefined(); // not decoded yet
    expect(Object.getOwnPropertyDescriptor(small, 'spec')!.get).toBeUndefined(); // under DEFER_MIN_CHARS: sent as it is
    expect(Object.keys(big)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(threaded).toEqual(await parseAll(files, 1));
    expect(Object.getOwnPropertyDescriptor(big, 'spec')!.value).toEqual(JSON.parse(crd('big.x.io')).spec); // plain once read
  });

  it('sends values back from threads as JSON or, where the text may hold a negative zero, as a clone: the values are the same', async () => {
    const filler = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f-${i}}\ndata: {k: "${'v'.repeat(2000)}"}\n`;
    const odd = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: zero}\nspec: {a: -0.0, b: [-.0, -0_0.0, -0e3], c: -0, d: app-0.0}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\ndata: {__proto__: x, constructor: y, s: "\\ud800 é 😀", n: 1e300, m: -1.5e-300}\nlist: [~, null, true, 0x1F, 017, 1_000]\n',
    ];
    const files = Array.from({ length: 120 }, (_, f) => ({
      path: `f${f}.yaml`,
      text: f < odd.length ? odd[f]! : Array.from({ length: 80 }, (_, i) => filler(f * 100 + i)).join('---\n'),
    }));
    expect(files.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(PARALLEL_THRESHOLD_BYTES);
    const threaded = await parseAll(files, 2);
    const single = await parseAll(files, 1);
    expect(threaded).toEqual(single);
    const zero = threaded[0]!.docs[0]!.value as { spec: { a: number; b: number[]; c: number } };
    expect(Object.is(zero.spec.a, -0)).toBe(true);
    expect(zero.spec.b.every((x) => Object.is(x, -0))).toBe(true);
    expect(Object.is(zero.spec.c, 0)).toBe(true); // an int: Go's ParseInt gives 0
    const data = (threaded[1]!.docs[0]!.value as { data: Record<string, unknown> }).data;
    expect(Object.getOwnPropertyNames(data)).toEqual(Object.getOwnPropertyNames((single[1]!.docs[0]!.value as { data: object }).data));
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect(data.s).toBe('\ud800 é 😀');
  });

  it('never waits on a thread whose answer cannot be copied back: a deep document in a large input', async () => {
    // The serializer gives up on values nested a few thousand levels deep; the pool must notice.
    const big = { path: 'big.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: "${'x'.repeat(PARALLEL_THRESHOLD_BYTES)}"}\n` };
    for (const depth of [2000, 3000, 4000]) {
      const deep = { path: 'deep.yaml', text: `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n` };
      const after = { path: 'after.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n' };
      const threaded = await parseAll([big, deep, after], 2);
      expect(threaded[0]).toEqual((await parseAll([big], 1))[0]);
      expect((threaded[2]!.docs[0]!.value as { kind: string }).kind).toBe('Service');
      const d = threaded[1]!;
      expect(d.problems.length + d.docs.length).toBeGreaterThan(0);
    }
  });

  it('reads JSON, empty streams and comment-only files', () => {
    expect(parseText('{"apiVersion": "v1", "kind": "Service"}').docs[0]!.value).toEqual({ apiVersion: 'v1', kind: 'Service' });
    expect(parseText('').docs).toEqual([]);
    expect(parseText('# nothing\n').docs.every((d) => d.value === null)).toBe(true);
  });
});

describe('JSON files', () => {
  const commented = '{\n  // a comment\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "web"}\n}\n';

  it('a .json file that is not JSON (comments, trailing commas) is a yaml-syntax finding, not skipped', () => {
    for (const text of [commented, '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},}\n']) {
      const r = lintText(text, 'svc.json');
      expect(r.findings.map((f) => [f.ruleId, f.messageId])).toEqual([['yaml-syntax', 'syntaxError']]);
      expect(r.findings[0]!.message).toContain('not valid JSON');
    }
    expect(lintText(commented, 'svc.json').findings[0]!.location?.line).toBe(2);
  });

  it('a Jinja template is named as such where its statements break the YAML, and a YAML mistake beside a quoted template stays one', () => {
    const jinja = parseSource({ path: 'pool.yaml', text: 'kind: Pool\nspec:\n  blocks:\n{% for c in cidrs %}\n    - cidr: {{ c }}\n{% endfor %}\n' });
    expect(jinja.problems.map((p) => p.messageId)).toEqual(['jinjaTemplate']);
    const quoted = parseSource({ path: 'cm.yaml', text: 'kind: ConfigMap\ndata:\n  tpl: |\n    {% if x %}y{% endif %}\n  bad: [1, 2\n' });
    expect(quoted.problems.map((p) => p.messageId)).toEqual(['syntaxError']);
  });

  it('a .json file that holds no Kubernetes object (editor settings with comments) is not judged as JSON', () => {
    expect(parseSource({ path: '.vscode/settings.json', text: '{\n  // format on save\n  "editor.formatOnSave": true,\n}\n' }).problems).toEqual([]);
    // A data file of relaxed JSON lines that YAML cannot read (mongoimport's): no manifest either.
    expect(parseSource({ path: 'data/ratings_data.json', text: '{rating: 5}\n{rating: 4}\n' })).toEqual({ docs: [], problems: [] });
    // One that names a kind is still held to YAML and JSON.
    expect(parseSource({ path: 'svc.json', text: '{"apiVersion": "v1", "kind": "Service",\n' }).problems.length).toBeGreaterThan(0);
  });

  it('valid JSON and YAML-only .json files are read as before', () => {
    expect(parseSource({ path: 'a.json', text: '{"apiVersion": "v1", "kind": "Service"}' }).problems).toEqual([]);
    expect(parseSource({ path: 'a.json', text: 'apiVersion: v1\nkind: Service\n' }).problems).toEqual([]);
    expect(parseSource({ path: 'a.yaml', text: commented }).problems).toEqual([]);
  });
});

describe('bounded parsing', () => {
  it('keeps no empty document, and the others keep their index in the stream', () => {
    for (const text of ['---\n---\napiVersion: v1\nkind: A\n---\n', '---\n---\napiVersion: v1\nkind: A\n---\n&x a: 1\n---\n']) {
      const r = parseText(text);
      expect(r.problems).toEqual([]);
      expect(r.docs[0]!.index).toBe(1);
      expect(r.docs[0]!.value).toEqual({ apiVersion: 'v1', kind: 'A' });
      expect(r.docs.length).toBe(text.includes('&x') ? 2 : 1);
    }
  });

  it('bounds what aliases expand to by bytes, not only by count', () => {
    const big = 'x'.repeat(100_000);
    const r = parseText(`a: &b "${big}"\n${Array.from({ length: 60 }, (_, i) => `k${i}: *b\n`).join('')}---\nkind: Ok\n`);
    expect(r.problems.map((p) => p.messageId)).toEqual(['aliasExpansion']);
    expect(r.docs.map((d) => d.value)).toEqual([{ kind: 'Ok' }]);
    const few = parseText(`a: &b "${big}"\nk1: *b\nk2: *b\n`);
    expect(few.problems).toEqual([]);
  });

  it('reads !!binary as go-yaml does: the decoded bytes as a string', () => {
    const r = parseText(`a: !!binary aGVsbG8=\nb: !!binary |\n  aGVs\n  bG8=\nc: !!binary /w==\n`);
    expect(r.docs[0]!.value).toEqual({ a: 'hello', b: 'hello', c: '\ufffd' });
  });

  it('leaves a document over 3 MiB that needs the full parser unread, and reads the others at their offsets', () => {
    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nitems:\n- &a x\n${'- y\n'.repeat(800_000)}`;
    const text = `kind: A\n---\n${huge}---\nkind: B\n`;
    const r = parseText(text);
    expect(r.problems.map((p) => p.messageId)).toEqual(['tooLargeToParse']);
    expect(r.problems[0]!.range[0]).toBe(text.indexOf('---'));
    expect(r.docs.map((d) => [d.index, d.value])).toEqual([[0, { kind: 'A' }], [2, { kind: 'B' }]]);
    expect(text.slice(r.docs[1]!.range[0], r.docs[1]!.range[1])).toBe('---\nkind: B\n');
  });
});

describe('duplicate keys in linear time', () => {
  it('finds a duplicate key with an anchor present as before, and reads 40,000 keys in a few seconds', () => {
    const dup = parseText('kind: A\na: &x 1\nb: 2\na: 3\n');
    expect(dup.problems.map((p) => [p.messageId, p.data.key, p.range[0]])).toEqual([['duplicateKey', 'a', 21]]);
    const flow = parseText('kind: A\nm: {k: &x 1, k: 2}\n');
    expect(flow.problems.map((p) => p.messageId)).toEqual(['duplicateKey']);
    // In a document that holds no Kubernetes object (no kind: a linter's settings), a repeated key is skipped with it.
    expect(parseText('a: &x 1\nb: 2\na: 3\n').problems).toEqual([]);
    expect(parseText('{"MD029": false, "MD029": {"style": "one"}}\n').problems).toEqual([]);
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: v\n`).join('');
    const start = Date.now();
    const r = parseText(`metadata: {labels: {x: &a y}}\ndata:\n${keys}  z: *a\n`);
    expect(Date.now() - start).toBeLessThan(15_000); // 43 s of CPU when every key was compared with every other
    expect(r.problems).toEqual([]);
    expect(Object.keys((r.docs[0]!.value as { data: object }).data).length).toBe(40_001);
  }, 60_000);

  it('a Secret value with a placeholder a later step fills in (envsubst, a template) is not judged as base64', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  token: ${WEBHOOK_TOKEN}\n  other: <base64 of the token>\n  plain: not base64!\n';
    const found = lintText(text, 's.yaml').findings.filter((f) => f.ruleId === 'schema-invalid').map((f) => f.message.slice(0, 18));
    expect(found).toEqual(['`data.plain` is no']);
  });
});
