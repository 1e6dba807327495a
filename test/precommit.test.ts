import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const PRE_COMMIT = '/usr/bin/pre-commit';

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}]
`;
const service = (selector: string) => `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: ${selector}}
  ports: [{port: 80, targetPort: http}]
`;

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  it('is installed by the real pre-commit', () => {
    expect(existsSync(PRE_COMMIT), 'pre-commit (Debian package) is installed by .ci/run').toBe(true);
  });

  it('refuses a commit with a broken Service, accepts it once fixed, and sees files that were not staged', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'svclint-pc-'));
    const hookRepo = path.join(base, 'svclint');
    expect(sh('git', ['clone', '--quiet', ROOT, hookRepo]).code).toBe(0);
    const rev = sh('git', ['rev-parse', 'HEAD'], { cwd: hookRepo }).out.trim();
    const repo = path.join(base, 'app');
    mkdirSync(path.join(repo, 'services'), { recursive: true });
    mkdirSync(path.join(repo, 'workloads'), { recursive: true });
    const { FORCE_COLOR: _force, ...inherited } = process.env;
    const env = { ...inherited, PRE_COMMIT_HOME: path.join(base, 'cache'), NO_COLOR: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    const git = (...args: string[]) => sh('git', args, { cwd: repo, env });
    expect(git('init', '--quiet', '-b', 'main').code).toBe(0);
    writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: svclint\n`);
    writeFileSync(path.join(repo, 'workloads', 'web.yaml'), DEPLOYMENT);
    git('add', '.');
    expect(git('commit', '--quiet', '--no-verify', '-m', 'workloads').code).toBe(0);
    expect(sh(PRE_COMMIT, ['install'], { cwd: repo, env }).code).toBe(0);

    // Only the Service is staged; the hook still sees the committed Deployment.
    writeFileSync(path.join(repo, 'services', 'web.yaml'), service('web-frontnd'));
    git('add', 'services/web.yaml');
    const refused = git('commit', '-m', 'broken service');
    expect(refused.code, refused.out).not.toBe(0);
    expect(refused.out).toContain('services/web.yaml:5:3: error: selector `app: web-frontnd` matches no pod');
    expect(refused.out).toContain('(found `app: web`)');
    expect(refused.out).toContain('[selector-no-match]');

    writeFileSync(path.join(repo, 'services', 'web.yaml'), service('web'));
    git('add', 'services/web.yaml');
    const accepted = git('commit', '-m', 'fixed service');
    expect(accepted.code, accepted.out).toBe(0);
    expect(accepted.out).toMatch(/svclint \(Kubernetes Services\)\.+Passed/);
  }, 600_000);
});
