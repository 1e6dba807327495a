// tools: kubectl-yaml
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseSource, parseText } from '../src/load/parse.js';
import { CORPUS, corpusOrSkip, ROOT, yamlFiles } from './helpers.js';

/**
 * Differential test of how a manifest file is read: generated YAML texts (repeated keys,
 * anchors and aliases, flow and block collections, tags, comments, broken lines) are read by
 * kubectl's own decoder (k8s.io/apimachinery's YAMLOrJSONDecoder into RawExtensions, as
 * cli-runtime's StreamVisitor reads a file: scripts/kubectl-yaml/) and by svclint's parser.
 * Where kubectl reads a document, svclint must read the same value and report no error (a
 * repeated key is a warning: kubectl keeps the last value); where kubectl refuses the text,
 * svclint must report an error.
 *
 * Left out, as no manifest holds them and the two parsers read them each their own way: a
 * document that starts with an indented sequence (go-yaml reads the sequence and drops the
 * mapping after it), and an unclosed single-quoted scalar whose line ends in `''`.
 */

interface Answer { docs: unknown[]; error?: string }

function kubectl(texts: string[]): Answer[] {
  const run = spawnSync('kubectl-yaml', { input: texts.map((t) => JSON.stringify(t)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`kubectl-yaml failed: ${run.stderr}`);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer);
}

/** What svclint makes of a text: its documents' values, and whether it reports an error (a repeated key is not one). */
function svclint(text: string): { docs: unknown[]; error: boolean } {
  const r = parseText(text);
  return { docs: r.docs.map((d) => d.value), error: r.problems.some((p) => p.messageId !== 'duplicateKey') };
}

const KEYS = ['name', 'namespace', 'app', 'tier', 'replicas', 'ports', 'port', 'labels', 'selector', 'spec', 'data', 'kind', '"quoted"', 'on', 'y', '8080'];
const SCALARS = ['web', 'shop', "''", '""', '7', '0x1F', '0777', '1e3', '1_000', 'true', 'yes', 'off', 'y', 'null', '~', '"web"', '\'single\'', 'default', '8080', '"8080"', '80:00', '2024-01-01', '!!str 5', '.5', '-0', 'a b', 'x:y', '"a\\tb"'];

/** A value: a scalar's text, a map's entries (a key may repeat), or a list. */
type V = { s: string } | { m: [string, V][] } | { l: V[] };

const value: fc.Arbitrary<V> = fc.letrec<{ v: V }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALARS).map((s) => ({ s })),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('v')), { minLength: 1, maxLength: 4 }).map((m) => ({ m })),
    fc.array(tie('v'), { minLength: 1, maxLength: 3 }).map((l) => ({ l })),
  ),
})).v;

