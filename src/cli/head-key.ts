import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Config } from '../engine/config.js';
import { ancestorFiles } from '../load/discover.js';
import { DiskView, under } from '../load/view.js';
import { rendererIds } from '../load/render.js';
import { keepTree, knownTree } from './findings-cache.js';
import { nulList, start } from './head-tree.js';
import { renderOptions, type InputOpts, type Loaded } from './lint-command.js';

/** Past these, the untracked files are not hashed for a key: HEAD's inputs are derived instead. */
const MAX_UNTRACKED_FILES = 2000;
const MAX_UNTRACKED_BYTES = 64 * 1024 * 1024;

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A file's content hash, '' when it is not there, '?' when it cannot be read. */
function contentOf(file: string): string {
  try {
    return sha(readFileSync(file));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? '' : '?';
  }
}

/** What the tree's key covers besides the tree: the untracked files and what lies outside the tree. */
interface Context {
  untracked: [string, string][];
  settings: [string, string][];
  attributes: string[][];
  above: string[][];
  inputs: unknown;
}

/**
 * What a load of a tree checked out with the work tree's untracked files (as the pre-commit
 * hook lints HEAD) is a function of, besides the tree: each untracked file by its path and
 * content, what git converts on checkout by (the settings and attribute files outside the
 * tree), the ignore files above the repository, the renderers, and the command line's input
 * options with the values files' content. The config is added by the findings cache.
 * Undefined when git cannot say, or an untracked path is not a regular file, or there are
 * too many untracked files to hash.
 */
async function context(top: string, opts: InputOpts, config: Config, env: NodeJS.ProcessEnv, git: Promise<string[] | undefined>): Promise<Context | undefined> {
  let answers: [Buffer, Buffer, string[] | undefined];
  try {
    answers = await Promise.all([
      start(top, ['ls-files', '-z', '--others', '--exclude-standard']),
      start(top, ['config', '-z', '--get-regexp', '^(core\\.(autocrlf|eol|attributesfile|symlinks)|filter\\.)'], undefined, [1]),
      git,
    ]);
  } catch {
    return undefined;
  }
  const [others, settings, revs] = answers;
  const gitDir = revs?.[0];
  if (!gitDir) return undefined;
  const untracked: [string, string][] = [];
  let bytes = 0;
  const paths = nulList(others).sort();
  if (paths.length > MAX_UNTRACKED_FILES) return undefined;
  for (const rel of paths) {
    const abs = path.join(top, rel);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    bytes += st.size;
    if (bytes > MAX_UNTRACKED_BYTES) return undefined;
    untracked.push([rel, contentOf(abs)]);
  }
  // Attributes outside the tree: the repository's own, the user's and the system's.
  const configured = new Map(nulList(settings).map((r) => {
    const nl = r.indexOf('\n');
    return nl < 0 ? [r.toLowerCase(), ''] as const : [r.slice(0, nl).toLowerCase(), r.slice(nl + 1)] as const;
  }));
  const userAttributes = configured.get('core.attributesfile')?.replace(/^~(?=\/|$)/, homedir())
    ?? path.join(env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), '.config'), 'git', 'attributes');
  const attributes = [path.join(gitDir, 'info', 'attributes'), path.resolve(top, userAttributes), '/etc/gitattributes'].map((f) => [f, contentOf(f)]);
  const ignoreNames = [...(opts.gitignore !== false ? ['.gitignore'] : []), '.svclintignore'];
  const above = ancestorFiles(top, ignoreNames).map((f) => [f, contentOf(f)]);
  const render = renderOptions(opts, config, env);
  const inputs = {
    render: render !== false,
    renderers: render === false ? [] : rendererIds(render),
    helmValues: render === false ? [] : (opts.helmValues ?? []).map((v) => [path.resolve(top, v), contentOf(path.resolve(top, v))]),
    helmSet: opts.helmSet ?? [],
    helmRelease: opts.helmRelease ?? null,
    helmKubeVersion: render === false ? null : render.kubeVersion ?? null,
    gitignore: opts.gitignore !== false,
    ignorePattern: opts.ignorePattern ?? [],
    maxInputBytes: opts.maxInputBytes ?? null,
  };
  return { untracked, settings: [...configured], attributes, above, inputs };
}

const treeKey = (top: string, tree: string, c: Context) => sha(JSON.stringify({ top, tree, ...c }));

/** The git commands for a run's tree keys, started at once: they run while the work tree is linted. */
export function startTreeKeys(top: string, commit: string | undefined, opts: InputOpts, config: Config, env: NodeJS.ProcessEnv) {
  // One rev-parse: the git folder, the object format, and the commit's tree (`commit` is an id rev-parse gave).
  const revs = start(top, ['rev-parse', '--absolute-git-dir', '--show-object-format', ...(commit ? [`${commit}^{tree}`] : [])])
    .then((b) => b.toString('utf8').split('\n').map((l) => l.trim()), () => undefined);
  const ctx = context(top, opts, config, env, revs).catch(() => undefined);
  const tree = revs.then((r) => (commit ? r?.[2] || undefined : undefined));
  const index = Promise.all([start(top, ['ls-files', '-z', '-s']), revs]).catch(() => undefined);
  // Files whose work-tree copy may differ from the index (by their stat information: the index is not refreshed, nothing is written).
  const dirty = start(top, ['diff-files', '--name-only', '-z']).then((b) => nulList(b), () => undefined);
  return {
    /** The key of `commit`'s tree with the untracked files. */
    head: async (): Promise<string | undefined> => {
      const [t, c] = await Promise.all([tree, ctx]);
      return t && c ? treeKey(top, t, c) : undefined;
    },
    /** The key the index's tree will have once committed, when the work tree's load `now` may be that tree's load (indexTree): `unchanged()` says whether it is. */
    index: async (now: Loaded): Promise<{ key: string; unchanged: () => boolean } | undefined> => {
      const [i, c, d] = await Promise.all([index, ctx, dirty]);
      if (!i || !i[1]?.[1] || !c || !d) return undefined;
      const t = indexTree(i[0], i[1][1], d, c, top, now, opts, env);
      return t && { key: treeKey(top, t.id, c), unchanged: t.unchanged };
    },
  };
}

