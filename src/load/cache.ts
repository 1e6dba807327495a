import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../types/source.js';
import type { TextMemo } from '../types/memo.js';
import { VERSION } from '../version.js';
import { parseAll, type ParseResult } from './parse-pool.js';
import { cacheDir } from './cache-dir.js';
import { codeIdentity } from './code-identity.js';
import { fileTextSum } from './content-sum.js';
import { deferrableSpec, deferSpec } from './deferred-spec.js';
import { isRecord } from './objects.js';

export { cacheDir };

/**
 * A cache of parse results for repeated runs (`--cache`, and always in the pre-commit hook):
 * a file whose text was parsed before by the same build of svclint is not parsed again.
 *
 * - Key: a SHA-256 of the svclint version, whether the file is held to JSON (a `.json`
 *   name: parse.ts) and the text's SHA-256; the file's first line names the build that wrote it
 *   (code-identity.ts), and another build (an install from a later commit of the same
 *   version) ignores and replaces the whole file. Nothing else changes what parsing gives: the config and
 *   the command line act on the parsed values later, so a change of config misses nothing.
 * - Where: `$XDG_CACHE_HOME/svclint` (only an absolute XDG_CACHE_HOME counts, as the XDG
 *   spec says), else `$HOME/.cache/svclint`; with neither there is no cache. Never the
 *   working folder.
 * - One file of lines `key \t last-used \t checksum \t JSON`; a line is checked (its
 *   SHA-256) and read only when a run needs it, so a run pays for the files it has, not
 *   for the whole cache. A line that fails its checksum or does not read back is dropped
 *   and the file is parsed; a file that is not ours (another header) is ignored and
 *   replaced. The cache is only ever trusted for speed: what it holds is what parsing the
 *   same text gives (test/cache.test.ts lints with and without it and compares).
 * - Size: at most `maxBytes` (64 MiB by default, SVCLINT_CACHE_MAX_BYTES); the entries
 *   used longest ago go first.
 * - Concurrent runs: written to a temporary file and renamed over the cache, so a reader
 *   sees the old file or the new one, never half of one; the last writer wins, and a run
 *   that loses only misses entries next time.
 * - Values JSON cannot carry exactly (a negative zero, a non-finite number) are not cached.
 */

/** The first line: the format, the version and the build (code-identity.ts) that wrote the file; any other build replaces it. */
export const cacheHeader = (): string => `svclint-parse-cache 1 ${VERSION} ${codeIdentity().slice(0, 32)}`;
const NEWLINE = Buffer.from('\n');
export const CACHE_FILE = 'parse-cache.v1';
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** A used entry's time is written again only when it is older than this (not on every run). */
const TOUCH_AFTER_MS = 24 * 3600 * 1000;

interface Entry {
  /** Last used, in ms since the epoch. */
  t: number;
  sum: string;
  /** The JSON text: set in this run, or where it is in the bytes read (decoded only when asked for). */
  json?: string;
  at?: [number, number];
}

const sum = (key: string, json: string | Uint8Array) => createHash('sha256').update(key).update('\t').update(json).digest('hex').slice(0, 32);

/** JSON text of a value, or undefined when JSON would not give the same values back. */
export function exactJson(result: unknown): string | undefined {
  let exact = true;
  const json = JSON.stringify(result, function (this: Record<string, unknown>, k, v: unknown) {
    const raw = this[k]; // before toJSON (a Date arrives here as a string)
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const proto = Object.getPrototypeOf(raw);
      if (proto !== Object.prototype && proto !== null) exact = false;
    }
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) exact = false;
    else if (v === undefined && Array.isArray(this)) exact = false;
    else if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') exact = false;
    return v;
  });
  return exact ? json : undefined;
}

export { DEFER_MIN_CHARS } from './deferred-spec.js';

const deferredKey = (key: string, doc: number) => createHash('sha256').update(`${key}\0deferred spec\0${doc}`).digest('hex');

export class ParseCache implements TextMemo {
  private entries = new Map<string, Entry>();
  /** The file as read: entries point into it. */
  private bytes: Buffer = Buffer.alloc(0);
  private changed = false;
  readonly file: string | undefined;
  hits = 0;
  misses = 0;

  constructor(
    readonly dir: string | undefined,
    readonly maxBytes = DEFAULT_CACHE_MAX_BYTES,
    private readonly now = Date.now(),
    fileName = CACHE_FILE,
  ) {
    this.file = dir ? path.join(dir, fileName) : undefined;
    if (this.file) this.read(this.file);
  }

