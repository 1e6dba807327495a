import type { K8sObject, Path } from '../../src/types/object.js';
import { formatPath } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { code } from '../../src/text.js';

/**
 * What apps/v1 validation (pkg/apis/apps/validation, v1.36) rejects in a workload's own spec,
 * after the defaults the API server gives it (pkg/apis/apps/v1/defaults.go): rollout
 * strategies, counts and durations. A workload it rejects creates no pods. Held to
 * kube-apiserver by test/apiserver-differential.test.ts.
 */
export interface WorkloadFieldProblem {
  path: Path;
  field: string;
  problem: string;
}

const PERCENT = /^[0-9]+%$/;

/** A rollout bound as the server reads it: an integer, or a string with `%` (anything else is invalid). */
interface Bound {
  /** The written value, or the default. */
  value: unknown;
  written: boolean;
  /** The amount it stands for (a percentage as its number, a non-percent string as Go's Atoi reads it). */
  amount: number;
  percent?: number;
  problem?: string;
}

function bound(raw: unknown, dflt: number | string): Bound {
  const written = raw !== undefined && raw !== null;
  const value = written ? raw : dflt;
  if (typeof value === 'number') {
    return { value, written, amount: value, ...(value < 0 ? { problem: `${code(value)} must be greater than or equal to 0` } : {}) };
  }
  if (typeof value === 'string') {
    if (PERCENT.test(value)) {
      const p = Number(value.slice(0, -1));
      return { value, written, amount: p, percent: p };
    }
    const n = /^[+-]?\d+$/.test(value) ? Number(value) : 0;
    return { value, written, amount: n, problem: `${code(value)} is neither a number nor a percentage: write ${/^\d+$/.test(value) ? `${value} (unquoted) or ${code(`${value}%`)}` : 'a number or `25%`'}` };
  }
  return { value, written, amount: 0 };
}

/** The descriptors robfig/cron's ParseStandard takes besides five fields (`@every <duration>` too). */
const CRON_DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * A CronJob schedule batch validation refuses (validateScheduleFormat: cron.ParseStandard, and
 * no `TZ=`/`CRON_TZ=` prefix): the CronJob is not stored and never makes its Jobs. Only the
 * shape is judged here: five fields, or a descriptor.
 */
function cronSchedule(o: K8sObject): WorkloadFieldProblem[] {
  const v = isRecord(o.body.spec) ? o.body.spec.schedule : undefined;
  if (typeof v !== 'string') return [];
  const at = { path: ['spec', 'schedule'], field: code('spec.schedule') };
  const s = v.trim();
  if (/^(CRON_)?TZ=/.test(s)) return [{ ...at, problem: `${code(v)} names a time zone, which the schedule may not: set ${code('spec.timeZone')} instead` }];
  if (s.startsWith('@')) {
    if (CRON_DESCRIPTORS.has(s) || /^@every\s+\S+$/.test(s)) return [];
    return [{ ...at, problem: `${code(v)} is not a descriptor cron knows (${[...CRON_DESCRIPTORS].slice(0, 4).join(', ')}, …, \`@every <duration>\`)` }];
  }
  const fields = s === '' ? 0 : s.split(/\s+/).length;
  return fields === 5 ? [] : [{ ...at, problem: `${code(v)} has ${fields} field${fields === 1 ? '' : 's'}; a schedule has five (minute, hour, day of month, month, day of week)` }];
}

