import { where } from '../../src/engine/rule-kit.js';
import type { Rule, RelatedReport } from '../../src/types/rule.js';
import type { Severity } from '../../src/types/finding.js';
import type { PodTemplate, PortResolution, ServiceGraph, ServicePortNode } from '../../src/types/graph.js';
import type { K8sObject } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { serviceRefs } from '../../src/graph/referrers.js';
import { ingressBackends } from '../../src/graph/netpol.js';
import { code, isTypo, list } from '../../src/text.js';
import { PROTOCOLS } from '../../src/names.js';
import { byWorkload, perList } from '../../src/graph/index.js';
import { revisionOf, templatePorts, workloadOf, type Revision } from '../../src/graph/live.js';
import type { RuleContext } from '../../src/types/rule.js';
import { objectsOfKind } from '../../src/graph/kinds.js';


function portLabel(sp: ServicePortNode): string {
  return sp.name ? `port ${code(sp.name)} (${sp.port ?? '?'}/${sp.protocol})` : `port ${sp.port ?? '?'}/${sp.protocol}`;
}

/** Named ports the selected containers do declare, for "found instead". */
function declaredNames(ts: PodTemplate[]): string[] {
  const out = new Set<string>();
  for (const t of ts) for (const c of t.containers) for (const p of c.ports) if (p.name) out.add(`${code(p.name)} (${p.containerPort ?? '?'}/${p.protocol})`);
  return [...out];
}

function nearestName(name: string, ts: PodTemplate[]): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const t of ts) for (const c of t.containers) for (const p of c.ports) {
    if (!p.name) continue;
    const d = isTypo(name, p.name);
    if (d !== undefined && (!best || d < best.d)) best = { n: p.name, d };
  }
  return best?.n;
}

function relatedFor(r: PortResolution): RelatedReport {
  const t = r.template;
  if (r.mismatch) return { object: t.owner, path: r.mismatch.port.path, message: `container \`${r.mismatch.container.name}\` of ${where(t)} declares it with protocol ${r.mismatch.port.protocol}` };
  const c = t.containers[0];
  return { object: t.owner, path: c ? [...c.path, 'ports'] : t.path, message: `${where(t)} has no container port named like this` };
}

/**
 * Live: the pods left out belong to one revision of a Deployment that is rolling out. When
 * the newest revision declares the name, the rollout fixes it (a warning while it runs);
 * when only the newest revision lacks it, the rollout is what breaks the port (an error).
 */
function rollout({ graph, report }: RuleContext, svc: { object: PodTemplate['owner'] }, sp: ServicePortNode, name: string): boolean {
  const failed = sp.resolutions.filter((r) => r.targetPort === undefined).map((r) => revisionOf(graph, r.template.owner));
  const ok = sp.resolutions.filter((r) => r.targetPort !== undefined).map((r) => revisionOf(graph, r.template.owner));
  const first = failed[0];
  if (!first || !failed.every((f): f is Revision => !!f && f.deployment === first.deployment && f.revision === first.revision)) return false;
  const has = (rs: Revision['newestReplicaSet']) => !!rs && templatePorts(rs).some((p) => p.name === name && p.protocol === sp.protocol);
  const newest = first.newestReplicaSet;
  const newestRev = newest ? { ...first, revision: first.newest, replicaSet: newest } : undefined;
  const dep = `Deployment ${first.deployment.namespace}/${first.deployment.name}`;
  const pods = `${failed.length} pod${failed.length > 1 ? 's' : ''}`;
  if (first.revision < first.newest && has(newest)) {
    report({ object: svc.object, path: sp.targetPath, messageId: 'rolloutFixes', severity: 'warning', data: { port: portLabel(sp), target: code(name), deployment: dep, revision: first.revision, newest: first.newest, pods, renamed: newestRev ? renamed(first, newestRev, name, sp.protocol) : '' }, remediation: `Let the rollout finish (kubectl rollout status deployment/${first.deployment.name} -n ${first.deployment.namespace}); nothing else needs to change.` });
    return true;
  }
  const older = ok.find((o) => o && o.deployment === first.deployment && o.revision < first.revision);
  if (first.revision === first.newest && older) {
    report({ object: svc.object, path: sp.targetPath, messageId: 'rolloutBreaks', data: { port: portLabel(sp), target: code(name), deployment: dep, revision: first.revision, pods, renamed: renamed(first, older, name, sp.protocol) }, remediation: `Put the port name \`${name}\` back in the pod template of ${dep} (or roll back: kubectl rollout undo deployment/${first.deployment.name} -n ${first.deployment.namespace}), or change the targetPort.` });
    return true;
  }
  return false;
}

