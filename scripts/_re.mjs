import { readFileSync } from 'node:fs';
import { globbySync } from 'globby';
import { splitDocuments } from '../dist/src/load/split.js';
const files = globbySync(['**/*.{yaml,yml}'], { cwd: '/work/shared/corpus', absolute: true });
const docs = [];
for (const f of files) { const t = readFileSync(f, 'utf8'); const s = splitDocuments(t); if (s) for (const x of s) docs.push(t.slice(x.start, x.end)); }
const RE = {
  ROOT_BLOCK_SCALAR_HASH: /^(?:[ ]+|---[ ]+)[|>][-+0-9]*[ ]*(?:#.*)?\r?\n(?:[ ]*\r?\n)*[ ]*#/m,
  ALT: /(?:^|\n)(?:[ ]+|---[ ]+)[|>][-+0-9]*[ ]*(?:#.*)?\r?\n(?:[ ]*\r?\n)*[ ]*#/,
  EMPTY_NESTED_ENTRY: /^[ ]*(?:-[ ]+)+-[ ]*(?:#.*)?$/m,
  DASH_SPACE_DASH: /-[ ]+-/,
  LEAVE_TO_YAML: /[&*!\t\uFEFF]|<<|\{\{|[}\]]:(?:[\s,\]}]|$)|[|>](?:[1-9][-+]?|[-+][1-9])[ ]*(?:#.*)?$|[}\]"']#|[{,]\s*\[|\{\s*\{|[{,]\s*(?:~|null|Null|NULL)\s*[,}]/m,
  LEAVE_KEYS: /(?:^|[\s{,[])(?:[?:]|~[ ]*:|(?:null|Null|NULL)[ ]*:)(?:\s|$)/m,
  DASHES_AT_START: /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*---[^ \t\r\n]/,
  MAPPING_KEY_AT: /[{,](?:[ \t\r\n]|#[^\n]*\n)*\{/,
};
console.log(docs.length, 'docs', docs.reduce((a, d) => a + d.length, 0), 'chars');
for (const [n, re] of Object.entries(RE)) {
  for (let r = 0; r < 2; r++) { let hits = 0; const t = performance.now(); for (const d of docs) if ((n !== 'ROOT_BLOCK_SCALAR_HASH' && n !== 'ALT') || d.includes('#')) { if (re.test(d)) hits++; } if (r) console.log(n.padEnd(24), (performance.now() - t).toFixed(0), 'ms', hits); }
}
