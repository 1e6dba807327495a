import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlPlane, RUNNING } from '../test/cluster/controlplane.js';

/**
 * `npm run bench:peers`: the doctor for one Service against Popeye and k8sgpt, on the same
 * namespace of a real control plane (the one bench/doctor.ts starts). The peers are built
 * by scripts/peers.sh at pinned versions (once, into the tools cache); a peer that is not
 * there is left out. Each round runs every tool once as a fresh process, the order turning
 * from round to round; reports the median wall time, CPU time (user + system of the child)
 * and peak RSS of each tool, the API requests it made, the ratios svclint ÷ peer, and
 * whether each one named the broken Service's cause. Reports numbers; passes or fails on
 * nothing.
 *
 *   BENCH_ROUNDS (default 7)   rounds of alternating runs
 *   BENCH_PROFILE_RUNS (5)     extra svclint runs with SVCLINT_TIMING=1, for its phase split
 *   BENCH_PEERS (popeye k8sgpt) the peers to build and run
 *   BENCH_NODE                 another Node.js binary: svclint runs under it too, as one more tool
 *   BENCH_BASELINE             another build's bin/svclint.js (say, an earlier commit's, from `git archive`):
 *                              run as one more tool, for a before/after under the same load
 *   BENCH_TARGETS (orders)     the Services svclint is run on, each as one more tool (web, cart, frontend are healthy)
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = path.join(root, 'bin', 'svclint.cjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PROFILE_RUNS = Number(process.env.BENCH_PROFILE_RUNS ?? 5);
const NS = 'shop';
/** The broken Service: its selector (app=order) matches no pod; the pods say app=orders. */
const BROKEN = 'orders';

const wanted = (process.env.BENCH_PEERS ?? 'popeye k8sgpt').split(/[\s,]+/).filter(Boolean);
const peers = spawnSync('bash', [path.join(root, 'scripts', 'peers.sh'), ...wanted], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const peerBin = peers.stdout.trim().split('\n').at(-1) ?? '';
if (peers.status !== 0) console.log(`scripts/peers.sh exited ${peers.status}: the peers it could not build are left out`);
const stamp = (name: string) => {
  const f = path.join(peerBin, '..', `${name}.version`);
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : '';
};

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`load average at start: ${load()}`);

