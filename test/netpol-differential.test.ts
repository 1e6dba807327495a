// tools: netpol-analyzer
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { judge, podView, policyIndex } from '../src/graph/netpol.js';
import { ROOT } from './helpers.js';

/**
 * Differential test: random NetworkPolicy sets over a few namespaces and pods, judged by
 * svclint and by np-guard's netpol-analyzer (an independent implementation, built from its
 * Go module by scripts/netpol-analyzer.sh). Every (source pod, destination pod, port,
 * protocol) that svclint can decide must get the same allow/deny from both.
 */

const hasGo = spawnSync('go', ['version']).status === 0;
if (!hasGo) {
  if (process.env.CI === 'true') throw new Error('the NetworkPolicy differential test needs Go (to build netpol-analyzer), and CI must run it');
  console.warn('skipping the NetworkPolicy differential test: Go is not installed (it builds netpol-analyzer)');
}

const NAMESPACES = ['ns0', 'ns1', 'ns2'];
const PORTS = [80, 8080, 53, 9000, 9050];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

const oneOf = <T>(...xs: T[]) => fc.constantFrom(...xs);
const labelValue = oneOf('a', 'b');
const podLabels = fc.record({ app: labelValue, tier: fc.option(oneOf('web', 'db'), { nil: undefined }) });
const expr = fc.oneof(
  fc.record({ key: oneOf('app', 'tier'), operator: oneOf('In', 'NotIn'), values: fc.uniqueArray(oneOf('a', 'b', 'web', 'db'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: oneOf('app', 'tier', 'team'), operator: oneOf('Exists', 'DoesNotExist') }),
);
const podSelector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ app: labelValue }) }),
  fc.record({ matchLabels: fc.record({ tier: oneOf('web', 'db') }) }),
  fc.record({ matchExpressions: fc.array(expr, { minLength: 1, maxLength: 2 }) }),
);
const nsSelector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ team: labelValue }) }),
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': oneOf(...NAMESPACES) }) }),
  fc.record({ matchExpressions: fc.array(fc.record({ key: oneOf('team', 'kubernetes.io/metadata.name'), operator: oneOf('In', 'NotIn'), values: fc.uniqueArray(oneOf('a', 'b', ...NAMESPACES), { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 1 }) }),
);
// Pod IPs are 10.244.0.x.
const ipBlock = oneOf({ cidr: '10.0.0.0/8' }, { cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] }, { cidr: '192.168.0.0/16' }, { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] });
const peer = fc.oneof(
  fc.record({ ipBlock }),
  fc.record({ podSelector }),
  fc.record({ namespaceSelector: nsSelector }),
  fc.record({ podSelector, namespaceSelector: nsSelector }),
);
const policyPort = fc.oneof(
  fc.record({ port: oneOf(...PORTS) }),
  fc.record({ port: oneOf('http', 'dns', 'metrics'), protocol: oneOf('TCP', 'UDP') }),
  oneOf({ port: 8000, endPort: 8080 }, { port: 9000, endPort: 9100, protocol: 'UDP' }, { port: 53, endPort: 80 }),
  fc.record({ protocol: oneOf(...PROTOCOLS) }),
  fc.record({ port: fc.constant(53), protocol: fc.constant('UDP') }),
);
const rule = (peerKey: 'from' | 'to') => fc.record({ [peerKey]: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(policyPort, { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: [] });
const policy = fc.record({
  namespace: oneOf(...NAMESPACES),
  podSelector,
  policyTypes: fc.option(oneOf(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
});
const containerPort = oneOf(
  { name: 'http', containerPort: 80 },
  { name: 'http', containerPort: 8080 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'metrics', containerPort: 9050 },
  { containerPort: 9000 },
);
const world = fc.record({
  pods: fc.array(fc.record({ namespace: oneOf(...NAMESPACES), labels: podLabels, ports: fc.uniqueArray(containerPort, { maxLength: 2, selector: (p) => p.name ?? String(p.containerPort) }) }), { minLength: 2, maxLength: 5 }),
  namespaceLabels: fc.option(fc.tuple(labelValue, labelValue, labelValue), { nil: undefined }),
  policies: fc.array(policy, { minLength: 1, maxLength: 4 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

const clean = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function manifests(w: World): string {
  const docs: unknown[] = [];
  if (w.namespaceLabels) NAMESPACES.forEach((ns, i) => docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: w.namespaceLabels![i] } } }));
  w.pods.forEach((p, i) => docs.push({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `pod${i}`, namespace: p.namespace, labels: clean(p.labels) },
    spec: { containers: [{ name: 'c', image: 'example/app:1', ports: p.ports }] },
    status: { podIP: `10.244.0.${i + 10}`, hostIP: '192.168.0.1', phase: 'Running' },
  }));
  // netpol-analyzer refuses named ports in egress rules to IP peers (every peer, or an ipBlock).
  const egress = (rules: typeof w.policies[number]['egress']) => rules?.map((r) => ('to' in r && r.to?.length && r.to.every((x) => !('ipBlock' in x)) ? r : { ...r, ports: r.ports?.map((x) => (typeof x.port === 'string' ? { ...x, port: 8080 } : x)) }));
  w.policies.forEach((p, i) => docs.push(clean({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: `np${i}`, namespace: p.namespace },
    spec: { podSelector: p.podSelector, policyTypes: p.policyTypes, ingress: p.ingress, egress: egress(p.egress) },
  })));
  return docs.map((d) => stringify(d)).join('---\n');
}

/** netpol-analyzer's `list -o json`: allowed connections per (source, destination) pod. */
function analyzerList(bin: string, dir: string): Map<string, string> {
  const r = spawnSync(bin, ['list', '--dirpath', dir, '-o', 'json', '-q'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`netpol-analyzer failed: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const c of JSON.parse(r.stdout) as { src: string; dst: string; conn: string }[]) out.set(`${c.src}>${c.dst}`, c.conn);
  return out;
}

/** Whether a connection string (`All Connections`, `TCP 80,9000-9100,UDP 53`) holds a port. */
export function connAllows(conn: string | undefined, port: number, protocol: string): boolean {
  if (!conn || conn === 'No Connections') return false;
  if (conn === 'All Connections') return true;
  for (const m of conn.matchAll(/(TCP|UDP|SCTP) ([\d,-]+)/g)) {
    if (m[1] !== protocol) continue;
    for (const range of m[2]!.split(',').filter(Boolean)) {
      const [a, b] = range.split('-').map(Number);
      if (port >= a! && port <= (b ?? a!)) return true;
    }
  }
  return false;
}

describe.skipIf(!hasGo)('NetworkPolicy against netpol-analyzer v1.3.1', () => {
  it('agrees on every (source, destination, port, protocol) svclint can decide, over random policy sets', () => {
    const built = spawnSync('bash', [path.join(ROOT, 'scripts', 'netpol-analyzer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    expect(built.status, 'scripts/netpol-analyzer.sh').toBe(0);
    const bin = built.stdout.trim();
    const samples = fc.sample(world, { seed: 13, numRuns: 150 });
    const disagreements: string[] = [];
    let compared = 0;
    let undecided = 0;
    for (const w of samples) {
      const dir = mkdtempSync(path.join(tmpdir(), 'svclint-netpol-'));
      try {
        const text = manifests(w);
        writeFileSync(path.join(dir, 'objects.yaml'), text);
        const theirs = analyzerList(bin, dir);
        // Without pod CIDRs, connections that hinge on an ipBlock are left undecided (see below).
        const { graph } = lintText(text);
        const index = policyIndex(graph);
        for (const src of graph.templates) {
          for (const dst of graph.templates) {
            if (src === dst) continue;
            const key = `${src.namespace}/${src.owner.name}[Pod]>${dst.namespace}/${dst.owner.name}[Pod]`;
            for (const port of PORTS) {
              for (const protocol of PROTOCOLS) {
                const v = judge(index, podView(src), podView(dst), port, protocol);
                if (v.kind === 'cannot-tell') {
                  undecided++;
                  continue;
                }
                compared++;
                const other = connAllows(theirs.get(key), port, protocol);
                if ((v.kind === 'allowed') !== other) disagreements.push(`${key} ${port}/${protocol}: svclint ${v.kind}, netpol-analyzer ${other ? 'allowed' : 'blocked'} (${theirs.get(key) ?? 'no entry'})\n${text}`);
              }
            }
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.info(`netpol differential: ${compared} connections compared, ${undecided} left undecided by svclint`);
    expect(compared).toBeGreaterThan(1000);
    if (disagreements.length) console.log(disagreements[0]);
    expect(disagreements.slice(0, 3)).toEqual([]);
  }, 600_000);

  // The one known disagreement. netpol-analyzer matches ipBlock peers against external
  // addresses only, never against pods. Upstream's e2e suite expects an ipBlock holding a
  // pod's IP to admit that pod ("should allow egress access to server in CIDR block"), and
  // plugins differ (Cilium does not); so svclint says "cannot tell" unless the pod CIDRs are
  // configured, and then follows the e2e suite.
  it('differs on ipBlock peers that hold pod IPs, where svclint follows the upstream e2e suite', () => {
    const bin = spawnSync('bash', [path.join(ROOT, 'scripts', 'netpol-analyzer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).stdout.trim();
    const text = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'a', labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] }, status: { podIP: '10.244.0.10', phase: 'Running' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'server', namespace: 'b', labels: { app: 'server' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] }, status: { podIP: '10.244.0.11', phase: 'Running' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'cidr', namespace: 'b' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080 }] }] } },
    ].map((d) => stringify(d)).join('---\n');
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-netpol-'));
    try {
      writeFileSync(path.join(dir, 'objects.yaml'), text);
      expect(connAllows(analyzerList(bin, dir).get('a/client[Pod]>b/server[Pod]'), 8080, 'TCP')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const judgeWith = (podCIDRs?: string[]) => {
      const { graph } = lintText(text, 'objects.yaml', { config: { ...defaultConfig(), ...(podCIDRs ? { networkPolicy: { podCIDRs } } : {}) } });
      const [client, server] = graph.templates;
      return judge(policyIndex(graph), podView(client!), podView(server!), 8080, 'TCP').kind;
    };
    expect(judgeWith()).toBe('cannot-tell');
    expect(judgeWith(['10.244.0.0/16'])).toBe('allowed');
  });
});
