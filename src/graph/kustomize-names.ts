import { parseDocument } from 'yaml';
import type { K8sObject } from '../types/object.js';
import type { ServiceGraph, ServiceNode } from '../types/graph.js';
import { isRecord } from '../load/objects.js';

const written = new WeakMap<K8sObject, string | null>();

/**
 * The name an object rendered by kustomize has in the resource file it comes from, when
 * kustomize gave it another (`namePrefix`, `nameSuffix`): `api` for a rendered `prod-api`.
 * Undefined for objects of other origins, or when the source cannot tell.
 */
export function writtenName(o: K8sObject): string | undefined {
  const origin = o.origin;
  if (!origin || origin.file.rendered !== 'kustomize' || origin.base.length > 0) return undefined;
  const known = written.get(o);
  if (known !== undefined) return known ?? undefined;
  let name: string | null = null;
  const start = origin.docRange[0];
  // A document starts where the one before it ends: the part is the one it starts inside.
  const part = origin.file.parts?.find((p) => start >= p.range[0] && start < p.range[1]);
  // The resource is the last source of a part (patches come first).
  const src = part?.sources?.at(-1);
  if (src) {
    try {
      const v: unknown = parseDocument(src.file.text.slice(src.docRange[0], src.docRange[1]), { prettyErrors: false }).toJS({ maxAliasCount: 100 });
      const meta = isRecord(v) ? v.metadata : undefined;
      if (isRecord(meta) && typeof meta.name === 'string' && meta.name !== o.name && isRecord(v) && v.kind === o.kind) name = meta.name;
    } catch {
      name = null;
    }
  }
  written.set(o, name);
  return name ?? undefined;
}

const byWritten = new WeakMap<ServiceGraph, Map<string, ServiceNode[]>>();

/** Services of a namespace that kustomize renamed from `name` (`api` → `prod-api`). */
export function renamedServices(graph: ServiceGraph, namespace: string, name: string): ServiceNode[] {
  let m = byWritten.get(graph);
  if (!m) {
    m = new Map();
    for (const s of graph.services) {
      const w = writtenName(s.object);
      if (w === undefined) continue;
      const key = `${s.object.namespace}/${w}`;
      const list = m.get(key);
      if (list) list.push(s);
      else m.set(key, [s]);
    }
    byWritten.set(graph, m);
  }
  return m.get(`${namespace}/${name}`) ?? [];
}
