import fs from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import ignoreFactory from 'ignore';
import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { isChartDir, isLibraryChart, kustomizationFile, kustomizationRefs, renderAll, yamlStore, type Rendered, type RenderOptions } from './render.js';
import { UsageError } from '../errors.js';
import { DEFAULT_MAX_FILE_BYTES, InputBudget, mapPool, readCapped, readRegularSync, readStreamCapped, READ_CONCURRENCY, type ReadOutcome } from './read.js';
import { DiskView, type FileView } from './view.js';
import { passReadSum } from './content-sum.js';

export { DEFAULT_MAX_FILE_BYTES } from './read.js';
export const MANIFEST_PATTERNS = ['**/*.yaml', '**/*.yml', '**/*.json', '**/Kustomization'];

export interface DiscoverOptions {
  cwd: string;
  /** Globs of files to leave out (.gitignore syntax); none when absent. */
  ignore?: string[];
  /** Folder the ignore globs are relative to; defaults to cwd. */
  ignoreBase?: string;
  /** More patterns to leave out (.gitignore syntax), relative to cwd (--ignore-pattern). */
  ignorePatterns?: string[];
  /** Ignore files honoured in folders, by name (.gitignore syntax), e.g. ['.svclintignore']. */
  ignoreFiles?: string[];
  /** In folders, leave out what .gitignore files ignore (also those of parent folders up to the repository root). */
  gitignore?: boolean;
  /** Cap per file, stdin and stream included. */
  maxFileBytes?: number;
  /** Cap on all inputs together: more is a usage error (exit code 2). */
  maxInputBytes?: number;
  readStdin?: () => Promise<string>;
  /** Render Helm charts and kustomizations found in folders; false lints their raw files. */
  render?: RenderOptions | false;
  /** A glob that matches no file is skipped instead of being a usage error (--no-error-on-unmatched-pattern). */
  allowUnmatchedGlobs?: boolean;
  /** Also list the ignore files that apply to the folders walked (in `read`), so that no output lands on one. */
  listReads?: boolean;
  /** @internal Filled with what was found and how, for a second load of another version of the same tree. */
  trace?: DiscoverTrace;
  /** Hash each text found in a folder as it is read (content-sum.ts): for a run with a cache, which keys every text by its hash. */
  contentSums?: boolean;
}

/** @internal What a folder input gave: enough to derive what another version of the tree gives. */
export interface FolderTrace {
  /** The folder (absolute). */
  root: string;
  /** The manifests found under it and not left out by an ignore setting, sorted (absolute). */
  kept: string[];
  /** Those of `kept` that are not regular files (links, pipes), as the walk met them. */
  special: string[];
  /** The ignore files (.gitignore, .svclintignore) under the folder, when the walk looked for them all. */
  ignoreFiles?: string[];
  /** How many sub-folders could not be listed. */
  unreadable: number;
  plan: { raw: string[]; charts: string[]; kustomizations: string[] };
  /** The renders of plan.charts, then plan.kustomizations. */
  rendered: Rendered[];
}

/** @internal */
export interface DiscoverTrace {
  /** The view the renders were planned and made with (its answers are kept). */
  view?: FileView;
  folders: FolderTrace[];
  /** How each file found in a folder (plan.raw) was read. */
  reads: Map<string, ReadOutcome>;
  /** Inputs that were not folders (files, globs, stdin). */
  others: number;
}

/** A file or folder read besides the manifests: what it is, for messages. */
export interface OtherRead {
  path: string;
  what: string;
  folder?: boolean;
}

export interface Discovered {
  files: SourceFile[];
  problems: LoadProblem[];
  /** Folders named as inputs whose every manifest an ignore file (.gitignore, .svclintignore) left out, with how many. */
  allIgnored?: { input: string; count: number }[];
  /** Ignore files read (with listReads), and folders rendered whole (charts, kustomizations). */
  read?: OtherRead[];
}

function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs).split(path.sep).join('/');
}

async function readStdin(opts: DiscoverOptions, cap: number, budget: InputBudget): Promise<ReadOutcome> {
  if (!opts.readStdin) return readStreamCapped(process.stdin, cap, budget);
  const text = await opts.readStdin();
  const size = Buffer.byteLength(text);
  if (size > cap) return { refused: { messageId: 'tooLarge', data: { size, limit: cap } } };
  budget.take(size);
  return { text };
}

/** Names MANIFEST_PATTERNS match (in a folder's listing: `*` matches a leading dot, as with `dot: true`). */
const MANIFEST_NAME = /\.(?:ya?ml|json)$|^Kustomization$/;

/** @internal An entry of a folder walk, as globby's objectMode gives it. */
export interface WalkEntry {
  name: string;
  path: string;
  dirent: { isDirectory(): boolean; isFile(): boolean };
}

