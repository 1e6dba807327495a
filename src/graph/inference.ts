import type { K8sObject, Path } from '../types/object.js';
import type { ServiceGraph } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { stringMap } from './pods.js';

/**
 * An InferencePool of the Gateway API Inference Extension: like a Service, a label selector
 * over the pods of its own namespace and the port requests reach them on; a gateway sends an
 * HTTPRoute's requests to the pod its endpoint picker chooses. `inference.networking.k8s.io/v1`
 * writes `selector.matchLabels` and `targetPorts[].number`; `inference.networking.x-k8s.io/v1alpha2`
 * a plain `selector` map and `targetPortNumber`.
 */
export interface InferencePool {
  object: K8sObject;
  selector: Record<string, string>;
  selectorPath: Path;
  targetPorts: { number: number; path: Path }[];
}

export const INFERENCE_GROUP = /^inference\.networking\.(x-)?k8s\.io$/;
const isPool = (o: K8sObject) => o.kind === 'InferencePool' && INFERENCE_GROUP.test(o.apiVersion.split('/')[0]!);

const cache = new WeakMap<ServiceGraph, InferencePool[]>();

/** The run's InferencePools, read once per graph. */
export function inferencePools(graph: ServiceGraph): InferencePool[] {
  let out = cache.get(graph);
  if (out) return out;
  out = [];
  for (const o of graph.objects) {
    if (!isPool(o) || !isRecord(o.body.spec)) continue;
    const spec = o.body.spec;
    const v1 = o.apiVersion.startsWith('inference.networking.k8s.io/');
    const raw = v1 ? (isRecord(spec.selector) ? spec.selector.matchLabels : undefined) : spec.selector;
    const selectorPath: Path = v1 ? ['spec', 'selector', 'matchLabels'] : ['spec', 'selector'];
    const targetPorts: InferencePool['targetPorts'] = [];
    if (v1 && Array.isArray(spec.targetPorts)) {
      spec.targetPorts.forEach((p, i) => {
        if (isRecord(p) && typeof p.number === 'number') targetPorts.push({ number: p.number, path: ['spec', 'targetPorts', i, 'number'] });
      });
    } else if (!v1 && typeof spec.targetPortNumber === 'number') targetPorts.push({ number: spec.targetPortNumber, path: ['spec', 'targetPortNumber'] });
    out.push({ object: o, selector: stringMap(raw), selectorPath, targetPorts });
  }
  cache.set(graph, out);
  return out;
}
