import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';
import { BASE_FILES, git, prRepo, service, workload } from './git-fixture.js';
import { lintText } from '../src/lint.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { compareFindings } from '../src/engine/baseline.js';

type JsonFinding = { ruleId: string; messageId: string; object?: { name: string }; location?: { file: string; line: number } };
const names = (stdout: string) => (JSON.parse(stdout).findings as JsonFinding[]).map((f) => `${f.ruleId} ${f.object?.name ?? f.location?.file}`).sort();

describe('fingerprints (src/engine/fingerprint.ts)', () => {
  const text = `${workload('web', 'web')}---\n${service('web', 'web', 'htp')}`;
  const one = (t: string, file = 'a.yaml') => lintText(t, file).findings.filter((f) => f.ruleId === 'target-port-unresolved');

  it('survive moved lines, a renamed file and a changed hint, and change with the message data', () => {
    const [before] = one(text);
    expect(before).toBeDefined();
    const [moved] = one(`# moved down\n\n\n${text}`, 'b.yaml');
    expect(moved!.location!.line).toBe(before!.location!.line! + 3);
    expect(fingerprint(moved!)).toBe(fingerprint(before!));
    // The "did you mean `http`?" hint names the nearest port: another name there, the same problem.
    const [hinted] = one(text.replace('name: http,', 'name: htpx,'));
    expect(hinted!.message).not.toBe(before!.message);
    expect(fingerprint(hinted!)).toBe(fingerprint(before!));
    const [other] = one(text.replace('targetPort: htp', 'targetPort: metrics'));
    expect(fingerprint(other!)).not.toBe(fingerprint(before!));
    expect(fingerprint(before!)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('compare as multisets: a second copy of a finding is new, one gone is fixed', () => {
    const [f] = one(text);
    const c = compareFindings([f!], [f!, { ...f!, location: undefined }]);
    expect([c.added.length, c.existing.length, c.fixed.length]).toEqual([1, 1, 0]);
    const d = compareFindings([f!, f!], [f!]);
    expect([d.added.length, d.existing.length, d.fixed.length]).toEqual([0, 1, 1]);
  });
});

describe('--new-from-rev', () => {
  it('reports only what the change breaks: renamed labels and a new NetworkPolicy, not the finding whose lines moved', () => {
    const r = prRepo();
    const all = cli(['k8s', '-f', 'json'], { cwd: r.dir });
    expect(names(all.stdout)).toEqual(['network-policy-blocks-service web', 'selector-no-match cart', 'selector-no-match legacy']);
    const gated = cli(['k8s', '--new-from-rev', r.base, '-f', 'json'], { cwd: r.dir });
    expect(gated.code).toBe(1);
    expect(names(gated.stdout)).toEqual(['network-policy-blocks-service web', 'selector-no-match cart']);
    expect(gated.stderr).toBe(`svclint: against ${r.base}: 2 new, 0 fixed, 1 already there\n`);
    expect(JSON.parse(gated.stdout).summary).toMatchObject({ errors: 2, comparison: { against: r.base, commit: r.base, new: 2, fixed: 0, existing: 1 } });
    // The same from a subfolder, with a branch name: paths map into the base tree.
    git(r.dir, 'branch', 'base', r.base);
    const sub = cli(['.', '--new-from-rev', 'base', '-f', 'json'], { cwd: path.join(r.dir, 'k8s') });
    expect(names(sub.stdout)).toEqual(['network-policy-blocks-service web', 'selector-no-match cart']);
    expect(git(r.dir, 'status', '--porcelain')).toBe(''); // neither the work tree nor the index was touched
  });

  it('counts what a change fixes and passes when it adds nothing', () => {
    const r = prRepo();
    git(r.dir, 'checkout', '--quiet', r.base);
    const back = cli(['k8s', '--new-from-rev', r.head], { cwd: r.dir });
    expect(back.code).toBe(0);
    expect(back.stderr).toBe(`svclint: against ${r.head}: 0 new, 2 fixed, 1 already there\n`);
    expect(back.stdout).toMatch(/no problems/);
  });

  it('sees uncommitted changes as part of the change', () => {
    const files = { ...BASE_FILES, 'k8s/front.yaml': service('front', 'web') };
    const r = prRepo(files, files);
    writeFileSync(path.join(r.dir, 'k8s/extra.yaml'), service('extra', 'nobody'));
    const c = cli(['k8s', '--new-from-rev', 'HEAD', '-f', 'json'], { cwd: r.dir });
    expect(names(c.stdout)).toEqual(['selector-no-match extra']);
    expect(c.stderr).toMatch(/1 new, 0 fixed, 1 already there/);
  });

  it('says what to fetch when the revision is missing, as in a shallow clone', () => {
    const r = prRepo();
    const clone = tempTree({}, 'svclint-shallow-');
    const cloned = spawnSync('git', ['clone', '--quiet', '--depth=1', `file://${r.dir}`, 'c'], { cwd: clone, encoding: 'utf8' });
    expect(cloned.status, cloned.stderr).toBe(0);
    const dir = path.join(clone, 'c');
    const missing = cli(['k8s', '--new-from-rev', r.base], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(`svclint: --new-from-rev: no commit '${r.base}' in this repository; this is a shallow clone: fetch it first (git fetch --depth=1 origin ${r.base}), or check out with fetch-depth: 0\n`);
    git(dir, 'fetch', '--quiet', '--depth=1', 'origin', r.base);
    const fetched = cli(['k8s', '--new-from-rev', r.base], { cwd: dir });
    expect(fetched.stderr).toBe(`svclint: against ${r.base}: 2 new, 0 fixed, 1 already there\n`);
    const outside = cli(['k8s', '--new-from-rev', 'HEAD'], { cwd: tempTree({ 'k8s/a.yaml': service('a', 'a') }) });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^svclint: --new-from-rev runs inside a git repository \(.*\)\n$/);
  });
});

describe('baselines', () => {
  it('round-trip: written sorted, known findings left out, a fixed one reported as a stale entry, a new one reported', () => {
    const r = prRepo();
    const wrote = cli(['k8s', '--write-baseline', '.svclint-baseline.yaml'], { cwd: r.dir });
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toBe('');
    expect(wrote.stderr).toBe('svclint: wrote 3 findings to .svclint-baseline.yaml\n');
    const file = readFileSync(path.join(r.dir, '.svclint-baseline.yaml'), 'utf8');
    const objects = [...file.matchAll(/^ {4}object: (.*)$/gm)].map((m) => m[1]);
    expect(objects).toEqual(['Deployment shop/web', 'Service shop/cart', 'Service shop/legacy']);
    expect(file).toMatch(/^# svclint baseline/);
    expect(file).not.toMatch(/^\s*line:/m);
    // Rewriting it is fine; writing over a manifest is refused.
    expect(cli(['k8s', '--write-baseline', '.svclint-baseline.yaml'], { cwd: r.dir }).code).toBe(0);
    expect(readFileSync(path.join(r.dir, '.svclint-baseline.yaml'), 'utf8')).toBe(file);
    const over = cli(['k8s', '--write-baseline', 'k8s/api.yaml'], { cwd: r.dir });
    expect(over.code).toBe(2);
    expect(over.stderr).toBe('svclint: --write-baseline: k8s/api.yaml exists and is not a svclint baseline; name a new file, or delete it first\n');

    const quiet = cli(['k8s', '--baseline', '.svclint-baseline.yaml'], { cwd: r.dir });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('svclint: 3 known findings left out (.svclint-baseline.yaml), 0 stale entries\n');
    // The baseline file is YAML beside the manifests: linting the folder does not trip on it.
    expect(cli(['.', '--baseline', '.svclint-baseline.yaml'], { cwd: r.dir }).code).toBe(0);

    // Fix legacy (delete it), break something new.
    writeFileSync(path.join(r.dir, 'k8s/legacy.yaml'), service('legacy', 'web'));
    writeFileSync(path.join(r.dir, 'k8s/new.yaml'), service('fresh', 'web', 'htp'));
    const after = cli(['k8s', '--baseline', '.svclint-baseline.yaml', '-f', 'json'], { cwd: r.dir });
    expect(after.code).toBe(1);
    const found = JSON.parse(after.stdout).findings as (JsonFinding & { severity: string; message: string })[];
    expect(found.map((f) => `${f.ruleId}/${f.messageId} ${f.severity}`)).toEqual(['unused-suppression/staleBaseline info', 'target-port-unresolved/nameMissing error'].sort());
    const stale = found.find((f) => f.ruleId === 'unused-suppression')!;
    // The entry starts two lines above its object (fingerprint, rule, object): 1-based, that is the index - 1.
    const line = file.split('\n').findIndex((l) => l.includes('object: Service shop/legacy')) - 1;
    expect(stale.location).toMatchObject({ file: '.svclint-baseline.yaml', line });
    expect(file.split('\n')[line - 1]).toMatch(/fingerprint: [0-9a-f]{32}$/);
    expect(stale.message).toBe("this baseline entry of 'selector-no-match' on Service shop/legacy matches no finding any more (fixed, or the object changed)");
  });

  it('refuses a file that is not a baseline, in one line', () => {
    const dir = tempTree({ 'k8s/a.yaml': service('a', 'a'), 'b.yaml': 'version: 1\nfindings: [{rule: x}]\n', 'c.yaml': 'a: [' });
    for (const [f, want] of [['b.yaml', /^svclint: --baseline b\.yaml: entry 1 has no fingerprint of 32 hex digits and rule; rewrite the file with --write-baseline\n$/], ['c.yaml', /^svclint: --baseline c\.yaml: not YAML \(.*\); rewrite it with --write-baseline\n$/], ['none.yaml', /^svclint: --baseline: cannot read none\.yaml: no such file or folder \(ENOENT\); write it with --write-baseline none\.yaml\n$/]] as const) {
      const r = cli(['k8s', '--baseline', f], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(want);
    }
  });
});

describe('svclint pre-commit: the same comparison with HEAD', () => {
  it('keeps quiet about an old finding whose message a staged workload changes, and reports what the staged change breaks elsewhere', () => {
    const files = { ...BASE_FILES, 'k8s/front.yaml': service('front', 'web') };
    const r = prRepo(files, files);
    // Stage a workload whose label is close to legacy's selector: legacy's message now names it ("found `app: gone-v2`").
    writeFileSync(path.join(r.dir, 'k8s/new.yaml'), workload('fresh', 'gone-v2'));
    // And rename web's pod label in the same commit: its Service and the untouched Service front stop selecting them.
    writeFileSync(path.join(r.dir, 'k8s/web.yaml'), `${workload('web', 'web-v2', 'http://api:80')}---\n${service('web', 'web')}`);
    git(r.dir, 'add', 'k8s/new.yaml', 'k8s/web.yaml');
    const all = cli(['k8s', '-f', 'json'], { cwd: r.dir });
    expect(JSON.parse(all.stdout).findings.find((f: JsonFinding & { message: string }) => f.object?.name === 'legacy').message).toContain('gone-v2');
    const hook = cli(['pre-commit', 'k8s/new.yaml', 'k8s/web.yaml', '-f', 'json'], { cwd: r.dir });
    expect(hook.code).toBe(1);
    expect(names(hook.stdout)).toEqual(['selector-no-match front', 'selector-no-match web']);
  });
});
