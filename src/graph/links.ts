import type { PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { DnsResolution } from '../types/reference.js';
import { getIn } from './pods.js';

/**
 * Service-link variables: for every Service with a cluster IP in the pod's namespace the
 * kubelet sets `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORTNAME>`,
 * `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>` (+ `_PROTO`, `_PORT`, `_ADDR`), where
 * `<NAME>` is the Service name upper-cased with `-` as `_` (pkg/kubelet/envvars). Headless
 * and ExternalName Services get none; `enableServiceLinks: false` turns them off except for
 * the API server's own `kubernetes` Service. `$(VAR)` left undefined stays literal text.
 */
export const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

const REF = /(?<!\$)\$\(([A-Z_][A-Z0-9_]*)\)/g;

type Want = { kind: 'any' } | { kind: 'name'; name: string } | { kind: 'number'; port: number; protocol: string };

/** Every way a variable name splits into a Service name and a link suffix. */
function splits(variable: string): { service: string; want: Want }[] {
  const out: { service: string; want: Want }[] = [];
  for (let i = variable.indexOf('_', 1); i > 0; i = variable.indexOf('_', i + 1)) {
    const prefix = variable.slice(0, i);
    const rest = variable.slice(i + 1);
    const service = prefix.toLowerCase().replace(/_/g, '-');
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(service)) continue;
    let m: RegExpExecArray | null;
    if (rest === 'SERVICE_HOST' || rest === 'SERVICE_PORT' || rest === 'PORT') out.push({ service, want: { kind: 'any' } });
    else if ((m = /^SERVICE_PORT_([A-Z0-9_]+)$/.exec(rest))) out.push({ service, want: { kind: 'name', name: m[1]! } });
    else if ((m = /^PORT_(\d{1,5})_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?$/.exec(rest))) out.push({ service, want: { kind: 'number', port: Number(m[1]), protocol: m[2]! } });
  }
  return out;
}

function portOf(svc: ServiceNode, want: Want): ServicePortNode | undefined {
  if (want.kind === 'any') return svc.ports[0];
  if (want.kind === 'name') return svc.ports.find((p) => p.name !== undefined && envName(p.name) === want.name);
  return svc.ports.find((p) => p.port === want.port && p.protocol === want.protocol);
}

export interface LinkRef {
  text: string;
  variable: string;
  service: string;
  resolution: DnsResolution;
  servicePort?: ServicePortNode;
}

/** The `$(…)` Service-link variables in a text that a container expands, resolved for its pod. */
export function findLinks(graph: ServiceGraph, text: string, t: PodTemplate, defined: ReadonlySet<string>): LinkRef[] {
  if (!text.includes('$(')) return [];
  const out: LinkRef[] = [];
  const ns = t.namespace;
  const linksOn = getIn(t.owner.body, [...t.path, 'spec', 'enableServiceLinks']) !== false;
  for (const m of text.matchAll(REF)) {
    const variable = m[1]!;
    if (defined.has(variable)) continue;
    // `$(REDIS_HOST):$(REDIS_HOST_PORT)`: the application's own host and port pair, not a Docker-style link variable.
    if (variable.endsWith('_PORT') && text.includes(`$(${variable.slice(0, -5)})`)) continue;
    const candidates = splits(variable);
    // The API server's own variables are set in every pod, links enabled or not.
    if (candidates.length === 0 || candidates.some((c) => c.service === 'kubernetes')) continue;
    const base = { text: m[0], variable };
    const found = candidates.map((c) => ({ c, svc: graph.service(ns, c.service) })).find((x) => x.svc);
    if (found) {
      const svc = found.svc!;
      const link = (reason: 'disabled' | 'headless' | 'port'): LinkRef => ({ ...base, service: svc.object.name, resolution: { kind: 'link-missing', variable, name: svc.object.name, namespace: ns, reason, service: svc } });
      if (svc.headless || svc.type === 'ExternalName') out.push(link('headless'));
      else if (!linksOn) out.push(link('disabled'));
      else {
        const sp = portOf(svc, found.c.want);
        if (!sp) out.push(link('port'));
        else out.push({ ...base, service: svc.object.name, resolution: { kind: 'service', service: svc, namespace: ns, form: 'link' }, servicePort: sp });
      }
      continue;
    }
    // The run judges a missing Service where it sees the namespace's Services, or the name elsewhere.
    const c = candidates.find((x) => graph.servicesIn(ns).length > 0 || graph.servicesNamed(x.service).length > 0);
    if (c) out.push({ ...base, service: c.service, resolution: { kind: 'link-missing', variable, name: c.service, namespace: ns, reason: 'missing' } });
  }
  return out;
}
