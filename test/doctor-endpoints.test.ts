// tools: control-plane, apiserver-1.20
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers.js';
import { ControlPlane, RUNNING } from './cluster/controlplane.js';

/**
 * The v1 Endpoints fallback needs a cluster that serves no discovery.k8s.io/v1
 * EndpointSlices: kube-apiserver 1.20, built from Debian's kubernetes source package by
 * scripts/apiserver-1.20.sh. No controller runs here: the test writes the Endpoints.
 */
// What scripts/apiserver-1.20.sh needs from the system (it installs nothing): without it
// this file is skipped with one line, except in CI, where it must run.
const lacks = ['go', 'make', 'rsync', 'dpkg-source', 'apt-get'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (lacks.length) {
  if (process.env.CI) throw new Error(`the v1 Endpoints test needs ${lacks.join(', ')} to build kube-apiserver 1.20, and CI must run it`);
  console.warn(`skipping the v1 Endpoints test: this system lacks ${lacks.join(', ')} (needed to build kube-apiserver 1.20)`);
}

describe.skipIf(lacks.length > 0)('svclint doctor on a cluster without EndpointSlices v1', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'apiserver-1.20.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    expect(r.status).toBe(0);
    cp = new ControlPlane({ apiserver: r.stdout.trim(), controllerManager: false });
    await cp.start();
    await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    // No controller-manager here, so no aggregated `view` role: a read-only role of our own.
    await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-doctor' }, rules: [{ apiGroups: ['', 'apps', 'batch', 'discovery.k8s.io', 'networking.k8s.io'], resources: ['*'], verbs: ['get', 'list'] }] });
    await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-doctor' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-doctor' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
    await cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-0', namespace: 'shop', labels: { app: 'api' } }, spec: { nodeName: 'node-1', containers: [{ name: 'api', image: 'example/api:1', ports: [{ containerPort: 8080 }] }] } });
    await cp.api('PATCH', '/api/v1/namespaces/shop/pods/api-0/status', { status: RUNNING('10.244.0.5', false, [{ name: 'api', ready: false, restartCount: 3, image: 'example/api:1', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } } }]) }, 'application/merge-patch+json');
    await cp.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'api', namespace: 'shop' }, subsets: [{ notReadyAddresses: [{ ip: '10.244.0.5' }], ports: [{ name: 'http', port: 8080 }] }] });
  }, 600_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('reads v1 Endpoints instead, says so, and explains the empty Service', () => {
    const r = cli(['doctor', '--kubeconfig', cp.kubeconfig('doctor'), '-n', 'shop', '--format', 'json']);
    expect(r.stderr).toContain('serves no discovery.k8s.io/v1 EndpointSlices; reading v1 Endpoints instead');
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; message: string; object?: { name: string } }[];
    const f = findings.find((x) => x.ruleId === 'service-no-ready-endpoints')!;
    expect(f.object?.name).toBe('api');
    expect(f.message).toContain('container `api` is waiting: CrashLoopBackOff');
    const chain = cli(['doctor', '--kubeconfig', cp.kubeconfig('doctor'), 'svc/api', '-n', 'shop']);
    expect(chain.stdout).toMatch(/✘ Endpoints \(v1\): 1 object, 0 ready, 1 not ready/);
  });
});
