import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { git, GIT_ENV, service, workload } from './git-fixture.js';

/**
 * The pre-commit hook derives HEAD's findings without checking HEAD out, reuses renders
 * and texts, lints only the rules that found something elsewhere, and keeps HEAD's
 * findings between runs (src/cli/precommit.ts). None of that may change what it reports:
 * over a generated repository, random one-file changes are staged and the hook's output
 * and exit code are compared with those of its plain way (SVCLINT_HOOK_CHECKOUT=1: every
 * rule, over a checkout of HEAD with the untracked files). Some changes are committed, so
 * HEAD moves and the findings kept for it are used. SVCLINT_SEED=N reruns a seed.
 */

// A Deployment that dials a Service by its DNS name: a missing Service is a finding in this file.
const client = (name: string, url: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: example/${name}:1
          env: [{name: API_URL, value: "${url}"}]
`;

/** The repository every run starts from. */
const START: Record<string, string> = {
  '.svclint.yaml': 'completeInput: true\nignore: ["notes/**"]\n',
  '.gitignore': 'ignored/\n*.local.yaml\nvendor/\n',
  '.gitattributes': '*.yaml text=auto\n',
  'extra/.svclintignore': 'skip.yaml\n',
  'extra/skip.yaml': service('skipped', 'nothing'),
  'extra/keep.yaml': service('kept', 'web'),
  'notes/svc.yaml': service('noted', 'nothing'),
  // Tracked although .gitignore names its folder (added with --force).
  'vendor/svc.yaml': service('vendored', 'api'),
  'services/web.yaml': service('web', 'web'),
  'services/api.yaml': service('api', 'api'),
  // Broken before any change: the hook leaves it alone unless a change touches it.
  'services/legacy.yaml': service('legacy', 'gone'),
  'workloads/web.yaml': workload('web', 'web'),
  'workloads/api.yaml': workload('api', 'api'),
  'workloads/client.yaml': client('client', 'http://api.shop.svc.cluster.local'),
  'kust/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
  'kust/base/deployment.yaml': workload('cart', 'cart', '', 'http', 'store'),
  'kust/base/service.yaml': service('cart', 'cart', 'http', 'store'),
  'kust/overlay/kustomization.yaml': 'resources:\n  - ../base\nnamePrefix: prod-\n',
  'kust/other/kustomization.yaml': 'resources:\n  - ../base\nnamespace: other\n',
  'ignored/web.yaml': service('ignored', 'nothing'),
  'notes/config.json': '{"not": "a manifest"}\n',
};

/** A small deterministic random source (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Repo {
  dir: string;
  read(f: string): string | undefined;
  write(f: string, text: string): void;
  remove(f: string): void;
  tracked(): string[];
}

function repo(): Repo {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-pcfast-'));
  const r: Repo = {
    dir,
    read: (f) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : undefined),
    write: (f, text) => {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), text);
    },
    remove: (f) => rmSync(path.join(dir, f), { force: true }),
    tracked: () => git(dir, 'ls-files').split('\n').filter(Boolean),
  };
  git(dir, 'init', '--quiet', '-b', 'main');
  for (const [f, t] of Object.entries(START)) r.write(f, t);
  git(dir, 'add', '-A');
  git(dir, 'add', '--force', 'vendor/svc.yaml');
  git(dir, 'commit', '--quiet', '-m', 'start');
  return r;
}

type Edit = { what: string; apply(r: Repo, pick: <T>(xs: T[]) => T): void };

const LABELS = ['web', 'api', 'cart', 'gone', 'web-v2', 'client'];
const manifests = (r: Repo) => r.tracked().filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.'));
const withKind = (r: Repo, kind: string) => manifests(r).filter((f) => new RegExp(`^kind: ${kind}$`, 'm').test(r.read(f) ?? ''));

/** One-file changes, each staged with `git add -A`. */
const EDITS: Edit[] = [
  { what: 'delete a Service', apply: (r, pick) => { const f = withKind(r, 'Service'); if (f.length) r.remove(pick(f)); } },
  {
    what: 'change a selector',
    apply: (r, pick) => {
      const f = withKind(r, 'Service');
      if (!f.length) return;
      const file = pick(f);
      r.write(file, r.read(file)!.replace(/selector: \{app: [^}]*\}/, `selector: {app: ${pick(LABELS)}}`));
    },
  },
  {
    what: 'rename a port',
    apply: (r, pick) => {
      const f = withKind(r, 'Deployment').filter((x) => r.read(x)!.includes('ports:'));
      if (!f.length) return;
      const file = pick(f);
      r.write(file, r.read(file)!.replace(/ports: \[\{name: [a-z0-9-]+/, `ports: [{name: ${pick(['http', 'web', 'metrics'])}`));
    },
  },
  {
    what: 'relabel a Deployment',
    apply: (r, pick) => {
      const f = withKind(r, 'Deployment');
      if (!f.length) return;
      const file = pick(f);
      const label = pick(LABELS);
      r.write(file, r.read(file)!.replace(/matchLabels: \{app: [^}]*\}/, `matchLabels: {app: ${label}}`).replace(/labels: \{app: [^}]*\}\}/, `labels: {app: ${label}}}`));
    },
  },
  {
    what: 'add a file',
    apply: (r, pick) => {
      const name = `x${Math.floor(pick([1, 2, 3, 4, 5, 6, 7, 8, 9]))}`;
      const where = pick(['services', 'workloads', 'new', 'kust/base', 'kust/overlay', 'deep/a/b']);
      r.write(`${where}/${name}.yaml`, pick([service(name, pick(LABELS)), workload(name, pick(LABELS)), client(name, `http://${pick(LABELS)}.shop.svc.cluster.local`)]));
    },
  },
  { what: 'delete a file', apply: (r, pick) => { const f = manifests(r); if (f.length) r.remove(pick(f)); } },
  {
    what: 'edit a kustomization',
    apply: (r, pick) => {
      const f = r.tracked().filter((x) => x.endsWith('kustomization.yaml'));
      if (!f.length) return;
      const file = pick(f);
      const text = r.read(file)!;
      r.write(file, pick([
        text.replace(/  - service\.yaml\n/, ''),
        text.replace(/namePrefix: \S+/, 'namePrefix: stage-'),
        `${text}commonLabels: {tier: ${pick(['a', 'b'])}}\n`,
        `${text}namespace: ${pick(['shop', 'store', 'other'])}\n`,
        text.replace('resources:\n', 'resources:\n  - extra.yaml\n'),
        'resources:\n  - ../nowhere\n',
      ]));
    },
  },
  {
    what: 'edit a base file',
    apply: (r, pick) => {
      const f = r.tracked().filter((x) => x.startsWith('kust/base/') && !x.endsWith('kustomization.yaml'));
      if (!f.length) return;
      const file = pick(f);
      r.write(file, r.read(file)!.replace(/app: [a-z0-9-]+/, `app: ${pick(LABELS)}`));
    },
  },
  {
    what: 'CRLF line ends',
    apply: (r, pick) => {
      const f = manifests(r).filter((x) => x.endsWith('.yaml'));
      if (f.length) { const file = pick(f); r.write(file, r.read(file)!.replace(/\r?\n/g, '\r\n')); }
    },
  },
  { what: 'edit .gitignore', apply: (r, pick) => r.write('.gitignore', pick(['ignored/\n', 'ignored/\nservices/legacy.yaml\n', 'ignored/\n*.local.yaml\nkust/\n'])) },
  {
    what: 'add a link',
    apply: (r, pick) => {
      const target = pick(manifests(r));
      if (!target) return;
      r.remove('links/copy.yaml');
      mkdirSync(path.join(r.dir, 'links'), { recursive: true });
      symlinkSync(path.relative(path.join(r.dir, 'links'), path.join(r.dir, target)), path.join(r.dir, 'links', 'copy.yaml'));
    },
  },
];

