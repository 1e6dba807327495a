// tools: kubelet-oracle
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';
import type { Finding } from '../src/types/finding.js';
import { imageUser } from '../src/graph/image-users.js';

/**
 * Differential test of `pod-config-missing` against the kubelet's own code (k8s.io/kubernetes
 * v1.36.3, built by scripts/kubelet-oracle.sh): `makeEnvironmentVariables` for every container
 * and init container, and the ConfigMap, Secret and projected volume plugins' payloads for the
 * volumes the kubelet sets up (those a container mounts). Generated pods read generated
 * ConfigMaps and Secrets (`data`, `binaryData`, `stringData`, in the pod's namespace, in
 * another, or nowhere) through env key references, `envFrom` and volumes, optional or not.
 *
 * svclint must never claim that a container or volume fails where the kubelet builds it, and
 * must name what makes a failing one fail (a missing object once per workload, at its first
 * reference), except where its evidence policy is to say nothing: a Secret that is not in the
 * files at all (Secrets are usually kept out of manifests).
 */

const NS = 'app';
const KEYS = ['mode', 'level', 'Mode', 'cert.pem', 'token'] as const;
const CM_NAMES = ['settings', 'extra', 'absent-cm'] as const;
const SECRET_NAMES = ['creds', 'absent-secret'] as const;
const oneOf = <T>(...xs: readonly T[]) => fc.constantFrom(...xs);
const keySet = fc.subarray([...KEYS], { maxLength: 3 });

const configMap = fc.record({
  name: oneOf('settings', 'extra'),
  namespace: oneOf(NS, NS, NS, 'other'),
  data: keySet,
  binary: fc.subarray([...KEYS], { maxLength: 2 }),
});
const secret = fc.record({
  name: oneOf('creds'),
  namespace: oneOf(NS, NS, 'other'),
  data: keySet,
  stringData: fc.subarray([...KEYS], { maxLength: 2 }),
});
const optional = fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.boolean(), weight: 1 });
const envEntry = fc.record({
  kind: oneOf('ConfigMap', 'ConfigMap', 'Secret'),
  cm: oneOf(...CM_NAMES),
  secret: oneOf(...SECRET_NAMES),
  key: oneOf<string>(...KEYS, 'missing'),
  optional,
});
const envFrom = fc.record({ kind: oneOf('ConfigMap', 'Secret'), cm: oneOf(...CM_NAMES), secret: oneOf(...SECRET_NAMES), optional });
const container = fc.record({
  env: fc.array(envEntry, { maxLength: 3 }),
  envFrom: fc.array(envFrom, { maxLength: 1 }),
  mounts: fc.subarray(['v0', 'v1', 'v2'], { maxLength: 2 }),
});
const volumeSource = fc.record({
  kind: oneOf('ConfigMap', 'ConfigMap', 'Secret'),
  cm: oneOf(...CM_NAMES),
  secret: oneOf(...SECRET_NAMES),
  items: fc.option(fc.subarray<string>([...KEYS, 'missing'], { minLength: 1, maxLength: 2 }), { nil: undefined }),
  optional,
});
const volume = fc.record({ projected: fc.boolean(), sources: fc.array(volumeSource, { minLength: 1, maxLength: 2 }) });
const world = fc.record({
  configMaps: fc.uniqueArray(configMap, { maxLength: 3, selector: (c) => `${c.namespace}/${c.name}` }),
  secrets: fc.uniqueArray(secret, { maxLength: 2, selector: (s) => `${s.namespace}/${s.name}` }),
  init: fc.array(container, { maxLength: 1 }),
  containers: fc.array(container, { minLength: 1, maxLength: 2 }),
  volumes: fc.array(volume, { maxLength: 3 }),
});
type World = fc.Infer<typeof world>;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const opt = (o: boolean | undefined) => (o === undefined ? {} : { optional: o });

