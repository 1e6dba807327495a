import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { fastDocuments, parseValues } from '../src/load/fast-parse.js';
import { parseText, parseWithYaml } from '../src/load/parse.js';
import { PARSE_OPTIONS } from '../src/load/document.js';
import { CORPUS, corpusOrSkip, ROOT, yamlFiles } from './helpers.js';

/**
 * The value parser (fast-parse.ts: splitter + js-yaml, document by document) against the
 * `yaml` package as every run used it before (YAML 1.1 with the kubectl scalar tags,
 * parse.ts parseWithYaml): every document the fast path reads, the `yaml` package reads
 * without error and to exactly the same value; each such document's slice, parsed alone as
 * the locator does, yields the same value again; and parseText, which hands the documents
 * the fast path leaves to the `yaml` package one by one, gives the same documents, values
 * and problems as the `yaml` package over the whole text. Returns the bytes of the
 * documents the fast path read.
 *
 * No exceptions are needed: what the two would read differently (null keys, which kubectl
 * rejects with "unsupported map key", anchors, tags, ...) goes to the `yaml` package.
 */
function agree(text: string): number {
  const full = parseWithYaml(text);
  const mixed = parseText(text);
  expect(mixed.problems).toEqual(full.problems);
  expect(mixed.docs.map((d) => [d.index, d.value])).toStrictEqual(full.docs.map((d) => [d.index, d.value]));
  const parts = fastDocuments(text);
  if (!parts) return 0;
  // A text with an error in a document the fast path leaves goes to the `yaml` package whole
  // (parseText, checked above); its other documents are not the fast path's then.
  if (full.problems.length > 0 && parts.some((p) => 'leave' in p)) return 0;
  // Empty (null) documents are counted but not kept, by the splitter as by the full parse.
  const all = parseAllDocuments(text);
  const count = Array.isArray(all) ? all.length : 0;
  // (A text with an error may end a document where the splitter does not: the problems above then agree.)
  if (full.problems.length === 0) for (const part of parts) expect(part.index, 'documents found by the splitter and by the yaml package').toBeLessThan(count);
  expect(full.docs.filter((d) => !parts.some((p) => p.index === d.index)).map((d) => d.index), 'documents the splitter missed').toEqual([]);
  let bytes = 0;
  parts.forEach((part) => {
    if ('leave' in part) return;
    const same = full.docs.find((d) => d.index === part.index);
    expect(same, `document ${part.index} has an error only the yaml package finds`).toBeDefined();
    expect(part.value).toStrictEqual(same!.value);
    const alone = parseDocument(text.slice(part.start, part.end), PARSE_OPTIONS);
    expect(alone.errors).toEqual([]);
    expect(alone.toJS() ?? null).toStrictEqual(part.value);
    bytes += part.end - part.start;
  });
  return bytes;
}

/** Whether the fast path read every document of a text. */
function allFast(text: string): boolean {
  return parseValues(text) !== undefined;
}

