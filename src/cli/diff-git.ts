import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { childProcess } from '../lazy-builtins.js';

export interface GitResult {
  ok: boolean;
  out: string;
  err: string;
}

export function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): GitResult {
  const r = childProcess().spawnSync('git', args, { cwd, env, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.error) throw new UsageError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}; is git installed?`);
  return { ok: r.status === 0, out: r.stdout ?? '', err: (r.stderr ?? '').trim() };
}

/** The top folder of the work tree that holds `cwd`, or a usage error naming `what` needs one. */
export function gitTop(cwd: string, what: string): string {
  const r = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!r.ok) throw new UsageError(`${what} runs inside a git repository (${r.err.split('\n')[0] || 'git rev-parse failed'})`);
  return r.out.trim();
}

/** The commit `rev` names, or undefined when this clone does not have it. */
export function commitOf(top: string, rev: string): string | undefined {
  if (rev.startsWith('-')) return undefined;
  const r = git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return r.ok ? r.out.trim() : undefined;
}

/** A commit that must be there: a usage error that says what to fetch when it is not. */
export function requireCommit(top: string, rev: string, option: string): string {
  const sha = commitOf(top, rev);
  if (sha) return sha;
  const shallow = git(top, ['rev-parse', '--is-shallow-repository']).out.trim() === 'true';
  const hint = shallow
    ? `this is a shallow clone: fetch it first (git fetch --depth=1 origin ${rev}), or check out with fetch-depth: 0`
    : `fetch it first (git fetch origin ${rev})`;
  throw new UsageError(`${option}: no commit '${rev}' in this repository; ${hint}`);
}

/** A commit's tree, written out in a new temporary folder. */
export interface Tree {
  dir: string;
  dispose(): void;
}

/**
 * The files of `commit` in a temporary folder: read into a temporary index and checked out
 * from it, so neither the work tree nor the repository's index is touched, and no
 * export-ignore attribute leaves anything out (as `git archive` would). With `untracked`,
 * the work tree's untracked (not ignored) files are copied in too.
 */
export function checkoutTree(top: string, commit: string, opts: { untracked?: boolean } = {}): Tree {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-tree-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const env = { ...process.env, GIT_INDEX_FILE: path.join(dir, '.svclint-index') };
    const read = git(top, ['read-tree', commit], env);
    const out = path.join(dir, 'tree');
    const checkout = read.ok ? git(top, ['checkout-index', '--all', '--force', `--prefix=${out}${path.sep}`], env) : read;
    if (!checkout.ok) throw new UsageError(`cannot read the files of ${commit.slice(0, 12)} from git: ${checkout.err.split('\n')[0]}`);
    mkdirSync(out, { recursive: true }); // an empty commit checks out nothing
    rmSync(env.GIT_INDEX_FILE, { force: true });
    if (opts.untracked) {
      const list = git(top, ['ls-files', '-z', '--others', '--exclude-standard']).out.split('\0').filter(Boolean);
      for (const f of list) {
        mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
        cpSync(path.join(top, f), path.join(out, f));
      }
    }
    return { dir: out, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}

/**
 * Where `p` (a path of the work tree, relative to `cwd` or absolute) is in a checked-out
 * tree; paths outside the repository stay as they are (the same file on both sides).
 */
export function inTree(p: string, cwd: string, top: string, treeDir: string): string {
  if (p === '-') return p;
  const abs = path.resolve(realpathSync(cwd), p);
  const rel = path.relative(top, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return path.join(treeDir, rel);
}
