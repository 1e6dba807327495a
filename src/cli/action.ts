import { systemErrorText } from '../errors.js';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, EXIT } from './main.js';
import { commitOf, git } from './diff-git.js';
import { upsertComment } from './diff-comment.js';
import { FORMATS } from '../report/index.js';
import { KUBERNETES_VERSIONS } from '../kubernetes.js';

/** A workflow command's data: %, CR and LF escaped (GitHub's toolkit does the same). */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** An input problem as the runner shows it: an `::error::` annotation naming the input, and exit 2. */
function inputError(message: string): number {
  process.stdout.write(`::error title=svclint: invalid input::${escapeData(message)}\n`);
  return EXIT.error;
}

/** The command line's words for an option, in the Action's words for the input it came from. */
const FLAG_INPUT: Record<string, string> = { '--config': 'config', '--fail-level': 'fail-level', '--namespace': 'namespace', '--kubernetes-version': 'kubernetes-version', '--cluster-domain': 'cluster-domain', '--format': 'extra-formats', '--output-file': 'extra-formats' };
function inActionWords(line: string): string {
  return Object.entries(FLAG_INPUT).reduce((l, [flag, name]) => l.replaceAll(`${flag} `, `input ${name}: `).replaceAll(`${flag}:`, `input ${name}:`).replaceAll(`'${flag}'`, `input ${name}`), line.replace(/^svclint: /, ''));
}

/** An input as the runner passes it: INPUT_<NAME> upper-cased, hyphens kept (INPUT_FAIL-LEVEL). */
function inputs(env: NodeJS.ProcessEnv) {
  return (name: string) => {
    const upper = name.toUpperCase();
    return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '').trim();
  };
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** only-new: `true`, `false`, or empty for the default (true on pull-request events). */
export function onlyNewWanted(value: string, event: string | undefined): boolean | 'invalid' {
  if (value === '') return PR_EVENTS.has(event ?? '');
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  return 'invalid';
}

/** The commit a run compares with: the pull request's base, or a push's previous head. */
function readEvent(env: NodeJS.ProcessEnv): { pull_request?: { number?: unknown; base?: { sha?: unknown } }; number?: unknown; before?: unknown } | undefined {
  try {
    return env.GITHUB_EVENT_PATH ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as ReturnType<typeof readEvent>) : undefined;
  } catch {
    return undefined;
  }
}

function baseFromEvent(env: NodeJS.ProcessEnv): { sha?: string; why?: string } {
  if (!env.GITHUB_EVENT_PATH) return { why: 'GITHUB_EVENT_PATH is not set' };
  let event: { pull_request?: { base?: { sha?: unknown } }; before?: unknown };
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as typeof event;
  } catch (err) {
    return { why: `the event payload ${env.GITHUB_EVENT_PATH} cannot be read (${systemErrorText(err)})` };
  }
  const sha = event.pull_request?.base?.sha ?? event.before;
  if (typeof sha === 'string' && /^[0-9a-f]{40,64}$/.test(sha) && !/^0+$/.test(sha)) return { sha };
  return { why: `the ${env.GITHUB_EVENT_NAME || 'event'} event names no base commit` };
}

/**
 * The base commit, in this clone: actions/checkout fetches one commit by default, so a
 * missing base is fetched alone (`git fetch --depth=1 origin SHA`). Undefined, with a
 * warning annotation that says why and what to do, when it cannot be had.
 */
export function baseCommit(env: NodeJS.ProcessEnv, cwd: string, log: (s: string) => void): string | undefined {
  const fail = (why: string) => {
    log(`::warning title=svclint only-new::cannot compare with the base commit: ${why}; every finding is reported. Check out with fetch-depth: 0, or set only-new: false\n`);
    return undefined;
  };
  const { sha, why } = baseFromEvent(env);
  if (!sha) return fail(why!);
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) return fail(`${cwd} is not in a git checkout`);
  if (commitOf(cwd, sha)) return sha;
  const fetched = git(cwd, ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha]);
  if (fetched.ok && commitOf(cwd, sha)) return sha;
  return fail(`git fetch --depth=1 origin ${sha} failed (${fetched.err.split('\n').filter(Boolean).pop() ?? 'no message'})`);
}

/**
 * The GitHub Action's entry point (action.yml, `runs.using: node24`, run from
 * dist-bundle/action.js with no install): annotations on stdout, the markdown summary
 * appended to $GITHUB_STEP_SUMMARY, counts and the SARIF path in $GITHUB_OUTPUT, and the
 * exit code of the fail level. The runner starts it in the workspace; `working-directory`
 * is resolved from there, and every path input from the working directory.
 */