const FALSE = ['false', 'no', 'off', '0'];

/**
 * The id `git write-tree` would give the index (`ls-files -s` output), when the work tree's
 * load `now` is what a load of that tree checked out with the untracked files gives: no
 * unstaged change (a file diff-files names must still hold its index blob), nothing converted on checkout (no
 * attributes file anywhere, core.autocrlf and core.eol unset), no link, submodule or
 * unmerged entry, and every path the load found there (files walked, probed, read or
 * rendered) a file of the index or an untracked one, or a folder of those (not a file git
 * ignores, which a checkout would not have); `unchanged` checks the files diff-files names
 * by content. Else undefined. A wrong id only misses.
 */
function indexTree(listing: Buffer, format: string, dirty: string[], c: Context, top: string, now: Loaded, opts: InputOpts, env: NodeJS.ProcessEnv): { id: string; unchanged: () => boolean } | undefined {
  if (format !== 'sha1' && format !== 'sha256') return undefined;
  const setting = new Map(c.settings);
  const autocrlf = setting.get('core.autocrlf');
  if ((autocrlf !== undefined && !FALSE.includes(autocrlf.trim().toLowerCase())) || setting.has('core.eol')) return undefined;
  if (c.attributes.some(([, sum]) => sum !== '')) return undefined;
  const files = new Map<string, { mode: string; oid: string }>();
  for (const rec of nulList(listing)) {
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ') as [string, string, string];
    const p = rec.slice(tab + 1);
    if (stage !== '0' || (mode !== '100644' && mode !== '100755') || path.posix.basename(p) === '.gitattributes') return undefined;
    files.set(p, { mode, oid });
  }
  const untracked = new Set(c.untracked.map(([p]) => p));
  const dirs = new Set<string>(['']);
  for (const p of [...files.keys(), ...untracked]) for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) dirs.add(p.slice(0, i));
  const values = new Set((opts.helmValues ?? []).map((v) => path.resolve(top, v)));
  const prefix = top + path.sep;
  const there = (abs: string) => {
    const rel = abs.startsWith(prefix) && path.sep === '/' && !abs.includes('/.', prefix.length - 1) && !abs.includes('//') ? abs.slice(prefix.length) : under(top, abs);
    if (rel === undefined) return values.has(abs);
    return files.has(rel) || untracked.has(rel) || dirs.has(rel);
  };
  const trace = now.trace;
  const folder = trace && trace.others === 0 && trace.folders.length === 1 ? trace.folders[0] : undefined;
  if (!trace || !folder || folder.root !== top || folder.unreadable || folder.special.length) return undefined;
  if (!folder.kept.every(there)) return undefined;
  for (const r of folder.rendered) if (r.open || !(r.inputs ?? []).every(there)) return undefined;
  const view = trace.view;
  if (view && !(view instanceof DiskView)) return undefined;
  if (view && ![...view.found()].every(there)) return undefined;
  // What diff-files names is checked by content, last (the caller may not need it): a file whose bytes are its index blob is unchanged (a copied or touched file).
  const unchanged = () => dirty.every((rel) => {
    const e = files.get(rel);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(top, rel));
    } catch {
      return false; // deleted: a checkout has it
    }
    return e !== undefined && createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex') === e.oid;
  });
  let id = knownTree(env, listing, format);
  if (id === undefined) keepTree(env, listing, format, (id = treeId(files, format)));
  return { id, unchanged };
}

/** @internal Git's id of the tree holding these files, as `git write-tree` computes it. */
export function treeId(files: Map<string, { mode: string; oid: string }>, format: 'sha1' | 'sha256'): string {
  type Node = Map<string, { mode: string; oid: string } | Node>;
  const root: Node = new Map();
  for (const [p, e] of files) {
    let n = root;
    let from = 0;
    for (let slash = p.indexOf('/'); slash >= 0; from = slash + 1, slash = p.indexOf('/', from)) {
      const part = p.slice(from, slash);
      let next = n.get(part);
      if (!(next instanceof Map)) n.set(part, (next = new Map()));
      n = next;
    }
    n.set(p.slice(from), e);
  }
  // Git orders entries by name as bytes, a folder's name with a '/' after it (UTF-16 order is byte order for ASCII).
  const ascii = /^[\x00-\x7f]*$/;
  const order = (a: string, b: string) => (ascii.test(a) && ascii.test(b) ? (a < b ? -1 : a > b ? 1 : 0) : Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hash = (n: Node): Buffer => {
    const entries = [...n].map(([name, e]) => ({ name, e, key: e instanceof Map ? `${name}/` : name }));
    entries.sort((a, b) => order(a.key, b.key));
    const parts: Buffer[] = [];
    for (const { name, e } of entries) {
      parts.push(Buffer.from(`${e instanceof Map ? '40000' : e.mode} ${name}\0`), e instanceof Map ? hash(e) : Buffer.from(e.oid, 'hex'));
    }
    const body = Buffer.concat(parts);
    return createHash(format).update(`tree ${body.length}\0`).update(body).digest();
  };
  return hash(root).toString('hex');
}
