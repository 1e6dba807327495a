import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers.js';

/** Manifests for tests of changes. */
export const workload = (name: string, label: string, env = '', port = 'http', ns = 'shop') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${label}}}
  template:
    metadata: {labels: {app: ${label}}}
    spec:
      containers:
        - name: ${name}
          image: example/${name}:1
          ports: [{name: ${port}, containerPort: 8080}]${env ? `\n          env: [{name: API_URL, value: "${env}"}]` : ''}
`;

export const service = (name: string, selector: string, targetPort = 'http', ns = 'shop') => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${selector}}
  ports: [{name: http, port: 80, targetPort: ${targetPort}}]
`;

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isFile()) out[f.split(path.sep).join('/')] = readFileSync(p, 'utf8');
  }
  return out;
}

/**
 * fixtures/pull-request: the base commit, where web dials api and `legacy` selects nothing
 * (a finding that was there before); the head commit moves legacy's lines, renames the cart
 * pods' label (`cart` → `cart-v2`) without its Service, scales web to 3 and adds a
 * default-deny NetworkPolicy, which cuts web off from api.
 */
export const BASE_FILES = readTree(path.join(ROOT, 'fixtures', 'pull-request', 'base'));
export const HEAD_FILES = readTree(path.join(ROOT, 'fixtures', 'pull-request', 'head'));

/** Fixed names and dates: the same files give the same commits, so rendered examples can name them. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'svclint', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'svclint', GIT_COMMITTER_EMAIL: 'ci@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** A repository with a base commit and a head commit on top of it (the files of head replace those of base). */
export function prRepo(base = BASE_FILES, head = HEAD_FILES, prefix = 'svclint-pr-'): { dir: string; base: string; head: string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  git(dir, 'init', '--quiet', '-b', 'main');
  writeFiles(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  for (const f of Object.keys(base)) if (!(f in head)) rmSync(path.join(dir, f));
  writeFiles(dir, head);
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', 'head');
  return { dir, base: baseSha, head: git(dir, 'rev-parse', 'HEAD') };
}
