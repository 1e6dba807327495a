import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { PodTemplate, ServiceNode, ServicePortNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn, stringMap } from '../../src/graph/pods.js';
import { namespaceLabels, type NamespaceLabels } from '../../src/graph/netpol-model.js';
import { sameTree } from '../../src/graph/referrers.js';
import { membership, type Membership } from '../../src/graph/mesh.js';
import { perList, resolutionOn } from '../../src/graph/index.js';
import { where } from '../../src/engine/rule-kit.js';
import { code } from '../../src/text.js';

/**
 * The protocol Istio gives a Service port (`ConvertProtocol` in istio's pkg/config/kube):
 * `appProtocol` first, else the port name's prefix before `-`, else TCP on the well-known ports
 * of server-first protocols, else undefined (Istio sniffs the protocol from the client's first bytes).
 */
function istioProtocol(p: ServicePortNode, appProtocol: string | undefined): string | undefined {
  const named = (v: string | undefined) => {
    if (!v) return undefined;
    const x = v.toLowerCase().split('-')[0]!;
    return ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp', 'h2c'].includes(x) ? x : undefined;
  };
  const app = appProtocol?.toLowerCase();
  if (app) return app === 'kubernetes.io/h2c' ? 'http2' : app === 'kubernetes.io/ws' || app === 'kubernetes.io/wss' ? 'http' : named(app) ?? (p.name?.toLowerCase().startsWith(app) ? named(p.name) : undefined);
  return named(p.name) ?? (p.port !== undefined && [25, 53, 3306, 27017].includes(p.port) ? 'tcp' : undefined);
}

/** Whether the pods serve gRPC on a port: a gRPC probe on it, or a container port named `grpc…`. */
function servesGrpc(t: PodTemplate, port: number): boolean {
  let ports = grpcPorts.get(t);
  if (!ports) grpcPorts.set(t, (ports = new Map()));
  let v = ports.get(port);
  if (v === undefined) ports.set(port, (v = grpcOn(t, port)));
  return v;
}
/** Per template and port (N Services over the same templates ask each N times). */
let grpcPorts = new Map<PodTemplate, Map<number, boolean>>();

function grpcOn(t: PodTemplate, port: number): boolean {
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  const containers = isRecord(spec) && Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  return containers.some((c) =>
    (Array.isArray(c.ports) && c.ports.some((p) => isRecord(p) && p.containerPort === port && typeof p.name === 'string' && /^grpc/i.test(p.name)))
    || ['readinessProbe', 'livenessProbe', 'startupProbe'].some((probe) => getIn(c, [probe, 'grpc', 'port']) === port));
}

/** Images of servers that speak first (the client waits for the server's greeting): MySQL and its forks. */
const SERVER_FIRST = /(^|\/)(mysql|mariadb|percona|percona-server)(:|@|$)/;

function serverFirstImage(t: PodTemplate): string | undefined {
  if (serverFirst.has(t)) return serverFirst.get(t);
  const image = serverFirstOf(t);
  serverFirst.set(t, image);
  return image;
}
let serverFirst = new Map<PodTemplate, string | undefined>();

function serverFirstOf(t: PodTemplate): string | undefined {
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  const containers = isRecord(spec) && Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  for (const c of containers) if (typeof c.image === 'string' && SERVER_FIRST.test(c.image.toLowerCase())) return c.image;
  return undefined;
}

/** Linkerd's default opaque ports (its `proxy.opaquePorts`, since 2.10): no protocol detection there. */
const LINKERD_OPAQUE = new Set([25, 587, 3306, 4444, 5432, 6379, 9300, 11211]);

/**
 * Whether Linkerd's proxy injector meshes a template's pods, and whether anything in the run
 * configures ports for them: the `linkerd.io/inject` annotation of the pods, else of their
 * Namespace (as the run holds it, in the workload's folder tree); `config.linkerd.io/opaque-ports`
 * or `skip-inbound-ports` on the pods, the Namespace or the Service.
 */
