import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

/**
 * `npm run bench` (last step): the memory bound the README states, checked on the real
 * CLI in a fresh process per case — peak RSS ≤ 10 × the bytes read + 200 MiB — on
 * synthetic trees and on hostile inputs (devices, endless stdin, many large files).
 * Prints one row per case and exits 1 when a case is over the bound; never times anything.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const out = path.join(root, 'bench', 'out', 'memory');
const bin = path.join(root, 'bin', 'svclint.cjs');
const MB = 1024 * 1024;
const FILE_CAP = 32 * MB; // the per-file cap (src/load/read.ts)

export const memoryBound = (inputBytes: number) => 10 * inputBytes + 200 * MB;

interface Case {
  name: string;
  args: string[];
  /** Bytes svclint may read: what the bound is computed from. */
  input: number;
  stdin?: string;
  /** The exit codes that mean the case ran as meant (a run that read nothing proves nothing). */
  exits: number[];
}

/** Peak RSS of one CLI run (main thread and workers): the child reports it on exit through fd 3. */
function peakRss(c: Case): { rss: number; code: number } {
  const preload = path.join(out, 'rss.cjs');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS * 1024)));\n");
  const stdin = c.stdin ? openSync(c.stdin, 'r') : 'ignore';
  try {
    // bench/out/ is in the repository's .gitignore: the trees are linted with --no-gitignore.
    const r = spawnSync(process.execPath, ['--require', preload, bin, ...c.args, '--no-gitignore', '-f', 'json', '-o', '/dev/null'], { stdio: [stdin, 'ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return { rss: Number(r.output[3]), code: r.status ?? -1 };
  } finally {
    if (typeof stdin === 'number') closeSync(stdin);
  }
}

const dirBytes = (files: string[]) => files.reduce((n, f) => n + statSync(f).size, 0);
const treeBytes = (dir: string) => dirBytes(readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile()));

function cases(): Case[] {
  const list: Case[] = [];
  for (const size of (process.env.BENCH_MEMORY_SIZES ?? '1000,10000').split(',').map(Number)) {
    const dir = path.join(out, `tree-${size}`);
    generate(dir, size);
    list.push({ name: `synthetic tree, ${size.toLocaleString('en')} objects`, args: [dir], input: treeBytes(dir), exits: [1] });
  }
  list.push({ name: '/dev/zero as an input file', args: ['/dev/zero'], input: FILE_CAP, exits: [1] });
  list.push({ name: 'stdin from /dev/zero', args: ['-'], input: FILE_CAP, stdin: '/dev/zero', exits: [1] });
  // Large files: each just under the per-file cap, a comment svclint must still parse.
  const large = path.join(out, 'large');
  rmSync(large, { recursive: true, force: true });
  mkdirSync(large, { recursive: true });
  const files: string[] = [];
  const body = `# ${'x'.repeat(FILE_CAP - 64)}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`;
  for (let i = 0; i < 6; i++) {
    const f = path.join(large, `big-${i}.yaml`);
    writeFileSync(f, body);
    files.push(f);
  }
  list.push({ name: `${files.length} files of ${Math.round(FILE_CAP / MB)} MiB`, args: [large], input: dirBytes(files), exits: [0, 1] });
  list.push({ name: 'the same over a 64 MiB total cap', args: [large, '--max-input-bytes', '64MiB'], input: 64 * MB, exits: [2] });
  return list;
}

function main(): void {
  mkdirSync(out, { recursive: true });
  console.log('\nmemory bound: peak RSS ≤ 10 × input + 200 MiB (the real CLI, one fresh process per case)');
  console.log('| case | input | exit | peak RSS | bound | |');
  console.log('|---|---:|---:|---:|---:|---|');
  let over = 0;
  for (const c of cases()) {
    const { rss, code } = peakRss(c);
    const ok = rss <= memoryBound(c.input);
    const ran = c.exits.includes(code);
    if (!ok || !ran) over++;
    console.log(`| ${c.name} | ${(c.input / MB).toFixed(1)} MiB | ${code} | ${(rss / MB).toFixed(0)} MiB | ${(memoryBound(c.input) / MB).toFixed(0)} MiB | ${!ran ? `✘ exit ${code}, wanted ${c.exits.join(' or ')}` : ok ? '✔' : '✘ over'} |`);
  }
  if (over) {
    console.log(`${over} case(s) over the memory bound or not run as meant`);
    process.exitCode = 1;
  }
}

main();