/** " (revision 2 renames `web` to `http`)": the same container port under another name in the other revision. */
function renamed(from: Revision, to: Revision, name: string, protocol: string): string {
  const theirs = templatePorts(from.replicaSet);
  const ours = templatePorts(to.replicaSet).find((p) => p.name === name && p.protocol === protocol);
  const other = theirs.find((p) => p.name && p.name !== name && p.protocol === protocol && (!ours || p.containerPort === ours.containerPort));
  if (!other || !ours) return '';
  return to.revision > from.revision
    ? ` (revision ${to.revision} renames ${code(other.name!)} to ${code(name)})`
    : ` (it renames ${code(name)} to ${code(other.name!)})`;
}

/**
 * How sure it is that the pods left out of a port should serve it. Proven when one of them
 * declares the port the others resolve to under another name, or a name one slip from the
 * target (a canary that renamed `http` to `web`); likely when they declare no port at all
 * (container ports are informational: its server may listen there unnamed); otherwise they
 * declare other ports only, a component of the application that serves something else (the
 * executors of a cluster that only its coordinators' web port reaches), and leaving them out
 * is what the selector does by design.
 */
function partialEvidence(sp: ServicePortNode, ok: PortResolution[], left: PortResolution[], label: (t: PodTemplate) => string): { severity?: Severity; hint: string } {
  const target = sp.target.kind === 'name' ? sp.target.value : '';
  const numbers = new Set(ok.map((r) => r.targetPort));
  for (const r of left) {
    for (const c of r.template.containers) {
      for (const p of c.ports) {
        if (p.protocol !== sp.protocol) continue;
        if (p.containerPort !== undefined && numbers.has(p.containerPort)) {
          return { hint: `; ${label(r.template)} declares ${p.containerPort}/${p.protocol} ${p.name ? `as ${code(p.name)}` : 'without a name'}, the port the others serve as ${code(target)}` };
        }
        if (p.name && isTypo(target, p.name) !== undefined) return { hint: `; ${label(r.template)} declares ${code(p.name)}: did you mean ${code(target)}?` };
      }
    }
  }
  const bare = [...new Set(left.filter((r) => r.template.containers.every((c) => c.ports.length === 0)).map((r) => label(r.template)))];
  if (bare.length) return { severity: 'warning', hint: `; ${list(bare)} declare${bare.length > 1 ? '' : 's'} no container ports, and may serve it unnamed` };
  const other = [...new Set(left.flatMap((r) => r.template.containers.flatMap((c) => c.ports.map((p) => (p.name ? `${code(p.name)} (${p.containerPort ?? '?'}/${p.protocol})` : `${p.containerPort ?? '?'}/${p.protocol}`)))))];
  return { severity: 'info', hint: `; they declare other ports only (${list(other, 4)}): if they do not serve this port, leaving them out is what the selector does` };
}

const proxyCache = new WeakMap<ServiceGraph, Map<string, string>>();

/**
 * What in the run sends traffic to a Service through a proxy that routes to its endpoints'
 * ports (an Ingress backend, a Gateway API route's backendRef, a mesh or ingress custom
 * resource), in words; undefined when nothing does.
 */
