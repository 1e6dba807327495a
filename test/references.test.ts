import { describe, expect, it } from 'vitest';
import { buildFromFiles } from '../src/lint.js';
import { references } from '../src/graph/references.js';

const edgesOf = (text: string) => references(buildFromFiles({ files: [{ path: 'x.yaml', text }] }));

const base = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  containers: [{name: api, image: "example/api:1", ports: [{containerPort: 8080}, {containerPort: 9090}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: example/web:1
      env:
`;

const env = (value: string) => `${base}        - {name: X, value: ${JSON.stringify(value)}}\n`;

describe('reference edges', () => {
  it('carry the Service port a connection reaches', () => {
    const [e] = edgesOf(env('http://api.shop:80'));
    expect(e!.resolution.kind).toBe('service');
    expect(e!.servicePort?.name).toBe('http');
    expect(e!.site.clients.map((t) => t.owner.name)).toEqual(['web']);
  });
  it('use the scheme port when the text names none', () => {
    const [e] = edgesOf(env('http://api/v1'));
    expect(e!.defaultPort).toBe(80);
    expect(e!.port).toBeUndefined();
    expect(e!.servicePort?.port).toBe(80);
  });
  it('leave servicePort unset for a port the Service does not expose', () => {
    const [e] = edgesOf(env('api.shop.svc.cluster.local:8080'));
    expect(e!.servicePort).toBeUndefined();
  });
  it('resolve SRV names to the named port', () => {
    const [e] = edgesOf(env('_grpc._tcp.api.shop.svc.cluster.local'));
    expect(e!.srv).toEqual({ port: 'grpc', protocol: 'TCP' });
    expect(e!.servicePort?.port).toBe(9090);
  });
  it('resolve Service-link variables of the pod namespace as edges', () => {
    const edges = edgesOf(env('$(API_SERVICE_HOST):$(API_SERVICE_PORT_GRPC)'));
    expect(edges.map((e) => [e.text, e.resolution.kind, e.servicePort?.port])).toEqual([
      ['$(API_SERVICE_HOST)', 'service', 80],
      ['$(API_SERVICE_PORT_GRPC)', 'service', 9090],
    ]);
  });
  it('resolve namespace/name references', () => {
    const [e] = edgesOf(env('--upstream-service=shop/api'));
    expect(e!.namespaced).toBe(true);
    expect(e!.resolution.kind).toBe('service');
  });
});

describe('host spelling', () => {
  it('reads a trailing dot and upper case as the same name', () => {
    const [e] = edgesOf(env('API.Shop.svc.cluster.local.:80'));
    expect(e!.resolution.kind).toBe('service');
    expect(e!.servicePort?.name).toBe('http');
  });
});
