// tools: helm
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempTree } from './helpers.js';
import { planRender } from '../src/load/discover.js';
import { errorLines, renderKustomization, stderrText } from '../src/load/render.js';
import { RenderCache, RENDER_CACHE_FILE, RENDER_CACHE_MAX_BYTES } from '../src/load/render-cache.js';
import { ParseCache } from '../src/load/cache.js';
import { stableMessage } from '../src/engine/fingerprint.js';

const json = (args: string[], env?: Record<string, string>) => {
  const r = cli([...args, '-f', 'json'], { env });
  return { code: r.code, out: JSON.parse(r.stdout) as { findings: { ruleId: string; messageId: string; object?: { namespace: string; name: string }; location?: { file: string; line: number; rendered?: string } }[]; summary: { objects: number } } };
};

describe('Helm charts', () => {
  it('renders a chart folder with helm template and maps findings to the template named by # Source', () => {
    const clean = json(['fixtures/helm']);
    expect(clean.code).toBe(0);
    expect(clean.out.summary.objects).toBe(2);
    const broken = json(['fixtures/helm', '--helm-values', 'fixtures/helm/shop/values-broken.yaml', '-n', 'shop', '--helm-release', 'prod']);
    expect(broken.code).toBe(1);
    expect(broken.out.findings).toHaveLength(1);
    expect(broken.out.findings[0]).toMatchObject({
      ruleId: 'target-port-unresolved',
      object: { namespace: 'shop', name: 'prod-web' },
      location: { file: 'fixtures/helm/shop/templates/service.yaml', rendered: 'helm' },
    });
    // The template has directives: the line is the template's own `targetPort: {{ .Values.targetPort }}`.
    expect(broken.out.findings[0]!.location).toMatchObject({ line: 12, column: 19 });
    const set = json(['fixtures/helm/shop', '--helm-set', 'targetPort=web']);
    expect(set.out.findings.map((f) => f.ruleId)).toEqual(['target-port-unresolved']);
  });

  it('renders charts for the Kubernetes version whose schemas apply, whatever version helm assumes', () => {
    const d = tempTree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\nkubeVersion: ">=1.30.0-0 <1.35.0-0"\n',
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-c\nspec:\n  type: ExternalName\n  externalName: c.example.com\n',
    });
    const ok = cli(['.', '-f', 'json', '--kubernetes-version', '1.34'], { cwd: d });
    expect(JSON.parse(ok.stdout).findings).toEqual([]);
    const later = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; message: string }[] };
    expect(later.findings.map((f) => f.ruleId)).toEqual(['render-failed']);
    expect(later.findings[0]!.message).toMatch(/--kube-version 1\.37.*incompatible with Kubernetes v1\.37/);
  });

  it('a chart that demands values is a warning, which names the values its ci/ folder keeps', () => {
    const d = tempTree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ required "host is required" .Values.host }}\nspec:\n  type: ExternalName\n  externalName: c.example.com\n',
      'chart/ci/a-values.yaml': 'host: a\n',
      'chart/ci/default-values.yaml': 'host: b\n',
    });
    const r = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; messageId: string; severity: string; message: string }[] };
    expect(r.findings.map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`)).toEqual(['render-failed:valuesDemanded:info']);
    expect(r.findings[0]!.message).toMatch(/host is required.*; the chart keeps values for its tests: --helm-values chart\/ci\/default-values\.yaml \(or another of 2 files in chart\/ci\/\)$/);
    const fixed = cli(['.', '-f', 'json', '--helm-values', 'chart/ci/default-values.yaml'], { cwd: d });
    expect(JSON.parse(fixed.stdout).findings).toEqual([]);
  });

  it('renders a chart with its local (file://) dependencies as helm dependency build would place them, from a copy; findings point at the dependency\'s own files', () => {
    const d = tempTree({
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../common\n',
      'charts/app/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "common.name" . }}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n',
      'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
      'charts/common/templates/_names.tpl': '{{- define "common.name" -}}web{{- end -}}\n',
      'charts/common/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: example/web:1\n          ports: [{name: htp, containerPort: 8080}]\n',
    });
    const r = JSON.parse(cli(['charts/app', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; messageId: string; message: string; location?: { file: string; line?: number }; related?: { location?: { file: string; line?: number } }[] }[]; summary: { objects: number } };
    expect(r.summary.objects).toBe(2);
    expect(r.findings.map((f) => [f.ruleId, f.messageId, f.location?.file])).toEqual([['target-port-unresolved', 'nameMissing', 'charts/app/templates/svc.yaml']]);
    expect(r.findings[0]!.message).toContain('did you mean `htp`');
    // The dependency's templates are its own files; the input is left as it was.
    expect(r.findings[0]!.related?.[0]?.location).toMatchObject({ file: 'charts/common/templates/deploy.yaml', line: 15 });
    expect(existsSync(path.join(d, 'charts/app/charts'))).toBe(false);
    expect(existsSync(path.join(d, 'charts/app/Chart.lock'))).toBe(false);
  });

  it('findings on a subchart point at its own template when Helm names it by an alias or its folder has another name, and through a local dependency with an alias', () => {
    const svc = (sel: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\nspec:\n  selector:\n    app: ${sel}\n  ports: [{port: 80}]\n`;
    const d = tempTree({
      'parent/Chart.yaml': 'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    alias: first\n  - name: sub\n    version: 0.1.0\n    alias: second\n  - name: local\n    version: 0.1.0\n    repository: file://../local\n    alias: mine\n',
      'parent/values.yaml': 'first:\n  sel: nothing-one\nsecond:\n  sel: nothing-two\n',
      'parent/charts/sub-folder/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'parent/charts/sub-folder/templates/svc.yaml': svc('{{ .Values.sel }}'),
      'parent/charts/sub-folder/charts/deep-folder/Chart.yaml': 'apiVersion: v2\nname: deep\nversion: 0.1.0\n',
      'parent/charts/sub-folder/charts/deep-folder/templates/svc.yaml': svc('nothing-deep'),
      'local/Chart.yaml': 'apiVersion: v2\nname: local\nversion: 0.1.0\n',
      'local/templates/svc.yaml': svc('nothing-local'),
    });
    const r = JSON.parse(cli(['parent', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; message: string; location?: { file: string; line?: number } }[] };
    const at = r.findings.filter((f) => f.ruleId === 'selector-no-match').map((f) => `${/nothing-\w+/.exec(f.message)?.[0]} ${f.location?.file}:${f.location?.line}`).sort();
    expect(at).toEqual([
      // The deep chart's Service is one object (rendered under both aliases with one name).
      'nothing-deep parent/charts/sub-folder/charts/deep-folder/templates/svc.yaml:6',
      'nothing-local local/templates/svc.yaml:6',
      // One template under two aliases: each document at its line.
      'nothing-one parent/charts/sub-folder/templates/svc.yaml:6',
      'nothing-two parent/charts/sub-folder/templates/svc.yaml:6',
    ]);
  });

  it('a values schema that refers to a schema helm cannot fetch from here is rendered without the schema check and linted, with an info that says so', () => {
    const d = tempTree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/values.yaml': 'port: 80\n',
      'chart/values.schema.json': '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {"port": {"$ref": "https://schemas.example.invalid/port.json"}}}\n',
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: c\nspec:\n  selector: {app: nothing}\n  ports: [{port: {{ .Values.port }}}]\n',
    });
    const r = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; messageId: string; severity: string; message: string }[]; summary: { objects: number } };
    expect(r.summary.objects).toBe(1);
    expect(r.findings.map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`).sort()).toEqual(['render-failed:schemaUnreachable:info', 'selector-no-match:noTemplates:info']);
    expect(r.findings.find((f) => f.ruleId === 'render-failed')!.message).toMatch(/`https:\/\/schemas\.example\.invalid\/port\.json`, which helm could not fetch \(.*schemas\.example\.invalid.*\): the chart was rendered with `--skip-schema-validation`/);
    // A chart that still fails without the schema check fails for its own reason, which is the one reported.
    writeFileSync(path.join(d, 'chart/templates/cm.yaml'), '{{ required "controllers.main is required" .Values.controllers }}\n');
    const failed = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; messageId: string; severity: string; message: string }[] };
    expect(failed.findings.map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`)).toEqual(['render-failed:valuesDemanded:info']);
    expect(failed.findings[0]!.message).toMatch(/--skip-schema-validation` failed because the chart demands values .*controllers\.main is required/);
  });

  it('a chart that fails unless the cluster serves an API (a Capabilities check) is rendered as in a cluster that serves it, with an info that says so', () => {
    const d = tempTree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/values.yaml': 'metrics: true\n',
      'chart/templates/monitor.yaml': '{{- if .Values.metrics }}\n{{- if not (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") }}\n{{- fail "ERROR: You have to deploy monitoring.coreos.com/v1 first" }}\n{{- end }}\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: c\nspec:\n  selector:\n    matchLabels: {app: c}\n  endpoints:\n    - port: metrics\n{{- end }}\n',
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: c\n  labels: {app: c}\nspec:\n  selector: {app: c}\n  ports: [{name: http, port: 80}]\n',
    });
    const r = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; messageId: string; severity: string; message: string }[]; summary: { objects: number } };
    expect(r.summary.objects).toBe(2);
    const render = r.findings.filter((f) => f.ruleId === 'render-failed');
    expect(render.map((f) => `${f.messageId}:${f.severity}`)).toEqual(['apiAssumed:info']);
    expect(render[0]!.message).toContain('rendered with `--api-versions monitoring.coreos.com/v1` and linted');
    // What the chart renders there is linted: the monitor scrapes a port its Service does not have.
    expect(r.findings.some((f) => f.ruleId === 'route-backend-unknown' && f.messageId === 'monitorServicePort')).toBe(true);
  });

  it('keeps a document Helm prints after its template\'s own leading or empty `---` (the `# Source:` line, `---`, then the document), at its line', () => {
    const d = tempTree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/templates/all.yaml': '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n---\n  \n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports: [{name: htp, containerPort: 80}]\n',
    });
    const r = JSON.parse(cli(['.', '-f', 'json', '--complete-input'], { cwd: d }).stdout) as { findings: { ruleId: string; location?: { file: string; line?: number }; related?: { location?: { file: string; line?: number } }[] }[]; summary: { objects: number } };
    expect(r.summary.objects).toBe(2);
    // The Deployment is read: the Service's named target is judged against it, not "no pod".
    expect(r.findings.map((f) => [f.ruleId, f.location?.file, f.location?.line])).toEqual([['target-port-unresolved', 'chart/templates/all.yaml', 8]]);
    expect(r.findings[0]!.related?.[0]?.location).toMatchObject({ file: 'chart/templates/all.yaml' });
  });

  it('says which renderer is missing and still lints the rest', () => {
    const r = json(['fixtures/helm', 'fixtures/demo'], { PATH: '/usr/bin:/bin' });
    const ids = r.out.findings.map((f) => f.ruleId);
    expect(ids).toContain('render-failed');
    expect(ids).toContain('selector-no-match');
    const missing = r.out.findings.find((f) => f.ruleId === 'render-failed')!;
    expect(missing).toMatchObject({ messageId: 'missingTool', location: { file: 'fixtures/helm/shop/Chart.yaml', line: 1 } });
  });

  it('lints raw files with --no-render', () => {
    const r = json(['fixtures/helm', '--no-render']);
    expect(r.out.findings.some((f) => f.ruleId === 'yaml-syntax')).toBe(true);
  });
});


