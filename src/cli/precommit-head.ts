import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../engine/config.js';
import { keptUnder, planRender } from '../load/discover.js';
import { DEFAULT_MAX_FILE_BYTES, InputBudget, readRegularSync, type ReadOutcome } from '../load/read.js';
import { renderAll, renderKey, type Rendered } from '../load/render.js';
import { DiskView, under } from '../load/view.js';
import { passReadSum } from '../load/content-sum.js';
import type { LoadProblem } from '../types/problem.js';
import type { SourceFile } from '../types/source.js';
import { configIn } from './diff-gate.js';
import { checkoutTree, type Tree } from './diff-git.js';
import { HeadTree, HeadView, NeedCheckout } from './head-tree.js';
import { renderOptions, type InputOpts, type Loaded } from './lint-command.js';

/** Ignore files a folder walk honours; with .gitattributes, files that must be the same on both sides. */
const IGNORE_FILES = ['.gitignore', '.svclintignore'];

/** Not under a node_modules or .git folder, which the walk never enters. */
const walkable = (rel: string) => !rel.split('/').slice(0, -1).some((s) => s === 'node_modules' || s === '.git');

/**
 * The source files and load problems that loading HEAD's tree checked out with the untracked
 * files (loadAtCommit(top, commit, ['.'], …, { untracked: true }), as the pre-commit hook
 * does) would give, derived from the work tree's load `now` of the same folder without
 * writing the tree out:
 * - which manifests HEAD's walk finds: those of the work tree that HEAD has too, plus the
 *   commit's files that are not in the work tree (deleted), which a walk over an empty copy
 *   of just them and the ignore files decides; the ignore files must be the same on both
 *   sides;
 * - what is rendered: planned through a view of HEAD's tree (HeadView); a chart or
 *   kustomization whose render key is the one it had in the work tree keeps that result,
 *   the others render from the cache, else in a folder holding only the files their key
 *   read, else (no key) in a checkout;
 * - what is read: the work tree's text of each file that is the same in HEAD, git's blob of
 *   the others.
 * Anything this cannot derive exactly raises NeedCheckout, and the caller checks out.
 * `closed`: no render ran without a cache key or was stopped, so what they read is known (head-key.ts).
 */
