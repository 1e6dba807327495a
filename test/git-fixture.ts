import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Manifests for pull-request tests: a shop whose change renames labels, moves lines and adds a NetworkPolicy. */
export const workload = (name: string, label: string, env = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${label}}}
  template:
    metadata: {labels: {app: ${label}}}
    spec:
      containers:
        - name: ${name}
          image: example/${name}:1
          ports: [{name: http, containerPort: 8080}]${env ? `\n          env: [{name: API_URL, value: "${env}"}]` : ''}
`;

export const service = (name: string, selector: string, targetPort = 'http') => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: ${selector}}
  ports: [{name: http, port: 80, targetPort: ${targetPort}}]
`;

export const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
`;

/** The base commit: web dials api; `legacy` selects nothing (a finding that was there before). */
export const BASE_FILES: Record<string, string> = {
  'k8s/web.yaml': `${workload('web', 'web', 'http://api:80')}---\n${service('web', 'web')}`,
  'k8s/api.yaml': `${workload('api', 'api')}---\n${service('api', 'api')}`,
  'k8s/cart.yaml': `${workload('cart', 'cart')}---\n${service('cart', 'cart')}`,
  'k8s/legacy.yaml': service('legacy', 'gone'),
};

/**
 * The head commit: lines moved above the old finding, the cart pods' label renamed
 * (`cart` → `cart-v2`) without its Service, and a default-deny NetworkPolicy added, which
 * cuts web off from api.
 */
export const HEAD_FILES: Record<string, string> = {
  'k8s/web.yaml': `${workload('web', 'web', 'http://api:80')}---\n${service('web', 'web')}`,
  'k8s/api.yaml': `${workload('api', 'api')}---\n${service('api', 'api')}`,
  'k8s/cart.yaml': `${workload('cart', 'cart-v2')}---\n${service('cart', 'cart')}`,
  'k8s/legacy.yaml': `# kept for old clients\n\n${service('legacy', 'gone')}`,
  'k8s/policy.yaml': DENY,
};

export const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

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