const SVC = (name: string, selector: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${selector}\n  ports:\n    - port: 80\n`;

describe('positions in rendered output', () => {
  it('Helm: a template maps line for line, or by path with its actions blanked; where branches decide the path, it names the template without a line, in every format', () => {
    const d = tempTree({
      '.svclint.yaml': 'completeInput: true\n', // the chart is all there is: selectors that match nothing are warnings
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/templates/plain.yaml': '# a comment first\n' + SVC('plain', 'nothing'),
      'chart/templates/actions.yaml': SVC('{{ .Release.Name }}-y', 'none-{{ .Release.Name }}'),
      'chart/templates/templated.yaml': SVC('{{ .Release.Name }}-x', 'x').replace('    app: x\n', '{{- if .Values.a }}\n    app: a\n{{- else }}\n    app: none-{{ .Release.Name }}\n{{- end }}\n'),
    });
    const r = cli(['.', '-f', 'json'], { cwd: d });
    const locs = (JSON.parse(r.stdout) as { findings: { location: unknown }[] }).findings.map((f) => f.location);
    expect(locs).toEqual([
      { file: 'chart/templates/actions.yaml', line: 6, column: 3, endLine: 6, endColumn: 11, rendered: 'helm' }, // `selector:` of the template
      { file: 'chart/templates/plain.yaml', line: 7, column: 3, endLine: 7, endColumn: 11, rendered: 'helm' }, // `selector:`, below the template's comment
      { file: 'chart/templates/templated.yaml', rendered: 'helm' }, // `app:` in both branches: not one line
    ]);
    const sarif = JSON.parse(cli(['.', '-f', 'sarif'], { cwd: d }).stdout);
    const [byPath, exact, fileOnly] = sarif.runs[0].results.map((x: { locations: { physicalLocation: Record<string, unknown> }[] }) => x.locations[0]!.physicalLocation);
    expect(byPath).toHaveProperty('region');
    expect(exact).toHaveProperty('region');
    expect(fileOnly).toEqual({ artifactLocation: { uri: 'chart/templates/templated.yaml', uriBaseId: '%SRCROOT%' } });
    expect(sarif.runs[0].results[2].message.text).toMatch(/\(in rendered output of helm template\)$/);
    const gh = cli(['.', '-f', 'github'], { cwd: d }).stdout.split('\n');
    expect(gh[2]).toMatch(/^::warning file=chart\/templates\/templated\.yaml,title=svclint selector-no-match::.*\(in rendered output of helm template\)%0AFix/);
    const stylish = cli(['.'], { cwd: d }).stdout;
    expect(stylish).toContain('chart/templates/templated.yaml (in rendered output of helm template): warning:');
    expect(stylish).toContain('chart/templates/plain.yaml:7:3 (in rendered output of helm template): warning:');
    expect(stylish).toContain('  > 7 |   selector:\n'); // the code frame shows the template's line, not the rendered one
    expect(stylish).toContain('chart/templates/actions.yaml:6:3 (in rendered output of helm template): warning:');
    for (const f of ['markdown', 'junit']) expect(cli(['.', '-f', f], { cwd: d }).stdout, f).toContain('in rendered output of helm template');
  });

  it('kustomize: an object is found under the name its namePrefix gives it; one not found in a plain file names the kustomization without a line', () => {
    const d = tempTree({ 'k/kustomization.yaml': 'namePrefix: p-\nresources: [svc.yaml]\n', 'k/svc.yaml': SVC('web', 'web') });
    const r = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { location: unknown }[] };
    expect(r.findings.map((f) => f.location)).toEqual([{ file: 'k/svc.yaml', line: 6, column: 3, endLine: 6, endColumn: 11, rendered: 'kustomize', build: 'k' }]);
    // A name a JSON patch gives is written in no resource file: the kustomization is named.
    const g = tempTree({ 'k/kustomization.yaml': 'resources: [svc.yaml]\npatches:\n  - patch: |-\n      - op: replace\n        path: /metadata/name\n        value: renamed\n    target: {kind: Service, name: web}\n', 'k/svc.yaml': SVC('web', 'web') });
    const p = JSON.parse(cli(['.', '-f', 'json'], { cwd: g }).stdout) as { findings: { location: unknown }[] };
    expect(p.findings.map((f) => f.location)).toEqual([{ file: 'k/kustomization.yaml', rendered: 'kustomize', build: 'k' }]);
  });
});

describe('kustomizations', () => {
  it('renders leaf kustomizations only, with their namespace and patches', () => {
    const r = json(['fixtures/kustomize']);
    expect(r.code).toBe(1);
    expect(r.out.summary.objects).toBe(3); // the overlay's Service, Deployment and Ingress; the base is not rendered again
    expect(r.out.findings.map((f) => `${f.ruleId}:${f.object?.namespace}/${f.object?.name}`).sort()).toEqual([
      'endpoints-never-ready:prod/api',
      'ingress-backend-unknown:prod/api',
    ]);
    // Each object found in its source file by kind and name; the path's text is the same there, so the line is exact.
    expect(r.out.findings.map((f) => f.location)).toEqual([
      { file: 'fixtures/kustomize/base/service.yaml', line: 6, column: 3, endLine: 6, endColumn: 11, rendered: 'kustomize', build: 'fixtures/kustomize/overlays/prod' },
      { file: 'fixtures/kustomize/overlays/prod/ingress.yaml', line: 15, column: 27, endLine: 15, endColumn: 31, rendered: 'kustomize', build: 'fixtures/kustomize/overlays/prod' },
    ]);
    expect(cli(['fixtures/kustomize']).stdout).toContain('  > 15 |                   number: 8080\n');
    const base = json(['fixtures/kustomize/base']);
    expect(base.code).toBe(0);
    expect(base.out.summary.objects).toBe(2);
  });

  it('overlays of one base are applied each on its own: a Service selects its own overlay\'s workload, not another overlay\'s variant of it; findings and routes name the build', () => {
    const deploy = (app: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1\n          ports:\n            - containerPort: 80\n`;
    const d = tempTree({
      'base/kustomization.yaml': 'resources: [svc.yaml, deploy.yaml]\n',
      'base/svc.yaml': SVC('api', 'api'),
      'base/deploy.yaml': deploy('api'),
      'overlays/staging/kustomization.yaml': 'resources: [../../base]\n',
      // The canary overlay relabels the Deployment and not the Service: its Service selects nothing.
      'overlays/canary/kustomization.yaml': 'resources: [../../base]\npatches:\n  - path: labels.yaml\n',
      'overlays/canary/labels.yaml': deploy('api-canary'),
    });
    const r = JSON.parse(cli(['.', '-f', 'json'], { cwd: d }).stdout) as { findings: { ruleId: string; severity: string; message: string; location: { file: string; build?: string } }[] };
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.location.file, f.location.build])).toEqual([['selector-no-match', 'error', 'base/svc.yaml', 'overlays/canary']]);
    expect(cli(['.'], { cwd: d }).stdout).toContain('base/svc.yaml:7:10 (in rendered output of kustomize build overlays/canary): error: selector `app: api` matches no pod');
    const routes = cli(['routes', '.'], { cwd: d }).stdout;
    expect(routes).toContain('Service default/api (ClusterIP; selector app=api)  base/svc.yaml:1 (kustomize build overlays/canary)\n  DNS  api.default.svc.cluster.local  A/AAAA → ClusterIP\n  unallocated:80/TCP → targetPort 80\n    ✗ no pod template matches the selector');
    expect(routes).toContain('Service default/api (ClusterIP; selector app=api)  base/svc.yaml:1 (kustomize build overlays/staging)\n  DNS  api.default.svc.cluster.local  A/AAAA → ClusterIP\n  unallocated:80/TCP → targetPort 80\n    → Deployment default/api ×1');
  });

  it('plans renders: charts over their templates and subcharts, overlays over bases', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'svclint-plan-'));
    const files: Record<string, string> = {
      'chart/Chart.yaml': 'name: c\n', 'chart/templates/a.yaml': 'x', 'chart/charts/sub/Chart.yaml': 'name: s\n', 'chart/charts/sub/templates/b.yaml': 'x',
      'k/base/kustomization.yaml': 'resources: [a.yaml]\n', 'k/base/a.yaml': 'x', 'k/prod/kustomization.yaml': 'resources: [../base]\n', 'k/dev/kustomization.yaml': 'resources: [../base]\n',
      'plain/svc.yaml': 'x',
      // A library chart renders nothing on its own (Helm refuses: "library charts are not installable"), and its templates are not YAML.
      'common/Chart.yaml': 'apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n', 'common/templates/_names.tpl': '{{- define "x" -}}{{- end -}}', 'common/templates/svc.yaml': '{{ include "x" . }}',
    };
    for (const [f, t] of Object.entries(files)) {
      const p = path.join(d, f);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, t);
    }
    const plan = planRender(d, Object.keys(files).map((f) => path.join(d, f)));
    expect(plan.charts).toEqual([path.join(d, 'chart')]);
    expect(plan.kustomizations).toEqual([path.join(d, 'k/dev'), path.join(d, 'k/prod')]);
    expect(plan.raw).toEqual([path.join(d, 'plain/svc.yaml')]);
  });
});

