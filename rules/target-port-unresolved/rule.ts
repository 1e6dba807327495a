import { where } from '../../src/engine/rule-kit.js';
import type { Rule, RelatedReport } from '../../src/types/rule.js';
import type { PodTemplate, PortResolution, ServicePortNode } from '../../src/types/graph.js';
import { code, isTypo, list } from '../../src/text.js';
import { PROTOCOLS } from '../../src/names.js';
import { byWorkload } from '../../src/graph/index.js';
import { revisionOf, templatePorts, workloadOf, type Revision } from '../../src/graph/live.js';
import type { RuleContext } from '../../src/types/rule.js';


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

const rule: Rule = {
  meta: {
    id: 'target-port-unresolved',
    description: 'A targetPort that FindPort cannot resolve on the selected pods, so the Service port has no (or only some) endpoints.',
    category: 'port',
    severity: 'error',
    messages: {
      nameMissing: '{{port}} targets the port name {{target}}, but no selected container declares a port with that name{{hint}}',
      protocolMismatch: '{{port}} targets the port name {{target}} over {{protocol}}, but the selected containers declare {{target}} only over {{other}}; a named port resolves only when name and protocol both match',
      rolloutFixes: '{{port}} targets the port name {{target}}, which revision {{revision}} of {{deployment}} ({{pods}}) does not declare; a rollout to revision {{newest}}, which declares it, is in progress{{renamed}}: the pods of revision {{revision}} get no traffic on this port until they are replaced',
      rolloutBreaks: '{{port}} targets the port name {{target}}, which revision {{revision}} of {{deployment}} ({{pods}}) no longer declares{{renamed}}: its pods get no traffic on this port, and when the rollout finishes no pod will',
      partial: '{{port}} targets the port name {{target}}, which resolves on {{resolved}} but not on {{missing}}: those pods are left out of this port\'s endpoints and get no traffic',
      quotedNumber: 'targetPort {{target}} is a quoted number, which Kubernetes reads as a port name; the API server rejects it (a port name must contain a letter) and no container port could ever be named that',
    },
    remediation: 'Use a port name that every selected container declares with the Service port\'s protocol, or use the container port number.',
  },
  check(ctx) {
    const { graph, report } = ctx;
    // Live, pods are named by their workload: the Deployment, not the pod.
    const label = (t: PodTemplate) => (graph.settings.live ? workloadOf(graph, t.owner) ?? where(t) : where(t));
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
        const groups = byWorkload(sp.resolutions);
        const ok = groups.filter((g) => g.some((r) => r.targetPort !== undefined)).map((g) => g.find((r) => r.targetPort !== undefined)!);
        const failed = groups.filter((g) => g.every((r) => r.targetPort === undefined)).map((g) => g[0]!);
        if (failed.length === 0) continue;
        if (graph.settings.live && rollout(ctx, svc, sp, sp.target.value)) continue;
        const target = code(sp.target.value);
        const port = portLabel(sp);
        const base = { object: svc.object, path: sp.targetPath, related: failed.slice(0, 5).map(relatedFor) };
        if (ok.length > 0) {
          report({
            ...base,
            messageId: 'partial',
            data: { port, target, resolved: list([...new Set(ok.map((r) => label(r.template)))]), missing: list([...new Set(failed.map((r) => label(r.template)))]) },
            remediation: `Declare a container port named \`${sp.target.value}\` (${sp.protocol}) in every workload this Service selects, or narrow the selector.`,
          });
        } else if (failed.some((r) => r.failure === 'protocol-mismatch')) {
          const others = [...new Set(failed.flatMap((r) => (r.mismatch ? [r.mismatch.port.protocol] : [])))];
          if (!others.some((x) => PROTOCOLS.includes(x))) continue;
          report({
            ...base,
            messageId: 'protocolMismatch',
            data: { port, target, protocol: sp.protocol, other: others.join(', ') },
            remediation: `Set the Service port's protocol to ${others[0]}, or add a ${sp.protocol} container port named \`${sp.target.value}\`.`,
          });
        } else {
          const backends = failed.map((r) => r.template);
          const names = declaredNames(backends);
          const near = nearestName(sp.target.value, backends);
          report({
            ...base,
            messageId: 'nameMissing',
            data: {
              port,
              target,
              hint: near ? `; did you mean ${code(near)}?` : names.length ? `; they declare ${list(names, 5)}` : '; they declare no named ports',
            },
          });
        }
      }
    }
  },
};

export default rule;
