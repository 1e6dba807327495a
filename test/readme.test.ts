import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cli, ROOT } from './helpers.js';
import { loadConfig } from '../src/engine/config.js';
import { RULES } from '../rules/index.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The body of the first fenced block after a heading or marker text. */
function blockAfter(marker: string, lang: string): string {
  const at = readme.indexOf(marker);
  expect(at, marker).toBeGreaterThanOrEqual(0);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(at));
  return m![1]!;
}

describe('README', () => {
  it('has the current rule index (svclint rules --format markdown)', () => {
    const index = cli(['rules', '--format', 'markdown']).stdout;
    const current = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)![1];
    expect(current, 'run: npm run docs').toBe(index);
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
    const example = JSON.parse(blockAfter('## The JSON format', 'json'));
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
    if (!existsSync(path.join(ROOT, '.git'))) return; // a tarball has no history to look in
    const tag = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/v${version}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
    expect(tag.status, `tag v${version} is missing: git tag v${version} <release commit>`).toBe(0);
  });
});
