import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UsageError, systemErrorText } from '../errors.js';
import { applyBaseline, compareFindings, comparisonLine, formatBaseline, parseBaseline, staleFindings } from '../engine/baseline.js';
import { ruleSetting, UNUSED_SUPPRESSION } from '../engine/engine.js';
import type { Config } from '../engine/config.js';
import { computeRoutes } from '../graph/routes.js';
import type { Comparison as SummaryComparison } from '../report/summary.js';
import { checkOutputFiles } from '../report/write.js';
import type { Finding } from '../types/finding.js';
import type { Rule } from '../types/rule.js';
import { RULES } from '../../rules/index.js';
import { diffRoutes, formatDiff } from './diff-graph.js';
import { checkoutTree, gitTop, inTree, requireCommit } from './diff-git.js';
import { ArgumentError, type CliIO } from './io.js';
import { emit, load, type InputOpts, type Loaded } from './lint-command.js';
import { mark } from '../timing.js';

export interface GateOpts {
  newFromRev?: string;
  /** With newFromRev: also write the Service-graph change there (JSON for a .json name, else markdown). */
  diffOutput?: string;
  baseline?: string;
  writeBaseline?: string;
}

/** The config as it applies in another checkout of the same repository: its ignore globs are relative to its folder. */
export function configIn(config: Config, top: string, treeDir: string): Config {
  if (!config.base) return config;
  const rel = path.relative(top, realpathSync(config.base));
  return rel.startsWith('..') || path.isAbsolute(rel) ? config : { ...config, base: path.join(treeDir, rel) };
}

/**
 * Loads `commit`'s tree the way the work tree was loaded: the same inputs (mapped into the
 * tree), options and resolved config. Undefined when none of the inputs is there yet (a
 * folder the change adds): there is nothing to compare with.
 */
export async function loadAtCommit(top: string, commit: string, paths: string[], opts: InputOpts, io: CliIO, config: Config, treeOpts: { untracked?: boolean } = {}, now?: Loaded, rules?: readonly Rule[]): Promise<Loaded | undefined> {
  const tree = checkoutTree(top, commit, treeOpts);
  mark(`checkout of ${commit.slice(0, 7)}`);
  try {
    const cwd = inTree('.', io.cwd, top, tree.dir);
    // Standard input has no earlier version: it is compared with nothing.
    const mapped = (paths.length ? paths : ['.']).filter((p) => p !== '-').map((p) => inTree(p, io.cwd, top, tree.dir)).filter((p) => /[*?[{]/.test(p) || existsSync(p));
    if (mapped.length === 0 || !existsSync(cwd)) return undefined;
    const inputs: InputOpts = {
      ...opts,
      errorOnUnmatchedPattern: false,
      helmValues: opts.helmValues?.map((f) => inTree(f, io.cwd, top, tree.dir)),
    };
    // File names are relative to the mapped cwd, as in the work tree: unchanged files are parsed once, for both.
    return await load(mapped, inputs, { ...io, cwd, readStdin: undefined }, configIn(config, top, tree.dir), [], now, rules ? { rules } : {});
  } finally {
    tree.dispose();
  }
}

/** The findings of `commit`'s tree, linted as the work tree was (loadAtCommit): those of every rule, or of `rules`. */
export async function lintAtCommit(top: string, commit: string, paths: string[], opts: InputOpts, io: CliIO, config: Config, treeOpts: { untracked?: boolean } = {}, now?: Loaded, rules?: readonly Rule[]): Promise<Finding[]> {
  return (await loadAtCommit(top, commit, paths, opts, io, config, treeOpts, now, rules))?.result.findings ?? [];
}

export interface Gated {
  findings: Finding[];
  comparison?: SummaryComparison;
  /** Set when --write-baseline wrote the file: nothing else is reported. */
  wrote?: number;
}

/**
 * --write-baseline, --baseline and --new-from-rev over a finished lint: which findings to
 * report. Baselined findings are left out and stale entries added as unused-suppression
 * findings; with a revision, only findings the change introduced are kept.
 */
export async function gate(paths: string[], opts: InputOpts & GateOpts, io: CliIO, now: Loaded): Promise<Gated> {
  const all = now.result.findings;
  if (opts.writeBaseline) {
    // Overwrites an earlier baseline, never another file (a manifest given by mistake).
    const target = path.resolve(io.cwd, opts.writeBaseline);
    if (existsSync(target)) {
      try {
        parseBaseline(readFileSync(target, 'utf8'), opts.writeBaseline);
      } catch {
        throw new UsageError(`--write-baseline: ${opts.writeBaseline} exists and is not a svclint baseline; name a new file, or delete it first`);
      }
    }
    emit(io, formatBaseline(all), opts.writeBaseline);
    io.stderr(`svclint: wrote ${all.length} finding${all.length === 1 ? '' : 's'} to ${opts.writeBaseline}\n`);
    return { findings: [], wrote: all.length };
  }
  if (opts.diffOutput && !opts.newFromRev) throw new ArgumentError('--diff-output needs --new-from-rev (the revision to compare with)');
  let shown = all;
  let extra: Finding[] = [];
  let known = 0;
  if (opts.baseline) {
    let text: string;
    try {
      text = readFileSync(path.resolve(io.cwd, opts.baseline), 'utf8');
    } catch (err) {
      throw new UsageError(`--baseline: cannot read ${opts.baseline}: ${systemErrorText(err)}; write it with --write-baseline ${opts.baseline}`);
    }
    const r = applyBaseline(all, parseBaseline(text, opts.baseline));
    const rule = RULES.find((x) => x.meta.id === UNUSED_SUPPRESSION)!;
    shown = r.kept;
    known = r.known;
    extra = staleFindings(r.stale, path.relative(io.cwd, path.resolve(io.cwd, opts.baseline)).split(path.sep).join('/'), rule.meta, ruleSetting(rule, now.config));
  }
  let comparison: SummaryComparison | undefined;
  if (opts.newFromRev) {
    const top = gitTop(io.cwd, '--new-from-rev');
    const commit = requireCommit(top, opts.newFromRev, '--new-from-rev');
    const base = await loadAtCommit(top, commit, paths, opts, io, now.config, {}, now);
    const before = base?.result.findings ?? [];
    if (opts.diffOutput) {
      checkOutputFiles([opts.diffOutput], now.inputs, io.cwd);
      const diff = diffRoutes(base ? computeRoutes(base.result.graph) : [], computeRoutes(now.result.graph), { rev: opts.newFromRev, commit });
      emit(io, formatDiff(diff, opts.diffOutput.endsWith('.json') ? 'json' : 'markdown'), opts.diffOutput);
    }
    const c = compareFindings(before, all);
    const added = new Set(c.added);
    shown = shown.filter((f) => added.has(f));
    comparison = { against: opts.newFromRev, commit, new: c.added.length, fixed: c.fixed.length, existing: c.existing.length };
    io.stderr(`svclint: against ${opts.newFromRev}: ${comparisonLine({ added: c.added.length, fixed: c.fixed.length, existing: c.existing.length })}${known ? ` (${known} more in the baseline)` : ''}\n`);
  } else if (opts.baseline) {
    io.stderr(`svclint: ${known} known finding${known === 1 ? '' : 's'} left out (${opts.baseline}), ${extra.length} stale entr${extra.length === 1 ? 'y' : 'ies'}\n`);
  }
  return { findings: [...shown, ...extra], comparison };
}
