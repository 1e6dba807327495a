import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { KUBERNETES_VERSIONS } from '../src/kubernetes.js';

const COMMITTED = path.join(ROOT, 'dist-bundle');
const STALE = 'dist-bundle/ differs from a fresh build of the sources: run `npm run bundle` and commit dist-bundle/';

/** Every file under a folder, as sorted relative paths. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath ?? d.path, d.name)))
    .sort();
}

describe('dist-bundle/ (npm run bundle)', () => {
  it('is what a fresh build of the sources gives, byte for byte', () => {
    const fresh = path.join(mkdtempSync(path.join(tmpdir(), 'svclint-bundle-')), 'out');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs'), fresh], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const files = listFiles(fresh);
    expect(listFiles(COMMITTED), STALE).toEqual(files);
    for (const f of files) {
      expect(readFileSync(path.join(COMMITTED, f)).equals(readFileSync(path.join(fresh, f))), `${f}: ${STALE}`).toBe(true);
    }
  });

  it('dist-types/ (the declarations that ship) is what a fresh `npm run types` gives', () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'svclint-types-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.types.json', '--outDir', fresh], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const stale = 'dist-types/ differs from the sources: run `npm run types` (or `npm run bundle`) and commit dist-types/';
    const files = listFiles(fresh);
    expect(files).toContain(path.join('src', 'index.d.ts'));
    expect(listFiles(path.join(ROOT, 'dist-types')), stale).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(ROOT, 'dist-types', f), 'utf8'), `${f}: ${stale}`).toBe(readFileSync(path.join(fresh, f), 'utf8'));
  });

  it('runs from a folder without node_modules: the command, the schemas of every version, the library', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-bundle-run-'));
    cpSync(COMMITTED, path.join(dir, 'dist-bundle'), { recursive: true });
    cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'fixtures', 'demo'), path.join(dir, 'demo'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    for (const version of KUBERNETES_VERSIONS) {
      const r = spawnSync(process.execPath, ['bin/svclint.js', 'demo', '--kubernetes-version', version, '-f', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout).summary).toMatchObject({ errors: 5, objects: 13 });
    }
    // Over the parallel threshold, parsing runs on threads started from dist-bundle/parse-worker.js.
    const big = 'x'.repeat(600 * 1024);
    mkdirSync(path.join(dir, 'big'));
    for (let i = 0; i < 10; i++) writeFileSync(path.join(dir, 'big', `cm-${i}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {blob: ${big}}\n`);
    const threaded = spawnSync(process.execPath, ['bin/svclint.js', 'big', '-f', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(threaded.stderr).toBe('');
    expect(JSON.parse(threaded.stdout).summary).toMatchObject({ errors: 0, objects: 10 });
    const lib = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./dist-bundle/index.js'); console.log(m.lintText('kind: Service\\napiVersion: v1\\nmetadata: {name: Web}\\n').findings.map((f) => f.ruleId).join(','))"], { cwd: dir, encoding: 'utf8' });
    expect(lib.stderr).toBe('');
    expect(lib.stdout).toContain('service-name-invalid');
    // discover() with only the folder to work from (every other option has a default).
    const found = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./dist-bundle/index.js'); const r = await m.discover(['demo'], { cwd: process.cwd() }); console.log(r.files.length, r.problems.length)"], { cwd: dir, encoding: 'utf8' });
    expect(found.stderr).toBe('');
    expect(found.stdout).toBe('5 0\n');
    // A config file beside the input: it is validated with ajv, which the bundle inlines.
    writeFileSync(path.join(dir, 'demo', '.svclint.yaml'), 'rules:\n  service-name-invalid: off\nfailLevel: error\n');
    const configured = spawnSync(process.execPath, [path.join(dir, 'bin', 'svclint.js'), '.', '-f', 'json'], { cwd: path.join(dir, 'demo'), encoding: 'utf8' });
    expect(configured.stderr).toBe('');
    const report = JSON.parse(configured.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('service-name-invalid');
    expect(report.summary.errors).toBeLessThan(5);
    writeFileSync(path.join(dir, 'demo', '.svclint.yaml'), 'rules:\n  service-name-invalidd: off\n');
    const bad = spawnSync(process.execPath, [path.join(dir, 'bin', 'svclint.js'), '.'], { cwd: path.join(dir, 'demo'), encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^svclint: invalid config .*unknown rule 'service-name-invalidd'/);
    const libConfig = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./dist-bundle/index.js'); const c = await m.loadConfig('demo/.svclint.yaml').catch((e) => e); console.log(c.message ?? 'loaded')"], { cwd: dir, encoding: 'utf8' });
    expect(libConfig.stdout).toMatch(/unknown rule 'service-name-invalidd'/);
  });
});