export function workloadFieldProblems(o: K8sObject): WorkloadFieldProblem[] {
  if (o.kind === 'CronJob' && o.apiVersion === 'batch/v1') return cronSchedule(o);
  if (o.apiVersion !== 'apps/v1' || !isRecord(o.body.spec)) return [];
  const spec = o.body.spec;
  const out: WorkloadFieldProblem[] = [];
  const add = (rel: Path, problem: string) => out.push({ path: ['spec', ...rel], field: code(formatPath(['spec', ...rel])), problem });
  const nonNegative = (field: string) => {
    const v = spec[field];
    if (typeof v === 'number' && v < 0) add([field], `${code(v)} must be greater than or equal to 0`);
  };
  if (o.kind !== 'DaemonSet') nonNegative('replicas');
  nonNegative('minReadySeconds');
  if (o.kind !== 'StatefulSet') nonNegative('revisionHistoryLimit');
  const template = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : undefined;
  if (template && o.kind !== 'StatefulSet' && template.activeDeadlineSeconds !== undefined && template.activeDeadlineSeconds !== null) {
    add(['template', 'spec', 'activeDeadlineSeconds'], `is not supported in a ${o.kind}'s pods, which run until replaced`);
  }
  if (o.kind === 'Deployment') deployment(spec, add);
  else if (o.kind === 'DaemonSet') daemonSet(spec, add);
  else if (o.kind === 'StatefulSet') {
    statefulSet(spec, add);
    claimTemplates(spec, add);
  }
  return out;
}

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/**
 * A StatefulSet's `volumeClaimTemplates`, held to claim validation on create
 * (`validateVolumeClaimTemplates` → ValidatePersistentVolumeClaimSpec): at least one access mode,
 * each one of the four, ReadWriteOncePod alone, and a storage request.
 */
function claimTemplates(spec: Record<string, unknown>, add: Add): void {
  const list = spec.volumeClaimTemplates;
  (Array.isArray(list) ? list : []).forEach((c, i) => {
    const s = isRecord(c) && isRecord(c.spec) ? c.spec : undefined;
    if (!s) return;
    const at: Path = ['volumeClaimTemplates', i, 'spec'];
    const modes = s.accessModes;
    if (!Array.isArray(modes) || modes.length === 0) add([...at, ...(modes === undefined ? [] : ['accessModes'])], modes === undefined ? 'has no `accessModes` (at least 1 access mode is required)' : 'lists no access mode (at least 1 is required)');
    else {
      const bad = modes.find((m) => typeof m !== 'string' || !ACCESS_MODES.includes(m));
      if (bad !== undefined) add([...at, 'accessModes'], `lists ${code(String(bad))}, which is none of ${ACCESS_MODES.map((m) => code(m)).join(', ')}`);
      else if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod')) add([...at, 'accessModes'], 'combines `ReadWriteOncePod` with other access modes, which it may not');
    }
    const resources = isRecord(s.resources) ? s.resources : undefined;
    const storage = resources && isRecord(resources.requests) ? resources.requests.storage : undefined;
    if (storage === undefined || storage === null) add([...at, ...(resources ? ['resources'] : [])], 'requests no `storage` (`resources.requests.storage` is required)');
  });
}

type Add = (rel: Path, problem: string) => void;

function deployment(spec: Record<string, unknown>, add: Add): void {
  const strategy = isRecord(spec.strategy) ? spec.strategy : {};
  const type = typeof strategy.type === 'string' && strategy.type !== '' ? strategy.type : 'RollingUpdate';
  const rolling = strategy.rollingUpdate;
  if (type === 'Recreate') {
    if (rolling !== undefined && rolling !== null) add(['strategy', 'rollingUpdate'], 'is set while the strategy `type` is `Recreate`, which takes none');
  } else if (type === 'RollingUpdate') {
    const r = isRecord(rolling) ? rolling : {};
    const unavailable = bound(r.maxUnavailable, '25%');
    const surge = bound(r.maxSurge, '25%');
    for (const [field, b] of [['maxUnavailable', unavailable], ['maxSurge', surge]] as const) {
      if (b.problem) add(['strategy', 'rollingUpdate', field], b.problem);
    }
    // maxUnavailable is 25% when unset: both are 0 only when it is written so.
    if (unavailable.amount === 0 && surge.amount === 0) add(['strategy', 'rollingUpdate', 'maxUnavailable'], 'and maxSurge are both 0: a rollout could neither add a pod nor remove one');
    if (unavailable.percent !== undefined && unavailable.percent > 100) add(['strategy', 'rollingUpdate', 'maxUnavailable'], `${code(String(unavailable.value))} must not be greater than 100%`);
  } else {
    add(['strategy', 'type'], `${code(type)} is not one of \`RollingUpdate\` and \`Recreate\``);
  }
  const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0) add(['progressDeadlineSeconds'], `${code(deadline)} must be greater than or equal to 0`);
    if (deadline <= minReady) add(['progressDeadlineSeconds'], `${code(deadline)} must be greater than minReadySeconds (${minReady})`);
  } else if ((deadline === undefined || deadline === null) && minReady >= 600) {
    add(['minReadySeconds'], `${code(minReady)} is not less than progressDeadlineSeconds, 600 when unset: set progressDeadlineSeconds above it`);
  }
}

