import { pathTo, type Path } from '../types/object.js';
import type { PodTemplate, PortResolution, TargetPort } from '../types/graph.js';

/** Reads `targetPort` the way the API server does (IntOrString; omitted or 0 means `port`). */
export function readTargetPort(raw: unknown, port: number | undefined, portPath: Path): { target: TargetPort; path: Path } {
  const path = pathTo(portPath, 'targetPort');
  if (raw === undefined || raw === null || raw === 0 || raw === '') {
    return port === undefined ? { target: { kind: 'invalid' }, path: portPath } : { target: { kind: 'number', value: port, defaulted: true }, path: portPath };
  }
  if (typeof raw === 'number') return Number.isInteger(raw) ? { target: { kind: 'number', value: raw, defaulted: false }, path } : { target: { kind: 'invalid' }, path };
  if (typeof raw === 'string') return { target: /^\d+$/.test(raw) ? { kind: 'quoted-number', value: raw } : { kind: 'name', value: raw }, path };
  return { target: { kind: 'invalid' }, path };
}

/**
 * `podutil.FindPort` for one pod template: a number is used as is; a name is looked up
 * among the container ports by name and protocol, in regular containers and then in
 * native sidecars. A pod where the lookup fails is left out of that port's endpoints.
 */
export function findPort(t: PodTemplate, target: TargetPort, protocol: string): PortResolution {
  if (target.kind === 'number') {
    for (const c of t.containers) {
      const p = c.ports.find((cp) => cp.containerPort === target.value && cp.protocol === protocol);
      if (p) return { template: t, targetPort: target.value, container: c, containerPort: p, declared: true };
    }
    return { template: t, targetPort: target.value, declared: false };
  }
  if (target.kind === 'quoted-number') return { template: t, declared: false, failure: 'quoted-number' };
  if (target.kind === 'invalid') return { template: t, declared: false, failure: 'invalid' };
  let mismatch: PortResolution['mismatch'];
  for (const c of t.containers) {
    for (const p of c.ports) {
      if (p.name !== target.value) continue;
      if (p.protocol === protocol && p.containerPort !== undefined) {
        return { template: t, targetPort: p.containerPort, container: c, containerPort: p, declared: true };
      }
      mismatch ??= { container: c, port: p };
    }
  }
  return mismatch
    ? { template: t, declared: false, failure: 'protocol-mismatch', mismatch }
    : { template: t, declared: false, failure: 'name-missing' };
}
