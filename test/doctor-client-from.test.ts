import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/**
 * The client view over a saved cluster state (--from): the pod's resolver, as the kubelet
 * writes resolv.conf from dnsPolicy, hostNetwork and dnsConfig, decides whether any cluster
 * name resolves at all.
 */
const pod = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'example/app:1', env: [{ name: 'API', value: 'http://api.backend:80' }] }], ...spec },
  status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
});

function state(): string {
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'backend' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'backend' }, spec: { clusterIP: '10.96.0.10', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-0', namespace: 'backend', labels: { app: 'api' } }, spec: { nodeName: 'node-1', containers: [{ name: 'api', image: 'example/api:1', ports: [{ containerPort: 8080 }] }] }, status: { phase: 'Running', podIP: '10.244.0.6', conditions: [{ type: 'Ready', status: 'True' }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'api-1', namespace: 'backend', labels: { 'kubernetes.io/service-name': 'api' } }, addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.0.6'], conditions: { ready: true } }] },
    pod('cluster-first', {}),
    pod('node-dns', { dnsPolicy: 'Default' }),
    pod('host-net', { hostNetwork: true }),
    pod('host-net-cluster', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }),
    pod('own-dns', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['example.com'] } }),
    // gRPC targets of the kubernetes resolver: no DNS (so the node's resolver does not matter), the pods' port.
    pod('grpc-kube', { dnsPolicy: 'Default', containers: [{ name: 'app', image: 'example/app:1', env: [{ name: 'API', value: 'kubernetes:///api.backend:80' }, { name: 'API_PODS', value: 'kubernetes:///api.backend:8080' }] }] }),
  ];
  const d = mkdtempSync(path.join(tmpdir(), 'svclint-client-'));
  const file = path.join(d, 'state.yaml');
  writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items }));
  return file;
}

describe('the client view judges the pod\'s own resolver', () => {
  const file = state();
  const view = (p: string) => cli(['doctor', '--from', file, `pod/${p}`, '-n', 'shop']);

  it('follows a name through cluster DNS with dnsPolicy ClusterFirst (and ClusterFirstWithHostNet)', () => {
    for (const p of ['cluster-first', 'host-net-cluster']) {
      const r = view(p);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/✔ resolver: cluster DNS \(dnsPolicy ClusterFirst(WithHostNet)?\), search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local, ndots 5/);
      expect(r.stdout).toContain('✔ name: `api.backend` is Service backend/api (through the search path)');
      expect(r.stdout).toContain('✔ endpoints: 1 ready');
    }
  });

  it('says no cluster name resolves with the node\'s resolver or nameservers of its own', () => {
    const cases = {
      'node-dns': "resolver: dnsPolicy Default uses the node's resolver",
      'host-net': 'resolver: a hostNetwork pod with dnsPolicy ClusterFirst falls back to the node\'s resolver',
      'own-dns': 'resolver: dnsPolicy None, nameservers 1.1.1.1',
    };
    for (const [p, text] of Object.entries(cases)) {
      const r = view(p);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toContain(`✘ ${text}`);
      // The name's finding (dns-reference-unknown-service judges the pod's resolver) says why it does not resolve.
      expect(r.stdout).toMatch(/✘ name: `[^`]*api\.backend[^`]*` in env `API` of container `app` is a cluster name, but /);
    }
  });

  it('follows a gRPC kubernetes:/// target through the API, not DNS: its port is the pods\'', () => {
    const r = view('grpc-kube');
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain('✔ name: `api.backend` is Service backend/api (a gRPC `kubernetes://` target: the client lists its EndpointSlices from the API and dials the pods, no DNS)');
    expect(r.stdout).toContain('✘ port: no port of Service backend/api sends to 80 on its pods');
    expect(r.stdout).toContain('✔ port 80/TCP → 8080 (8080 on the pods)');
    expect(r.stdout).toContain('✔ endpoints: 1 ready');
  });

  it('turns a namespace without a Service into the client view of the pods that dial one', () => {
    const r = cli(['doctor', '--from', file, '-n', 'shop']);
    expect(r.code).toBe(1);
    for (const p of ['cluster-first', 'node-dns', 'host-net', 'host-net-cluster', 'own-dns']) expect(r.stdout).toContain(`Pod shop/${p}: 1 pod, 1 ready`);
  });
});