export async function headInputs(top: string, commit: string, now: Loaded, opts: InputOpts, config: Config, env: NodeJS.ProcessEnv): Promise<{ files: SourceFile[]; problems: LoadProblem[]; closed: boolean }> {
  const trace = now.trace;
  const folder = trace && trace.others === 0 && trace.folders.length === 1 ? trace.folders[0] : undefined;
  if (!trace || !folder || folder.root !== top) throw new NeedCheckout('the inputs are not the repository folder alone');
  if (folder.unreadable) throw new NeedCheckout('a folder could not be listed');
  if (!folder.ignoreFiles) throw new NeedCheckout('the ignore files were not listed');
  const tree = await HeadTree.read(top, commit);
  const base = trace.view ?? new DiskView(true);
  const outside = new Set((opts.render === false ? [] : opts.helmValues ?? []).map((v) => path.resolve(top, v)).filter((v) => under(top, v) === undefined));
  const view = new HeadView(tree, base, outside);

  // The ignore files (and attributes) are the same, so a path is found by HEAD's walk when it is by the work tree's.
  const names = [...(opts.gitignore !== false ? ['.gitignore'] : []), ...IGNORE_FILES.slice(1)];
  for (const p of tree.differs) if ([...IGNORE_FILES, '.gitattributes'].includes(path.posix.basename(p))) throw new NeedCheckout(`${p} differs from HEAD's`);
  const inWork = new Set(folder.ignoreFiles.map((f) => under(top, f)!));
  const inHead = new Set([...tree.entries.keys(), ...tree.untracked].filter((p) => names.includes(path.posix.basename(p)) && walkable(p)));
  for (const p of inHead) if (!inWork.has(p) || tree.state(p) !== 'work') throw new NeedCheckout(`the ignore file ${p} is not the work tree's`);
  for (const p of inWork) {
    // One only the work tree has (ignored, or in a submodule) rules over nothing of HEAD's when nothing of HEAD's is under its folder.
    const dir = path.posix.dirname(p);
    if (!inHead.has(p) && (tree.list(dir === '.' ? '' : dir)?.size ?? 0) > 0) throw new NeedCheckout(`the ignore file ${p} is not in HEAD`);
  }

  // The manifests HEAD's walk finds.
  const kept: string[] = [];
  const special = new Set(folder.special);
  for (const f of folder.kept) {
    const s = tree.state(under(top, f)!);
    if (s !== 'work' && s !== 'head') continue;
    if (special.has(f)) throw new NeedCheckout(`${f} is not a regular file`);
    kept.push(f);
  }
  const keptSet = new Set(folder.kept);
  const missing: string[] = [];
  for (const rel of tree.differs) {
    const abs = path.join(top, rel);
    if (!tree.hasFile(rel) || tree.untracked.has(rel) || keptSet.has(abs)) continue;
    let st;
    try {
      st = lstatSync(abs, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    // A file that is there and that the walk left out: HEAD's walk leaves it out too.
    if (st && !st.isDirectory()) continue;
    missing.push(rel);
  }
  if (missing.length) kept.push(...(await walkMissing(top, missing, [...inHead], view, opts, config)));
  kept.sort();

  // What renders and what is read.
  const render = renderOptions(opts, config, env);
  const plan = render === false ? { raw: kept, charts: [], kustomizations: [] } : planRender(top, kept, view);
  const rendered: Rendered[] = new Array(plan.charts.length + plan.kustomizations.length);
  const trees: Tree[] = [];
  try {
    if (render !== false) {
      const work = new Map<string, Rendered>();
      folder.plan.charts.forEach((d, i) => work.set(`chart ${d}`, folder.rendered[i]!));
      folder.plan.kustomizations.forEach((d, i) => work.set(`kustomization ${d}`, folder.rendered[folder.plan.charts.length + i]!));
      let full: Tree | undefined;
      const headRender = {
        ...render,
        view,
        // A render whose output is not cached runs in a folder holding just the files its key read (HEAD's), or in a checkout.
        runAt: (inputs: readonly string[] | undefined) => {
          let root: string;
          if (inputs) {
            const t = tempTree();
            trees.push(t);
            root = t.dir;
            for (const abs of inputs) {
              const rel = under(top, abs);
              if (rel === undefined) continue;
              const bytes = view.bytes(abs);
              if (!bytes) throw new NeedCheckout(`${rel} cannot be read`);
              mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
              writeFileSync(path.join(root, rel), bytes);
            }
          } else {
            if (!full) trees.push((full = checkoutTree(top, commit, { untracked: true })));
            root = full.dir;
          }
          return (abs: string) => {
            const rel = under(top, abs);
            return rel === undefined ? abs : path.join(root, rel);
          };
        },
      };
      const todo = { charts: [] as string[], kustomizations: [] as string[], at: [] as number[] };
      const all = [...plan.charts.map((d) => ['chart', d] as const), ...plan.kustomizations.map((d) => ['kustomization', d] as const)];
      all.forEach(([what, dir], i) => {
        const was = work.get(`${what} ${dir}`);
        if (was?.key !== undefined && renderKey(dir, what === 'chart', headRender, top) === was.key) rendered[i] = was;
        else {
          todo[what === 'chart' ? 'charts' : 'kustomizations'].push(dir);
          todo.at.push(i);
        }
      });
      if (todo.at.length) {
        const fresh = await renderAll(todo.charts, todo.kustomizations, (dir) => shownPath(top, dir), headRender, top);
        todo.at.forEach((i, j) => (rendered[i] = fresh[j]!));
      }
      render.cache?.save();
    }
  } finally {
    for (const t of trees) t.dispose();
  }

  const files: SourceFile[] = [];
  const problems: LoadProblem[] = [];
  let bytes = 0;
  for (const r of rendered) {
    for (const f of r.files) bytes += Buffer.byteLength(f.text);
    files.push(...r.files);
    problems.push(...r.problems);
  }
  for (const abs of plan.raw) {
    const rel = under(top, abs)!;
    const was = trace.reads.get(abs);
    const s = tree.state(rel);
    let r: ReadOutcome;
    let size: number | undefined;
    if (was && s === 'work') r = was;
    else if (s === 'work') r = readRegularSync(abs, DEFAULT_MAX_FILE_BYTES, new InputBudget(Infinity, Infinity), true);
    else {
      const blob = tree.blob(rel);
      size = blob.length;
      r = blob.length > DEFAULT_MAX_FILE_BYTES ? { refused: { messageId: 'tooLarge', data: { size: blob.length, limit: DEFAULT_MAX_FILE_BYTES } } } : blob.includes(0) ? { refused: { messageId: 'binary', data: {} } } : { text: blob.toString('utf8') };
    }
    if ('text' in r) {
      bytes += size ?? Buffer.byteLength(r.text); // at least the file's size
      const file = { path: rel, text: r.text };
      passReadSum(r, file); // the work tree's read, hashed as it was read
      files.push(file);
    } else {
      if (r.refused.messageId === 'binary') bytes += size ?? statSync(abs).size;
      problems.push({ ruleId: 'file-unreadable', messageId: r.refused.messageId, filePath: rel, data: r.refused.data });
    }
  }
  // A checkout's load stops with a usage error when its inputs are over the cap: leave that to it.
  try {
    new InputBudget(opts.maxInputBytes ?? config.maxInputBytes).take(bytes);
  } catch {
    throw new NeedCheckout("HEAD's inputs are over the input cap");
  }
  return { files, problems, closed: rendered.every((r) => !r.open) };
}

/** A path as discover() shows it: relative to the folder when under it. */
function shownPath(top: string, abs: string): string {
  return under(top, abs) || abs.split(path.sep).join('/');
}

/** A new temporary folder named as checkoutTree names its own (tool messages that name it read alike). */
function tempTree(): Tree {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-tree-'));
  const out = path.join(dir, 'tree');
  mkdirSync(out);
  return { dir: out, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Which of the commit's files missing from the work tree HEAD's walk would find: the walk
 * itself, over a folder holding empty files at their paths and the ignore files.
 */
async function walkMissing(top: string, missing: string[], ignoreFiles: string[], view: HeadView, opts: InputOpts, config: Config): Promise<string[]> {
  const t = tempTree();
  try {
    for (const rel of ignoreFiles) {
      mkdirSync(path.dirname(path.join(t.dir, rel)), { recursive: true });
      writeFileSync(path.join(t.dir, rel), view.bytes(path.join(top, rel))!);
    }
    for (const rel of missing) {
      mkdirSync(path.dirname(path.join(t.dir, rel)), { recursive: true });
      writeFileSync(path.join(t.dir, rel), '');
    }
    const found = await keptUnder(t.dir, {
      cwd: t.dir, ignore: config.ignore, ignoreBase: configIn(config, top, t.dir).base, ignorePatterns: opts.ignorePattern, ignoreFiles: ['.svclintignore'], gitignore: opts.gitignore !== false,
    });
    const wanted = new Set(missing);
    return found.map((f) => under(t.dir, f)!).filter((rel) => wanted.has(rel)).map((rel) => path.join(top, rel));
  } finally {
    t.dispose();
  }
}
