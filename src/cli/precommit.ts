import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Finding } from '../types/finding.js';
import { load, pairOutputs, resolveConfig, report, type InputOpts, type ReportOpts } from './lint-command.js';
import type { CliIO } from './io.js';

function git(cwd: string, args: string[], input?: Buffer): { ok: boolean; out: Buffer } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  return { ok: r.status === 0, out: r.stdout ?? Buffer.alloc(0) };
}

/** The same problem at the same place (messages may name other objects, which the change may touch). */
const key = (f: Finding) => `${f.ruleId}\0${f.messageId}\0${f.location?.file}\0${f.location?.line}\0${f.location?.column}`;

/**
 * HEAD's tree in a temporary folder, with the untracked files of the working tree copied
 * in too: the only difference from the working tree is then the change being committed.
 */
function headTree(top: string): string | undefined {
  if (!git(top, ['rev-parse', '--verify', '--quiet', 'HEAD']).ok) return undefined; // the first commit: everything is new
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-head-'));
  const archive = git(top, ['archive', '--format=tar', 'HEAD']);
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.out });
  if (!archive.ok || tar.status !== 0) throw new UsageError('cannot read HEAD with git archive and tar');
  const untracked = git(top, ['ls-files', '-z', '--others', '--exclude-standard']).out.toString('utf8').split('\0').filter(Boolean);
  for (const f of untracked) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(top, f), path.join(dir, f));
  }
  return dir;
}

/**
 * `svclint pre-commit FILES…`, the pre-commit hook (pre-commit passes the staged manifests
 * and has set aside unstaged changes). The graph is built from every manifest of the
 * repository, so a staged Service meets its untouched Deployment; the report keeps the
 * findings located in the staged files, plus the findings elsewhere that the change
 * causes: those that linting HEAD's tree (with the same config) does not give.
 */
export async function preCommit(staged: string[], opts: InputOpts & ReportOpts, io: CliIO): Promise<number> {
  const topOut = git(io.cwd, ['rev-parse', '--show-toplevel']);
  if (!topOut.ok) throw new UsageError('svclint pre-commit runs inside a git repository');
  const top = topOut.out.toString('utf8').trim();
  const here: CliIO = { ...io, cwd: top };
  const config = await resolveConfig(here, opts);
  const inputs = { ...opts, errorOnUnmatchedPattern: false };
  const now = await load(['.'], inputs, here, config, pairOutputs(opts.format, opts.outputFile).map((o) => o.file));
  const stagedSet = new Set(staged.map((f) => path.relative(top, path.resolve(io.cwd, f)).split(path.sep).join('/')));
  const inStaged = (f: Finding) => f.location !== undefined && stagedSet.has(f.location.file);
  let elsewhere = now.result.findings.filter((f) => !inStaged(f));
  if (elsewhere.length) {
    const head = headTree(top);
    if (head) {
      try {
        // The config's ignore globs are relative to its folder: the same folder in HEAD's tree.
        const base = config.base && !path.relative(top, config.base).startsWith('..') ? path.join(head, path.relative(top, config.base)) : config.base;
        const before = await load(['.'], inputs, { ...here, cwd: head }, { ...config, base });
        const old = new Set(before.result.findings.map(key));
        elsewhere = elsewhere.filter((f) => !old.has(key(f)));
      } finally {
        rmSync(head, { recursive: true, force: true });
      }
    }
  }
  const shown = new Set([...now.result.findings.filter(inStaged), ...elsewhere]);
  return report(here, opts, now, now.result.findings.filter((f) => shown.has(f)));
}
