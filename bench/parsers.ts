import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Lexer, Parser } from 'yaml';
import { parseValues } from '../src/load/fast-parse.js';
import { parseWithYaml } from '../src/load/parse.js';

/**
 * `node dist/bench/parsers.js DIR...`: value-parser candidates over the same texts on one
 * thread, median of 3: how the value parser was chosen (BENCHMARKS.md).
 */
function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : /\.(ya?ml|json)$/.test(e) ? [p] : [];
  });
}

// js-yaml 4, as @kubernetes/client-node ships it, for comparison only (default schema).
const require = createRequire(require_from());
function require_from(): string {
  return path.join(process.cwd(), 'node_modules', '@kubernetes', 'client-node', 'package.json');
}
let jsYaml4: { loadAll: (t: string) => unknown[] } | undefined;
try {
  jsYaml4 = require('js-yaml') as typeof jsYaml4;
} catch {
  jsYaml4 = undefined;
}

const candidates: [string, (t: string) => unknown][] = [
  ['yaml parseAllDocuments + toJS (before)', (t) => parseWithYaml(t)],
  ['yaml Lexer only', (t) => [...new Lexer().lex(t)].length],
  ['yaml Lexer + Parser (CST, no values)', (t) => [...new Parser().parse(t)].length],
  ['splitter + js-yaml 5, kubectl scalars (chosen)', (t) => parseValues(t) ?? parseWithYaml(t)],
  ...(jsYaml4 ? [['js-yaml 4 loadAll, default schema', (t: string) => jsYaml4!.loadAll(t)] as [string, (t: string) => unknown]] : []),
];

for (const dir of process.argv.slice(2)) {
  const texts = walk(dir).map((p) => readFileSync(p, 'utf8'));
  const mb = texts.reduce((n, t) => n + t.length, 0) / 1e6;
  const fast = texts.filter((t) => parseValues(t)).length;
  console.log(`\n${dir}: ${texts.length} files, ${mb.toFixed(1)} MB, ${fast} files (${((100 * fast) / texts.length).toFixed(0)}%) on the fast path`);
  for (const [name, fn] of candidates) {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      for (const t of texts) {
        try {
          fn(t);
        } catch {
          // js-yaml 4 throws on errors; only time matters here
        }
      }
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    console.log(`| ${name} | ${ms[1]!.toFixed(0)} ms | ${(mb / (ms[1]! / 1000)).toFixed(1)} MB/s |`);
  }
}
