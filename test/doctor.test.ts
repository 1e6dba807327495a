import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { ControlPlane, RUNNING, type User } from './cluster/controlplane.js';

/**
 * svclint doctor against a real kube-apiserver, etcd and kube-controller-manager. The
 * test plays the kubelet (binds pods, writes their status); the real EndpointSlice
 * controller publishes slices from it.
 */
const cp = new ControlPlane();

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const deploy = (namespace: string, name: string, labels: Record<string, string>, ports: Record<string, unknown>[], replicas = 1) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'example/app:1', ports }] } } },
});
const service = (namespace: string, name: string, selector: Record<string, string> | undefined, ports: Record<string, unknown>[]) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ...(selector ? { selector } : {}), ports },
});
const ready = (ip: string) => RUNNING(ip, true, [{ name: 'app', ready: true, restartCount: 0, image: 'example/app:1', imageID: '', state: { running: { startedAt: '2026-11-26T06:00:00Z' } } }]);
const crashing = (ip: string) => RUNNING(ip, false, [{ name: 'app', ready: false, restartCount: 5, image: 'example/app:1', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 2, startedAt: '2026-11-26T06:00:00Z', finishedAt: '2026-11-26T06:00:01Z' } } }]);

function doctor(args: string[], user: User = 'doctor') {
  const r = cli(['doctor', '--kubeconfig', cp.kubeconfig(user), ...args]);
  return { ...r, json: () => JSON.parse(r.stdout) as { findings: { ruleId: string; messageId: string; message: string; object?: { namespace: string; name: string } }[] } };
}

const READ_ONLY = { apiGroups: ['', 'apps', 'batch', 'discovery.k8s.io', 'networking.k8s.io', 'gateway.networking.k8s.io', 'argoproj.io'], resources: ['*'], verbs: ['get', 'list'] };

