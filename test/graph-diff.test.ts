import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempTree } from './helpers.js';
import { git, prRepo, service, workload } from './git-fixture.js';
import type { GraphDiff } from '../src/cli/diff-graph.js';

describe('svclint diff', () => {
  it('lists per Service what the change did: workloads lost, clients a new NetworkPolicy blocks, replicas; unchanged Services left out', () => {
    const r = prRepo();
    const text = cli(['diff', r.base, 'k8s'], { cwd: r.dir });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain([
      'Service shop/cart',
      '  selected workloads:',
      '    - Deployment shop/cart ×2',
      '  ports → target ports:',
      '    - http 80/TCP → Deployment shop/cart :8080',
      '    + http 80/TCP → no pods',
    ].join('\n'));
    expect(text.stdout).toContain('    + Deployment shop/web (env `API_URL` of container `web`) → http 80/TCP: blocked (Deployment shop/api :8080/TCP: blocked at ingress by shop/default-deny)');
    expect(text.stdout).toContain('Service shop/web\n  selected workloads:\n    - Deployment shop/web ×2\n    + Deployment shop/web ×3\n');
    expect(text.stdout).not.toContain('legacy'); // its lines moved, its wiring did not
    expect(text.stdout.trimEnd().split('\n').pop()).toBe(`3 Services changed since ${r.base}, 1 unchanged`);

    const json = JSON.parse(cli(['diff', r.base, 'k8s', '-f', 'json'], { cwd: r.dir }).stdout) as GraphDiff;
    expect(json.base).toEqual({ rev: r.base, commit: r.base });
    expect(json.unchanged).toBe(1);
    expect(json.services.map((s) => `${s.namespace}/${s.name} ${s.status} ${s.changes.map((c) => c.aspect).join(',')}`)).toEqual([
      'shop/api changed clients',
      'shop/cart changed workloads,ports',
      'shop/web changed workloads',
    ]);
    expect(json.services[1]!.after!.workloads).toEqual([]);
  });

  it('shows Services added and removed, target ports and DNS names that changed', () => {
    const r = prRepo(
      { 'a.yaml': `${workload('api', 'api')}---\n${service('api', 'api')}---\n${service('old', 'api')}` },
      { 'a.yaml': `${workload('api', 'api')}---\n${service('api', 'api').replace('name: http, port: 80, targetPort: http', 'name: web, port: 80, targetPort: metrics')}---\n${service('new', 'api')}` },
    );
    const d = JSON.parse(cli(['diff', 'HEAD~1', '-f', 'json'], { cwd: r.dir }).stdout) as GraphDiff;
    expect(d.services.map((s) => [s.name, s.status])).toEqual([['api', 'changed'], ['new', 'added'], ['old', 'removed']]);
    const api = d.services[0]!;
    expect(api.changes.find((c) => c.aspect === 'ports')).toEqual({
      aspect: 'ports',
      removed: ['http 80/TCP → Deployment shop/api :8080'],
      added: ['web 80/TCP → Deployment shop/api: left out, no container port named metrics'],
    });
    expect(api.changes.find((c) => c.aspect === 'dns')).toEqual({ aspect: 'dns', removed: ['SRV _http._tcp.api.shop.svc.cluster.local'], added: ['SRV _web._tcp.api.shop.svc.cluster.local'] });
    expect(d.services[1]!.changes[0]).toMatchObject({ aspect: 'workloads', removed: [], added: ['Deployment shop/api ×2'] });
  });

  it('is one line of error outside a repository or for an unknown revision; no change says so', () => {
    const outside = cli(['diff', 'HEAD'], { cwd: tempTree({ 'a.yaml': service('a', 'a') }) });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^svclint: svclint diff runs inside a git repository \(.*\)\n$/);
    const r = prRepo();
    const unknown = cli(['diff', 'no-such-branch'], { cwd: r.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("svclint: svclint diff: no commit 'no-such-branch' in this repository; fetch it first (git fetch origin no-such-branch)\n");
    const same = cli(['diff', 'HEAD', 'k8s', '-f', 'markdown'], { cwd: r.dir });
    expect(same.stdout).toBe(`### Service graph: no Service's wiring changed since \`${r.head.slice(0, 12)}\` (HEAD)\n\n4 Services unchanged.\n`);
  });

  it('is written beside the lint with --new-from-rev --diff-output, from the same two loads', () => {
    const r = prRepo();
    const out = path.join(r.dir, 'graph.json');
    const lint = cli(['k8s', '--new-from-rev', r.base, '--diff-output', out], { cwd: r.dir });
    expect(lint.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(cli(['diff', r.base, 'k8s', '-f', 'json'], { cwd: r.dir }).stdout));
    const alone = cli(['k8s', '--diff-output', out], { cwd: r.dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^svclint: --diff-output needs --new-from-rev/);
  });
});

/** Between `<!-- name:start -->` and `<!-- name:end -->` in the README. */
function between(readme: string, name: string): string {
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme);
  expect(m, `README has no ${name} block`).not.toBeNull();
  return m![1]!;
}

describe('README pull-request examples (fixtures/pull-request)', () => {
  it('show the job summary and svclint diff exactly as they are produced (SVCLINT_UPDATE_EXAMPLES=1 rewrites them)', () => {
    const r = prRepo();
    git(r.dir, 'branch', 'main-before', r.base);
    // As the Action writes the job summary: the markdown report, then the Service-graph change.
    const graph = path.join(r.dir, '..', `graph-${path.basename(r.dir)}.md`);
    const report = cli(['k8s', '--new-from-rev', 'main-before', '-f', 'markdown', '--diff-output', graph], { cwd: r.dir });
    const summary = `${report.stdout}\n${readFileSync(graph, 'utf8')}`;
    const diff = cli(['diff', 'main-before', 'k8s'], { cwd: r.dir }).stdout;
    const blocks = { 'pr-summary': `${summary}`, 'pr-diff': `\`\`\`console\n$ svclint diff main-before k8s\n${diff}\`\`\`\n` };
    const file = path.join(ROOT, 'README.md');
    let readme = readFileSync(file, 'utf8');
    if (process.env.SVCLINT_UPDATE_EXAMPLES === '1') {
      for (const [name, text] of Object.entries(blocks)) readme = readme.replace(new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`), (_, a: string, b: string) => `${a}${text}${b}`);
      writeFileSync(file, readme);
    }
    for (const [name, text] of Object.entries(blocks)) expect(between(readme, name), `README ${name}: run SVCLINT_UPDATE_EXAMPLES=1 npx vitest run --config vitest.unit.config.ts test/graph-diff.test.ts`).toBe(text);
  });
});
