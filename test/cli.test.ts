import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, cli, ROOT, tempTree } from './helpers.js';
import { RULES } from '../rules/index.js';

const DEMO = 'fixtures/demo';


const SERVICE_OK = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: ExternalName
  externalName: api.example.com
`;

const SERVICE_DANGLING = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 80
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1
`;

describe('svclint lint', () => {
  it('finds one problem per row of the troubleshooting table in the demo, and exits 1', () => {
    const r = cli([DEMO]);
    expect(r.code).toBe(1);
    for (const id of ['selector-no-match', 'endpoints-never-ready', 'target-port-unresolved', 'service-name-invalid']) {
      expect(r.stdout).toContain(`[${id}]`);
    }
    expect(r.stdout).toMatch(/fixtures\/demo\/services\/services\.yaml:8:10: error: selector `app: web-frontend`/);
    expect(r.stdout).toContain('✖ 5 problems (5 errors, 0 warnings, 0 info) in 5 files (13 objects, 6 Services)');
    expect(r.stderr).toBe('');
  });

  it('is the default command and accepts `lint` explicitly', () => {
    expect(cli(['lint', DEMO]).stdout).toBe(cli([DEMO]).stdout);
  });

  it('writes the documented JSON contract', () => {
    const r = cli([DEMO, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    expect(out.summary).toEqual({ errors: 5, warnings: 0, infos: 0, files: 5, objects: 13, services: 6 });
    const f = out.findings.find((x: { ruleId: string }) => x.ruleId === 'target-port-unresolved');
    expect(f).toMatchObject({
      category: 'port',
      severity: 'error',
      object: { kind: 'Service', namespace: 'shop', name: 'cart' },
      path: 'spec.ports[0].targetPort',
      location: { file: 'fixtures/demo/services/services.yaml', line: 38, column: 19, endLine: 38, endColumn: 23 },
    });
    expect(f.message).toContain('Deployment shop/cart-v2');
    expect(f.remediation).toMatch(/\.$/);
    expect(f.related[0]).toMatchObject({ object: { kind: 'Deployment', namespace: 'shop', name: 'cart-v2' }, location: { file: 'fixtures/demo/workloads/backend.yaml' } });
  });

  it('reads stdin with `-`, as in `helm template . | svclint -`', () => {
    const input = `---\n# Source: chart/templates/svc.yaml\n${SERVICE_DANGLING}---\n# Source: chart/templates/deploy.yaml\n${DEPLOYMENT}`;
    const clean = cli(['-'], { input });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no problems in 1 file (2 objects, 1 Service)');
    // A three-letter value one letter off is not proof on its own (isStrongTypo): the input is declared complete.
    const broken = cli(['-', '-f', 'json', '--complete-input'], { input: SERVICE_DANGLING.replace('app: api', 'app: apx') + '---\n' + DEPLOYMENT });
    const out = JSON.parse(broken.stdout);
    expect(broken.code).toBe(1);
    expect(out.findings[0]).toMatchObject({ ruleId: 'selector-no-match', location: { file: '<stdin>', line: 7 } });
  });

  it('joins objects from sibling folders into one graph', () => {
    const dir = tempTree({ 'a/svc.yaml': SERVICE_DANGLING, 'b/deploy.yml': DEPLOYMENT });
    expect(cli(['a', 'b'], { cwd: dir }).code).toBe(0);
    expect(cli(['.'], { cwd: dir }).code).toBe(0);
    const alone = cli(['a'], { cwd: dir });
    expect(alone.code).toBe(0); // info only: the pods may be defined elsewhere
    expect(alone.stdout).toContain('info: selector `app: api` matches no pod');
    expect(alone.stdout).toContain('svclint looked in the 1 file given');
    expect(cli(['a', '--fail-level', 'warning'], { cwd: dir }).code).toBe(0);
    // Declared complete, the input's silence is evidence again.
    const complete = cli(['a', '--complete-input'], { cwd: dir });
    expect(complete.stdout).toContain('warning: selector `app: api` matches no pod');
    expect(cli(['a', '--complete-input', '--fail-level', 'warning'], { cwd: dir }).code).toBe(1);
  });

  it('expands globs and reads .json manifests', () => {
    const dir = tempTree({ 'm/svc.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'Bad_Name' }, spec: { type: 'ExternalName', externalName: 'x.example.com' } }, null, 2) });
    const r = cli(['m/*.json', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ ruleId: 'service-name-invalid', location: { file: 'm/svc.json', line: 5, column: 13 } });
  });

  it('reports a syntax error as a finding and still lints the rest', () => {
    const dir = tempTree({ 'bad.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n', 'good.yaml': SERVICE_OK.replace('name: api', 'name: API'), 'blob.yaml': 'a\u0000b' });
    const r = cli(['.', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const ids = JSON.parse(r.stdout).findings.map((f: { ruleId: string; location: { file: string } }) => `${f.location.file}:${f.ruleId}`);
    expect(ids).toEqual(['bad.yaml:yaml-syntax', 'blob.yaml:file-unreadable', 'good.yaml:service-name-invalid']);
    expect(r.stderr).toBe('');
  });

  it('skips YAML that is not Kubernetes, silently', () => {
    const dir = tempTree({ '.github/workflows/ci.yml': 'on: push\njobs: {}\n', 'values.yaml': 'replicaCount: 1\n', 'svc.yaml': SERVICE_OK });
    const r = cli(['.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no problems');
  });

  it('exits 2 with one line for usage errors', () => {
    for (const args of [['does-not-exist.yaml'], ['--format', 'xml', DEMO], ['--bogus'], ['-n', 'Bad_NS', DEMO], ['nothing/*.yaml']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(cli(['does-not-exist.yaml']).stderr).toBe("svclint: no such file or directory: 'does-not-exist.yaml'\n");
  });

  it('applies --namespace to objects without one', () => {
    const dir = tempTree({ 'svc.yaml': SERVICE_DANGLING, 'deploy.yaml': DEPLOYMENT.replace('name: api\n', 'name: api\n  namespace: prod\n') });
    // Where a Service without a namespace lands is up to the command that applies it: info, an error with complete input.
    expect(cli(['.'], { cwd: dir }).code).toBe(0);
    expect(cli(['.', '--complete-input'], { cwd: dir }).code).toBe(1);
    expect(cli(['.', '-n', 'prod', '--complete-input'], { cwd: dir }).code).toBe(0);
  });

  it('prints where the run spent its time with SVCLINT_TIMING=1, and nothing without it', () => {
    const timed = cli([DEMO, '-f', 'json'], { env: { SVCLINT_TIMING: '1' } });
    expect(timed.stderr).toMatch(/^svclint: timing: startup \d+ ms \(cpu \d+ ms, rss \d+ MiB\), config .*, read .*, parse .*, graph .*, rules .*, report \d+ ms \(cpu \d+ ms, rss \d+ MiB\); total \d+ ms/);
    expect(JSON.parse(timed.stdout).summary.objects).toBe(13);
    expect(cli([DEMO, '-f', 'json']).stderr).toBe('');
    expect(timed.stderr).not.toContain('timing of the rules');
  });

  it('adds each rule\'s time, slowest first, with SVCLINT_TIMING=rules', () => {
    const timed = cli([DEMO, '-f', 'json'], { env: { SVCLINT_TIMING: 'rules' } });
    const line = timed.stderr.split('\n').find((l) => l.startsWith('svclint: timing of the rules, slowest first: '));
    expect(line).toBeDefined();
    const times = [...line!.matchAll(/([a-z-]+) (\d+) ms/g)].map((m) => [m[1], Number(m[2])] as const);
    expect(times.map(([id]) => id)).toContain('selector-no-match');
    expect(times.map(([, ms]) => ms)).toEqual([...times.map(([, ms]) => ms)].sort((a, b) => b - a));
  });

  it('colours only on request or a terminal, never with NO_COLOR', () => {
    expect(cli([DEMO]).stdout).not.toContain('\u001b[');
    expect(cli([DEMO], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(cli([DEMO, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
  });

  it('writes to --output-file', () => {
    const dir = tempTree({});
    const out = path.join(dir, 'report.json');
    const r = cli([path.join(ROOT, DEMO), '-f', 'json', '-o', out], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(5);
    const bad = cli([path.join(ROOT, DEMO), '-o', path.join(dir, 'no', 'such', 'dir', 'r.txt')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^svclint: cannot write .*r\.txt: no such file or folder \(ENOENT\); name another file with -o\n$/);
  });

  it('writes nothing to stderr for a tag the YAML parser does not know in a server\'s file, a kubeconfig-like text or the config', () => {
    const dir = tempTree({
      '.svclint.yaml': 'rules: !custom\n  selector-no-match: warning\n',
      'otel.yaml': [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: otel}\ndata:\n  config.yaml: |\n    receivers: !vault\n      otlp: {}\n  envoy.yaml: |\n    admin: !env\n      address: {socket_address: {address: 0.0.0.0, port_value: 9901}}\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: otel}\nspec:\n  selector: {matchLabels: {app: otel}}\n  template:\n    metadata: {labels: {app: otel}}\n    spec:\n      containers:\n        - {name: otel, image: otel/opentelemetry-collector-contrib:0.110.0, args: [--config=/conf/config.yaml], ports: [{containerPort: 4317}], volumeMounts: [{name: c, mountPath: /conf}]}\n        - {name: envoy, image: envoyproxy/envoy:v1.31.2, args: [-c, /conf/envoy.yaml], ports: [{containerPort: 9901}], volumeMounts: [{name: c, mountPath: /conf}]}\n      volumes: [{name: c, configMap: {name: otel}}]\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: otel}\nspec:\n  selector: {app: otel}\n  ports: [{name: grpc, port: 4317}, {name: admin, port: 9901}]\n',
      ].join('---\n'),
    });
    const r = cli(['.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('exits quietly when stdout is closed early (svclint | head)', () => {
    const r = spawnSync('sh', ['-c', `node ${BIN} ${DEMO} | head -1`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.split('\n')[0]).toMatch(/^fixtures\/demo\/services\/services\.yaml:8:10: error:/);
    expect(r.stderr).toBe('');
  });
});

describe('configuration', () => {
  it('is found upward, and sets severities, options, namespace, ignores and fail level', () => {
    const dir = tempTree({
      '.svclint.yaml': 'namespace: prod\nignore: ["vendor/**"]\nrules:\n  service-name-invalid: warning\n  selector-no-match: off\n',
      'deploy/svc.yaml': SERVICE_OK.replace('name: api', 'name: API') + '---\n' + SERVICE_DANGLING.replace('name: api', 'name: other'),
      'vendor/broken.yaml': 'a: [',
    });
    const r = cli(['.', '-f', 'json'], { cwd: path.join(dir, 'deploy') });
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`)).toEqual(['service-name-invalid:warning']);
    expect(r.code).toBe(0);
    const all = JSON.parse(cli(['.', '-f', 'json'], { cwd: dir }).stdout);
    expect(all.findings.map((f: { location: { file: string } }) => f.location.file)).toEqual(['deploy/svc.yaml']);
    expect(all.findings[0].object.namespace).toBe('prod');
  });

  it('rejects a bad config with the file and the field', () => {
    const cases: [string, RegExp][] = [
      ['rules:\n  no-such-rule: error\n', /invalid config .*\.svclint\.yaml: rules: unknown rule 'no-such-rule'/],
      ['rules:\n  selector-no-match: fatal\n', /rules\.selector-no-match: must be one of error, warning, info, off/],
      ['clusterDomain: Not_A_Domain\n', /clusterDomain: 'Not_A_Domain' is not a DNS domain/],
      ['namespaces: x\n', /unknown key 'namespaces'/],
      ['rules: [\n', /is not valid YAML/],
      ['rules:\n  target-port-undeclared:\n    options:\n      reportWhenNoPortsDeclared: "yes"\n', /reportWhenNoPortsDeclared: must be boolean/],
    ];
    for (const [text, re] of cases) {
      const dir = tempTree({ '.svclint.yaml': text, 'svc.yaml': SERVICE_OK });
      const r = cli(['.'], { cwd: dir });
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('takes --config and rule options', () => {
    const dir = tempTree({
      'conf.yml': 'rules:\n  target-port-undeclared:\n    options:\n      reportWhenNoPortsDeclared: true\n',
      'm.yaml': SERVICE_DANGLING + '---\n' + DEPLOYMENT,
    });
    expect(cli(['m.yaml'], { cwd: dir }).stdout).toContain('no problems');
    const r = cli(['m.yaml', '--config', 'conf.yml'], { cwd: dir });
    expect(r.stdout).toContain('[target-port-undeclared]');
    expect(cli(['m.yaml', '--config', 'missing.yml'], { cwd: dir }).code).toBe(2);
  });
});

describe('files of the working folder', () => {
  const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;
  const MONITOR = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  endpoints: [{port: metrics}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: shop}
spec:
  hosts: [api]
  http:
  - route:
    - destination: {host: api, port: {number: 8080}}
`;
  const severities = (out: string) => JSON.parse(out).findings.filter((f: { ruleId: string }) => f.ruleId === 'route-backend-unknown').map((f: { ruleId: string; severity: string; location: { file: string } }) => `${f.location.file} ${f.ruleId}:${f.severity}`);

  it('are one folder tree however they are named: `.`, bare names, or a folder above them', () => {
    const dir = tempTree({ 'svc.yaml': SERVICE.replace('namespace: shop}', 'namespace: shop, labels: {app: api}}'), 'routes.yaml': MONITOR, 'sub/more.yaml': MONITOR.replace(/name: api, namespace/g, 'name: api2, namespace') });
    const expected = ['routes.yaml route-backend-unknown:error', 'routes.yaml route-backend-unknown:error', 'sub/more.yaml route-backend-unknown:error', 'sub/more.yaml route-backend-unknown:error'];
    for (const args of [['.'], ['svc.yaml', 'routes.yaml', 'sub/more.yaml'], [dir]]) {
      const r = cli([...args, '-f', 'json'], { cwd: dir });
      expect(severities(r.stdout).map((s: string) => s.replace(`${dir}/`, '')), args.join(' ')).toEqual(expected);
      expect(r.code).toBe(1);
    }
    // Two sibling folders are not one tree: the Service may be another application's.
    const apart = tempTree({ 'a/svc.yaml': SERVICE, 'b/routes.yaml': MONITOR.split('---')[1]! });
    expect(severities(cli(['.', '-f', 'json'], { cwd: apart }).stdout)).toEqual(['b/routes.yaml route-backend-unknown:info']);
  });
});

describe('svclint routes', () => {
  it('prints VIP routes, backends with replicas and DNS names', () => {
    const r = cli(['routes', DEMO]);
    expect(r.code).toBe(1); // the demo's Payments_API is a name the API server rejects
    expect(r.stdout).toContain('Service shop/cart (ClusterIP; selector app=cart)');
    expect(r.stdout).toContain('unallocated:80/TCP (http) → targetPort http   SRV _http._tcp.cart.shop.svc.cluster.local');
    expect(r.stdout).toContain('→ Deployment shop/cart ×3  container cart :7070/TCP');
    expect(r.stdout).toContain('✗ Deployment shop/cart-v2 ×1  left out: no container port named http');
    expect(r.stdout).toContain('Service shop/redis (ClusterIP, headless; selector app=redis)');
    expect(r.stdout).toContain('DNS  redis.shop.svc.cluster.local  A/AAAA → ready pod IPs');
    expect(r.stdout).toContain('✗ Deployment shop/orders ×2  container orders :9000/TCP  never ready: readiness probe on undeclared port health');
  });

  it('uses the configured cluster domain and writes JSON', () => {
    const r = cli(['routes', DEMO, '--cluster-domain', 'corp.internal', '-f', 'json']);
    const out = JSON.parse(r.stdout);
    const catalog = out.services.find((s: { name: string }) => s.name === 'catalog');
    expect(catalog).toMatchObject({ namespace: 'shop', vip: 'unallocated', dns: 'catalog.shop.svc.corp.internal', mode: 'selector' });
    expect(catalog.ports[0]).toMatchObject({ name: 'grpc', port: 50051, protocol: 'TCP', from: 'unallocated:50051/TCP', srv: '_grpc._tcp.catalog.shop.svc.corp.internal' });
    expect(catalog.ports[0].backends).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'catalog', replicas: 1, finishes: false, container: 'catalog', targetPort: 50051, protocol: 'TCP', ready: true, notReady: [] },
    ]);
  });
});

describe('svclint rules', () => {
  it('lists every rule with id, category, severity and description', () => {
    const r = cli(['rules']);
    expect(r.code).toBe(0);
    for (const rule of RULES) expect(r.stdout).toMatch(new RegExp(`^${rule.meta.id}\\s+${rule.meta.category}\\s+${rule.meta.severity}\\s+\\S`, 'm'));
    expect(JSON.parse(cli(['rules', '-f', 'json']).stdout)).toHaveLength(RULES.length);
  });
});
