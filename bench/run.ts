import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';
import { generateBroad } from './broad.js';
import { countObjects, goTool, hasGnuTime, KUBECONFORM, KUBE_LINTER, kubeconformSchemas, timed, type Run } from './tools.js';
import { fastDocuments } from '../src/load/fast-parse.js';

/** `npm run bench`: numbers for BENCHMARKS.md. Reports; never passes or fails on time. */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const out = path.join(root, 'bench', 'out');
const worker = path.join(here, 'worker.js');
const bin = path.join(root, 'bin', 'svclint.cjs');
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').filter(Boolean).map(Number);
const compareSizes = (process.env.BENCH_COMPARE_SIZES ?? '20000').split(',').filter(Boolean).map(Number);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

interface Sample { ms: number; objects: number; findings: number; bytes: number; maxRssMB: number }

function measure(dir: string, mode: 'lint' | 'parse'): Sample {
  const runs: Sample[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [worker, dir, mode], { encoding: 'utf8', maxBuffer: 1 << 26 })));
  }
  runs.sort((a, b) => a.ms - b.ms);
  return { ...runs[Math.floor(runs.length / 2)]!, maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)) };
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: string[] = [];
const results: Record<number, { lint: Sample; parse: Sample }> = {};
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), median of ${repeats}`);
for (const size of sizes) {
  const dir = path.join(out, `tree-${size}`);
  const g = generate(dir, size);
  const parse = measure(dir, 'parse');
  const lint = measure(dir, 'lint');
  results[size] = { lint, parse };
  const row = `| ${lint.objects.toLocaleString('en')} | ${g.services.toLocaleString('en')} (${g.broken} broken) | ${(lint.bytes / 1e6).toFixed(1)} MB | ${parse.ms.toFixed(0)} ms | ${lint.ms.toFixed(0)} ms | ${(lint.ms / parse.ms).toFixed(2)}× | ${Math.round(lint.objects / (lint.ms / 1000)).toLocaleString('en')} | ${lint.maxRssMB.toFixed(0)} MB | ${lint.findings} |`;
  rows.push(row);
  console.log(row);
}
const s = sizes.filter((x) => results[x]);
if (s.includes(10000) && s.includes(100000)) {
  const growth = results[100000]!.lint.ms / results[10000]!.lint.ms;
  console.log(`growth 10k → 100k objects: ${growth.toFixed(2)}× time for 10× objects`);
}

// One label shared by every Service and every Deployment: selection is n × n, comparison must not be more.
for (const n of (process.env.BENCH_BROAD ?? '1000').split(',').map(Number).filter((x) => x > 0)) {
  const dir = path.join(out, `broad-${n}`);
  generateBroad(dir, n);
  const b = measure(dir, 'lint');
  console.log(`${n.toLocaleString('en')} Services × ${n.toLocaleString('en')} Deployments sharing one label: ${b.ms.toFixed(0)} ms, ${b.maxRssMB.toFixed(0)} MB, ${b.findings} findings`);
}

// Cold start: the pre-commit case, one small file, the real CLI in a fresh process.
mkdirSync(out, { recursive: true });
const small = path.join(out, 'small.yaml');
writeFileSync(small, 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}\n');
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  spawnSync(process.execPath, [bin, small], { encoding: 'utf8' });
  times.push(performance.now() - t);
}
const bare: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  bare.push(performance.now() - t);
}
console.log(`cold start, one small file: median ${median(times).toFixed(0)} ms (node -e 0 alone: ${median(bare).toFixed(0)} ms)`);

// Side by side with kubeconform (strict, with the Kubernetes schemas) and, when asked
// (BENCH_KUBE_LINTER=1), kube-linter: whole commands as users run them, alternating, on
// ../shared/bench/gen_synth.py trees, the corpus (../shared/corpus) and the corpus copied
// until it holds BENCH_CORPUS_SIZES objects. svclint lints without rendering here
// (kubeconform renders nothing either).
const shared = path.resolve(root, '..', 'shared');
const synth = path.join(shared, 'bench', 'gen_synth.py');
const corpus = process.env.SVCLINT_CORPUS ?? path.join(shared, 'corpus');
const corpusSizes = (process.env.BENCH_CORPUS_SIZES ?? '20000').split(',').filter(Boolean).map(Number);
if ((compareSizes.length || existsSync(corpus)) && hasGnuTime()) {
  const kc = goTool(KUBECONFORM);
  const schemas = kubeconformSchemas(path.join(shared, 'bench', 'kubeconform_schemas.py'));
  const kl = process.env.BENCH_KUBE_LINTER === '1' ? goTool(KUBE_LINTER) : { why: 'BENCH_KUBE_LINTER=1 to measure it' };
  if (!kc.bin) console.log(`kubeconform: not measured (${kc.why})`);
  else if (!schemas.location) console.log(`kubeconform: not measured (no schemas: ${schemas.why})`);
  if (!kl.bin) console.log(`kube-linter: not measured (${kl.why})`);
  type Cmd = [string, string, (dir: string) => string[]];
  const cmds: Cmd[] = [
    // bench/out/ is in the repository's .gitignore: svclint is told to lint it anyway.
    ['svclint', process.execPath, (dir) => [bin, dir, '--no-gitignore', '--no-render', '-f', 'json', '-o', path.join(out, 'svclint.json')]],
    ...(kc.bin && schemas.location ? [['kubeconform strict', kc.bin, (dir: string) => ['-strict', '-summary', '-ignore-missing-schemas', '-schema-location', schemas.location!, dir]] as Cmd] : []),
    ...(kl.bin ? [['kube-linter', kl.bin, (dir: string) => ['lint', '--add-all-built-in', dir]] as Cmd] : []),
  ];
  const trees: [string, string][] = [];
  for (const size of compareSizes) {
    if (!existsSync(synth)) break;
    const dir = path.join(out, `cmp-synth-${size}`);
    if (!existsSync(dir)) execFileSync('python3', [synth, dir, String(size)]);
    trees.push([`gen_synth.py ${size}`, dir]);
  }
  if (existsSync(corpus)) {
    trees.push(['corpus', corpus]);
    for (const size of corpusSizes) trees.push([`corpus copied to ${size}`, copyUntil(corpus, path.join(out, `corpus-${size}`), size)]);
  }
  console.log(`\nwhole processes, ${repeats} alternating runs each, medians (peak RSS: the largest); svclint --no-render`);
  console.log('| tree | objects | MB | fast path | ' + cmds.map(([n]) => `${n} wall / CPU / peak | ${n} objects/s`).join(' | ') + ' | ' + cmds.slice(1).map(([n]) => `svclint ÷ ${n} (wall, CPU)`).join(' | ') + ' | load |');
  for (const [label, dir] of trees) {
    const objects = countObjects(dir);
    const share = fastShare(dir);
    const load0 = loadavg()[0]!;
    const all: Run[][] = cmds.map(() => []);
    for (let i = 0; i < repeats; i++) {
      // alternate the order too, so neither tool always runs on the other's warm page cache
      const order = i % 2 === 0 ? cmds.map((_, k) => k) : cmds.map((_, k) => cmds.length - 1 - k);
      for (const k of order) all[k]!.push(timed(cmds[k]![1], cmds[k]![2](dir)));
    }
    const runs = all.map(medianRun);
    // A run that stopped with a usage error (exit 2) measured nothing.
    for (const [i, r] of runs.entries()) if (r.code === 2 || r.code < 0) {
      console.log(`✘ ${cmds[i]![0]} exited ${r.code} on ${label}: not a measurement`);
      process.exitCode = 1;
    }
    const cells = runs.map((r) => `${(r.ms / 1000).toFixed(2)} s / ${(r.cpuMs / 1000).toFixed(2)} s / ${r.rssMB.toFixed(0)} MB | ${Math.round(objects / (r.ms / 1000)).toLocaleString('en')}`);
    const ratios = runs.slice(1).map((r) => `${(runs[0]!.ms / r.ms).toFixed(2)}×, ${(runs[0]!.cpuMs / r.cpuMs).toFixed(2)}×`);
    console.log(`| ${label} | ${objects.toLocaleString('en')} | ${(share.bytes / 1e6).toFixed(1)} | ${(100 * share.fast / share.bytes).toFixed(1)}% | ${cells.join(' | ')} | ${ratios.join(' | ')} | ${load0.toFixed(1)}–${loadavg()[0]!.toFixed(1)} |`);
  }
}

function medianRun(rs: Run[]): Run {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ms: mid(rs.map((r) => r.ms)), cpuMs: mid(rs.map((r) => r.cpuMs)), rssMB: Math.max(...rs.map((r) => r.rssMB)), code: Math.max(...rs.map((r) => r.code)) };
}

/** The manifests of a tree (as svclint finds them: .yaml, .yml, .json). */
function manifests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? manifests(p) : /\.(ya?ml|json)$/.test(e.name) ? [p] : [];
    });
}

/** Bytes of a tree, and how many of them are in documents the value parser reads (fast-parse.ts). */
function fastShare(dir: string): { bytes: number; fast: number } {
  let bytes = 0;
  let fast = 0;
  for (const f of manifests(dir)) {
    const text = readFileSync(f, 'utf8');
    bytes += text.length;
    for (const d of fastDocuments(text) ?? []) if (!('leave' in d)) fast += d.end - d.start;
  }
  return { bytes, fast };
}

/**
 * The corpus copied file by file (copy 1, 2, ... in folders of their own) until the copies
 * hold `objects` objects: real files, long ConfigMaps, CRDs, many small files, some large.
 */
function copyUntil(src: string, dest: string, objects: number): string {
  const stamp = path.join(dest, '.objects');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(objects)) return dest;
  rmSync(dest, { recursive: true, force: true });
  const files = manifests(src);
  let count = 0;
  for (let copy = 1; count < objects; copy++) {
    for (const f of files) {
      if (count >= objects) break;
      const text = readFileSync(f, 'utf8');
      const to = path.join(dest, `copy-${copy}`, path.relative(src, f));
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, text);
      count += (text.match(/^kind:/gm) ?? []).length;
    }
  }
  writeFileSync(stamp, String(objects));
  return dest;
}
