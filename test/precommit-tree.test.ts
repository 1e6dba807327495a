import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { git, GIT_ENV, service, workload } from './git-fixture.js';
import { FINDINGS_CACHE_FILE } from '../src/cli/findings-cache.js';
import { treeId } from '../src/cli/head-key.js';

/**
 * The hook keeps HEAD's findings under a key of HEAD's tree too (src/cli/head-key.ts), so
 * that a second run on the same HEAD (a retry after a fix) derives nothing. What is kept
 * there must be what the plain way (a checkout of HEAD) gives, and any change to what the
 * key covers must miss it.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(): { dir: string; cache: string; write(f: string, t: string): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-pctree-'));
  const cache = mkdtempSync(path.join(tmpdir(), 'svclint-pctree-cache-'));
  dirs.push(dir, cache);
  const write = (f: string, t: string) => {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  };
  git(dir, 'init', '--quiet', '-b', 'main');
  write('services/web.yaml', service('web', 'web'));
  write('services/api.yaml', service('api', 'api'));
  // Broken before any change: the hook leaves it alone unless a change causes it again.
  write('services/legacy.yaml', service('legacy', 'gone'));
  write('workloads/web.yaml', workload('web', 'web'));
  write('workloads/api.yaml', workload('api', 'api'));
  write('kust/base/kustomization.yaml', 'resources:\n  - service.yaml\n');
  write('kust/base/service.yaml', service('cart', 'cart'));
  write('kust/overlay/kustomization.yaml', 'resources:\n  - ../base\nnamePrefix: prod-\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'start');
  return { dir, cache, write };
}

function hook(dir: string, cache: string, files: string[], plain = false) {
  const env = { ...GIT_ENV, XDG_CACHE_HOME: cache, SVCLINT_DEBUG: '1', ...(plain ? { SVCLINT_HOOK_CHECKOUT: '1' } : {}) };
  const r = cli(['pre-commit', '-f', 'json', ...files], { cwd: dir, env });
  return {
    code: r.code,
    stdout: r.stdout,
    byTree: /HEAD's tree is in the findings cache/.test(r.stderr),
    derived: /HEAD's findings (from the cache|linted)/.test(r.stderr),
    stderr: r.stderr,
  };
}

/** Stages a change that makes findings elsewhere (the web pods lose their label, so Service web selects nothing). */
function stageChange(r: ReturnType<typeof repo>, label = 'web-v2'): string[] {
  r.write('workloads/web.yaml', workload('web', label));
  git(r.dir, 'add', '-A');
  return ['workloads/web.yaml'];
}

