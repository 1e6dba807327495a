import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { planRender } from '../src/load/discover.js';

const json = (args: string[], env?: Record<string, string>) => {
  const r = cli([...args, '-f', 'json'], { env });
  return { code: r.code, out: JSON.parse(r.stdout) as { findings: { ruleId: string; messageId: string; object?: { namespace: string; name: string }; location?: { file: string; line: number; rendered?: string } }[]; summary: { objects: number } } };
};

describe('Helm charts', () => {
  it('renders a chart folder with helm template and maps findings to the template named by # Source', () => {
    const clean = json(['fixtures/helm']);
    expect(clean.code).toBe(0);
    expect(clean.out.summary.objects).toBe(2);
    const broken = json(['fixtures/helm', '--helm-values', 'fixtures/helm/shop/values-broken.yaml', '-n', 'shop', '--helm-release', 'prod']);
    expect(broken.code).toBe(1);
    expect(broken.out.findings).toHaveLength(1);
    expect(broken.out.findings[0]).toMatchObject({
      ruleId: 'target-port-unresolved',
      object: { namespace: 'shop', name: 'prod-web' },
      location: { file: 'fixtures/helm/shop/templates/service.yaml', line: 13, rendered: 'helm' },
    });
    const set = json(['fixtures/helm/shop', '--helm-set', 'targetPort=web']);
    expect(set.out.findings.map((f) => f.ruleId)).toEqual(['target-port-unresolved']);
  });

  it('says which renderer is missing and still lints the rest', () => {
    const r = json(['fixtures/helm', 'fixtures/demo'], { PATH: '/usr/bin:/bin' });
    const ids = r.out.findings.map((f) => f.ruleId);
    expect(ids).toContain('render-failed');
    expect(ids).toContain('selector-no-match');
    const missing = r.out.findings.find((f) => f.ruleId === 'render-failed')!;
    expect(missing).toMatchObject({ messageId: 'missingTool', location: { file: 'fixtures/helm/shop/Chart.yaml', line: 1 } });
  });

  it('lints raw files with --no-render', () => {
    const r = json(['fixtures/helm', '--no-render']);
    expect(r.out.findings.some((f) => f.ruleId === 'yaml-syntax')).toBe(true);
  });
});

describe('kustomizations', () => {
  it('renders leaf kustomizations only, with their namespace and patches', () => {
    const r = json(['fixtures/kustomize']);
    expect(r.code).toBe(1);
    expect(r.out.summary.objects).toBe(3); // the overlay's Service, Deployment and Ingress; the base is not rendered again
    expect(r.out.findings.map((f) => `${f.ruleId}:${f.object?.namespace}/${f.object?.name}`).sort()).toEqual([
      'endpoints-never-ready:prod/api',
      'ingress-backend-unknown:prod/api',
    ]);
    expect(r.out.findings[0]!.location).toMatchObject({ file: 'fixtures/kustomize/overlays/prod/kustomization.yaml', rendered: 'kustomize' });
    const base = json(['fixtures/kustomize/base']);
    expect(base.code).toBe(0);
    expect(base.out.summary.objects).toBe(2);
  });

  it('plans renders: charts over their templates and subcharts, overlays over bases', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'svclint-plan-'));
    const files: Record<string, string> = {
      'chart/Chart.yaml': 'name: c\n', 'chart/templates/a.yaml': 'x', 'chart/charts/sub/Chart.yaml': 'name: s\n', 'chart/charts/sub/templates/b.yaml': 'x',
      'k/base/kustomization.yaml': 'resources: [a.yaml]\n', 'k/base/a.yaml': 'x', 'k/prod/kustomization.yaml': 'resources: [../base]\n', 'k/dev/kustomization.yaml': 'resources: [../base]\n',
      'plain/svc.yaml': 'x',
    };
    for (const [f, t] of Object.entries(files)) {
      const p = path.join(d, f);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, t);
    }
    const plan = planRender(d, Object.keys(files).map((f) => path.join(d, f)));
    expect(plan.charts).toEqual([path.join(d, 'chart')]);
    expect(plan.kustomizations).toEqual([path.join(d, 'k/dev'), path.join(d, 'k/prod')]);
    expect(plan.raw).toEqual([path.join(d, 'plain/svc.yaml')]);
  });
});
