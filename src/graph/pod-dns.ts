import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { Path } from '../types/object.js';
import { isIP } from '../lazy-builtins.js';
import type { MuslResolver, PodResolver } from '../types/reference.js';
import { getIn } from './pods.js';

export type { PodResolver };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.toLowerCase().replace(/\.$/, '')) : []);

/** Addresses that are never a Service ClusterIP: globally routable unicast (public DNS such as 8.8.8.8). */
export function isPublicAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 169 && b === 254) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    return true;
  }
  if (v === 6) {
    const h = ip.toLowerCase();
    return /^[23]/.test(h) && !h.startsWith('2001:db8');
  }
  return false;
}

/** The ClusterIPs of cluster DNS the run defines (`kube-system/kube-dns`, or the configured Service). */
export function clusterDnsIPs(graph: ServiceGraph): Set<string> {
  const cfg = graph.settings.networkPolicy?.clusterDns;
  const svc = graph.service(cfg?.namespace ?? 'kube-system', cfg?.service ?? 'kube-dns');
  const out = new Set<string>();
  if (svc?.clusterIP && svc.clusterIP !== 'None') out.add(svc.clusterIP);
  for (const ip of strings(getIn(svc?.object.body, ['spec', 'clusterIPs']))) if (ip !== 'none') out.add(ip);
  return out;
}

const cache = new WeakMap<PodTemplate, PodResolver>();

/**
 * The `dnsConfig.searches` a ClusterFirst pod's resolv.conf surely keeps: the kubelet puts its
 * three cluster entries and the node's search list first, drops duplicates, and cuts the list
 * to 32 entries and 2,048 characters from the end (GetPodDNS, formDNSSearchFitsLimits). The
 * node's entries are not in the manifests, so what is kept here may still be cut; what is
 * dropped here is dropped on every node.
 */
function fittedSearches(searches: string[], namespace: string, domain: string): string[] {
  const composed = [`${namespace}.svc.${domain}`, `svc.${domain}`, domain];
  let chars = composed.join(' ').length;
  const out: string[] = [];
  for (const s of searches) {
    if (composed.includes(s)) continue;
    if (composed.length + 1 > 32 || chars + 1 + s.length > 2048) break;
    composed.push(s);
    chars += 1 + s.length;
    out.push(s);
  }
  return out;
}

export function podResolver(graph: ServiceGraph, t: PodTemplate): PodResolver {
  let r = cache.get(t);
  if (r) return r;
  const spec = [...t.path, 'spec'];
  const policy = getIn(t.owner.body, [...spec, 'dnsPolicy']);
  const hostNetwork = getIn(t.owner.body, [...spec, 'hostNetwork']) === true;
  const searches = strings(getIn(t.owner.body, [...spec, 'dnsConfig', 'searches']));
  const nameservers = strings(getIn(t.owner.body, [...spec, 'dnsConfig', 'nameservers']));
  // The search line as the kubelet writes it (the node's own entries come on top for ClusterFirst).
  const line = policy === 'None' ? searches : [`${t.namespace}.svc.${graph.settings.clusterDomain}`, `svc.${graph.settings.clusterDomain}`, graph.settings.clusterDomain, ...fittedSearches(searches, t.namespace, graph.settings.clusterDomain)];
  const lineLength = line.length ? `search ${line.join(' ')}`.length : 0;
  const musl = muslResolver(t, spec, policy === 'None', lineLength >= 255 ? { length: lineLength, path: [...spec, 'dnsConfig', 'searches'] } : undefined);
  if (policy === 'None') {
    const known = clusterDnsIPs(graph);
    // A private address may be the cluster DNS, a node-local cache or a DNS of its own: only the run's ClusterIP proves it.
    const clusterDns = nameservers.some((n) => known.has(n)) ? 'yes' : nameservers.length > 0 && nameservers.every(isPublicAddress) ? 'no' : 'unknown';
    r = { kind: 'none', path: [...spec, 'dnsPolicy'], searches, nameservers, clusterDns, ...(musl ? { musl } : {}) };
  } else if (policy === 'Default') r = { kind: 'node', why: 'default', path: [...spec, 'dnsPolicy'] };
  else if (hostNetwork && policy !== 'ClusterFirstWithHostNet') r = { kind: 'node', why: 'host-network', path: [...spec, policy === undefined ? 'hostNetwork' : 'dnsPolicy'] };
  else r = { kind: 'cluster', extraSearches: fittedSearches(searches, t.namespace, graph.settings.clusterDomain), ...(musl ? { musl } : {}) };
  cache.set(t, r);
  return r;
}