describe("HEAD's findings by the tree's key", () => {
  it('a second run on the same HEAD takes them by the key, derives nothing, and reports what the plain way reports', () => {
    const r = repo();
    const staged = stageChange(r);
    const first = hook(r.dir, r.cache, staged);
    expect(first.byTree).toBe(false);
    expect(first.derived).toBe(true);
    const second = hook(r.dir, r.cache, staged);
    expect(second.byTree, second.stderr).toBe(true);
    expect(second.derived).toBe(false);
    const plain = hook(r.dir, r.cache, staged, true);
    expect(JSON.parse(plain.stdout).findings.length).toBeGreaterThan(0);
    expect({ code: second.code, stdout: second.stdout }).toEqual({ code: plain.code, stdout: plain.stdout });
    // Another change on the same HEAD uses the same entry.
    const other = stageChange(r, 'api');
    const third = hook(r.dir, r.cache, other);
    expect(third.byTree).toBe(true);
    expect({ code: third.code, stdout: third.stdout }).toEqual((({ code, stdout }) => ({ code, stdout }))(hook(r.dir, r.cache, other, true)));
  });

  it('misses when an untracked file, a new commit or the attributes outside the tree change', () => {
    const r = repo();
    const staged = stageChange(r);
    hook(r.dir, r.cache, staged);
    expect(hook(r.dir, r.cache, staged).byTree).toBe(true);
    // An untracked Service that selects the web pods: HEAD's tree with it has other findings.
    r.write('untracked/web2.yaml', service('web2', 'web'));
    const withUntracked = hook(r.dir, r.cache, staged);
    expect(withUntracked.byTree).toBe(false);
    expect(withUntracked.stdout).toBe(hook(r.dir, r.cache, staged, true).stdout);
    expect(hook(r.dir, r.cache, staged).byTree).toBe(true);
    // The same path with other content.
    r.write('untracked/web2.yaml', service('web2', 'nothing'));
    const edited = hook(r.dir, r.cache, staged);
    expect(edited.byTree).toBe(false);
    expect(edited.stdout).toBe(hook(r.dir, r.cache, staged, true).stdout);
    // Attributes in .git/info: a checkout could convert files another way.
    writeFileSync(path.join(r.dir, '.git', 'info', 'attributes'), '*.yaml text eol=lf\n');
    expect(hook(r.dir, r.cache, staged).byTree).toBe(false);
    expect(hook(r.dir, r.cache, staged).byTree).toBe(true);
    // A commit moves HEAD.
    git(r.dir, 'commit', '--quiet', '--no-verify', '-m', 'next');
    const moved = stageChange(r, 'web');
    const afterCommit = hook(r.dir, r.cache, moved);
    expect(afterCommit.byTree).toBe(false);
    expect(afterCommit.stdout).toBe(hook(r.dir, r.cache, moved, true).stdout);
  });

  it('a corrupt or foreign findings cache costs only time', () => {
    const r = repo();
    const staged = stageChange(r);
    const want = hook(r.dir, r.cache, staged, true);
    hook(r.dir, r.cache, staged);
    const file = path.join(r.cache, 'svclint', FINDINGS_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    // Every entry's value changed in place: the checksums no longer hold.
    writeFileSync(file, text.replace(/"place":"/g, '"place":"x'));
    const corrupt = hook(r.dir, r.cache, staged);
    expect(corrupt.byTree).toBe(false);
    expect({ code: corrupt.code, stdout: corrupt.stdout }).toEqual({ code: want.code, stdout: want.stdout });
    writeFileSync(file, 'something else\n');
    const foreign = hook(r.dir, r.cache, staged);
    expect(foreign.byTree).toBe(false);
    expect({ code: foreign.code, stdout: foreign.stdout }).toEqual({ code: want.code, stdout: want.stdout });
    expect(hook(r.dir, r.cache, staged).byTree).toBe(true);
  });

  it('keeps nothing under the key when a render ran without one (what it read is not known)', () => {
    const r = repo();
    // A remote base: the render has no key, runs every time (and fails offline).
    r.write('kust/remote/kustomization.yaml', 'resources:\n  - https://example.invalid/base?ref=v1\n');
    git(r.dir, 'add', '-A');
    git(r.dir, 'commit', '--quiet', '-m', 'remote');
    const staged = stageChange(r);
    hook(r.dir, r.cache, staged);
    const second = hook(r.dir, r.cache, staged);
    expect(second.byTree).toBe(false);
    expect(second.derived).toBe(true);
    expect(second.stdout.replace(/\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\]/g, '<log>')).toBe(hook(r.dir, r.cache, staged, true).stdout.replace(/\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\]/g, '<log>'));
  });
});

describe("HEAD's findings kept for the next commit (the index's tree)", () => {
  it('computes the id git write-tree gives, for names git orders as bytes (a folder as name/)', () => {
    const r = repo();
    for (const f of ['a-b/x.yaml', 'a/x.yaml', 'a.b', 'a0', 'é/ü.yaml', 'Z', 'deep/er/st/f', 'x y/[1].json']) r.write(f, `${f}\n`);
    git(r.dir, 'add', '-A');
    git(r.dir, 'update-index', '--chmod=+x', 'a0');
    const files = new Map(git(r.dir, 'ls-files', '-s', '-z').split('\0').filter(Boolean).map((l) => {
      const [meta, p] = l.split('\t') as [string, string];
      const [mode, oid] = meta.split(' ') as [string, string];
      return [p, { mode, oid }] as const;
    }));
    expect(files.get('a0')?.mode).toBe('100755');
    expect(files.has('é/ü.yaml')).toBe(true);
    expect(treeId(files, 'sha1')).toBe(git(r.dir, 'write-tree'));
  });

  it('the run before a commit keeps its findings for it: the next commit finds them by the tree, and reports what the plain way reports', () => {
    const r = repo();
    const staged = stageChange(r);
    const before = hook(r.dir, r.cache, staged);
    expect(before.byTree).toBe(false);
    git(r.dir, 'commit', '--quiet', '--no-verify', '-m', 'web-v2');
    const next = stageChange(r, 'api');
    const after = hook(r.dir, r.cache, next);
    expect(after.byTree, after.stderr).toBe(true);
    expect(after.derived).toBe(false);
    const plain = hook(r.dir, r.cache, next, true);
    expect({ code: after.code, stdout: after.stdout }).toEqual({ code: plain.code, stdout: plain.stdout });
  });

  it('keeps nothing for the next commit when the load is not the index tree: an unstaged change, a file git ignores that the walk reads, attributes', () => {
    const cases: [string, (r: ReturnType<typeof repo>) => void][] = [
      ['an unstaged change', (r) => r.write('services/api.yaml', service('api', 'nothing'))],
      // info/exclude is git's, not read by the walk: the file is linted, and a checkout would not have it.
      ['a file git ignores', (r) => {
        writeFileSync(path.join(r.dir, '.git', 'info', 'exclude'), 'local.yaml\n');
        r.write('local.yaml', service('local', 'web-v2'));
      }],
      ['attributes', (r) => writeFileSync(path.join(r.dir, '.git', 'info', 'attributes'), '*.yaml -text\n')],
      // Deleted from the work tree only: a checkout of the index has it.
      ['an unstaged deletion', (r) => rmSync(path.join(r.dir, 'services', 'api.yaml'))],
    ];
    for (const [what, make] of cases) {
      const r = repo();
      const staged = stageChange(r);
      make(r);
      hook(r.dir, r.cache, staged);
      git(r.dir, 'commit', '--quiet', '--no-verify', '-m', 'web-v2');
      const next = stageChange(r, 'api');
      const after = hook(r.dir, r.cache, next);
      expect(after.byTree, what).toBe(false);
      expect(after.derived, what).toBe(true);
      expect(after.stdout, what).toBe(hook(r.dir, r.cache, next, true).stdout);
    }
  });

  it('a file whose time changed but not its content (the index not refreshed) does not keep the findings out', () => {
    const r = repo();
    const staged = stageChange(r);
    // Rewritten with the same bytes and an older time: git's stat information no longer matches, its content does.
    const f = path.join(r.dir, 'services', 'api.yaml');
    writeFileSync(f, readFileSync(f));
    utimesSync(f, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    expect(git(r.dir, 'diff-files', '--name-only')).toContain('services/api.yaml');
    hook(r.dir, r.cache, staged);
    git(r.dir, 'commit', '--quiet', '--no-verify', '-m', 'web-v2');
    const next = stageChange(r, 'api');
    const after = hook(r.dir, r.cache, next);
    expect(after.byTree, after.stderr).toBe(true);
    expect(after.stdout).toBe(hook(r.dir, r.cache, next, true).stdout);
  });
});
