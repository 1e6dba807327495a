// tools: control-plane
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const cp = new ControlPlane({ nodeLifecycle: true });

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

/** The pod-template-hash of a Deployment's ReplicaSet of that revision, once the controller made it. */
async function newestHash(namespace: string, name: string, revision: number): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const r = await cp.api('GET', `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=app%3D${name}`);
    const rs = ((r.body.items ?? []) as { metadata: { annotations?: Record<string, string>; labels: Record<string, string> }; status?: { replicas?: number } }[])
      .find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === String(revision) && (x.status?.replicas ?? 0) > 0);
    if (rs) return rs.metadata.labels['pod-template-hash']!;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`no ReplicaSet of revision ${revision} for ${namespace}/${name}`);
}

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
  // kube-proxy crashing on node-1.
  await cp.create(deploy('kube-system', 'kube-proxy', { 'k8s-app': 'kube-proxy' }, []));
  await cp.runPods('kube-system', 'k8s-app=kube-proxy', 1, crashing);

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

  // A node that stops reporting (no kubelet heartbeat): the node-lifecycle controller marks it.
  for (const n of ['ops', 'edge', 'ok']) await cp.create(ns(n));
  await cp.addNode('node-bad', { heartbeat: false });
  const tolerate = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }];
  const ledger = deploy('ops', 'ledger', { app: 'ledger' }, [{ name: 'http', containerPort: 8080 }]);
  (ledger.spec.template.spec as Record<string, unknown>).tolerations = tolerate;
  await cp.create(ledger);
  await cp.create(service('ops', 'ledger', { app: 'ledger' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('ops', 'app=ledger', 1, ready, 'node-bad');
  // A readiness gate no controller has set, with that controller's event.
  const gated = deploy('ops', 'lb', { app: 'lb' }, [{ name: 'http', containerPort: 8080 }]);
  (gated.spec.template.spec as Record<string, unknown>).readinessGates = [{ conditionType: 'example.com/lb-registered' }];
  await cp.create(gated);
  await cp.create(service('ops', 'lb', { app: 'lb' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  const [gatePod] = await cp.runPods('ops', 'app=lb', 1, (ip) => ({
    ...ready(ip),
    conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Initialized', status: 'True' }, { type: 'ContainersReady', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb-registered" does not exist.' }],
  }));
  await cp.podEvent('ops', gatePod!, 'TargetNotRegistered', 'target is not registered with load balancer lb-1: health checks failed', { component: 'example.com/lb-controller' });
  // The kubelet's own words for the failing readiness probe of `search`.
  const [searchPod] = (await cp.pods('shop', 'app=search')).map((p) => (p.metadata as { name: string }).name);
  await cp.podEvent('shop', searchPod!, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503\n', { count: 14 });
  // A pod no node accepts: the scheduler's condition and event, as it writes them.
  await cp.create(deploy('ops', 'batch', { app: 'batch' }, [{ name: 'http', containerPort: 8080 }]));
  await cp.create(service('ops', 'batch', { app: 'batch' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  const unschedulable = '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) didn\'t match Pod\'s node affinity/selector.';
  await until('the batch pod', async () => (await cp.pods('ops', 'app=batch')).length === 1, 30_000);
  const [batchPod] = (await cp.pods('ops', 'app=batch')).map((p) => (p.metadata as { name: string }).name);
  await cp.api('PATCH', `/api/v1/namespaces/ops/pods/${batchPod}/status`, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: unschedulable }] } }, 'application/merge-patch+json');
  await cp.podEvent('ops', batchPod!, 'FailedScheduling', unschedulable, { component: 'default-scheduler' });
  // Rollouts in progress, both ways: revision 2 renames the port `web` to `http`.
  for (const [name, target] of [['api', 'http'], ['pay', 'web']] as const) {
    const d = deploy('ops', name, { app: name }, [{ name: 'web', containerPort: 8080 }], 2);
    Object.assign(d.spec, { minReadySeconds: 3600, progressDeadlineSeconds: 7200, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    await cp.create(d);
    await cp.create(service('ops', name, { app: name }, [{ name: 'http', port: 80, targetPort: target }]));
    await cp.runPods('ops', `app=${name}`, 2, ready);
    const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'example/app:2', ports: [{ name: 'http', containerPort: 8080 }] }] } } } };
    const r = await cp.api('PATCH', `/apis/apps/v1/namespaces/ops/deployments/${name}`, patch, 'application/strategic-merge-patch+json');
    expect(r.status).toBeLessThan(300);
    const hash = await newestHash('ops', name, 2);
    await cp.runPods('ops', `app=${name},pod-template-hash=${hash}`, 1, ready);
  }
  // A selectorless Service whose only slice is FQDN, which kube-proxy ignores.
  await cp.create(service('ops', 'billing', undefined, [{ name: 'https', port: 443 }]));
  await cp.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'billing-1', namespace: 'ops', labels: { 'kubernetes.io/service-name': 'billing' } }, addressType: 'FQDN', ports: [{ name: 'https', port: 443 }], endpoints: [{ addresses: ['billing.example.com'] }] });
  // An ExternalName to a Service of this cluster that does not exist.
  await cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ledger-alias', namespace: 'ops' }, spec: { type: 'ExternalName', externalName: 'ledgers.ops.svc.cluster.local' } });
  // An Ingress to a port the healthy `web` Service does not have.
  await cp.create({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'edge', namespace: 'shop' }, spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'grpc' } } } }] } }] } });
  // A Gateway API HTTPRoute (its CRD, as the Gateway API installs it, reduced to the schema-less minimum) to a port `web` lacks.
  await cp.create({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'httproutes.gateway.networking.k8s.io', annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466' } }, spec: { group: 'gateway.networking.k8s.io', scope: 'Namespaced', names: { kind: 'HTTPRoute', plural: 'httproutes', singular: 'httproute', listKind: 'HTTPRouteList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } });
  const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'storefront', namespace: 'shop' }, spec: { parentRefs: [{ name: 'gateway' }], rules: [{ backendRefs: [{ name: 'web', port: 8443 }] }] } };
  await until('the HTTPRoute CRD to be served', async () => (await cp.api('POST', '/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes', route)).status < 300, 30_000);
  // A Service in `edge` whose pods run only in `shop`.
  await cp.create(service('edge', 'mirror', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  // internalTrafficPolicy: Local with its one backend on node-1.
  await cp.create(deploy('ops', 'near', { app: 'near' }, [{ name: 'http', containerPort: 8080 }]));
  await cp.create({ ...service('ops', 'near', { app: 'near' }, [{ name: 'http', port: 80, targetPort: 'http' }]), spec: { selector: { app: 'near' }, internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  await cp.runPods('ops', 'app=near', 1, ready);
  // Pods the API server refuses to the controllers: Pod Security `restricted` (a Deployment, via its ReplicaSet's
  // ReplicaFailure condition) and a quota of no pods (a StatefulSet, via its FailedCreate event).
  await cp.create({ ...ns('capped'), metadata: { name: 'capped', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
  await cp.create(deploy('capped', 'strict', { app: 'strict' }, [{ name: 'http', containerPort: 8080 }]));
  await cp.create(service('capped', 'strict', { app: 'strict' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.create(ns('quota'));
  await cp.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-pods', namespace: 'quota' }, spec: { hard: { pods: '0' } } });
  // Quota admission reads quotas from its own informer and, while that is empty for a namespace, trusts a cached live
  // lookup for a while (one made as the quota itself was created found none). Until it sees the quota, the StatefulSet
  // controller's pod is admitted and never refused again (CI saw this once): wait until a dry-run pod is refused for
  // the quota before the StatefulSet exists.
  const probe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'quota-probe', namespace: 'quota' }, spec: { containers: [{ name: 'db', image: 'example/db:1' }] } };
  await until('quota admission to see the quota of no pods', async () => {
    const r = await cp.api('POST', '/api/v1/namespaces/quota/pods?dryRun=All', probe);
    return r.status === 403 && /exceeded quota/.test(String(r.body.message ?? ''));
  }, 90_000);
  await cp.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'quota' }, spec: { serviceName: 'db', replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'example/db:1', ports: [{ name: 'pg', containerPort: 5432 }] }] } } } });
  await cp.create({ ...service('quota', 'db', { app: 'db' }, []), spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: 'pg' }] } });
  await until('the ReplicaSet controller to be refused', async () => JSON.stringify((await cp.api('GET', '/apis/apps/v1/namespaces/capped/deployments/strict')).body).includes('FailedCreate'), 120_000);
  // A loaded machine can starve the controller-manager: wait long, nudge the StatefulSet (a new sync) now and then, and
  // say what the cluster shows if the refusal never comes.
  let nudges = 0;
  await until('the StatefulSet controller to be refused', async () => JSON.stringify((await cp.api('GET', '/api/v1/namespaces/quota/events?fieldSelector=reason%3DFailedCreate')).body).includes('forbidden'), 150_000, {
    every: 20_000,
    nudge: async () => { await cp.api('PATCH', '/apis/apps/v1/namespaces/quota/statefulsets/db', { metadata: { annotations: { 'svclint.test/nudge': String(++nudges) } } }, 'application/merge-patch+json'); },
    explain: async () => {
      const set = await cp.api('GET', '/apis/apps/v1/namespaces/quota/statefulsets/db');
      const pods = await cp.api('GET', '/api/v1/namespaces/quota/pods');
      const events = await cp.api('GET', '/api/v1/namespaces/quota/events');
      const quota = await cp.api('GET', '/api/v1/namespaces/quota/resourcequotas/no-pods');
      return JSON.stringify({ status: set.body.status, pods: (pods.body.items as unknown[] | undefined)?.length, events: events.body.items, quota: quota.body.status })
        + '\n' + cp.logTail('kube-controller-manager', 3000);
    },
  });
  // Ready pods whose server is told to listen elsewhere than the Service's targetPort.
  await cp.create({ ...deploy('ops', 'listen', { app: 'listen' }, []), spec: { replicas: 2, selector: { matchLabels: { app: 'listen' } }, template: { metadata: { labels: { app: 'listen' } }, spec: { containers: [{ name: 'app', image: 'example/app:1', args: ['--port=9090'] }] } } } });
  await cp.create(service('ops', 'listen', { app: 'listen' }, [{ name: 'http', port: 80, targetPort: 8080 }]));
  await cp.runPods('ops', 'app=listen', 2, ready);
  // Redis on the default redis.conf, mounted from a ConfigMap: bound to loopback only.
  await cp.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kv-conf', namespace: 'ops' }, data: { 'redis.conf': 'bind 127.0.0.1 -::1\nprotected-mode yes\nport 6379\n' } });
  await cp.create({ ...deploy('ops', 'kv', { app: 'kv' }, []), spec: { replicas: 1, selector: { matchLabels: { app: 'kv' } }, template: { metadata: { labels: { app: 'kv' } }, spec: { containers: [{ name: 'redis', image: 'redis:7.2', command: ['redis-server', '/etc/redis/redis.conf'], volumeMounts: [{ name: 'conf', mountPath: '/etc/redis' }] }], volumes: [{ name: 'conf', configMap: { name: 'kv-conf' } }] } } } });
  await cp.create(service('ops', 'kv', { app: 'kv' }, [{ name: 'redis', port: 6379 }]));
  // Spring Boot told by its mounted application.yml to listen on 8081, behind a Service that targets 8080.
  await cp.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'payroll-config', namespace: 'ops' }, data: { 'application.yml': 'server:\n  port: 8081\n' } });
  await cp.create({ ...deploy('ops', 'payroll', { app: 'payroll' }, []), spec: { replicas: 1, selector: { matchLabels: { app: 'payroll' } }, template: { metadata: { labels: { app: 'payroll' } }, spec: { containers: [{ name: 'payroll', image: 'registry.example.com/payroll:1.0', workingDir: '/app', volumeMounts: [{ name: 'config', mountPath: '/app/config' }] }], volumes: [{ name: 'config', configMap: { name: 'payroll-config' } }] } } } });
  await cp.create(service('ops', 'payroll', { app: 'payroll' }, [{ name: 'http', port: 80, targetPort: 8080 }]));
  await cp.runPods('ops', 'app=kv', 1, ready);
  await cp.runPods('ops', 'app=payroll', 1, ready);
  // A healthy namespace.
  await cp.create(deploy('ok', 'site', { app: 'site' }, [{ name: 'http', containerPort: 8080 }], 2));
  await cp.create(service('ok', 'site', { app: 'site' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  await cp.runPods('ok', 'app=site', 2, ready);
  await cp.create({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'site', namespace: 'ok' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'site', port: { name: 'http' } } } }] } }] } });
  await cp.waitSlices('ok', 'site', 2);
  await cp.waitSlices('shop', 'web', 2);
  await cp.waitSlices('data', 'cache', 1);
  await cp.waitSlices('shop', 'orders', 0, 2);
  // The canary pod has no `http` port: the controller still lists it, in a slice without ports.
  await cp.waitSlices('shop', 'cart', 2);
}, 480_000);

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
    expect(r.stdout).toContain('✔ selector app=orders matches 2 pods in shop');
    expect(r.stdout).toContain('✘ readiness: 0 of 2 pods ready');
    expect(r.stdout).toContain('✔ port http: targetPort http resolves to 9000 on 2 of 2 pods');
    expect(r.stdout).toMatch(/✘ EndpointSlices: 1 object, 0 ready, 2 not ready/);
    expect(r.stdout).toMatch(/✘ DNS: orders\.shop\.svc\.cluster\.local — no cluster DNS pod/);
    expect(r.stdout).toContain('• kube-proxy mode: nftables');
    const healthy = doctor(['svc/web', '-n', 'shop']);
    expect(healthy.stdout).toMatch(/✔ route 10\.96\.\d+\.\d+:80\/TCP → 10\.244\.\d+\.\d+:8080, 10\.244\.\d+\.\d+:8080/);
  });

  it('filters Services by label and namespace', () => {
    const r = doctor(['-n', 'data', '--format', 'json']);
    const findings = r.json().findings;
    // Cluster DNS and kube-proxy are every namespace's concern: kept in a namespace's run.
    const names = findings.filter((f) => f.ruleId !== 'cluster-dns-unhealthy' && f.ruleId !== 'kube-proxy-unhealthy').map((f) => `${f.ruleId}:${f.object?.name}`).sort();
    expect(names, JSON.stringify(findings.map((f) => f.message))).toEqual(['manual-endpoints-missing:legacy-db', 'statefulset-service-invalid:queue']);
    expect(findings.some((f) => f.ruleId === 'cluster-dns-unhealthy')).toBe(true);
    const labelled = doctor(['-l', 'nothing=here', '--format', 'json']);
    expect(labelled.code).toBe(2);
  });

  it('reads with a fixed number of requests, however many Services and pods there are', async () => {
    const before = cp.requestsBy('doctor');
    doctor(['-n', 'data', '--format', 'json']);
    const first = cp.requestsBy('doctor') - before;
    for (let i = 0; i < 100; i++) {
      await cp.create(service('data', `extra-${i}`, undefined, [{ port: 80 }]));
      await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `extra-${i}`, namespace: 'data', labels: { app: `extra-${i}` } }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } });
    }
    const mid = cp.requestsBy('doctor');
    doctor(['-n', 'data', '--format', 'json']);
    const second = cp.requestsBy('doctor') - mid;
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(first);
  }, 120_000);
});