function daemonSet(spec: Record<string, unknown>, add: Add): void {
  const strategy = isRecord(spec.updateStrategy) ? spec.updateStrategy : {};
  const type = typeof strategy.type === 'string' && strategy.type !== '' ? strategy.type : 'RollingUpdate';
  if (type === 'OnDelete') return;
  if (type !== 'RollingUpdate') return add(['updateStrategy', 'type'], `${code(type)} is not one of \`RollingUpdate\` and \`OnDelete\``);
  const r = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const unavailable = bound(r.maxUnavailable, 1);
  const surge = bound(r.maxSurge, 0);
  for (const [field, b] of [['maxUnavailable', unavailable], ['maxSurge', surge]] as const) {
    if (b.problem) add(['updateStrategy', 'rollingUpdate', field], b.problem);
    if (b.percent !== undefined && b.percent > 100) add(['updateStrategy', 'rollingUpdate', field], `${code(String(b.value))} must not be greater than 100%`);
  }
  if (unavailable.amount !== 0 && surge.amount !== 0) {
    add(['updateStrategy', 'rollingUpdate', 'maxSurge'], `may not be set while maxUnavailable is not 0${unavailable.written ? '' : ' (it is 1 when unset)'}: a DaemonSet rollout either surges or takes pods down, so set \`maxUnavailable: 0\` beside it`);
  } else if (unavailable.amount === 0 && surge.amount === 0) {
    add(['updateStrategy', 'rollingUpdate', 'maxUnavailable'], 'and maxSurge are both 0: a rollout could neither add a pod nor remove one');
  }
}

function statefulSet(spec: Record<string, unknown>, add: Add): void {
  const policy = spec.podManagementPolicy;
  if (typeof policy === 'string' && policy !== '' && policy !== 'OrderedReady' && policy !== 'Parallel') add(['podManagementPolicy'], `${code(policy)} is not one of \`OrderedReady\` and \`Parallel\``);
  const strategy = isRecord(spec.updateStrategy) ? spec.updateStrategy : {};
  const type = typeof strategy.type === 'string' && strategy.type !== '' ? strategy.type : 'RollingUpdate';
  const rolling = strategy.rollingUpdate;
  if (type === 'OnDelete') {
    if (rolling !== undefined && rolling !== null) add(['updateStrategy', 'rollingUpdate'], 'is set while the update strategy `type` is `OnDelete`; it is only for `RollingUpdate`');
  } else if (type === 'RollingUpdate') {
    if (isRecord(rolling) && typeof rolling.partition === 'number' && rolling.partition < 0) add(['updateStrategy', 'rollingUpdate', 'partition'], `${code(rolling.partition)} must be greater than or equal to 0`);
  } else {
    add(['updateStrategy', 'type'], `${code(type)} is not one of \`RollingUpdate\` and \`OnDelete\``);
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isRecord(retention)) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      const v = retention[f];
      if (typeof v === 'string' && v !== '' && v !== 'Retain' && v !== 'Delete') add(['persistentVolumeClaimRetentionPolicy', f], `${code(v)} is not one of \`Retain\` and \`Delete\``);
    }
  }
}