function linkerdMeshed(t: PodTemplate, namespaces: NamespaceLabels): { how: string; configured: boolean } | undefined {
  const meta = t.path.length ? getIn(t.owner.body, [...t.path, 'metadata']) : getIn(t.owner.body, ['metadata']);
  const pod = stringMap(isRecord(meta) ? meta.annotations : undefined);
  const nsObject = t.owner.namespaceDefaulted ? undefined : namespaces.defined.get(t.namespace);
  const ns = nsObject && sameTree(nsObject, t.owner) ? stringMap(getIn(nsObject.body, ['metadata', 'annotations'])) : {};
  const configured = [pod, ns].some((a) => Object.keys(a).some((k) => /^config\.linkerd\.io\/(opaque-ports|skip-inbound-ports)$/.test(k)));
  const inject = pod['linkerd.io/inject'] ?? ns['linkerd.io/inject'];
  if (inject !== 'enabled' && inject !== 'ingress') return undefined;
  return { how: pod['linkerd.io/inject'] !== undefined ? 'its pods are annotated `linkerd.io/inject: enabled`' : `namespace ${code(t.namespace)} is annotated \`linkerd.io/inject: enabled\``, configured };
}

type Contradiction = { kind: 'grpc'; t: PodTemplate } | { kind: 'server-first'; t: PodTemplate; image: string };

/** The first meshed backend whose pods contradict the protocol Istio gives a Service port. */
function istioContradiction(meshed: readonly PodTemplate[], p: ServicePortNode, proto: string | undefined): Contradiction | undefined {
  for (const t of meshed) {
    const target = resolutionOn(p, t)?.targetPort;
    if (target === undefined) continue;
    if (proto === 'http' && servesGrpc(t, target)) return { kind: 'grpc', t };
    const image = proto === undefined ? serverFirstImage(t) : undefined;
    if (image) return { kind: 'server-first', t, image };
  }
  return undefined;
}

const rule: Rule = {
  meta: {
    id: 'mesh-protocol-mismatch',
    description: 'A Service port whose name or appProtocol makes Istio proxy another protocol than its pods serve: gRPC behind a port Istio takes for HTTP/1.1, or a server-first protocol (MySQL) on a port whose protocol Istio sniffs from the client\'s first bytes, or that Linkerd does not treat as opaque.',
    category: 'port',
    severity: 'warning',
    messages: {
      grpcAsHttp: 'port {{port}} of this Service is HTTP/1.1 to Istio ({{why}}), and the pods of {{workload}} serve gRPC there, which needs HTTP/2: their sidecar forwards the calls over HTTP/1.1 and they fail (unless a DestinationRule or the mesh config sets `h2UpgradePolicy: UPGRADE`); name the port `grpc` (or `grpc-…`), or set `appProtocol: grpc`',
      linkerdServerFirst: 'port {{port}} of this Service reaches port {{target}} of {{workload}}, whose pods are in the Linkerd mesh ({{how}}) and run {{image}}, which speaks first; {{target}} is not one of Linkerd\'s default opaque ports and nothing marks it opaque, so the proxy waits up to 10 s for the client\'s first bytes to detect the protocol while the client waits for the server\'s greeting: every connection stalls 10 s ("protocol detection timed out after 10s"), and clients with a shorter connect timeout fail',
      serverFirst: 'port {{port}} of this Service has no protocol Istio knows ({{why}}), so Istio sniffs it from the client\'s first bytes, but the pods of {{workload}} run {{image}}, which speaks first: the connection waits for bytes that never come; name the port `tcp` or `mysql` (or `tcp-…`), or set `appProtocol: tcp`',
    },
    remediation: 'Name each Service port after its protocol as Istio reads it (`grpc`, `http`, `tcp`, `mysql`… or `<protocol>-<suffix>`), or set appProtocol.',
  },
  check({ graph, report }) {
    const namespaces = namespaceLabels(graph.objects);
    // Each template's membership once: Services that share backends ask for it again.
    const members = new Map<PodTemplate, Membership>();
    const memberOf = (t: PodTemplate) => {
      if (members.has(t)) return members.get(t);
      const m = membership(t, namespaces);
      members.set(t, m);
      return m;
    };
    // Each run's templates are asked again by Services that share them: answers kept for this check only.
    grpcPorts = new Map();
    serverFirst = new Map();
    // Services of one selector share their backends and resolutions: each list is judged once.
    const meshedOf = new Map<readonly unknown[], PodTemplate[]>();
    const istioFound = new Map<readonly unknown[], Map<string, Contradiction | undefined>>();
    const linkerdFound = new Map<readonly unknown[], LinkerdStall | undefined>();
    for (const svc of graph.services) {
      if (svc.mode !== 'selector' || svc.backends.length === 0) continue;
      linkerdServerFirst(svc, namespaces, report, linkerdFound);
      if (svc.headless) continue;
      // The server's sidecar applies the Service port's protocol to what it forwards in.
      const meshed = perList(meshedOf, svc.backends, () => svc.backends.filter((t) => memberOf(t)?.in === true));
      if (meshed.length === 0) continue;
      svc.ports.forEach((p, i) => {
        if (p.protocol !== 'TCP') return;
        const app = getIn(svc.object.body, ['spec', 'ports', i, 'appProtocol']);
        const appProtocol = typeof app === 'string' && app !== '' ? app : undefined;
        const proto = istioProtocol(p, appProtocol);
        const why = appProtocol ? `appProtocol ${code(appProtocol)}` : p.name ? `its name ${code(p.name)}` : 'it is unnamed';
        const portText = code(p.name ?? String(p.port ?? i));
        // The first meshed backend that contradicts the port's protocol, once per resolutions list and protocol.
        const byProto = perList(istioFound, p.resolutions, () => new Map<string, Contradiction | undefined>());
        const protoKey = proto ?? '';
        if (!byProto.has(protoKey)) byProto.set(protoKey, istioContradiction(meshed!, p, proto));
        const found = byProto.get(protoKey);
        if (found?.kind === 'grpc') report({ object: svc.object, path: ['spec', 'ports', i, appProtocol ? 'appProtocol' : 'name'], messageId: 'grpcAsHttp', data: { port: portText, why, workload: where(found.t) } });
        else if (found) report({ object: svc.object, path: ['spec', 'ports', i], messageId: 'serverFirst', data: { port: portText, why, workload: where(found.t), image: code(found.image) } });
      });
    }
  },
};

