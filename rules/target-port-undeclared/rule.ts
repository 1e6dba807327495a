import type { Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { imageNames, where } from '../../src/engine/rule-kit.js';
import type { Rule } from '../../src/types/rule.js';
import type { PodTemplate, PortResolution, ServicePortNode } from '../../src/types/graph.js';
import { code, list } from '../../src/text.js';
import { PROTOCOLS } from '../../src/names.js';
import { byWorkload, perList } from '../../src/graph/index.js';
import { notListening } from '../../src/graph/listen.js';
import { sameTree } from '../../src/graph/referrers.js';
import { workloadOf } from '../../src/graph/live.js';



const declares = (t: PodTemplate) => t.containers.some((c) => c.ports.length > 0);

function declared(t: PodTemplate): string[] {
  return t.containers.flatMap((c) => c.ports.map((p) => `${p.containerPort ?? '?'}/${p.protocol}${p.name ? ` (${code(p.name)})` : ''}`));
}

/** A listening flag of the container's command line on the port: `--metrics-bind-address=:8443`, `--listen 0.0.0.0:9000`, `--port=8080`. */
function flagListens(raw: unknown, port: number): boolean {
  if (!isRecord(raw)) return false;
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])].filter((w): w is string => typeof w === 'string');
  const FLAG = /^--?(?:[a-z0-9]+[-_.])*(?:bind|listen|port|addr|address)(?:[-_.]?(?:addr|address|port))?$/i;
  return words.some((w, i) => {
    const m = /^(--?[A-Za-z0-9._-]+)(?:=(.*))?$/.exec(w);
    if (!m || !FLAG.test(m[1]!)) return false;
    const v = m[2] ?? words[i + 1];
    const n = v === undefined ? undefined : /^(?:\[[^\]]*\]|[^:\s]*)?:(\d{1,5})$/.exec(v)?.[1] ?? /^(\d{1,5})$/.exec(v)?.[1];
    return n !== undefined && Number(n) === port;
  });
}

