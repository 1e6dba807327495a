// tools: control-plane
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';
import { ControlPlane } from './cluster/controlplane.js';

/**
 * Differential test of what `pod-config-missing` says the API server's admission refuses (and,
 * in the second part, the ResourceQuota admission with LimitRange defaults):
 * generated pods that name a ServiceAccount, a PriorityClass and a RuntimeClass (present,
 * one letter off, absent, the built-in ones), some with a priority or preemption policy written
 * by hand, are sent to a real kube-apiserver (v1.36, with
 * its ServiceAccount, Priority and RuntimeClass admission plugins and the controller that
 * makes each namespace's `default` account) as server-side dry runs, the way a workload's
 * controller creates them; svclint lints the same pod template behind a Service, with the
 * same objects as manifests. svclint must name a missing object exactly when admission
 * refuses the pod for it.
 */

const NS = 'admission';
const EXISTING = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: NS } },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch' }, value: 500, preemptionPolicy: 'Never' },
  { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' },
];
const oneOf = <T>(...xs: T[]) => fc.constantFrom(...xs);
const pod = fc.record({
  serviceAccountName: oneOf<string | undefined>(undefined, 'default', 'runner', 'runer', 'ghost'),
  deprecated: fc.boolean(),
  priorityClassName: oneOf<string | undefined>(undefined, 'high', 'hgh', 'system-cluster-critical', 'system-node-critical', 'ghost'),
  runtimeClassName: oneOf<string | undefined>(undefined, undefined, 'gvisor', 'gvisr', 'ghost'),
  // Priority fields written by hand (copied from `kubectl get pod -o yaml`): the Priority admission works them out itself.
  priority: oneOf<number | undefined>(undefined, undefined, 0, 500, 1000, 2000000000),
  preemptionPolicy: oneOf<string | undefined>(undefined, undefined, 'Never', 'PreemptLowerPriority'),
});
type Gen = fc.Infer<typeof pod>;

const spec = (g: Gen) => ({
  ...(g.serviceAccountName ? { [g.deprecated ? 'serviceAccount' : 'serviceAccountName']: g.serviceAccountName } : {}),
  ...(g.priorityClassName ? { priorityClassName: g.priorityClassName } : {}),
  ...(g.runtimeClassName ? { runtimeClassName: g.runtimeClassName } : {}),
  ...(g.priority !== undefined ? { priority: g.priority } : {}),
  ...(g.preemptionPolicy !== undefined ? { preemptionPolicy: g.preemptionPolicy } : {}),
  containers: [{ name: 'app', image: 'example/app:1', ports: [{ containerPort: 8080 }] }],
});

let cp: ControlPlane;

beforeAll(async () => {
  cp = new ControlPlane({ serviceAccountAdmission: true });
  await cp.start();
  for (const [o, at] of EXISTING.map((o) => [o, ({ Namespace: '/api/v1/namespaces', ServiceAccount: `/api/v1/namespaces/${NS}/serviceaccounts`, PriorityClass: '/apis/scheduling.k8s.io/v1/priorityclasses', RuntimeClass: '/apis/node.k8s.io/v1/runtimeclasses' } as Record<string, string>)[o.kind]!] as const)) {
    const r = await cp.api('POST', at, o);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  }
  // The serviceaccount controller makes the namespace's `default` account.
  for (let i = 0; i < 100; i++) {
    if ((await cp.api('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await cp?.stop();
});

describe('pod-config-missing against kube-apiserver admission (ServiceAccount, Priority, RuntimeClass)', () => {
  it('names the missing object exactly when admission refuses the pod', async () => {
    const gens = fc.sample(pod, 100);
    const disagreements: string[] = [];
    let refused = 0;
    for (const [n, g] of gens.entries()) {
      const r = await cp.api('POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${n}`, namespace: NS }, spec: spec(g) });
      const message = String(r.body.message ?? '');
      const kind = r.status < 300 ? undefined
        : /error looking up service account/.test(message) ? 'ServiceAccount'
          : /no PriorityClass with name/.test(message) ? 'PriorityClass'
            : /must not be provided in pod spec/.test(message) ? 'Priority'
            : /RuntimeClass .* not found/.test(message) ? 'RuntimeClass' : `other: ${r.status} ${message}`;
      if (kind) refused++;
      const text = [
        ...EXISTING.slice(1).map((o) => stringify(o)),
        stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: NS }, spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: spec(g) } } }),
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: NS }, spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } }),
      ].join('---\n');
      const claimed = lintText(text, 'case.yaml').findings.filter((f) => f.ruleId === 'pod-config-missing' && (f.messageId === 'needsMissing' || f.messageId === 'priority'))
        .map((f) => (f.messageId === 'priority' ? 'Priority' : /(ServiceAccount|PriorityClass|RuntimeClass) `/.exec(f.message)?.[1]));
      // Admission stops at the first plugin that refuses: that one must be among svclint's; none when it admits.
      const agree = kind === undefined ? claimed.length === 0 : claimed.includes(kind);
      if (!agree) disagreements.push(`#${n} ${JSON.stringify(g)}: the API server says ${kind ?? 'created'} (${message}), svclint names ${claimed.join(', ') || 'nothing'}`);
    }
    console.log(`admission differential: ${gens.length} pods, ${refused} refused`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(refused).toBeGreaterThan(10);
  }, 120_000);
});

