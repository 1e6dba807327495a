import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';
import { RULES } from '../rules/index.js';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);

describe('JUnit in a static run', () => {
  it('lists the rules that read a live cluster as skipped, not as passing', () => {
    const live = RULES.filter((r) => r.meta.liveOnly).map((r) => r.meta.id);
    expect(live).toEqual(expect.arrayContaining(['cluster-dns-unhealthy', 'manual-endpoints-missing', 'service-no-ready-endpoints']));
    const doc = parse(cli(['fixtures/demo', '-f', 'junit']).stdout);
    const suites = doc.testsuites.testsuite as { name: string; skipped: string; testcase: { skipped?: unknown } }[];
    for (const id of live) {
      const s = suites.find((x) => x.name === id)!;
      expect(s.skipped, id).toBe('1');
      expect(s.testcase.skipped, id).toBeDefined();
    }
    expect(doc.testsuites.skipped).toBe(String(live.length));
    expect(suites.find((x) => x.name === 'headless-port-mismatch')!.skipped).toBe('0');
  });

  it('a live-only rule returns at once outside the doctor (so skipping it hides nothing)', () => {
    const live = new Set(RULES.filter((r) => r.meta.liveOnly).map((r) => r.meta.id));
    // Every rule case, their live ones included, linted as manifests: no live-only rule speaks.
    const r = cli(['./rules', '--no-render', '-f', 'json', '--no-error-on-unmatched-pattern']);
    const ids = (JSON.parse(r.stdout).findings as { ruleId: string }[]).map((f) => f.ruleId);
    expect(ids.length).toBeGreaterThan(50);
    expect(ids.filter((id) => live.has(id))).toEqual([]);
  });
});

describe('wording', () => {
  // A Service whose pods are nowhere: a warning when the input is declared complete (info otherwise).
  const dir = tempTree({
    'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
  });

  it('-q does not claim "no problems" over the warnings it hides', () => {
    const all = cli(['svc.yaml', '--complete-input'], { cwd: dir });
    expect(all.stdout).toMatch(/warning: /);
    const q = cli(['svc.yaml', '--complete-input', '-q'], { cwd: dir });
    expect(q.code).toBe(0);
    expect(q.stdout).not.toMatch(/no problems/);
    expect(q.stdout.trim()).toBe('✔ no errors in 1 file (1 object, 1 Service); 1 warning or info finding not shown (--quiet)');
  });

  it('one warning is "1 warning"', () => {
    const r = cli(['svc.yaml', '--complete-input', '--max-warnings', '0'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('svclint: 1 warning, more than --max-warnings 0\n');
    expect(r.stdout).toMatch(/\(0 errors, 1 warning, 0 info\)/);
  });
});