beforeAll(async () => {
  await cp.start();
  for (const n of ['shop', 'data', 'kube-system-test']) await cp.create(ns(n));
  // RBAC: a cluster-wide read-only doctor, a namespaced one, one that may not list pods.
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-doctor' }, rules: [READ_ONLY] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-doctor' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-doctor' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'svclint-doctor', namespace: 'shop' }, rules: [READ_ONLY] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'svclint-doctor', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'svclint-doctor' }, subjects: [{ kind: 'User', name: 'nsdoctor', apiGroup: 'rbac.authorization.k8s.io' }] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-nopods' }, rules: [{ ...READ_ONLY, resources: ['services', 'endpoints', 'endpointslices', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'ingresses', 'replicationcontrollers', 'configmaps'] }] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-nopods' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-nopods' }, subjects: [{ kind: 'User', name: 'nopods', apiGroup: 'rbac.authorization.k8s.io' }] });

  // healthy: web
  await cp.create(deploy('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }], 2));
  await cp.create(service('shop', 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('shop', 'app=web', 2, ready);
  // selector typo: front
  await cp.create(deploy('shop', 'frontend', { app: 'frontend' }, [{ name: 'http', containerPort: 8080 }]));
  await cp.create(service('shop', 'front', { app: 'fronted' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('shop', 'app=frontend', 1, ready);
  // CrashLoopBackOff: orders
  await cp.create(deploy('shop', 'orders', { app: 'orders' }, [{ name: 'http', containerPort: 9000 }], 2));
  await cp.create(service('shop', 'orders', { app: 'orders' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('shop', 'app=orders', 2, crashing);
  // named port on one of two Deployments: cart
  await cp.create(deploy('shop', 'cart', { app: 'cart', track: 'stable' }, [{ name: 'http', containerPort: 7070 }]));
  await cp.create(deploy('shop', 'cart-canary', { app: 'cart', track: 'canary' }, [{ name: 'web', containerPort: 7070 }]));
  await cp.create(service('shop', 'cart', { app: 'cart' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('shop', 'app=cart', 2, ready);
  // protocol mismatch: dns
  await cp.create(deploy('shop', 'resolver', { app: 'resolver' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]));
  await cp.create(service('shop', 'resolver', { app: 'resolver' }, [{ name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns' }]));
  await cp.runPods('shop', 'app=resolver', 1, ready);
  // selectorless with and without hand-made slices
  await cp.create(service('data', 'legacy-db', undefined, [{ name: 'postgres', port: 5432 }]));
  await cp.create(service('data', 'warehouse', undefined, [{ name: 'postgres', port: 5432 }]));
  await cp.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'warehouse-1', namespace: 'data', labels: { 'kubernetes.io/service-name': 'warehouse' } }, addressType: 'IPv4', ports: [{ name: 'postgres', port: 5432 }], endpoints: [{ addresses: ['10.1.2.3'] }] });
  // scaled to zero
  await cp.create(deploy('shop', 'reports', { app: 'reports' }, [{ containerPort: 8080 }], 0));
  await cp.create(service('shop', 'reports', { app: 'reports' }, [{ port: 80, targetPort: 8080 }]));
  // ExternalName
  await cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'payments.example.com' } });
  // unhealthy cluster DNS
  await cp.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n    forward . /etc/resolv.conf\n}\n' } });
  await cp.create(deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }]));
  await cp.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: "nftables"\n' } });
  await cp.create(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns-tcp' }]));
  await cp.runPods('kube-system', 'k8s-app=kube-dns', 1, crashing);

  // readiness probe failing: search
  await cp.create(deploy('shop', 'search', { app: 'search' }, [{ containerPort: 9200 }]));
  await cp.create(service('shop', 'search', { app: 'search' }, [{ port: 9200 }]));
  await cp.runPods('shop', 'app=search', 1, (ip) => RUNNING(ip, false, [{ name: 'app', ready: false, restartCount: 0, image: 'example/app:1', imageID: '', state: { running: { startedAt: '2026-11-26T06:00:00Z' } } }]));
  // terminating: the only pod of `jobs` is being deleted (a finalizer holds it)
  await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'worker', namespace: 'shop', labels: { app: 'jobs' }, finalizers: ['example.com/hold'] }, spec: { containers: [{ name: 'app', image: 'example/app:1', ports: [{ containerPort: 8080 }] }] } });
  await cp.create(service('shop', 'jobs', { app: 'jobs' }, [{ port: 80, targetPort: 8080 }]));
  await cp.runPods('shop', 'app=jobs', 1, ready);
  await cp.waitSlices('shop', 'jobs', 1);
  await cp.api('DELETE', '/api/v1/namespaces/shop/pods/worker');
  // headless StatefulSet, healthy
  await cp.create({ ...service('data', 'cache', { app: 'cache' }, []), spec: { clusterIP: 'None', selector: { app: 'cache' }, ports: [{ name: 'redis', port: 6379 }] } });
  await cp.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache', namespace: 'data' }, spec: { serviceName: 'cache', replicas: 1, selector: { matchLabels: { app: 'cache' } }, template: { metadata: { labels: { app: 'cache' } }, spec: { containers: [{ name: 'app', image: 'redis:7.4', ports: [{ name: 'redis', containerPort: 6379 }] }] } } } });
  await cp.runPods('data', 'app=cache', 1, ready);
  // a StatefulSet whose governing Service is not headless
  await cp.create(service('data', 'queue', { app: 'queue' }, [{ name: 'amqp', port: 5672 }]));
  await cp.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'queue', namespace: 'data' }, spec: { serviceName: 'queue', replicas: 1, selector: { matchLabels: { app: 'queue' } }, template: { metadata: { labels: { app: 'queue' } }, spec: { containers: [{ name: 'app', image: 'rabbitmq:4', ports: [{ name: 'amqp', containerPort: 5672 }] }] } } } });
  await cp.runPods('data', 'app=queue', 1, ready);

  await cp.waitSlices('shop', 'web', 2);
  await cp.waitSlices('data', 'cache', 1);
  await cp.waitSlices('shop', 'orders', 0, 2);
  // The canary pod has no `http` port: the controller still lists it, in a slice without ports.
  await cp.waitSlices('shop', 'cart', 2);
}, 240_000);

afterAll(async () => {
  await cp.stop();
});

