import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';
import { generateBroad } from './broad.js';

/** `npm run bench`: numbers for BENCHMARKS.md. Reports; never passes or fails on time. */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const out = path.join(root, 'bench', 'out');
const worker = path.join(here, 'worker.js');
const bin = path.join(root, 'bin', 'svclint.js');
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
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
