import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';

const DEMO = 'fixtures/demo';


// selector-no-match is a warning when no workload exists at all, an error for a bad name.
const LONELY = 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec: {selector: {app: lonely}, ports: [{port: 80}]}\n';
const BAD_NAME = 'apiVersion: v1\nkind: Service\nmetadata: {name: Bad}\nspec: {type: ExternalName, externalName: x.example.com}\n';
const ids = (stdout: string) => (JSON.parse(stdout) as { findings: { ruleId: string; severity: string; location: { file: string } }[] }).findings;

describe('CLI conventions', () => {
  it('--max-warnings and --quiet, as in ESLint', () => {
    // Declared complete, a Service whose pods are missing is a warning (info otherwise: the severity contract).
    const dir = tempTree({ 'lonely.yaml': LONELY, '.svclint.yaml': 'completeInput: true\n' });
    expect(cli(['.'], { cwd: dir }).code).toBe(0);
    const over = cli(['.', '--max-warnings', '0'], { cwd: dir });
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('svclint: 1 warning, more than --max-warnings 0\n');
    expect(cli(['.', '--max-warnings', '1'], { cwd: dir }).code).toBe(0);
    expect(cli(['.', '--max-warnings', 'x'], { cwd: dir }).code).toBe(2);
    const both = tempTree({ 'lonely.yaml': LONELY, 'bad.yaml': BAD_NAME, '.svclint.yaml': 'completeInput: true\n' });
    expect(ids(cli(['.', '-f', 'json'], { cwd: both }).stdout).map((f) => f.severity).sort()).toEqual(['error', 'warning']);
    const quiet = cli(['.', '-f', 'json', '--quiet'], { cwd: both });
    expect(ids(quiet.stdout).map((f) => f.severity)).toEqual(['error']);
    expect(quiet.code).toBe(1);
  });

  it('--rule id=severity|off over the config, checked, and --print-config shows the result', () => {
    const dir = tempTree({ 'lonely.yaml': LONELY, '.svclint.yaml': 'kubernetesVersion: 1.36\ncompleteInput: true\nrules:\n  service-env-collision: off\n' });
    expect(cli(['.', '--rule', 'selector-no-match=error'], { cwd: dir }).code).toBe(1);
    expect(ids(cli(['.', '-f', 'json', '--rule', 'selector-no-match=off'], { cwd: dir }).stdout)).toEqual([]);
    const typo = cli(['.', '--rule', 'selector-no-mach=off'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("svclint: --rule: unknown rule 'selector-no-mach'; did you mean `selector-no-match`? (see 'svclint rules')\nrun 'svclint lint --help' for usage\n");
    expect(cli(['.', '--rule', 'selector-no-match=loud'], { cwd: dir }).code).toBe(2);
    const printed = cli(['--print-config', '--rule', 'selector-no-match=info'], { cwd: dir });
    expect(printed.code).toBe(0);
    const config = JSON.parse(printed.stdout);
    // A YAML number (1.36) is the version it spells.
    expect(config).toMatchObject({ file: path.join(dir, '.svclint.yaml'), kubernetesVersion: '1.36', namespace: 'default', failLevel: 'error' });
    expect(config.rules).toMatchObject({ 'selector-no-match': 'info', 'service-env-collision': 'off', 'yaml-syntax': 'error' });
  });

  it('--stdin-filename names stdin; no objects at all is exit 2 unless --no-error-on-unmatched-pattern', () => {
    const named = cli(['-', '--stdin-filename', 'deploy/lonely.yaml', '-f', 'json'], { input: LONELY });
    expect(ids(named.stdout).map((f) => f.location.file)).toEqual(['deploy/lonely.yaml']);
    const empty = tempTree({ 'README.md': '# nothing\n', 'values.yaml': 'replicas: 1\n' });
    const none = cli(['.'], { cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("svclint: no Kubernetes objects found in '.' (--no-error-on-unmatched-pattern to allow it)\n");
    expect(cli(['-'], { input: '' }).stderr).toMatch(/^svclint: no Kubernetes objects found in stdin/);
    const allowed = cli(['.', '--no-error-on-unmatched-pattern'], { cwd: empty });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('no problems');
    // A glob that matches nothing (a CI job's list of changed manifests) is the same.
    const glob = cli(['k8s/**/*.yaml'], { cwd: empty });
    expect(glob.code).toBe(2);
    expect(glob.stderr).toBe("svclint: no files match 'k8s/**/*.yaml' (--no-error-on-unmatched-pattern to allow it)\n");
    const globAllowed = cli(['k8s/**/*.yaml', '--no-error-on-unmatched-pattern'], { cwd: empty });
    expect(globAllowed.code, globAllowed.stderr).toBe(0);
    const withOther = tempTree({ 'svc.yaml': LONELY });
    expect(ids(cli(['k8s/**/*.yaml', 'svc.yaml', '--no-error-on-unmatched-pattern', '-f', 'json'], { cwd: withOther }).stdout).length).toBeGreaterThan(0);
  });

  it('honours .svclintignore and .gitignore in folders (--no-gitignore), and --ignore-pattern', () => {
    const dir = tempTree({
      'svc.yaml': LONELY, 'generated/a.yaml': BAD_NAME, 'build/b.yaml': BAD_NAME, 'sub/c.yaml': BAD_NAME,
      '.svclintignore': 'generated/\n', '.gitignore': 'build/\n',
    });
    const files = (args: string[]) => [...new Set(ids(cli(['.', '-f', 'json', ...args], { cwd: dir }).stdout).map((f) => f.location.file))].sort();
    expect(files([])).toEqual(['sub/c.yaml', 'svc.yaml']);
    expect(files(['--no-gitignore'])).toEqual(['build/b.yaml', 'sub/c.yaml', 'svc.yaml']);
    expect(files(['--ignore-pattern', 'sub/', '--ignore-pattern', '*.yaml', '--ignore-pattern', '!svc.yaml'])).toEqual(['svc.yaml']);
  });

  it('honours the .gitignore of a parent folder up to the repository root, and ignore files deep in the tree', () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'build/\n',
      'app/svc.yaml': LONELY, 'app/build/b.yaml': BAD_NAME,
      'lib/deep/er/.svclintignore': 'gen.yaml\n', 'lib/deep/er/gen.yaml': BAD_NAME, 'lib/deep/er/c.yaml': BAD_NAME,
    });
    const files = (args: string[]) => [...new Set(ids(cli([...args, '-f', 'json'], { cwd: dir }).stdout).map((f) => f.location.file))].sort();
    expect(files(['app'])).toEqual(['app/svc.yaml']);
    expect(files(['app', '--no-gitignore'])).toEqual(['app/build/b.yaml', 'app/svc.yaml']);
    expect(files(['lib'])).toEqual(['lib/deep/er/c.yaml']);
    // A folder .gitignore leaves out entirely (generated manifests) is not "no objects": it says why.
    const hidden = cli(['app/build'], { cwd: dir });
    expect(hidden.code).toBe(2);
    expect(hidden.stderr).toMatch(/^svclint: no Kubernetes objects found: 1 manifest file in 'app\/build' is left out by \.gitignore or \.svclintignore \(--no-gitignore lints what \.gitignore leaves out\)\n/);
    expect(cli(['app/build', '--no-gitignore'], { cwd: dir }).code).toBe(1);
  });

  it('suggests the command for a typo, takes options before a subcommand, and points usage errors at the right --help', () => {
    const typo = cli(['lnt']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("svclint: unknown command `lnt`; did you mean `lint`?\nrun 'svclint --help' for usage\n");
    const dir = tempTree({ 'x/svc.yaml': LONELY });
    const routes = cli(['-n', 'shop', 'routes', 'x'], { cwd: dir });
    expect(routes.code, routes.stderr).toBe(0);
    expect(routes.stdout).toMatch(/^Service shop\/lonely /);
    expect(JSON.parse(cli(['-f', 'json', 'routes', DEMO]).stdout).services.length).toBe(6);
    const bad = cli(['routes', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("svclint: unknown option '--bogus'\nrun 'svclint routes --help' for usage\n");
    expect(cli(['lint', DEMO, '--format', 'xml']).stderr).toBe("svclint: unknown format 'xml' (one of: stylish, json, sarif, github, markdown, junit)\nrun 'svclint lint --help' for usage\n");
  });

  it('--color forces colour into a pipe; FORCE_COLOR=0 and NO_COLOR turn it off', () => {
    expect(cli([DEMO, '--color']).stdout).toContain('\u001b[');
    expect(cli([DEMO], { env: { FORCE_COLOR: '0' } }).stdout).not.toContain('\u001b[');
    expect(cli([DEMO], { env: { NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(cli([DEMO, '--color'], { env: { NO_COLOR: '1' } }).stdout).toContain('\u001b[');
  });

  it('renderer arguments are usage errors, checked before anything renders', () => {
    const values = cli([DEMO, '--helm-values', 'nope.yaml']);
    expect(values.code).toBe(2);
    expect(values.stderr.split('\n')[0]).toBe("svclint: --helm-values: no such file 'nope.yaml'");
    for (const set of ['novalue', 'a=1,b', '=x', 'list={a,b},c']) {
      const r = cli([DEMO, '--helm-set', set]);
      expect(r.code, set).toBe(2);
      expect(r.stderr, set).toMatch(/^svclint: --helm-set '.*' is not key=value/);
    }
    expect(cli([DEMO, '--helm-set', 'a.b=1,c=x\\,y', '-f', 'json']).code).toBe(1); // valid: the demo's own findings
    // Helm's list syntax: the commas inside `{}` belong to the value.
    expect(cli([DEMO, '--helm-set', 'hosts={a.example.com,b.example.com},port=80', '-f', 'json']).code).toBe(1);
  });

  it('prints shell completion for bash, zsh and fish', () => {
    const bash = cli(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o filenames -F _svclint svclint');
    expect(bash.stdout).toContain('--max-warnings');
    expect(spawnSync('bash', ['-n'], { input: bash.stdout }).status).toBe(0);
    // Sourced in bash, it completes subcommands and options.
    const script = `${bash.stdout}\nCOMP_WORDS=(svclint ro); COMP_CWORD=1; _svclint; echo "\${COMPREPLY[@]}"\nCOMP_WORDS=(svclint routes --helm-v); COMP_CWORD=2; _svclint; echo "\${COMPREPLY[@]}"`;
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: tmpdir() }).stdout.split('\n');
    expect(out[0]).toContain('routes');
    expect(out[1]).toBe('--helm-values');
    expect(cli(['completion', 'zsh']).stdout).toMatch(/^#compdef svclint/);
    expect(cli(['completion', 'fish']).stdout).toContain("complete -c svclint -n '__fish_seen_subcommand_from routes' -l format -s f -r");
    expect(cli(['completion', 'tcsh']).code).toBe(2);
  });
});
