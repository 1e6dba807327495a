import type { ServiceGraph } from '../types/graph.js';
import type { DnsResolution } from '../types/reference.js';
import { getIn } from './pods.js';

export type { DnsResolution };

/** Services every cluster has, whether or not the manifests define them. */
const BUILTIN = new Set(['default/kubernetes', 'kube-system/kube-dns']);

/** Multi-cluster Service names (the MCS API) resolve elsewhere; they are not this cluster's. */
const OTHER_DOMAINS = new Set(['clusterset.local']);

function statefulSetPod(graph: ServiceGraph, namespace: string, name: string): DnsResolution | undefined {
  const m = /^(.+)-(\d+)$/.exec(name);
  if (!m) return undefined;
  const t = graph.templatesIn(namespace).find((x) => x.owner.kind === 'StatefulSet' && x.owner.name === m[1]);
  if (!t) return undefined;
  const sn = getIn(t.owner.body, ['spec', 'serviceName']);
  return { kind: 'statefulset-pod', pod: name, statefulSet: m[1]!, serviceName: typeof sn === 'string' && sn !== '' ? sn : undefined, namespace };
}

/**
 * Resolves a hostname the way a pod in namespace `from` would: a bare name only in its own
 * namespace (`<name>.<from>.svc.<domain>`), `<svc>.<ns>` and `<svc>.<ns>.svc` through the
 * search path, `<host>.<svc>.<ns>.svc.<domain>` for pods of headless Services. Names the
 * run cannot judge (other namespaces it does not define, external hosts) are `unknown`.
 */
export function resolveHost(graph: ServiceGraph, host: string, from: string): DnsResolution {
  const domain = graph.settings.clusterDomain;
  const h = host.toLowerCase().replace(/\.$/, '');
  const labels = h.split('.');
  // Only a namespace the run defines Services in can tell that a Service is missing.
  const known = (ns: string) => graph.servicesIn(ns).length > 0;
  if (labels.length >= 2 && BUILTIN.has(`${labels[1]}/${labels[0]}`) && (labels.length === 2 || labels[2] === 'svc')) return { kind: 'unknown' };

  const svcIdx = labels.lastIndexOf('svc');
  if (svcIdx > 0) {
    const suffix = labels.slice(svcIdx + 1).join('.');
    const rest = labels.slice(0, svcIdx);
    if (suffix !== '' && suffix !== domain) {
      if (OTHER_DOMAINS.has(suffix) || rest.length < 2) return { kind: 'unknown' };
      return { kind: 'wrong-domain', domain: suffix, name: rest.at(-2)!, namespace: rest.at(-1)! };
    }
    if (rest.length === 2) return named(graph, rest[0]!, rest[1]!, 'fqdn');
    if (rest.length === 3) {
      const [podHost, svcName, ns] = rest as [string, string, string];
      if (!known(ns)) return { kind: 'unknown' };
      const svc = graph.service(ns, svcName);
      if (!svc) return { kind: 'missing', name: svcName, namespace: ns, form: 'fqdn' };
      return svc.headless ? { kind: 'pod', service: svc, namespace: ns, host: podHost } : { kind: 'pod-not-headless', service: svc, host: podHost };
    }
    return { kind: 'unknown' };
  }
  if (labels.length === 1) {
    const svc = graph.service(from, h);
    if (svc) return { kind: 'service', service: svc, namespace: from, form: 'short' };
    if (!known(from)) return { kind: 'unknown' };
    const pod = statefulSetPod(graph, from, h);
    if (pod) return pod;
    const elsewhere = graph.servicesNamed(h).filter((s) => s.object.namespace !== from).map((s) => s.object.namespace);
    return elsewhere.length ? { kind: 'short-elsewhere', name: h, namespaces: [...new Set(elsewhere)] } : { kind: 'unknown' };
  }
  if (labels.length === 2) {
    const [a, b] = labels as [string, string];
    if (known(b)) return named(graph, a, b, 'namespaced');
    const swapped = known(a) ? graph.service(a, b) : undefined;
    if (swapped) return { kind: 'swapped', service: swapped };
    return { kind: 'unknown' };
  }
  if (labels.length === 3) {
    // `<pod>.<svc>.<ns>` reaches a headless Service's pod through the `svc.<domain>` search entry.
    const [podHost, svcName, ns] = labels as [string, string, string];
    const svc = known(ns) ? graph.service(ns, svcName) : undefined;
    if (svc?.headless) return { kind: 'pod', service: svc, namespace: ns, host: podHost };
  }
  return { kind: 'unknown' };
}

function named(graph: ServiceGraph, name: string, ns: string, form: 'namespaced' | 'fqdn'): DnsResolution {
  if (graph.servicesIn(ns).length === 0) return { kind: 'unknown' };
  const svc = graph.service(ns, name);
  if (svc) return { kind: 'service', service: svc, namespace: ns, form };
  return statefulSetPod(graph, ns, name) ?? { kind: 'missing', name, namespace: ns, form };
}
