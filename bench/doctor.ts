import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlPlane, RUNNING } from '../test/cluster/controlplane.js';

/**
 * `npm run bench:doctor`: a real control plane with 2,000 Services and 10,000 pods in 50
 * namespaces; the doctor's wall time, peak memory and API requests for the whole cluster
 * and for one Service. Reports numbers; passes or fails on nothing.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '..', '..', 'bin', 'svclint.cjs');
const NS = Number(process.env.BENCH_NAMESPACES ?? 50);
const SVC = Number(process.env.BENCH_SERVICES_PER_NS ?? 40);
const PODS = Number(process.env.BENCH_PODS_PER_SVC ?? 5);

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

const cp = new ControlPlane();
await cp.start();
const t0 = performance.now();
for (let n = 0; n < NS; n++) await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'doctor-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
const jobs: { ns: string; app: string; i: number }[] = [];
for (let n = 0; n < NS; n++) for (let s = 0; s < SVC; s++) jobs.push({ ns: `team-${n}`, app: `app-${s}`, i: 0 });
await pool(jobs, 16, ({ ns, app }) => cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }));
const pods = jobs.flatMap((j) => Array.from({ length: PODS }, (_, i) => ({ ...j, i })));
let ip = 0;
await pool(pods, 16, async ({ ns, app, i }) => {
  const name = `${app}-${i}`;
  await cp.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app } }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'example/app:1', ports: [{ name: 'http', containerPort: 8080 }] }] } });
  const addr = `10.${100 + Math.floor(ip / 62500)}.${Math.floor((ip % 62500) / 250)}.${(ip++ % 250) + 1}`;
  await cp.api('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, { status: RUNNING(addr, i % 7 !== 0) }, 'application/merge-patch+json');
});
console.log(`populated ${jobs.length} Services and ${pods.length} pods in ${NS} namespaces in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
await new Promise((r) => setTimeout(r, 5000)); // let the EndpointSlice controller catch up

interface Run { ms: number; rssMB: number; requests: number; code: number; split?: Record<string, number> }

/** One doctor run: wall time, peak RSS, requests from the audit log, and the doctor's own split (SVCLINT_TIMING). */
function timed(args: string[]): Run {
  const before = cp.requestsBy('doctor');
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'doctor', '--kubeconfig', cp.kubeconfig('doctor'), '--format', 'json', '--output-file', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, SVCLINT_TIMING: '1' } });
  const ms = performance.now() - t;
  const lines = r.stderr.trim().split('\n');
  const split: Record<string, number> = {};
  for (const m of (lines.find((l) => l.startsWith('svclint: timing:')) ?? '').matchAll(/(\w+)(?: \(\d+\))? (\d+) ms \(cpu/g)) split[m[1]!] = Number(m[2]);
  return { ms, rssMB: Number(lines.at(-1)) / 1024, requests: cp.requestsBy('doctor') - before, code: r.status ?? -1, split };
}

const median = (runs: Run[]) => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
for (const [label, args] of [['whole cluster', []], ['one Service', ['svc/app-7', '-n', 'team-3']]] as const) {
  const m = median([timed([...args]), timed([...args]), timed([...args])]);
  console.log(`| ${label} | ${(m.ms / 1000).toFixed(2)} s | ${m.rssMB.toFixed(0)} MB | ${m.requests} |`);
}
// Where a one-Service run spends its wall time: five runs, the median of each part.
const runs = Array.from({ length: 5 }, () => timed(['svc/app-7', '-n', 'team-3']));
const part = (k: string) => [...runs.map((r) => r.split?.[k] ?? NaN)].sort((a, b) => a - b)[2]!;
const wall = median(runs).ms;
console.log(`\none Service, median of 5: wall ${wall.toFixed(0)} ms = startup ${part('startup')} ms + kubeconfig ${part('kubeconfig')} ms + modules ${part('modules')} ms + requests ${part('requests')} ms + analysis ${part('analysis')} ms (+ exit ${Math.max(0, wall - part('startup') - part('modules') - part('kubeconfig') - part('requests') - part('analysis')).toFixed(0)} ms)`);
await cp.stop();
