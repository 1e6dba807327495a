import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';
import { RULES } from '../rules/index.js';
import { escapeData, escapeProperty, formatGithub } from '../src/report/github.js';
import { formatMarkdown, GRAPH_LIMIT } from '../src/report/markdown.js';
import { formatSarif } from '../src/report/sarif.js';
import { formatJunit } from '../src/report/junit.js';
import type { Finding } from '../src/types/finding.js';
import type { ReportInput } from '../src/report/summary.js';

const MULTITOOL = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux');
const SARIF_SCHEMA = JSON.parse(readFileSync(path.join(MULTITOOL, 'sarif-2.1.0.json'), 'utf8'));
const tmp = () => mkdtempSync(path.join(tmpdir(), 'svclint-fmt-'));

const noFile: Finding = {
  ruleId: 'selector-no-match', messageId: 'noTemplates', category: 'selector', severity: 'warning',
  message: 'selector `app: x` matches no pod: 100% sure, really\nsecond line', remediation: 'Fix it.',
  object: { kind: 'Service', namespace: 'shop', name: 'web' }, path: 'spec.selector', related: [],
};
const input = (findings: Finding[], extra: Partial<ReportInput> = {}): ReportInput => ({
  findings, sources: new Map(), rules: RULES.map((r) => r.meta),
  summary: { errors: 0, warnings: findings.length, infos: 0, files: 0, objects: 1, services: 1 }, ...extra,
});

/** Runs the SARIF Multitool's validate command; returns its error lines. */
function multitool(file: string): string[] {
  // Its package sets the executable bit in a postinstall script, which npm may not run.
  chmodSync(path.join(MULTITOOL, 'Sarif.Multitool'), 0o755);
  const r = spawnSync(path.join(MULTITOOL, 'Sarif.Multitool'), ['validate', file, '--output', `${file}.validation`, '--log', 'ForceOverwrite', '--level', 'Error;Warning'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('Analysis completed successfully');
  return r.stdout.split('\n').filter((l) => /: error /.test(l));
}

describe('sarif', () => {
  const dir = tmp();
  const file = path.join(dir, 'demo.sarif');
  const r = cli(['fixtures/demo', '-f', 'sarif', '-o', file]);
  const log = JSON.parse(readFileSync(file, 'utf8'));

  it('is valid against the SARIF 2.1.0 schema (ajv) and the SARIF Multitool', () => {
    expect(r.code).toBe(1);
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(SARIF_SCHEMA);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(multitool(file)).toEqual([]);
    // The same checks catch a broken log.
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].tool.driver.name;
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
    const bad = path.join(dir, 'broken.sarif');
    writeFileSync(bad, JSON.stringify(broken, null, 1));
    expect(multitool(bad).length).toBe(2);
  });

  it('describes every rule and places results with 1-based regions and related locations', () => {
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.meta.id));
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'target-port-unresolved');
    expect(rule).toMatchObject({ name: 'TargetPortUnresolved', defaultConfiguration: { level: 'error' } });
    expect(rule.helpUri).toMatch(/rules\/target-port-unresolved\/README\.md$/);
    expect(rule.help.text).toContain(RULES.find((x) => x.meta.id === 'target-port-unresolved')!.meta.remediation);
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'target-port-unresolved');
    expect(run.tool.driver.rules[res.ruleIndex].id).toBe('target-port-unresolved');
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/demo/services/services.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 38, startColumn: 19, endLine: 38, endColumn: 23 },
    });
    expect(res.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/demo/workloads/backend.yaml');
    expect(res.relatedLocations[0].message.text).toContain('Deployment shop/cart-v2');
  });

  it('keeps fingerprints when lines move, and distinguishes findings', () => {
    const d = tmp();
    const text = readFileSync(path.join(ROOT, 'fixtures/demo/services/services.yaml'), 'utf8');
    writeFileSync(path.join(d, 'a.yaml'), text);
    const before = JSON.parse(cli(['a.yaml', '-f', 'sarif'], { cwd: d }).stdout).runs[0].results;
    writeFileSync(path.join(d, 'a.yaml'), `# a comment\n\n${text}`);
    const after = JSON.parse(cli(['a.yaml', '-f', 'sarif'], { cwd: d }).stdout).runs[0].results;
    for (const key of ['svclint/v1', 'svclint/v2']) {
      const fp = (rs: { partialFingerprints: Record<string, string> }[]) => rs.map((x) => x.partialFingerprints[key]);
      expect(fp(after)).toEqual(fp(before));
      expect(new Set(fp(before)).size).toBe(before.length);
    }
    expect(after[0].locations[0].physicalLocation.region.startLine).toBe(before[0].locations[0].physicalLocation.region.startLine + 2);
    // v2 is the fingerprint baselines and --new-from-rev match on.
    const baseline = path.join(d, 'baseline.yaml');
    expect(cli(['a.yaml', '--write-baseline', baseline], { cwd: d }).code).toBe(0);
    const listed = [...readFileSync(baseline, 'utf8').matchAll(/fingerprint: ([0-9a-f]{32})/g)].map((m) => m[1]).sort();
    expect(after.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['svclint/v2']).sort()).toEqual(listed);
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(SARIF_SCHEMA);
    expect(validate(JSON.parse(cli(['a.yaml', '-f', 'sarif'], { cwd: d }).stdout))).toBe(true);
  });

  it('represents a finding without a file by its object alone', () => {
    const out = JSON.parse(formatSarif(input([noFile])));
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(SARIF_SCHEMA);
    expect(validate(out)).toBe(true);
    expect(out.runs[0].results[0].locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'Service shop/web spec.selector', kind: 'object' }] }]);
    expect(out.runs[0].results[0].level).toBe('warning');
  });
});

