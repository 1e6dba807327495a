import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';

/** Whether a client over IPv6 loopback reaches a server bound to `host`: what the kernel decides. */
async function takesIPv6(host: string): Promise<boolean> {
  const server = net.createServer((c) => c.end('ok'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  try {
    return await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: '::1', port });
      c.once('data', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
}

/** A Deployment whose server binds `host`, behind a Service of these IP families. */
function manifest(host: string, families: string[]): string {
  return `apiVersion: v1
kind: Service
metadata: {name: api, namespace: v6}
spec:
  ipFamilies: [${families.join(', ')}]
  ipFamilyPolicy: ${families.length > 1 ? 'RequireDualStack' : 'SingleStack'}
  selector: {app: api}
  ports: [{port: 80, targetPort: 8000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: v6}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1
          command: [uvicorn, app:app, --host, "${host}", --port, "8000"]
          ports: [{containerPort: 8000}]
`;
}

describe('servers bound to IPv4 only behind IPv6 single-stack Services', () => {
  it('is an error exactly where the kernel refuses an IPv6 client, and never for a dual-stack Service', async () => {
    const verdicts: Record<string, boolean> = {};
    for (const host of ['0.0.0.0', '::']) {
      const refused = !(await takesIPv6(host));
      verdicts[host] = refused;
      const findings = lintText(manifest(host, ['IPv6'])).findings.filter((f) => f.messageId === 'ipv4Only');
      expect(findings.length > 0, host).toBe(refused);
      if (refused) expect(findings[0]!.severity).toBe('error');
      // A dual-stack Service's IPv4 address reaches a server on 0.0.0.0: not judged.
      expect(lintText(manifest(host, ['IPv4', 'IPv6'])).findings.filter((f) => f.messageId === 'ipv4Only')).toEqual([]);
    }
    // Both answers were exercised: the IPv4 wildcard refuses IPv6 clients, the IPv6 one takes them.
    expect(verdicts).toEqual({ '0.0.0.0': true, '::': false });
  });
});
