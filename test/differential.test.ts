import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { parseValues } from '../src/load/fast-parse.js';
import { parseWithYaml } from '../src/load/parse.js';
import { PARSE_OPTIONS } from '../src/load/document.js';
import { CORPUS, corpusOrSkip, ROOT } from './helpers.js';

/**
 * The value parser (fast-parse.ts: splitter + js-yaml) against the `yaml` package as every
 * run used it before (YAML 1.1 with the kubectl scalar tags, parse.ts parseWithYaml):
 * where the fast path answers, the `yaml` package finds no error in the text and yields
 * exactly the same values, document by document; and each document's slice, parsed
 * alone as the locator does, yields the same value again. Where the fast path declines,
 * the `yaml` package reads the text, so error documents are the same by construction.
 *
 * No exceptions are needed: texts the two would read differently (null keys, which
 * kubectl rejects with "unsupported map key") go to the `yaml` package (fast-parse.ts).
 */
function agree(text: string): boolean {
  const fast = parseValues(text);
  if (!fast) return false;
  const full = parseWithYaml(text);
  expect(full.problems, 'the yaml package finds an error the fast path missed').toEqual([]);
  expect(fast.map((d) => d.value)).toStrictEqual(full.docs.map((d) => d.value));
  for (const d of fast) {
    const alone = parseDocument(text.slice(d.range[0], d.range[1]), PARSE_OPTIONS);
    expect(alone.errors).toEqual([]);
    expect(alone.toJS() ?? null).toStrictEqual(d.value);
  }
  return true;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the value parser reads what the yaml package reads', () => {
  it.skipIf(!corpusOrSkip('the corpus part of the differential parser test'))('over the corpus', () => {
    const files = yamlFiles(CORPUS);
    const fast = files.filter((f) => agree(readFileSync(f, 'utf8'))).length;
    expect(fast / files.length).toBeGreaterThan(0.5); // the fast path is the common one
  });

  it('over the rule cases and fixtures', () => {
    const files = [...yamlFiles(path.join(ROOT, 'rules')), ...yamlFiles(path.join(ROOT, 'fixtures'))];
    expect(files.filter((f) => agree(readFileSync(f, 'utf8'))).length).toBeGreaterThan(100);
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
    for (const text of ['metadata: {name: a}#\nspec: 1\n', 'a: [b]#c\n', 'c: {name: api, ports:, [{p: 1}]}\n', 'c: {[a]: 1}\n', 'c: {{a: 1}: 2}\n']) {
      expect(parseValues(text), text).toBeUndefined(); // left to the yaml package, which reports or reads them
    }
  });

  it('over arbitrary text and document markers', () => {
    const line = fc.oneof(fc.constantFrom('---', '...', '--- # c', '# c', '', 'a: 1', '- x', '  b: 2', 'k: |', '  text', '--- |', '"q'), fc.string({ maxLength: 12 }));
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
