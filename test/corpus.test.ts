// tools: helm
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, corpusOrSkip, CORPUS, ROOT } from './helpers.js';
import { discover } from '../src/load/discover.js';
import { lint } from '../src/lint.js';

/**
 * The corpus is real, unlabelled input: this test proves svclint reads all of it without
 * a crash or an internal error, and prints what it found for triage (see the README).
 */
describe.skipIf(!corpusOrSkip('the shared corpus tests'))('shared corpus', () => {
  it('lints as one run through the CLI without an internal error', () => {
    const r = cli([path.relative(ROOT, CORPUS), '-f', 'json']);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
    const out = JSON.parse(r.stdout);
    expect(out.summary.services).toBeGreaterThanOrEqual(800);
    expect(out.summary.objects).toBeGreaterThanOrEqual(4000);
    for (const f of out.findings) {
      expect(f.location, JSON.stringify(f)).toBeDefined();
      // In a renderer's output a finding has a line only where it is an exact line of the real file (docs/json.md).
      if (f.location.rendered && f.location.line === undefined) continue;
      expect(f.location.line).toBeGreaterThanOrEqual(1);
      expect(f.location.column).toBeGreaterThanOrEqual(1);
    }
    console.log(`corpus, one run: ${out.summary.files} files, ${out.summary.objects} objects, ${out.summary.services} Services, ${out.findings.length} findings`);
  });

  it('lints repository by repository; prints findings per rule', async () => {
    const repos = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    // Every project of the corpus is a folder with its SOURCE.md (see ../shared/corpus/README.md).
    expect(repos.length).toBeGreaterThanOrEqual(17);
    for (const repo of repos) expect(existsSync(path.join(CORPUS, repo, 'SOURCE.md')), repo).toBe(true);
    const perRule: Record<string, number> = {};
    let objects = 0;
    let services = 0;
    for (const repo of repos) {
      const found = await discover([path.join(CORPUS, repo)], { cwd: ROOT, ignore: [] });
      const { graph, findings } = lint({ files: found.files, problems: found.problems });
      objects += graph.objects.length;
      services += graph.services.length;
      for (const f of findings) perRule[f.ruleId] = (perRule[f.ruleId] ?? 0) + 1;
    }
    expect(services).toBeGreaterThanOrEqual(800);
    console.log(`corpus, per repository: ${objects} objects, ${services} Services; findings per rule: ${JSON.stringify(perRule)}`);
  }, 600_000);
});