/** Namespaces with quotas (and defaults) that make containers state their compute resources. */
const QUOTA_NAMESPACES = [
  { ns: 'quota-a', quota: { 'requests.cpu': '10', 'limits.memory': '10Gi' } },
  { ns: 'quota-b', quota: { cpu: '10', memory: '10Gi', pods: '100' }, limitRange: { default: { cpu: '500m' } } },
  { ns: 'quota-c', quota: { 'limits.cpu': '10', 'requests.memory': '10Gi' }, limitRange: { defaultRequest: { memory: '64Mi' } } },
  // Scoped quotas apply to some pods only: svclint makes no claim there.
  { ns: 'quota-d', quota: { 'limits.cpu': '10' }, scopes: ['NotTerminating'] },
  { ns: 'quota-e', quota: { pods: '10' } },
  // Defaults the API server derives when it stores the range: `default` from `max`, `defaultRequest` from `min`.
  { ns: 'quota-f', quota: { 'limits.cpu': '10', 'requests.memory': '10Gi' }, limitRange: { max: { cpu: '2' }, min: { memory: '16Mi' } } },
  // Small enough that one pod of two containers (or an init container's larger request) asks for more.
  { ns: 'quota-g', quota: { 'requests.cpu': '150m', 'limits.memory': '200Mi' }, limitRange: { default: { memory: '128Mi' }, defaultRequest: { cpu: '100m' } } },
  { ns: 'quota-h', quota: { cpu: '1', memory: '100Mi' } },
];

