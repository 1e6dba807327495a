import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOfCheckout, ROOT } from './helpers.js';

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
let actionPath = '';

/**
 * Runs the action the way a GitHub runner runs a `node24` action: `node <main>` in the
 * workspace, every input (or its default) as INPUT_<NAME> (upper case, hyphens kept), the
 * GITHUB_* files, and nothing else: no install, no node_modules, no network.
 */
function runAction(workspace: string, given: Record<string, string>) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'svclint-runner-'));
  const summary = path.join(tmp, 'summary.md');
  const outputFile = path.join(tmp, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin', HOME: tmp, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: actionPath,
    GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: tmp,
  };
  for (const [k, v] of Object.entries(action.inputs)) env[`INPUT_${k.toUpperCase()}`] = given[k] ?? v.default ?? '';
  const r = spawnSync(process.execPath, [path.join(actionPath, action.runs.main)], { cwd: workspace, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, summary: readFileSync(summary, 'utf8'), outputs };
}

function workspaceWith(files: Record<string, string> | string): string {
  const ws = path.join(mkdtempSync(path.join(tmpdir(), 'svclint-ws-')), 'repo');
  if (typeof files === 'string') cpSync(files, ws, { recursive: true });
  else for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    writeFileSync(path.join(ws, name), text);
  }
  return ws;
}

describe('GitHub Action (action.yml)', () => {
  beforeAll(() => {
    // As `uses: owner/svclint@tag` checks the action out.
    actionPath = copyOfCheckout(path.join(mkdtempSync(path.join(tmpdir(), 'svclint-action-')), 'svclint'));
    expect(existsSync(path.join(actionPath, 'node_modules'))).toBe(false);
  }, 120_000);

  it('is a node24 action that runs the committed bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist-bundle/action.js' });
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'config', 'fail-level', 'namespace', 'working-directory', 'sarif-file', 'extra-formats']));
    expect(Object.keys(action.outputs)).toEqual(['errors', 'warnings', 'infos', 'findings', 'sarif-file']);
  });

  it('annotates, summarises, sets outputs and fails the step on errors', () => {
    const ws = workspaceWith(path.join(ROOT, 'fixtures', 'demo'));
    const r = runAction(ws, { paths: 'services\nworkloads', 'sarif-file': 'svclint.sarif', 'extra-formats': 'junit=reports.xml' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(4);
    expect(annotations[0]).toMatch(/^::error file=services\/services\.yaml,line=8,col=10,endLine=8,endColumn=22,title=svclint selector-no-match::/);
    expect(r.summary).toMatch(/^## svclint: 4 errors, 0 warnings, 0 info/);
    expect(r.summary).toContain('```mermaid');
    expect(r.outputs).toEqual({ errors: '4', warnings: '0', infos: '0', findings: '4', 'sarif-file': path.join(ws, 'svclint.sarif') });
    expect(JSON.parse(readFileSync(path.join(ws, 'svclint.sarif'), 'utf8')).runs[0].results).toHaveLength(4);
    expect(readFileSync(path.join(ws, 'reports.xml'), 'utf8')).toMatch(/<testsuites name="svclint" tests="\d+" failures="4"/);
  });

  it('passes on clean manifests and honours fail-level', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec: {selector: {app: lonely}, ports: [{port: 80}]}\n';
    // Declared complete, a Service whose pods are missing is a warning (info otherwise).
    const ws = workspaceWith({ 'svc.yaml': svc, '.svclint.yaml': 'completeInput: true\n' });
    const ok = runAction(ws, {});
    expect(ok.code).toBe(0);
    expect(ok.outputs).toMatchObject({ errors: '0', warnings: '1', findings: '1', 'sarif-file': '' });
    expect(ok.stdout).toMatch(/^::warning file=svc\.yaml,line=4,/m);
    expect(runAction(ws, { 'fail-level': 'warning' }).code).toBe(1);
  });

  it('runs the README example in a working-directory: paths and the SARIF file resolved from it, annotations from the workspace', () => {
    const ws = workspaceWith({ 'README.md': '# app\n' });
    cpSync(path.join(ROOT, 'fixtures', 'demo'), path.join(ws, 'deploy', 'k8s'), { recursive: true });
    const r = runAction(ws, { 'working-directory': 'deploy', paths: 'k8s/', 'sarif-file': 'svclint.sarif' });
    expect(r.code).toBe(1);
    const sarifFile = path.join(ws, 'deploy', 'svclint.sarif');
    expect(r.outputs['sarif-file']).toBe(sarifFile);
    expect(JSON.parse(readFileSync(sarifFile, 'utf8')).runs[0].results).toHaveLength(4);
    expect(r.stdout).toMatch(/^::error file=deploy\/k8s\/services\/services\.yaml,line=8,/m);
    const missing = runAction(ws, { 'working-directory': 'nope' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^svclint: working-directory 'nope' is not a folder/);
  });
});
