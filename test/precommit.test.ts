import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOfCheckout } from './helpers.js';

const PRE_COMMIT = '/usr/bin/pre-commit';

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const DEPLOYMENT = (label: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: ${label}}}
  template:
    metadata: {labels: {app: ${label}}}
    spec:
      containers: [{name: web, image: example/web:1, ports: [{name: http, containerPort: 8080}]}]
`;
const service = (name: string, selector: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${selector}}
  ports: [{port: 80, targetPort: http}]
`;

// No registry, proxy or index is reachable: anything that tried to install would fail.
const OFFLINE = {
  HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '',
  npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true', PIP_INDEX_URL: 'http://127.0.0.1:9/', PIP_NO_INDEX: '1',
};

let base = '';
let hookRepo = '';
let rev = '';

/** The hook repository as pre-commit clones it: this checkout's files (committed or not), no node_modules, no dist. */
function hookRepository(): void {
  hookRepo = path.join(base, 'svclint');
  copyOfCheckout(hookRepo);
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  for (const args of [['init', '--quiet', '-b', 'main'], ['add', '-A'], ['commit', '--quiet', '-m', 'hook']]) expect(sh('git', args, { cwd: hookRepo, env }).code).toBe(0);
  rev = sh('git', ['rev-parse', 'HEAD'], { cwd: hookRepo }).out.trim();
}

function appRepo(name: string) {
  const repo = path.join(base, name);
  mkdirSync(repo, { recursive: true });
  const { FORCE_COLOR: _force, ...inherited } = process.env;
  const env = { ...inherited, ...OFFLINE, PRE_COMMIT_HOME: path.join(base, `cache-${name}`), NO_COLOR: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (...args: string[]) => sh('git', args, { cwd: repo, env });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  expect(git('init', '--quiet', '-b', 'main').code).toBe(0);
  write('.pre-commit-config.yaml', `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: svclint\n`);
  return { repo, env, git, write };
}

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  beforeAll(() => {
    expect(existsSync(PRE_COMMIT), 'pre-commit (Debian package) is installed by .ci/run').toBe(true);
    base = mkdtempSync(path.join(tmpdir(), 'svclint-pc-'));
    hookRepository();
  }, 120_000);

  it('refuses a broken staged Service, offline and with no install, seeing the committed Deployment; accepts it once fixed', () => {
    const { repo, env, git, write } = appRepo('app');
    // The repository holds every manifest of its namespace: a selector that matches nothing is an error.
    write('.svclint.yaml', 'completeInput: true\n');
    write('workloads/web.yaml', DEPLOYMENT('web'));
    git('add', '.');
    expect(git('commit', '--quiet', '--no-verify', '-m', 'workloads').code).toBe(0);
    expect(sh(PRE_COMMIT, ['install'], { cwd: repo, env }).code).toBe(0);

    write('services/web.yaml', service('web', 'web-frontnd'));
    git('add', 'services/web.yaml');
    const started = Date.now();
    const refused = git('commit', '-m', 'broken service');
    console.log(`pre-commit, first run (clone of the hook repository included): ${Date.now() - started} ms`);
    expect(refused.code, refused.out).not.toBe(0);
    expect(refused.out).toContain('services/web.yaml:5:19: error: selector `app: web-frontnd` matches no pod');
    expect(refused.out).toContain('has `app: web` instead of `web-frontnd`');
    expect(refused.out).toContain('[selector-no-match]');
    expect(refused.out).not.toMatch(/npm|install/i);

    write('services/web.yaml', service('web', 'web'));
    git('add', 'services/web.yaml');
    const accepted = git('commit', '-m', 'fixed service');
    expect(accepted.code, accepted.out).toBe(0);
    expect(accepted.out).toMatch(/svclint \(Kubernetes Services\)\.+Passed/);

    // A commit that touches no manifest (package.json is not one) does not run the hook.
    write('package.json', '{"name": "app"}\n');
    write('README.md', '# app\n');
    git('add', 'package.json', 'README.md');
    const skipped = git('commit', '-m', 'docs');
    expect(skipped.code, skipped.out).toBe(0);
    expect(skipped.out).toMatch(/svclint \(Kubernetes Services\)\.+\(no files to check\)Skipped/);
  }, 300_000);

  it('reports what a staged change breaks in untouched files, and not what was broken before', () => {
    const { repo, env, git, write } = appRepo('labels');
    write('.svclint.yaml', 'completeInput: true\n');
    write('workloads/web.yaml', DEPLOYMENT('web'));
    write('services/web.yaml', service('web', 'web'));
    // Broken before this change, in a file the change does not touch: not this commit's business.
    write('services/legacy.yaml', service('legacy', 'gone'));
    git('add', '.');
    expect(git('commit', '--quiet', '--no-verify', '-m', 'start').code).toBe(0);
    expect(sh(PRE_COMMIT, ['install'], { cwd: repo, env }).code).toBe(0);

    // Renaming the label breaks services/web.yaml, which is not staged.
    write('workloads/web.yaml', DEPLOYMENT('web-v2'));
    git('add', 'workloads/web.yaml');
    const refused = git('commit', '-m', 'rename label');
    expect(refused.code, refused.out).not.toBe(0);
    expect(refused.out).toContain('services/web.yaml:5:19: error: selector `app: web` matches no pod');
    expect(refused.out).not.toContain('services/legacy.yaml');

    // A staged change that breaks nothing passes, although legacy.yaml is still broken.
    write('workloads/web.yaml', DEPLOYMENT('web'));
    write('workloads/web.yaml', DEPLOYMENT('web').replace('example/web:1', 'example/web:2'));
    git('add', 'workloads/web.yaml');
    const accepted = git('commit', '-m', 'bump image');
    expect(accepted.code, accepted.out).toBe(0);
    expect(accepted.out).not.toContain('legacy');
  }, 300_000);
});
