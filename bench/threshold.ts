import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAll } from '../src/load/parse-pool.js';
import type { SourceFile } from '../src/types/source.js';

/**
 * `node dist/bench/threshold.js DIR`: parse time of the first N MB of a tree on the main
 * thread and on worker threads, to choose PARALLEL_THRESHOLD_BYTES. Median of 5.
 */
function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

const all: SourceFile[] = walk(process.argv[2]!).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('| input | main thread | 2 threads | threads ÷ main |\n|---:|---:|---:|---:|');
for (const mb of (process.env.MBS ?? '0.5,1,2,4,8').split(',').map(Number)) {
  const files: SourceFile[] = [];
  let bytes = 0;
  for (const f of all) {
    if (bytes >= mb * 1024 * 1024) break;
    files.push(f);
    bytes += f.text.length;
  }
  const time = async (threads: number) => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await parseAll(files, threads, 0);
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const one = await time(1);
  const two = await time(2);
  console.log(`| ${(bytes / 1048576).toFixed(1)} MiB | ${one.toFixed(0)} ms | ${two.toFixed(0)} ms | ${(two / one).toFixed(2)} |`);
}