export async function action(env: NodeJS.ProcessEnv = process.env, workspace = process.cwd()): Promise<number> {
  const input = inputs(env);
  const cwd = path.resolve(workspace, input('working-directory') || '.');
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    return inputError(`working-directory: '${input('working-directory')}' is not a folder in ${workspace}`);
  }
  const paths = input('paths').split(/\s+/).filter(Boolean);
  const work = mkdtempSync(path.join(env.RUNNER_TEMP || tmpdir(), 'svclint-action-'));
  const summaryFile = path.join(work, 'summary.md');
  const jsonFile = path.join(work, 'report.json');
  // Formats pair with output files by position; the one without a file (github) goes last, to stdout.
  const args = [...(paths.length ? paths : ['.']), '-f', 'markdown', '-o', summaryFile, '-f', 'json', '-o', jsonFile];
  const sarif = input('sarif-file');
  if (sarif) args.push('-f', 'sarif', '-o', sarif);
  // More reports: `junit=reports/svclint.xml json=svclint.json`.
  for (const pair of input('extra-formats').split(/\s+/).filter(Boolean)) {
    const [fmt, file] = pair.split('=');
    if (!fmt || !file) return inputError(`extra-formats: wants format=path pairs separated by spaces (junit=svclint.xml json=svclint.json), got '${pair}'`);
    if (!(FORMATS as readonly string[]).includes(fmt)) return inputError(`extra-formats: unknown format '${fmt}' in '${pair}' (one of: ${FORMATS.join(', ')})`);
    args.push('-f', fmt, '-o', file);
  }
  args.push('-f', 'github');
  const failLevel = input('fail-level');
  if (failLevel && !['error', 'warning', 'info'].includes(failLevel)) return inputError(`fail-level: '${failLevel}' is not one of error, warning, info`);
  const version = input('kubernetes-version');
  if (version && !(KUBERNETES_VERSIONS as readonly string[]).includes(version)) return inputError(`kubernetes-version: '${version}' is not one of ${KUBERNETES_VERSIONS.join(', ')}`);
  const onlyNew = onlyNewWanted(input('only-new'), env.GITHUB_EVENT_NAME);
  const wantComment = onlyNewWanted(input('pr-comment') || 'false', env.GITHUB_EVENT_NAME);
  if (wantComment === 'invalid') {
    return inputError(`pr-comment: wants true or false, got '${input('pr-comment')}'`);
  }
  if (onlyNew === 'invalid') {
    return inputError(`only-new: wants true or false, got '${input('only-new')}'`);
  }
  const base = onlyNew ? baseCommit(env, cwd, (s) => process.stdout.write(s)) : undefined;
  const diffFile = path.join(work, 'graph-diff.md');
  if (base) args.push('--new-from-rev', base, '--diff-output', diffFile);
  for (const [flag, name] of [['--config', 'config'], ['--fail-level', 'fail-level'], ['--namespace', 'namespace'], ['--kubernetes-version', 'kubernetes-version'], ['--cluster-domain', 'cluster-domain']] as const) {
    const v = input(name);
    if (v) args.push(flag, v);
  }
  let errors = '';
  const code = await run(args, {
    cwd,
    env: { ...env, GITHUB_WORKSPACE: env.GITHUB_WORKSPACE || workspace },
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => {
      errors += s;
      process.stderr.write(s);
    },
    isTTY: false,
  });
  if (code === EXIT.error) {
    // The command's one line, as an annotation in the Action's words (no pointer to --help: there is no command line here).
    const first = errors.split('\n').find((l) => l.startsWith('svclint: ')) ?? 'svclint failed';
    process.stdout.write(`::error title=svclint::${escapeData(inActionWords(first))}\n`);
    return code;
  }
  const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as { findings: unknown[]; summary: { errors: number; warnings: number; infos: number; comparison?: { new: number; fixed: number; existing: number } } };
  const graphDiff = base && existsSync(diffFile) ? readFileSync(diffFile, 'utf8') : '';
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${readFileSync(summaryFile, 'utf8')}${graphDiff ? `\n${graphDiff}` : ''}`);
  if (wantComment && graphDiff) await comment(env, input('github-token'), graphDiff, report.summary.comparison);
  if (env.GITHUB_OUTPUT) {
    const s = report.summary;
    const c = s.comparison;
    const lines = [`errors=${s.errors}`, `warnings=${s.warnings}`, `infos=${s.infos}`, `findings=${report.findings.length}`, `sarif-file=${sarif ? path.resolve(cwd, sarif) : ''}`, `new=${c?.new ?? ''}`, `fixed=${c?.fixed ?? ''}`, `existing=${c?.existing ?? ''}`, `base-sha=${base ?? ''}`];
    appendFileSync(env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
  }
  return code;
}

/**
 * pr-comment: the Service-graph change as the pull request's one svclint comment, posted
 * once and edited on later runs (a change that touches no Service's wiring posts nothing
 * new). A missing token or permission is a warning annotation, never a failed step.
 */
async function comment(env: NodeJS.ProcessEnv, token: string, graphDiff: string, c: { new: number; fixed: number; existing: number } | undefined): Promise<void> {
  const warn = (why: string): void => {
    process.stdout.write(`::warning title=svclint pr-comment::no pull request comment: ${why}\n`);
  };
  const event = readEvent(env);
  const number = Number(event?.pull_request?.number ?? event?.number);
  if (!Number.isInteger(number) || number <= 0) return warn(`the ${env.GITHUB_EVENT_NAME || 'event'} event is not a pull request's`);
  if (!token) return warn('no github-token');
  if (!env.GITHUB_REPOSITORY) return warn('GITHUB_REPOSITORY is not set');
  const head = c ? `**svclint**: ${c.new} new, ${c.fixed} fixed, ${c.existing} already there.\n\n` : '';
  const changed = !/^### Service graph: no /.test(graphDiff);
  const r = await upsertComment({ api: env.GITHUB_API_URL || 'https://api.github.com', repository: env.GITHUB_REPOSITORY, pullRequest: number, token }, `${head}${graphDiff}`, { create: changed });
  if (!r.ok) return warn(r.why);
  process.stdout.write(`svclint: pull request comment ${r.action}${r.url ? `: ${r.url}` : ''}\n`);
}
