// tools: control-plane
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { ControlPlane, RUNNING } from './cluster/controlplane.js';

/**
 * svclint doctor from the client's side, against a real kube-apiserver, etcd and
 * kube-controller-manager: scoped runs whose cause sits in another namespace, the client view
 * of a workload, a failed rollout, node taints that lag behind the Ready condition, and the
 * fixes the doctor prints, checked by svclint's own lint and the API server's dry-run.
 */
const cp = new ControlPlane();

type Found = { ruleId: string; messageId: string; message: string; severity: string; remediation?: string; object?: { kind: string; namespace: string; name: string } };

function doctor(args: string[]) {
  const before = cp.requestsBy('doctor');
  const r = cli(['doctor', '--kubeconfig', cp.kubeconfig('doctor'), ...args]);
  const requests = cp.requestsBy('doctor') - before;
  return { ...r, requests, findings: () => (JSON.parse(r.stdout) as { findings: Found[] }).findings };
}

const key = (f: Found) => `${f.ruleId}:${f.object?.namespace}/${f.object?.name}`;
const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const template = (labels: Record<string, string>, container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  metadata: { labels }, spec: { containers: [{ name: 'app', image: 'example/app:1', ...container }], ...extra },
});
const deploy = (namespace: string, name: string, labels: Record<string, string>, container: Record<string, unknown>, replicas = 1, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: { replicas, selector: { matchLabels: labels }, template: template(labels, container, extra) },
});
const service = (namespace: string, name: string, selector: Record<string, string>, ports: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports, ...extra },
});
const policy = (namespace: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const ready = (ip: string) => RUNNING(ip, true, [{ name: 'app', ready: true, restartCount: 0, image: 'example/app:1', imageID: '', state: { running: { startedAt: '2026-11-26T06:00:00Z' } } }]);
const probeFails = (ip: string) => RUNNING(ip, false, [{ name: 'app', ready: false, restartCount: 0, image: 'example/app:2', imageID: '', state: { running: { startedAt: '2026-11-26T06:00:00Z' } } }]);
const READ_ONLY = { apiGroups: ['', 'apps', 'batch', 'discovery.k8s.io', 'networking.k8s.io'], resources: ['*'], verbs: ['get', 'list'] };
const HTTP = [{ name: 'http', containerPort: 8080 }];

async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const LONG_SCHEDULER_MESSAGE = `0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`;

beforeAll(async () => {
  await cp.start();
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-doctor' }, rules: [READ_ONLY] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-doctor' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-doctor' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
  for (const n of ['store', 'front', 'jobs', 'other', 'roll', 'nodes', 'local']) await cp.create(ns(n));
  // node-1 (registered by the harness) reports Ready and room for pods, as its kubelet would.
  const now = new Date().toISOString();
  await cp.api('PATCH', '/api/v1/nodes/node-1/status', { status: { capacity: { pods: '110', cpu: '4', memory: '8Gi' }, allocatable: { pods: '110', cpu: '4', memory: '8Gi' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] } }, 'application/merge-patch+json');
  // Healthy cluster DNS.
  const corefile = '.:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n        pods insecure\n        fallthrough in-addr.arpa ip6.arpa\n    }\n    forward . /etc/resolv.conf\n    cache 30\n}\n';
  await cp.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } });
  await cp.create(deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] }));
  await cp.create(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns-tcp' }]));
  await cp.runPods('kube-system', 'k8s-app=kube-dns', 1, ready);

  // store: the Service's namespace, default-deny ingress.
  await cp.create(deploy('store', 'api', { app: 'api' }, { ports: HTTP }, 1));
  await cp.create(service('store', 'api', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('store', 'app=api', 1, ready);
  await cp.create(policy('store', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
  // An ExternalName to a Service that does not exist in a namespace that does; one into a namespace that does not exist.
  await cp.create(service('other', 'present', { app: 'nothing' }, [{ port: 80 }]));
  await cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias', namespace: 'store' }, spec: { type: 'ExternalName', externalName: 'absent.other.svc.cluster.local' } });
  await cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'store' }, spec: { type: 'ExternalName', externalName: 'db.prod.svc.cluster.local' } });

  // front: clients, no Service. web dials store/api; its egress policy admits only store.
  const web = deploy('front', 'web', { app: 'web' }, { env: [{ name: 'API_URL', value: 'http://api.store:80' }, { name: 'DB_HOST', value: 'db.prod.svc.cluster.local' }] }, 2);
  await cp.create(web);
  await cp.runPods('front', 'app=web', 2, ready);
  await cp.create(policy('front', 'egress-store-only', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'store' } } }] }] }));
  // jobs: a StatefulSet and a DaemonSet that dial the api through a mounted ConfigMap and args.
  await cp.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'worker-config', namespace: 'jobs' }, data: { 'config.yaml': 'upstream: http://api.store.svc.cluster.local:80\n' } });
  await cp.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'worker', namespace: 'jobs' }, spec: { serviceName: 'worker', replicas: 1, selector: { matchLabels: { app: 'worker' } }, template: template({ app: 'worker' }, { volumeMounts: [{ name: 'cfg', mountPath: '/etc/worker' }] }, { volumes: [{ name: 'cfg', configMap: { name: 'worker-config' } }] }) } });
  const ds = await cp.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'jobs' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }, { args: ['--server=http://api.store:8080'] }) } });
  // The DaemonSet's pod, as its controller writes it (the controller places none on the harness's node).
  const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: (ds.metadata as { uid: string }).uid, controller: true };
  await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent-node-1', namespace: 'jobs', labels: { app: 'agent' }, ownerReferences: [owner] }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'example/app:1', args: ['--server=http://api.store:8080'] }] } });
  await cp.runPods('jobs', 'app=worker', 1, ready);
  await cp.runPods('jobs', 'app=agent', 1, ready);

  // roll: maxUnavailable 100%, the new pods fail readiness, the deadline passes.
  const d = deploy('roll', 'shopfront', { app: 'shopfront' }, { ports: HTTP }, 2);
  Object.assign(d.spec, { progressDeadlineSeconds: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%', maxSurge: 0 } } });
  await cp.create(d);
  await cp.create(service('roll', 'shopfront', { app: 'shopfront' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('roll', 'app=shopfront', 2, ready);
  await cp.waitSlices('roll', 'shopfront', 2);
  const old = (await cp.pods('roll', 'app=shopfront')).map((p) => (p.metadata as { name: string }).name);
  const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'example/app:2', readinessProbe: { httpGet: { path: '/ready', port: 'http' } } }] } } } };
  expect((await cp.api('PATCH', '/apis/apps/v1/namespaces/roll/deployments/shopfront', patch, 'application/strategic-merge-patch+json')).status).toBeLessThan(300);
  // The kubelet confirms the old pods are gone (no kubelet here: delete them for good).
  await until('the old pods to be deleted', async () => {
    const left = (await cp.pods('roll', 'app=shopfront')).filter((p) => old.includes((p.metadata as { name: string }).name));
    for (const p of left) if ((p.metadata as { deletionTimestamp?: string }).deletionTimestamp) await cp.api('DELETE', `/api/v1/namespaces/roll/pods/${(p.metadata as { name: string }).name}?gracePeriodSeconds=0`);
    return left.length === 0;
  });
  await until('the new pods', async () => (await cp.pods('roll', 'app=shopfront')).length === 2);
  await cp.runPods('roll', 'app=shopfront', 2, probeFails);
  await until('the rollout to pass its deadline', async () => {
    const dep = (await cp.api('GET', '/apis/apps/v1/namespaces/roll/deployments/shopfront')).body as { status?: { conditions?: { type: string; reason?: string }[] } };
    return dep.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') ?? false;
  }, 90_000);

  // nodes: a Ready node that still carries the not-ready taints (the node-lifecycle controller lags).
  await cp.addNode('node-lag');
  const taints = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }];
  expect((await cp.api('PATCH', '/api/v1/nodes/node-lag', { spec: { taints } }, 'application/merge-patch+json')).status).toBeLessThan(300);
  const gated = deploy('nodes', 'gate', { app: 'gate' }, { ports: HTTP }, 1, { readinessGates: [{ conditionType: 'example.com/registered' }], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
  await cp.create(gated);
  await cp.create(service('nodes', 'gate', { app: 'gate' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('nodes', 'app=gate', 1, (ip) => ({
    ...ready(ip),
    conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'ContainersReady', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/registered" does not exist.' }],
  }), 'node-lag');
  // A pod the scheduler cannot place, with a message longer than the 160 characters shown of an event.
  await cp.create(deploy('nodes', 'batch', { app: 'batch' }, { ports: HTTP }));
  await cp.create(service('nodes', 'batch', { app: 'batch' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await until('the batch pod', async () => (await cp.pods('nodes', 'app=batch')).length === 1);
  const [batch] = (await cp.pods('nodes', 'app=batch')).map((p) => (p.metadata as { name: string }).name);
  await cp.api('PATCH', `/api/v1/namespaces/nodes/pods/${batch}/status`, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: LONG_SCHEDULER_MESSAGE }] } }, 'application/merge-patch+json');
  await cp.podEvent('nodes', batch!, 'FailedScheduling', LONG_SCHEDULER_MESSAGE, { component: 'default-scheduler' });

  // local: internalTrafficPolicy Local, the backend on node-1 only; node-2 is Ready and runs nothing yet.
  await cp.addNode('node-2');
  await cp.create(deploy('local', 'near', { app: 'near' }, { ports: HTTP }));
  await cp.create(service('local', 'near', { app: 'near' }, [{ name: 'http', port: 80, targetPort: 'http' }], { internalTrafficPolicy: 'Local' }));
  await cp.runPods('local', 'app=near', 1, ready, 'node-1');
  await cp.waitSlices('local', 'near', 1);
  await cp.waitSlices('store', 'api', 1);
  await cp.waitSlices('kube-system', 'kube-dns', 1);
}, 300_000);

afterAll(async () => {
  await cp.stop();
});

describe('scoped runs see the causes next door', () => {
  it('finds a client in another namespace that the Service namespace\'s policy blocks, and DNS egress blocked at the client', () => {
    const r = doctor(['-n', 'store', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    // Ingress at store's default-deny blocks the web pods in front.
    const blocked = r.findings().filter((f) => f.ruleId === 'network-policy-blocks-service');
    expect(blocked.map(key)).toEqual(expect.arrayContaining([expect.stringMatching(/^network-policy-blocks-service:front\/web-/)]));
    expect(blocked[0]!.message).toContain('ingress to Pod store/api-');
    expect(blocked[0]!.message).toContain('NetworkPolicy `store/default-deny`');
    // front's egress admits only store: its pods' DNS queries to kube-system are blocked.
    const dns = r.findings().filter((f) => f.ruleId === 'network-policy-blocks-dns');
    expect(dns.map((f) => f.object?.namespace)).toContain('front');
    expect(dns.find((f) => f.object?.namespace === 'front')!.message).toContain('NetworkPolicy `front/egress-store-only`');
    // Findings elsewhere that have nothing to do with store stay out.
    expect(r.findings().filter((f) => !['store', 'front', 'jobs', 'kube-system'].includes(f.object?.namespace ?? ''))).toEqual([]);
    // The DaemonSet in jobs dials the api's pod port, not the Service port: that is store's business too.
    expect(r.findings().filter((f) => f.object?.namespace === 'jobs').map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['dns-reference-unknown-service:port']);
  });

  it('finds an ExternalName to a Service that does not exist in another namespace, and one into a namespace that does not exist', () => {
    const r = doctor(['-n', 'store', '--format', 'json']);
    const alias = r.findings().filter((f) => f.object?.name === 'alias');
    expect(alias.map((f) => f.messageId)).toEqual(['externalNameMissing']);
    expect(alias[0]!.remediation).not.toMatch(/ready/);
    const db = r.findings().filter((f) => f.object?.name === 'db');
    expect(db.map((f) => f.messageId)).toEqual(['externalNameNoNamespace']);
    expect(db[0]!.message).toContain('namespace `prod` does not exist');
    // The whole-cluster run says the same.
    expect(doctor(['--format', 'json']).findings().filter((f) => f.object?.name === 'db').map((f) => f.messageId)).toEqual(['externalNameNoNamespace']);
    const chain = doctor(['svc/db', '-n', 'store']);
    expect(chain.stdout).toContain('✘ db.prod.svc.cluster.local names Service prod/db, but namespace prod does not exist');
    expect(chain.stdout).not.toContain('Fix what keeps the selected pods from being ready');
    expect(chain.code).toBe(1);
  });

  it('shows a namespace without a Service whose pods dial Services as a client view', () => {
    const r = doctor(['-n', 'front']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('no Service in namespace');
    expect(r.stdout).toMatch(/^Deployment front\/web: 2 pods, 2 ready/);
    expect(r.stdout).toMatch(/✘ egress to cluster DNS: 53\/UDP blocked at egress by front\/egress-store-only/);
  });

  it('reads with a fixed number of requests, however many namespaces, Services and pods there are', async () => {
    const runs = () => [['-n', 'store', '--format', 'json'], ['svc/api', '-n', 'store'], ['deploy/web', '-n', 'front'], ['-n', 'front']].map((a) => doctor(a).requests);
    const first = runs();
    for (let i = 0; i < 12; i++) {
      await cp.create(ns(`extra-${i}`));
      await cp.create(service(`extra-${i}`, 'svc', { app: 'x' }, [{ port: 80 }]));
      await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: `extra-${i}`, labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'example/app:1', env: [{ name: 'API', value: 'http://api.store' }] }] } });
      await cp.create(policy(`extra-${i}`, 'deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    }
    const second = runs();
    expect(first.every((n) => n > 0)).toBe(true);
    expect(second).toEqual(first);
  }, 120_000);
});

describe('the client view', () => {
  it('follows what a Deployment dials: name, DNS, Service, port, endpoints, NetworkPolicy at both ends', () => {
    const r = doctor(['deploy/web', '-n', 'front']);
    expect(r.code, r.stderr).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/^Deployment front\/web: 2 pods, 2 ready\n/);
    expect(out).toContain('✔ resolver: cluster DNS (dnsPolicy ClusterFirst), search front.svc.cluster.local svc.cluster.local cluster.local, ndots 5');
    expect(out).toMatch(/✘ egress to cluster DNS: 53\/UDP blocked at egress by front\/egress-store-only; 53\/TCP blocked/);
    expect(out).toContain('→ `http://api.store:80` (env `API_URL` of container `app`)');
    expect(out).toContain('✔ name: `api.store` is Service store/api (through the search path)');
    expect(out).toContain('✔ port http 80/TCP → http (8080 on the pods)');
    expect(out).toContain('✔ endpoints: 1 ready');
    expect(out).toMatch(/✘ NetworkPolicy: Pod store\/api-[a-z0-9-]+ :8080\/TCP: blocked at ingress by store\/default-deny/);
    expect(out).toContain('✘ name: `db.prod.svc.cluster.local` names a Service in namespace `prod`, which does not exist');
    // The fix for the blocked connection is printed under it.
    expect(out).toMatch(/fix: Admit the connection where it is blocked; add to `spec.ingress` of NetworkPolicy store\/default-deny/);
    // As a report: the findings on the workload's pods and the Services they dial, and exit 1.
    const json = doctor(['deploy/web', '-n', 'front', '--format', 'json']);
    expect(json.code).toBe(1);
    const rules = new Set(json.findings().map((f) => `${f.ruleId}:${f.object?.namespace}`));
    expect([...rules].sort()).toEqual(['network-policy-blocks-dns:front', 'network-policy-blocks-service:front']);
  });

  it('follows mounted ConfigMaps (sts/), args (ds/) and a single pod (pod/), and shows who dials a workload\'s Services', async () => {
    const sts = doctor(['sts/worker', '-n', 'jobs']);
    expect(sts.stdout).toMatch(/^StatefulSet jobs\/worker: 1 pod, 1 ready/);
    expect(sts.stdout).toContain('→ `http://api.store.svc.cluster.local:80` (ConfigMap key `config.yaml` in ConfigMap worker-config)');
    expect(sts.code).toBe(1);
    const ds = doctor(['ds/agent', '-n', 'jobs']);
    expect(ds.stdout).toContain('→ `http://api.store:8080` (args of container `app`)');
    expect(ds.stdout).toContain('✘ port: 8080 is not a port of Service store/api (it has http 80/TCP)');
    const [pod] = (await cp.pods('front', 'app=web')).map((p) => (p.metadata as { name: string }).name);
    const single = doctor([`pod/${pod}`, '-n', 'front']);
    expect(single.stdout).toMatch(new RegExp(`^Pod front/${pod}: 1 pod, 1 ready`));
    const api = doctor(['deploy/api', '-n', 'store']);
    expect(api.stdout).toContain('Its Services, and who dials them:');
    expect(api.stdout).toMatch(/Service store\/api \(http 80\/TCP\): \d+ known client\(s\)/);
    expect(api.stdout).toMatch(/✘ Deployment front\/web dials `http:\/\/api\.store:80` in env `API_URL` of container `app`: blocked at/);
    expect(doctor(['deploy/nope', '-n', 'store']).code).toBe(2);
    expect(doctor(['cm/nope', '-n', 'store']).stderr).toContain("'cm/nope' is not svc/NAME, deploy/NAME");
  });
});

describe('exit codes follow what is shown', () => {
  it('exits 1 for a chain with ✘ and 0 for a clean one', () => {
    const blocked = doctor(['svc/api', '-n', 'store']);
    expect(blocked.stdout).toMatch(/^ {2}✘ NetworkPolicy: blocks a known client$/m);
    expect(blocked.code).toBe(1);
    const clean = doctor(['svc/near', '-n', 'local']);
    expect(clean.stdout).not.toContain('✘');
    expect(clean.code).toBe(0);
  });
});

describe('rollouts, nodes and internalTrafficPolicy', () => {
  it('names a failed rollout whose old pods were scaled away, with kubectl rollout undo', () => {
    const r = doctor(['-n', 'roll', '--format', 'json']);
    const f = r.findings().find((x) => x.object?.name === 'shopfront' && x.ruleId === 'service-no-ready-endpoints')!;
    expect(f.message).toMatch(/the rollout of Deployment roll\/shopfront to revision 2 failed: its new pods did not become available within progressDeadlineSeconds 3 \(Progressing is False: ProgressDeadlineExceeded/);
    expect(f.message).toMatch(/the pods of revision 1 \(ReplicaSet `shopfront-[a-z0-9]+`\) were scaled away \(maxUnavailable `100%`/);
    expect(f.remediation).toContain('kubectl rollout undo deployment/shopfront -n roll --to-revision=1');
    const chain = doctor(['svc/shopfront', '-n', 'roll']);
    expect(chain.stdout).toMatch(/✘ the rollout of Deployment roll\/shopfront to revision 2 failed/);
    expect(chain.stdout).toContain('fix: kubectl rollout undo deployment/shopfront -n roll');
    expect(chain.code).toBe(1);
    expect(doctor(['deploy/shopfront', '-n', 'roll']).stdout).toContain('fix: kubectl rollout undo deployment/shopfront -n roll');
  });

  it('trusts the Ready condition over a lagging not-ready taint and keeps the pod\'s real reason', () => {
    const gate = doctor(['-n', 'nodes', '--format', 'json']).findings().find((f) => f.object?.name === 'gate')!;
    expect(gate.message).toContain('ReadinessGatesNotReady: corresponding condition of pod readiness gate "example.com/registered" does not exist.');
    expect(gate.message).not.toContain('node-lag');
    const chain = doctor(['svc/gate', '-n', 'nodes']).stdout;
    expect(chain).not.toMatch(/✘ node/);
    expect(chain).not.toMatch(/not-ready`? and `?node\.kubernetes\.io\/not-ready/);
  });

  it('prints the scheduler\'s message once, however long', () => {
    const batch = doctor(['-n', 'nodes', '--format', 'json']).findings().find((f) => f.object?.name === 'batch')!;
    expect(batch.message).toContain(`it is not scheduled (${LONG_SCHEDULER_MESSAGE})`);
    expect(batch.message).not.toContain('event FailedScheduling');
  });

  it('makes internalTrafficPolicy: Local information until a known client runs on the node without a backend', async () => {
    const before = doctor(['-n', 'local', '--format', 'json']).findings().filter((f) => f.ruleId === 'internal-traffic-local-partial');
    expect(before.map((f) => `${f.messageId}:${f.severity}`)).toEqual(['liveNodes:info']);
    expect(doctor(['-n', 'local', '--format', 'json']).code).toBe(0);
    await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'caller', namespace: 'local', labels: { app: 'caller' } }, spec: { nodeName: 'node-2', containers: [{ name: 'app', image: 'example/app:1', env: [{ name: 'NEAR', value: 'http://near:80' }] }] } });
    await cp.api('PATCH', '/api/v1/namespaces/local/pods/caller/status', { status: { podIP: '10.244.9.9', podIPs: [{ ip: '10.244.9.9' }], ...ready('10.244.9.9') } }, 'application/merge-patch+json');
    const after = doctor(['-n', 'local', '--format', 'json']);
    expect(after.findings().filter((f) => f.ruleId === 'internal-traffic-local-partial').map((f) => `${f.messageId}:${f.severity}`)).toEqual(['liveClients:warning']);
  });
});

/** `add to `spec.ingress` of NetworkPolicy ns/name …:\n<yaml>`: each part of a fix, with its rules. */
function snippets(remediation: string): { direction: 'ingress' | 'egress'; namespace: string; name: string; rules: Record<string, unknown>[] }[] {
  const out: ReturnType<typeof snippets> = [];
  const re = /add to `spec\.(ingress|egress)` of (?:the cluster DNS pods' )?NetworkPolicy ([a-z0-9-]+)\/([a-z0-9-]+)[^\n]*:\n((?:[ -].*(?:\n|$))+)/g;
  for (const m of remediation.matchAll(re)) out.push({ direction: m[1] as 'ingress' | 'egress', namespace: m[2]!, name: m[3]!, rules: parse(m[4]!, { uniqueKeys: true }) as Record<string, unknown>[] });
  return out;
}

describe('every fix snippet the doctor prints', () => {
  it('passes svclint\'s own lint and the API server\'s dry-run, and admits the connection once applied', async () => {
    const all = doctor(['--format', 'json']).findings();
    const fixes = all.filter((f) => f.ruleId.startsWith('network-policy-') && f.remediation?.includes('NetworkPolicy'));
    expect(fixes.length).toBeGreaterThanOrEqual(3);
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-fix-'));
    let checked = 0;
    for (const f of fixes) {
      const parts = snippets(f.remediation!);
      expect(parts.length, f.remediation).toBeGreaterThan(0);
      for (const p of parts) {
        const live = (await cp.api('GET', `/apis/networking.k8s.io/v1/namespaces/${p.namespace}/networkpolicies/${p.name}`)).body as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
        const spec = { ...live.spec, [p.direction]: [...((live.spec[p.direction] as unknown[]) ?? []), ...p.rules] };
        const fixed = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace, resourceVersion: live.metadata.resourceVersion }, spec };
        const file = path.join(dir, `${p.namespace}-${p.name}-${checked}.yaml`);
        writeFileSync(file, stringify(fixed));
        const lint = cli([file, '--format', 'json']);
        expect(lint.code, `${lint.stdout}${lint.stderr}`).toBe(0);
        const dry = await cp.api('PUT', `/apis/networking.k8s.io/v1/namespaces/${p.namespace}/networkpolicies/${p.name}?dryRun=All&fieldValidation=Strict`, fixed);
        expect(dry.status, JSON.stringify(dry.body).slice(0, 400)).toBe(200);
        checked++;
      }
    }
    // Apply the fixes for the web client for real: the doctor then admits it.
    for (const f of fixes.filter((x) => x.object?.namespace === 'front')) {
      for (const p of snippets(f.remediation!)) {
        const live = (await cp.api('GET', `/apis/networking.k8s.io/v1/namespaces/${p.namespace}/networkpolicies/${p.name}`)).body as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
        const spec = { ...live.spec, [p.direction]: [...((live.spec[p.direction] as unknown[]) ?? []), ...p.rules] };
        const put = await cp.api('PUT', `/apis/networking.k8s.io/v1/namespaces/${p.namespace}/networkpolicies/${p.name}`, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: live.metadata, spec });
        expect(put.status).toBe(200);
      }
    }
    const after = doctor(['deploy/web', '-n', 'front']);
    expect(after.stdout).toMatch(/✔ egress to cluster DNS: 53\/UDP admitted; 53\/TCP admitted/);
    expect(after.stdout).toMatch(/✔ NetworkPolicy: Pod store\/api-[a-z0-9-]+ :8080\/TCP: admitted/);
    expect(checked).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
