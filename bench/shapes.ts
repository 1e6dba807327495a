import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Trees whose shape, not their size, makes work grow faster than the objects: each is one file
 * a real project could write, scaled up. BENCHMARKS.md times them (`node dist/bench/shapes.js
 * <dir>` writes them).
 *
 * - `shared`: n Services with one selector over n Deployments (every Service selects every
 *   workload: the rules must judge the shared list once, not once per Service).
 * - `policies`: n Deployments, each dialling the next one's Service, and n NetworkPolicies that all
 *   select every pod (each finding may name n policies: the report must not hold n²).
 * - `istio`: one Service, n VirtualServices and n DestinationRules for it (subsets by name).
 */
export function generateShapes(dir: string, n = { shared: 2000, policies: 1500, istio: 4000 }): void {
  rmSync(dir, { recursive: true, force: true });
  const write = (name: string, text: string) => {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, `${name}.yaml`), text);
  };
  let shared = '';
  for (let i = 0; i < n.shared; i++) {
    shared += `---\napiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec:\n  selector: {app: a}\n  ports: [{port: 80, targetPort: 8080}]\n`;
    shared += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: c, image: x:1, ports: [{containerPort: 8080}]}]\n`;
  }
  write('shared', shared);
  let policies = '';
  const p = n.policies;
  for (let i = 0; i < p; i++) {
    policies += `---\napiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80, targetPort: 8080}]\n`;
    policies += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}}\nspec:\n  selector: {matchLabels: {app: a${i}}}\n  template:\n    metadata: {labels: {app: a${i}, tier: web}}\n    spec:\n      containers: [{name: c, image: x:1, ports: [{containerPort: 8080}], env: [{name: UP, value: "http://s${(i + 1) % p}:80"}]}]\n`;
    policies += `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}}\nspec:\n  podSelector: {matchLabels: {tier: web}}\n  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{podSelector: {matchLabels: {app: a${(i + 7) % p}}}}], ports: [{port: 8080}]}]\n  egress: [{to: [{podSelector: {matchLabels: {app: a${(i + 3) % p}}}}]}]\n`;
  }
  write('policies', policies);
  let istio = 'apiVersion: v1\nkind: Service\nmetadata: {name: s0}\nspec:\n  selector: {app: a0}\n  ports: [{name: http, port: 80, targetPort: http}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d0}\nspec:\n  selector: {matchLabels: {app: a0}}\n  template:\n    metadata: {labels: {app: a0}}\n    spec:\n      containers: [{name: c, image: nginx:1, ports: [{name: http, containerPort: 8080}]}]\n';
  for (let i = 0; i < n.istio; i++) {
    istio += `---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs${i}}\nspec:\n  hosts: [s0]\n  http: [{route: [{destination: {host: s0, subset: v${i % 5}, port: {number: 80}}}]}]\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: dr${i}}\nspec:\n  host: s0\n  subsets: [{name: v${i % 5}, labels: {version: v${i % 5}}}]\n`;
  }
  write('istio', istio);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/bench/shapes.js <dir>\n');
    process.exit(2);
  }
  generateShapes(dir);
}
