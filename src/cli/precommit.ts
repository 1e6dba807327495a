import path from 'node:path';
import { addedSince, compareFindings } from '../engine/baseline.js';
import { UNUSED_SUPPRESSION } from '../engine/engine.js';
import { ParseCache } from '../load/cache.js';
import type { Config } from '../engine/config.js';
import type { Finding } from '../types/finding.js';
import type { Rule } from '../types/rule.js';
import { RULES } from '../../rules/index.js';
import { mark } from '../timing.js';
import { commitOf, gitTop } from './diff-git.js';
import { lintAtCommit } from './diff-gate.js';
import { findingsKey, getFindings, kept, saveFindings, setFindings, treeFindingsKey, type Kept } from './findings-cache.js';
import { startTreeKeys } from './head-key.js';
import { NeedCheckout } from './head-tree.js';
import { headInputs } from './precommit-head.js';
import { lintFound, load, pairOutputs, resolveConfig, report, type InputOpts, type Loaded, type ReportOpts } from './lint-command.js';
import type { CliIO } from './io.js';

/**
 * `svclint pre-commit FILES…`, the pre-commit hook (pre-commit passes the staged manifests
 * and has set aside unstaged changes). The graph is built from every manifest of the
 * repository, so a staged Service meets its untouched Deployment; the report keeps the
 * findings located in the staged files, plus the findings elsewhere that the change
 * causes: those that HEAD's tree (with the untracked files, linted with the same config)
 * does not give, matched by fingerprint as --new-from-rev matches them.
 *
 * HEAD's findings are those of the rules that found something elsewhere (a rule's findings
 * do not depend on the other rules), taken from the findings cache when this tree was
 * linted before (findings-cache.ts: first by a key of HEAD's tree that git gives while the
 * work tree is linted, head-key.ts; a run whose load is the index's tree keeps its findings
 * under the key that tree will have as the next HEAD), else linted from inputs derived from the work tree's
 * load (precommit-head.ts), else, where those cannot be derived exactly, from a checkout.
 * SVCLINT_HOOK_CHECKOUT=1 takes the plain way: every rule, over a checkout of HEAD (the
 * differential test compares the two).
 */
export async function preCommit(staged: string[], opts: InputOpts & ReportOpts, io: CliIO): Promise<number> {
  const top = gitTop(io.cwd, 'svclint pre-commit');
  const here: CliIO = { ...io, cwd: top };
  const config = await resolveConfig(here, opts);
  // HEAD's tree is mostly the same files: the parse cache reads each text once, in this run or an earlier one.
  const inputs = { ...opts, errorOnUnmatchedPattern: false, cache: true };
  const plain = io.env.SVCLINT_HOOK_CHECKOUT === '1';
  const head = commitOf(top, 'HEAD'); // none before the first commit: everything is new
  // What HEAD's tree and the index's are, asked of git while the work tree is linted (the findings cache may have HEAD's findings under the first).
  const trees = plain ? undefined : startTreeKeys(top, head, inputs, config, io.env);
  const now = await load(['.'], inputs, here, config, pairOutputs(opts.format, opts.outputFile).map((o) => o.file), undefined, { trace: !plain });
  const stagedSet = new Set(staged.map((f) => path.relative(top, path.resolve(io.cwd, f)).split(path.sep).join('/')));
  const inStaged = (f: Finding) => f.location !== undefined && stagedSet.has(f.location.file);
  let elsewhere = now.result.findings.filter((f) => !inStaged(f));
  // The next commit compares with this tree: its findings are kept for it.
  const all = RULES.map((r) => r.meta.id);
  let keptNow: Kept[] | undefined;
  const nowKept = () => (keptNow ??= now.result.findings.map(kept)); // only when something is kept
  const nowKey = !plain && now.keys ? findingsKey(now.files, now.keys, now.loadProblems, now.config, all) : undefined;
  if (nowKey !== undefined && !getFindings(io.env, nowKey)) setFindings(io.env, nowKey, nowKept());
  // And under the key the index's tree will have as HEAD, when this load is that tree's: the next commit then derives nothing.
  const index = await trees?.index(now).catch(() => undefined);
  const byIndex = index && treeFindingsKey(index.key, now.config, all);
  if (byIndex !== undefined && !getFindings(io.env, byIndex) && index!.unchanged()) setFindings(io.env, byIndex, nowKept());
  if (elsewhere.length && head) {
    const added = new Set(plain
      ? compareFindings(await lintAtCommit(top, head, ['.'], inputs, here, config, { untracked: true }, now), now.result.findings).added
      : addedSince(await headFindings(top, head, now, inputs, here, config, new Set(elsewhere.map((f) => f.ruleId)), await trees?.head().catch(() => undefined)), now.result.findings));
    mark('HEAD');
    elsewhere = elsewhere.filter((f) => added.has(f));
  }
  if (!plain) saveFindings(io.env);
  const shown = new Set([...now.result.findings.filter(inStaged), ...elsewhere]);
  return report(here, opts, now, now.result.findings.filter((f) => shown.has(f)));
}