describe('pod-config-missing against kube-apiserver quota admission (ResourceQuota, LimitRange)', () => {
  it('says a container leaves out what a quota requires exactly when admission refuses the pod for it', async () => {
    for (const q of QUOTA_NAMESPACES) {
      expect((await cp.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: q.ns } })).status).toBeLessThan(300);
      const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: q.ns }, spec: { hard: q.quota, ...(q.scopes ? { scopes: q.scopes } : {}) } };
      expect((await cp.api('POST', `/api/v1/namespaces/${q.ns}/resourcequotas`, quota)).status).toBeLessThan(300);
      if (q.limitRange) {
        const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: q.ns }, spec: { limits: [{ type: 'Container', ...q.limitRange }] } };
        expect((await cp.api('POST', `/api/v1/namespaces/${q.ns}/limitranges`, lr)).status).toBeLessThan(300);
      }
    }
    // The quota controller fills each quota's status before admission counts against it: wait for every one.
    for (const q of QUOTA_NAMESPACES) {
      let filled = false;
      for (let i = 0; i < 300 && !filled; i++) {
        const st = await cp.api('GET', `/api/v1/namespaces/${q.ns}/resourcequotas/compute`);
        filled = Boolean((st.body.status as { hard?: unknown } | undefined)?.hard);
        if (!filled) await new Promise((r) => setTimeout(r, 100));
      }
      expect(filled, `the status of the quota in ${q.ns}`).toBe(true);
    }
    const resources = fc.record({
      requests: fc.option(fc.subarray(['cpu', 'memory']), { nil: undefined }),
      limits: fc.option(fc.subarray(['cpu', 'memory']), { nil: undefined }),
    });
    const values: Record<string, string> = { cpu: '100m', memory: '64Mi' };
    const gen = fc.record({
      ns: fc.nat(QUOTA_NAMESPACES.length - 1),
      containers: fc.array(resources, { minLength: 1, maxLength: 2 }),
      init: fc.array(resources, { maxLength: 1 }),
    });
    const container = (r: fc.Infer<typeof resources>, name: string) => ({
      name, image: 'example/app:1', ports: name === 'app0' ? [{ containerPort: 8080 }] : [],
      resources: {
        ...(r.requests ? { requests: Object.fromEntries(r.requests.map((k) => [k, values[k]])) } : {}),
        ...(r.limits ? { limits: Object.fromEntries(r.limits.map((k) => [k, k === 'cpu' ? '1' : '128Mi'])) } : {}),
      },
    });
    const disagreements: string[] = [];
    let refused = 0;
    for (const [n, g] of fc.sample(gen, 60).entries()) {
      const q = QUOTA_NAMESPACES[g.ns]!;
      const spec = { initContainers: g.init.map((r, i) => container(r, `init${i}`)), containers: g.containers.map((r, i) => container(r, `app${i}`)) };
      const r = await cp.api('POST', `/api/v1/namespaces/${q.ns}/pods?dryRun=All`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `q${n}`, namespace: q.ns }, spec });
      const message = String(r.body.message ?? '');
      const failed = r.status >= 300 && /failed quota/.test(message);
      const exceeded = r.status >= 300 && /exceeded quota/.test(message);
      if (r.status >= 300 && !failed && !exceeded) disagreements.push(`#${n}: refused for another reason: ${message}`);
      if (failed || exceeded) refused++;
      const text = [
        stringify({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: q.ns }, spec: { hard: q.quota, ...(q.scopes ? { scopes: q.scopes } : {}) } }),
        ...(q.limitRange ? [stringify({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: q.ns }, spec: { limits: [{ type: 'Container', ...q.limitRange }] } })] : []),
        stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: q.ns }, spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec } } }),
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: q.ns }, spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } }),
      ].join('---\n');
      const all = lintText(text, 'case.yaml').findings.filter((f) => f.ruleId === 'pod-config-missing');
      const claims = all.filter((f) => f.messageId === 'quotaUnstated');
      const over = all.filter((f) => f.messageId === 'quotaExceeded');
      const scoped = q.scopes !== undefined;
      // One pod that asks more than a quota allows in all: svclint says so exactly when the quota admission says it exceeds it.
      if (over.length && !exceeded && !failed) disagreements.push(`#${n} ${q.ns}: svclint says ${over[0]!.message}, the API server creates the pod`);
      if (exceeded && !scoped && !over.length) disagreements.push(`#${n} ${q.ns}: the API server says ${message}, svclint says nothing of it\n${text}`);
      if (exceeded) {
        if (claims.length) disagreements.push(`#${n} ${q.ns}: the API server says ${message}, svclint says ${claims[0]!.message}`);
        continue;
      }
      if (claims.length && !failed) disagreements.push(`#${n} ${q.ns}: svclint says ${claims[0]!.message}, the API server creates the pod`);
      if (failed && !scoped && !claims.length) disagreements.push(`#${n} ${q.ns}: the API server says ${message}, svclint says nothing\n${text}`);
      // The quota admission's own list of what is missing, word for word.
      const must = /must specify (.*)$/.exec(message)?.[1];
      if (failed && claims.length && must && !claims[0]!.message.includes(`must specify ${must})`)) disagreements.push(`#${n} ${q.ns}: the API server says "${must}", svclint says ${claims[0]!.message}`);
    }
    console.log(`quota differential: 60 pods, ${refused} refused for a quota`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(refused).toBeGreaterThan(10);
  }, 120_000);
});


/** The reasons PodSecurity admission gives, in its own words (k8s.io/pod-security-admission `policy`). */
const PSA_REASONS = [
  'host namespaces', 'privileged', 'non-default capabilities', 'hostPath volumes', 'hostPort', 'forbidden AppArmor profile', 'seLinuxOptions', 'procMount',
  'seccompProfile', 'forbidden sysctls', 'restricted volume types', 'allowPrivilegeEscalation != false', 'unrestricted capabilities', 'runAsNonRoot != true', 'runAsUser=0',
];
const reasonsIn = (text: string): string[] =>
  PSA_REASONS.filter((r) => new RegExp(`(?:^|: |\\); |\\), )${r.replace(/[.*+?^${}()|[\]\\!=]/g, '\\$&')}s? \\(`).test(text)).sort();

