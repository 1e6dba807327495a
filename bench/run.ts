import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';
import { generateBroad } from './broad.js';
import { countObjects, goTool, hasGnuTime, KUBECONFORM, KUBE_LINTER, timed, type Run } from './tools.js';

/** `npm run bench`: numbers for BENCHMARKS.md. Reports; never passes or fails on time. */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const out = path.join(root, 'bench', 'out');
const worker = path.join(here, 'worker.js');
const bin = path.join(root, 'bin', 'svclint.js');
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').filter(Boolean).map(Number);
const compareSizes = (process.env.BENCH_COMPARE_SIZES ?? '20000,100000').split(',').filter(Boolean).map(Number);
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

// Side by side with kubeconform and kube-linter: whole commands, wall time and peak RSS,
// on both tree shapes (this project's generator and ../shared/bench/gen_synth.py).
const synth = path.resolve(root, '..', 'shared', 'bench', 'gen_synth.py');
if (compareSizes.length && hasGnuTime()) {
  const kc = goTool(KUBECONFORM);
  const kl = goTool(KUBE_LINTER);
  for (const [t, r] of [[KUBECONFORM, kc], [KUBE_LINTER, kl]] as const) if (!r.bin) console.log(`${t.name}: not measured (${r.why})`);
  const noSchemas = path.join(out, 'no-schemas');
  mkdirSync(noSchemas, { recursive: true });
  const cmds: [string, string, (dir: string) => string[]][] = [
    // bench/out/ is in the repository's .gitignore: svclint is told to lint it anyway.
    ['svclint', process.execPath, (dir) => [bin, dir, '--no-gitignore', '-f', 'json']],
    ...(kc.bin ? [['kubeconform', kc.bin, (dir: string) => ['-n', '2', '-summary', '-ignore-missing-schemas', '-schema-location', `${noSchemas}/{{.ResourceKind}}.json`, dir]] as [string, string, (dir: string) => string[]]] : []),
    ...(kl.bin ? [['kube-linter', kl.bin, (dir: string) => ['lint', '--add-all-built-in', dir]] as [string, string, (dir: string) => string[]]] : []),
  ];
  console.log(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; kubeconform without schemas (parse and skip: no schemas offline)`);
  console.log('| tree | objects | ' + cmds.map(([n]) => `${n} wall | ${n} objects/s | ${n} peak RSS`).join(' | ') + ' | ' + cmds.slice(1).map(([n]) => `svclint ÷ ${n}`).join(' | ') + ' |');
  for (const size of compareSizes) {
    const shapes: [string, () => void][] = [[`generate.ts ${size}`, () => generate(path.join(out, `cmp-gen-${size}`), size)]];
    if (existsSync(synth)) shapes.push([`gen_synth.py ${size}`, () => execFileSync('python3', [synth, path.join(out, `cmp-synth-${size}`), String(size)])]);
    for (const [label, make] of shapes) {
      make();
      const dir = path.join(out, label.startsWith('generate') ? `cmp-gen-${size}` : `cmp-synth-${size}`);
      const objects = countObjects(dir);
      const runs = cmds.map(([, cmd, args]) => medianRun(Array.from({ length: repeats }, () => timed(cmd, args(dir)))));
      // A run that stopped with a usage error (exit 2) measured nothing.
      for (const [i, r] of runs.entries()) if (r.code === 2 || r.code < 0) {
        console.log(`✘ ${cmds[i]![0]} exited ${r.code} on ${label}: not a measurement`);
        process.exitCode = 1;
      }
      const cells = runs.map((r) => `${(r.ms / 1000).toFixed(2)} s | ${Math.round(objects / (r.ms / 1000)).toLocaleString('en')} | ${r.rssMB.toFixed(0)} MB`);
      const ratios = runs.slice(1).map((r) => `${(runs[0]!.ms / r.ms).toFixed(2)}×`);
      console.log(`| ${label} | ${objects.toLocaleString('en')} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
    }
  }
}

function medianRun(rs: Run[]): Run {
  const sorted = [...rs].sort((a, b) => a.ms - b.ms);
  return { ...sorted[Math.floor(sorted.length / 2)]!, rssMB: Math.max(...rs.map((r) => r.rssMB)) };
}
