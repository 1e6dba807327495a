import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

interface Step { id?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; 'working-directory'?: string }
interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
let actionPath = '';

/**
 * Runs the composite action the way a GitHub runner does: inputs and defaults become
 * `${{ inputs.* }}`, each `run:` step runs in bash -eo pipefail in its working directory
 * with its env, and the action's outputs are read from $GITHUB_OUTPUT.
 */
function runAction(workspace: string, inputs: Record<string, string>) {
  const summary = path.join(workspace, '..', `summary-${Math.random().toString(36).slice(2)}.md`);
  const outputFile = path.join(workspace, '..', `output-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(summary, '');
  writeFileSync(outputFile, '');
  const values = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const expand = (s: string) =>
    s.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k: string) => values[k] ?? '').replace(/\$\{\{\s*github\.action_path\s*\}\}/g, actionPath).replace(/\$\{\{\s*github\.workspace\s*\}\}/g, workspace);
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CI: 'true', GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: tmpdir(),
  };
  let stdout = '';
  let code = 0;
  const stepOutputs: Record<string, Record<string, string>> = {};
  for (const step of action.runs.steps) {
    expect(step.uses, 'a composite step this harness cannot run').toBeUndefined();
    const cwd = path.resolve(workspace, expand(step['working-directory'] ?? '.'));
    const env = { ...base, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])) };
    const before = readFileSync(outputFile, 'utf8').length;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run!)], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
    stdout += r.stdout;
    code = r.status ?? -1;
    if (step.id) {
      const lines = readFileSync(outputFile, 'utf8').slice(before).split('\n').filter(Boolean);
      stepOutputs[step.id] = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    }
    if (code !== 0) break;
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([k, v]) => [k, v.value.replace(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g, (_, s: string, o: string) => stepOutputs[s]?.[o] ?? '')]),
  );
  return { code, stdout, summary: readFileSync(summary, 'utf8'), outputs };
}

function workspaceWith(files: Record<string, string> | string): string {
  const ws = path.join(mkdtempSync(path.join(tmpdir(), 'svclint-ws-')), 'repo');
  if (typeof files === 'string') cpSync(files, ws, { recursive: true });
  else for (const [name, text] of Object.entries(files)) {
    cpSync(path.join(ROOT, 'fixtures', 'demo', 'README.md'), path.join(ws, 'README.md'));
    writeFileSync(path.join(ws, name), text);
  }
  return ws;
}

describe('GitHub Action (action.yml)', () => {
  beforeAll(() => {
    // A fresh clone, as `uses: owner/svclint@tag` checks the action out.
    actionPath = path.join(mkdtempSync(path.join(tmpdir(), 'svclint-action-')), 'svclint');
    const r = spawnSync('git', ['clone', '--quiet', ROOT, actionPath], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);

  it('is a composite action that needs only bash and node on the runner', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'config', 'fail-level', 'namespace', 'working-directory', 'sarif-file']));
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['errors', 'warnings', 'findings', 'sarif-file']));
  });

  it('annotates, summarises, sets outputs and fails the step on errors', () => {
    const ws = workspaceWith(path.join(ROOT, 'fixtures', 'demo'));
    const r = runAction(ws, { paths: 'services\nworkloads', 'sarif-file': 'svclint.sarif', 'extra-formats': 'junit=reports.xml' });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(4);
    expect(annotations[0]).toMatch(/^::error file=services\/services\.yaml,line=8,col=10,endLine=8,endColumn=22,title=svclint selector-no-match::/);
    expect(r.summary).toMatch(/^## svclint: 4 errors, 0 warnings, 0 info/);
    expect(r.summary).toContain('```mermaid');
    expect(r.outputs).toEqual({ errors: '4', warnings: '0', infos: '0', findings: '4', 'sarif-file': path.join(ws, 'svclint.sarif') });
    expect(JSON.parse(readFileSync(path.join(ws, 'svclint.sarif'), 'utf8')).runs[0].results).toHaveLength(4);
    expect(readFileSync(path.join(ws, 'reports.xml'), 'utf8')).toMatch(/<testsuites name="svclint" tests="\d+" failures="4"/);
  }, 300_000);

  it('passes on clean manifests and honours fail-level and working-directory', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec: {selector: {app: lonely}, ports: [{port: 80}]}\n';
    const ws = workspaceWith({ 'svc.yaml': svc });
    const ok = runAction(ws, {});
    expect(ok.code).toBe(0);
    expect(ok.outputs).toMatchObject({ errors: '0', warnings: '1', findings: '1', 'sarif-file': '' });
    expect(ok.stdout).toMatch(/^::warning file=svc\.yaml,line=4,/m);
    const strict = runAction(ws, { 'fail-level': 'warning' });
    expect(strict.code).toBe(1);
    const nested = workspaceWith({ 'README.md': '# x\n' });
    cpSync(path.join(ROOT, 'fixtures', 'demo'), path.join(nested, 'deploy'), { recursive: true });
    const inDir = runAction(nested, { 'working-directory': 'deploy', paths: '.' });
    expect(inDir.outputs.errors).toBe('4');
  }, 300_000);
});
