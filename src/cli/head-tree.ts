import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { childProcess } from '../lazy-builtins.js';
import { DiskView, digestOf, under, yamlOfStored, type EntryKind, type FileView, type YamlRead } from '../load/view.js';

/**
 * Raised when a load of HEAD's tree cannot be derived from the work tree's exactly (a link,
 * a changed ignore file, a path outside the repository, …): the caller checks the tree out
 * instead. The message says why, for SVCLINT_DEBUG.
 */
export class NeedCheckout extends Error {
  override name = 'NeedCheckout';
}

interface Entry {
  mode: string;
  oid: string;
}

const FILE_MODES = new Set(['100644', '100755']);
const LINK = '120000';
const GITLINK = '160000';
/** Attributes under which a checked-out file may differ from the work tree's copy of the same blob. */
const CONVERSIONS = ['text', 'eol', 'crlf', 'filter', 'ident', 'working-tree-encoding'];

/**
 * How a checkout converts a file, by its attributes: `lf`, a text file written with LF line
 * ends (the blob as it is: the work tree's copy is the same when it has no CR, which
 * checking in would have removed); `other`, anything else (a filter, ident, an encoding,
 * CRLF line ends), whose checked-out content is not known without a checkout.
 */
function conversion(a: Record<string, string>, coreEol: string): 'lf' | 'other' | undefined {
  const set = (v: string | undefined) => v !== undefined && v !== 'unspecified' && v !== 'unset';
  if (set(a.filter) || set(a.ident) || set(a['working-tree-encoding']) || a.eol === 'crlf') return 'other';
  const text = set(a.text) || a.eol === 'lf' || a.crlf === 'set' || a.crlf === 'input';
  if (!text) return undefined;
  if (a.eol === 'lf' || a.crlf === 'input') return 'lf';
  return coreEol === 'crlf' || (coreEol !== 'lf' && process.platform === 'win32') ? 'other' : 'lf';
}

