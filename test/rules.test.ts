// tools: helm
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceTexts } from '../src/cli/lint-command.js';
import { RULES } from '../rules/index.js';
import { discover } from '../src/load/discover.js';
import { lint, lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { formatStylish } from '../src/report/stylish.js';
import { countBySeverity } from '../src/report/summary.js';
import { CATEGORIES, SEVERITIES } from '../src/types/finding.js';
import { ROOT, expectedMarkers } from './helpers.js';

const RULES_DIR = path.join(ROOT, 'rules');
const folders = readdirSync(RULES_DIR).filter((d) => statSync(path.join(RULES_DIR, d)).isDirectory()).sort();

/** Fenced examples of a rule page: ```yaml invalid / ```yaml valid. */
function docExamples(md: string): { kind: 'valid' | 'invalid'; live: boolean; text: string; line: number }[] {
  const out: { kind: 'valid' | 'invalid'; live: boolean; text: string; line: number }[] = [];
  // ```yaml invalid / ```yaml valid; `live` after it marks a saved cluster state (svclint doctor --from).
  const re = /^```yaml (valid|invalid)( live)?\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) {
    out.push({ kind: m[1] as 'valid' | 'invalid', live: Boolean(m[2]), text: m[3]!, line: md.slice(0, m.index).split('\n').length });
  }
  return out;
}

describe('rule registry', () => {
  it('registers exactly the rule folders, in a folder named by the rule id', () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual(folders);
  });
  it('has unique ids', () => {
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
  });
});

for (const rule of RULES) {
  const { id } = rule.meta;
  const dir = path.join(RULES_DIR, id);
  describe(id, () => {
    it('has complete metadata', () => {
      const m = rule.meta;
      expect(CATEGORIES).toContain(m.category);
      expect(SEVERITIES).toContain(m.severity);
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.remediation).toMatch(/^[A-Z].*\.$/);
      expect(Object.keys(m.messages).length).toBeGreaterThan(0);
      // Messages start lowercase, unless with a placeholder or a proper name.
      for (const msg of Object.values(m.messages)) expect(msg).toMatch(/^([a-z{]|Service |YAML )/);
    });

    const doc = path.join(dir, 'README.md');
    it('has a doc page whose examples behave as labelled', () => {
      expect(existsSync(doc), `${id}/README.md`).toBe(true);
      const md = readFileSync(doc, 'utf8');
      expect(md).toMatch(new RegExp(`^# ${id}\\b`));
      const examples = docExamples(md);
      // Rules about files rather than objects say so and keep their examples in cases/.
      if (!md.includes('has no YAML examples')) {
        expect(examples.some((e) => e.kind === 'invalid'), 'an invalid example').toBe(true);
        expect(examples.some((e) => e.kind === 'valid'), 'a valid example').toBe(true);
      }
      for (const ex of examples) {
        const { findings } = lintText(ex.text, `rules/${id}/README.md:${ex.line}`, { live: ex.live });
        if (ex.kind === 'valid') expect(findings.map((f) => `${f.ruleId}: ${f.message}`), `valid example at line ${ex.line}`).toEqual([]);
        else expect(findings.map((f) => f.ruleId), `invalid example at line ${ex.line}`).toContain(id);
      }
    });

    const casesDir = path.join(dir, 'cases');
    // A case is a file, or a folder (a chart or a kustomization, linted as svclint renders it).
    const cases = existsSync(casesDir) ? readdirSync(casesDir).filter((f) => /\.(ya?ml|json)$/.test(f) || statSync(path.join(casesDir, f)).isDirectory()).sort() : [];
    it('has valid and invalid cases, at least as many valid as invalid', () => {
      const valid = cases.filter((c) => c.startsWith('valid-')).length;
      const invalid = cases.filter((c) => c.startsWith('invalid-')).length;
      expect(invalid).toBeGreaterThan(0);
      expect(valid, "at least as many valid cases (false-positive traps) as invalid ones").toBeGreaterThanOrEqual(invalid);
      expect(cases.every((c) => /^(valid|invalid)-/.test(c))).toBe(true);
    });

    for (const c of cases) {
      it(`case ${c}`, async () => {
        const file = path.join(casesDir, c);
        const isDir = statSync(file).isDirectory();
        const found = await discover([file], { cwd: ROOT, ignore: [] });
        // `# svclint-case: live` makes a case a cluster snapshot, as svclint doctor --from reads it.
        const live = !isDir && readFileSync(file, 'utf8').startsWith('# svclint-case: live');
        // `# svclint-case: complete-input` lints the case as a complete input (completeInput: true).
        const complete = !isDir && readFileSync(file, 'utf8').startsWith('# svclint-case: complete-input');
        const { graph, findings } = lint({ files: found.files, problems: found.problems, live, ...(complete ? { config: { ...defaultConfig(), completeInput: true } } : {}) });
        if (isDir) {
          const expected = readdirSync(file, { recursive: true, encoding: 'utf8' })
            .filter((f) => statSync(path.join(file, f)).isFile())
            .flatMap((f) => expectedMarkers(readFileSync(path.join(file, f), 'utf8')).map((m) => `${path.relative(ROOT, path.join(file, f))}:${m}`));
          expect(findings.map((f) => `${f.location?.file}:${f.location?.line}:${f.ruleId}`).sort()).toEqual(expected.sort());
        } else {
          const actual = findings.map((f) => `${f.location?.line}:${f.ruleId}`).sort();
          expect(actual).toEqual(expectedMarkers(readFileSync(file, 'utf8')));
        }
        if (c.startsWith('valid-')) {
          expect(findings).toEqual([]);
          return;
        }
        expect(findings.some((f) => f.ruleId === id)).toBe(true);
        const counts = countBySeverity(findings);
        const rendered = formatStylish(
          {
            findings,
            sources: sourceTexts(found.files),
            summary: { errors: counts.error, warnings: counts.warning, infos: counts.info, files: 1, objects: graph.objects.length, services: graph.services.length },
          },
          { color: false },
        );
        await expect(rendered).toMatchFileSnapshot(path.join(casesDir, `${c.replace(/\.(ya?ml|json)$/, '')}.snap`));
      });
    }
  });
}
