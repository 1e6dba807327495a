// tools: control-plane
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { ControlPlane } from './cluster/controlplane.js';

/**
 * Differential test: the API server itself calls an admission webhook at a Service, through
 * k8s.io/apiserver's service resolver. Generated Services and webhook configurations are
 * created in a real kube-apiserver v1.36 (default flags: no --enable-aggregator-routing);
 * creating a ConfigMap in the webhook's namespace makes the server call the webhook, and its
 * error tells whether the resolver refused the Service ("not found", "no service port …
 * found", "cannot route to service with ClusterIP None") or let the call go on to dial (a
 * connection or DNS error: nothing listens here, which this rule does not judge).
 * `webhook-service-invalid` must report exactly the webhooks the resolver refuses.
 */

let cp: ControlPlane;

beforeAll(async () => {
  cp = new ControlPlane({ controllerManager: false });
  await cp.start();
}, 600_000);

afterAll(async () => {
  await cp?.stop();
});

type Case = {
  service?: { type: 'ClusterIP' | 'NodePort' | 'ExternalName' | 'Headless'; ports: { port: number; protocol: string }[] };
  /** The name the webhook gives: the Service's, or one character off. */
  typo: boolean;
  port?: number;
};

const PORTS = [443, 8443, 9443];
const aCase: fc.Arbitrary<Case> = fc.record({
  service: fc.option(
    fc.record({
      type: fc.constantFrom('ClusterIP', 'ClusterIP', 'NodePort', 'ExternalName', 'Headless'),
      ports: fc.uniqueArray(fc.record({ port: fc.constantFrom(...PORTS), protocol: fc.constantFrom('TCP', 'TCP', 'UDP') }), { minLength: 1, maxLength: 2, selector: (p) => `${p.port}/${p.protocol}` }),
    }),
    { nil: undefined, freq: 6 },
  ),
  typo: fc.boolean(),
  port: fc.option(fc.constantFrom(...PORTS), { nil: undefined }),
}) as fc.Arbitrary<Case>;

/** The objects of case `i` in its own namespace: the Service (if any), another Service so the namespace is judged, and the webhook. */
function objects(c: Case, i: number): Record<string, unknown>[] {
  const ns = `wh-${i}`;
  const out: Record<string, unknown>[] = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'unrelated', namespace: ns }, spec: { selector: { app: 'unrelated' }, ports: [{ port: 80 }] } },
  ];
  const s = c.service;
  if (s) {
    const spec: Record<string, unknown> = s.type === 'ExternalName'
      ? { type: 'ExternalName', externalName: 'nothing.invalid' }
      : {
          ...(s.type === 'Headless' ? { clusterIP: 'None' } : { type: s.type }),
          selector: { app: 'hook' },
          ports: s.ports.map((p, k) => ({ name: `p${k}`, port: p.port, protocol: p.protocol, targetPort: 9443 })),
        };
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook-service', namespace: ns }, spec });
  }
  out.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: ns },
    webhooks: [{
      name: `check.${ns}.example.com`,
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Fail',
      timeoutSeconds: 1,
      namespaceSelector: { matchLabels: { case: ns } },
      clientConfig: { service: { namespace: ns, name: c.typo ? 'hook-servce' : 'hook-service', path: '/validate', ...(c.port !== undefined ? { port: c.port } : {}) } },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
    }],
  });
  return out;
}

const PLURAL: Record<string, string> = { Service: 'services', ValidatingWebhookConfiguration: 'validatingwebhookconfigurations' };

async function create(obj: Record<string, unknown>): Promise<void> {
  const meta = obj.metadata as { namespace?: string };
  const api = (obj.apiVersion as string).includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const r = await cp.api('POST', `${api}${meta.namespace ? `/namespaces/${meta.namespace}` : ''}/${PLURAL[obj.kind as string]}`, obj);
  if (r.status >= 300) throw new Error(`create ${String(obj.kind)}: ${JSON.stringify(r.body).slice(0, 300)}`);
}

/** What the API server says when it calls the webhook of namespace `ns`: `refused` by its resolver, or `dialled`. */
async function callWebhook(ns: string): Promise<{ verdict: 'refused' | 'dialled'; message: string }> {
  // The server's webhook and Service caches fill shortly after the objects are created: a
  // ConfigMap that goes through was created before the webhook was seen; try again.
  for (let n = 0; n < 60; n++) {
    const r = await cp.api('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `probe-${n}` } });
    if (r.status < 300) {
      await new Promise((res) => setTimeout(res, 250));
      continue;
    }
    const message = String(r.body.message ?? JSON.stringify(r.body));
    if (!message.includes('failed calling webhook')) throw new Error(`unexpected answer ${r.status}: ${message}`);
    const refused = /service "[^"]+" not found|no service port \d+ found|cannot route to service with ClusterIP "None"/.test(message);
    return { verdict: refused ? 'refused' : 'dialled', message };
  }
  throw new Error(`the webhook of ${ns} was never called`);
}

describe('admission webhooks called by kube-apiserver v1.36', () => {
  it('webhook-service-invalid reports exactly the webhooks whose Service the API server cannot resolve (generated cases, fixed seed)', async () => {
    const cases = fc.sample(aCase, { seed: 22, numRuns: 80 });
    for (const [i, c] of cases.entries()) {
      await cp.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `wh-${i}`, labels: { case: `wh-${i}` } } });
      for (const o of objects(c, i)) await create(o);
    }
    const disagreements: string[] = [];
    const seen = { refused: 0, dialled: 0 };
    for (const [i, c] of cases.entries()) {
      const server = await callWebhook(`wh-${i}`);
      seen[server.verdict]++;
      const text = objects(c, i).map((o) => stringify(o)).join('---\n');
      const { findings } = lintText(text, `case-${i}.yaml`, { config: { ...defaultConfig(), kubernetesVersion: '1.36' } });
      const reported = findings.filter((f) => f.ruleId === 'webhook-service-invalid');
      if ((server.verdict === 'refused') !== (reported.length > 0)) {
        disagreements.push(`case ${i} ${JSON.stringify(c)}: the API server ${server.verdict} (${server.message.slice(0, 200)}); svclint: ${reported.map((f) => f.message).join(' / ') || 'nothing'}`);
      }
    }
    // The sample covers both answers (fixed seed: the counts are the same on every run).
    expect(seen.refused).toBeGreaterThan(20);
    expect(seen.dialled).toBeGreaterThan(15);
    expect(disagreements).toEqual([]);
  }, 300_000);
});
