import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOfCheckout, ROOT } from './helpers.js';

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

// No registry is reachable, and the npm cache is empty: the package must install from its tarball alone.
const offline = (cache: string) => ({ ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: cache, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

let tarball = '';
let files: string[] = [];
let app = '';

describe('npm pack', () => {
  beforeAll(() => {
    const base = mkdtempSync(path.join(tmpdir(), 'svclint-pack-'));
    // A clean copy of the checkout (no dist/), with this checkout's node_modules for the build that `npm pack` runs.
    const src = path.join(base, 'src');
    copyOfCheckout(src);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
    const packed = sh('npm', ['pack', '--json', '--pack-destination', base], { cwd: src, env: offline(path.join(base, 'cache-pack')) });
    expect(packed.code, packed.stderr).toBe(0);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(base, info[0]!.filename);
    files = info[0]!.files.map((f) => f.path);
    app = path.join(base, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), '{"name": "app", "version": "1.0.0", "private": true, "type": "module"}\n');
    const installed = sh('npm', ['install', '--offline', tarball], { cwd: app, env: offline(path.join(base, 'cache-install')) });
    expect(installed.code, installed.stderr).toBe(0);
  }, 300_000);

  it('holds the command, the bundle, types, rule pages and the license; no tests, benchmarks or sources', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/svclint.js', 'dist-bundle/svclint.js', 'dist-bundle/index.js', 'dist-bundle/parse-worker.js', 'dist/src/index.d.ts', 'rules/selector-no-match/README.md']));
    expect(files.filter((f) => /^(test|bench|fixtures|scripts|src)\/|^dist\/(test|bench)\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs offline with no dependency to fetch; `svclint` runs from node_modules/.bin', () => {
    expect(readdirSync(path.join(app, 'node_modules')).filter((d) => d !== '.bin' && d !== '.package-lock.json')).toEqual(['svclint']);
    cpSync(path.join(ROOT, 'fixtures', 'demo'), path.join(app, 'deploy'), { recursive: true });
    const r = sh(path.join(app, 'node_modules', '.bin', 'svclint'), ['deploy', '-f', 'json'], { cwd: app, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ errors: 4, objects: 13, services: 6 });
    expect(sh(path.join(app, 'node_modules', '.bin', 'svclint'), ['--version'], { cwd: app }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('gives the library API to `import ... from "svclint"`', () => {
    const code = "import { lintText, computeRoutes, RULES } from 'svclint'; const { findings, graph } = lintText('apiVersion: v1\\nkind: Service\\nmetadata: {name: web}\\nspec: {selector: {app: web}, ports: [{port: 80}]}\\n', 'svc.yaml'); console.log(JSON.stringify({ rules: RULES.length > 20, ids: findings.map((f) => f.ruleId), routes: computeRoutes(graph).length }));";
    const r = sh(process.execPath, ['--input-type=module', '-e', code], { cwd: app });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ rules: true, ids: ['selector-no-match'], routes: 1 });
  });
});
