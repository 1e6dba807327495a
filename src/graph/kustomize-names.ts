import { parseDocument } from 'yaml';
import type { K8sObject } from '../types/object.js';
import type { ServiceGraph, ServiceNode } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { partAt } from '../load/document.js';

/** An object's name and namespace as its resource file writes them (namespace '' when not written). */
interface Written {
  name: string;
  namespace: string;
}

const writtenCache = new WeakMap<K8sObject, Written | null>();

/**
 * The name and namespace an object rendered by kustomize has in the resource file it comes
 * from, before `namePrefix`, `nameSuffix` and `namespace` changed them. Undefined for objects
 * of other origins, or when the source cannot tell.
 */
export function written(o: K8sObject): Written | undefined {
  const origin = o.origin;
  if (!origin || origin.file.rendered !== 'kustomize' || origin.base.length > 0) return undefined;
  const known = writtenCache.get(o);
  if (known !== undefined) return known ?? undefined;
  let out: Written | null = null;
  const part = partAt(origin.file, origin.docRange[0]);
  // The resource is the last source of a part (patches come first).
  const src = part?.sources?.at(-1);
  if (src) {
    try {
      const v: unknown = parseDocument(src.file.text.slice(src.docRange[0], src.docRange[1]), { prettyErrors: false, logLevel: 'error' }).toJS({ maxAliasCount: 100 });
      const meta = isRecord(v) ? v.metadata : undefined;
      if (isRecord(v) && v.kind === o.kind && isRecord(meta) && typeof meta.name === 'string') {
        out = { name: meta.name, namespace: typeof meta.namespace === 'string' ? meta.namespace : '' };
      }
    } catch {
      out = null;
    }
  }
  writtenCache.set(o, out);
  return out ?? undefined;
}

const byWritten = new WeakMap<ServiceGraph, Map<string, ServiceNode[]>>();

/** Services of a namespace that kustomize renamed from `name` (`api` → `prod-api`). */
export function renamedServices(graph: ServiceGraph, namespace: string, name: string): ServiceNode[] {
  let m = byWritten.get(graph);
  if (!m) {
    m = new Map();
    for (const s of graph.services) {
      const w = written(s.object);
      if (w === undefined || w.name === s.object.name) continue;
      const key = `${s.object.namespace}/${w.name}`;
      const list = m.get(key);
      if (list) list.push(s);
      else m.set(key, [s]);
    }
    byWritten.set(graph, m);
  }
  return m.get(`${namespace}/${name}`) ?? [];
}

/**
 * Whether kustomize's `namespace` moved a Service out of `from`: its resource file writes
 * that namespace, or none while `from` is `default` (where it lands when applied alone).
 */
export function movedFrom(s: ServiceNode, from: string): boolean {
  const w = written(s.object);
  if (!w || s.object.namespace === from) return false;
  return w.namespace === from || (w.namespace === '' && from === 'default');
}
