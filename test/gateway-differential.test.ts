// tools: control-plane
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';
import { ControlPlane } from './cluster/controlplane.js';
import { CORPUS, corpusOrSkip, ruleCaseObjects } from './helpers.js';

/**
 * Differential test: generated Gateways, HTTPRoutes and GRPCRoutes are sent to a real kube-apiserver
 * (v1.36) that serves the Gateway API's CustomResourceDefinitions (v1.3.0, from the shared
 * corpus: their OpenAPI schemas and CEL rules are the validation), as a server-side dry run,
 * and linted by svclint. `schema-invalid` must say "the API server rejects this" exactly
 * when the server rejects the object. The generator varies the fields svclint checks;
 * everything else is valid. SVCLINT_ORACLE_DUMP=<file> appends every disagreement to that file.
 */
const CRDS = path.join(CORPUS, 'projectcontour__contour', 'examples', 'gateway', '00-crds.yaml');
const NS = 'gw';
const haveCorpus = corpusOrSkip('the Gateway API differential test (its CRDs come from the corpus)');

const oneOf = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** The field is absent `absent` times as often as it is present. */
const opt = <T>(a: fc.Arbitrary<T>, absent = 2) => fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: a, weight: 1 });
const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const hostname = fc.oneof({ arbitrary: oneOf('shop.example.com', '*.example.com', 'a.b'), weight: 4 }, { arbitrary: oneOf('shop.example.com:8080', 'Shop.example.com', 'https://shop.example.com', '*', 'shop_1.example.com', 'shop.example.com.', '10.0.0.1'), weight: 2 });
const pathValue = fc.oneof({ arbitrary: oneOf('/', '/api', '/api/v1/', '/a-b_c.d~e'), weight: 4 }, { arbitrary: oneOf('api', '//api', '/api/./x', '/api/../x', '/api/..', '/api/.', '/a%2fb', '/a%2Fb', '/a#b', '/a b', '/a?b', '/a%20b', '/a{b}', '^/api/.*', 'https://x/api', ''), weight: 3 });
const pathMatch = fc.record({ type: opt(oneOf('Exact', 'PathPrefix', 'PathPrefix', 'RegularExpression', 'Prefix'), 1), value: opt(pathValue, 1) }, { requiredKeys: [] });
const headerMatch = fc.record({ name: oneOf('x-user', 'X-Canary', 'x user', 'x:y', 'x@y'), value: fc.constant('a'), type: opt(oneOf('Exact', 'RegularExpression', 'Prefix'), 3) });
const routeMatch = fc.record({
  path: opt(pathMatch, 1),
  method: opt(oneOf('GET', 'POST', 'get', 'FETCH'), 4),
  headers: opt(fc.array(headerMatch, { minLength: 1, maxLength: 2 }), 4),
  queryParams: opt(fc.array(headerMatch, { minLength: 1, maxLength: 1 }), 6),
}, { requiredKeys: [] });
const rewritePath = fc.oneof(
  oneOf({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/' }, { type: 'ReplaceFullPath', replaceFullPath: '/x' }),
  oneOf({ type: 'ReplacePrefixMatch' }, { type: 'ReplaceFullPath' }, { type: 'ReplaceFullPath', replacePrefixMatch: '/' }, { type: 'Replace', replaceFullPath: '/x' }),
);
const rewriteHost = oneOf('shop.example.com', 'Shop.example.com', '*.example.com', 'shop.example.com:80');
const filter = fc.oneof(
  fc.record({ type: fc.constant('URLRewrite'), urlRewrite: fc.record({ hostname: opt(rewriteHost), path: opt(rewritePath, 1) }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constant('RequestRedirect'), requestRedirect: fc.record({ hostname: opt(rewriteHost), path: opt(rewritePath, 1), statusCode: fc.constant(302) }, { requiredKeys: [] }) }),
  fc.constant({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: 'b' }] } }),
  fc.constant({ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-a', value: 'b' }] } }),
  // A field of another type, or none for the type.
  oneOf({ type: 'RequestHeaderModifier', urlRewrite: { hostname: 'a.example.com' } }, { type: 'URLRewrite' }, { type: 'RequestRedirect', requestRedirect: { scheme: 'https' }, requestHeaderModifier: { set: [{ name: 'x', value: 'y' }] } }),
);
const duration = oneOf('10s', '1m30s', '500ms', '0s', '1h', '10', '1.5s', '10 s', '2m', '5s');
const rule = fc.record({
  matches: opt(fc.array(routeMatch, { minLength: 0, maxLength: 2 }), 1),
  filters: opt(fc.array(filter, { minLength: 1, maxLength: 2 }), 2),
  backendRefs: fc.constant([{ name: 'web', port: 80 }]),
  timeouts: opt(fc.record({ request: opt(duration, 1), backendRequest: opt(duration, 1) }, { requiredKeys: [] }), 4),
}, { requiredKeys: [] });
const httpRoute = fc.record({
  hostnames: opt(fc.array(hostname, { minLength: 1, maxLength: 2 }), 1),
  parentRefs: fc.oneof(fc.constant([{ name: 'gw' }]), oneOf([{ name: 'gw', sectionName: 'http' }], [{ name: 'gw', sectionName: 'Http' }], [{ name: 'gw', sectionName: 'web_1' }])),
  rules: fc.array(rule, { minLength: 1, maxLength: 2 }),
}, { requiredKeys: ['parentRefs', 'rules'] }).map((spec) => clean({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: NS }, spec }));

const grpcMethod = fc.record({
  type: opt(oneOf('Exact', 'RegularExpression', 'Prefix'), 3),
  service: opt(oneOf('helloworld.Greeter', 'Greeter', '.helloworld.Greeter', '/helloworld.Greeter/SayHello', 'hello-world.Greeter', 'helloworld\\..*'), 1),
  method: opt(oneOf('SayHello', 'say_hello', '/SayHello', 'Say.Hello', '.*'), 1),
}, { requiredKeys: [] });
const grpcFilter = oneOf<Record<string, unknown>>(
  { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: 'b' }] } },
  { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-a', value: 'b' }] } },
  { type: 'URLRewrite', urlRewrite: { hostname: 'a.example.com' } },
  { type: 'RequestHeaderModifier' },
  { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x', value: 'y' }] }, responseHeaderModifier: { add: [{ name: 'x', value: 'y' }] } },
);
const grpcRoute = fc.record({
  hostnames: opt(fc.array(hostname, { minLength: 1, maxLength: 2 }), 1),
  rules: fc.array(fc.record({
    matches: opt(fc.array(fc.record({ method: opt(grpcMethod, 1), headers: opt(fc.array(headerMatch, { minLength: 1, maxLength: 1 }), 4) }, { requiredKeys: [] }), { minLength: 1, maxLength: 2 }), 1),
    filters: opt(fc.array(grpcFilter, { minLength: 1, maxLength: 2 }), 2),
    backendRefs: fc.constant([{ name: 'greeter', port: 50051 }]),
  }, { requiredKeys: ['backendRefs'] }), { minLength: 1, maxLength: 2 }),
}, { requiredKeys: ['rules'] }).map((spec) => clean({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'greeter', namespace: NS }, spec: { parentRefs: [{ name: 'gw' }], ...spec } }));

