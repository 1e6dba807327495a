import type { K8sObject } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { getIn } from './pods.js';
import { isRecord } from '../load/objects.js';

const cmIndex = new WeakMap<ServiceGraph, Map<string, K8sObject>>();

/** A ConfigMap of the run by namespace and name. */
export function configMap(graph: ServiceGraph, namespace: string, name: string): K8sObject | undefined {
  let ix = cmIndex.get(graph);
  if (!ix) {
    ix = new Map();
    for (const o of graph.objects) if (o.kind === 'ConfigMap' && o.apiVersion === 'v1' && !ix.has(`${o.namespace}/${o.name}`)) ix.set(`${o.namespace}/${o.name}`, o);
    cmIndex.set(graph, ix);
  }
  return ix.get(`${namespace}/${name}`);
}

/**
 * The text of the file at an absolute path inside a container, when a ConfigMap of the run
 * provides it through a volume (`configMap`, or a `projected` volume's ConfigMap sources):
 * a mount of the whole volume (a key, or an `items` path, under the mount path) or a
 * `subPath` mount of one key. `at` is the index of the volume mount.
 */
export function mountedFile(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): { text: string; key: string; configMap: string; at: number } | undefined {
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  for (let at = mounts.length - 1; at >= 0; at--) {
    const m = mounts[at];
    if (!isRecord(m) || typeof m.mountPath !== 'string' || typeof m.name !== 'string') continue;
    const mountPath = m.mountPath.replace(/\/+$/, '');
    const sub = typeof m.subPath === 'string' && m.subPath !== '' ? m.subPath : undefined;
    let rel: string | undefined;
    if (sub !== undefined) rel = mountPath === file ? sub : file.startsWith(`${mountPath}/`) ? `${sub}/${file.slice(mountPath.length + 1)}` : undefined;
    else rel = file.startsWith(`${mountPath}/`) ? file.slice(mountPath.length + 1) : undefined;
    if (rel === undefined) continue;
    const vol = (Array.isArray(volumes) ? volumes : []).find((v) => isRecord(v) && v.name === m.name);
    const projected = getIn(vol, ['projected', 'sources']);
    const sources = isRecord(getIn(vol, ['configMap'])) ? [getIn(vol, ['configMap'])] : (Array.isArray(projected) ? projected : []).map((s) => getIn(s, ['configMap'])).filter(isRecord);
    for (const src of sources) {
      if (!isRecord(src) || typeof src.name !== 'string') continue;
      const data = getIn(configMap(graph, t.namespace, src.name)?.body, ['data']);
      if (!isRecord(data)) continue;
      const items = Array.isArray(src.items) ? src.items.filter(isRecord) : [];
      const key = items.length ? (items.find((i) => i.path === rel)?.key as string | undefined) : rel;
      if (typeof key === 'string' && typeof data[key] === 'string') return { text: data[key] as string, key, configMap: src.name, at };
    }
    // The mount covers the path: what it holds is not in the run.
    return undefined;
  }
  return undefined;
}

/** The repository of a Docker Hub image (`library/` and the registry left out); undefined for another registry. */
export function hubRepository(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const parts = image.replace(/@.*$/, '').split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    if (!/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)$/.test(parts[0]!)) return undefined;
    parts.shift();
  }
  const last = parts.pop()!;
  return [...parts, last.replace(/:[^:]*$/, '')].join('/').replace(/^library\//, '');
}
