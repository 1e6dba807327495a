import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a synthetic manifest tree of about `objects` objects: namespaces, each with
 * Services and their Deployments in sibling folders. One Service in ten is broken in one
 * of the four classic ways (selector typo, replicas 0, unknown named port, bad name).
 */
export function generate(dir: string, objects: number): { services: number; broken: number } {
  rmSync(dir, { recursive: true, force: true });
  const perNs = 100; // objects per namespace: 50 Services + 50 Deployments
  const namespaces = Math.max(1, Math.round(objects / perNs));
  let services = 0;
  let broken = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    const svcs: string[] = [];
    const deps: string[] = [];
    for (let i = 0; i < perNs / 2; i++) {
      const app = `app-${i}`;
      const kind = i % 10 === 3 ? (n + i) % 4 : -1;
      if (kind >= 0) broken++;
      services++;
      svcs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${kind === 3 ? `App_${i}` : app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  selector:
    app.kubernetes.io/name: ${kind === 0 ? `${app}x` : app}
    app.kubernetes.io/part-of: ${ns}
  ports:
    - name: http
      port: 80
      targetPort: ${kind === 2 ? 'htp' : 'http'}
    - name: metrics
      port: 9090
      targetPort: 9090
`);
      deps.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  replicas: ${kind === 1 ? 0 : 2}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
      app.kubernetes.io/part-of: ${ns}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
        app.kubernetes.io/part-of: ${ns}
        version: v${i % 3}
    spec:
      containers:
        - name: main
          image: registry.example.com/${ns}/${app}:1.${i}.0
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          resources:
            requests: {cpu: 100m, memory: 128Mi}
`);
    }
    mkdirSync(path.join(dir, 'services', ns), { recursive: true });
    mkdirSync(path.join(dir, 'workloads', ns), { recursive: true });
    writeFileSync(path.join(dir, 'services', ns, 'services.yaml'), svcs.join('---\n'));
    writeFileSync(path.join(dir, 'workloads', ns, 'deployments.yaml'), deps.join('---\n'));
  }
  return { services, broken };
}