describe('pod-security-rejected against kube-apiserver PodSecurity admission', () => {
  it('says a pod breaks the enforced level exactly when admission refuses it, for the same checks', async () => {
    for (const level of ['baseline', 'restricted']) {
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `psa-${level}`, labels: { 'pod-security.kubernetes.io/enforce': level } } };
      expect((await cp.api('POST', '/api/v1/namespaces', ns)).status).toBeLessThan(300);
    }
    // Each field is left out most of the time, so that pods built on a compliant base are admitted too.
    const opt = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: a, weight: 1 });
    const seccomp = oneOf({ type: 'RuntimeDefault' }, { type: 'Unconfined' }, { type: 'Localhost', localhostProfile: 'profiles/app.json' });
    const selinux = oneOf({ type: 'container_t' }, { type: 'container_engine_t' }, { type: 'spc_t' }, { user: 'system_u' }, { role: 'object_r' }, { level: 's0:c1,c2' });
    const containerSc = fc.record({
      privileged: opt(fc.boolean()),
      allowPrivilegeEscalation: opt(fc.boolean()),
      runAsNonRoot: opt(fc.boolean()),
      runAsUser: opt(oneOf(0, 1000)),
      capabilities: opt(fc.record({ add: opt(fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'NET_ADMIN', 'NET_RAW'])), drop: opt(fc.subarray(['ALL', 'NET_RAW', 'all'])) }, { requiredKeys: [] })),
      seccompProfile: opt(seccomp),
      seLinuxOptions: opt(selinux),
      appArmorProfile: opt(oneOf({ type: 'RuntimeDefault' }, { type: 'Unconfined' })),
    }, { requiredKeys: [] });
    const gen = fc.record({
      level: oneOf('baseline', 'restricted'),
      base: fc.boolean(),
      hostNetwork: opt(fc.boolean()),
      hostPID: opt(fc.boolean()),
      hostIPC: opt(fc.boolean()),
      hostPort: opt(fc.constant(true)),
      pod: opt(fc.record({
        runAsNonRoot: opt(fc.boolean()),
        runAsUser: opt(oneOf(0, 1000)),
        seccompProfile: opt(seccomp),
        seLinuxOptions: opt(selinux),
        sysctls: opt(fc.subarray(['kernel.shm_rmid_forced', 'net.ipv4.tcp_keepalive_time', 'kernel.msgmax', 'net.core.somaxconn']).map((xs) => xs.map((name) => ({ name, value: '1' })))),
      }, { requiredKeys: [] })),
      containers: fc.array(opt(containerSc), { minLength: 1, maxLength: 2 }),
      init: fc.array(opt(containerSc), { maxLength: 1 }),
      volumes: fc.subarray(['emptyDir', 'configMap', 'hostPath', 'nfs', 'none'], { maxLength: 2 }),
    });
    const BASE = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
    const VOLUMES: Record<string, Record<string, unknown>> = {
      emptyDir: { emptyDir: {} }, configMap: { configMap: { name: 'settings' } }, hostPath: { hostPath: { path: '/var/log' } }, nfs: { nfs: { server: 'nfs.example.com', path: '/export' } }, none: {},
    };
    const disagreements: string[] = [];
    let refused = 0;
    let admitted = 0;
    let invalid = 0;
    for (const [n, g] of fc.sample(gen, 150).entries()) {
      const container = (sc: fc.Infer<typeof containerSc> | undefined, name: string, ports: boolean) => ({
        name, image: 'example/app:1',
        ...(ports ? { ports: [{ containerPort: 8080, ...(g.hostPort ? { hostPort: 8080 } : {}) }] } : {}),
        ...(sc || g.base ? { securityContext: { ...(g.base ? BASE : {}), ...sc } } : {}),
      });
      const spec = {
        ...(g.hostNetwork !== undefined ? { hostNetwork: g.hostNetwork } : {}),
        ...(g.hostPID !== undefined ? { hostPID: g.hostPID } : {}),
        ...(g.hostIPC !== undefined ? { hostIPC: g.hostIPC } : {}),
        ...(g.pod ? { securityContext: g.pod } : {}),
        ...(g.init.length ? { initContainers: g.init.map((sc, i) => container(sc, `init${i}`, false)) } : {}),
        containers: g.containers.map((sc, i) => container(sc, `app${i}`, i === 0)),
        ...(g.volumes.length ? { volumes: g.volumes.map((v) => ({ name: `v-${v.toLowerCase()}`, ...VOLUMES[v] })) } : {}),
      };
      const ns = `psa-${g.level}`;
      const r = await cp.api('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `s${n}`, namespace: ns }, spec });
      const message = String(r.body.message ?? '');
      // A pod that validation refuses (privileged with allowPrivilegeEscalation false) never reaches admission.
      if (r.status === 422) {
        invalid++;
        continue;
      }
      const violates = r.status === 403 && /violates PodSecurity/.test(message);
      if (r.status >= 300 && !violates) {
        disagreements.push(`#${n}: refused for another reason: ${r.status} ${message}`);
        continue;
      }
      if (violates) refused++;
      else admitted++;
      const text = [
        stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': g.level } } }),
        stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: ns }, spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec } } }),
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: ns }, spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } }),
      ].join('---\n');
      const claim = lintText(text, 'case.yaml').findings.find((f) => f.ruleId === 'pod-security-rejected');
      const theirs = violates ? reasonsIn(message.replace(/^.*violates PodSecurity "[^"]*": /, '')) : [];
      const ours = claim ? reasonsIn(claim.message.replace(/^.* enforces: /, '')) : [];
      if (JSON.stringify(theirs) !== JSON.stringify(ours)) disagreements.push(`#${n} ${g.level}: the API server says ${violates ? message : 'created'}; svclint says ${claim?.message ?? 'nothing'}\n${JSON.stringify(spec)}`);
    }
    console.log(`PodSecurity differential: 150 pods, ${refused} refused, ${admitted} admitted, ${invalid} invalid`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(refused).toBeGreaterThan(20);
    expect(admitted).toBeGreaterThan(5);
  }, 180_000);
});