/** Changes made after staging, as a hook run by hand meets them (pre-commit stashes them first). */
const AFTER: Edit[] = [
  { what: 'nothing', apply: () => {} },
  { what: 'nothing', apply: () => {} },
  { what: 'an untracked file', apply: (r, pick) => r.write(`untracked/${pick(['a', 'b'])}.yaml`, service('loose', pick(LABELS))) },
  { what: 'an ignored file', apply: (r, pick) => r.write(`services/extra.local.yaml`, service('local', pick(LABELS))) },
  {
    what: 'an unstaged change',
    apply: (r, pick) => {
      const f = withKind(r, 'Service');
      if (f.length) { const file = pick(f); r.write(file, r.read(file)!.replace(/selector: \{app: [^}]*\}/, `selector: {app: ${pick(LABELS)}}`)); }
    },
  },
];

function hook(dir: string, files: string[], cache: string, plain: boolean) {
  const env = { ...GIT_ENV, XDG_CACHE_HOME: cache, SVCLINT_DEBUG: '1', ...(plain ? { SVCLINT_HOOK_CHECKOUT: '1' } : {}) };
  const r = cli(['pre-commit', '-f', 'json', ...files], { cwd: dir, env });
  // kubectl's log header (time, process id) differs between any two runs of a failing render.
  const stdout = r.stdout.replace(/\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\]/g, '<log>');
  return { code: r.code, stdout, checkedOut: /checking HEAD out/.test(r.stderr), byTree: /HEAD's tree is in the findings cache/.test(r.stderr), stderr: r.stderr };
}