const rule: Rule = {
  meta: {
    id: 'target-port-undeclared',
    description: 'A numeric targetPort that the selected containers do not declare while they declare other ports.',
    category: 'port',
    // containerPort is informational: an undeclared port is proven wrong only by another protocol or another backend declaring it.
    severity: 'info',
    messages: {
      undeclared: 'targetPort {{target}}/{{protocol}} is not declared by {{templates}}, which {{verb}} {{declared}}; Kubernetes still routes to {{target}}, so make sure the process listens there',
      hostPort: 'targetPort {{target}}/{{protocol}} is the hostPort of {{template}}, whose container port is {{containerPort}}: a hostPort maps the node\'s port to the container\'s, and a Service sends to the pod\'s IP on targetPort, where {{target}} is not declared; write {{containerPort}}',
      otherProtocol: 'targetPort {{target}}/{{protocol}} is declared by {{templates}} only as {{target}}/{{other}}; Kubernetes still routes {{protocol}} to it, so make sure the process listens there over {{protocol}}',
      dnsUdpLeftOut: 'Service {{service}} forwards DNS port {{port}} over TCP only, while {{templates}} {{verb}} {{target}}/UDP: clients ask a DNS server over UDP first, and the Service does not forward those queries (they time out); add a port {{port}} with protocol: UDP to the Service',
    },
    remediation: 'Set targetPort to the port the container listens on, or declare that port in the container\'s ports list.',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { reportWhenNoPortsDeclared: { type: 'boolean' } },
    },
    defaultOptions: { reportWhenNoPortsDeclared: false },
  },
  check({ graph, report, options }) {
    const all = options.reportWhenNoPortsDeclared === true;
    // What a port's resolutions (shared by the Services of one selector) tell, judged once for
    // each list: N Services over the same N templates cost N, not N².
    const udp = new Map<readonly unknown[], PortResolution | undefined>();
    const udpDns = new Map<readonly unknown[], PortResolution | undefined>();
    const udpDeclared = (list: readonly PortResolution[], dnsPort: boolean): PortResolution | undefined =>
      perList(dnsPort ? udpDns : udp, list, () => list.find((x) => x.targetPort !== undefined && (x.targetPort === 53 || dnsPort) && x.template.containers.some((c) => c.ports.some((p) => p.containerPort === x.targetPort && p.protocol === 'UDP'))));
    type Suspects = { groups: PortResolution[][]; suspects: PortResolution[][]; otherApp: (t: PodTemplate) => boolean };
    const suspected = new Map<readonly unknown[], Suspects>();
    const suspectsOf = (list: readonly PortResolution[]): Suspects => perList(suspected, list, () => {
      // Containers that declare nothing tell us nothing; those that declare other ports suggest a mistake.
      // A workload defined more than once is suspect only when every copy is.
      // A backend that declares no port at all is suspect too when another selected backend, of a
      // different image (not a canary of the same application), declares this one.
      // Of another application: an image name, and none shared with any backend that declares the port.
      const declaring = list.filter((r) => r.declared);
      const declaredImages = new Set(declaring.flatMap((r) => [...imageNames(r.template)]));
      const otherApp = (t: PodTemplate) => {
        const mine = imageNames(t);
        return mine.size > 0 && declaring.length > 0 && ![...mine].some((n) => declaredImages.has(n));
      };
      const groups = byWorkload(list);
      return { groups, suspects: groups.filter((g) => g.every((r) => !r.declared && (all || declares(r.template) || otherApp(r.template)))), otherApp };
    });
    for (const svc of graph.services) {
      if (svc.mode !== 'selector') continue;
      // A DNS server's port forwarded over TCP only: its pods declare the port over UDP too, and no
      // UDP port of the Service reaches it (that finding says it all for the port).
      const dnsReported = new Set<ServicePortNode>();
      for (const sp of svc.ports) {
        if (sp.protocol !== 'TCP') continue;
        const dnsPort = sp.port === 53 || /(^|-)dns($|-)/.test(sp.name ?? '');
        const r = udpDeclared(sp.resolutions, dnsPort);
        if (!r) continue;
        const target = r.targetPort!;
        // A UDP port of this Service, or of another Service of the same pods (one Service per protocol), forwards it.
        if (graph.services.some((o) => o.ports.some((q) => q.protocol === 'UDP' && q.resolutions.some((x) => x.targetPort === target && x.template === r.template)))) continue;
        const ts = [...new Set(sp.resolutions.filter((x) => x.targetPort === target && x.template.containers.some((c) => c.ports.some((p) => p.containerPort === target && p.protocol === 'UDP'))).map((x) => x.template))];
        report({
          object: svc.object,
          path: sp.path,
          messageId: 'dnsUdpLeftOut',
          severity: 'warning',
          data: { service: code(svc.object.name), port: sp.port ?? target, target, templates: list(ts.map(where), 3), verb: ts.length === 1 ? 'declares' : 'declare' },
          related: ts.slice(0, 3).flatMap((t) => t.containers.flatMap((c) => c.ports.filter((p) => p.containerPort === target && p.protocol === 'UDP').map((p) => ({ object: t.owner, path: p.path, message: `${target}/UDP of ${where(t)}` })))),
          remediation: 'Add a second Service port with the same number and protocol: UDP (a Service may mix TCP and UDP; a LoadBalancer too, since Kubernetes 1.26).',
        });
        dnsReported.add(sp);
      }
      for (const sp of svc.ports) {
        if (sp.target.kind !== 'number' || dnsReported.has(sp)) continue;
        // A protocol the API server refuses (`tcp`) is service-ports-invalid's: the Service never exists.
        if (!PROTOCOLS.includes(sp.protocol)) continue;
        const target = sp.target.value;
        const { groups, suspects: listSuspects, otherApp } = suspectsOf(sp.resolutions);
        let suspectGroups = listSuspects;
        if (suspectGroups.length) {
          // A backend told to listen elsewhere is target-port-not-listening's, with that evidence.
          const own = groups.filter((g) => sameTree(svc.object, g[0]!.template.owner));
          const owners = new Set(own.map((g) => (graph.settings.live ? workloadOf(graph, g[0]!.template.owner) ?? g[0]!.template.owner.name : g[0]!.template.id)));
          const told = owners.size === 1 && notListening(own[0]![0]!, graph) ? new Set(own.map((g) => g[0]!.template)) : undefined;
          if (told) suspectGroups = suspectGroups.filter((g) => !told.has(g[0]!.template));
        }
        // A container told by a flag to listen on the target (`--metrics-bind-address=:8443`) serves it, declared or not.
        suspectGroups = suspectGroups.filter((g) => !g[0]!.template.containers.some((c) => flagListens(getIn(g[0]!.template.owner.body, c.path), target)));
        const suspects = suspectGroups.map((g) => g[0]!);
        const contradicted = suspects.some((r) => otherApp(r.template));
        if (suspects.length === 0) continue;
        const ts = suspects.map((r) => r.template);
        const other = ts.flatMap((t) => t.containers.flatMap((c) => c.ports.filter((p) => p.containerPort === target && p.protocol !== sp.protocol)));
        // A container port without a written protocol says nothing of it (TCP is only the default): no evidence of another protocol.
        const written = ts.some((t) => t.containers.some((c) => c.ports.some((p) => p.containerPort === target && p.protocol !== sp.protocol && isRecord(getIn(t.owner.body, p.path)) && typeof (getIn(t.owner.body, p.path) as Record<string, unknown>).protocol === 'string')));
        if (other.length && !written) continue;
        const related = suspects.slice(0, 5).map((r) => ({
          object: r.template.owner,
          path: r.template.containers[0] ? [...r.template.containers[0].path, 'ports'] : r.template.path,
          message: `ports declared by ${where(r.template)}`,
        }));
        const decl = [...new Set(ts.flatMap(declared))];
        // The target is a container port's hostPort: that maps the node's port to the container's,
        // while the Service sends to the pod's IP on targetPort, where nothing declared listens.
        const host = other.length ? undefined : hostPortOf(ts, target, sp.protocol);
        if (host) {
          report({
            object: svc.object,
            path: sp.targetPath,
            messageId: 'hostPort',
            severity: 'warning',
            data: { target, protocol: sp.protocol, template: where(host.t), containerPort: host.containerPort },
            related: [{ object: host.t.owner, path: host.path, message: `hostPort ${target} of ${where(host.t)}` }],
            remediation: `Set targetPort to ${host.containerPort}, the container's port.`,
          });
          continue;
        }
        report({
          object: svc.object,
          path: sp.targetPath,
          messageId: other.length ? 'otherProtocol' : 'undeclared',
          ...(other.length || contradicted ? { severity: 'warning' as const } : {}),
          data: {
            target,
            protocol: sp.protocol,
            other: [...new Set(other.map((p) => p.protocol))].join(', '),
            templates: list(ts.map(where), 3),
            verb: ts.length === 1 ? 'declares' : 'declare',
            declared: decl.length ? list(decl, 5) : 'no ports',
          },
          related,
        });
      }
    }
  },
};

/** A container port of these templates whose hostPort is the target (and whose containerPort is not). */
function hostPortOf(ts: PodTemplate[], target: number, protocol: string): { t: PodTemplate; containerPort: number; path: Path } | undefined {
  for (const t of ts) {
    for (const c of t.containers) {
      for (const p of c.ports) {
        const raw = getIn(t.owner.body, p.path);
        if (isRecord(raw) && raw.hostPort === target && typeof p.containerPort === 'number' && p.containerPort !== target && p.protocol === protocol) return { t, containerPort: p.containerPort, path: [...p.path, 'hostPort'] };
      }
    }
  }
  return undefined;
}

export default rule;
