import type { ServiceGraph } from '../types/graph.js';
import type { K8sObject } from '../types/object.js';

/**
 * The run's objects grouped by kind, in the run's order, built once per graph: rules that
 * look up one kind (a SidecarSet, the ConfigMap a reference names) for every Service or
 * container read a short list instead of every object of the run each time.
 */
const byKind = new WeakMap<K8sObject[], Map<string, K8sObject[]>>();
const byName = new WeakMap<K8sObject[], Map<string, K8sObject>>();

/** The objects of this kind (any apiVersion), in the order of `graph.objects`. */
export function objectsOfKind(graph: ServiceGraph, kind: string): readonly K8sObject[] {
  let m = byKind.get(graph.objects);
  if (!m) {
    m = new Map();
    for (const o of graph.objects) {
      const list = m.get(o.kind);
      if (list) list.push(o);
      else m.set(o.kind, [o]);
    }
    byKind.set(graph.objects, m);
  }
  return m.get(kind) ?? [];
}

/**
 * The first object of the run, in the order of `graph.objects`, with this kind, namespace and
 * name (whatever its apiVersion): what `graph.objects.find()` over the three gives.
 */
export function objectNamed(graph: ServiceGraph, kind: string, namespace: string, name: string): K8sObject | undefined {
  let m = byName.get(graph.objects);
  if (!m) {
    m = new Map();
    for (const o of graph.objects) {
      const key = `${o.kind}\u0000${o.namespace}\u0000${o.name}`;
      if (!m.has(key)) m.set(key, o);
    }
    byName.set(graph.objects, m);
  }
  return m.get(`${kind}\u0000${namespace}\u0000${name}`);
}