const tls = oneOf<Record<string, unknown> | undefined>(undefined, { certificateRefs: [{ name: 'cert' }] }, { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] }, { mode: 'Passthrough' }, {}, { mode: 'Terminate' });
// Mostly well-formed listeners (a protocol with the TLS it takes), some not.
const wellFormed = fc.oneof(
  fc.record({ protocol: fc.constant('HTTP'), tls: fc.constant(undefined) }),
  fc.record({ protocol: fc.constant('HTTPS'), tls: fc.constant({ certificateRefs: [{ name: 'cert' }] }) }),
  fc.record({ protocol: fc.constant('TLS'), tls: fc.constant({ mode: 'Passthrough' }) }),
  fc.record({ protocol: oneOf('TCP', 'UDP'), tls: fc.constant(undefined) }),
);
// Core protocols, and names the CRD's pattern decides: lowercase, implementation-specific, malformed.
const anyProtocol = fc.record({ protocol: fc.oneof({ arbitrary: oneOf('HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'), weight: 3 }, { arbitrary: oneOf('http', 'GRPC', 'example.com/proxyv2', 'example.com/proxy-v2', 'Example.com/x', 'x y.io/a', 'a.io/', '-tcp', 'h2c'), weight: 2 }), tls });
const listener = fc.record({
  name: fc.oneof({ arbitrary: oneOf('http', 'https', 'tcp', 'a.b'), weight: 5 }, { arbitrary: oneOf('Http', 'web_1'), weight: 1 }),
  port: oneOf(80, 443, 8443, 9000),
  hostname: opt(hostname, 3),
  kind: fc.oneof({ arbitrary: wellFormed, weight: 3 }, { arbitrary: anyProtocol, weight: 1 }),
}).map(({ kind, ...l }) => ({ ...l, ...kind }));
// Listener names mostly unique; one gateway in ten repeats the first name.
const gateway = fc.record({ listeners: fc.uniqueArray(listener, { minLength: 1, maxLength: 3, selector: (l) => l.name }), repeat: fc.integer({ min: 0, max: 9 }) })
  .map(({ listeners, repeat }) => (repeat === 0 && listeners.length > 1 ? [listeners[0]!, { ...listeners[1]!, name: listeners[0]!.name }, ...listeners.slice(2)] : listeners)).map((listeners) => clean({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: NS },
  spec: { gatewayClassName: 'example', listeners },
}));