describe('the pre-commit hook against its plain way (differential)', () => {
  it('reports the same findings and exit code after random one-file changes', () => {
    const seed = Number(process.env.SVCLINT_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
    const r = repo();
    const cache = mkdtempSync(path.join(tmpdir(), 'svclint-pcfast-cache-'));
    const trials = Number(process.env.SVCLINT_TRIALS ?? 36);
    const log: string[] = [];
    let fast = 0;
    let byTree = 0;
    let reported = 0;
    try {
      for (let i = 0; i < trials; i++) {
        git(r.dir, 'reset', '--quiet', '--hard');
        git(r.dir, 'clean', '--quiet', '-fd');
        if (existsSync(path.join(r.dir, 'services/extra.local.yaml'))) unlinkSync(path.join(r.dir, 'services/extra.local.yaml'));
        const edit = pick(EDITS);
        edit.apply(r, pick);
        git(r.dir, 'add', '-A');
        const after = pick(AFTER);
        after.apply(r, pick);
        const staged = git(r.dir, 'diff', '--cached', '--name-only', '--diff-filter=d').split('\n').filter((f) => /\.(ya?ml|json)$/.test(f));
        const step = `seed ${seed}, trial ${i}: ${edit.what}, then ${after.what} (staged: ${staged.join(' ') || 'none'})`;
        log.push(step);
        const plain = hook(r.dir, staged, cache, true);
        const quick = hook(r.dir, staged, cache, false);
        expect({ code: quick.code, stdout: quick.stdout }, `${step}\n${quick.stderr}`).toEqual({ code: plain.code, stdout: plain.stdout });
        expect(plain.code, `${step}\n${plain.stderr}`).toBeLessThan(2);
        if (!quick.checkedOut) fast++;
        if (quick.byTree) byTree++;
        reported += (JSON.parse(quick.stdout) as { findings: unknown[] }).findings.length;
        // A committed link would send every later run to a checkout.
        if (next() < 0.35 && edit.what !== 'add a link') git(r.dir, 'commit', '--quiet', '--no-verify', '--allow-empty', '-m', `trial ${i}`);
      }
    } finally {
      console.log(`${log.join('\n')}\n${fast} of ${trials} runs without a checkout, ${byTree} with HEAD's findings by the tree's key, ${reported} findings reported`);
      rmSync(r.dir, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
    // Most changes take the way without a checkout (links and .gitignore edits do not).
    expect(fast).toBeGreaterThan(trials / 2);
    expect(reported).toBeGreaterThan(0);
  }, 600_000);
});
