import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

/**
 * `node dist/bench/netpol.js`: the cost of NetworkPolicy. The 10k-object synthetic tree,
 * with pods that dial Services in their own and the next namespace (the reference edges
 * the policies are judged along), once without and once with 500 NetworkPolicies
 * (5 per namespace: default deny, same-namespace, from the previous namespace on a named
 * port, DNS egress, metrics by expression). Reports; never passes or fails on time.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(path.resolve(here, '..', '..'), 'bench', 'out');
const worker = path.join(here, 'worker.js');
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

function clients(dir: string, namespaces: number): void {
  for (let n = 0; n < namespaces; n++) {
    const next = `team-${(n + 1) % namespaces}`;
    const pods = Array.from({ length: 10 }, (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: client-${i}, namespace: team-${n}, labels: {role: client, app.kubernetes.io/part-of: team-${n}}}
spec:
  containers:
    - name: main
      image: registry.example.com/client:1
      env:
        - {name: LOCAL_URL, value: "http://app-${i}:80"}
        - {name: REMOTE_URL, value: "http://app-${i + 10}.${next}:80"}
        - {name: METRICS, value: "app-${i + 20}:9090"}
`);
    mkdirSync(path.join(dir, 'clients', `team-${n}`), { recursive: true });
    writeFileSync(path.join(dir, 'clients', `team-${n}`, 'pods.yaml'), pods.join('---\n'));
  }
}

function policies(dir: string, namespaces: number): void {
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    const prev = `team-${(n + namespaces - 1) % namespaces}`;
    const docs = [
      `kind: NetworkPolicy\nmetadata: {name: default-deny, namespace: ${ns}}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]`,
      `kind: NetworkPolicy\nmetadata: {name: same-namespace, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {app.kubernetes.io/part-of: ${ns}}}\n  ingress: [{from: [{podSelector: {}}]}]\n  egress: [{to: [{podSelector: {}}]}]`,
      `kind: NetworkPolicy\nmetadata: {name: from-${prev}, namespace: ${ns}}\nspec:\n  podSelector: {matchExpressions: [{key: app.kubernetes.io/name, operator: Exists}]}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${prev}}}, podSelector: {matchLabels: {role: client}}}], ports: [{port: http}]}]`,
      `kind: NetworkPolicy\nmetadata: {name: dns, namespace: ${ns}}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}, {to: [{namespaceSelector: {}}], ports: [{port: 8080}]}]`,
      `kind: NetworkPolicy\nmetadata: {name: metrics, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {version: v1}}\n  ingress: [{ports: [{port: 9000, endPort: 9100}]}]`,
    ];
    writeFileSync(path.join(dir, 'clients', ns, 'policies.yaml'), docs.map((d) => `apiVersion: networking.k8s.io/v1\n${d}\n`).join('---\n'));
  }
}

function measure(dir: string): { ms: number; objects: number; findings: number } {
  const runs = Array.from({ length: repeats }, () => JSON.parse(execFileSync(process.execPath, [worker, dir, 'lint'], { encoding: 'utf8', maxBuffer: 1 << 26 })) as { ms: number; objects: number; findings: number });
  return runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}

const without = path.join(out, 'netpol-without');
const withPolicies = path.join(out, 'netpol-with');
generate(without, 10000);
clients(without, 100);
rmSync(withPolicies, { recursive: true, force: true });
cpSync(without, withPolicies, { recursive: true });
policies(withPolicies, 100);
const a = measure(without);
const b = measure(withPolicies);
console.log(`without NetworkPolicy: ${a.objects} objects, ${a.ms.toFixed(0)} ms (median of ${repeats}), ${a.findings} findings`);
console.log(`with 500 NetworkPolicies: ${b.objects} objects, ${b.ms.toFixed(0)} ms, ${b.findings} findings`);
console.log(`ratio: ${(b.ms / a.ms).toFixed(3)}×`);
