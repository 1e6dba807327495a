import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAll } from '../src/load/parse-pool.js';
import type { SourceFile } from '../src/types/source.js';

/**
 * `node dist/bench/threshold.js DIR`: parse time of the first N MiB of a tree on one
 * thread and on two worker threads, each in a fresh process (cold, as a CLI run is),
 * to choose PARALLEL_THRESHOLD_BYTES. Median of 3.
 */
function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

const [dir, mbArg, threadsArg] = process.argv.slice(2) as [string, string?, string?];
if (mbArg && threadsArg) {
  const files: SourceFile[] = [];
  let bytes = 0;
  for (const p of walk(dir)) {
    if (bytes >= Number(mbArg) * 1048576) break;
    const text = readFileSync(p, 'utf8');
    files.push({ path: p, text });
    bytes += text.length;
  }
  const t = performance.now();
  await parseAll(files, Number(threadsArg), 0);
  process.stdout.write(String(performance.now() - t));
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (mb: number, threads: number) => {
    const ms = [0, 1, 2].map(() => Number(execFileSync(process.execPath, [self, dir, String(mb), String(threads)], { encoding: 'utf8' })));
    return ms.sort((a, b) => a - b)[1]!;
  };
  console.log('| input | 1 thread | 2 threads | 2 threads ÷ 1 |\n|---:|---:|---:|---:|');
  for (const mb of (process.env.MBS ?? '2,8,16,32').split(',').map(Number)) {
    const one = run(mb, 1);
    const two = run(mb, 2);
    console.log(`| ${mb} MiB | ${one.toFixed(0)} ms | ${two.toFixed(0)} ms | ${(two / one).toFixed(2)} |`);
  }
}