describe('github', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('100% a\r\nb')).toBe('100%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('writes one workflow command per finding, paths relative to the workspace', () => {
    const r = cli(['fixtures/demo', '-f', 'github'], { env: { GITHUB_WORKSPACE: path.join(ROOT, 'fixtures') } });
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^::error file=demo\/services\/services\.yaml,line=38,col=19,endLine=38,endColumn=23,title=svclint target-port-unresolved::port `http` \(80\/TCP\)/);
    expect(lines[2]).toContain('%0AFix: Declare a container port');
    expect(formatGithub(input([noFile]))).toBe('::warning title=svclint selector-no-match::Service shop/web spec.selector: selector `app: x` matches no pod: 100%25 sure, really%0Asecond line%0AFix: Fix it.\n');
  });
});

describe('markdown', () => {
  it('summarises counts, links findings and draws the graph with broken edges', () => {
    const r = cli(['fixtures/demo', '-f', 'markdown'], { env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123', GITHUB_WORKSPACE: ROOT } });
    expect(r.stdout).toMatch(/^## svclint: 5 errors, 0 warnings, 0 info\n/);
    expect(r.stdout).toContain('| 🔴 error | `target-port-unresolved` | [fixtures/demo/services/services.yaml:38](https://github.com/acme/shop/blob/abc123/fixtures/demo/services/services.yaml#L38) |');
    expect(r.stdout).toContain('```mermaid\ngraph LR\n  subgraph');
    expect(r.stdout).toMatch(/-\. "http: no port http" \.-x/);
    expect(r.stdout).toMatch(/-\. "selector matches nothing" \.-x/);
    expect(r.stdout).toMatch(/-->\|"80→7070"\|/);
  });

  it('draws only broken Services and their neighbours beyond the size limit', async () => {
    const { generate } = await import('../bench/generate.js');
    const d = tmp();
    generate(d, 200); // 100 Services, 10 broken
    const r = cli([d, '-f', 'markdown']);
    const services = (r.stdout.match(/\["Service /g) ?? []).length;
    expect(100).toBeGreaterThan(GRAPH_LIMIT);
    expect(services).toBe(10);
    expect(r.stdout).toContain('90 healthy Services not drawn');
  });

  it('says so when there is nothing to report', () => {
    expect(formatMarkdown(input([]))).toMatch(/^## ✅ svclint: no problems/);
  });
});

describe('junit', () => {
  it('has a suite per rule and a failing case per rule and object', () => {
    const r = cli(['fixtures/demo', '-f', 'junit']);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
    const suites = doc.testsuites.testsuite as { name: string; failures: string; testcase: unknown }[];
    expect(suites.map((s) => s.name)).toEqual(RULES.map((x) => x.meta.id));
    expect(doc.testsuites.failures).toBe('5');
    const sel = suites.find((s) => s.name === 'selector-no-match')!;
    expect(sel.testcase).toMatchObject({ name: 'Service shop/web-frontend', failure: { type: 'error' } });
    const clean = suites.find((s) => s.name === 'headless-port-mismatch')!;
    expect(clean).toMatchObject({ failures: '0', testcase: { name: 'all objects' } });
    expect(formatJunit(input([noFile]))).toContain('<testcase classname="svclint.selector-no-match" name="Service shop/web">');
  });
});

describe('several formats at once', () => {
  it('pairs formats with output files by position, one on stdout', () => {
    const d = tmp();
    const r = cli(['fixtures/demo', '-f', 'sarif', '-o', path.join(d, 'r.sarif'), '-f', 'junit', '-o', path.join(d, 'r.xml'), '-f', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^::error /);
    expect(JSON.parse(readFileSync(path.join(d, 'r.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(path.join(d, 'r.xml'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('rejects two formats for stdout, or more files than formats', () => {
    expect(cli(['fixtures/demo', '-f', 'sarif', '-f', 'json']).stderr).toMatch(/only one --format can go to stdout/);
    expect(cli(['fixtures/demo', '-o', 'a', '-o', 'b']).code).toBe(2);
    expect(cli(['fixtures/demo', '-f', 'xml']).stderr).toMatch(/unknown format 'xml'/);
  });
});
