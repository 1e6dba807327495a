import https from 'node:https';
import http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../errors.js';
import { guardKubeconfig } from './kubeconfig-guard.js';

/** A resource svclint reads from a live cluster. Never Secrets. */
export interface Resource {
  apiVersion: string;
  kind: string;
  plural: string;
  /** Custom resources may not be installed: skipped quietly when the API does not know them. */
  optional?: boolean;
  /** Cluster-scoped (Nodes): one list whatever namespaces are asked for. */
  clusterScoped?: boolean;
  fieldSelector?: string;
  /** Keep only the newest this many (Events). */
  keep?: number;
}

export const RESOURCES: Resource[] = [
  { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
  { apiVersion: 'v1', kind: 'Node', plural: 'nodes', clusterScoped: true },
  { apiVersion: 'v1', kind: 'Event', plural: 'events', fieldSelector: 'type=Warning', keep: 1000 },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices' },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets' },
  { apiVersion: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers' },
  { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' },
  { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies' },
  { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', clusterScoped: true },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', plural: 'httproutes', optional: true },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', optional: true },
];

/** v1 Endpoints: read only on clusters that serve no discovery.k8s.io/v1 EndpointSlices. */
export const ENDPOINTS: Resource = { apiVersion: 'v1', kind: 'Endpoints', plural: 'endpoints' };

export interface ReadOptions {
  kubeconfig?: string;
  context?: string;
  /** Namespaces to read; undefined reads the whole cluster. */
  namespaces?: string[];
  requestTimeoutMs: number;
  pageSize?: number;
  onProgress?: (text: string) => void;
  /** Called after each page of a paged list (tests use it to break things mid-read). */
  onPage?: (page: number) => Promise<void>;
}

export interface Gap {
  kind: string;
  namespace?: string;
  reason: string;
}

export interface ClusterRead {
  items: Record<string, unknown>[];
  /** What could not be read (403), so the checks that needed it are named. */
  gaps: Gap[];
  endpointSource: 'EndpointSlice' | 'Endpoints';
  requests: number;
  server: string;
  /** For follow-up lists (pods cluster-wide when a selector matches none in scope). */
  reader: ClusterReader;
  /** kube-system facts for the DNS check, when readable. */
  dns?: { pods: Record<string, unknown>[]; service?: Record<string, unknown>; slices: Record<string, unknown>[]; corefile?: string; kubeProxyConfig?: string; readable: boolean };
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Loads kubeconfig the way kubectl does: --kubeconfig, else KUBECONFIG, else ~/.kube/config, else in-cluster. */
export async function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  guardKubeconfig(opts.kubeconfig);
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
    if (opts.context) kc.setCurrentContext(opts.context);
  } catch (err) {
    throw new UsageError(`cannot load kubeconfig: ${(err as Error).message.split('\n')[0]}`);
  }
  if (opts.context && kc.getCurrentContext() !== opts.context) throw new UsageError(`no context '${opts.context}' in the kubeconfig`);
  if (!kc.getCurrentCluster()) throw new UsageError('no cluster in the kubeconfig: set KUBECONFIG, --kubeconfig or --context');
  return kc;
}

/** Reads the cluster with a fixed number of paged list calls per kind: never a call per Service or pod. */
export class ClusterReader {
  requests = 0;
  private readonly base: URL;

  constructor(private readonly kc: KubeConfig, private readonly timeoutMs: number) {
    this.base = new URL(kc.getCurrentCluster()!.server);
  }

  get server(): string {
    return this.base.origin;
  }

  /** One GET, JSON in and out, with the kubeconfig's TLS and credentials. */
  async get(path: string): Promise<Record<string, unknown>> {
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(opts);
    const url = new URL(path, this.base);
    const lib = url.protocol === 'https:' ? https : http;
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { ...opts, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // a non-JSON answer: keep the status
          }
          if ((res.statusCode ?? 0) >= 400) reject(new HttpError(res.statusCode ?? 0, typeof body.message === 'string' ? body.message : text.slice(0, 200)));
          else resolve(body);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  /** Called after each page (tests use it to let a continue token expire). */
  onPage?: (page: number) => Promise<void>;
  /** How many lists had to start again because their continue token expired. */
  restarts = 0;

  /** Lists a resource page by page; restarts once when the continue token expires (410). */
  async list(r: Resource, namespace: string | undefined, pageSize: number): Promise<Record<string, unknown>[]> {
    const prefix = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`;
    const path = namespace && !r.clusterScoped ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${prefix}/${r.plural}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const items: Record<string, unknown>[] = [];
      let cont: string | undefined;
      try {
        do {
          const q = new URLSearchParams({ limit: String(pageSize) });
          if (r.fieldSelector) q.set('fieldSelector', r.fieldSelector);
          if (cont) q.set('continue', cont);
          const page = await this.get(`${path}?${q}`);
          for (const it of (page.items as Record<string, unknown>[] | undefined) ?? []) {
            items.push({ apiVersion: r.apiVersion, kind: r.kind, ...it });
          }
          const meta = page.metadata as { continue?: string } | undefined;
          cont = meta?.continue || undefined;
          if (cont && this.onPage) await this.onPage(items.length);
        } while (cont);
        return r.keep ? newest(items, r.keep) : items;
      } catch (err) {
        if (err instanceof HttpError && err.status === 410 && attempt === 0) {
          this.restarts++;
          continue; // expired continue token: list again from the start
        }
        throw err;
      }
    }
    return [];
  }
}

const eventTime = (e: Record<string, unknown>): string => {
  const m = e.metadata as { creationTimestamp?: string } | undefined;
  return String(e.lastTimestamp ?? e.eventTime ?? m?.creationTimestamp ?? '');
};

/** The newest `keep` items by their last time (RFC 3339 strings sort as times). */
function newest(items: Record<string, unknown>[], keep: number): Record<string, unknown>[] {
  return items.sort((a, b) => (eventTime(a) < eventTime(b) ? 1 : eventTime(a) > eventTime(b) ? -1 : 0)).slice(0, keep);
}

export function isHttpError(err: unknown, status?: number): err is HttpError {
  return err instanceof HttpError && (status === undefined || err.status === status);
}

function unreachable(server: string, err: unknown): UsageError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code ? `${e.code}` : e.message;
  return new UsageError(`cannot reach the Kubernetes API at ${server} (${why}); check the kubeconfig context and that the cluster is running`);
}

/** Reads everything the doctor needs, tolerating 403s per kind and namespace and missing CRDs. */
export async function readCluster(kc: KubeConfig, opts: ReadOptions): Promise<ClusterRead> {
  const reader = new ClusterReader(kc, opts.requestTimeoutMs);
  reader.onPage = opts.onPage;
  const pageSize = opts.pageSize ?? 500;
  const gaps: Gap[] = [];
  const items: Record<string, unknown>[] = [];
  // The first request proves the server answers and the credentials work.
  try {
    await reader.get('/version');
  } catch (err) {
    if (isHttpError(err, 401)) throw new UsageError(`the Kubernetes API at ${reader.server} rejected the credentials (401 Unauthorized); refresh them or pick another --context`);
    if (!isHttpError(err)) throw unreachable(reader.server, err);
  }
  const state = { endpointSource: 'EndpointSlice' as ClusterRead['endpointSource'] };
  const scopes = opts.namespaces ?? [undefined];
  const read = async (r: Resource) => {
    if (r.clusterScoped) {
      const wide = await listClusterWide(reader, r, pageSize);
      items.push(...wide.items);
      if (wide.gap) gaps.push(wide.gap);
      return;
    }
    for (const ns of scopes) {
      try {
        opts.onProgress?.(`reading ${r.plural}${ns ? ` in ${ns}` : ''}`);
        items.push(...(await reader.list(r, ns, pageSize)));
      } catch (err) {
        if (isHttpError(err, 404)) {
          if (r.kind === 'EndpointSlice') state.endpointSource = 'Endpoints';
          else if (!r.optional) gaps.push({ kind: r.kind, namespace: ns, reason: 'the API does not serve it' });
        } else if (isHttpError(err, 403)) {
          gaps.push({ kind: r.kind, namespace: ns, reason: 'forbidden (403): the credentials may not list it' });
        } else if (isHttpError(err)) {
          gaps.push({ kind: r.kind, namespace: ns, reason: err.message });
        } else {
          throw unreachable(reader.server, err);
        }
      }
    }
  };
  for (const r of RESOURCES) await read(r);
  if (state.endpointSource === 'Endpoints') await read(ENDPOINTS);
  const dns = await readDns(reader);
  // Cluster DNS is checked whatever namespaces were asked for: its objects join the rest.
  if (dns?.readable) {
    items.push(...dns.pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p })));
    if (dns.service) items.push({ apiVersion: 'v1', kind: 'Service', ...dns.service });
    items.push(...dns.slices.map((s) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...s })));
    if (dns.corefile !== undefined) items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: dns.corefile } });
    if (dns.kubeProxyConfig !== undefined) items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, data: { 'config.conf': dns.kubeProxyConfig } });
  } else {
    gaps.push({ kind: 'cluster DNS (kube-system)', reason: 'forbidden: the cluster DNS check did not run' });
  }
  return { items, gaps, endpointSource: state.endpointSource, requests: reader.requests, server: reader.server, reader, dns };
}

/** One cluster-wide paged list; what forbids it becomes a gap. */
export async function listClusterWide(reader: ClusterReader, r: Resource, pageSize = 500): Promise<{ items: Record<string, unknown>[]; gap?: Gap }> {
  try {
    return { items: await reader.list(r, undefined, pageSize) };
  } catch (err) {
    if (!isHttpError(err)) throw unreachable(reader.server, err);
    return { items: [], gap: { kind: r.kind, reason: isHttpError(err, 403) ? 'forbidden (403): the credentials may not list it' : (err as Error).message } };
  }
}

/** Cluster DNS health inputs: a fixed handful of requests in kube-system. */
async function readDns(reader: ClusterReader): Promise<ClusterRead['dns']> {
  const out: NonNullable<ClusterRead['dns']> = { pods: [], slices: [], readable: true };
  try {
    const pods = await reader.get('/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns');
    out.pods = (pods.items as Record<string, unknown>[]) ?? [];
    out.service = await reader.get('/api/v1/namespaces/kube-system/services/kube-dns').catch((e) => (isHttpError(e, 404) ? undefined : Promise.reject(e)));
    const slices = await reader.get('/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkube-dns');
    out.slices = (slices.items as Record<string, unknown>[]) ?? [];
    const cm = await reader.get('/api/v1/namespaces/kube-system/configmaps/coredns').catch((e) => (isHttpError(e, 404) ? undefined : Promise.reject(e)));
    const data = cm?.data as Record<string, string> | undefined;
    out.corefile = data?.Corefile;
    // kube-proxy's mode, when kubeadm-style configuration is readable (best effort).
    const kp = await reader.get('/api/v1/namespaces/kube-system/configmaps/kube-proxy').catch(() => undefined);
    out.kubeProxyConfig = (kp?.data as Record<string, string> | undefined)?.['config.conf'];
  } catch (err) {
    if (!isHttpError(err)) throw err;
    return { pods: [], slices: [], readable: false };
  }
  return out;
}
