import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import type { PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { resolutionOn } from '../../src/graph/index.js';
import { getIn, stringMap } from '../../src/graph/pods.js';
import { references } from '../../src/graph/references.js';
import { namespaceLabels, type NamespaceLabels } from '../../src/graph/netpol-model.js';
import { membership } from '../../src/graph/mesh.js';
import { istioHost } from '../../src/graph/referrers.js';
import { where } from '../../src/engine/rule-kit.js';
import { code, list } from '../../src/text.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

const SECURITY = /^security\.istio\.io\//;
const NETWORKING = /^networking\.istio\.io\//;
/** Istio's root namespace (meshConfig.rootNamespace): its PeerAuthentication without a selector is mesh-wide. */
const ROOT_NAMESPACE = 'istio-system';


interface Peer { object: K8sObject; path: Path; mode: string }

const MODES = ['STRICT', 'PERMISSIVE', 'DISABLE'];

/** The PeerAuthentications of a run: mesh-wide, per namespace, and with selectors. */
function peerAuthentications(graph: ServiceGraph): K8sObject[] {
  let out = paCache.get(graph);
  if (!out) paCache.set(graph, (out = objectsOfKind(graph, 'PeerAuthentication').filter((o) => SECURITY.test(o.apiVersion))));
  return out;
}
const paCache = new WeakMap<ServiceGraph, K8sObject[]>();

/**
 * The mTLS mode the pods of a template accept on `port` (their container port), as istiod
 * resolves PeerAuthentications: the policy whose selector matches the pods (with its
 * `portLevelMtls` for that port) over the namespace's policy without a selector over the
 * root namespace's; `UNSET` inherits; PERMISSIVE when none sets a mode. Undefined when the
 * run holds two policies of one level that disagree (istiod takes the oldest).
 */
function peerMode(graph: ServiceGraph, t: PodTemplate, port: number | undefined): Peer | undefined | 'ambiguous' {
  const all = peerAuthentications(graph);
  if (all.length === 0) return undefined;
  const selectorOf = (o: K8sObject) => stringMap(getIn(o.body, ['spec', 'selector', 'matchLabels']));
  const modeOf = (v: unknown) => (isRecord(v) && typeof v.mode === 'string' && MODES.includes(v.mode) ? v.mode : undefined);
  const level = (candidates: K8sObject[], portLevel: boolean): Peer | undefined | 'ambiguous' => {
    const found: Peer[] = [];
    for (const o of candidates) {
      const ports = portLevel && port !== undefined ? getIn(o.body, ['spec', 'portLevelMtls']) : undefined;
      const byPort = isRecord(ports) ? modeOf(ports[String(port)]) : undefined;
      if (byPort) {
        found.push({ object: o, path: ['spec', 'portLevelMtls', String(port), 'mode'], mode: byPort });
        continue;
      }
      const m = modeOf(getIn(o.body, ['spec', 'mtls']));
      if (m) found.push({ object: o, path: ['spec', 'mtls', 'mode'], mode: m });
    }
    if (found.length === 0) return undefined;
    return found.every((f) => f.mode === found[0]!.mode) ? found[0] : 'ambiguous';
  };
  const own = all.filter((o) => o.namespace === t.namespace);
  const workload = own.filter((o) => {
    const sel = selectorOf(o);
    const keys = Object.keys(sel);
    return keys.length > 0 && keys.every((k) => t.labels[k] === sel[k]);
  });
  for (const [candidates, portLevel] of [[workload, true], [own.filter((o) => Object.keys(selectorOf(o)).length === 0), false], [all.filter((o) => o.namespace === ROOT_NAMESPACE && Object.keys(selectorOf(o)).length === 0), false]] as const) {
    const p = level(candidates, portLevel);
    if (p) return p;
  }
  return undefined;
}

/**
 * Whether a pod's sidecar leaves inbound traffic to a port alone (the pod's
 * `traffic.sidecar.istio.io/excludeInboundPorts`, or an `includeInboundPorts` list without it):
 * Istio's redirection never sends it to the proxy, so no mTLS is asked for there.
 */
function inboundBypassed(t: PodTemplate, port: number | undefined): boolean {
  if (port === undefined) return false;
  const meta = t.path.length ? getIn(t.owner.body, [...t.path, 'metadata']) : getIn(t.owner.body, ['metadata']);
  const annotations = stringMap(isRecord(meta) ? meta.annotations : undefined);
  const listed = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (listed(annotations['traffic.sidecar.istio.io/excludeInboundPorts']).includes(String(port))) return true;
  const include = annotations['traffic.sidecar.istio.io/includeInboundPorts'];
  return include !== undefined && include.trim() !== '*' && !listed(include).includes(String(port));
}

/** The container port a Service port reaches in a template's pods. */
function podPort(sp: ServicePortNode, t: PodTemplate): number | undefined {
  return resolutionOn(sp, t)?.targetPort ?? (sp.target.kind === 'number' ? sp.target.value : undefined);
}

/** Server templates of a Service in the mesh that require mTLS on the port, with the deciding policy. */
function strictServers(ctx: RuleContext, svc: ServiceNode, ports: ServicePortNode[], namespaces: NamespaceLabels): { t: PodTemplate; how: string; peer: Peer }[] {
  const out: { t: PodTemplate; how: string; peer: Peer }[] = [];
  for (const t of svc.backends) {
    const m = membership(t, namespaces);
    if (!m?.in) continue;
    if (ports.some((sp) => inboundBypassed(t, podPort(sp, t)))) continue;
    const modes = ports.map((sp) => peerMode(ctx.graph, t, podPort(sp, t)));
    // Every port the client may use must be STRICT for the connection to be refused.
    if (modes.length === 0 || !modes.every((p) => p !== undefined && p !== 'ambiguous' && p.mode === 'STRICT')) continue;
    out.push({ t, how: m.how, peer: modes[0] as Peer });
  }
  return out;
}

/**
 * Istio's injector rewrites a pod's HTTP and gRPC probes to the sidecar agent's port, which
 * forwards them to the app from inside the pod, unless the pod says
 * `sidecar.istio.io/rewriteAppHTTPProbers: "false"`. Then the kubelet asks the app's port
 * itself, from outside the mesh: where the pods accept only mutual TLS on that port, the sidecar
 * resets the probe, which fails every time. (A TCP probe only opens a connection, which the
 * proxy accepts: it passes.)
 */
function unrewrittenProbes(ctx: RuleContext, namespaces: NamespaceLabels): void {
  for (const t of ctx.graph.templates) {
    const meta = t.path.length ? getIn(t.owner.body, [...t.path, 'metadata']) : getIn(t.owner.body, ['metadata']);
    const annotations = stringMap(isRecord(meta) ? meta.annotations : undefined);
    if (annotations['sidecar.istio.io/rewriteAppHTTPProbers'] !== 'false') continue;
    const m = membership(t, namespaces);
    // Ambient pods have no sidecar: ztunnel lets the kubelet's probes through.
    if (!m?.in || /ambient/.test(m.how)) continue;
    for (const c of t.containers) {
      const raw = getIn(t.owner.body, c.path);
      if (!isRecord(raw)) continue;
      for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
        const probe = raw[kind];
        if (!isRecord(probe)) continue;
        const how = isRecord(probe.httpGet) ? 'httpGet' : isRecord(probe.grpc) ? 'grpc' : undefined;
        if (!how) continue;
        const spec = probe[how] as Record<string, unknown>;
        const port = typeof spec.port === 'number' ? spec.port : typeof spec.port === 'string' ? (/^\d+$/.test(spec.port) ? Number(spec.port) : c.ports.find((p) => p.name === spec.port)?.containerPort) : undefined;
        if (port === undefined || inboundBypassed(t, port)) continue;
        const peer = peerMode(ctx.graph, t, port);
        if (peer === undefined || peer === 'ambiguous' || peer.mode !== 'STRICT') continue;
        ctx.report({
          object: t.owner,
          path: [...c.path, kind, how, 'port'],
          messageId: 'probeUnderStrict',
          data: {
            probe: kind.replace('Probe', ''),
            container: code(c.name),
            workload: where(t),
            port: String(port),
            how: m.how,
            policy: `PeerAuthentication ${peer.object.namespace}/${peer.object.name}`,
            effect: kind === 'readinessProbe' ? 'the pods never become ready, and no Service sends them traffic' : kind === 'livenessProbe' ? 'the kubelet restarts the container again and again' : 'the container never counts as started, and the kubelet restarts it again and again',
          },
          related: [{ object: peer.object, path: peer.path, message: `mTLS mode of PeerAuthentication ${peer.object.namespace}/${peer.object.name}` }],
          remediation: 'Remove `sidecar.istio.io/rewriteAppHTTPProbers: "false"` (Istio then sends the probe through the sidecar agent), exclude the probe\'s port from inbound capture (`traffic.sidecar.istio.io/excludeInboundPorts`), or set the port PERMISSIVE in `portLevelMtls`.',
        });
      }
    }
  }
}