function podSpec(w: World): Record<string, unknown> {
  const c = (x: World['containers'][number], name: string) => ({
    name,
    image: 'example/app:1',
    ...(name.startsWith('main') ? { ports: [{ containerPort: 8080 }] } : {}),
    env: x.env.map((e, i) => ({
      name: `V${i}`,
      valueFrom: e.kind === 'ConfigMap' ? { configMapKeyRef: { name: e.cm, key: e.key, ...opt(e.optional) } } : { secretKeyRef: { name: e.secret, key: e.key, ...opt(e.optional) } },
    })),
    envFrom: x.envFrom.map((e) => (e.kind === 'ConfigMap' ? { configMapRef: { name: e.cm, ...opt(e.optional) } } : { secretRef: { name: e.secret, ...opt(e.optional) } })),
    volumeMounts: x.mounts.filter((m) => Number(m.slice(1)) < w.volumes.length).map((m) => ({ name: m, mountPath: `/mnt/${m}` })),
  });
  const source = (s: World['volumes'][number]['sources'][number], projected: boolean) => {
    const items = s.items?.map((k) => ({ key: k, path: `f-${k}` }));
    if (s.kind === 'ConfigMap') return { configMap: { name: s.cm, ...(items ? { items } : {}), ...opt(s.optional) } };
    return projected ? { secret: { name: s.secret, ...(items ? { items } : {}), ...opt(s.optional) } } : { secret: { secretName: s.secret, ...(items ? { items } : {}), ...opt(s.optional) } };
  };
  return {
    initContainers: w.init.map((x, i) => c(x, `init${i}`)),
    containers: w.containers.map((x, i) => c(x, `main${i}`)),
    volumes: w.volumes.map((v, i) => (v.projected ? { name: `v${i}`, projected: { sources: v.sources.map((s) => source(s, true)) } } : { name: `v${i}`, ...source(v.sources[0]!, false) })),
  };
}

function manifests(w: World): string {
  const docs: unknown[] = [
    ...w.configMaps.map((c) => ({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: c.name, namespace: c.namespace },
      ...(c.data.length ? { data: Object.fromEntries(c.data.map((k) => [k, 'x'])) } : {}),
      ...(c.binary.length ? { binaryData: Object.fromEntries(c.binary.map((k) => [k, b64('\u0001')])) } : {}),
    })),
    ...w.secrets.map((s) => ({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: s.name, namespace: s.namespace },
      ...(s.data.length ? { data: Object.fromEntries(s.data.map((k) => [k, b64('x')])) } : {}),
      ...(s.stringData.length ? { stringData: Object.fromEntries(s.stringData.map((k) => [k, 'y'])) } : {}),
    })),
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec(w) } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

function oracleInput(w: World): string {
  return JSON.stringify({
    pod: { metadata: { name: 'web-0', namespace: NS }, spec: podSpec(w) },
    configMaps: w.configMaps.map((c) => ({ metadata: { name: c.name, namespace: c.namespace }, data: Object.fromEntries(c.data.map((k) => [k, 'x'])), binaryData: Object.fromEntries(c.binary.map((k) => [k, b64('\u0001')])) })),
    secrets: w.secrets.map((s) => ({ metadata: { name: s.name, namespace: s.namespace }, data: Object.fromEntries(s.data.map((k) => [k, b64('x')])), stringData: Object.fromEntries(s.stringData.map((k) => [k, 'y'])) })),
  });
}

type Answer = { containers: Record<string, string>; volumes: Record<string, string>; error?: string };

/** The container or volume a finding is about, from its path. */
function subject(f: Finding, w: World): string {
  const m = /spec\.template\.spec\.(containers|initContainers|volumes)\[(\d+)\]/.exec(f.path);
  if (!m) return `? ${f.path}`;
  const i = Number(m[2]);
  return m[1] === 'volumes' ? `volume v${i}` : `container ${m[1] === 'containers' ? `main${i}` : `init${i}`}`;
}

