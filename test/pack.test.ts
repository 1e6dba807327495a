import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOfCheckout, ROOT } from './helpers.js';

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 240_000, ...opts });
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

// No registry is reachable, and the npm cache is empty: every install path must work from the repository alone.
const offline = (cache: string) => ({ ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: cache, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

let base = '';
let clone = '';
let tarball = '';
let files: string[] = [];
let app = '';

/** Lints the demo with an installed `svclint` and checks what a user would see. */
function lintsTheDemo(bin: string, cwd: string): void {
  const deploy = path.join(cwd, 'deploy');
  if (!existsSync(deploy)) cpSync(path.join(ROOT, 'fixtures', 'demo'), deploy, { recursive: true });
  const r = sh(bin, ['deploy', '-f', 'json'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).summary).toMatchObject({ errors: 5, objects: 13, services: 6 });
  expect(sh(bin, ['--version'], { cwd }).stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
}

describe('install paths, offline, from a clone with no node_modules and no build', () => {
  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'svclint-pack-'));
    // A clone as `git clone` gives it: the committed files, no node_modules, no dist/.
    clone = copyOfCheckout(path.join(base, 'clone'));
    const git = (...args: string[]) => sh('git', ['-c', 'user.name=svclint', '-c', 'user.email=svclint@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: clone });
    expect(git('init', '-q').code).toBe(0);
    expect(git('add', '-A').code).toBe(0);
    expect(git('commit', '-qm', 'clone').code).toBe(0);
    const packed = sh('npm', ['pack', '--json', '--pack-destination', base], { cwd: clone, env: offline(path.join(base, 'cache-pack')) });
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

  it('no lifecycle script builds on install: git installs would fetch every devDependency to run it', () => {
    // pacote prepares a git dependency (installs its devDependencies) when any of these scripts exists.
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(Object.keys(scripts).filter((s) => ['build', 'prepare', 'prepack', 'preinstall', 'install', 'postinstall'].includes(s))).toEqual([]);
  });

  it('the tarball holds the command, the bundle, types, rule pages and the license; no tests, benchmarks or sources', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/svclint.js', 'bin/svclint.cjs', 'dist-bundle/svclint.cjs', 'dist-bundle/code-cache.cjs', 'dist-bundle/index.js', 'dist-bundle/parse-worker.js', 'dist-types/src/index.d.ts', 'rules/selector-no-match/README.md']));
    expect(files.filter((f) => /^(test|bench|fixtures|scripts|src|dist)\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('the tarball installs offline with no dependency to fetch; `svclint` runs from node_modules/.bin', () => {
    expect(readdirSync(path.join(app, 'node_modules')).filter((d) => d !== '.bin' && d !== '.package-lock.json')).toEqual(['svclint']);
    lintsTheDemo(path.join(app, 'node_modules', '.bin', 'svclint'), app);
  });

  it('gives the library API to `import ... from "svclint"`', () => {
    const code = "import { lintText, computeRoutes, RULES } from 'svclint'; const { findings, graph } = lintText('apiVersion: v1\\nkind: Service\\nmetadata: {name: web}\\nspec: {selector: {app: web}, ports: [{port: 80}]}\\n', 'svc.yaml'); console.log(JSON.stringify({ rules: RULES.length > 20, ids: findings.map((f) => f.ruleId), routes: computeRoutes(graph).length }));";
    const r = sh(process.execPath, ['--input-type=module', '-e', code], { cwd: app });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ rules: true, ids: ['selector-no-match'], routes: 1 });
  });

  it('its types compile in a project with no @types/node, no DOM library and full library checks', () => {
    writeFileSync(path.join(app, 'use.ts'), [
      "import { lintText, loadConfig, computeRoutes, type Finding, type Config } from 'svclint';",
      "const findings: Finding[] = lintText('a: 1', 'a.yaml').findings;",
      'const later: Promise<Config> = loadConfig(\'.svclint.yaml\');',
      'export const n: number = findings.length + computeRoutes(lintText(\'\').graph).length;',
      'export { later };',
      '',
    ].join('\n'));
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022'], types: [], noEmit: true, skipLibCheck: false }, files: ['use.ts'] }));
    const r = sh(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
    // And a wrong use is caught, so the check above could fail.
    writeFileSync(path.join(app, 'use.ts'), "import { lintText } from 'svclint';\nexport const s: string = lintText('a: 1').findings;\n");
    expect(sh(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app }).code).not.toBe(0);
  });

  it('`npm i -g .` from the clone installs a working `svclint` with no build step', () => {
    const prefix = path.join(base, 'global-dir');
    const r = sh('npm', ['install', '-g', '--prefix', prefix, '.'], { cwd: clone, env: offline(path.join(base, 'cache-g1')) });
    expect(r.code, r.stderr).toBe(0);
    const work = mkdtempSync(path.join(base, 'w-'));
    lintsTheDemo(path.join(prefix, 'bin', 'svclint'), work);
  });

  it('`npm i -g git+file://…` installs a working `svclint` (a copy, not a link into npm\'s cache) with no build step', () => {
    const prefix = path.join(base, 'global-git');
    const r = sh('npm', ['install', '-g', '--prefix', prefix, `git+file://${clone}`], { cwd: base, env: offline(path.join(base, 'cache-g2')) });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(path.join(prefix, 'lib', 'node_modules', 'svclint')).isDirectory()).toBe(true);
    const work = mkdtempSync(path.join(base, 'w-'));
    lintsTheDemo(path.join(prefix, 'bin', 'svclint'), work);
  });

  it('`npx <clone>` runs it', () => {
    const work = mkdtempSync(path.join(base, 'w-'));
    cpSync(path.join(ROOT, 'fixtures', 'demo'), path.join(work, 'deploy'), { recursive: true });
    const r = sh('npx', ['--yes', clone, 'deploy', '-f', 'json'], { cwd: work, env: { ...offline(path.join(base, 'cache-npx')), NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ errors: 5, objects: 13 });
  });

  it('`npm publish --dry-run` packs the same files without a warning about the package', () => {
    const r = sh('npm', ['publish', '--dry-run'], { cwd: clone, env: offline(path.join(base, 'cache-publish')) });
    expect(r.code, r.stderr).toBe(0);
    // The only warning left is that nobody is logged in to the (unreachable) registry.
    expect(r.stderr.split('\n').filter((l) => /npm warn/i.test(l) && !/requires you to be logged in/.test(l))).toEqual([]);
  });
});