/**
 * HEAD's findings of the rules in `ids` (every rule when unused-suppression is one: it
 * depends on what the others report), in the order a full lint gives them.
 */
async function headFindings(top: string, head: string, now: Loaded, opts: InputOpts, io: CliIO, config: Config, ids: Set<string>, treeKey: string | undefined): Promise<Kept[]> {
  const subset: readonly Rule[] | undefined = ids.has(UNUSED_SUPPRESSION) ? undefined : RULES.filter((r) => ids.has(r.meta.id));
  const all = RULES.map((r) => r.meta.id);
  const only = (fs: Kept[]) => (subset ? fs.filter((f) => ids.has(f.ruleId)) : fs);
  // By the tree's key first: a hit needs no derivation of HEAD's inputs.
  const treeFull = treeKey === undefined ? undefined : treeFindingsKey(treeKey, now.config, all);
  const treePart = treeKey === undefined || !subset ? treeFull : treeFindingsKey(treeKey, now.config, subset.map((r) => r.meta.id));
  const byTree = treeFull === undefined ? undefined : getFindings(io.env, treeFull) ?? (treePart === treeFull ? undefined : getFindings(io.env, treePart!));
  if (io.env.SVCLINT_DEBUG) io.stderr(`svclint: pre-commit: HEAD's tree ${treeKey === undefined ? 'has no key' : byTree ? 'is in the findings cache' : 'is not in the findings cache'}\n`);
  if (byTree) {
    mark('HEAD inputs');
    return only(byTree);
  }
  let derived;
  try {
    derived = await headInputs(top, head, now, opts, config, io.env);
  } catch (err) {
    if (!(err instanceof NeedCheckout)) throw err;
    if (io.env.SVCLINT_DEBUG) io.stderr(`svclint: pre-commit: checking HEAD out: ${err.message}\n`);
    mark('HEAD inputs');
    return only((await lintAtCommit(top, head, ['.'], opts, io, config, { untracked: true }, now, subset)).map(kept));
  }
  mark('HEAD inputs');
  // The parse cache keys of files the work tree has too are known; the rest are hashed.
  const known = new Map(now.files.map((f, i) => [f.path, { text: f.text, key: now.keys?.[i] }]));
  const keys = derived.files.map((f) => {
    const k = known.get(f.path);
    return k && k.text === f.text && k.key !== undefined ? k.key : ParseCache.key(f);
  });
  const full = findingsKey(derived.files, keys, derived.problems, now.config, all);
  const partKey = subset ? findingsKey(derived.files, keys, derived.problems, now.config, subset.map((r) => r.meta.id)) : full;
  const cached = getFindings(io.env, full);
  const part = cached ? undefined : subset && getFindings(io.env, partKey);
  if (io.env.SVCLINT_DEBUG) io.stderr(`svclint: pre-commit: HEAD's findings ${cached ? 'from the cache (every rule)' : part ? 'from the cache' : 'linted'}\n`);
  // Under the tree's key too, when what the derivation read is all that key covers.
  const byTreeToo = (key: string | undefined, fs: Kept[]) => {
    if (key !== undefined && derived.closed) setFindings(io.env, key, fs);
  };
  if (cached) {
    byTreeToo(treeFull, cached);
    return only(cached);
  }
  if (part) {
    byTreeToo(treePart, part);
    return part;
  }
  const { result } = await lintFound(derived.files, derived.problems, now.config, opts, io.env, now, subset);
  const out = result.findings.map(kept);
  setFindings(io.env, partKey, out);
  byTreeToo(treePart, out);
  return out;
}