/** kubectl behind a script that counts its runs, so a test can tell a cached render from a real one. */
function countingKubectl(dir: string, tool = 'kubectl'): { env: Record<string, string>; runs: () => number } {
  const real = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, tool)).find((p) => existsSync(p)) ?? tool;
  const log = path.join(dir, `${tool}-runs.log`);
  const bin = path.join(dir, tool);
  writeFileSync(bin, `#!/bin/sh\necho run >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(bin, 0o755);
  return {
    env: { [tool === 'helm' ? 'SVCLINT_HELM' : 'SVCLINT_KUBECTL']: bin, XDG_CACHE_HOME: path.join(dir, 'cache'), PATH: `${path.dirname(real)}:/usr/bin:/bin` },
    runs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

const findings = (r: { stdout: string }) => (JSON.parse(r.stdout) as { findings: unknown[] }).findings;

describe('the render cache (--cache)', () => {
  it('renders an unchanged kustomization once, with the same findings; a change in a base it builds on, outside its folder, renders it again', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-render-cache-'));
    const tree = path.join(dir, 'k');
    cpSync(path.join(ROOT, 'fixtures', 'kustomize'), tree, { recursive: true });
    const k = countingKubectl(dir);
    const run = (cache: boolean) => cli(['overlays/prod', '-f', 'json', ...(cache ? ['--cache'] : [])], { cwd: tree, env: k.env });
    const plain = run(false);
    expect(k.runs()).toBe(1);
    const first = run(true);
    const second = run(true);
    expect(k.runs()).toBe(2); // the second cached run rendered nothing
    expect(findings(first)).toEqual(findings(plain));
    expect(findings(second)).toEqual(findings(plain));
    // The overlay's folder is unchanged, but the base's Service (../../base) now targets another port.
    const svc = path.join(tree, 'base', 'service.yaml');
    writeFileSync(svc, readFileSync(svc, 'utf8').replace(/targetPort: \S+/, 'targetPort: 9999'));
    const changed = run(true);
    expect(k.runs()).toBe(3);
    expect(findings(changed)).toEqual(findings(run(false)));
    expect(findings(changed)).not.toEqual(findings(plain));
  });

  it('never keeps a render that may read what it cannot hash (a remote resource), nor a failed one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-render-cache-'));
    const tree = path.join(dir, 'k');
    cpSync(path.join(ROOT, 'fixtures', 'kustomize'), tree, { recursive: true });
    const k = countingKubectl(dir);
    // A remote base: kubectl cannot fetch it offline, so the render fails; neither the failure nor the folder is kept.
    writeFileSync(path.join(tree, 'overlays', 'prod', 'kustomization.yaml'), 'namespace: prod\nresources:\n  - https://example.invalid/base?ref=v1\n');
    cli(['overlays/prod', '-f', 'json', '--cache'], { cwd: tree, env: k.env });
    cli(['overlays/prod', '-f', 'json', '--cache'], { cwd: tree, env: k.env });
    expect(k.runs()).toBe(2);
  });

  it('keeps a render that failed with an exit status, with its errors: the same finding without running it again, until an input changes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-render-cache-'));
    const tree = path.join(dir, 'k');
    cpSync(path.join(ROOT, 'fixtures', 'kustomize'), tree, { recursive: true });
    const k = countingKubectl(dir);
    // A patch of a Deployment the base does not have: kustomize fails, the same way every time.
    const kfile = path.join(tree, 'overlays', 'prod', 'kustomization.yaml');
    writeFileSync(path.join(tree, 'overlays', 'prod', 'missing.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nowhere}\nspec: {replicas: 2}\n');
    const original = readFileSync(kfile, 'utf8');
    expect(original).toContain('  - path: replicas.yaml\n');
    writeFileSync(kfile, original.replace('  - path: replicas.yaml\n', '  - path: replicas.yaml\n  - path: missing.yaml\n'));
    const run = (cache: boolean) => cli(['overlays/prod', '-f', 'json', ...(cache ? ['--cache'] : [])], { cwd: tree, env: k.env });
    type F = { ruleId: string; message: string };
    const failed = (r: { stdout: string }) => (findings(r) as F[]).filter((f) => f.ruleId === 'render-failed').map((f) => stableMessage(f.message));
    const plain = run(false);
    expect(failed(plain)).toEqual([expect.stringContaining('nowhere')]);
    expect(run(true).code).toBe(plain.code);
    const again = run(true);
    expect(k.runs()).toBe(2); // the plain run and the first cached one
    expect(failed(again)).toEqual(failed(plain));
    // The message is kubectl's error itself: no log header (its time and process id), no wrapper, so every run says the same.
    const raw = (r: { stdout: string }) => (findings(r) as F[]).filter((f) => f.ruleId === 'render-failed').map((f) => f.message);
    expect(raw(again)).toEqual(raw(plain));
    expect(raw(plain)[0]).not.toMatch(/run\.go|command failed|err=|\d{2}:\d{2}:\d{2}\.\d/);
    expect(raw(plain)[0]).toMatch(/failed: .*nowhere/);
    // Fixed: the key changes, kustomize runs again, and the failure is gone.
    writeFileSync(kfile, original);
    const fixed = run(true);
    expect(k.runs()).toBe(3);
    expect(failed(fixed)).toEqual([]);
  });

  it('does not keep a render that was stopped (its time limit): it runs again next time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-render-cache-'));
    const tree = path.join(dir, 'k');
    cpSync(path.join(ROOT, 'fixtures', 'kustomize'), tree, { recursive: true });
    const log = path.join(dir, 'slow-runs.log');
    const slow = path.join(dir, 'slow-kubectl');
    const sleep = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'sleep')).find((p) => existsSync(p)) ?? '/bin/sleep';
    writeFileSync(slow, `#!/bin/sh\necho run >> '${log}'\nexec '${sleep}' 5\n`);
    chmodSync(slow, 0o755);
    const store = path.join(dir, 'cache');
    // A `kustomize` on PATH would be run instead of the given kubectl: none is found during the renders.
    const PATH = process.env.PATH;
    for (let i = 0; i < 2; i++) {
      const cache = new RenderCache(new ParseCache(store, RENDER_CACHE_MAX_BYTES, Date.now(), RENDER_CACHE_FILE));
      process.env.PATH = dir;
      let r;
      try {
        r = await renderKustomization(path.join(tree, 'overlays', 'prod'), 'overlays/prod', { kubectl: slow, timeoutMs: 300, cache }, tree);
      } finally {
        process.env.PATH = PATH;
      }
      cache.save();
      expect(r.problems.map((p) => p.messageId)).toEqual(['failed']);
      expect(r.open).toBe(true);
    }
    expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('renders an unchanged chart once; other values render it again', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-render-cache-'));
    const h = countingKubectl(dir, 'helm');
    const run = (...extra: string[]) => cli(['fixtures/helm', '-f', 'json', '--cache', ...extra], { env: h.env });
    const first = run();
    expect(findings(run())).toEqual(findings(first));
    expect(h.runs()).toBe(1);
    const broken = run('--helm-values', 'fixtures/helm/shop/values-broken.yaml');
    expect(h.runs()).toBe(2);
    expect(findings(broken)).not.toEqual(findings(first));
  });
});