/** Namespaces with one LimitRange each: items of type Container (max, min, defaults, ratios) and of type Pod. */
const RANGE_NAMESPACES: { ns: string; item: Record<string, Record<string, string>>; pod?: Record<string, Record<string, string>> }[] = [
  { ns: 'range-max', item: { max: { cpu: '1', memory: '512Mi' } } },
  { ns: 'range-min', item: { min: { cpu: '100m', memory: '64Mi' } } },
  { ns: 'range-both', item: { min: { cpu: '100m' }, max: { cpu: '2' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' } } },
  { ns: 'range-ratio', item: { maxLimitRequestRatio: { cpu: '2', memory: '1' } } },
  { ns: 'range-mem', item: { max: { memory: '1Gi' }, min: { memory: '128Mi' }, default: { memory: '256Mi' } } },
  { ns: 'range-pod', item: { default: { cpu: '500m', memory: '256Mi' } }, pod: { max: { cpu: '2', memory: '1Gi' } } },
  { ns: 'range-pod-min', item: { defaultRequest: { cpu: '100m' } }, pod: { min: { cpu: '300m' }, maxLimitRequestRatio: { memory: '2' } } },
];
const rangeSpec = (r: (typeof RANGE_NAMESPACES)[number]) => ({ limits: [{ type: 'Container', ...r.item }, ...(r.pod ? [{ type: 'Pod', ...r.pod }] : [])] });

describe('pod-config-missing against kube-apiserver LimitRanger admission', () => {
  it('says a container is outside a LimitRange exactly when admission refuses the pod, for the same constraint', async () => {
    for (const r of RANGE_NAMESPACES) {
      expect((await cp.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.ns } })).status).toBeLessThan(300);
      const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: r.ns }, spec: rangeSpec(r) };
      const made = await cp.api('POST', `/api/v1/namespaces/${r.ns}/limitranges`, lr);
      expect(made.status, JSON.stringify(made.body)).toBeLessThan(300);
    }
    const amounts = fc.record({
      cpu: fc.option(fc.constantFrom('50m', '100m', '250m', '1', '1500m', '2', '3'), { nil: undefined }),
      memory: fc.option(fc.constantFrom('32Mi', '64Mi', '128Mi', '256Mi', '1Gi', '2Gi'), { nil: undefined }),
    });
    // Mostly a request no greater than its limit (else validation refuses the pod before admission).
    const milli = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : q.endsWith('Mi') ? Number(q.slice(0, -2)) * 2 ** 20 * 1000 : q.endsWith('Gi') ? Number(q.slice(0, -2)) * 2 ** 30 * 1000 : Number(q) * 1000);
    const resources = fc.record({ requests: amounts, limits: amounts, keep: fc.nat(4) }).map(({ requests, limits, keep }) => {
      if (keep === 0) return { requests, limits };
      const req = { ...requests };
      const lim = { ...limits };
      for (const k of ['cpu', 'memory'] as const) {
        if (req[k] !== undefined && lim[k] !== undefined && milli(req[k]!) > milli(lim[k]!)) [req[k], lim[k]] = [lim[k], req[k]];
      }
      return { requests: req, limits: lim };
    });
    const gen = fc.record({ ns: fc.nat(RANGE_NAMESPACES.length - 1), containers: fc.array(resources, { minLength: 1, maxLength: 3 }), inits: fc.array(fc.record({ r: resources, sidecar: fc.boolean() }), { maxLength: 2 }) });
    const list = (a: fc.Infer<typeof amounts>) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));
    const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').replace(/\.(?= |$)/g, '').trim();
    const disagreements: string[] = [];
    let refused = 0;
    let admitted = 0;
    for (const [n, g] of fc.sample(gen, 160).entries()) {
      const r = RANGE_NAMESPACES[g.ns]!;
      const resOf = (c: fc.Infer<typeof resources>) => ({ ...(Object.keys(list(c.requests)).length ? { requests: list(c.requests) } : {}), ...(Object.keys(list(c.limits)).length ? { limits: list(c.limits) } : {}) });
      const spec = {
        containers: g.containers.map((c, i) => ({ name: `app${i}`, image: 'example/app:1', ...(i === 0 ? { ports: [{ containerPort: 8080 }] } : {}), resources: resOf(c) })),
        ...(g.inits.length ? { initContainers: g.inits.map((c, i) => ({ name: `init${i}`, image: 'example/app:1', ...(c.sidecar ? { restartPolicy: 'Always' } : {}), resources: resOf(c.r) })) } : {}),
      };
      const res = await cp.api('POST', `/api/v1/namespaces/${r.ns}/pods?dryRun=All`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `l${n}`, namespace: r.ns }, spec });
      const message = String(res.body.message ?? '');
      // A request over the limit written beside it is refused by validation (422) with or without a range: not svclint's claim here.
      const written = [...spec.containers, ...(spec.initContainers ?? [])].some((c) => (['cpu', 'memory'] as const).some((k) => {
        const req = (c.resources.requests as Record<string, string> | undefined)?.[k];
        const lim = (c.resources.limits as Record<string, string> | undefined)?.[k];
        return req !== undefined && lim !== undefined && milli(req) > milli(lim);
      }));
      if (res.status === 422 && written) continue;
      // Else a 422 is a request over the limit the range's default gave (validation runs after admission).
      const overDefault = res.status === 422 && /must be less than or equal to (cpu|memory) limit/.test(message);
      const limited = (res.status === 403 && /usage per (Container|Pod)|limit to request ratio per (Container|Pod)/.test(message)) || overDefault;
      if (res.status >= 300 && !limited) {
        disagreements.push(`#${n} ${r.ns}: refused for another reason: ${res.status} ${message}`);
        continue;
      }
      if (limited) refused++;
      else admitted++;
      const text = [
        stringify({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: r.ns }, spec: rangeSpec(r) }),
        stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: r.ns }, spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec } } }),
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: r.ns }, spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080 }] } }),
      ].join('---\n');
      const claim = lintText(text, 'case.yaml').findings.find((f) => f.ruleId === 'pod-config-missing' && (f.messageId === 'limitRange' || f.messageId === 'limitRangePod' || f.messageId === 'limitRangeDefault'));
      if (claim && (claim.messageId === 'limitRangeDefault') !== overDefault) disagreements.push(`#${n} ${r.ns}: the API server says ${res.status} ${message}; svclint says ${claim.message}`);
      if (claim && !limited) disagreements.push(`#${n} ${r.ns}: svclint says ${claim.message}; the API server creates the pod\n${JSON.stringify(spec)}`);
      if (limited && !claim) disagreements.push(`#${n} ${r.ns}: the API server says ${message}; svclint says nothing\n${JSON.stringify(spec)}`);
      // The constraint svclint names is among those the LimitRanger lists, word for word (for a
      // pod's totals, up to the amount it found, which the API server writes in its own form).
      const whole = claim ? /refuses to create its pods \((.*)\), so /.exec(claim.message)?.[1] : undefined;
      const named = whole && / per Pod /.test(whole) ? whole.replace(/(, but (request|limit) is|, but provided ratio is) .*$/, '$1') : whole;
      if (limited && named && !norm(message).includes(norm(named))) disagreements.push(`#${n} ${r.ns}: the API server says ${message}; svclint names ${named}`);
    }
    console.log(`LimitRanger differential: 160 pods, ${refused} refused, ${admitted} admitted`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both answers are covered (seeds 1 to 8 admit 14 to 23 pods; the seed of one commit, 7).
    expect(refused).toBeGreaterThan(15);
    expect(admitted).toBeGreaterThan(3);
  }, 180_000);
});
