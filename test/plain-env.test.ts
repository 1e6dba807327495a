import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('usePlainEnvironment (src/plain-env.ts)', () => {
  it('keeps every variable, makes process.env a plain object, and child processes get the copy', () => {
    const script = `import { usePlainEnvironment } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'src', 'plain-env.js')).href)};
import { execFileSync } from 'node:child_process';
const before = { ...process.env };
usePlainEnvironment();
process.env.SVCLINT_CHILD_SEES = 'yes';
const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.env.SVCLINT_PLAIN_ENV_TEST) + "," + process.env.SVCLINT_CHILD_SEES)'], { encoding: 'utf8' });
console.log(JSON.stringify({ same: Object.entries(before).every(([k, v]) => process.env[k] === v), plain: Object.getPrototypeOf(process.env) === Object.prototype, child }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, SVCLINT_PLAIN_ENV_TEST: 'kept' } });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ same: true, plain: process.platform !== 'win32', child: 'kept,yes' });
  });
});