describe('svclint doctor, whole cluster', () => {
  it('explains every broken Service and leaves the healthy ones alone', () => {
    const r = doctor(['--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const found = r.json().findings.map((f) => `${f.ruleId}:${f.object?.namespace}/${f.object?.name}`);
    expect(found).toEqual(expect.arrayContaining([
      'selector-no-match:shop/front',
      'service-no-ready-endpoints:shop/orders',
      'target-port-unresolved:shop/cart',
      'target-port-unresolved:shop/resolver',
      'manual-endpoints-missing:data/legacy-db',
      'selector-no-match:shop/reports',
      'cluster-dns-unhealthy:kube-system/kube-dns',
      'statefulset-service-invalid:data/queue',
    ]));
    expect(found.filter((f) => /shop\/web$|data\/warehouse$|shop\/payments$|data\/cache$/.test(f))).toEqual([]);
    const probe = r.json().findings.find((f) => f.ruleId === 'service-no-ready-endpoints' && f.object?.name === 'search')!;
    expect(probe.message).toContain('container `app` is running but not ready (its readiness probe fails)');
    const gone = r.json().findings.find((f) => f.ruleId === 'service-no-ready-endpoints' && f.object?.name === 'jobs')!;
    expect(gone.message).toContain('it is terminating');
    const crash = r.json().findings.find((f) => f.ruleId === 'service-no-ready-endpoints' && f.object?.name === 'orders')!;
    expect(crash.message).toMatch(/container `app` is waiting: CrashLoopBackOff \(last exit: Error, code 2\)/);
    const zero = r.json().findings.find((f) => f.object?.name === 'reports')!;
    expect(zero).toMatchObject({ messageId: 'liveScaledToZero' });
    expect(zero.message).toContain('Deployment shop/reports, which is scaled to 0 replicas');
    const typo = r.json().findings.find((f) => f.object?.name === 'front')!;
    expect(typo.message).toContain('`app: frontend`');
  });

  it('shows one Service link by link', () => {
    const r = doctor(['svc/orders', '-n', 'shop']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Service shop\/orders \(ClusterIP 10\.96\.\d+\.\d+; http 80\/TCP → http\)/);
    expect(r.stdout).toContain('✔ selector app=orders matches 2 pod(s) in shop');
    expect(r.stdout).toContain('✘ readiness: 0 of 2 pod(s) ready');
    expect(r.stdout).toContain('✔ port http: targetPort http resolves to 9000 on 2 of 2 pod(s)');
    expect(r.stdout).toMatch(/✘ EndpointSlices: 1 object\(s\), 0 ready, 2 not ready/);
    expect(r.stdout).toMatch(/✘ DNS: orders\.shop\.svc\.cluster\.local — no cluster DNS pod/);
    expect(r.stdout).toContain('• kube-proxy mode: nftables');
    const healthy = doctor(['svc/web', '-n', 'shop']);
    expect(healthy.stdout).toMatch(/✔ route 10\.96\.\d+\.\d+:80\/TCP → 10\.244\.\d+\.\d+:8080, 10\.244\.\d+\.\d+:8080/);
  });

  it('filters Services by label and namespace', () => {
    const r = doctor(['-n', 'data', '--format', 'json']);
    const findings = r.json().findings;
    const names = findings.filter((f) => f.ruleId !== 'cluster-dns-unhealthy').map((f) => `${f.ruleId}:${f.object?.name}`).sort();
    expect(names, JSON.stringify(findings.map((f) => f.message))).toEqual(['manual-endpoints-missing:legacy-db', 'statefulset-service-invalid:queue']);
    expect(findings.some((f) => f.ruleId === 'cluster-dns-unhealthy')).toBe(true);
    const labelled = doctor(['-l', 'nothing=here', '--format', 'json']);
    expect(labelled.json().findings).toEqual([]);
  });

  it('reads with a fixed number of requests, however many Services there are', async () => {
    const before = cp.requestsBy('doctor');
    doctor(['-n', 'data', '--format', 'json']);
    const first = cp.requestsBy('doctor') - before;
    for (let i = 0; i < 30; i++) await cp.create(service('data', `extra-${i}`, undefined, [{ port: 80 }]));
    const mid = cp.requestsBy('doctor');
    doctor(['-n', 'data', '--format', 'json']);
    const second = cp.requestsBy('doctor') - mid;
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(first);
  });
});

describe('svclint doctor -f: local manifests over the live state', () => {
  it('predicts what applying them would break', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'svclint-overlay-'));
    writeFileSync(path.join(d, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: wbe}\n  ports: [{name: http, port: 80, targetPort: http}]\n');
    const typo = doctor(['-n', 'shop', '-f', path.join(d, 'svc.yaml'), '--format', 'json']).json();
    const f = typo.findings.find((x) => x.object?.name === 'web' && x.ruleId === 'selector-no-match') as { location?: { file: string; line: number } } | undefined;
    expect(f?.location).toMatchObject({ line: 5 });
    expect(f?.location?.file).toMatch(/svc\.yaml$/);
    // A Deployment change that renames the port the live Service targets.
    writeFileSync(path.join(d, 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: example/app:2, ports: [{name: www, containerPort: 8080}]}]\n');
    const renamed = doctor(['-n', 'shop', '-f', path.join(d, 'deploy.yaml'), '--format', 'json']).json();
    expect(renamed.findings.map((x) => `${x.ruleId}:${x.object?.name}`)).toContain('target-port-unresolved:web');
    // Without the overlay the live Service is fine.
    expect(doctor(['-n', 'shop', '--format', 'json']).json().findings.filter((x) => x.object?.name === 'web')).toEqual([]);
  });
});

