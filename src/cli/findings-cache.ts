import { createHash } from 'node:crypto';
import { matchKeys, type MatchKeys } from '../engine/baseline.js';
import type { Config } from '../engine/config.js';
import { stableMessage } from '../engine/fingerprint.js';
import { cacheDir, ParseCache } from '../load/cache.js';
import { codeIdentity } from '../load/code-identity.js';
import type { Finding } from '../types/finding.js';
import type { LoadProblem } from '../types/problem.js';
import type { SourceFile } from '../types/source.js';
import { fileTextSum } from '../load/content-sum.js';

/**
 * What the pre-commit hook compares with: the findings of HEAD's tree, kept between runs by
 * what they were computed from, so that the commit after this one (whose HEAD is this
 * work tree) and a second try of this one (after a fix elsewhere) do not lint HEAD again.
 *
 * - Key: a SHA-256 of the svclint code that ran (its version and the name, size and time
 *   of every file of the built code, so a rebuilt svclint misses), the resolved config, the
 *   rules run, and the inputs as the rules see them: every source file in order (path,
 *   whether and how it was rendered, its parse cache key — a hash of its text — and where
 *   its rendered documents come from, with those files' texts hashed) and the load
 *   problems. A lint is a function of these alone: no rule reads the clock or the
 *   environment. In a problem's data, what the fingerprint leaves out of messages is left
 *   out here too (a renderer's log times, the folders of absolute paths): two renders
 *   that failed alike differ in no fingerprint, and their messages, which differ, match
 *   no other finding's.
 * - Value: per finding what the comparison matches it by (matchKeys: its fingerprint and
 *   place), in the lint's order.
 * - A second key for the same value (treeFindingsKey): HEAD's tree as git names it, for a
 *   run that finds it there without deriving HEAD's inputs (head-key.ts).
 * - Where and how: `findings-cache.v1` in the parse cache's folder, kept as that cache is
 *   (checked lines, atomic writes, oldest entries dropped past FINDINGS_CACHE_MAX_BYTES).
 */
export const FINDINGS_CACHE_FILE = 'findings-cache.v1';
export const FINDINGS_CACHE_MAX_BYTES = 8 * 1024 * 1024;

/** A finding as the cache keeps it: its rule, and what the comparison matches it by. */
export type Kept = MatchKeys & { ruleId: string };

export function kept(f: Finding): Kept {
  return { ruleId: f.ruleId, ...matchKeys(f) };
}

const texts = new WeakMap<SourceFile, string>();
const textSum = (f: SourceFile) => {
  let s = texts.get(f);
  if (s === undefined) texts.set(f, (s = fileTextSum(f)));
  return s;
};

/** The key of a lint's findings (see above); `keys` are the files' parse cache keys. */
export function findingsKey(files: SourceFile[], keys: string[], problems: LoadProblem[], config: Config, rules: readonly string[]): string {
  const h = createHash('sha256').update(`svclint findings\0${codeIdentity()}\0${JSON.stringify(config)}\0${rules.join(',')}\0`);
  files.forEach((f, i) => {
    h.update(`${f.path}\0${f.rendered ?? ''}\0${keys[i]}\0`);
    if (f.parts) {
      h.update(JSON.stringify(f.parts, (k, v: unknown) => ((k === 'file' && typeof v === 'object' && v !== null) ? { path: (v as SourceFile).path, sum: textSum(v as SourceFile) } : v)));
    }
    h.update('\0');
  });
  h.update(JSON.stringify(problems.map((p) => ({
    ...p,
    ...(p.file ? { file: { path: p.file.path, sum: textSum(p.file) } } : {}),
    ...(p.data ? { data: Object.fromEntries(Object.entries(p.data).map(([k, v]) => [k, typeof v === 'string' ? stableMessage(v) : v])) } : {}),
  }))));
  return h.digest('hex');
}

/**
 * A second key for the same findings, known without deriving HEAD's inputs: the tree with
 * the untracked files as startTreeKeys() (head-key.ts) names it, under the same code, config
 * and rules. Kept only beside a lint whose inputs were all covered by that key.
 */
export function treeFindingsKey(treeKey: string, config: Config, rules: readonly string[]): string {
  return createHash('sha256').update(`svclint tree findings\0${codeIdentity()}\0${JSON.stringify(config)}\0${rules.join(',')}\0${treeKey}`).digest('hex');
}

let store: ParseCache | undefined | null = null;

function open(env: NodeJS.ProcessEnv): ParseCache | undefined {
  if (store === null) {
    const dir = cacheDir(env);
    store = dir ? new ParseCache(dir, FINDINGS_CACHE_MAX_BYTES, Date.now(), FINDINGS_CACHE_FILE) : undefined;
  }
  return store;
}

const isKept = (v: unknown): v is { findings: Kept[] } =>
  typeof v === 'object' && v !== null && Array.isArray((v as { findings?: unknown }).findings)
  && (v as { findings: unknown[] }).findings.every((f) => typeof f === 'object' && f !== null && ['ruleId', 'fingerprint', 'place'].every((k) => typeof (f as Record<string, unknown>)[k] === 'string'));

export function getFindings(env: NodeJS.ProcessEnv, key: string): Kept[] | undefined {
  return open(env)?.getChecked(key, isKept)?.findings;
}

/** Keeps findings under a key, for saveFindings() to write. */
export function setFindings(env: NodeJS.ProcessEnv, key: string, findings: Kept[]): void {
  open(env)?.setJson(key, JSON.stringify({ findings }));
}

export function saveFindings(env: NodeJS.ProcessEnv): void {
  open(env)?.save();
}

/**
 * The tree id of an index listing (`git ls-files -s`), kept by the listing's hash: computing
 * it costs more than the rest of a run's index key (head-key.ts), and the runs before a
 * commit list the same index.
 */
const listingKey = (listing: Uint8Array, format: string) => createHash('sha256').update(`svclint index tree\0${format}\0`).update(listing).digest('hex');

export function knownTree(env: NodeJS.ProcessEnv, listing: Uint8Array, format: string): string | undefined {
  return open(env)?.getChecked(listingKey(listing, format), (v): v is { tree: string } => typeof v === 'object' && v !== null && typeof (v as { tree?: unknown }).tree === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test((v as { tree: string }).tree))?.tree;
}

export function keepTree(env: NodeJS.ProcessEnv, listing: Uint8Array, format: string, tree: string): void {
  open(env)?.setJson(listingKey(listing, format), JSON.stringify({ tree }));
}
