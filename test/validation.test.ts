import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';

describe('config and flag validation', () => {
  it('reports every config error in one line, with the nearest rule id or key', () => {
    const dir = tempTree({
      '.svclint.yaml': 'namespace: Bad_NS\nclusterDomain: "bad domain!"\nfailLevl: error\nrules:\n  selector-no-mach: off\n  target-port-unresolved: eror\n',
      's.yaml': SVC,
    });
    const r = cli(['s.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const msg = lines[0]!;
    expect(msg).toMatch(/^svclint: invalid config .*\.svclint\.yaml: /);
    for (const part of [
      "unknown key 'failLevl'; did you mean `failLevel`?",
      "rules: unknown rule 'selector-no-mach'; did you mean `selector-no-match`? (see 'svclint rules')",
      'rules.target-port-unresolved: must be one of error, warning, info, off',
      "namespace: 'Bad_NS' is not a namespace name",
      "clusterDomain: 'bad domain!' is not a DNS domain",
    ]) expect(msg).toContain(part);
  });

  it('--cluster-domain and --namespace are checked as the config is', () => {
    const dir = tempTree({ 's.yaml': SVC });
    const d = cli(['s.yaml', '--cluster-domain', 'bad domain!'], { cwd: dir });
    expect(d.code).toBe(2);
    expect(d.stderr.split('\n')[0]).toBe("svclint: --cluster-domain 'bad domain!' is not a DNS domain (lowercase labels of letters, digits and -, separated by dots)");
    expect(cli(['s.yaml', '--cluster-domain', 'cluster.example'], { cwd: dir }).code).toBe(0);
    expect(cli(['doctor', '--from', 's.yaml', '--cluster-domain', 'Bad!'], { cwd: dir }).code).toBe(2);
    const n = cli(['s.yaml', '-n', 'Bad_NS'], { cwd: dir });
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/^svclint: --namespace 'Bad_NS' is not a valid namespace name/);
  });

  it('a suppression comment naming an unknown rule gets the nearest rule id', () => {
    const dir = tempTree({ 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n# svclint-disable-next-line selector-no-mach\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' });
    const r = cli(['s.yaml', '-f', 'json'], { cwd: dir });
    const f = (JSON.parse(r.stdout).findings as { messageId: string; message: string }[]).find((x) => x.messageId === 'unknownRule')!;
    expect(f.message).toBe('this suppression names selector-no-mach, which is not a svclint rule; did you mean `selector-no-match`? (see `svclint rules`)');
  });
});