describe('paged lists', () => {
  it('start again when the continue token expires between pages', async () => {
    const { ClusterReader, RESOURCES, loadKubeConfig } = await import('../src/doctor/cluster.js');
    const kc = await loadKubeConfig({ kubeconfig: cp.kubeconfig('admin') });
    const reader = new ClusterReader(kc, 10_000);
    let waited = false;
    reader.onPage = async () => {
      if (waited) return;
      waited = true;
      // Change the data and let the API server compact etcd (every second here): the token expires.
      for (let i = 0; i < 3; i++) await cp.create(service('data', `churn-${i}`, undefined, [{ port: 80 }]));
      await new Promise((r) => setTimeout(r, 3500));
    };
    const services = await reader.list(RESOURCES.find((r) => r.kind === 'Service')!, undefined, 2);
    expect(reader.restarts).toBe(1);
    const names = services.map((s) => (s.metadata as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['churn-0', 'churn-2', 'web', 'kube-dns']));
    expect(new Set(names).size).toBe(names.length);
  }, 60_000);
});

describe('svclint doctor, limited credentials and faults', () => {
  it('works with a namespaced Role and names what it could not read', () => {
    const r = doctor(['-n', 'shop', '--format', 'json'], 'nsdoctor');
    expect(r.json().findings.some((f) => f.object?.name === 'orders')).toBe(true);
    const all = doctor(['--format', 'json'], 'nsdoctor');
    expect(all.stderr).toMatch(/^svclint: no Service could be read \(forbidden \(403\)/);
    expect(all.code).toBe(2);
  });

  it('keeps going without list pods, and says which checks did not run', () => {
    const r = doctor(['-n', 'shop', '--format', 'json'], 'nopods');
    expect(r.stderr).toMatch(/could not read Pod in namespace shop: forbidden \(403\).*; skipped the checks that need it: .*selector-no-match/);
    // Unreadable pods are not missing pods: no finding may rest on them.
    expect(r.json().findings.filter((f) => ['selector-no-match', 'service-no-ready-endpoints', 'target-port-unresolved'].includes(f.ruleId))).toEqual([]);
    expect(r.code).toBeLessThan(2);
  });

  it('fails with one line when the credentials are wrong or the server is unreachable', () => {
    const bad = cli(['doctor', '--kubeconfig', cp.kubeconfig('doctor').replace('doctor.kubeconfig', 'nope.kubeconfig')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 within the request timeout when the API server stops answering', () => {
    cp.freezeApiServer(true);
    try {
      const t = Date.now();
      const r = doctor(['--request-timeout', '2s', '--format', 'json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^svclint: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(no answer within 2000 ms\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(Date.now() - t).toBeLessThan(8_000);
    } finally {
      cp.freezeApiServer(false);
    }
  });

  it('stops with one clear error when the API server goes away between two pages', async () => {
    const { loadKubeConfig, readCluster } = await import('../src/doctor/cluster.js');
    const kc = await loadKubeConfig({ kubeconfig: cp.kubeconfig('doctor') });
    let pages = 0;
    const read = readCluster(kc, {
      requestTimeoutMs: 3000,
      pageSize: 2,
      onPage: async () => {
        if (++pages === 1) cp.stopApiServer();
      },
    });
    const err = await read.then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/^cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(/);
    expect(err?.message).toMatch(/check the kubeconfig context and that the cluster is running$/);
    expect(pages).toBe(1);
  });

  it('exits 2 within the request timeout when the API server stops', () => {
    cp.stopApiServer();
    const t = Date.now();
    const r = doctor(['--request-timeout', '2s', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^svclint: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED: connection refused\)/);
    expect(Date.now() - t).toBeLessThan(10_000);
  });
});