let cp: ControlPlane;

async function rejectedByServer(obj: Record<string, unknown>): Promise<{ rejected: boolean; message: string }> {
  const plural = obj.kind === 'Gateway' ? 'gateways' : obj.kind === 'GRPCRoute' ? 'grpcroutes' : 'httproutes';
  const r = await cp.api('POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/${plural}?dryRun=All&fieldValidation=Strict`, obj);
  if (r.status < 300) return { rejected: false, message: '' };
  if (r.status !== 422 && r.status !== 400) throw new Error(`dry run of ${String(obj.kind)}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return { rejected: true, message: String(r.body.message ?? '') };
}

function rejectedBySvclint(obj: Record<string, unknown>): string[] {
  const { findings } = lintText(stringify(obj), 'gw.yaml');
  // A Service backend without a port is route-backend-unknown's (the CRD's "Must have port for Service reference").
  return findings.filter((f) => (f.ruleId === 'schema-invalid' || (f.ruleId === 'route-backend-unknown' && f.messageId === 'noPortField')) && (f.ruleSeverity ?? f.severity) === 'error').map((f) => f.message);
}

async function compare(objects: Record<string, unknown>[]): Promise<{ rejected: number; disagreements: string[] }> {
  const out = { rejected: 0, disagreements: [] as string[] };
  for (let i = 0; i < objects.length; i += 6) {
    const batch = objects.slice(i, i + 6);
    const verdicts = await Promise.all(batch.map(rejectedByServer));
    batch.forEach((o, k) => {
      const server = verdicts[k]!;
      const ours = rejectedBySvclint(o);
      if (server.rejected) out.rejected++;
      if (server.rejected !== ours.length > 0 && process.env.SVCLINT_ORACLE_DUMP) appendFileSync(process.env.SVCLINT_ORACLE_DUMP, `${server.rejected ? 'SERVER' : 'SVCLINT'}: ${server.message || ours.join(' | ')}\n${stringify(o)}\n`);
      if (server.rejected !== ours.length > 0) out.disagreements.push(`${server.rejected ? 'server only' : 'svclint only'}: ${server.message || ours.join(' | ')}\n${stringify(o)}`);
    });
  }
  return out;
}

describe.skipIf(!haveCorpus)('Gateway API validation against kube-apiserver with the v1.3.0 CRDs (server-side dry run)', () => {
  beforeAll(async () => {
    cp = new ControlPlane({ controllerManager: false });
    await cp.start();
    await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const wanted = new Set(['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io']);
    for (const doc of parseAllDocuments(readFileSync(CRDS, 'utf8'))) {
      const crd = doc.toJS() as Record<string, unknown> | null;
      const name = (crd?.metadata as { name?: string } | undefined)?.name;
      if (!crd || !name || !wanted.has(name)) continue;
      await cp.create(crd);
    }
    // Served once established: poll until a dry run of a valid route answers.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await cp.api('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes`);
      const g = await cp.api('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/gateways`);
      const c = await cp.api('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/grpcroutes`);
      if (r.status === 200 && g.status === 200 && c.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the Gateway API CRDs are not served: HTTP ${r.status}, ${g.status}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  }, 600_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('agrees on generated HTTPRoutes (fixed seed)', async () => {
    const t = await compare(fc.sample(httpRoute, { seed: 11, numRuns: 600 }));
    console.info(`gateway differential (HTTPRoute): 600 objects, ${t.rejected} rejected by kube-apiserver, ${t.disagreements.length} disagreements`);
    expect(t.rejected).toBeGreaterThan(150);
    expect(600 - t.rejected, 'routes the API server accepts').toBeGreaterThan(100);
    expect(t.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on generated Gateways (fixed seed)', async () => {
    const t = await compare(fc.sample(gateway, { seed: 5, numRuns: 400 }));
    console.info(`gateway differential (Gateway): 400 objects, ${t.rejected} rejected by kube-apiserver, ${t.disagreements.length} disagreements`);
    expect(t.rejected).toBeGreaterThan(100);
    expect(400 - t.rejected, 'gateways the API server accepts').toBeGreaterThan(50);
    expect(t.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on generated GRPCRoutes (fixed seed)', async () => {
    const t = await compare(fc.sample(grpcRoute, { seed: 7, numRuns: 300 }));
    console.info(`gateway differential (GRPCRoute): 300 objects, ${t.rejected} rejected by kube-apiserver, ${t.disagreements.length} disagreements`);
    expect(t.rejected).toBeGreaterThan(60);
    expect(300 - t.rejected, 'routes the API server accepts').toBeGreaterThan(40);
    expect(t.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on every HTTPRoute, GRPCRoute and Gateway of the rule cases', async () => {
    // Every object in the test's namespace: the dry run judges the object, not where it goes.
    const objects = ruleCaseObjects()
      .filter((obj) => ['HTTPRoute', 'GRPCRoute', 'Gateway'].includes(obj.kind as string) && obj.apiVersion === 'gateway.networking.k8s.io/v1')
      .map((obj) => ({ ...obj, metadata: { ...(obj.metadata as Record<string, unknown>), namespace: NS } }));
    const t = await compare(objects);
    console.info(`gateway differential (rule cases): ${objects.length} objects, ${t.rejected} rejected by kube-apiserver, ${t.disagreements.length} disagreements`);
    expect(objects.length).toBeGreaterThan(20);
    expect(t.disagreements.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('agrees on HTTPRoutes, GRPCRoutes and Gateways from a random seed, for a few seconds', async () => {
    // SVCLINT_SEED=N reruns the seed a failure printed.
    const seed = Number(process.env.SVCLINT_SEED ?? Date.now() % 1_000_000);
    const until = Date.now() + 8000;
    const all: string[] = [];
    for (let round = 0; Date.now() < until; round++) {
      const t = await compare([...fc.sample(httpRoute, { seed: seed + round, numRuns: 60 }), ...fc.sample(gateway, { seed: seed + round, numRuns: 30 }), ...fc.sample(grpcRoute, { seed: seed + round, numRuns: 30 })]);
      all.push(...t.disagreements);
    }
    expect(all.slice(0, 3), `seed ${seed}`).toEqual([]);
  }, 120_000);
});
