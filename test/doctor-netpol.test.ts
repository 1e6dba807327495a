// tools: control-plane
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { ControlPlane, RUNNING, type User } from './cluster/controlplane.js';

/**
 * svclint doctor reads NetworkPolicies and Namespaces from a real kube-apiserver and judges
 * the connections its pods make with the same rules as for manifests.
 */
const cp = new ControlPlane({ controllerManager: false });

function doctor(args: string[], user: User = 'doctor') {
  const r = cli(['doctor', '--kubeconfig', cp.kubeconfig(user), '--format', 'json', ...args]);
  return { ...r, findings: (JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; object?: { namespace: string; name: string } }[] }).findings };
}

const pod = (namespace: string, name: string, labels: Record<string, string>, container: Record<string, unknown>) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'example/app:1', ...container }] },
});

beforeAll(async () => {
  await cp.start();
  const rules = [{ apiGroups: ['', 'apps', 'batch', 'discovery.k8s.io', 'networking.k8s.io'], resources: ['*'], verbs: ['get', 'list'] }];
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-doctor' }, rules });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-doctor' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-doctor' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
  for (const [name, labels] of [['shop', { team: 'shop' }], ['backend', {}]] as const) await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  // A doctor that may list everything it reads except Namespaces: only their name labels are known.
  const noNamespaces = [{ apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'replicationcontrollers'], verbs: ['get', 'list'] }, { ...rules[0]!, apiGroups: ['apps', 'batch', 'discovery.k8s.io', 'networking.k8s.io'] }];
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-no-namespaces' }, rules: noNamespaces });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-no-namespaces' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-no-namespaces' }, subjects: [{ kind: 'User', name: 'nopods', apiGroup: 'rbac.authorization.k8s.io' }] });
  await cp.create(pod('shop', 'web', { app: 'web' }, { env: [{ name: 'API_URL', value: 'http://api.backend:80' }] }));
  await cp.create(pod('backend', 'api', { app: 'api' }, { ports: [{ name: 'http', containerPort: 8080 }] }));
  await cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'backend' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] } });
  for (const [ns, name, ip] of [['shop', 'web', '10.244.0.5'], ['backend', 'api', '10.244.0.6']]) {
    await cp.api('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, { status: { podIP: ip, podIPs: [{ ip }], ...RUNNING(ip, true) } }, 'application/merge-patch+json');
  }
  const np = await cp.api('POST', '/apis/networking.k8s.io/v1/namespaces/backend/networkpolicies', {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'from-frontend', namespace: 'backend' },
    spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'frontend' } } }], ports: [{ port: 'http' }] }] },
  });
  expect(np.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await cp.stop();
});

describe('svclint doctor with NetworkPolicy', () => {
  it('reports a live connection no policy admits, reading the namespaces\' labels', async () => {
    const r = doctor([]);
    const blocked = r.findings.filter((f) => f.ruleId === 'network-policy-blocks-service');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.object).toMatchObject({ namespace: 'shop', name: 'web' });
    expect(blocked[0]!.message).toContain('Pod backend/api :8080/TCP');
    expect(blocked[0]!.message).toContain('NetworkPolicy `backend/from-frontend`');
    // The chain view of the Service (read cluster-wide, where its clients are) shows the policy link.
    const chain = cli(['doctor', 'svc/api', '-n', 'backend', '-A', '--kubeconfig', cp.kubeconfig('doctor')]).stdout;
    expect(chain).toMatch(/^  ✘ NetworkPolicy: blocks a known client$/m);
    expect(chain).toMatch(/^      Pod shop\/web → Pod backend\/api :8080\/TCP: blocked/m);
    // Scoped to the Service's namespace, the client next door is still seen, and the view exits 1.
    const scoped = cli(['doctor', 'svc/api', '-n', 'backend', '--kubeconfig', cp.kubeconfig('doctor')]);
    expect(scoped.stdout).toMatch(/^  ✘ NetworkPolicy: blocks a known client$/m);
    expect(scoped.code).toBe(1);
    // The shop namespace gets the label the policy asks for: now the connection is admitted.
    await cp.api('PATCH', '/api/v1/namespaces/shop', { metadata: { labels: { team: 'frontend' } } }, 'application/merge-patch+json');
    expect(doctor([]).findings.filter((f) => f.ruleId.startsWith('network-policy-'))).toEqual([]);
    expect(cli(['doctor', 'svc/api', '-n', 'backend', '-A', '--kubeconfig', cp.kubeconfig('doctor')]).stdout).toMatch(/^  ✔ NetworkPolicy: admits every known client$/m);
  });

  it('says it cannot tell when the credentials may not list Namespaces', () => {
    const r = doctor([], 'nopods');
    const f = r.findings.filter((x) => x.ruleId === 'network-policy-blocks-service');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^cannot tell whether NetworkPolicy admits Pod shop\/web .*the labels of namespace shop \(no Namespace object in the input\)/);
  });
});
