import type { Finding } from '../types/finding.js';
import type { Gap } from './cluster.js';

/**
 * The kinds each live check reasons about. When a kind could not be read (forbidden, not
 * served, a broken answer), a finding of a check that needs it may only reflect the
 * missing data ("matches no running pod" because pods were not readable): it is skipped
 * and listed, never reported.
 */
export const NEEDS: Record<string, readonly string[]> = {
  'selector-no-match': ['Pod'],
  'service-no-ready-endpoints': ['Pod', 'EndpointSlice', 'Endpoints'],
  'endpoints-never-ready': ['Pod'],
  'target-port-unresolved': ['Pod'],
  'target-port-undeclared': ['Pod'],
  'selector-too-broad': ['Pod'],
  'headless-peer-readiness': ['Pod'],
  'headless-port-mismatch': ['Pod'],
  'internal-traffic-local-partial': ['Pod'],
  'pod-subdomain-unknown': ['Pod', 'Service'],
  'service-env-collision': ['Pod'],
  'statefulset-service-invalid': ['Service', 'Pod', 'StatefulSet'],
  'manual-endpoints-missing': ['EndpointSlice', 'Endpoints'],
  'endpoints-orphaned': ['Service', 'EndpointSlice', 'Endpoints'],
  'ingress-backend-unknown': ['Service'],
  'route-backend-unknown': ['Service'],
  'webhook-service-invalid': ['Service', 'EndpointSlice', 'Endpoints'],
  'dns-reference-unknown-service': ['Service'],
  'cluster-dns-unhealthy': ['cluster DNS (kube-system)'],
  // kube-proxy's pods are read with cluster DNS's, in one request.
  'kube-proxy-unhealthy': ['cluster DNS (kube-system)', 'Pod'],
};

export interface Skipped {
  ruleId: string;
  gap: Gap;
  count: number;
}

/** Splits findings into those the data read supports and those a gap may have caused. */
export function applyGaps(findings: Finding[], gaps: Gap[]): { kept: Finding[]; skipped: Skipped[] } {
  if (!gaps.length) return { kept: findings, skipped: [] };
  const kept: Finding[] = [];
  const skipped = new Map<string, Skipped>();
  for (const f of findings) {
    const ns = f.object?.namespace;
    const gap = gaps.find((g) => (NEEDS[f.ruleId] ?? []).includes(g.kind) && (g.namespace === undefined || g.namespace === ns));
    if (!gap) {
      kept.push(f);
      continue;
    }
    const key = `${f.ruleId}\u0000${gap.kind}\u0000${gap.namespace ?? ''}`;
    const s = skipped.get(key);
    if (s) s.count++;
    else skipped.set(key, { ruleId: f.ruleId, gap, count: 1 });
  }
  return { kept, skipped: [...skipped.values()] };
}

/** Kinds without which no Service was examined at all. */
export const CORE_KINDS = ['Service', 'Pod', 'EndpointSlice', 'Endpoints'];