const cp = new ControlPlane();
await cp.start();
const home = mkdtempSync(path.join(tmpdir(), 'svclint-peers-home-'));
try {
  await populate();
  // Verified TLS, as a real kubeconfig has it: the API server's own CA instead of insecure-skip-tls-verify.
  const kc = path.join(cp.dir, 'doctor-trusted.kubeconfig');
  writeFileSync(kc, readFileSync(cp.kubeconfig('doctor'), 'utf8').replace('insecure-skip-tls-verify: true', `certificate-authority: ${cp.servingCA}`));
  // The peers get a home of their own: k8sgpt writes its config there, Popeye its log.
  const peerEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache'), XDG_DATA_HOME: path.join(home, '.local', 'share') };

  interface Tool { name: string; ours: boolean; floor?: true; version: string; cmd: string; args: string[]; env: NodeJS.ProcessEnv }
  const svclint = (node: string, env: NodeJS.ProcessEnv = process.env, note = '', target = BROKEN, script = bin): Tool => ({
    name: `svclint (Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}${note})`, ours: true,
    version: JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version, cmd: node,
    args: [script, 'doctor', `svc/${target}`, '-n', NS, '--kubeconfig', kc], env,
  });
  const targets = (process.env.BENCH_TARGETS ?? BROKEN).split(/[\s,]+/).filter(Boolean);
  const tools: Tool[] = targets.map((t) => svclint(process.execPath, process.env, t === BROKEN ? '' : `, svc/${t}`, t));
  if (process.env.BENCH_BASELINE) {
    for (const t of targets) tools.push(svclint(process.execPath, process.env, `, baseline${t === BROKEN ? '' : `, svc/${t}`}`, t, path.resolve(process.env.BENCH_BASELINE)));
  }
  // NODE_EXTRA_CA_CERTS makes Node 20 read and parse that bundle at every start (Node 22 and newer defer it):
  // where the machine sets it, svclint runs once more without it, as on a machine that does not.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _, ...plain } = process.env;
    tools.push(svclint(process.execPath, plain, ', no NODE_EXTRA_CA_CERTS'));
  }
  if (process.env.BENCH_NODE) tools.push(svclint(process.env.BENCH_NODE));
  // The floor of any Node.js doctor: start, node:https, one verified GET, JSON (bench/node-floor.ts).
  tools.push({ name: `Node ${process.version}: one HTTPS GET, nothing else`, ours: false, floor: true, version: '-', cmd: process.execPath, args: [path.join(root, 'dist', 'bench', 'node-floor.js'), kc, NS], env: process.env });
  const popeye = path.join(peerBin, 'popeye');
  if (wanted.includes('popeye') && existsSync(popeye)) tools.push({ name: 'popeye', ours: false, version: stamp('popeye'), cmd: popeye, args: ['-n', NS, '-s', 'svc', '--kubeconfig', kc, '--logs', path.join(home, 'popeye.log')], env: peerEnv });
  const k8sgpt = path.join(peerBin, 'k8sgpt');
  if (wanted.includes('k8sgpt') && existsSync(k8sgpt)) tools.push({ name: 'k8sgpt', ours: false, version: stamp('k8sgpt'), cmd: k8sgpt, args: ['analyze', '--filter', 'Service', '--namespace', NS, '--kubeconfig', kc, '--no-cache'], env: peerEnv });

  interface Run { wallMs: number; cpuMs: number; rssMB: number; requests: number; code: number; stdout: string; stderr: string }
  const run = (t: Tool, extraEnv: NodeJS.ProcessEnv = {}): Run => {
    const before = cp.requestsBy('doctor');
    const start = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', 'bench-peers-time %U %S %M', t.cmd, ...t.args], { encoding: 'utf8', env: { ...t.env, ...extraEnv }, maxBuffer: 1 << 26 });
    const wallMs = performance.now() - start;
    const m = /bench-peers-time (\S+) (\S+) (\d+)\s*$/.exec(r.stderr);
    if (!m) throw new Error(`${t.name}: no time line (${r.error?.message ?? r.stderr.slice(-500)})`);
    return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMB: Number(m[3]) / 1024, requests: cp.requestsBy('doctor') - before, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.slice(0, m.index) };
  };

  // One untimed run each first: Node's compile cache and the page cache are warm for every tool, as on a second use.
  const first = new Map(tools.map((t) => [t.name, run(t)]));
  const runs = new Map<string, Run[]>(tools.map((t) => [t.name, []]));
  const loads: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    loads.push(load());
    for (let k = 0; k < tools.length; k++) {
      const t = tools[(i + k) % tools.length]!;
      runs.get(t.name)!.push(run(t));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const med = (name: string, k: 'wallMs' | 'cpuMs' | 'rssMB' | 'requests') => median(runs.get(name)!.map((r) => r[k]));
  const spread = (name: string) => {
    const w = runs.get(name)!.map((r) => r.wallMs);
    return `${(Math.min(...w) / 1000).toFixed(2)}–${(Math.max(...w) / 1000).toFixed(2)}`;
  };

  console.log(`\nnamespace ${NS}: 4 Services (one broken: ${BROKEN}, selector app=order, pods say app=orders), 3 Deployments × 2 pods; median of ${ROUNDS} alternating rounds (order turning each round)`);
  console.log(`load average (1, 5, 15 min) at each round: ${loads.join(' | ')}; at end: ${load()}\n`);
  console.log('| tool | version | command | wall (median) | wall (min–max) | CPU user+sys | peak RSS | API requests | exit code |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const t of tools) {
    const cmd = (t.ours ? ['svclint', ...t.args.slice(1)] : t.floor ? ['node', path.relative(root, t.args[0]!), ...t.args.slice(1)] : [t.name, ...t.args]).join(' ').replace(kc, 'K').replace(path.join(home, 'popeye.log'), 'LOG');
    console.log(`| ${t.name} | ${t.version.split(' ').slice(0, 2).join(' ')} | \`${cmd}\` | ${(med(t.name, 'wallMs') / 1000).toFixed(2)} s | ${spread(t.name)} s | ${(med(t.name, 'cpuMs') / 1000).toFixed(2)} s | ${med(t.name, 'rssMB').toFixed(0)} MB | ${med(t.name, 'requests')} | ${runs.get(t.name)![0]!.code} |`);
  }
  console.log('');
  for (const o of tools.filter((t) => t.ours)) {
    for (const t of tools.filter((p) => !p.ours)) {
      const ratio = (k: 'wallMs' | 'cpuMs' | 'rssMB') => (med(o.name, k) / med(t.name, k)).toFixed(2);
      console.log(`${o.name} ÷ ${t.name}: wall ${ratio('wallMs')}×, CPU ${ratio('cpuMs')}×, peak RSS ${ratio('rssMB')}×`);
    }
  }

  // Did each tool name the broken Service's cause (its selector matching no pod)?
  console.log('\nthe broken Service\'s cause, as each tool said it:');
  const plain = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  for (const t of tools.filter((o) => (!o.ours && !o.floor) || o.args.includes(`svc/${BROKEN}`))) {
    const out = plain(first.get(t.name)!.stdout);
    const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
    const about = lines.filter((l) => /selector|no pods? match|matches 0|no endpoints|expected label/i.test(l));
    const named = out.includes(BROKEN) && about.length > 0;
    console.log(`- ${t.name}: ${named ? 'named it' : 'did not name it'}: ${about.slice(0, 2).map((l) => `«${l}»`).join(' ') || '(nothing about a selector or endpoints)'}`);
  }

  // svclint's own split of a run (SVCLINT_TIMING=1): where its wall time goes.
  for (const t of PROFILE_RUNS > 0 ? tools.filter((o) => o.ours) : []) {
    const timed = Array.from({ length: PROFILE_RUNS }, () => run(t, { SVCLINT_TIMING: '1' }));
    const phases = new Map<string, { wall: number[]; cpu: number[] }>();
    for (const r of timed) {
      const line = r.stderr.split('\n').find((l) => l.startsWith('svclint: timing:')) ?? '';
      for (const m of line.replace(/; total .*/, '').matchAll(/(\w+)(?: \(\d+\))? (\d+) ms \(cpu (\d+) ms/g)) {
        const p = phases.get(m[1]!) ?? { wall: [], cpu: [] };
        p.wall.push(Number(m[2]));
        p.cpu.push(Number(m[3]));
        phases.set(m[1]!, p);
      }
    }
    const parts = [...phases].map(([k, v]) => `${k} ${median(v.wall)} ms (cpu ${median(v.cpu)})`);
    const wall = median(timed.map((r) => r.wallMs));
    const inside = [...phases.values()].reduce((s, v) => s + median(v.wall), 0);
    console.log(`\n${t.name}, phases, median of ${PROFILE_RUNS} runs with SVCLINT_TIMING=1: wall ${wall.toFixed(0)} ms = ${parts.join(' + ')} (+ exit and the rest ${Math.max(0, wall - inside).toFixed(0)} ms); load ${load()}`);
  }
  for (const t of tools) {
    const w = runs.get(t.name)!.find((r) => r.code !== runs.get(t.name)![0]!.code);
    if (w) console.log(`note: ${t.name} exited ${w.code} in some runs: ${w.stderr.slice(-300)}`);
  }
} finally {
  await cp.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(cp.dir, { recursive: true, force: true });
}

/** The namespace: three Deployments with ready pods (the test plays their kubelet) and Services, and one broken Service. */
async function populate(): Promise<void> {
  await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'doctor-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
  const apps = ['web', 'cart', 'orders'];
  for (const app of apps) {
    await cp.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: NS },
      spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: `registry.example.com/${app}:1`, ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    });
  }
  const service = (name: string, selector: Record<string, string>) => cp.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  await service('web', { app: 'web' });
  await service('cart', { app: 'cart' });
  await service('frontend', { app: 'web' });
  await service(BROKEN, { app: 'order' });
  for (const app of apps) await cp.runPods(NS, `app=${app}`, 2, (ip) => RUNNING(ip, true));
  for (const svc of ['web', 'cart', 'frontend']) await cp.waitSlices(NS, svc, 2);
}
