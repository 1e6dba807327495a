// Runs the test suite under Node.js 24, the runtime GitHub uses for actions, next to the
// machine's Node.js. The `node` package on the npm registry brings the Node 24 binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const prefix = path.join(tmpdir(), 'svclint-node24');
const bin = path.join(prefix, 'node_modules', '.bin', 'node');
if (!existsSync(bin)) {
  mkdirSync(prefix, { recursive: true });
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, 'node@24'], { stdio: 'inherit' });
}
const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
console.log(`running the suite under Node.js ${version}`);
const r = spawnSync(bin, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, SVCLINT_TEST_RESULTS: 'test-results-node24.json' },
});
process.exit(r.status ?? 1);
