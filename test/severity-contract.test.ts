import { describe, expect, it } from 'vitest';
import { lint, lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { genuinelyClose, partialObject, placeholderIn, testDataFolder } from '../src/engine/rule-kit.js';
import type { K8sObject } from '../src/types/object.js';
import { isStrongTypo } from '../src/text.js';
import { createdPods, createdService } from '../src/graph/creators.js';
import { toObjects } from '../src/load/objects.js';
import { parseSource } from '../src/load/parse.js';

const objects = (text: string) => toObjects([{ file: { path: 'x.yaml', text }, docs: parseSource({ path: 'x.yaml', text }).docs }], { defaultNamespace: 'default' });

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  rules:
    - backendRefs: [{name: cart, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;

describe('the severity contract', () => {
  it('makes a missing Service info, saying where svclint looked, and an error with complete input', () => {
    const open = lintText(ROUTE).findings.filter((f) => f.ruleId === 'route-backend-unknown');
    expect(open.map((f) => f.severity)).toEqual(['info']);
    expect(open[0]!.message).toMatch(/svclint looked in the 1 file given: .*an error with --complete-input/);
    const complete = lintText(ROUTE, 'x.yaml', { config: { ...defaultConfig(), completeInput: true } }).findings.filter((f) => f.ruleId === 'route-backend-unknown');
    expect(complete.map((f) => f.severity)).toEqual(['error']);
    expect(complete[0]!.message).not.toMatch(/looked/);
  });

  it('keeps a near-miss name an error without complete input', () => {
    const text = ROUTE.replace('name: cart', 'name: frontnd').replace('metadata: {name: web, namespace: shop}\nspec: {selector', 'metadata: {name: frontend, namespace: shop}\nspec: {selector');
    const f = lintText(text).findings.filter((x) => x.ruleId === 'route-backend-unknown');
    expect(f.map((x) => [x.severity, x.message.includes('did you mean `frontend`')])).toEqual([['error', true]]);
  });

  it('suggests a near-miss Service name only to routes near it, however many routes ask about the same name', () => {
    const route = ROUTE.split('---')[0]!.replace('name: cart', 'name: frontnd');
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: frontend, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
    const files = [
      { path: 'far/away/other/route.yaml', text: route },
      { path: 'app/route.yaml', text: route },
      { path: 'app/svc.yaml', text: svc },
      { path: 'far/away/again/route.yaml', text: route },
    ];
    const hints = lint({ files }).findings
      .filter((f) => f.ruleId === 'route-backend-unknown' && f.messageId === 'noService')
      .map((f) => [f.location?.file, f.message.includes('did you mean `frontend`')]);
    expect(hints).toEqual([
      ['app/route.yaml', true],
      ['far/away/again/route.yaml', false],
      ['far/away/other/route.yaml', false],
    ]);
  });

  it('takes only a slip of a character or two as proof: a name a third of the way off is a hint, not an error', () => {
    const far = ROUTE.replace('name: cart', 'name: udp-echo-no-grant').replace('metadata: {name: web, namespace: shop}\nspec: {selector', 'metadata: {name: udp-echo-grant, namespace: shop}\nspec: {selector');
    const f = lintText(far).findings.filter((x) => x.ruleId === 'route-backend-unknown');
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(isStrongTypo('frontend', 'frontnd')).toBe(true);
    expect(isStrongTypo('Frontend', 'frontend')).toBe(true);
    expect(isStrongTypo('api', 'apx')).toBe(true);
    expect(isStrongTypo('db', 'dc')).toBe(false);
    expect(isStrongTypo('web', 'wbe')).toBe(true);
    expect(isStrongTypo('service-simple-app', 'webserver-simple-app')).toBe(false);
    expect(isStrongTypo('cluster.local', 'cluster.locl')).toBe(true);
    expect(isStrongTypo('nginx', 'ngnix')).toBe(true);
    expect(isStrongTypo('orders', 'odrers-v2')).toBe(false);
  });

  it('blames a file that failed to parse only for findings in its folder tree, even when the same absence is asked about elsewhere', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
    const files = [
      { path: 'far/away/other/svc.yaml', text: svc },
      { path: 'app/svc.yaml', text: svc },
      { path: 'app/broken.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop\n' },
      { path: 'far/away/again/svc.yaml', text: svc },
    ];
    const notes = lint({ files }).findings
      .filter((f) => f.ruleId === 'selector-no-match')
      .map((f) => [f.location?.file, /app\/broken\.yaml failed to parse \(yaml-syntax\)/.test(f.message)]);
    expect(notes).toEqual([
      ['app/svc.yaml', true],
      ['far/away/again/svc.yaml', false],
      ['far/away/other/svc.yaml', false],
    ]);
  });

  it('makes a finding in a testdata folder info, whatever its rule says, and says why', () => {
    const bad = 'apiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name}\nspec: {ports: [{port: 80}]}\n';
    const plain = lintText(bad, 'deploy/svc.yaml').findings.filter((f) => f.severity === 'error');
    expect(plain.length).toBeGreaterThan(0);
    // Swept up with the rest of a repository, test data is info...
    const files = [{ path: 'deploy/ok.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n' }, { path: 'test/e2e/testdata/svc.yaml', text: bad }];
    const inTestData = lint({ files }).findings.filter((f) => f.location?.file === 'test/e2e/testdata/svc.yaml');
    expect(inTestData.length).toBeGreaterThan(0);
    expect(inTestData.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(inTestData.find((f) => f.ruleId === plain[0]!.ruleId)!.message).toMatch(/`test\/e2e\/testdata\/`, a test-data folder/);
    // ...but asked for on its own (every file of the run in test data), it is judged as any input.
    expect(lintText(bad, 'testdata/case-1/svc.yaml').findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toEqual(plain.map((f) => f.ruleId));
    expect(testDataFolder('pkg/test_data/x.yaml')).toBe('pkg/test_data/');
    expect(testDataFolder('pkg/testdatabase/x.yaml')).toBeUndefined();
    expect(testDataFolder('testdata.yaml')).toBeUndefined();
  });

  it('drops the finding when an object of the run creates the Service', () => {
    const text = `${ROUTE}---\napiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: cart, namespace: shop}\nspec: {instances: 1}\n`.replace('name: cart, port: 80', 'name: cart-rw, port: 5432');
    expect(lintText(text, 'x.yaml', { config: { ...defaultConfig(), completeInput: true } }).findings.filter((f) => f.ruleId === 'route-backend-unknown')).toEqual([]);
  });
});

describe('the creators table', () => {
  it('knows the Services operators and controllers create', () => {
    const objs = objects(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: radarr, namespace: media}
spec: {chart: {spec: {chart: radarr}}}
---
apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: {name: logs, namespace: es}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: web
  annotations: {alb.ingress.kubernetes.io/actions.ssl-redirect: '{}'}
`);
    expect(createdService(objs, 'media', 'radarr')?.by).toMatch(/Flux/);
    expect(createdService(objs, 'media', 'radarr-web')?.by).toMatch(/Flux/);
    expect(createdService(objs, 'media', 'sonarr')).toBeUndefined();
    expect(createdService(objs, 'es', 'logs-es-http')?.by).toMatch(/ECK/);
    expect(createdService(objs, 'default', 'logs-es-http')).toBeUndefined();
    expect(createdService(objs, 'web', 'ssl-redirect')?.by).toMatch(/Load Balancer/);
  });

  it('knows static control-plane pods and operator pods by their labels', () => {
    expect(createdPods([], 'kube-system', { component: 'etcd', tier: 'control-plane' })?.by).toMatch(/static pod etcd/);
    expect(createdPods([], 'default', { component: 'etcd', tier: 'control-plane' })).toBeUndefined();
    const objs = objects('apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n');
    expect(createdPods(objs, 'mon', { prometheus: 'k8s' })?.by).toBe('prometheus-operator');
    expect(createdPods(objs, 'mon', { prometheus: 'main' })).toBeUndefined();
  });
});

describe('evidence helpers', () => {
  it('tells a fragment (patch) from an object', () => {
    const [patch, whole, svc] = objects(`apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {template: {spec: {containers: [{name: a, args: [x]}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b}
spec: {template: {spec: {containers: [{name: b, image: b}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec: {type: LoadBalancer}
`);
    expect(partialObject(patch!)).toMatch(/no selector and no container image/);
    expect(partialObject(whole!)).toBeUndefined();
    expect(partialObject(svc!)).toMatch(/neither ports nor a selector/);
  });

  it('judges a finding about a text inside a file by that text, not by the rest of the file', () => {
    const file = (extra: string) => `apiVersion: v1
kind: Service
metadata: {name: postgres}
spec: {selector: {app: pg}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data:
  settings.py: |
    DATABASES = {"default": {"HOST": "db", "PORT": "5432", "HOME": "\${HOME}"}}
    REDIS_URL = "redis://postgres:5433/0"${extra}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: example/web:1, volumeMounts: [{name: app, mountPath: /app}]}]
  volumes: [{name: app, configMap: {name: app}}]
`;
    const dns = (t: string) => lintText(t).findings.filter((f) => f.ruleId === 'dns-reference-unknown-service').map((f) => `${f.severity}:${f.message.includes('placeholder')}`);
    expect(dns(file(''))).toEqual(['error:false']);
    // A placeholder beside the text, outside it, says nothing about it either.
    expect(dns(file('\n    CACHE = "redis://postgres:5433/\${DB_INDEX}"'))).toEqual(['error:false']);
  });

  it('recognises placeholders, not svclint\'s own words', () => {
    expect(placeholderIn({ messageId: 'x', data: { found: 'a string `"${PORT:-80}"`' } })).toBe('${PORT:-80}');
    expect(placeholderIn({ messageId: 'x', data: { found: 'a string `"PORT"`' } })).toBe('PORT');
    expect(placeholderIn({ messageId: 'x', data: { found: 'a string `"HTTP"`' } })).toBeUndefined();
    expect(placeholderIn({ messageId: 'x', data: { hint: '`<pod-hostname>.web`' } })).toBeUndefined();
    // In the value as written: a double-underscore token, an angle-bracketed blank of any case, a documentation address inside a name.
    const at = (value: string) => placeholderIn({ messageId: 'x', path: ['spec', 'host'], object: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', name: 'a', namespace: 'b', body: { spec: { host: value } } } as unknown as K8sObject });
    expect(at('__INGRESS_HOST__')).toBe('__INGRESS_HOST__');
    expect(at('registry.<your domain>')).toBe('<your domain>');
    expect(at('whatever.A.B.C.D.nip.io')).toBe('A.B.C.D');
    expect(at('app.x.x.x.x.nip.io')).toBe('x.x.x.x');
    expect(at('shop.example.com')).toBeUndefined();
    expect(at('a.b.c.d.example.com')).toBeUndefined(); // lowercase labels are names
    // Istio's enums are upper case: a finding at `mode: DISABLE` is about a real value.
    for (const value of ['DISABLE', 'ISTIO_MUTUAL', 'STRICT', 'MESH_EXTERNAL']) expect(at(value)).toBeUndefined();
    expect(at('MY_MODE')).toBe('MY_MODE');
  });

  it('suggests a name only when it is genuinely close', () => {
    expect(genuinelyClose('backnd', 'backend')).toBe(true);
    expect(genuinelyClose('api', 'app')).toBe(false);
    expect(genuinelyClose('redis-1', 'redis-0')).toBe(false);
    expect(genuinelyClose('my-service-1', 'my-service')).toBe(false);
  });
});

describe('fingerprints', () => {
  it('ignore line numbers and the size of the run, and tell findings apart', () => {
    const a = lintText(ROUTE).findings.find((f) => f.ruleId === 'route-backend-unknown')!;
    const b = lintText(`# a comment that moves every line\n${ROUTE}`).findings.find((f) => f.ruleId === 'route-backend-unknown')!;
    expect(b.location!.line).not.toBe(a.location!.line);
    expect(fingerprint(b)).toBe(fingerprint(a));
    const more = { ...a, message: a.message.replace('1 file given', '4701 files given') };
    expect(fingerprint(more)).toBe(fingerprint(a));
    expect(fingerprint({ ...a, path: 'spec.rules[1].backendRefs[0].name' })).not.toBe(fingerprint(a));
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{32}$/);
  });
});
