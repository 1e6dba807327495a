import { where } from '../../src/engine/rule-kit.js';
import type { Rule, RelatedReport } from '../../src/types/rule.js';
import type { PodTemplate, PortResolution, ServicePortNode } from '../../src/types/graph.js';
import { code, isTypo, list } from '../../src/text.js';
import { byWorkload } from '../../src/graph/index.js';


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

const rule: Rule = {
  meta: {
    id: 'target-port-unresolved',
    description: 'A targetPort that FindPort cannot resolve on the selected pods, so the Service port has no (or only some) endpoints.',
    category: 'port',
    severity: 'error',
    messages: {
      nameMissing: '{{port}} targets the port name {{target}}, but no selected container declares a port with that name{{found}}',
      protocolMismatch: '{{port}} targets the port name {{target}} over {{protocol}}, but the selected containers declare {{target}} only over {{other}}; a named port resolves only when name and protocol both match',
      partial: '{{port}} targets the port name {{target}}, which resolves on {{resolved}} but not on {{missing}}: those pods are left out of this port\'s endpoints and get no traffic',
      quotedNumber: 'targetPort {{target}} is a quoted number, which Kubernetes reads as a port name; the API server rejects it (a port name must contain a letter) and no container port could ever be named that',
    },
    remediation: 'Use a port name that every selected container declares with the Service port\'s protocol, or use the container port number.',
  },
  check({ graph, report }) {
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
        // A workload defined more than once in the run counts as resolved if any copy resolves.
        const groups = byWorkload(sp.resolutions);
        const ok = groups.filter((g) => g.some((r) => r.targetPort !== undefined)).map((g) => g.find((r) => r.targetPort !== undefined)!);
        const failed = groups.filter((g) => g.every((r) => r.targetPort === undefined)).map((g) => g[0]!);
        if (failed.length === 0) continue;
        const target = code(sp.target.value);
        const port = portLabel(sp);
        const base = { object: svc.object, path: sp.targetPath, related: failed.slice(0, 5).map(relatedFor) };
        if (ok.length > 0) {
          report({
            ...base,
            messageId: 'partial',
            data: { port, target, resolved: list(ok.map((r) => where(r.template))), missing: list(failed.map((r) => where(r.template))) },
            remediation: `Declare a container port named \`${sp.target.value}\` (${sp.protocol}) in every workload this Service selects, or narrow the selector.`,
          });
        } else if (failed.some((r) => r.failure === 'protocol-mismatch')) {
          const others = [...new Set(failed.flatMap((r) => (r.mismatch ? [r.mismatch.port.protocol] : [])))];
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
              found: near ? `; did you mean ${code(near)}?` : names.length ? `; they declare ${list(names, 5)}` : '; they declare no named ports',
            },
          });
        }
      }
    }
  },
};

export default rule;
