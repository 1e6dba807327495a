import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The selector-too-broad worst case: `n` Services and `n` Deployments in one namespace,
 * every selector matching every pod template through one shared label. Each Service
 * selects all `n` workloads, so the run does at least n × n selection work; what it must
 * not do is compare n × n workload pairs for each Service.
 */
export function generateBroad(dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: svc-${i}, namespace: broad}
spec:
  selector: {team: shared}
  ports: [{name: http, port: 80, targetPort: 8080}]`);
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: broad}
spec:
  selector: {matchLabels: {team: shared, app: app-${i}}}
  template:
    metadata: {labels: {team: shared, app: app-${i}}}
    spec:
      containers: [{name: app, image: "example/app-${i}:1", ports: [{containerPort: 8080}]}]`);
  }
  writeFileSync(path.join(dir, 'broad.yaml'), `${docs.join('\n---\n')}\n`);
}
