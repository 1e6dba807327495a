// Regenerates the rule index in docs/rules.md from `svclint rules --format markdown`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const index = execFileSync(process.execPath, ['bin/svclint.js', 'rules', '--format', 'markdown'], { encoding: 'utf8' });
const readme = readFileSync('docs/rules.md', 'utf8');
const next = readme.replace(/<!-- rules:start -->\n[\s\S]*?<!-- rules:end -->/, `<!-- rules:start -->\n${index.replaceAll('](rules/', '](../rules/')}<!-- rules:end -->`);
writeFileSync('docs/rules.md', next);
console.log(next === readme ? 'docs/rules.md already current' : 'docs/rules.md updated');
