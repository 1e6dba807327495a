import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { cli } from './helpers.js';

/** Names of Object.prototype members (and two ordinary keys): label keys, port names, data keys. */
const KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'app', 'tier'] as const;
const PORT_NAMES = ['constructor', 'valueof', 'tostring', '__proto__', 'http'] as const;

/** An object with exactly these own keys, `__proto__` included (JSON.stringify writes them all). */
function dict(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const o = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const labelMap = fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('a', 'b')), { minLength: 1, maxLength: 5, selector: ([k]) => k });

const scenario = fc.record({
  selector: labelMap,
  labels: labelMap,
  targetPort: fc.constantFrom(...PORT_NAMES),
  containerPort: fc.constantFrom(...PORT_NAMES),
  annotations: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 5 }),
  dataKeys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 5 }),
  kind: fc.constantFrom(...KEYS),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The oracle: a selector matches when each of its pairs is among the labels (compared with Maps). */
const selects = (s: Scenario) => {
  const labels = new Map(s.labels);
  return s.selector.every(([k, v]) => labels.get(k) === v);
};

function service(s: Scenario): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', annotations: dict(s.annotations.map((k) => [k, 'x'])), labels: dict(s.selector) },
    spec: { selector: dict(s.selector), ports: [{ name: 'p', port: 80, targetPort: s.targetPort }] },
  };
}

const configMap = (s: Scenario) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'shop' },
  data: dict(s.dataKeys.map((k, i) => [k, i % 2 ? 'http://web.shop.svc:80' : 'http://nowhere.shop.svc.cluster.local'])),
});

/** An object whose kind is one of the names too. */
const oddKind = (s: Scenario) => ({ apiVersion: 'example.com/v1', kind: s.kind, metadata: { name: 'odd', namespace: 'shop', labels: dict(s.labels) }, spec: { template: { metadata: { labels: dict(s.labels) } } } });

const podSpec = (s: Scenario) => ({ containers: [{ name: 'c', image: 'nginx', ports: [{ name: s.containerPort, containerPort: 8080 }] }] });

/** Manifests as files: Service, Deployment and ConfigMap, as JSON text (YAML reads it the same). */
function manifests(s: Scenario): string {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: dict(s.labels), annotations: dict(s.annotations.map((k) => [k, 'y'])) },
    spec: { selector: { matchLabels: dict(s.labels) }, template: { metadata: { labels: dict(s.labels) }, spec: podSpec(s) } },
  };
  return [service(s), deployment, configMap(s), oddKind(s)].map((o) => JSON.stringify(o)).join('\n---\n');
}

/** A saved cluster state (kubectl get -o json): a running Pod and the Service's EndpointSlice. */
function savedState(s: Scenario): string {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop', uid: 'u1', labels: dict(s.labels), annotations: dict(s.annotations.map((k) => [k, 'z'])) },
    spec: podSpec(s),
    status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x', namespace: 'shop', uid: 'u2', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: selects(s) && s.targetPort === s.containerPort ? [{ addresses: ['10.0.0.1'], conditions: { ready: true } }] : [],
    ports: [{ name: 'p', port: 8080, protocol: 'TCP' }],
  };
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [service(s), pod, slice, configMap(s), oddKind(s)] });
}

function check(s: Scenario, text: string, live: boolean): void {
  const { graph, findings } = lint({ files: [{ path: live ? 'state.json' : 'all.yaml', text }], live });
  const svc = graph.services[0]!;
  // Nothing vanishes: the selector keeps every key it was written with.
  expect(Object.keys(svc.selector).sort()).toEqual(s.selector.map(([k]) => k).sort());
  expect(svc.backends.length).toBe(selects(s) ? 1 : 0);
  for (const r of svc.ports[0]!.resolutions) expect(r.declared).toBe(s.targetPort === s.containerPort);
  if (!live) expect(findings.some((f) => f.ruleId === 'selector-no-match')).toBe(!selects(s));
}

describe('keys that are Object.prototype names', () => {
  it('are ordinary keys in labels, selectors, port names, annotations and ConfigMap data (manifests)', () => {
    fc.assert(fc.property(scenario, (s) => check(s, manifests(s), false)), { numRuns: 300 });
  });

  it('are ordinary keys in a live state (doctor --from)', () => {
    fc.assert(fc.property(scenario, (s) => check(s, savedState(s), true)), { numRuns: 300 });
  });

  it('select and filter through the CLI: svclint and svclint doctor --from with -l', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-proto-'));
    const s: Scenario = {
      selector: [['toString', 'a'], ['__proto__', 'b']],
      labels: [['app', 'a']],
      targetPort: 'constructor',
      containerPort: 'http',
      annotations: ['valueOf'],
      dataKeys: ['constructor', '__proto__'],
      kind: 'constructor',
    };
    writeFileSync(path.join(dir, 'all.yaml'), manifests(s));
    writeFileSync(path.join(dir, 'state.json'), savedState(s));
    const lintRun = cli(['all.yaml', '-f', 'json'], { cwd: dir });
    expect(lintRun.code, lintRun.stderr).toBe(1);
    const found = JSON.parse(lintRun.stdout) as { findings: { ruleId: string; message: string }[] };
    const noMatch = found.findings.find((f) => f.ruleId === 'selector-no-match');
    expect(noMatch?.message).toContain('`__proto__: b`');
    expect(noMatch?.message).toContain('`toString: a`');

    // The Service carries the labels `toString` and `__proto__`, not `constructor` or `valueOf`.
    const doctor = (l: string) => cli(['doctor', '--from', 'state.json', '-l', l, '--format', 'json'], { cwd: dir });
    const ids = (r: ReturnType<typeof cli>) => (JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    const picked = doctor('__proto__=b');
    expect(picked.stderr).toBe('');
    expect(ids(picked)).toContain('selector-no-match');
    // A filter that picks no Service is a usage error (exit 2), not a clean run.
    for (const l of ['constructor', 'valueOf=a', '!toString']) {
      const r = doctor(l);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no Service/);
    }
  });
});