function proxiedBy(graph: ServiceGraph, svc: K8sObject): string | undefined {
  let by = proxyCache.get(graph);
  if (!by) {
    proxyCache.set(graph, (by = new Map()));
    const add = (ns: string, name: unknown, o: K8sObject) => {
      if (typeof name === 'string' && !by!.has(`${ns}/${name}`)) by!.set(`${ns}/${name}`, `${o.kind} ${o.namespace}/${o.name}`);
    };
    for (const r of serviceRefs(graph)) if (!r.partialHost) add(r.namespace, r.name, r.object);
    for (const b of ingressBackends(graph)) add(b.ingress.namespace, b.name, b.ingress);
    for (const o of graph.objects) {
      const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
      if (spec && GATEWAY_ROUTES.has(o.kind) && /^gateway\.networking\.k8s\.io\//.test(o.apiVersion)) {
        for (const r of Array.isArray(spec.rules) ? spec.rules : []) {
          for (const b of isRecord(r) && Array.isArray(r.backendRefs) ? r.backendRefs : []) {
            if (!isRecord(b) || (b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') continue;
            add(typeof b.namespace === 'string' && b.namespace !== '' ? b.namespace : o.namespace, b.name, o);
          }
        }
      }
    }
  }
  return by.get(`${svc.namespace}/${svc.name}`);
}

const GATEWAY_ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);

/**
 * Whether an OpenKruise SidecarSet of the run injects a container declaring this port name into
 * the template's pods (its webhook adds the sidecar's containers, ports included, to every pod
 * its selector and namespace pick; `pkg/webhook/pod/mutating/sidecarset.go`). A selector with
 * expressions, or a namespace selector, counts as picking them.
 */
function injectedPort(graph: ServiceGraph, t: PodTemplate, name: string, protocol: string): boolean {
  return objectsOfKind(graph, 'SidecarSet').some((o) => {
    if (!o.apiVersion.startsWith('apps.kruise.io/')) return false;
    const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
    if (!spec) return false;
    if (typeof spec.namespace === 'string' && spec.namespace !== '' && spec.namespace !== t.namespace) return false;
    const sel = isRecord(spec.selector) ? spec.selector : {};
    const labels = isRecord(sel.matchLabels) ? sel.matchLabels : {};
    if (!Object.entries(labels).every(([k, v]) => t.labels[k] === v)) return false;
    const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
    return containers.some((c) => isRecord(c) && Array.isArray(c.ports) && c.ports.some((p) => isRecord(p) && p.name === name && (p.protocol ?? 'TCP') === protocol));
  });
}

const rule: Rule = {
  meta: {
    id: 'target-port-unresolved',
    description: 'A targetPort that FindPort cannot resolve on the selected pods, so the Service port has no (or only some) endpoints.',
    category: 'port',
    severity: 'error',
    messages: {
      nameMissing: '{{port}} targets the port name {{target}}, but no selected container declares a port with that name{{hint}}',
      protocolMismatch: '{{port}} targets the port name {{target}} over {{protocol}}, but the selected containers declare {{target}} only over {{other}}; a named port resolves only when name and protocol both match{{hint}}',
      rolloutFixes: '{{port}} targets the port name {{target}}, which revision {{revision}} of {{deployment}} ({{pods}}) does not declare; a rollout to revision {{newest}}, which declares it, is in progress{{renamed}}: the pods of revision {{revision}} get no traffic on this port until they are replaced',
      rolloutBreaks: '{{port}} targets the port name {{target}}, which revision {{revision}} of {{deployment}} ({{pods}}) no longer declares{{renamed}}: its pods get no traffic on this port, and when the rollout finishes no pod will',
      partial: '{{port}} targets the port name {{target}}, which resolves on {{resolved}} but not on {{missing}}: those pods are left out of this port\'s endpoints and get no traffic{{hint}}',
      quotedNumber: 'targetPort {{target}} is a quoted number, which Kubernetes reads as a port name; the API server rejects it (a port name must contain a letter) and no container port could ever be named that',
    },
    remediation: 'Use a port name that every selected container declares with the Service port\'s protocol, or use the container port number.',
  },
  check(ctx) {
    const { graph, report } = ctx;
    // Live, pods are named by their workload: the Deployment, not the pod.
    const label = (t: PodTemplate) => (graph.settings.live ? workloadOf(graph, t.owner) ?? where(t) : where(t));
    const grouped = new Map<readonly unknown[], PortResolution[][]>();
    for (const svc of graph.services) {
      if (svc.mode === 'external-name') continue;
      for (const sp of svc.ports) {
        if (sp.target.kind === 'quoted-number') {
          report({
            object: svc.object,
            path: sp.targetPath,
            messageId: 'quotedNumber',
            data: { target: code(`"${sp.target.value}"`) },
            remediation: `Write the number without quotes: \`targetPort: ${sp.target.value}\`.`,
          });
          continue;
        }
        if (sp.target.kind !== 'name' || svc.mode !== 'selector' || sp.resolutions.length === 0) continue;
        // A protocol the API server refuses (`tcp`) is reported where it is written: that Service or pod never exists.
        if (!PROTOCOLS.includes(sp.protocol)) continue;
        // A workload defined more than once in the run counts as resolved if any copy resolves.
        // Services of one selector share the list: grouped once (N Services over N templates cost N, not N²).
        const groups = perList(grouped, sp.resolutions, () => byWorkload(sp.resolutions));
        const ok = groups.filter((g) => g.some((r) => r.targetPort !== undefined)).map((g) => g.find((r) => r.targetPort !== undefined)!);
        const failed = groups.filter((g) => g.every((r) => r.targetPort === undefined)).map((g) => g[0]!).filter((r) => !(sp.target.kind === 'name' && injectedPort(graph, r.template, sp.target.value, sp.protocol)));
        if (failed.length === 0) continue;
        if (graph.settings.live && rollout(ctx, svc, sp, sp.target.value)) continue;
        const target = code(sp.target.value);
        const port = portLabel(sp);
        const base = { object: svc.object, path: sp.targetPath, related: failed.slice(0, 5).map(relatedFor) };
        // A headless Service's clients dial the pods' addresses, which DNS answers whatever the
        // ports: only what reads the endpoints' ports (SRV records, meshes, endpoint discovery) misses it.
        // A proxy the run sends to this Service (an Ingress, a Gateway API route, a mesh route) reads those ports: then it fails.
        const proxy = svc.headless ? proxiedBy(ctx.graph, svc.object) : undefined;
        const headless = !svc.headless
          ? { headless: '' }
          : proxy
            ? { headless: `; the Service is headless, but ${proxy} sends to it, and proxies route to the endpoints' ports: it has none for this port` }
            : { severity: 'warning' as const, headless: '; as the Service is headless, clients that resolve its name still reach the pods on any port they listen on: only its SRV record for this port and what reads endpoint ports (ingress controllers, Gateway API and mesh proxies, Prometheus endpoint discovery) miss it' };
        if (ok.length > 0) {
          // Pods of Jobs and CronJobs left out of a port they do not declare get no requests: what one wants.
          const servers = failed.filter((r) => r.template.replicas.mode !== 'job');
          if (servers.length === 0) continue;
          const { severity, hint } = partialEvidence(sp, ok, servers, label);
          report({
            ...base,
            related: servers.slice(0, 5).map(relatedFor),
            messageId: 'partial',
            severity,
            data: { port, target, resolved: list([...new Set(ok.map((r) => label(r.template)))]), missing: list([...new Set(servers.map((r) => label(r.template)))]), hint },
            remediation: `Declare a container port named \`${sp.target.value}\` (${sp.protocol}) in every workload this Service selects, or narrow the selector.`,
          });
        } else if (failed.some((r) => r.failure === 'protocol-mismatch')) {
          // A port of that name and protocol without a number is not a protocol mismatch: the API
          // server refuses it (container-port-name-invalid reports it), and no pod is admitted.
          if (failed.some((r) => r.mismatch && r.mismatch.port.protocol === sp.protocol && r.mismatch.port.containerPort === undefined)) continue;
          const others = [...new Set(failed.flatMap((r) => (r.mismatch ? [r.mismatch.port.protocol] : [])))];
          if (!others.some((x) => PROTOCOLS.includes(x))) continue;
          report({
            ...base,
            messageId: 'protocolMismatch',
            ...(headless.severity ? { severity: headless.severity } : {}),
            data: { port, target, protocol: sp.protocol, other: others.join(', '), hint: headless.headless },
            remediation: `Set the Service port's protocol to ${others[0]}, or add a ${sp.protocol} container port named \`${sp.target.value}\`.`,
          });
        } else {
          const backends = failed.map((r) => r.template);
          const names = declaredNames(backends);
          const near = nearestName(sp.target.value, backends);
          report({
            ...base,
            messageId: 'nameMissing',
            ...(headless.severity ? { severity: headless.severity } : {}),
            data: {
              port,
              target,
              hint: (near ? `; did you mean ${code(near)}?` : names.length ? `; they declare ${list(names, 5)}` : '; they declare no named ports') + headless.headless,
            },
          });
        }
      }
    }
  },
};

export default rule;