/**
 * @internal What `globbySync([...MANIFEST_PATTERNS, ...names.map((n) => `**\/${n}`)], base)`
 * of walk() gives (dot files, folders and links that match too, node_modules and .git not
 * entered, links to folders not followed), by listing the folders: no pattern matching, and
 * globby is not loaded. `readdir` is walk()'s, which notes the folders it cannot list.
 */
export function listNamed(dir: string, names: readonly string[], readdir: typeof fs.readdirSync): WalkEntry[] {
  const out: WalkEntry[] = [];
  const todo = [dir];
  while (todo.length) {
    const d = todo.pop()!;
    for (const e of readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') todo.push(p);
      if (MANIFEST_NAME.test(e.name) || names.includes(e.name)) out.push({ name: e.name, path: p, dirent: e });
    }
  }
  return out;
}

type Walked = { files: string[]; unreadable: { abs: string; err: NodeJS.ErrnoException }[]; ignoredByFiles?: number; ignoreFiles?: string[]; special: string[]; ignoreFilesFound?: string[] };

/**
 * The manifests under a folder. Links to files are followed (the read reports a dangling
 * or looping one); links to folders are not. A sub-folder that cannot be listed is
 * remembered and the walk goes on, so that it is reported and the rest still linted.
 */
async function walk(dir: string, opts: Pick<DiscoverOptions, 'ignoreFiles' | 'gitignore' | 'listReads' | 'trace'> = {}): Promise<Walked> {
  const unreadable: Walked['unreadable'] = [];
  const readdirSync = ((p: fs.PathLike, o?: unknown) => {
    try {
      return fs.readdirSync(p, o as { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push({ abs: path.resolve(dir, String(p)), err: err as NodeJS.ErrnoException });
      return [];
    }
  }) as typeof fs.readdirSync;
  // For the extra walks (counts, ignore files): a folder that cannot be listed was reported by the first.
  const quietFs = { ...fs, readdirSync: ((p: fs.PathLike, o?: unknown) => {
    try {
      return fs.readdirSync(p, o as { withFileTypes: true });
    } catch {
      return [];
    }
  }) as typeof fs.readdirSync };
  // The synchronous walk: globby checks every match with a stat when ignore files are
  // honoured, and thousands of those in flight cost more CPU than in turn (BENCHMARKS.md).
  let globbySync: typeof import('globby').globbySync | undefined;
  const glob = async () => (globbySync ??= (await import('globby')).globbySync);
  const base: import('globby').Options & { objectMode: true } = {
    cwd: dir,
    absolute: true,
    dot: true, // manifests in dot folders count too; non-Kubernetes YAML is skipped later
    ignore: ['**/node_modules/**', '**/.git/**'],
    followSymbolicLinks: false,
    onlyFiles: false, // links and other non-folders too: they are read or reported, never skipped
    objectMode: true,
    fs: { ...fs, readdirSync },
  };
  const ignoreNames = [...(opts.gitignore ? ['.gitignore'] : []), ...(opts.ignoreFiles ?? [])];
  let found: WalkEntry[] | undefined;
  let ignoreFilesFound: string[] | undefined;
  const above = ignoreNames.length > 0 && ancestorHas(dir, ignoreNames);
  if (ignoreNames.length > 0 && (!above || opts.trace)) {
    // One walk that looks for the ignore files too: with none in the folder or above it,
    // globby's filtering would keep every file, so its own search for them is not needed.
    // (A traced load lists the ignore files under the folder this way in any case.)
    const all = listNamed(dir, ignoreNames, readdirSync);
    ignoreFilesFound = all.filter((e) => ignoreNames.includes(e.name) && !e.dirent.isDirectory()).map((e) => path.resolve(e.path)).sort();
    if (!above && ignoreFilesFound.length === 0) found = all;
    else unreadable.length = 0; // walked again below
  }
  found ??= (await glob())(MANIFEST_PATTERNS, {
    ...base,
    ...(opts.ignoreFiles?.length ? { ignoreFiles: opts.ignoreFiles.map((n) => `**/${n}`) } : {}),
    gitignore: opts.gitignore ?? false,
  });
  const entries = found.filter((e) => !e.dirent.isDirectory());
  const files = entries.map((e) => path.resolve(e.path));
  const special = entries.filter((e) => !e.dirent.isFile()).map((e) => path.resolve(e.path));
  // Nothing left: say whether ignore files hid what is there (a folder of generated manifests in .gitignore).
  const ignoredByFiles = files.length === 0 && ignoreNames.length > 0 ? (await glob())(MANIFEST_PATTERNS, { ...base, fs: quietFs }).filter((e) => !e.dirent.isDirectory()).length : 0;
  // With output files, the ignore files that apply are listed too (here and in every folder above).
  const ignoreFiles = opts.listReads && ignoreNames.length > 0
    ? [...(await glob())(ignoreNames.map((n) => `**/${n}`), { ...base, fs: quietFs, onlyFiles: true }).map((e) => path.resolve(e.path)), ...ancestorFiles(dir, ignoreNames)]
    : undefined;
  return { files: files.sort(), unreadable: unreadable.sort((a, b) => (a.abs < b.abs ? -1 : 1)), ...(ignoredByFiles ? { ignoredByFiles } : {}), ...(ignoreFiles ? { ignoreFiles } : {}), special, ...(ignoreFilesFound ? { ignoreFilesFound } : {}) };
}

/** The files of these names in the folders above `dir`. */
export function ancestorFiles(dir: string, names: string[]): string[] {
  const out: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    for (const n of names) if (fs.existsSync(path.join(d, n))) out.push(path.join(d, n));
    if (path.dirname(d) === d) return out;
  }
}

/** Whether a folder above `dir` holds a file of one of these names (ignore files that would apply). */
function ancestorHas(dir: string, names: string[]): boolean {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (names.some((n) => fs.existsSync(path.join(d, n)))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/**
 * Turns command-line inputs (files, folders, globs, `-`) into source files, in input order.
 * A path that does not exist is a usage error; a file that cannot be read (or is over the
 * per-file cap) is a problem reported as a finding so that the rest of the input is still
 * linted; inputs over the total cap are a usage error. Files found in folders are read in
 * turn (regular files only); files named as inputs, which may be pipes, concurrently.
 */
export async function discover(inputs: string[], opts: DiscoverOptions): Promise<Discovered> {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const budget = new InputBudget(opts.maxInputBytes);
  const toRead: { abs: string; regularOnly: boolean }[] = [];
  const seen = new Set<string>();
  const add = (abs: string, regularOnly = false) => {
    if (!seen.has(abs)) {
      seen.add(abs);
      toRead.push({ abs, regularOnly });
    }
  };
  const files: SourceFile[] = [];
  const problems: LoadProblem[] = [];
  const unreadable = (filePath: string, r: { messageId: string; data: Record<string, string | number> }) =>
    problems.push({ ruleId: 'file-unreadable', messageId: r.messageId, filePath, data: r.data });
  const rendered = (r: Discovered) => {
    for (const f of r.files) budget.take(Buffer.byteLength(f.text));
    files.push(...r.files);
    problems.push(...r.problems);
  };
  let stdinUsed = false;
  const isIgnored = makeIgnore(opts);
  const allIgnored: { input: string; count: number }[] = [];
  const otherReads: OtherRead[] = [];

  // globby is loaded only when a folder or a glob needs it: a single file starts faster.
  const glob = async () => import('globby');
  const { trace } = opts;
  // One view of the files for planning and rendering: each file is probed, parsed and hashed once.
  const render = opts.render === false ? false : { ...opts.render, view: opts.render?.view ?? new DiskView(true, yamlStore(opts.render?.cache)) };
  if (trace && render) trace.view = render.view;
  for (const input of inputs) {
    if (input === '-') {
      if (trace) trace.others++;
      if (stdinUsed) continue;
      stdinUsed = true;
      const r = await readStdin(opts, maxBytes, budget);
      if ('text' in r) files.push({ path: '<stdin>', text: r.text });
      else unreadable('<stdin>', r.refused);
      continue;
    }
    const abs = path.resolve(opts.cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (st?.isDirectory()) {
      const walked = await walk(abs, opts);
      if (walked.ignoredByFiles) allIgnored.push({ input, count: walked.ignoredByFiles });
      for (const f of walked.ignoreFiles ?? []) otherReads.push({ path: f, what: 'an ignore file' });
      for (const u of walked.unreadable) {
        if (!isIgnored(u.abs)) unreadable(displayPath(opts.cwd, u.abs), { messageId: 'folderError', data: { code: u.err.code ?? 'EIO', reason: u.err.message } });
      }
      // Found in a folder: only regular files are opened (a pipe could wait forever).
      const kept = walked.files.filter((f) => !isIgnored(f));
      const folder: FolderTrace | undefined = trace
        ? { root: abs, kept, special: walked.special.filter((f) => !isIgnored(f)), ...(walked.ignoreFilesFound ? { ignoreFiles: walked.ignoreFilesFound } : {}), unreadable: walked.unreadable.length, plan: { raw: kept, charts: [], kustomizations: [] }, rendered: [] }
        : undefined;
      if (folder) trace!.folders.push(folder);
      if (render === false) {
        for (const f of kept) add(f, true);
      } else {
        const plan = planRender(abs, kept, render.view);
        for (const f of plan.raw) add(f, true);
        for (const dir of plan.charts) otherReads.push({ path: dir, what: 'the Helm chart', folder: true });
        for (const dir of plan.kustomizations) otherReads.push({ path: dir, what: 'the kustomization', folder: true });
        const results = await renderAll(plan.charts, plan.kustomizations, (dir) => displayPath(opts.cwd, dir), render, opts.cwd);
        for (const r of results) rendered(r);
        render.cache?.save();
        if (folder) Object.assign(folder, { plan, rendered: results });
      }
    } else if (st) {
      if (trace) trace.others++;
      add(abs); // an explicitly named file is read whatever its extension or type (a pipe from <(...))
    } else if ((await glob()).isDynamicPattern(input)) {
      if (trace) trace.others++;
      const { globby } = await glob();
      const found = await globby(input, { cwd: opts.cwd, absolute: true, ignore: ['**/node_modules/**'] });
      if (found.length === 0 && !opts.allowUnmatchedGlobs) throw new UsageError(`no files match '${input}' (--no-error-on-unmatched-pattern to allow it)`);
      for (const f of found.sort()) if (!isIgnored(f)) add(f, true);
    } else {
      throw new UsageError(`no such file or directory: '${input}'`);
    }
  }

  const read = await mapPool(toRead, READ_CONCURRENCY, async (f) => (f.regularOnly ? readRegularSync(f.abs, maxBytes, budget, opts.contentSums) : readCapped(f.abs, maxBytes, budget)));
  if (trace) read.forEach((r, i) => trace.reads.set(toRead[i]!.abs, r));
  read.forEach((r, i) => {
    const shown = displayPath(opts.cwd, toRead[i]!.abs);
    if ('text' in r) {
      const file = { path: shown, text: r.text };
      passReadSum(r, file);
      files.push(file);
    }
    else unreadable(shown, r.refused);
  });
  return { files, problems, ...(allIgnored.length ? { allIgnored } : {}), ...(otherReads.length ? { read: otherReads } : {}) };
}

/**
 * @internal The manifests a folder input of discover() reads or renders: what the walk finds
 * under `dir` and no ignore setting leaves out, sorted.
 */
export async function keptUnder(dir: string, opts: Pick<DiscoverOptions, 'cwd' | 'ignore' | 'ignoreBase' | 'ignorePatterns' | 'ignoreFiles' | 'gitignore'>): Promise<string[]> {
  const isIgnored = makeIgnore(opts);
  return (await walk(dir, opts)).files.filter((f) => !isIgnored(f));
}

const under = (root: string, f: string) => f === root || f.startsWith(`${root}${path.sep}`);

/**
 * Which folders to render instead of reading their files: Helm charts (a Chart.yaml; their
 * templates are not YAML until rendered, subcharts render with their parent) and
 * kustomizations that no other kustomization in the input builds on (bases render
 * through their overlays). Everything under a rendered folder is left to the renderer. A
 * library chart renders nothing on its own: its files are neither read nor rendered.
 */
export function planRender(root: string, files: string[], view: FileView = new DiskView()): { raw: string[]; charts: string[]; kustomizations: string[] } {
  const dirs = new Set(files.map((f) => path.dirname(f)));
  dirs.add(root);
  const chartRoots = [...dirs].filter((d) => isChartDir(d, view));
  const charts = chartRoots.filter((c) => !chartRoots.some((o) => o !== c && under(o, c)));
  const kustRoots = [...dirs].filter((d) => kustomizationFile(d, view) && !charts.some((c) => under(c, d)));
  const referenced = new Set(kustRoots.flatMap((d) => kustomizationRefs(kustomizationFile(d, view)!, view)));
  const kustomizations = kustRoots.filter((d) => !referenced.has(d));
  // A file is left to a renderer when a folder above it (or itself) is rendered: its ancestors are looked up, not every folder.
  const consumed = new Set([...charts, ...kustRoots]);
  const raw = files.filter((f) => {
    for (let d = f; ; d = path.dirname(d)) {
      if (consumed.has(d)) return false;
      if (path.dirname(d) === d) return true;
    }
  });
  return { raw, charts: charts.filter((c) => !isLibraryChart(c, view)).sort(), kustomizations: kustomizations.sort() };
}

/** Ignore globs use .gitignore syntax, relative to `ignoreBase` (the config file's folder). */
function makeIgnore(opts: Pick<DiscoverOptions, 'cwd' | 'ignore' | 'ignoreBase' | 'ignorePatterns'>): (abs: string) => boolean {
  const matchers = [matcher(opts.ignore ?? [], opts.ignoreBase ?? opts.cwd), matcher(opts.ignorePatterns ?? [], opts.cwd)].filter((m) => m !== undefined);
  return (abs) => matchers.some((m) => m(abs));
}

function matcher(patterns: string[], base: string): ((abs: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const ig = ignoreFactory().add(patterns);
  return (abs) => {
    const rel = path.relative(base, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return ig.ignores(rel.split(path.sep).join('/'));
  };
}