/**
 * Linkerd's proxy detects the protocol of each connection from the client's first bytes, waiting
 * up to 10 seconds, except on opaque ports. A server that speaks first (MySQL's greeting) on
 * another port leaves both sides waiting: every connection stalls 10 s before Linkerd gives up
 * and forwards it as TCP ("protocol detection timed out after 10s"), and clients with a shorter
 * connect timeout fail.
 */
type LinkerdStall = { t: PodTemplate; target: number; image: string; m: { how: string } };

function linkerdServerFirst(svc: ServiceNode, namespaces: NamespaceLabels, report: RuleContext['report'], found: Map<readonly unknown[], LinkerdStall | undefined>): void {
  const svcAnnotations = stringMap(getIn(svc.object.body, ['metadata', 'annotations']));
  if (Object.keys(svcAnnotations).some((k) => /^config\.linkerd\.io\/opaque-ports$/.test(k))) return;
  svc.ports.forEach((p, i) => {
    if (p.protocol !== 'TCP') return;
    const stall = perList(found, p.resolutions, () => linkerdStall(svc.backends, p, namespaces));
    if (stall) {
      const { t, target, image, m } = stall;
      report({
        object: svc.object,
        path: ['spec', 'ports', i],
        messageId: 'linkerdServerFirst',
        data: { port: code(p.name ?? String(p.port ?? i)), target: String(target), workload: where(t), image: code(image), how: m.how },
        remediation: `Mark the port opaque: \`config.linkerd.io/opaque-ports: "${target}"\` on the pod template (and the Service), or skip it (\`config.linkerd.io/skip-inbound-ports\`).`,
      });
    }
  });
}

/** The first backend of a port whose server speaks first, in the Linkerd mesh, on a port nothing marks opaque. */
function linkerdStall(backends: readonly PodTemplate[], p: ServicePortNode, namespaces: NamespaceLabels): LinkerdStall | undefined {
  for (const t of backends) {
    const target = resolutionOn(p, t)?.targetPort;
    if (target === undefined || LINKERD_OPAQUE.has(target)) continue;
    const image = serverFirstImage(t);
    const m = image ? linkerdMeshed(t, namespaces) : undefined;
    if (!image || !m || m.configured) continue;
    return { t, target, image, m };
  }
  return undefined;
}

export default rule;
