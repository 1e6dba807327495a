import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, EXIT } from './main.js';

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
    process.stderr.write(`svclint: working-directory '${input('working-directory')}' is not a folder in ${workspace}\n`);
    return EXIT.error;
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
    if (!fmt || !file) {
      process.stderr.write(`svclint: extra-formats wants format=path pairs, got '${pair}'\n`);
      return EXIT.error;
    }
    args.push('-f', fmt, '-o', file);
  }
  args.push('-f', 'github');
  for (const [flag, name] of [['--config', 'config'], ['--fail-level', 'fail-level'], ['--namespace', 'namespace'], ['--kubernetes-version', 'kubernetes-version'], ['--cluster-domain', 'cluster-domain']] as const) {
    const v = input(name);
    if (v) args.push(flag, v);
  }
  const code = await run(args, {
    cwd,
    env: { ...env, GITHUB_WORKSPACE: env.GITHUB_WORKSPACE || workspace },
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: false,
  });
  if (code === EXIT.error) return code;
  const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as { findings: unknown[]; summary: { errors: number; warnings: number; infos: number } };
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, readFileSync(summaryFile, 'utf8'));
  if (env.GITHUB_OUTPUT) {
    const s = report.summary;
    const lines = [`errors=${s.errors}`, `warnings=${s.warnings}`, `infos=${s.infos}`, `findings=${report.findings.length}`, `sarif-file=${sarif ? path.resolve(cwd, sarif) : ''}`];
    appendFileSync(env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
  }
  return code;
}
