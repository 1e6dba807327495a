import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cli, ROOT } from './helpers.js';
import { loadConfig } from '../src/engine/config.js';
import { RULES } from '../rules/index.js';
import { ENDPOINTS, RESOURCES } from '../src/doctor/cluster.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const page = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');
/** The user documentation: the README, the reference pages under docs/ and CONTRIBUTING.md. */
const PAGES = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The body of the first fenced block after a heading or marker text. */
function blockAfter(marker: string, lang: string, text = readme): string {
  const at = text.indexOf(marker);
  expect(at, marker).toBeGreaterThanOrEqual(0);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text.slice(at));
  return m![1]!;
}

/** GitHub's anchor for a heading. */
const anchor = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');

describe('README', () => {
  it('docs/rules.md has the current rule index (svclint rules --format markdown), and every rule page links back to it', () => {
    const index = cli(['rules', '--format', 'markdown']).stdout.replaceAll('](rules/', '](../rules/');
    const current = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(page('docs/rules.md'))![1];
    expect(current, 'run: npm run docs').toBe(index);
    for (const r of RULES) expect(page(`rules/${r.meta.id}/README.md`), r.meta.id).toContain('](../../docs/rules.md)');
  });

  it('every link between the pages points at a file (and a heading) that exists', () => {
    let checked = 0;
    for (const p of [...PAGES, ...RULES.map((r) => `rules/${r.meta.id}/README.md`)]) {
      const text = page(p).replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [file, hash] = target.split('#');
        const resolved = file ? path.resolve(path.dirname(path.join(ROOT, p)), file) : path.join(ROOT, p);
        expect(existsSync(resolved), `${p}: ${target}`).toBe(true);
        if (hash && resolved.endsWith('.md')) {
          const heads = [...readFileSync(resolved, 'utf8').matchAll(/^#+ (.+)$/gm)].map((h) => anchor(h[1]!));
          expect(heads, `${p}: ${target}`).toContain(hash);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('the doctor\'s minimal role grants every kind the doctor reads', () => {
    const role = blockAfter('Minimal permissions', 'yaml', page('docs/doctor.md'));
    const granted = new Set([...role.matchAll(/resources: \[([^\]]+)\]/g)].flatMap((m) => m[1]!.split(',').map((x) => x.trim())));
    for (const r of [...RESOURCES, ENDPOINTS]) expect(granted, r.plural).toContain(r.plural);
    for (const r of ['networkpolicies', 'namespaces', 'httproutes', 'rollouts']) expect(granted).toContain(r);
  });

  it('shows the demo output and the routes output as svclint prints them', () => {
    const lint = cli(['fixtures/demo/']).stdout;
    const shown = blockAfter('# svclint', 'console');
    for (const line of shown.split('\n').slice(1)) if (line && line !== '...') expect(lint).toContain(line);
    const routes = cli(['routes', 'fixtures/demo/']).stdout;
    for (const line of blockAfter('### `svclint routes`', 'console').split('\n').slice(1)) if (line) expect(routes).toContain(line);
  });

  it('shows a configuration example that svclint accepts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-readme-'));
    const file = path.join(dir, '.svclint.yaml');
    writeFileSync(file, blockAfter('## Configuration', 'yaml'));
    const cfg = await loadConfig(file, RULES.map((r) => r.meta));
    expect(cfg.namespace).toBe('shop');
    expect(cfg.maxInputBytes).toBe(512 * 1024 * 1024);
    expect(cfg.rules['target-port-undeclared']?.options).toEqual({ reportWhenNoPortsDeclared: true });
  });

  it('documents the JSON contract with an example that has the real shape', () => {
    const example = JSON.parse(blockAfter('# The JSON format', 'json', page('docs/json.md')));
    const real = JSON.parse(cli(['fixtures/demo/', '-f', 'json']).stdout);
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(example)).toEqual(keys(real));
    const f = real.findings.find((x: { messageId: string }) => x.messageId === 'partial');
    expect(keys(example.findings[0])).toEqual(keys(f));
    expect(example.findings[0].location).toEqual(f.location);
    expect(example.findings[0].related[0]).toEqual(f.related[0]);
    expect(example.summary).toEqual(real.summary);
  });

  it('pins the Action, the hook and the git install to the release tag, which exists in the repository', () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    const refs = [...readme.matchAll(/svclint\/svclint@(\S+)|^\s+rev: (\S+)|svclint\.git#(\S+)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(refs)).toEqual(new Set([`v${version}`]));
    // A tarball has no history, and a clone made without tags (CI's, `git clone --no-tags`) no tags:
    // where the repository has tags, the release's must be one of them, on this branch's history.
    if (!existsSync(path.join(ROOT, '.git'))) return;
    const tags = spawnSync('git', ['tag', '--list'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    if (!tags) return;
    const tag = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/v${version}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
    expect(tag.status, `tag v${version} is missing: git tag v${version} <release commit>`).toBe(0);
    const ancestor = spawnSync('git', ['merge-base', '--is-ancestor', tag.stdout.trim(), 'HEAD'], { cwd: ROOT });
    expect(ancestor.status, `tag v${version} is not on this branch's history`).toBe(0);
  });
});
