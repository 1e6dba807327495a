// Regenerates the rule index in README.md from `svclint rules --format markdown`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const index = execFileSync(process.execPath, ['bin/svclint.js', 'rules', '--format', 'markdown'], { encoding: 'utf8' });
const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(/<!-- rules:start -->\n[\s\S]*?<!-- rules:end -->/, `<!-- rules:start -->\n${index}<!-- rules:end -->`);
writeFileSync('README.md', next);
console.log(next === readme ? 'README.md rule index already current' : 'README.md rule index updated');