describe('a renderer\'s error in a finding', () => {
  it('is the error itself: kubectl\'s log header and its "command failed" wrapper are taken off, a quoted error unquoted, a block\'s lines kept', () => {
    // As kubectl v1.3x prints them (one quoted line; a `<` … `>` block for a multi-line error).
    const quoted = 'E1205 03:00:31.486117     314 run.go:72] "command failed" err="accumulating resources: lstat /k/missing.yaml: no such file or directory"\n';
    const block = 'E1205 03:00:31.533859     320 run.go:72] "command failed" err=<\n\tyaml: unmarshal errors:\n\t  line 5: mapping key "name" already defined at line 4\n >\n';
    const escaped = 'E1205 03:00:01.042155   32046 run.go:72] "command failed" err="no resource matches strategic merge patch \\"Gateway/tg\\": no matches\\nsecond line"\n';
    expect(errorLines(quoted)).toEqual(['accumulating resources: lstat /k/missing.yaml: no such file or directory']);
    expect(errorLines(block)).toEqual(['yaml: unmarshal errors:', 'line 5: mapping key "name" already defined at line 4']);
    expect(errorLines(escaped)).toEqual(['no resource matches strategic merge patch "Gateway/tg": no matches', 'second line']);
    expect(stderrText(block)).toBe('yaml: unmarshal errors: | line 5: mapping key "name" already defined at line 4');
    // Helm's errors, and anything else, stay as written; a Go escape JSON does not read keeps the wrapper rather than guess.
    const helm = 'Error: parse error at (broken/templates/service.yaml:4): function "nosuchfunction" not defined\nUse --debug flag to render out invalid YAML\n';
    expect(stderrText(helm)).toBe('Error: parse error at (broken/templates/service.yaml:4): function "nosuchfunction" not defined | Use --debug flag to render out invalid YAML');
    expect(errorLines('W1205 03:00:01.0   1 x.go:1] "command failed" err="\\x41"')).toEqual(['"command failed" err="\\x41"']);
    expect(stderrText('')).toBe('no output');
  });
});