  private read(file: string): void {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return; // none yet, or unreadable: no cache
    }
    // Lines are found in the bytes and only the entries a run asks for are decoded.
    const first = bytes.indexOf(10);
    if (bytes.toString('utf8', 0, first < 0 ? bytes.length : first) !== cacheHeader()) {
      this.changed = true; // another version's or not ours: replaced on save
      return;
    }
    this.bytes = bytes;
    for (let at = first + 1; at > 0 && at < bytes.length; ) {
      let end = bytes.indexOf(10, at);
      if (end < 0) end = bytes.length;
      const a = bytes.indexOf(9, at);
      const b = a < 0 || a >= end ? -1 : bytes.indexOf(9, a + 1);
      const c = b < 0 || b >= end ? -1 : bytes.indexOf(9, b + 1);
      if (c >= 0 && c < end) {
        const t = Number(bytes.toString('latin1', a + 1, b));
        if (Number.isFinite(t)) this.entries.set(bytes.toString('utf8', at, a), { t, sum: bytes.toString('latin1', b + 1, c), at: [c + 1, end] });
      }
      at = end + 1;
    }
  }

  /** A file's key: the version, whether it is held to JSON, and its text's hash (content-sum.ts: taken from its bytes when it was read with a cache). */
  static key(file: Pick<SourceFile, 'path' | 'text'>): string {
    return createHash('sha256').update(VERSION).update(/\.json$/i.test(file.path) ? '\0json\0' : '\0yaml\0').update(fileTextSum(file)).digest('hex');
  }

  get(key: string): ParseResult | undefined {
    const result = this.getChecked(key, (v): v is ParseResult => typeof v === 'object' && v !== null && Array.isArray((v as ParseResult).docs) && Array.isArray((v as ParseResult).problems));
    if (!result) return undefined;
    // Deferred parts (see set()): each must be there and whole, or the entry is a miss.
    const docs = result.docs as (ParseResult['docs'][number] & { deferred?: unknown })[];
    const parts: { value: Record<string, unknown>; text: () => string }[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      if (d.deferred === undefined) continue;
      const text = d.deferred === 1 && isRecord(d.value) && d.value.spec === null ? this.checkedText(deferredKey(key, i)) : undefined;
      if (!text) {
        this.entries.delete(key);
        this.changed = true;
        return undefined;
      }
      delete d.deferred;
      parts.push({ value: d.value as Record<string, unknown>, text });
    }
    for (const p of parts) deferSpec(p.value, p.text);
    return result;
  }

  /** The JSON text of an entry whose checksum holds (decoded when asked for), touched as a read one is; undefined for any other. */
  private checkedText(key: string): (() => string) | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const raw = e.json ?? this.bytes.subarray(e.at![0], e.at![1]);
    if (sum(key, raw) !== e.sum) {
      this.entries.delete(key);
      this.changed = true;
      return undefined;
    }
    if (this.now - e.t > TOUCH_AFTER_MS) {
      e.t = this.now;
      this.changed = true;
    }
    return typeof raw === 'string' ? () => raw : () => raw.toString('utf8');
  }

  /** An entry whose checksum holds and whose value passes `valid`; any other is dropped. */
  getChecked<T>(key: string, valid: (v: unknown) => v is T): T | undefined {
    const text = this.checkedText(key);
    if (!text) return undefined;
    let value: T | undefined;
    try {
      const v: unknown = JSON.parse(text());
      if (valid(v)) value = v;
    } catch {
      // not what we wrote: dropped below
    }
    if (!value) {
      this.entries.delete(key);
      this.changed = true;
      return undefined;
    }
    return value;
  }

  /**
   * Keeps a parse result. The `spec` of a large CustomResourceDefinition (most of the bytes
   * of a repository that ships its CRDs, and read by no rule) is kept as an entry of its
   * own and decoded only when something reads it: get() gives the document a `spec` that
   * parses that entry on first use.
   */
  set(key: string, result: ParseResult): void {
    const json = exactJson(result);
    if (json === undefined || !json.includes('"CustomResourceDefinition"')) return this.setJson(key, json);
    const copy = JSON.parse(json) as { docs: { value: unknown; deferred?: 1 }[] };
    let deferred = false;
    copy.docs.forEach((d, i) => {
      const spec = deferrableSpec(d.value);
      if (spec === undefined) return;
      this.setJson(deferredKey(key, i), spec);
      (d.value as Record<string, unknown>).spec = null;
      d.deferred = 1;
      deferred = true;
    });
    this.setJson(key, deferred ? JSON.stringify(copy) : json);
  }

  /**
   * What `compute()` gives for a text, kept across runs under a hash of the version, `kind`
   * and the text (types/memo.ts): the graph's memo. A value JSON cannot carry exactly is
   * computed every time.
   */
  of<T>(kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T {
    const key = createHash('sha256').update(VERSION).update(`\0derived\0${kind}\0`).update(text).digest('hex');
    const kept = this.getChecked(key, valid);
    if (kept !== undefined) return kept;
    const value = compute();
    this.setJson(key, exactJson(value));
    return value;
  }

  /** Each file's parse key, as this run computed it (noteKeys): keptFor() and keepFor() need not hash the text again. */
  private readonly fileKeys = new WeakMap<object, string>();

  /** Records the parse keys of files (in the same order) that the run has computed. */
  noteKeys(files: readonly object[], keys: readonly (string | undefined)[]): void {
    files.forEach((f, i) => {
      const k = keys[i];
      if (k !== undefined) this.fileKeys.set(f, k);
    });
  }

  /** The key of what is kept under `kind` for a file: made from its parse key, which covers its text and how it is read. */
  private fileKindKey(file: Pick<SourceFile, 'path' | 'text'>, kind: string): string {
    const parseKey = this.fileKeys.get(file) ?? ParseCache.key(file);
    return createHash('sha256').update(`${VERSION}\0file\0${kind}\0${parseKey}`).digest('hex');
  }

  keptFor<T>(file: Pick<SourceFile, 'path' | 'text'>, kind: string, valid: (v: unknown) => v is T): T | undefined {
    return this.getChecked(this.fileKindKey(file, kind), valid);
  }

  keepFor(file: Pick<SourceFile, 'path' | 'text'>, kind: string, value: unknown): void {
    this.setJson(this.fileKindKey(file, kind), exactJson(value));
  }

  /** Keeps a JSON text (plain strings and numbers only, so exact) under a key. */
  setJson(key: string, json: string | undefined): void {
    if (json === undefined || json.includes('\n')) return; // JSON.stringify never writes a raw newline; kept as a guard
    this.entries.set(key, { t: this.now, sum: sum(key, json), json });
    this.changed = true;
  }

  /** Writes the cache when this run changed it, pruned to its size, by an atomic rename. Failures only cost the next run time. */
  save(): void {
    if (!this.file || !this.changed) return;
    const sorted = [...this.entries].sort((x, y) => y[1].t - x[1].t);
    // Entries read and not changed are written as the bytes they were.
    const parts: Buffer[] = [Buffer.from(`${cacheHeader()}\n`)];
    let bytes = parts[0]!.length;
    for (const [key, e] of sorted) {
      const head = Buffer.from(`${key}\t${e.t}\t${e.sum}\t${e.json ?? ''}`);
      const json = e.json === undefined ? this.bytes.subarray(e.at![0], e.at![1]) : undefined;
      const size = head.length + (json?.length ?? 0) + 1;
      if (bytes + size > this.maxBytes) break;
      bytes += size;
      parts.push(head);
      if (json) parts.push(json);
      parts.push(NEWLINE);
    }
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir!, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, Buffer.concat(parts, bytes), { mode: 0o600 });
      renameSync(tmp, this.file);
      this.changed = false;
    } catch {
      rmSync(tmp, { force: true });
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

const open = new Map<string, ParseCache>();

/** The cache for this environment (one per process: the hook's two loads share it); SVCLINT_CACHE_MAX_BYTES sets its size. */
export function openParseCache(env: NodeJS.ProcessEnv): ParseCache {
  const max = Number(env.SVCLINT_CACHE_MAX_BYTES);
  const dir = cacheDir(env);
  const id = `${dir}\0${max}`;
  let cache = open.get(id);
  if (!cache) open.set(id, (cache = new ParseCache(dir, Number.isSafeInteger(max) && max > 0 ? max : DEFAULT_CACHE_MAX_BYTES)));
  return cache;
}

/** parseAll(), with the results the cache has taken from it and the rest parsed and added; `keys` is given each file's key. */
export async function parseAllCached(files: SourceFile[], cache: ParseCache, keys: string[] = []): Promise<ParseResult[]> {
  files.forEach((f, i) => (keys[i] = ParseCache.key(f)));
  cache.noteKeys(files, keys);
  const results: (ParseResult | undefined)[] = keys.map((k) => cache.get(k));
  const missing = files.filter((_, i) => !results[i]);
  cache.hits += files.length - missing.length;
  cache.misses += missing.length;
  if (missing.length) {
    const parsed = await parseAll(missing);
    let j = 0;
    results.forEach((r, i) => {
      if (r) return;
      results[i] = parsed[j++]!;
      cache.set(keys[i]!, results[i]!);
    });
  }
  cache.save();
  return results as ParseResult[];
}
