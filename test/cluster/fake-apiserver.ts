import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that answers like kube-apiserver for the lists the doctor reads,
 * so a test can make one kind misbehave the way a real server cannot on demand (drip,
 * endless body, garbage, redirects...). Everything else answers a small healthy cluster.
 */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean | void;

const KINDS: Record<string, string> = {
  services: 'Service', pods: 'Pod', endpointslices: 'EndpointSlice', deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet', replicationcontrollers: 'ReplicationController', jobs: 'Job', cronjobs: 'CronJob', ingresses: 'Ingress', endpoints: 'Endpoints',
  configmaps: 'ConfigMap', httproutes: 'HTTPRoute', rollouts: 'Rollout', nodes: 'Node', events: 'Event', networkpolicies: 'NetworkPolicy',
  namespaces: 'Namespace',
};

export const TOKEN = 'fake-token-7a1c';

/** The plural a path lists (or gets), like `pods` for /api/v1/namespaces/x/pods. */
export function pluralOf(url: URL): string | undefined {
  const m = /^\/apis?\/(?:[^/]+\/)?v[^/]+\/(?:namespaces\/[^/]+\/)?([a-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
  return m ? m[1] : undefined;
}

const HEALTHY: Record<string, Record<string, unknown>[]> = {
  services: [{ metadata: { name: 'web', namespace: 'shop', uid: 's1' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }],
  pods: [{
    metadata: { name: 'web-1', namespace: 'shop', uid: 'p1', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'example/web:1', ports: [{ containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] },
  }],
  endpointslices: [{
    metadata: { name: 'web-abc', namespace: 'shop', uid: 'e1', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
  }],
};

export function list(plural: string, items: unknown, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({ kind: `${KINDS[plural] ?? 'Unknown'}List`, apiVersion: 'v1', metadata: { resourceVersion: '1', ...metadata }, items });
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function status(res: http.ServerResponse, code: number, reason: string, headers: Record<string, string> = {}): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${reason} (from the fake server)`, reason, code }, headers);
}

export class FakeApiServer {
  readonly requests: { path: string; auth?: string }[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  constructor(private readonly override: Handler = () => false, private readonly requireToken = true, private readonly token = TOKEN) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Requests for one plural outside kube-system (all pages, all attempts). */
  count(plural: string): number {
    return this.requests.filter((r) => !r.path.includes('/kube-system/') && pluralOf(new URL(r.path, 'http://x')) === plural).length;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ path: url.pathname + url.search, auth: req.headers.authorization });
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed');
    if (this.requireToken && req.headers.authorization !== `Bearer ${this.token}`) return status(res, 401, 'Unauthorized');
    if (this.override(req, res, url)) return;
    if (url.pathname === '/version') return json(res, 200, { major: '1', minor: '36', gitVersion: 'v1.36.3' });
    const plural = pluralOf(url);
    const named = /\/(services|configmaps)\/[^/]+$/.test(url.pathname);
    if (!plural || named) return status(res, 404, 'NotFound');
    // kube-system reads for the DNS check: no cluster DNS in this cluster.
    if (url.pathname.includes('/namespaces/kube-system/')) return json(res, 200, list(plural, []));
    json(res, 200, list(plural, HEALTHY[plural] ?? []));
  }
}

/** A kubeconfig for the fake server. */
export function fakeKubeconfig(server: string, user: Record<string, unknown> = { token: TOKEN }): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'fake',
    clusters: [{ name: 'fake', cluster: { server } }],
    users: [{ name: 'fake', user }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
  });
}

/**
 * Writes a list answer as fast as the client reads it (chunked: no Content-Length): the
 * opening, then copies of `chunk` (items, each followed by a comma) until `bytes` are sent
 * (forever with Infinity), then one last item and the closing. `metadata` may carry a
 * continue token.
 */
export function streamList(res: http.ServerResponse, plural: string, opts: { chunk: Buffer; last: string; bytes: number; metadata?: Record<string, unknown> }): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write(`{"kind":"${KINDS[plural] ?? 'Unknown'}List","apiVersion":"v1","metadata":${JSON.stringify({ resourceVersion: '1', ...opts.metadata })},"items":[`);
  let sent = 0;
  const pump = () => {
    while (!res.destroyed) {
      if (sent + opts.chunk.length > opts.bytes) {
        res.end(`${opts.last}]}`);
        return;
      }
      sent += opts.chunk.length;
      if (!res.write(opts.chunk)) return;
    }
  };
  res.on('drain', pump);
  pump();
}

/** `n` items (each followed by a comma) of about `size` bytes each, for streamList. */
export function itemsChunk(n: number, size: number): { chunk: Buffer; last: string } {
  const item = (i: number) => JSON.stringify({ metadata: { name: `o-${i}`, namespace: 'shop', labels: { app: 'x' }, annotations: { pad: 'p'.repeat(Math.max(0, size - 100)) } }, spec: {} });
  return { chunk: Buffer.from(Array.from({ length: n }, (_, i) => `${item(i)},`).join('')), last: item(n) };
}