describe('pod-config-missing against the kubelet (makeEnvironmentVariables, volume payloads)', () => {
  it('agrees on which containers and volumes keep the pods from starting', () => {
    const worlds = fc.sample(world, 400);
    const run = spawnSync('kubelet-oracle', { input: worlds.map(oracleInput).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(run.status, run.stderr).toBe(0);
    const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer);
    expect(answers).toHaveLength(worlds.length);
    const disagreements: string[] = [];
    let failing = 0;
    let namedCount = 0;
    let silentSecrets = 0;
    worlds.forEach((w, n) => {
      const a = answers[n]!;
      expect(a.error, 'the oracle read the case').toBeUndefined();
      const text = manifests(w);
      const findings = lintText(text, 'case.yaml').findings.filter((f) => f.ruleId === 'pod-config-missing');
      const claimed = new Map<string, Finding[]>();
      for (const f of findings) claimed.set(subject(f, w), [...(claimed.get(subject(f, w)) ?? []), f]);
      const kubelet = new Map<string, string>([
        ...Object.entries(a.containers).map(([k, v]) => [`container ${k}`, v] as [string, string]),
        ...Object.entries(a.volumes).map(([k, v]) => [`volume ${k}`, v] as [string, string]),
      ]);
      for (const [who, fs] of claimed) {
        if (!kubelet.get(who)) disagreements.push(`#${n} svclint says ${who} fails (${fs.map((f) => f.message.split(':')[0]).join('; ')}), the kubelet builds it\n${text}`);
      }
      for (const [who, err] of kubelet) {
        if (!err) continue;
        failing++;
        // What the kubelet misses: the first key or object of an environment, every one of a projected volume.
        const items = [...err.matchAll(/couldn't find key (\S+) in (?:ConfigMap|Secret)|non-existent (?:config|secret) key: ([^\s\]]+)|(configmap|secret)s? "([^"]+)" not found/g)]
          .map((m) => (m[3] ? { object: m[3], name: m[4]! } : { key: (m[1] ?? m[2])! }));
        expect(items.length, `the kubelet's error is one this test reads: ${err}`).toBeGreaterThan(0);
        // A key is named at this container or volume; a missing object once per workload, at its first reference.
        const named = (it: (typeof items)[number]) => 'key' in it
          ? (claimed.get(who) ?? []).some((f) => f.message.includes(`key \`${it.key}\``))
          : findings.some((f) => f.messageId === 'objectMissing' && f.message.includes(` \`${it.name}\` (`));
        // Silence is svclint's policy only for a Secret the files do not hold at all.
        const silent = (it: (typeof items)[number]) => 'object' in it && it.object === 'secret';
        if (claimed.has(who) ? items.some((it) => named(it) || silent(it)) : items.every((it) => named(it) || silent(it))) {
          if (items.every(silent) && !claimed.has(who)) silentSecrets++;
          else namedCount++;
          continue;
        }
        disagreements.push(`#${n} the kubelet fails ${who} ("${err}"), svclint says ${(claimed.get(who) ?? []).map((f) => f.message).join(' / ') || 'nothing'}\n${text}`);
      }
    });
    console.log(`pod configuration differential: ${worlds.length} pods, ${failing} containers or volumes the kubelet fails, ${namedCount} named by svclint, ${silentSecrets} left unsaid (a Secret not in the files)`);
    expect(disagreements.slice(0, 3)).toEqual([]);
    // The generator reaches both sides: containers and volumes that fail, named by svclint.
    expect(failing).toBeGreaterThan(50);
    expect(namedCount).toBeGreaterThan(40);
    expect(silentSecrets).toBeGreaterThan(0);
  });

  it('agrees on which containers the runAsNonRoot check refuses (verifyRunAsNonRoot)', () => {
    // Images: one the table says runs as root, one as a user name, and images svclint knows nothing of (run as some uid or name).
    const images = [
      { image: 'nginx:1.27', user: undefined as { uid?: number; username?: string } | undefined, known: true },
      { image: 'memcached:1.6', user: { username: 'memcache' }, known: true },
      { image: 'registry.example.com/app:1', user: { uid: 0 }, known: false },
      { image: 'registry.example.com/app:2', user: { uid: 1000 }, known: false },
      { image: 'registry.example.com/app:3', user: { username: 'app' }, known: false },
    ];
    const sc = fc.record({ runAsNonRoot: fc.option(fc.boolean(), { nil: undefined }), runAsUser: fc.option(oneOf(0, 0, 1000), { nil: undefined }) }, { requiredKeys: [] });
    const pods = fc.sample(fc.record({
      pod: fc.option(sc, { nil: undefined }),
      containers: fc.array(fc.record({ image: fc.nat(images.length - 1), sc: fc.option(sc, { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
      init: fc.array(fc.record({ image: fc.nat(images.length - 1), sc: fc.option(sc, { nil: undefined }) }), { maxLength: 1 }),
    }), 400);
    const clean = (x: Record<string, unknown> | undefined) => (x ? Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) : undefined);
    const specOf = (p: (typeof pods)[number]) => ({
      ...(p.pod ? { securityContext: clean(p.pod) } : {}),
      initContainers: p.init.map((c, i) => ({ name: `init${i}`, image: images[c.image]!.image, ...(c.sc ? { securityContext: clean(c.sc) } : {}) })),
      containers: p.containers.map((c, i) => ({ name: `main${i}`, image: images[c.image]!.image, ports: [{ containerPort: 8080 }], ...(c.sc ? { securityContext: clean(c.sc) } : {}) })),
    });
    const input = pods.map((p) => JSON.stringify({
      pod: { metadata: { name: 'web-0', namespace: NS }, spec: specOf(p) },
      configMaps: [],
      secrets: [],
      imageUsers: Object.fromEntries([...p.init.map((c, i) => [`init${i}`, c.image] as const), ...p.containers.map((c, i) => [`main${i}`, c.image] as const)]
        .flatMap(([name, k]) => (images[k]!.user ? [[name, images[k]!.user]] : []))),
    })).join('\n') + '\n';
    const run = spawnSync('kubelet-oracle', { input, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(run.status, run.stderr).toBe(0);
    const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer & { nonRoot: Record<string, string> });
    // The table the test hands the oracle for the images svclint knows is svclint's own.
    expect(imageUser('nginx', 'nginx:1.27')?.user).toBeUndefined();
    expect(imageUser('memcached', 'memcached:1.6')?.user).toBe('memcache');
    const disagreements: string[] = [];
    let refused = 0;
    let claimed = 0;
    pods.forEach((p, n) => {
      const text = [
        stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: specOf(p) } } }),
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }),
      ].join('---\n');
      const findings = lintText(text, 'case.yaml').findings.filter((f) => f.ruleId === 'run-as-non-root-conflict');
      const all = [...p.init.map((c, i) => ({ name: `init${i}`, c })), ...p.containers.map((c, i) => ({ name: `main${i}`, c }))];
      for (const { name, c } of all) {
        const err = answers[n]!.nonRoot[name] ?? '';
        const mine = findings.filter((f) => f.message.startsWith(`container \`${name}\` `));
        if (err) refused++;
        if (mine.length) claimed++;
        const expected = !err ? undefined
          : /runAsUser breaks non-root policy/.test(err) ? 'userZero'
            : !images[c.image]!.known ? undefined
              : /image will run as root/.test(err) ? 'imageRoot' : /non-numeric user/.test(err) ? 'imageNamedUser' : 'other';
        const got = mine.map((f) => f.messageId).join(',') || undefined;
        if (got !== expected && !(expected === undefined && err && !mine.length)) disagreements.push(`#${n} ${name}: the kubelet says "${err}", svclint says ${got ?? 'nothing'}\n${text}`);
      }
    });
    console.log(`runAsNonRoot differential: ${pods.length} pods, ${refused} containers the kubelet refuses, ${claimed} named by svclint`);
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(refused).toBeGreaterThan(50);
    expect(claimed).toBeGreaterThan(30);
  });
});

describe('probe-port-undeclared against the kubelet\'s HTTP prober', () => {
  it('warns of a scheme that contradicts its port\'s name exactly where the prober fails against the server the name stands for', () => {
    // The name says what the server speaks (tls, plain) or nothing (a neutral name).
    const names: [string, 'tls' | 'plain' | undefined][] = [['https', 'tls'], ['https-api', 'tls'], ['web-tls', 'tls'], ['tls', 'tls'], ['http', 'plain'], ['http-metrics', 'plain'], ['web-http', 'plain'], ['web', undefined], ['grpc', undefined], ['httpx', undefined]];
    const cases = fc.sample(fc.record({
      name: fc.nat(names.length - 1),
      scheme: oneOf<string | undefined>(undefined, 'HTTP', 'HTTPS'),
      byName: fc.boolean(),
      probe: oneOf('readinessProbe', 'livenessProbe', 'startupProbe'),
    }), 200);
    const input = cases.map((c) => JSON.stringify({
      pod: {},
      probe: { httpGet: { path: '/healthz', ...(c.scheme ? { scheme: c.scheme } : {}) }, server: names[c.name]![1] ?? 'plain' },
    })).join('\n') + '\n';
    const run = spawnSync('kubelet-oracle', { input, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(run.status, run.stderr).toBe(0);
    const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { probe: string });
    const disagreements: string[] = [];
    let warned = 0;
    let failed = 0;
    cases.forEach((c, n) => {
      const [name, speaks] = names[c.name]!;
      const result = answers[n]!.probe;
      if (!/^success:/.test(result)) failed++;
      const container = { name: 'app', image: 'example/app:1', ports: [{ name, containerPort: 8443 }], [c.probe]: { httpGet: { path: '/healthz', port: c.byName ? name : 8443, ...(c.scheme ? { scheme: c.scheme } : {}) } } };
      const text = [
        stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } } }),
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }] } }),
      ].join('---\n');
      const mine = lintText(text, 'case.yaml').findings.filter((f) => f.ruleId === 'probe-port-undeclared' && (f.messageId === 'plainToTls' || f.messageId === 'tlsToPlain'));
      if (mine.length) warned++;
      // A neutral name is no evidence: svclint says nothing, whatever the prober does.
      const expected = speaks === undefined ? false : !/^success:/.test(result);
      if ((mine.length > 0) !== expected) disagreements.push(`#${n} port ${name} (${speaks ?? 'neutral'}), scheme ${c.scheme ?? 'unset'}: the prober says "${result}", svclint ${mine.length ? 'warns' : 'says nothing'}`);
    });
    console.log(`probe scheme differential: ${cases.length} probes, ${failed} failed by the kubelet's prober, ${warned} warned of by svclint`);
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(warned).toBeGreaterThan(30);
    expect(cases.length - failed).toBeGreaterThan(50);
  });
});
