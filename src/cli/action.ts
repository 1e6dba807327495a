import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, EXIT } from './main.js';
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
  const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as { findings: unknown[]; summary: { errors: number; warnings: number; infos: number } };
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, readFileSync(summaryFile, 'utf8'));
  if (env.GITHUB_OUTPUT) {
    const s = report.summary;
    const lines = [`errors=${s.errors}`, `warnings=${s.warnings}`, `infos=${s.infos}`, `findings=${report.findings.length}`, `sarif-file=${sarif ? path.resolve(cwd, sarif) : ''}`];
    appendFileSync(env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
  }
  return code;
}