describe('svclint doctor svc/NAME -n NS', () => {
  const requests = (args: string[]) => {
    const before = cp.requestsBy('doctor');
    const r = doctor(args);
    return { code: r.code, stdout: r.stdout, requests: cp.requestsBy('doctor') - before };
  };
  // Healthy; no pod matches the selector (a typo); pods crash (their events are read).
  const targets = [['svc/web', '-n', 'shop'], ['svc/front', '-n', 'shop'], ['svc/orders', '-n', 'shop']];

  it('reads a fixed number of requests, fewer than a run over the namespace, however many Services, pods and namespaces there are', async () => {
    const first = targets.map(requests);
    expect(first.map((r) => r.code)).toEqual([1, 1, 1]); // web: its Ingress and HTTPRoute name a port it lacks
    expect(first[1]!.stdout).toContain('✘ selector app=fronted matches 0 pods in shop');
    expect(first[2]!.stdout).toContain('✘ readiness: 0 of 2 pods ready');
    const whole = requests(['-n', 'shop', '--format', 'json']).requests;
    // Fewer than the namespace's run (no /version, no kind that nothing needs), and few.
    for (const r of first) expect(r.requests).toBeLessThan(whole);
    expect(first[0]!.requests).toBeLessThanOrEqual(15);
    // The namespace and the cluster grow: Services, Deployments with their ReplicaSets and pods, namespaces.
    for (let i = 0; i < 20; i++) await cp.create(service('shop', `grow-${i}`, { app: `grow-${i}` }, [{ name: 'http', port: 80 }]));
    for (let i = 0; i < 5; i++) await cp.create(deploy('shop', `grow-${i}`, { app: `grow-${i}` }, [{ name: 'http', containerPort: 8080 }], 2));
    for (let i = 0; i < 5; i++) {
      await cp.create(ns(`grow-${i}`));
      await cp.create(deploy(`grow-${i}`, `far-${i}`, { app: 'far' }, [{ name: 'http', containerPort: 8080 }], 2));
      await cp.create(service(`grow-${i}`, `far-${i}`, { app: 'far' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
    }
    await until('the new pods', async () => (await cp.pods('shop', 'app=grow-4')).length === 2 && (await cp.pods('grow-4', 'app=far')).length === 2, 60_000);
    const second = targets.map(requests);
    expect(second.map((r) => r.requests)).toEqual(first.map((r) => r.requests));
    expect(second.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(second[0]!.stdout).toMatch(/✔ route 10\.96\.\d+\.\d+:80\/TCP → 10\.244\.\d+\.\d+:8080, 10\.244\.\d+\.\d+:8080/);
  }, 120_000);
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

type Found = { ruleId: string; messageId: string; message: string; severity?: string; object?: { namespace: string; name: string } };
const about = (fs: Found[], name: string) => fs.filter((f) => f.object?.name === name);

async function until(what: string, ok: () => Promise<boolean>, ms = 60_000, opts: { every?: number; nudge?: () => Promise<void>; explain?: () => Promise<string> } = {}): Promise<void> {
  const end = Date.now() + ms;
  let next = opts.every ? Date.now() + opts.every : Infinity;
  while (Date.now() < end) {
    if (await ok()) return;
    if (opts.nudge && Date.now() >= next) {
      await opts.nudge();
      next = Date.now() + (opts.every ?? Infinity);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${opts.explain ? `: ${await opts.explain().catch((e: unknown) => String(e))}` : ''}`);
}

describe('svclint doctor names the real cause', () => {
  it('names the node that stopped reporting, as the node-lifecycle controller marked it', async () => {
    await until('node-bad to be marked unreachable, and its pod not ready', async () => {
      const n = (await cp.api('GET', '/api/v1/nodes/node-bad')).body as { spec?: { taints?: { key: string }[] }; status?: { conditions?: { type: string; status: string }[] } };
      const slices = await cp.api('GET', '/apis/discovery.k8s.io/v1/namespaces/ops/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dledger');
      const eps = ((slices.body.items ?? []) as { endpoints?: { conditions?: { ready?: boolean } }[] }[]).flatMap((x) => x.endpoints ?? []);
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && !!n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable') && eps.length === 1 && eps[0]!.conditions?.ready === false;
    });
    const r = doctor(['-n', 'ops', '--format', 'json']);
    const ledger = about(r.json().findings as Found[], 'ledger');
    expect(ledger.map((f) => f.ruleId)).toEqual(['service-no-ready-endpoints']);
    expect(ledger[0]!.message).toMatch(/\(Deployment ops\/ledger\): its node `node-bad` is unreachable \(Ready is Unknown: NodeStatusUnknown, Kubelet stopped posting node status\.\), tainted `node\.kubernetes\.io\/unreachable`/);
    const chain = doctor(['svc/ledger', '-n', 'ops']);
    expect(chain.stdout).toContain('✘ readiness: 0 of 1 pod ready');
    expect(chain.stdout).toContain('its node `node-bad` is unreachable');
    expect(chain.stdout).toMatch(/^ {2}✘ node `node-bad` is unreachable/m);
  }, 90_000);

  it('judges internalTrafficPolicy: Local against the live nodes', async () => {
    // node-1 is the only Ready node and runs the backend: clean.
    expect(about(doctor(['-n', 'ops', '--format', 'json']).json().findings as Found[], 'near')).toEqual([]);
    await cp.addNode('node-2');
    // The node-lifecycle controller taints a new node not-ready until it has seen it Ready:
    // judge once it accepts pods, as a real new node would after a moment.
    for (let i = 0; i < 60; i++) {
      const taints = ((await cp.api('GET', '/api/v1/nodes/node-2')).body.spec as { taints?: { key: string }[] } | undefined)?.taints ?? [];
      if (!taints.some((t) => t.key.startsWith('node.kubernetes.io/'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const fs = about(doctor(['-n', 'ops', '--format', 'json']).json().findings as Found[], 'near');
    expect(fs.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['internal-traffic-local-partial:liveNodes']);
    expect(fs[0]!.message).toContain('node `node-2` has no ready backend of this Service (Deployment ops/near)');
    expect(fs[0]!.message).not.toContain('node-bad');
  });

  it('quotes the kubelet and the controllers: probe failures, readiness gates', () => {
    const all = doctor(['--format', 'json']).json().findings as Found[];
    const search = about(all, 'search').find((f) => f.ruleId === 'service-no-ready-endpoints')!;
    expect(search.message).toContain('event Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503 (×14)');
    const lb = about(all, 'lb');
    expect(lb.map((f) => f.ruleId)).toEqual(['service-no-ready-endpoints']);
    expect(lb[0]!.message).toContain('its Ready condition is not True (ReadinessGatesNotReady: corresponding condition of pod readiness gate "example.com/lb-registered" does not exist.)');
    expect(lb[0]!.message).toContain('event TargetNotRegistered: target is not registered with load balancer lb-1');
  });

  it('quotes why a controller cannot create the pods a selector names: Pod Security, a quota', () => {
    const strict = about(doctor(['--format', 'json']).json().findings as Found[], 'strict');
    expect(strict.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['selector-no-match:liveCannotCreate']);
    expect(strict[0]!.message).toMatch(/Deployment capped\/strict, whose controller cannot create them: pods "strict-[a-z0-9-]+" is forbidden: violates PodSecurity "restricted:latest"/);
    // Scoped to the Service: the namespace's FailedCreate events are read when nothing is selected.
    const db = doctor(['svc/db', '-n', 'quota']);
    expect(db.stdout).toMatch(/StatefulSet quota\/db, whose controller cannot create them: .*pods "db-0" is forbidden: exceeded quota: no-pods/);
    const json = about(doctor(['-n', 'quota', '--format', 'json']).json().findings as Found[], 'db');
    expect(json.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['selector-no-match:liveCannotCreate']);
  });

  it('reads where the live pods are told to listen: ready endpoints on a port nothing listens on', () => {
    const fs = about(doctor(['-n', 'ops', '--format', 'json']).json().findings as Found[], 'listen');
    expect(fs.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['target-port-not-listening:notListening']);
    expect(fs[0]!.message).toContain('its command line (`--port=9090`) makes the server listen on 9090; connections to 8080 are refused');
  });

  it('reads the configuration files live servers are given: Redis bound to loopback by its mounted redis.conf', () => {
    for (const args of [['-n', 'ops', '--format', 'json'], ['svc/kv', '-n', 'ops', '--format', 'json']]) {
      const fs = about(doctor(args).json().findings as Found[], 'kv');
      expect(fs.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['target-port-not-listening:loopback']);
      expect(fs[0]!.message).toContain('its configuration (`bind 127.0.0.1 -::1` in ConfigMap kv-conf, key redis.conf) makes the server listen on 127.0.0.1:6379 only');
    }
  });

  it('reads the config data files a live Spring Boot application is given: server.port in its mounted application.yml', () => {
    for (const args of [['-n', 'ops', '--format', 'json'], ['svc/payroll', '-n', 'ops', '--format', 'json']]) {
      const fs = about(doctor(args).json().findings as Found[], 'payroll');
      expect(fs.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['target-port-not-listening:notListening']);
      expect(fs[0]!.message).toContain('its Spring Boot configuration (`server.port: 8081 in ConfigMap payroll-config, key application.yml`) makes the server listen on 8081; connections to 8080 are refused');
    }
  });

  it('names the node whose kube-proxy is not ready, in a namespace run too (read with cluster DNS, no extra request)', () => {
    for (const args of [['--format', 'json'], ['-n', 'ok', '--format', 'json']]) {
      const fs = (doctor(args).json().findings as Found[]).filter((f) => f.ruleId === 'kube-proxy-unhealthy');
      expect(fs.map((f) => f.object?.namespace)).toEqual(['kube-system']);
      expect(fs[0]!.message).toContain('kube-proxy on node `node-1` is not ready (container `app` is waiting: CrashLoopBackOff');
    }
    expect(doctor(['svc/web', '-n', 'shop']).stdout).toMatch(/✘ kube-proxy on node `node-1` is not ready/);
  });

  it('says why a pod is not scheduled, once', () => {
    const batch = about(doctor(['-n', 'ops', '--format', 'json']).json().findings as Found[], 'batch');
    expect(batch.map((f) => f.ruleId)).toEqual(['service-no-ready-endpoints']);
    expect(batch[0]!.message).toContain("it is not scheduled (0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) didn't match Pod's node affinity/selector.)");
    expect(batch[0]!.message).not.toContain('event FailedScheduling');
  });

  it('tells a rollout that fixes a port from one that breaks it', () => {
    const all = doctor(['-n', 'ops', '--format', 'json']).json().findings as Found[];
    const api = about(all, 'api');
    expect(api.map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`)).toEqual(['target-port-unresolved:rolloutFixes:warning']);
    expect(api[0]!.message).toContain('which revision 1 of Deployment ops/api (2 pods) does not declare; a rollout to revision 2, which declares it, is in progress (revision 2 renames `web` to `http`)');
    const pay = about(all, 'pay');
    expect(pay.map((f) => `${f.ruleId}:${f.messageId}:${f.severity}`)).toEqual(['target-port-unresolved:rolloutBreaks:error']);
    expect(pay[0]!.message).toContain('which revision 2 of Deployment ops/pay (1 pod) no longer declares (it renames `web` to `http`)');
  });

  it('never shows a route to addresses kube-proxy ignores, and resolves in-cluster ExternalNames', () => {
    const all = doctor(['-n', 'ops', '--format', 'json']).json().findings as Found[];
    const billing = about(all, 'billing');
    expect(billing.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['manual-endpoints-missing:ignored']);
    expect(billing[0]!.message).toContain('EndpointSlice `billing-1` has addressType FQDN, which kube-proxy does not program');
    const chain = doctor(['svc/billing', '-n', 'ops']).stdout;
    expect(chain).toMatch(/✘ route 10\.96\.\d+\.\d+:443\/TCP → nothing\n {6}EndpointSlice `billing-1` has addressType FQDN/);
    const alias = about(all, 'ledger-alias');
    expect(alias.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['service-no-ready-endpoints:externalNameMissing']);
    expect(doctor(['svc/ledger-alias', '-n', 'ops']).stdout).toContain('✘ ledgers.ops.svc.cluster.local names Service ops/ledgers, which does not exist');
  });

  it('shows the Ingresses, HTTPRoutes and StatefulSets that point at a Service, with their findings', () => {
    const r = doctor(['svc/web', '-n', 'shop']);
    expect(r.stdout).toMatch(/✘ referred to by Ingress shop\/edge \(spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\)\n {6}error: .*`grpc`.* \[ingress-backend-unknown\]/);
    expect(r.stdout).toMatch(/✘ referred to by HTTPRoute shop\/storefront \(spec\.rules\[0\]\.backendRefs\[0\]\)\n {6}error: .*8443.* \[route-backend-unknown\]/);
    const sts = doctor(['svc/queue', '-n', 'data']);
    // No client dials a per-pod name of the queue: the finding is info (statefulset-service-invalid's severity).
    expect(sts.stdout).toMatch(/referred to by StatefulSet data\/queue \(spec\.serviceName\)\n {6}info: .* \[statefulset-service-invalid\]/);
  });

  it('with -n, still finds the pods a selector matches in another namespace', () => {
    const fs = doctor(['-n', 'edge', '--format', 'json']).json().findings as Found[];
    const mirror = about(fs, 'mirror');
    expect(mirror.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['selector-no-match:otherNamespace']);
    expect(mirror[0]!.message).toContain('shop');
  });

  it('gives one finding for one cause: a UDP-only named port on a ready pod', () => {
    const fs = about(doctor(['-n', 'shop', '--format', 'json']).json().findings as Found[], 'resolver');
    expect(fs.map((f) => `${f.ruleId}:${f.messageId}`)).toEqual(['target-port-unresolved:protocolMismatch']);
  });

  it('leaves a healthy namespace clean and says what it read', () => {
    const r = doctor(['-n', 'ok', '--format', 'json']);
    // What is wrong in kube-system (cluster DNS, a node's kube-proxy) is wrong for every namespace.
    expect((r.json().findings as Found[]).filter((f) => f.ruleId !== 'cluster-dns-unhealthy' && f.ruleId !== 'kube-proxy-unhealthy')).toEqual([]);
    const text = doctor(['-n', 'ok']);
    expect(text.stdout).toContain('in 1 Service, 2 pods in 1 namespace from context doctor');
    expect(text.stdout).not.toMatch(/in 0 files/);
    expect(doctor(['svc/site', '-n', 'ok']).stdout).toContain('✔ referred to by Ingress ok/site');
  });
});

describe('svclint doctor options', () => {
  it('exits 2 when a filter picks no Service', () => {
    for (const [args, msg] of [
      [['-l', 'nothing=here'], 'no Service matches -l nothing=here'],
      [['-n', 'no-such-namespace'], 'no Service in namespace no-such-namespace'],
      [['svc/nope', '-n', 'shop', '--format', 'json'], 'no Service shop/nope'],
    ] as const) {
      const r = doctor([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stdout).not.toContain('no problems');
    }
  });

  it('reads -o json as a format, and writes svc/NAME to -o FILE', () => {
    const r = doctor(['svc/orders', '-n', 'shop', '-o', 'json']);
    expect(r.stderr).toBe('svclint: reading -o json as --format json; -o is --output-file here\n');
    expect((r.json().findings as Found[]).map((f) => f.object?.name)).toContain('orders');
    const d = mkdtempSync(path.join(tmpdir(), 'svclint-chain-'));
    const out = path.join(d, 'chain.txt');
    const w = doctor(['svc/orders', '-n', 'shop', '-o', out]);
    expect(w.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^Service shop\/orders /);
  });

  it('lays -f manifests over a saved state read with --from', async () => {
    const items: Record<string, unknown>[] = [];
    for (const [api, kind, plural] of [['v1', 'Service', 'services'], ['v1', 'Pod', 'pods'], ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices']]) {
      const r = await cp.api('GET', `${api === 'v1' ? '/api/v1' : `/apis/${api}`}/namespaces/shop/${plural}`);
      items.push(...((r.body.items ?? []) as Record<string, unknown>[]).map((x) => ({ apiVersion: api, kind, ...x })));
    }
    const d = mkdtempSync(path.join(tmpdir(), 'svclint-from-'));
    writeFileSync(path.join(d, 'state.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    writeFileSync(path.join(d, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: wbe}\n  ports: [{name: http, port: 80, targetPort: http}]\n');
    const plain = cli(['doctor', '--from', path.join(d, 'state.json'), '-n', 'shop', '--format', 'json']);
    expect((JSON.parse(plain.stdout).findings as Found[]).filter((f) => f.object?.name === 'web')).toEqual([]);
    const over = cli(['doctor', '--from', path.join(d, 'state.json'), '-f', path.join(d, 'svc.yaml'), '-n', 'shop', '--format', 'json']);
    expect((JSON.parse(over.stdout).findings as Found[]).map((f) => `${f.ruleId}:${f.object?.name}`)).toContain('selector-no-match:web');
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
    // Nodes and Events are optional context: forbidden, they are named and skipped.
    expect(r.stderr).toMatch(/could not read Node: forbidden \(403\)/);
    expect(r.stderr).toMatch(/could not read Event in namespace shop: forbidden \(403\)/);
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
      // One Service: its reads go out together, without /version; the Services list still decides.
      const t1 = Date.now();
      const one = doctor(['svc/web', '-n', 'shop', '--request-timeout', '2s']);
      expect(one.code).toBe(2);
      expect(one.stderr).toMatch(/^svclint: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(no answer within 2000 ms\)/);
      expect(one.stderr.trim().split('\n')).toHaveLength(1);
      expect(Date.now() - t1).toBeLessThan(8_000);
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
    const one = doctor(['svc/web', '-n', 'shop', '--request-timeout', '2s']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^svclint: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED: connection refused\); check the kubeconfig context and that the cluster is running\n$/);
  });
});