function run(top: string, args: string[], input?: string): Buffer {
  const r = childProcess().spawnSync('git', args, { cwd: top, input, maxBuffer: 1 << 30 });
  if (r.error) throw new UsageError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}; is git installed?`);
  if (r.status !== 0) throw new NeedCheckout(`git ${args[0]} failed: ${String(r.stderr).trim().split('\n')[0]}`);
  return r.stdout;
}

/** run(), without waiting: several git commands at once. `ok` lists exit codes other than 0 that are answers too. */
export function start(top: string, args: string[], input?: string, ok: number[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn('git', args, { cwd: top, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`cannot run git: ${e.code ?? e.message}; is git installed?`)));
    child.on('close', (code) => {
      if (code === 0 || ok.includes(code ?? -1)) resolve(Buffer.concat(out));
      else reject(new NeedCheckout(`git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0]}`));
    });
    child.stdin.on('error', () => {}); // a git that exits early: its status says why
    child.stdin.end(input);
  });
}

export const nulList = (b: Buffer) => b.toString('utf8').split('\0').filter(Boolean);

/**
 * What `checkoutTree(top, commit, { untracked: true })` would write, known without writing
 * it: the commit's files, the work tree's untracked (not ignored) files copied over them,
 * and which tracked paths differ from the work tree (so that every other file can be read
 * where it is). Blobs that differ are read from git, converted as a checkout converts them.
 */
export class HeadTree {
  readonly entries = new Map<string, Entry>();
  readonly untracked = new Set<string>();
  /** Tracked paths whose work-tree copy may not be the commit's file: changed, staged, deleted, added, or marked assume-unchanged or skip-worktree. */
  readonly differs = new Set<string>();
  /** Tracked files a checkout converts (conversion()). */
  readonly converted = new Map<string, 'lf' | 'other'>();
  private readonly crFree = new Map<string, boolean>();
  /** Untracked paths that are links (lstat), and the commit's links. */
  readonly links = new Set<string>();
  private readonly blobs = new Map<string, Buffer>();
  private children?: Map<string, Map<string, EntryKind>>;

  private constructor(readonly top: string, readonly commit: string) {}

  /** The tree of `commit` in the repository at `top`: git is asked several things at once. */
  static async read(top: string, commit: string): Promise<HeadTree> {
    const t = new HeadTree(top, commit);
    const [tree, others, config, diff, index] = await Promise.all([
      start(top, ['ls-tree', '-r', '-z', '--full-tree', commit]),
      start(top, ['ls-files', '-z', '--others', '--exclude-standard']),
      start(top, ['config', '-z', '--get-regexp', '^core\\.(autocrlf|eol)$'], undefined, [1]),
      start(top, ['diff', '--no-renames', '--no-ext-diff', '--name-only', '-z', commit, '--']),
      start(top, ['ls-files', '-z', '-v', '-t']),
    ]);
    t.fill(tree, others, config, diff, index);
    const files = [...t.entries].filter(([, e]) => FILE_MODES.has(e.mode)).map(([p]) => p);
    if (files.length) t.attributes(await start(top, ['check-attr', '-z', '--stdin', ...CONVERSIONS], files.join('\0') + '\0'));
    return t;
  }

  private coreEol = '';

  private fill(tree: Buffer, others: Buffer, config: Buffer, diff: Buffer, index: Buffer): void {
    const { top } = this;
    for (const rec of nulList(tree)) {
      const tab = rec.indexOf('\t');
      const [mode, , oid] = rec.slice(0, tab).split(' ') as [string, string, string];
      const p = rec.slice(tab + 1);
      this.entries.set(p, { mode, oid });
      if (mode === LINK) this.links.add(p);
    }
    for (const p of nulList(others)) {
      this.untracked.add(p);
      let st;
      try {
        st = lstatSync(path.join(top, p));
      } catch {
        throw new NeedCheckout(`untracked ${p} went away`);
      }
      if (!st.isFile()) this.links.add(p);
    }
    // `git config -z` gives `name\nvalue` records; the last of a name wins, as for git.
    const settings = new Map(nulList(config).map((r) => {
      const nl = r.indexOf('\n');
      return nl < 0 ? [r.toLowerCase(), 'true'] as const : [r.slice(0, nl).toLowerCase(), r.slice(nl + 1).trim().toLowerCase()] as const; // a name alone is true
    }));
    const autocrlf = settings.get('core.autocrlf');
    if (autocrlf !== undefined && !['false', 'no', 'off', '0'].includes(autocrlf)) throw new NeedCheckout(`core.autocrlf is ${autocrlf || 'true'}`);
    this.coreEol = settings.get('core.eol') ?? '';
    for (const p of nulList(diff)) this.differs.add(p);
    // Assume-unchanged (a lowercase tag) and skip-worktree (S) entries: git diff does not look at their files.
    for (const rec of nulList(index)) {
      const tag = rec.slice(0, rec.indexOf(' '));
      if (tag !== tag.toUpperCase() || tag === 'S') this.differs.add(rec.slice(tag.length + 1));
    }
  }

  private attributes(out: Buffer): void {
    const attrs = nulList(out);
    const byPath = new Map<string, Record<string, string>>();
    for (let i = 0; i + 2 < attrs.length; i += 3) {
      if (attrs[i + 2] === 'unspecified') continue;
      let a = byPath.get(attrs[i]!);
      if (!a) byPath.set(attrs[i]!, (a = {}));
      a[attrs[i + 1]!] = attrs[i + 2]!;
    }
    for (const [p, a] of byPath) {
      const c = conversion(a, this.coreEol);
      if (c) this.converted.set(p, c);
    }
  }

  /** The commit's content of tracked files (one git cat-file for all): what a checkout writes, for a file it does not convert. */
  loadBlobs(paths: Iterable<string>): void {
    const want = [...paths].filter((p) => !this.blobs.has(p) && FILE_MODES.has(this.entries.get(p)?.mode ?? ''));
    if (!want.length) return;
    if (want.some((p) => this.converted.get(p) === 'other')) throw new NeedCheckout('a changed file that a checkout converts');
    const out = run(this.top, ['cat-file', '--batch'], want.map((p) => `${this.entries.get(p)!.oid}\n`).join(''));
    let at = 0;
    for (const p of want) {
      const nl = out.indexOf(10, at);
      const header = out.subarray(at, nl).toString('utf8').split(' ');
      if (header[1] !== 'blob') throw new NeedCheckout(`cannot read ${p} from git`);
      const size = Number(header[2]);
      this.blobs.set(p, out.subarray(nl + 1, nl + 1 + size));
      at = nl + 1 + size + 1;
    }
  }

  blob(p: string): Buffer {
    if (!this.blobs.has(p)) this.loadBlobs([p]);
    const b = this.blobs.get(p);
    if (!b) throw new NeedCheckout(`${p} is not a file of ${this.commit.slice(0, 12)}`);
    return b;
  }

  /** Whether the commit has a file (or a link) at this path, not a submodule. */
  hasFile(rel: string): boolean {
    const e = this.entries.get(rel);
    return e !== undefined && e.mode !== GITLINK;
  }

  /** Where a path stands in the tree: read from the work tree, from git, a folder, or not there. */
  state(rel: string): 'work' | 'head' | 'dir' | undefined {
    if (rel === '') return 'dir';
    for (let p = rel; this.links.size; ) {
      if (this.links.has(p)) throw new NeedCheckout(`${rel} is or is under a link`);
      const i = p.lastIndexOf('/');
      if (i < 0) break;
      p = p.slice(0, i);
    }
    if (this.untracked.has(rel)) return 'work';
    const e = this.entries.get(rel);
    if (e) {
      if (e.mode === GITLINK) return 'dir';
      if (this.differs.has(rel)) return 'head';
      const c = this.converted.get(rel);
      if (c === 'other') throw new NeedCheckout(`${rel} is converted on checkout`);
      return c === 'lf' && !this.hasNoCr(rel) ? 'head' : 'work';
    }
    return this.dirs().has(rel) ? 'dir' : undefined;
  }

  /** Whether the work tree's copy of a file has no CR (then a text file with LF line ends is the same in a checkout). */
  private hasNoCr(rel: string): boolean {
    let v = this.crFree.get(rel);
    if (v === undefined) {
      try {
        v = !readFileSync(path.join(this.top, rel)).includes(13);
      } catch {
        v = false;
      }
      this.crFree.set(rel, v);
    }
    return v;
  }

  /** A folder's entries by name, with what readdir would say they are. */
  list(rel: string): Map<string, EntryKind> | undefined {
    return this.dirs().get(rel);
  }

  private dirs(): Map<string, Map<string, EntryKind>> {
    if (this.children) return this.children;
    const out = new Map<string, Map<string, EntryKind>>([['', new Map()]]);
    const add = (p: string, kind: EntryKind) => {
      const i = p.lastIndexOf('/');
      const dir = i < 0 ? '' : p.slice(0, i);
      let c = out.get(dir);
      const known = c !== undefined;
      if (!c) out.set(dir, (c = new Map()));
      c.set(p.slice(i + 1), kind);
      if (!known && dir !== '') add(dir, 'dir');
    };
    for (const [p, e] of this.entries) add(p, e.mode === GITLINK ? 'dir' : FILE_MODES.has(e.mode) ? 'file' : 'other');
    for (const p of this.untracked) add(p, this.links.has(p) ? 'other' : 'file');
    for (const [p, e] of this.entries) if (e.mode === GITLINK && !out.has(p)) out.set(p, new Map());
    return (this.children = out);
  }
}

/**
 * HEAD's tree (with the untracked files) as a FileView over the repository's own paths:
 * files that are the same in the work tree are asked of `base` (the work tree's view, which
 * has most answers already), the others are read from git. A question about a link, or
 * about a path outside the repository other than those in `outside` (files the command
 * line names, which a checkout leaves where they are), raises NeedCheckout: in a checkout
 * those would be other files.
 */
export class HeadView implements FileView {
  private readonly digests = new Map<string, { sum: string; size: number }>();
  private readonly yamls = new Map<string, YamlRead>();

  constructor(readonly tree: HeadTree, private readonly base: FileView, private readonly outside: ReadonlySet<string> = new Set()) {}

  /** The path in the repository, or undefined for an outside path the base answers for. */
  private rel(abs: string): string | undefined {
    const rel = under(this.tree.top, abs);
    if (rel === undefined && !this.outside.has(abs)) throw new NeedCheckout(`${abs} is outside the repository`);
    return rel;
  }

  exists(abs: string): boolean {
    const rel = this.rel(abs);
    return rel === undefined ? this.base.exists(abs) : this.tree.state(rel) !== undefined;
  }

  kind(abs: string): EntryKind | undefined {
    const rel = this.rel(abs);
    if (rel === undefined) return this.base.kind(abs);
    const s = this.tree.state(rel);
    return s === 'dir' ? 'dir' : s ? 'file' : undefined;
  }

  list(abs: string): { name: string; kind: EntryKind }[] | undefined {
    const rel = this.rel(abs);
    if (rel === undefined) return this.base.list(abs);
    if (this.tree.state(rel) !== 'dir') return undefined;
    return [...(this.tree.list(rel) ?? [])].map(([name, kind]) => ({ name, kind }));
  }

  bytes(abs: string): Uint8Array | undefined {
    const rel = this.rel(abs);
    if (rel === undefined) return this.base.bytes(abs);
    const s = this.tree.state(rel);
    return s === 'work' ? this.base.bytes(abs) : s === 'head' ? this.tree.blob(rel) : undefined;
  }

  text(abs: string): string | undefined {
    const rel = this.rel(abs);
    if (rel === undefined) return this.base.text(abs);
    const s = this.tree.state(rel);
    return s === 'work' ? this.base.text(abs) : s === 'head' ? this.tree.blob(rel).toString('utf8') : undefined;
  }

  digest(abs: string): { sum: string; size: number } | undefined {
    const rel = this.rel(abs);
    if (rel === undefined) return this.base.digest(abs);
    const s = this.tree.state(rel);
    if (s === 'work') return this.base.digest(abs);
    if (s !== 'head') return undefined;
    let d = this.digests.get(rel);
    if (!d) this.digests.set(rel, (d = digestOf(this.tree.blob(rel))));
    return d;
  }

  yaml(abs: string): YamlRead | undefined {
    const rel = this.rel(abs);
    if (rel === undefined) return this.base.yaml(abs);
    const s = this.tree.state(rel);
    if (s === 'work') return this.base.yaml(abs);
    if (s !== 'head') return undefined;
    let y = this.yamls.get(rel);
    if (!y) this.yamls.set(rel, (y = yamlOfStored(this.tree.blob(rel).toString('utf8'), this.base instanceof DiskView ? this.base.store : undefined)));
    return y;
  }

  /** Whether a file of the repository is the same in HEAD's tree as in the work tree. */
  same(abs: string): boolean {
    const rel = under(this.tree.top, abs);
    return rel !== undefined && this.tree.state(rel) === 'work';
  }
}
