import type { PodTemplate } from '../types/graph.js';
import { getIn } from './pods.js';

/**
 * Labels that controllers add to the pods they create, beyond the template's labels.
 * A Service may select on them (one StatefulSet pod per Service is a common pattern).
 */
export const CONTROLLER_LABELS = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'job-name',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
]);

/** The ordinals a StatefulSet's pods get: `[start, start + replicas)` (`spec.ordinals.start`). */
export function statefulSetOrdinals(t: PodTemplate): [number, number] {
  const start = getIn(t.owner.body, ['spec', 'ordinals', 'start']);
  const first = typeof start === 'number' && Number.isInteger(start) && start >= 0 ? start : 0;
  const count = t.replicas.mode === 'count' ? t.replicas.count : 1;
  return [first, first + count];
}

/**
 * Whether some pod of the template would carry `key: value` once its controller adds its
 * labels. Values the controller computes at run time (hashes, uids) cannot be disproved,
 * so they count as matching rather than raise a false alarm.
 */
export function controllerLabelMatches(t: PodTemplate, key: string, value: string): boolean {
  if (t.labels[key] !== undefined) return t.labels[key] === value;
  const kind = t.owner.kind;
  const name = t.owner.name;
  switch (key) {
    case 'statefulset.kubernetes.io/pod-name': {
      if (kind !== 'StatefulSet' || !value.startsWith(`${name}-`)) return false;
      const i = value.slice(name.length + 1);
      const [lo, hi] = statefulSetOrdinals(t);
      return /^\d+$/.test(i) && Number(i) >= lo && Number(i) < hi;
    }
    case 'apps.kubernetes.io/pod-index': {
      if (kind !== 'StatefulSet' || !/^\d+$/.test(value)) return false;
      const [lo, hi] = statefulSetOrdinals(t);
      return Number(value) >= lo && Number(value) < hi;
    }
    case 'job-name':
    case 'batch.kubernetes.io/job-name':
      return kind === 'Job' ? value === name : kind === 'CronJob' ? value.startsWith(`${name}-`) : false;
    case 'controller-uid':
    case 'batch.kubernetes.io/controller-uid':
    case 'batch.kubernetes.io/job-completion-index':
      return kind === 'Job' || kind === 'CronJob';
    case 'pod-template-hash':
      return kind === 'Deployment' || kind === 'Rollout';
    case 'controller-revision-hash':
      return kind === 'StatefulSet' || kind === 'DaemonSet';
    case 'pod-template-generation':
      return kind === 'DaemonSet';
    default:
      return false;
  }
}
