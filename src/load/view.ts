import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseQuiet } from './quiet-yaml.js';

/** What a path is: a regular file, a folder, or anything else (a link met in a listing, a device). */
export type EntryKind = 'file' | 'dir' | 'other';

/** A YAML file as read: its value, or that it did not parse (undefined: it could not be read). */
export type YamlRead = { value: unknown } | { error: true };

/**
 * How the loader sees the files around what it renders: whether Chart.yaml and kustomization
 * files are there, what they say, and the files a render reads (for its cache key and to map
 * its output back to source files). The default is the file system; the pre-commit hook
 * passes another view to load HEAD's version of the repository without writing it out.
 * Every answer is about an absolute path.
 */
export interface FileView {
  /** As existsSync: links are followed, folders count. */
  exists(abs: string): boolean;
  /** As statSync: links are followed; undefined when there is nothing there. */
  kind(abs: string): EntryKind | undefined;
  /** A folder's entries as readdirSync with file types gives them (a link is `other`); undefined when it cannot be listed. */
  list(abs: string): { name: string; kind: EntryKind }[] | undefined;
  /** A file's bytes; undefined when it cannot be read. */
  bytes(abs: string): Uint8Array | undefined;
  /** A file's text (UTF-8); undefined when it cannot be read. */
  text(abs: string): string | undefined;
  /** SHA-256 (hex) and size of a file's bytes; undefined when it cannot be read. */
  digest(abs: string): { sum: string; size: number } | undefined;
  /** A file's YAML value (one document); undefined when it cannot be read. */
  yaml(abs: string): YamlRead | undefined;
}

/**
 * Where YAML values read through a view are kept between runs, by text (the render cache,
 * render-cache.ts): kustomization files are read on every run to plan the renders, and
 * parsing them costs more than reading them.
 */
export interface YamlStore {
  /** The value kept for this text, or undefined when none is (or it is not sound). */
  getYaml(text: string): YamlRead | undefined;
  setYaml(text: string, read: YamlRead): void;
}

/** yamlOf(), through a store when there is one. */
export function yamlOfStored(text: string, store: YamlStore | undefined): YamlRead {
  const kept = store?.getYaml(text);
  if (kept) return kept;
  const read = yamlOf(text);
  store?.setYaml(text, read);
  return read;
}

/**
 * The file system. With `keep` (one load's view), the answers are kept for the rest of the
 * run: a base that several overlays build on is probed, parsed and hashed once, and a
 * second view (HEAD's, in the pre-commit hook) asks this one about every file the change
 * did not touch. Without it, every question reads the disk again. With a `store`, YAML
 * values parsed in an earlier run from the same text are taken from it.
 */
export class DiskView implements FileView {
  private readonly existing = new Map<string, boolean>();
  private readonly kinds = new Map<string, EntryKind | undefined>();
  private readonly digests = new Map<string, { sum: string; size: number } | undefined>();
  private readonly yamls = new Map<string, YamlRead | undefined>();

  constructor(private readonly keep = false, readonly store?: YamlStore) {}

  /** With `keep`: the paths it found something at (a file or folder that exists, was hashed or parsed). */
  *found(): Iterable<string> {
    for (const [p, v] of this.existing) if (v) yield p;
    for (const [p, v] of this.kinds) if (v !== undefined) yield p;
    for (const [p, v] of this.digests) if (v !== undefined) yield p;
    for (const [p, v] of this.yamls) if (v !== undefined) yield p;
  }

  exists(abs: string): boolean {
    if (!this.keep) return existsSync(abs);
    let v = this.existing.get(abs);
    if (v === undefined) this.existing.set(abs, (v = existsSync(abs)));
    return v;
  }

  kind(abs: string): EntryKind | undefined {
    if (this.keep && this.kinds.has(abs)) return this.kinds.get(abs);
    let k: EntryKind | undefined;
    try {
      const st = statSync(abs);
      k = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      k = undefined;
    }
    if (this.keep) this.kinds.set(abs, k);
    return k;
  }

  list(abs: string): { name: string; kind: EntryKind }[] | undefined {
    try {
      return readdirSync(abs, { withFileTypes: true }).map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' }));
    } catch {
      return undefined;
    }
  }

  bytes(abs: string): Uint8Array | undefined {
    try {
      return readFileSync(abs);
    } catch {
      return undefined;
    }
  }

  text(abs: string): string | undefined {
    try {
      return readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  }

  digest(abs: string): { sum: string; size: number } | undefined {
    if (this.keep && this.digests.has(abs)) return this.digests.get(abs);
    const b = this.bytes(abs);
    const d = b && digestOf(b);
    if (this.keep) this.digests.set(abs, d);
    return d;
  }

  yaml(abs: string): YamlRead | undefined {
    if (this.keep && this.yamls.has(abs)) return this.yamls.get(abs);
    const t = this.text(abs);
    const v = t === undefined ? undefined : yamlOfStored(t, this.store);
    if (this.keep) this.yamls.set(abs, v);
    return v;
  }
}

export function digestOf(bytes: Uint8Array): { sum: string; size: number } {
  return { sum: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

export function yamlOf(text: string): YamlRead {
  try {
    return { value: parseQuiet(text) };
  } catch {
    return { error: true };
  }
}

/** A YAML value that parsed, else undefined. */
export function yamlValue(view: FileView, abs: string): { value: unknown } | undefined {
  const r = view.yaml(abs);
  return r && 'value' in r ? r : undefined;
}

/** `abs` relative to `root` with forward slashes, or undefined when it is not under it. */
export function under(root: string, abs: string): string | undefined {
  // The common case without path.relative: a normalised path inside a root that does not end in a separator.
  if (abs.length > root.length + 1 && abs.startsWith(root) && abs[root.length] === path.sep && !root.endsWith(path.sep) && path.normalize(abs) === abs) {
    const rel = abs.slice(root.length + 1);
    return path.sep === '/' ? rel : rel.split(path.sep).join('/');
  }
  const rel = path.relative(root, abs);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
