import { spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOfCheckout, ROOT } from './helpers.js';
import { git, prRepo } from './git-fixture.js';

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
function actionEnv(workspace: string, given: Record<string, string>, extraEnv: Record<string, string>) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'svclint-runner-'));
  const summary = path.join(tmp, 'summary.md');
  const outputFile = path.join(tmp, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin', HOME: tmp, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: actionPath,
    GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: tmp, ...extraEnv,
  };
  for (const [k, v] of Object.entries(action.inputs)) env[`INPUT_${k.toUpperCase()}`] = given[k] ?? v.default ?? '';
  const done = (r: { status: number | null; stdout: string; stderr: string }) => {
    const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, summary: readFileSync(summary, 'utf8'), outputs };
  };
  return { env, done };
}

function runAction(workspace: string, given: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const { env, done } = actionEnv(workspace, given, extraEnv);
  return done(spawnSync(process.execPath, [path.join(actionPath, action.runs.main)], { cwd: workspace, env, encoding: 'utf8', maxBuffer: 1 << 26 }));
}

/** runAction in a child process that does not block this one (a loopback server here answers it). */
function runActionAsync(workspace: string, given: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<ReturnType<typeof runAction>> {
  const { env, done } = actionEnv(workspace, given, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(actionPath, action.runs.main)], { cwd: workspace, env });
    let stdout = '';
    let stderr = '';
    // Decoded as streams: a chunk may end inside a multi-byte character.
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve(done({ status, stdout, stderr })));
  });
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
    expect(Object.keys(action.outputs)).toEqual(['errors', 'warnings', 'infos', 'findings', 'sarif-file', 'new', 'fixed', 'existing', 'base-sha']);
  });

  it('annotates, summarises, sets outputs and fails the step on errors', () => {
    const ws = workspaceWith(path.join(ROOT, 'fixtures', 'demo'));
    const r = runAction(ws, { paths: 'services\nworkloads', 'sarif-file': 'svclint.sarif', 'extra-formats': 'junit=reports.xml' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(5);
    expect(annotations[0]).toMatch(/^::error file=services\/services\.yaml,line=8,col=10,endLine=8,endColumn=22,title=svclint selector-no-match::/);
    expect(r.summary).toMatch(/^## svclint: 5 errors, 0 warnings, 0 info/);
    expect(r.summary).toContain('```mermaid');
    expect(r.outputs).toEqual({ errors: '5', warnings: '0', infos: '0', findings: '5', 'sarif-file': path.join(ws, 'svclint.sarif'), new: '', fixed: '', existing: '', 'base-sha': '' });
    expect(JSON.parse(readFileSync(path.join(ws, 'svclint.sarif'), 'utf8')).runs[0].results).toHaveLength(5);
    expect(readFileSync(path.join(ws, 'reports.xml'), 'utf8')).toMatch(/<testsuites name="svclint" tests="\d+" failures="5"/);
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
    expect(JSON.parse(readFileSync(sarifFile, 'utf8')).runs[0].results).toHaveLength(5);
    expect(r.stdout).toMatch(/^::error file=deploy\/k8s\/services\/services\.yaml,line=8,/m);
    const missing = runAction(ws, { 'working-directory': 'nope' });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/^::error title=svclint: invalid input::working-directory: 'nope' is not a folder/);
  });

  it('reports bad inputs as ::error:: annotations in the Action\'s words, exit 2', () => {
    const ws = workspaceWith(path.join(ROOT, 'fixtures', 'demo'));
    const cases: [Record<string, string>, string][] = [
      [{ 'fail-level': 'critical' }, "::error title=svclint: invalid input::fail-level: 'critical' is not one of error, warning, info"],
      [{ 'kubernetes-version': '1.2' }, "::error title=svclint: invalid input::kubernetes-version: '1.2' is not one of"],
      [{ 'extra-formats': 'junit' }, "::error title=svclint: invalid input::extra-formats: wants format=path pairs"],
      [{ 'extra-formats': 'xml=a.xml' }, "::error title=svclint: invalid input::extra-formats: unknown format 'xml'"],
      [{ namespace: 'Bad_NS' }, "::error title=svclint::input namespace: 'Bad_NS' is not a valid namespace name"],
      [{ 'cluster-domain': 'bad domain!' }, "::error title=svclint::input cluster-domain: 'bad domain!' is not a DNS domain"],
      [{ config: 'nope.yaml' }, '::error title=svclint::'],
    ];
    for (const [given, want] of cases) {
      const r = runAction(ws, given);
      expect(r.code, JSON.stringify(given)).toBe(2);
      expect(r.stdout, JSON.stringify(given)).toContain(want);
      expect(r.stdout, JSON.stringify(given)).not.toMatch(/--help/);
    }
  });

  /** A pull request's merge checkout as actions/checkout makes it: one commit deep, the base not fetched. */
  function pullRequest(payload?: object) {
    const origin = prRepo();
    const ws = path.join(mkdtempSync(path.join(tmpdir(), 'svclint-ws-')), 'repo');
    const cloned = spawnSync('git', ['clone', '--quiet', '--depth=1', `file://${origin.dir}`, ws], { encoding: 'utf8' });
    expect(cloned.status, cloned.stderr).toBe(0);
    expect(spawnSync('git', ['cat-file', '-e', `${origin.base}^{commit}`], { cwd: ws }).status).not.toBe(0);
    const eventFile = path.join(mkdtempSync(path.join(tmpdir(), 'svclint-event-')), 'event.json');
    writeFileSync(eventFile, JSON.stringify(payload ?? { action: 'synchronize', number: 7, pull_request: { number: 7, base: { ref: 'main', sha: origin.base }, head: { sha: origin.head } } }));
    return { origin, ws, env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile, GITHUB_SHA: origin.head } };
  }

  it('on a pull request, fetches the base into the shallow checkout and reports only what the change breaks', () => {
    const { origin, ws, env } = pullRequest();
    const r = runAction(ws, { paths: 'k8s' }, env);
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.map((a) => /^::(\w+) file=([^,]+),.*title=svclint ([a-z-]+)::/.exec(a)?.slice(1).join(' '))).toEqual([
      'error k8s/cart.yaml selector-no-match',
      'error k8s/web.yaml network-policy-blocks-service',
    ]);
    expect(r.outputs).toEqual({ errors: '2', warnings: '0', infos: '0', findings: '2', 'sarif-file': '', new: '2', fixed: '0', existing: '1', 'base-sha': origin.base });
    expect(r.summary).toMatch(/^## svclint: 2 errors, 0 warnings, 0 info\n/);
    expect(r.summary).toContain(`Compared with \`${origin.base.slice(0, 12)}\`: **2 new**, 0 fixed, 1 already there. Only the new findings are listed.`);
    expect(r.stderr).toBe(`svclint: against ${origin.base}: 2 new, 0 fixed, 1 already there\n`);
    // Then what the change does to the Service graph.
    const graph = r.summary.slice(r.summary.indexOf('### Service graph'));
    expect(graph).toMatch(new RegExp(`^### Service graph: 3 Services changed since \`${origin.base.slice(0, 12)}\``));
    expect(graph).toContain('| `shop/cart` | selected workloads | Deployment shop/cart ×2 | — |');
    expect(graph).toMatch(/```mermaid\ngraph LR\n/);
    // The checkout now has the base commit, and still no history beyond it.
    expect(git(ws, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(git(ws, 'cat-file', '-t', origin.base)).toBe('commit');
  });

  it('says so and reports every finding when the base cannot be fetched; only-new: false reports every finding', () => {
    const { ws, env } = pullRequest();
    git(ws, 'remote', 'set-url', 'origin', path.join(ws, 'no-such-remote'));
    const r = runAction(ws, { paths: 'k8s' }, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::warning title=svclint only-new::cannot compare with the base commit: git fetch --depth=1 origin [0-9a-f]{40} failed \(.+\); every finding is reported\. Check out with fetch-depth: 0, or set only-new: false$/m);
    expect(r.outputs).toMatchObject({ errors: '3', findings: '3', new: '', 'base-sha': '' });
    const all = runAction(ws, { paths: 'k8s', 'only-new': 'false' }, env);
    expect(all.stdout).not.toMatch(/::warning/);
    expect(all.outputs).toMatchObject({ errors: '3', new: '' });
    const bad = runAction(ws, { paths: 'k8s', 'only-new': 'maybe' }, env);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("::error title=svclint: invalid input::only-new: wants true or false, got 'maybe'");
    // A push compares with its `before` only when asked to.
    const push = pullRequest();
    const pushEvent = path.join(path.dirname(push.env.GITHUB_EVENT_PATH), 'push.json');
    writeFileSync(pushEvent, JSON.stringify({ ref: 'refs/heads/main', before: push.origin.base, after: push.origin.head }));
    const pushEnv = { ...push.env, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: pushEvent };
    expect(runAction(push.ws, { paths: 'k8s' }, pushEnv).outputs).toMatchObject({ errors: '3', new: '' });
    expect(runAction(push.ws, { paths: 'k8s', 'only-new': 'true' }, pushEnv).outputs).toMatchObject({ errors: '2', new: '2', existing: '1', 'base-sha': push.origin.base });
    const noBase = pullRequest({ action: 'opened' });
    const nb = runAction(noBase.ws, { paths: 'k8s' }, noBase.env);
    expect(nb.stdout).toMatch(/^::warning title=svclint only-new::cannot compare with the base commit: the pull_request event names no base commit; /m);
  });

  it('pr-comment: posts the Service-graph change once, edits it on the next run, and only warns when the token may not', async () => {
    const { origin, ws, env } = pullRequest();
    const comments: { id: number; body: string; html_url: string }[] = [];
    const seen: string[] = [];
    let refuse = false;
    const body = (req: IncomingMessage) => new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (d: Buffer) => (b += d.toString('utf8')));
      req.on('end', () => resolve(b));
    });
    // A loopback stand-in for the three GitHub REST calls the Action makes.
    const server = createServer((req, res) => {
      void (async () => {
        const text = await body(req);
        seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (refuse) return send(403, { message: 'Resource not accessible by integration' });
        if (req.method === 'GET' && req.url === '/repos/shop/app/issues/7/comments?per_page=100') return send(200, [{ id: 99, body: 'an unrelated comment' }, ...comments]);
        if (req.method === 'POST' && req.url === '/repos/shop/app/issues/7/comments') {
          const c = { id: 100 + comments.length, body: JSON.parse(text).body as string, html_url: `https://github.example/shop/app/pull/7#c${comments.length}` };
          comments.push(c);
          return send(201, c);
        }
        const m = /^\/repos\/shop\/app\/issues\/comments\/(\d+)$/.exec(req.url ?? '');
        const c = comments.find((x) => x.id === Number(m?.[1]));
        if (req.method === 'PATCH' && c) {
          c.body = JSON.parse(text).body as string;
          return send(200, c);
        }
        send(404, { message: 'Not Found' });
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = { ...env, GITHUB_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, GITHUB_REPOSITORY: 'shop/app' };
      const inputs = { paths: 'k8s', 'pr-comment': 'true', 'github-token': 'ghs_test' };
      const first = await runActionAsync(ws, inputs, api);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('svclint: pull request comment created: https://github.example/shop/app/pull/7#c0\n');
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toMatch(new RegExp(`^<!-- svclint:service-graph -->\n\\*\\*svclint\\*\\*: 2 new, 0 fixed, 1 already there\\.\n\n### Service graph: 3 Services changed since \`${origin.base.slice(0, 12)}\``));
      expect(comments[0]!.body).toContain('```mermaid');
      expect(seen).toEqual(['GET /repos/shop/app/issues/7/comments?per_page=100 Bearer ghs_test', 'POST /repos/shop/app/issues/7/comments Bearer ghs_test']);

      // The next push: the same comment is edited, not a second one posted.
      writeFileSync(path.join(ws, 'k8s', 'extra.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: extra, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 81, targetPort: http}]}\n');
      seen.length = 0;
      const second = await runActionAsync(ws, inputs, api);
      expect(second.stdout).toContain('svclint: pull request comment updated: https://github.example/shop/app/pull/7#c0\n');
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain('`shop/extra` (added)');
      expect(seen.map((x) => x.split(' ')[0])).toEqual(['GET', 'PATCH']);

      // A token without pull-requests: write: a warning; the step's result is the lint's.
      refuse = true;
      const refused = await runActionAsync(ws, inputs, api);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^::warning title=svclint pr-comment::no pull request comment: listing the pull request comments: HTTP 403 Resource not accessible by integration \(does the workflow grant `permissions: pull-requests: write`\?\)$/m);
      expect(refused.outputs).toMatchObject({ new: '2', errors: '2' });
      // Off by default: no request at all.
      seen.length = 0;
      await runActionAsync(ws, { paths: 'k8s' }, api);
      expect(seen).toEqual([]);
    } finally {
      server.close();
    }
  });
});