/**
 * An Istio ALLOW AuthorizationPolicy whose `to.operation.ports` names a Service's port where the
 * pod receives that traffic on another (its targetPort): the proxy matches the port the
 * connection arrives on at the pod, not the Service's, so requests through the Service match
 * no rule that names only the Service port, and where no other ALLOW rule of the workload lets
 * that port through the proxy answers "RBAC: access denied".
 */
function checkAuthorizationPorts(ctx: RuleContext): void {
  const graph = ctx.graph;
  const policies = objectsOfKind(graph, 'AuthorizationPolicy').filter((o) => /^security\.istio\.io\//.test(o.apiVersion));
  if (policies.length === 0) return;
  const namespaces = namespaceLabels(graph.objects);
  // Per template, once: Services that share backends ask again.
  const perTemplate = new Map<PodTemplate, { mine: K8sObject[]; allRules: unknown[] }>();
  const selects = (pol: K8sObject, t: PodTemplate): boolean => {
    if (pol.namespace !== t.namespace) return false;
    const sel = getIn(pol.body, ['spec', 'selector', 'matchLabels']);
    if (getIn(pol.body, ['spec', 'targetRef']) !== undefined || getIn(pol.body, ['spec', 'targetRefs']) !== undefined) return false;
    return sel === undefined || (isRecord(sel) && Object.entries(sel).every(([k, v]) => t.labels[k] === v));
  };
  const allowRules = (pol: K8sObject): unknown[] => {
    const action = getIn(pol.body, ['spec', 'action']) ?? 'ALLOW';
    const rules = getIn(pol.body, ['spec', 'rules']);
    return action === 'ALLOW' && Array.isArray(rules) ? rules : [];
  };
  /** Whether an ALLOW rule lets connections to `port` through (no port condition, or one that names it). */
  const lets = (r: unknown, port: number): boolean => {
    const to = getIn(r, ['to']);
    if (!Array.isArray(to) || to.length === 0) return true;
    return to.some((x) => {
      const ports = getIn(x, ['operation', 'ports']);
      const not = getIn(x, ['operation', 'notPorts']);
      const inList = (l: unknown) => Array.isArray(l) && l.some((p) => String(p) === String(port));
      if (Array.isArray(ports) && ports.length && !inList(ports)) return false;
      return !inList(not);
    });
  };
  for (const svc of graph.services) {
    for (const sp of svc.ports) {
      if (sp.port === undefined) continue;
      for (const r of sp.resolutions) {
        const target = r.targetPort;
        if (target === undefined || target === sp.port) continue;
        const t = r.template;
        if (t.containers.some((c) => c.ports.some((p) => p.containerPort === sp.port))) continue;
        // Pods outside the mesh (hostNetwork, injection turned off) have no proxy to enforce the policy.
        let per = perTemplate.get(t);
        if (!per) {
          const m = membership(t, namespaces);
          const mine = m && !m.in && m.explicit ? [] : policies.filter((p) => selects(p, t));
          perTemplate.set(t, (per = { mine, allRules: mine.flatMap(allowRules) }));
        }
        const { mine, allRules } = per;
        if (allRules.length === 0 || allRules.some((x) => lets(x, target))) continue;
        for (const pol of mine) {
          const rules = allowRules(pol);
          rules.forEach((rule, i) => {
            const to = getIn(rule, ['to']);
            (Array.isArray(to) ? to : []).forEach((x, j) => {
              const ports = getIn(x, ['operation', 'ports']);
              if (!Array.isArray(ports)) return;
              const k = ports.findIndex((p) => String(p) === String(sp.port));
              if (k < 0) return;
              ctx.report({
                object: pol,
                path: ['spec', 'rules', i, 'to', j, 'operation', 'ports', k],
                messageId: 'authzServicePort',
                severity: 'warning',
                data: { port: String(sp.port), service: `${svc.object.namespace}/${svc.object.name}`, target: String(target), workload: `${t.owner.kind} ${t.namespace}/${t.owner.name}` },
                related: [{ object: svc.object, path: sp.targetPath, message: `targetPort of Service ${svc.object.namespace}/${svc.object.name}` }],
                remediation: `Name the pod's port, ${target}, in \`ports\` (Istio matches the port the connection arrives on at the pod).`,
              });
            });
          });
        }
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'mesh-mtls-mismatch',
    description: 'Istio mutual TLS that cannot work: a client outside the mesh calls pods whose PeerAuthentication is STRICT, a DestinationRule disables TLS towards such pods, or asks for Istio mTLS towards pods without a sidecar, or probes that the kubelet sends in plaintext to a STRICT port because Istio is told not to rewrite them.',
    category: 'reference',
    severity: 'error',
    messages: {
      authzServicePort: 'this AuthorizationPolicy allows port {{port}}, the port of Service {{service}}, but Istio matches the port a connection arrives on at the pod, and that Service sends it to {{target}} on {{workload}}; no ALLOW rule for those pods lets {{target}} through, so every request through the Service gets "RBAC: access denied" (403)',
      plaintextClient: '{{ref}} in {{where}} is dialled by {{client}}, which is not in the mesh ({{clientHow}}), so it connects in plaintext; but the pods of Service {{service}} ({{server}}: {{serverHow}}) accept only mutual TLS ({{policy}} sets `STRICT`): their proxy resets the connection',
      disableToStrict: 'this DestinationRule sets TLS mode `DISABLE` for Service {{service}}, so clients in the mesh connect in plaintext; but its pods ({{server}}: {{serverHow}}) accept only mutual TLS ({{policy}} sets `STRICT`): their proxy resets the connections',
      probeUnderStrict: 'the {{probe}} probe of container {{container}} of {{workload}} asks port {{port}} from the kubelet, outside the mesh, because the pods set `sidecar.istio.io/rewriteAppHTTPProbers: "false"`; but their sidecar ({{how}}) accepts only mutual TLS on that port ({{policy}} sets `STRICT`) and resets the probe: it fails every time, so {{effect}}',
      mutualToPlain: 'this DestinationRule sets TLS mode `ISTIO_MUTUAL` for Service {{service}}, but its pods ({{server}}) are not in the mesh ({{serverHow}}): no proxy there answers the TLS handshake, and requests fail (503, upstream connect error)',
    },
    remediation: 'Put both ends in the mesh (label the namespace istio-injection=enabled, or istio.io/rev, and restart the pods), or relax the PeerAuthentication to PERMISSIVE for the port plaintext clients use; make DestinationRule TLS modes agree with where the pods run.',
  },
  check(ctx) {
    const graph = ctx.graph;
    checkAuthorizationPorts(ctx);
    const pas = peerAuthentications(graph);
    const rules = objectsOfKind(graph, 'DestinationRule').filter((o) => NETWORKING.test(o.apiVersion));
    if (pas.length === 0 && rules.length === 0) return;
    const namespaces = namespaceLabels(graph.objects);
    if (pas.length > 0) unrewrittenProbes(ctx, namespaces);
    const seen = new Set<string>();
    if (pas.length > 0) {
      for (const edge of references(graph)) {
        const r = edge.resolution;
        if (r.kind !== 'service' || r.service.type === 'ExternalName' || r.service.mode !== 'selector') continue;
        const svc = r.service;
        const ports = edge.servicePort ? [edge.servicePort] : svc.ports;
        for (const c of edge.site.clients) {
          const m = membership(c, namespaces);
          if (!m || m.in) continue;
          const key = `${edge.site.object.namespace}/${edge.site.object.kind}/${edge.site.object.name}\u0000${edge.site.path.join('.')}\u0000${edge.text}\u0000${c.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const servers = strictServers(ctx, svc, ports, namespaces);
          if (servers.length === 0 || servers.length < svc.backends.length) continue;
          const s = servers[0]!;
          ctx.report({
            object: edge.site.object,
            path: edge.site.path,
            text: edge.text,
            messageId: 'plaintextClient',
            ...(m.explicit ? {} : { severity: 'warning' as const }),
            data: {
              ref: code(edge.text),
              where: edge.site.where,
              client: where(c),
              clientHow: m.how,
              service: code(`${svc.object.namespace}/${svc.object.name}`),
              server: where(s.t),
              serverHow: s.how,
              policy: `PeerAuthentication ${s.peer.object.namespace}/${s.peer.object.name}`,
            },
            related: [{ object: s.peer.object, path: s.peer.path, message: `mTLS mode of PeerAuthentication ${s.peer.object.namespace}/${s.peer.object.name}` }],
          });
        }
      }
    }
    for (const o of rules) {
      const host = getIn(o.body, ['spec', 'host']);
      if (typeof host !== 'string') continue;
      const at = istioHost(host, o.namespace, graph.settings.clusterDomain);
      const svc = at ? graph.service(at.namespace, at.name) : undefined;
      if (!svc || svc.type === 'ExternalName' || svc.mode !== 'selector' || svc.backends.length === 0) continue;
      const mode = getIn(o.body, ['spec', 'trafficPolicy', 'tls', 'mode']);
      const path = ['spec', 'trafficPolicy', 'tls', 'mode'];
      const service = code(`${svc.object.namespace}/${svc.object.name}`);
      if (mode === 'DISABLE' && pas.length > 0) {
        const servers = strictServers(ctx, svc, svc.ports, namespaces);
        if (servers.length === 0 || servers.length < svc.backends.length) continue;
        const s = servers[0]!;
        ctx.report({
          object: o,
          path,
          messageId: 'disableToStrict',
          data: { service, server: where(s.t), serverHow: s.how, policy: `PeerAuthentication ${s.peer.object.namespace}/${s.peer.object.name}` },
          related: [{ object: s.peer.object, path: s.peer.path, message: `mTLS mode of PeerAuthentication ${s.peer.object.namespace}/${s.peer.object.name}` }],
        });
      } else if (mode === 'ISTIO_MUTUAL') {
        const outside = svc.backends.map((t) => ({ t, m: membership(t, namespaces) }));
        if (!outside.every((x) => x.m && !x.m.in)) continue;
        const first = outside[0]!;
        ctx.report({
          object: o,
          path,
          messageId: 'mutualToPlain',
          ...(outside.every((x) => x.m && !x.m.in && x.m.explicit) ? {} : { severity: 'warning' as const }),
          data: { service, server: list(outside.map((x) => where(x.t)), 2), serverHow: first.m!.how },
        });
      }
    }
  },
};

export default rule;