/** Block YAML for a value under a key at an indentation; maps of scalars sometimes in flow style, anchored or not. */
function emit(v: V, pad: string, flow: boolean): string[] {
  if ('s' in v) return [`${pad}${v.s}`];
  if ('l' in v) return v.l.flatMap((x) => {
    const inner = emit(x, `${pad}  `, flow);
    return [`${pad}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
  });
  return v.m.flatMap(([k, x]) => {
    if ('s' in x) return [`${pad}${k}: ${x.s}`];
    if (flow && 'm' in x && x.m.every(([, y]) => 's' in y && !y.s.startsWith('!!'))) return [`${pad}${k}: {${x.m.map(([a, y]) => `${a}: ${(y as { s: string }).s}`).join(', ')}}`];
    return [`${pad}${k}:`, ...emit(x, `${pad}  `, flow)];
  });
}

const documents = fc.array(
  fc.record({
    body: fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { minLength: 1, maxLength: 5 }),
    kind: fc.constantFrom('Deployment', 'Service', 'ConfigMap', undefined),
    flow: fc.boolean(),
    // A key written twice (kubectl keeps the last), an alias of an anchored map, a line kubectl cannot read.
    repeat: fc.option(fc.nat(), { freq: 2 }),
    alias: fc.boolean(),
    broken: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('broken: "open', 'k: [1, 2', 'a: b: c', '\tx: 1', 'z: {a: 1') }),
  }),
  { minLength: 1, maxLength: 3 },
).map((docs) => docs.map((d) => {
  const entries: [string, V][] = [...(d.kind ? [['kind', { s: d.kind }] as [string, V]] : []), ...d.body];
  if (d.repeat !== null) entries.splice(d.repeat % (entries.length + 1), 0, entries[d.repeat % entries.length]!);
  const lines = emit({ m: entries }, '', d.flow);
  if (d.alias) lines.push('base: &base {app: web, tier: "1"}', 'copy: *base', 'merged:', '  <<: *base', '  tier: "2"');
  if (d.broken !== null) lines.splice(lines.length >> 1, 0, d.broken);
  return lines.join('\n');
}).join('\n---\n') + '\n');

describe('manifests are read as kubectl reads them (apimachinery YAMLOrJSONDecoder, go-yaml v2)', () => {
  it('agrees on generated texts with repeated keys, aliases, flow collections and broken lines', () => {
    const texts: string[] = [];
    fc.assert(
      fc.property(documents, (text) => {
        texts.push(text);
      }),
      { numRuns: 3000, seed: Number(process.env.SVCLINT_SEED ?? 20261206) },
    );
    const theirs = kubectl(texts);
    const disagreements: string[] = [];
    let refused = 0;
    let repeated = 0;
    texts.forEach((text, i) => {
      const k = theirs[i]!;
      const s = svclint(text);
      if (k.error) refused++;
      if (parseText(text).problems.some((p) => p.messageId === 'duplicateKey')) repeated++;
      // kubectl stops at its first error; svclint reports it and reads each other document on its own (how far a broken
      // line reaches differs between the two parsers), so a refused text is judged by the refusal alone.
      const same = k.error ? s.error : !s.error && isDeepStrictEqual(s.docs, k.docs);
      if (!same) disagreements.push(`${JSON.stringify(text)}\n  kubectl: ${JSON.stringify(k)}\n  svclint: ${JSON.stringify(s)}`);
    });
    console.log(`YAML differential: ${texts.length} texts, ${refused} refused by kubectl, ${repeated} with a repeated key svclint warns of, ${disagreements.length} disagreements`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(repeated).toBeGreaterThan(100);
  });

  it('agrees on flow collections over several lines, their continuation lines at any indentation (go-yaml checks none inside [ ] and { })', () => {
    const dumpDis = process.env.DUMP_DIS;
    // Items as manifests hold them, and lines kubectl refuses (`- 2`, an unclosed quote, `a: b: c`). Left out: items
    // that are collections and plain scalars continued over lines without a comma (js-yaml and go-yaml read those
    // differently at such indentation: svclint reports an error, as for any document `yaml` refuses), and `---` or
    // `...` at the start of a line (a document marker to kubectl's splitter).
    const item = fc.constantFrom('1', 'web', '"/bin/sh"', "'-c'", '"a, b"', '"x y"', 'y', 'x: 1', '"k": v', '', '# note', '- 2', 'a: b: c', '"open');
    const flows = fc.record({
      depth: fc.integer({ min: 0, max: 3 }),
      inList: fc.boolean(),
      map: fc.boolean(),
      items: fc.array(fc.tuple(item, fc.integer({ min: 0, max: 9 }), fc.boolean()), { minLength: 1, maxLength: 5 }),
      unclosed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      closeAlone: fc.option(fc.integer({ min: 0, max: 9 })),
      after: fc.option(fc.integer({ min: 0, max: 8 })),
    }).map((f) => {
      const pad = '  '.repeat(f.depth);
      const head = [...Array.from({ length: f.depth }, (_, i) => `${'  '.repeat(i)}k${i}:`)];
      const [open, close] = f.map ? ['{', '}'] : ['[', ']'];
      const lines = [`${pad}${f.inList ? '- ' : ''}key: ${open} first,`];
      f.items.forEach(([text, indent, comma], i) => {
        const last = i === f.items.length - 1;
        const v = f.map && text !== '' && !text.includes(':') && !text.startsWith('#') ? `${text}: 1` : text;
        // A comment or an empty line takes no comma (the next line's item is the next item).
        const sep = last || text === '' || text.startsWith('#') ? '' : ',';
        lines.push(`${' '.repeat(indent)}${v}${sep}${last && f.closeAlone === null && !f.unclosed ? ` ${close}` : ''}`);
      });
      if (f.closeAlone !== null && !f.unclosed) lines.push(`${' '.repeat(f.closeAlone)}${close}`);
      if (f.after !== null) lines.push(`${' '.repeat(f.after)}next: 2`);
      return [...head, ...lines].join('\n') + '\n';
    });
    const texts: string[] = [];
    fc.assert(fc.property(flows, (text) => { texts.push(text); }), { numRuns: 3000, seed: Number(process.env.SVCLINT_SEED ?? 20261207) });
    const theirs = kubectl(texts);
    const disagreements: string[] = [];
    let read = 0;
    let lenient = 0;
    texts.forEach((text, i) => {
      const k = theirs[i]!;
      const s = svclint(text);
      if (!k.error) read++;
      if (!k.error && /\n {0,3}\S/.test(text.split('\n').slice(1).join('\n'))) lenient++;
      const same = k.error ? s.error : !s.error && isDeepStrictEqual(s.docs, k.docs);
      if (!same) disagreements.push(`${JSON.stringify(text)}\n  kubectl: ${JSON.stringify(k)}\n  svclint: ${JSON.stringify(s)}`);
    });
    if (dumpDis) writeFileSync(dumpDis, disagreements.join('\n\n'));
    console.log(`YAML differential, flow collections over lines: ${texts.length} texts, ${read} read by kubectl, ${disagreements.length} disagreements`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both answers happen: texts kubectl reads (many with lines left of their key) and texts it refuses.
    expect(read).toBeGreaterThan(300);
    expect(texts.length - read).toBeGreaterThan(300);
    expect(lenient).toBeGreaterThan(100);
  });

  it('agrees on every file of the rule cases and fixtures, and of the corpus', () => {
    const files = [...yamlFiles(path.join(ROOT, 'rules')), ...yamlFiles(path.join(ROOT, 'fixtures')), ...(corpusOrSkip('the corpus part of the YAML differential') ? yamlFiles(CORPUS) : [])];
    const texts = files.map((f) => readFileSync(f, 'utf8'));
    const theirs = kubectl(texts);
    const disagreements: string[] = [];
    let refused = 0;
    texts.forEach((text, i) => {
      const k = theirs[i]!;
      const r = parseSource({ path: files[i]!, text });
      // A template (Helm, Jinja, another program's) is reported as one: not read, whatever kubectl makes of it. A file with
      // control characters is file-unreadable's (a binary file).
      if (r.problems.some((p) => /Template$/.test(p.messageId)) || /[\u0000-\u0008\u000e-\u001f]/.test(text)) return;
      const error = r.problems.some((p) => p.messageId !== 'duplicateKey');
      if (k.error) refused++;
      // A text kubectl refuses that holds no Kubernetes object (an editor's settings in JSON with comments) is no manifest: not judged.
      const manifest = r.docs.some((d) => typeof d.value === 'object' && d.value !== null && typeof (d.value as { kind?: unknown }).kind === 'string');
      const same = k.error ? error || !manifest : !error && isDeepStrictEqual(r.docs.map((d) => d.value), k.docs);
      if (!same) disagreements.push(`${path.relative(ROOT, files[i]!)}\n  kubectl: ${JSON.stringify(k).slice(0, 300)}\n  svclint: ${error ? 'an error' : JSON.stringify(r.docs.map((d) => d.value)).slice(0, 300)}`);
    });
    console.log(`YAML differential on files: ${texts.length} files, ${refused} refused by kubectl, ${disagreements.length} disagreements`);
    expect(disagreements.slice(0, 5)).toEqual([]);
  }, 300_000);
});
