import path from 'node:path';
import { compareFindings } from '../engine/baseline.js';
import type { Finding } from '../types/finding.js';
import { commitOf, gitTop } from './diff-git.js';
import { lintAtCommit } from './diff-gate.js';
import { load, pairOutputs, resolveConfig, report, type InputOpts, type ReportOpts } from './lint-command.js';
import type { CliIO } from './io.js';

/**
 * `svclint pre-commit FILES…`, the pre-commit hook (pre-commit passes the staged manifests
 * and has set aside unstaged changes). The graph is built from every manifest of the
 * repository, so a staged Service meets its untouched Deployment; the report keeps the
 * findings located in the staged files, plus the findings elsewhere that the change
 * causes: those that HEAD's tree (with the untracked files, linted with the same config)
 * does not give, matched by fingerprint as --new-from-rev matches them.
 */
export async function preCommit(staged: string[], opts: InputOpts & ReportOpts, io: CliIO): Promise<number> {
  const top = gitTop(io.cwd, 'svclint pre-commit');
  const here: CliIO = { ...io, cwd: top };
  const config = await resolveConfig(here, opts);
  // HEAD's tree is mostly the same files: the parse cache reads each text once, in this run or an earlier one.
  const inputs = { ...opts, errorOnUnmatchedPattern: false, cache: true };
  const now = await load(['.'], inputs, here, config, pairOutputs(opts.format, opts.outputFile).map((o) => o.file));
  const stagedSet = new Set(staged.map((f) => path.relative(top, path.resolve(io.cwd, f)).split(path.sep).join('/')));
  const inStaged = (f: Finding) => f.location !== undefined && stagedSet.has(f.location.file);
  let elsewhere = now.result.findings.filter((f) => !inStaged(f));
  const head = commitOf(top, 'HEAD'); // none before the first commit: everything is new
  if (elsewhere.length && head) {
    const before = await lintAtCommit(top, head, ['.'], inputs, here, config, { untracked: true }, now);
    const added = new Set(compareFindings(before, now.result.findings).added);
    elsewhere = elsewhere.filter((f) => added.has(f));
  }
  const shown = new Set([...now.result.findings.filter(inStaged), ...elsewhere]);
  return report(here, opts, now, now.result.findings.filter((f) => shown.has(f)));
}
