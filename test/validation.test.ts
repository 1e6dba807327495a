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

describe('YAML that is not what it looks like', () => {
  it('a Helm template linted as plain YAML is named as one, with the way to lint it; template text in values is left alone', () => {
    const dir = tempTree({
      'map.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports: [{port: 80}]\n',
      'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n{{- if .Values.x }}\n  labels: {a: b}\n{{- end }}\nspec:\n  ports: [{port: 80}]\n',
      'alerts.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  a: "{{ $labels.instance }} down"\n  b: Instance {{ $labels.x }}\n',
    });
    const r = cli(['.', '-f', 'json'], { cwd: dir });
    expect(r.stderr).toBe(''); // no parser warning on stderr either
    const fs = JSON.parse(r.stdout).findings as { ruleId: string; messageId: string; message: string; location: { file: string; line: number } }[];
    expect(fs.map((f) => [f.location.file, f.location.line, f.ruleId, f.messageId])).toEqual([
      ['broken.yaml', 5, 'yaml-syntax', 'helmTemplate'],
      ['map.yaml', 4, 'yaml-syntax', 'helmTemplate'],
    ]);
    expect(fs[1]!.message).toBe("this is a Helm chart template, not a manifest (`{{ .Release.Name }}` is a template action, which plain YAML cannot read): lint the chart's folder, which svclint renders with helm template, or pipe `helm template` output to `svclint -`");
  });

  it('a repeated key is a warning, and the document is read as kubectl reads it: the last value wins', () => {
    const svc = (first: string, last: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector:\n    app: ${first}\n    app: ${last}\n  ports: [{port: 80, targetPort: 8080}]\n`;
    const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: example/web:1, ports: [{containerPort: 8080}]}]\n';
    const run = (text: string) => JSON.parse(cli(['.', '-f', 'json'], { cwd: tempTree({ 'svc.yaml': text, 'deploy.yaml': deploy }) }).stdout).findings as { ruleId: string; messageId: string; severity: string; message: string; location: { file: string; line: number } }[];
    const kept = run(svc('webb', 'web'));
    expect(kept.map((f) => [f.ruleId, f.messageId, f.severity, f.location.line])).toEqual([['yaml-syntax', 'duplicateKey', 'warning', 7]]);
    expect(kept[0]!.message).toContain('kubectl and Helm keep this last value');
    // The last value decides: `webb` selects nothing.
    const lost = run(svc('web', 'webb'));
    expect(lost.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(expect.arrayContaining(['yaml-syntax:warning', 'selector-no-match:error']));
  });

  it('`name: y` read as true says to quote it', () => {
    const dir = tempTree({ 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: y}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' });
    const f = (JSON.parse(cli(['s.yaml', '-f', 'json'], { cwd: dir }).stdout).findings as { ruleId: string; message: string }[]).find((x) => x.ruleId === 'schema-invalid')!;
    expect(f.message).toBe('`metadata.name` must be a string, found a boolean `true`; YAML reads it unquoted as a boolean (as it does y, yes, on, n, no, off): quote it');
  });
});
