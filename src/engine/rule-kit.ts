import type { PodTemplate, ServiceGraph, ServiceNode } from '../types/graph.js';
import { editDistance } from '../text.js';
import { CONTROLLER_LABELS, controllerLabelMatches } from '../graph/controller-labels.js';
import type { RuleContext } from '../types/rule.js';
import { describe, refOf } from '../types/object.js';

/** Small helpers rule modules share. */

/** `Deployment shop/web`: the workload that owns a pod template. */
export const where = (t: PodTemplate): string => describe(refOf(t.owner));

/** Reports the load problems (unreadable files, syntax errors) that belong to a rule. */
export function reportLoadProblems(ctx: RuleContext, ruleId: string): void {
  for (const p of ctx.graph.loadProblems) {
    if (p.ruleId !== ruleId) continue;
    ctx.report({ messageId: p.messageId, data: p.data, file: { source: p.file, path: p.filePath, range: p.range } });
  }
}

/** How a Service's ports read in a message: `http` (80/TCP), 443/TCP. */
export function servicePortsText(svc: ServiceNode): string {
  if (svc.ports.length === 0) return 'no ports';
  return svc.ports.map((p) => (p.name ? `\`${p.name}\` (${p.port ?? '?'}/${p.protocol})` : `${p.port ?? '?'}/${p.protocol}`)).join(', ');
}

/** Whether a Service exposes a port by number or by name, as Ingress and route backends name it. */
export function exposes(svc: ServiceNode, port: { number?: number; name?: string }): boolean {
  if (port.number !== undefined) return svc.ports.some((p) => p.port === port.number);
  if (port.name !== undefined) return svc.ports.some((p) => p.name === port.name);
  return true;
}

/** Services of a namespace whose names are close to a name, for "did you mean". */
export function nearestService(graph: ServiceGraph, namespace: string, name: string): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const s of graph.servicesIn(namespace)) {
    // Stricter than label typos: long names share many characters by chance.
    const d = editDistance(name, s.object.name, 3);
    if (d > 0 && d <= Math.max(1, Math.floor(name.length / 6)) && (!best || d < best.d)) best = { n: s.object.name, d };
  }
  return best?.n;
}

/** Whether the run defines any Service in a namespace (else a missing one may live elsewhere). */
export function hasServicesIn(graph: ServiceGraph, namespace: string): boolean {
  return graph.servicesIn(namespace).length > 0;
}

/**
 * Whether a Service selects a template's pods, by their labels (the template's, plus the
 * ones controllers add): the same answer for a manifest and for a live workload whose
 * pods are the graph's backends.
 */
export function selectsTemplate(service: ServiceNode, t: PodTemplate): boolean {
  return Object.entries(service.selector).every(([k, v]) => (t.labels[k] === undefined && CONTROLLER_LABELS.has(k) ? controllerLabelMatches(t, k, v) : t.labels[k] === v));
}

/** Workload templates whether the run is static or live (live, pods are the graph's templates). */
export function workloadTemplates(graph: ServiceGraph): readonly PodTemplate[] {
  return graph.settings.live ? graph.workloadTemplates : graph.templates;
}

/**
 * Per-pod DNS names (`<host>.<service>.<ns>.svc`) need a headless Service of that name in
 * the pod's namespace that selects the pod: StatefulSet serviceName and pod subdomain alike.
 */
export function podDnsService(graph: ServiceGraph, t: PodTemplate, name: string):
  | { problem: 'missing' }
  | { problem: 'notHeadless' | 'notSelecting'; service: ServiceNode }
  | { problem: undefined; service: ServiceNode } {
  const service = graph.service(t.namespace, name);
  if (!service) return { problem: 'missing' };
  if (!service.headless) return { problem: 'notHeadless', service };
  if (service.mode === 'selector' && !selectsTemplate(service, t)) return { problem: 'notSelecting', service };
  return { problem: undefined, service };
}

/**
 * What identifies a template's main images whatever registry or version they come from: the
 * last path segment without tag, digest or trailing version (`gcr.io/x/reviews-v2:1` → `reviews`).
 */
export function imageNames(t: PodTemplate): Set<string> {
  const out = new Set<string>();
  for (const c of t.containers) {
    if (c.sidecar || !c.image) continue;
    out.add(c.image.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/').at(-1)!.replace(/[-_.]?v?\d+(\.\d+)*$/, ''));
  }
  return out;
}