describe('the value parser reads what the yaml package reads', () => {
  it.skipIf(!corpusOrSkip('the corpus part of the differential parser test'))(
    'over the corpus',
    () => {
      let bytes = 0;
      let fast = 0;
      for (const f of yamlFiles(CORPUS)) {
        const text = readFileSync(f, 'utf8');
        bytes += text.length;
        fast += agree(text);
      }
      // The fast path is the common one. What it leaves: documents with a syntax error for the
      // yaml package (1.3 MB of Gateway API CRDs with quoted lines left of their key) and anchors.
      expect(fast / bytes).toBeGreaterThan(0.95);
    },
    600_000,
  );

  it('over the rule cases and fixtures', () => {
    const files = [...yamlFiles(path.join(ROOT, 'rules')), ...yamlFiles(path.join(ROOT, 'fixtures'))];
    expect(files.filter((f) => agree(readFileSync(f, 'utf8')) > 0).length).toBeGreaterThan(100);
  });

  const seeds = yamlFiles(path.join(ROOT, 'rules')).map((f) => readFileSync(f, 'utf8'));
  const scalar = fc.stringMatching(/^[-+.0-9_:eExXoObBa-fnNuly~ ]{0,12}$/);

  it('over truncated and spliced manifests', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }), (seed, a, b, junk) => {
        agree(seed.slice(0, a % (seed.length + 1)));
        const at = b % (seed.length + 1);
        agree(seed.slice(0, at) + junk + seed.slice(at));
      }),
      { numRuns: 400 },
    );
  });

  it('over block scalars with an explicit indentation indicator (a case fast-check found)', () => {
    for (const text of ['|1\n  text', '|1\n  text\n', 'k: >-2\n    x\n', '- |+1\n   a\n\n', '--- |2\n   a\n']) agree(text);
  });

  it('over flow collections followed by # and collections as flow-mapping keys (cases fast-check found)', () => {
    for (const text of ['metadata: {name: a}#\nspec: 1\n', 'a: [b]#c\n', 'c: {name: api, ports:, [{p: 1}]}\n', 'c: {[a]: 1}\n', 'c: {{a: 1}: 2}\n', 'ports: [{name: http, port: 80}:]\n', 'a: [[b]:, c]\n', 'a: {x: [{b: 1}:}}\n', 'm: {labels:, {app: w}}\n', 'm: {a: 1, {b: 2}: 3}\n', 'm: {a: 1, # c\n  {b: 2}}\n', 'm: { # c\n  {b: 2}: 1}\n', 'm: {\n  {b: 2}: 1, c: 3}\n']) {
      expect(parseValues(text), text).toBeUndefined(); // left to the yaml package, which reports or reads them
      agree(text);
    }
  });

  it('reads runs of # after a comma or a brace in one pass (hostile input for a backtracking pattern)', () => {
    // With a pattern that backtracks on `#` these never end; read once, they take milliseconds.
    for (const text of [`a: [1, ${'#'.repeat(5000)}\n`, `a: {b: 1,${' #'.repeat(5000)}\n`, `a: { ${'#x'.repeat(5000)}\n  {b: 2}: 1}\n`]) agree(text);
  });

  it('over a block scalar whose first line starts with #, an empty nested sequence entry, a null key and a flow key on the next line (cases fast-check found)', () => {
    for (const text of ['  |\n# x', '    |-\n# c *', '- -\n- x', '\n\n{~}', '{ ~ , a: 1}', '{    \n{"a\n b"}    }']) {
      expect(parseValues(text), text).toBeUndefined();
      agree(text);
    }
    // A comment after a block scalar's content is not one of them.
    expect(parseValues('a: |\n  text\n# c\n')).toBeDefined();
  });

  it('reads documents whose special characters are all inside scalars or comments', () => {
    const texts = [
      'spec:\n  description: matches *.example.com & more! what ? means\n  x: 1\n',
      'a: "*x &y !z ? : {{ w }} <<"\nb: \'&a *b\'\n',
      'script: |\n  a && b || c\n  cat <<EOF\n  *.txt ! ? x\n  EOF\n',
      'make: |\n  all:\n  \tgo build ./...\n',
      'q: "tab\there"\np: a\tb\n',
      '# & * ! ? : {{ x }} <<\nk: v # *note & more\n',
      'args:\n- /bin/cp a b && /bin/ln -sf\n  c d\n- x\n',
      'description: first line\n  *.example.com continues it\n',
      'd: "first\n  & second ? : x"\n',
      'a: 1\r\nb: "x *y"\r\nc: |\r\n  & z\r\n',
      'k: "a # b" # c & d\n',
    ];
    for (const text of texts) {
      expect(parseValues(text), text).toBeDefined();
      expect(agree(text), text).toBe(text.length);
    }
  });

  it('leaves anchors, aliases, tags, merge and complex keys to the yaml package, document by document', () => {
    const texts = [
      'a: &x 1\nb: *x\n',
      'base: &b {p: 1}\nd:\n  <<: *b\n  q: 2\n',
      'a: !!str 1\n',
      'a: ! x\n',
      '- !tag x\n',
      '? a\n: b\n',
      '[a]: b\n',
      '{a: 1}: b\n',
      '~: x\n',
      'null: x\n',
      ': x\n',
      'k: {{ x }}\n',
      'a:\n\tb: 1\n',
      'k: "a\n\tb"\n',
      'k: |2\n   x\n',
      '>\n    \n# c *',
      '  rule: \'a b\n  c\'\n',
      'x:\n  rule: \'a\n  b\'\n',
      '- \'a\n- b\'\n',
    ];
    for (const text of texts) {
      expect(parseValues(text), text).toBeUndefined();
      expect(agree(text), text).toBe(0);
    }
    const mixed = 'kind: A\nd: "*"\n---\na: &x 1\nb: *x\n---\nkind: C\n';
    const parts = fastDocuments(mixed)!;
    expect(parts.map((p) => 'leave' in p)).toEqual([false, true, false]);
    expect(parseText(mixed).docs.map((d) => d.value)).toStrictEqual([{ kind: 'A', d: '*' }, { a: 1, b: 1 }, { kind: 'C' }]);
    expect(agree(mixed)).toBe(mixed.length - 'a: &x 1\nb: *x\n---\n'.length);
    expect(agree('\uFEFFa: *x\n')).toBe(0); // a byte-order mark: the whole text to the yaml package
  });

  it('over special characters in every scalar style', () => {
    const special = fc.string({ unit: fc.constantFrom('*', '&', '!', '?', ':', ' ', '\t', '#', '{', '}', '[', ']', ',', '<<', '-', '|', '>', '"', "'", '\n', 'a', '~', 'null', '%', '@', '`', '---', '\r\n'), maxLength: 16 });
    const style = fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') as fc.Arbitrary<'PLAIN'>;
    const doc = fc.dictionary(special, fc.oneof(special, fc.array(special, { maxLength: 3 }), fc.dictionary(special, special, { maxKeys: 2 })), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), style, fc.integer({ min: 20, max: 80 }), (docs, defaultStringType, lineWidth) => {
        agree(docs.map((d) => stringify(d, { version: '1.1', defaultStringType, defaultKeyType: 'PLAIN', lineWidth, minContentWidth: 0 })).join('---\n'));
      }),
      { numRuns: 1500 },
    );
  });

  it('over a document that starts with three dashes and more on the line (js-yaml reads them as a marker)', () => {
    for (const text of ['-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n', '---x\n', '----\n', '---#c\n', 'a: 1\n...\n-----x\n', '---apiVersion: v1\nkind: Service\n', '\n-----B\n', '# c\n  \n-----B\n', '  # c\r\n---x\n', '\r\n-----B\r\n', 'a\n---x\n']) agree(text);
    expect(parseValues('-----BEGIN\n')).toBeUndefined();
    expect(parseValues('--- x\n')).toBeDefined();
  });

  it('over lines of tokens', () => {
    const token = fc.constantFrom('&a ', '*a', '!t ', '!!str ', '? ', ': ', '- ', '<<: ', '\t', '"x *y"', "'& z'", '"a\n b"', "'a\n  b'", '|', '|-', '>', '# c *', 'k: ', 'v', '{', '}', '[', ']', ', ', '~', 'null', 'x * y', 'a && b', '  ', '    ');
    const line = fc.array(token, { maxLength: 5 }).map((t) => t.join(''));
    fc.assert(fc.property(fc.array(line, { maxLength: 10 }), (lines) => void agree(lines.join('\n'))), { numRuns: 3000 });
  });

  it('over arbitrary text and document markers', () => {
    const line = fc.oneof(fc.constantFrom('---', '...', '--- # c', '# c', '', 'a: 1', '- x', '  b: 2', 'k: |', '  text', '--- |', '"q', '----', '---x', '-----BEGIN X-----'), fc.string({ maxLength: 12 }));
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => void agree(lines.join('\n'))), { numRuns: 1000 });
  });

  it('over plain scalars as values and keys', () => {
    fc.assert(
      fc.property(scalar, scalar, (k, v) => {
        agree(`v: ${v}\n${k}: ${v}\nl: [${v}]\n`);
      }),
      { numRuns: 2000 },
    );
  });

  it('over generated documents', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 });
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string(), scalar, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), fc.boolean(), (docs, flow) => {
        agree(docs.map((d) => stringify(d, { version: '1.1', collectionStyle: flow ? 'flow' : 'any' })).join('---\n'));
      }),
      { numRuns: 500 },
    );
  });
});
