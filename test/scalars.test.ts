import { describe, expect, it } from 'vitest';
import { parseText } from '../src/load/parse.js';
import { lintText } from '../src/lint.js';
import { goNumber } from '../src/load/scalars.js';
import { parseValues } from '../src/load/fast-parse.js';

/**
 * Plain scalars as kubectl sends them: sigs.k8s.io/yaml decodes with go-yaml v2
 * (resolve.go) and marshals with encoding/json. Each row: the YAML, then the JSON value
 * kubectl sends. The same table is in rules/schema-invalid/README.md.
 */
const TABLE: [string, unknown][] = [
  ['2024-01-01', '2024-01-01'], // a timestamp decoded into interface{} keeps its text
  ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00Z'],
  ['2024-01-01 10:00:00', '2024-01-01 10:00:00'],
  ['2024-13-45', '2024-13-45'],
  ['0o17', 15], // Go's ParseInt with base 0 knows 0o
  ['0O17', 15],
  ['0777', 511], // YAML 1.1 octal, also Go's
  ['08', 8], // not octal: read as the float 8
  ['0x1F', 31],
  ['0X1F', 31],
  ['-0x1F', -31],
  ['0b101', 5],
  ['-0b101', -5],
  ['+12', 12],
  ['-0', 0],
  ['1_000', 1000], // underscores are dropped first
  ['1__0', 10],
  ['1_0.5', 10.5],
  ['80:00', '80:00'], // no sexagesimal numbers (YAML 1.1 would say 4800)
  ['12:30:45', '12:30:45'],
  ['1e3', 1000],
  ['1.', 1],
  ['.5', 0.5],
  ['+.5', 0.5],
  ['3.14', 3.14],
  ['1e400', '1e400'], // ParseFloat overflows: a string
  ['0x', '0x'],
  ['_1', '_1'],
  ['+', '+'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['', null],
  ['yes', true],
  ['Yes', true],
  ['YES', true],
  ['on', true],
  ['On', true],
  ['y', true],
  ['Y', true],
  ['true', true],
  ['no', false],
  ['off', false],
  ['OFF', false],
  ['n', false],
  ['N', false],
  ['False', false],
  ['"0o17"', '0o17'], // quoted scalars are strings, whatever they look like
  ["'yes'", 'yes'],
  ['!!str 12', '12'],
];

describe('scalars are read as kubectl reads them (sigs.k8s.io/yaml, go-yaml v2)', () => {
  for (const [yaml, json] of TABLE) {
    it(`${JSON.stringify(yaml)} → ${JSON.stringify(json)}`, () => {
      const r = parseText(`v: ${yaml}\n`);
      expect(r.problems).toEqual([]);
      expect((r.docs[0]!.value as { v: unknown }).v).toStrictEqual(json);
      // The value parser (js-yaml) reads it the same way, or leaves it to the yaml package.
      const fast = parseValues(`v: ${yaml}\n`);
      if (!yaml.startsWith('!!')) expect((fast?.[0]!.value as { v: unknown }).v).toStrictEqual(json);
      // The same as a key: keys become strings the way sigs.k8s.io/yaml formats them.
      if (json !== null && yaml !== '') {
        const k = parseText(`${yaml}: x\n`);
        expect(Object.keys(k.docs[0]!.value as object)).toEqual([String(json)]);
      }
    });
  }

  for (const s of ['.inf', '-.inf', '+.Inf', '.NaN', '.NAN']) {
    it(`${s} has no JSON form: kubectl rejects the document, a yaml-syntax finding`, () => {
      const r = lintText(`apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: ${s}}]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n`, 'x.yaml');
      expect(r.findings.map((f) => [f.ruleId, f.location?.line])).toEqual([['yaml-syntax', 4]]);
      expect(r.findings[0]!.message).toContain('no JSON form');
      expect(r.graph.objects.map((o) => o.name)).toEqual(['b']);
    });
  }

  it('an unquoted date is a string, so a date label gives no schema finding', () => {
    const r = lintText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {release: 2024-01-01}\ndata: {since: 2024-01-01}\n', 'x.yaml');
    expect(r.findings).toEqual([]);
  });

  it('keeps int64 and uint64 range boundaries as Go does (JavaScript numbers beyond 2^53 are rounded)', () => {
    expect(goNumber('9007199254740991')).toBe(9007199254740991);
    expect(goNumber('18446744073709551615')).toBe(18446744073709551615);
    expect(goNumber('-9223372036854775809')).toBe(-9223372036854775809); // not int64: read as a float
  });

  it('reads every decimal integer, short or long, signed or not, as its exact value rounded once to a double', () => {
    for (let digits = 1; digits <= 21; digits++) {
      for (const sign of ['', '-', '+']) {
        for (let k = 0; k < 40; k++) {
          const text = `${sign}${1 + Math.floor(Math.random() * 9)}${Array.from({ length: digits - 1 }, () => Math.floor(Math.random() * 10)).join('')}`;
          const exact = BigInt(text.replace('+', ''));
          // Go's ParseInt (int64) and ParseUint (uint64), else ParseFloat: one rounding from the exact value either way.
          expect(goNumber(text), text).toBe(Number(exact));
        }
      }
    }
    expect(Object.is(goNumber('-0'), 0)).toBe(true); // Go's ParseInt gives 0, not -0
  });
});
