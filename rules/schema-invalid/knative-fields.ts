import type { K8sObject, Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { code } from '../../src/text.js';

/**
 * What Knative Serving's validating webhook rejects in the container ports of a Service,
 * Configuration or Revision (knative/serving `pkg/apis/serving/k8s_validation.go`): more than
 * one port in a container ("More than one container port is set"), more than one container
 * with ports, a protocol other than TCP, and the ports the queue-proxy sidecar takes (8012, 8013, 8022, 9090, 9091, and the profiling port 8008).
 */
export const KNATIVE_SERVING = /^serving\.knative\.dev\/v1$/;
const KINDS = new Set(['Service', 'Configuration', 'Revision']);
const RESERVED = new Set([8012, 8013, 8022, 9090, 9091, 8008]);

export type KnativeProblem = { path: Path; problem: string };

export function knativeFieldProblems(o: K8sObject): KnativeProblem[] {
  if (!KINDS.has(o.kind) || !KNATIVE_SERVING.test(o.apiVersion)) return [];
  const base: Path = o.kind === 'Revision' ? ['spec'] : ['spec', 'template', 'spec'];
  let spec: unknown = o.body;
  for (const k of base) spec = isRecord(spec) ? spec[k] : undefined;
  if (!isRecord(spec) || !Array.isArray(spec.containers)) return [];
  const out: KnativeProblem[] = [];
  const withPorts: number[] = [];
  spec.containers.forEach((c, i) => {
    if (!isRecord(c) || !Array.isArray(c.ports) || c.ports.length === 0) return;
    withPorts.push(i);
    const at: Path = [...base, 'containers', i, 'ports'];
    if (c.ports.length > 1) out.push({ path: [...at, 1], problem: `is a second port of container ${code(String(c.name ?? i))}: Knative allows one ("More than one container port is set"), the one its queue-proxy forwards requests to` });
    const p = c.ports[0];
    if (!isRecord(p)) return;
    if (typeof p.protocol === 'string' && p.protocol !== '' && p.protocol !== 'TCP') out.push({ path: [...at, 0, 'protocol'], problem: `is ${code(p.protocol)}: Knative serves HTTP over TCP only` });
    if (typeof p.containerPort === 'number' && RESERVED.has(p.containerPort)) out.push({ path: [...at, 0, 'containerPort'], problem: `is ${p.containerPort}, a port Knative's queue-proxy sidecar takes (8012, 8013, 8022, 9090, 9091, 8008)` });
  });
  if (withPorts.length > 1) out.push({ path: [...base, 'containers', withPorts[1]!, 'ports'], problem: 'sets a port in a second container: Knative forwards requests to one container, and only that one may set a port' });
  return out;
}