/** Images built on musl libc: Alpine (`alpine:3.20`, `node:20-alpine`, `redis:7-alpine3.20`) and `…musl` tags. */
const MUSL_IMAGE = /(^|[/:@_.-])alpine|musl/i;
/**
 * Alpine images whose program is a static Go binary (`caddy:2-alpine` is built with
 * CGO_ENABLED=0): it resolves with Go's own resolver, which tries every candidate of the search
 * list whatever ndots says, not with musl's.
 */
const GO_PROGRAM_IMAGE = /(^|\/)(caddy|traefik|nats|registry|vault|consul|cloudflared|oauth2-proxy)(:|@|$)/i;
const muslProgram = (image: string): boolean => MUSL_IMAGE.test(image) && !GO_PROGRAM_IMAGE.test(image);

/** The image of a pod whose every container resolves with musl, or undefined. */
export function muslPodImage(t: PodTemplate): string | undefined {
  const containers = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
  if (!Array.isArray(containers) || containers.length === 0) return undefined;
  const images = containers.map((c) => getIn(c, ['image']));
  return images.every((i): i is string => typeof i === 'string' && muslProgram(i)) ? images[0] as string : undefined;
}

/**
 * A template whose every container runs a musl image, with the `ndots` its resolv.conf gets:
 * the pod's `dnsConfig` option, else 5 (the kubelet's) or, with `dnsPolicy: None`, the
 * resolver's own default 1. Undefined when the ndots leaves every short cluster name to the
 * search list (kubelet's 5 with no option) or a container may not be musl.
 */
function muslResolver(t: PodTemplate, spec: Path, none: boolean, searchLine?: { length: number; path: Path }): MuslResolver | undefined {
  const containers = getIn(t.owner.body, [...spec, 'containers']);
  if (!Array.isArray(containers) || containers.length === 0) return undefined;
  const images = containers.map((c) => getIn(c, ['image']));
  if (!images.every((i): i is string => typeof i === 'string' && muslProgram(i))) return undefined;
  const options = getIn(t.owner.body, [...spec, 'dnsConfig', 'options']);
  let found: MuslResolver | undefined;
  if (Array.isArray(options)) {
    options.forEach((o, i) => {
      if (getIn(o, ['name']) !== 'ndots') return;
      const v = getIn(o, ['value']);
      const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : undefined;
      // The last option of a name wins in resolv.conf.
      if (n !== undefined) found = { ndots: Math.min(n, 15), path: [...spec, 'dnsConfig', 'options', i], image: images[0]! };
    });
  }
  const line = searchLine ? { searchLine } : {};
  if (found) return found.ndots < 5 || none || searchLine ? { ...found, ...line } : undefined;
  if (none) return { ndots: 1, path: [...spec, 'dnsPolicy'], image: images[0]!, ...line };
  return searchLine ? { ndots: 5, path: searchLine.path, image: images[0]!, ...line } : undefined;
}

/** One key per distinct resolver, to group the pods that read one value. */
export function resolverKey(r: PodResolver): string {
  switch (r.kind) {
    case 'cluster':
      return r.extraSearches.length || r.musl ? `cluster:${r.extraSearches.join(' ')}${r.musl ? `:musl${r.musl.ndots}` : ''}` : '';
    case 'node':
      return 'node';
    case 'none':
      return `none:${r.clusterDns}:${r.searches.join(' ')}${r.musl ? `:musl${r.musl.ndots}` : ''}`;
  }
}

const aliasCache = new WeakMap<PodTemplate, ReadonlyMap<string, { ip: string; path: Path }>>();

/**
 * The pod's `hostAliases`, by lowercase hostname: the kubelet writes them into /etc/hosts,
 * which glibc and musl read before DNS, for the name exactly as written (no search path).
 */
export function hostAliases(t: PodTemplate): ReadonlyMap<string, { ip: string; path: Path }> {
  let m = aliasCache.get(t);
  if (m) return m;
  const out = new Map<string, { ip: string; path: Path }>();
  const at = [...t.path, 'spec', 'hostAliases'];
  const items = getIn(t.owner.body, at);
  (Array.isArray(items) ? items : []).forEach((a, i) => {
    const ip = getIn(a, ['ip']);
    const names = getIn(a, ['hostnames']);
    if (typeof ip !== 'string' || !isIP(ip) || !Array.isArray(names)) return;
    names.forEach((n, j) => {
      if (typeof n === 'string' && n !== '' && !out.has(n.toLowerCase())) out.set(n.toLowerCase(), { ip, path: [...at, i, 'hostnames', j] });
    });
  });
  aliasCache.set(t, (m = out));
  return m;
}

/** One key per distinct set of host aliases ('' for none), to group the pods that read one value. */
export function aliasKey(t: PodTemplate): string {
  const m = hostAliases(t);
  return m.size ? [...m].map(([h, a]) => `${h}=${a.ip}`).sort().join(',') : '';
}
