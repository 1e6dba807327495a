import type { K8sObject, Path } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { parseQuantity, quantityMilli } from './quantity.js';

/**
 * What the API server's LimitRanger admission refuses in a pod, for a namespace with one
 * LimitRange (plugin/pkg/admission/limitranger): for its Container items, the range's
 * defaults as the API server stores them (`default` from `max`, `defaultRequest` from
 * `default`, else from `min`: SetDefaults_LimitRangeItem), merged into each container where
 * it states nothing (after a request defaulted from the limit written beside it), then its
 * `min`, `max` and `maxLimitRequestRatio` per resource, compared in thousandths, in every
 * container and init container; for its Pod items, the same constraints on the pod's totals.
 */

type List = Map<string, { written: string; milli: bigint }>;

function listOf(v: unknown): List | undefined {
  const out: List = new Map();
  if (v === undefined || v === null) return out;
  if (!isRecord(v)) return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number') return undefined;
    const q = parseQuantity(x);
    if (!q || q.negative) return undefined;
    out.set(k, { written: String(x), milli: quantityMilli(q) });
  }
  return out;
}

export interface LimitRangeRefusal {
  /** The LimitRanger's own words (`maximum cpu usage per Container is 16, but limit is 17`). */
  message: string;
  container: string;
  /** Where in the pod template's spec: the container's resource, or the container. */
  path: Path;
}

/**
 * The Container items of LimitRanges, with the defaults they give as the API server stores them
 * (`default` from `max` where unset, `defaultRequest` from `default`, else from `min`:
 * SetDefaults_LimitRangeItem), later items over earlier ones. Undefined where an amount cannot be
 * read; an item's `ratio` is undefined where its maxLimitRequestRatio cannot.
 */
interface RangeDefaults {
  items: { min: List; max: List; ratio: List | undefined }[];
  defaults: List;
  defaultRequests: List;
}

function rangeDefaults(ranges: readonly K8sObject[]): RangeDefaults | undefined {
  const out: RangeDefaults = { items: [], defaults: new Map(), defaultRequests: new Map() };
  for (const range of ranges) {
    const items = isRecord(range.body.spec) && Array.isArray(range.body.spec.limits) ? range.body.spec.limits : [];
    for (const item of items) {
      if (!isRecord(item) || item.type !== 'Container') continue;
      const [min, max, dflt, dreq] = [item.min, item.max, item.default, item.defaultRequest].map(listOf);
      if (!min || !max || !dflt || !dreq) return undefined;
      for (const [k, v] of max) if (!dflt.has(k)) dflt.set(k, v);
      for (const [k, v] of dflt) if (!dreq.has(k)) dreq.set(k, v);
      for (const [k, v] of min) if (!dreq.has(k)) dreq.set(k, v);
      for (const [k, v] of dflt) out.defaults.set(k, v);
      for (const [k, v] of dreq) out.defaultRequests.set(k, v);
      out.items.push({ min, max, ratio: listOf(item.maxLimitRequestRatio) });
    }
  }
  return out;
}

/**
 * A container's requests and limits as admission sees them: as written, a request defaulted
 * from the limit beside it (the API server's defaulting), then the ranges' defaults where it
 * states nothing. Undefined where an amount cannot be read.
 */
function completed(c: Record<string, unknown>, d: RangeDefaults): { limits: List; requests: List } | undefined {
  const res = isRecord(c.resources) ? c.resources : {};
  const limits = listOf(res.limits);
  const requests = listOf(res.requests);
  if (!limits || !requests) return undefined;
  for (const [k, v] of limits) if (!requests.has(k)) requests.set(k, v);
  for (const [k, v] of d.defaults) if (!limits.has(k)) limits.set(k, v);
  for (const [k, v] of d.defaultRequests) if (!requests.has(k)) requests.set(k, v);
  return { limits, requests };
}

interface Constraint { min: List; max: List; ratio: List }

/**
 * The first constraint of `items` that requests and limits break, in the LimitRanger's words
 * (minConstraint, maxConstraint, limitRequestRatioConstraint), with the key at fault (`at`
 * says where), or undefined.
 */
function broken(kind: 'Container' | 'Pod', items: readonly Constraint[], requests: List, limits: List): { message: string; key?: string; field?: 'limits' | 'requests' } | undefined {
  for (const { min, max, ratio } of items) {
    for (const [k, m] of min) {
      const req = requests.get(k);
      const lim = limits.get(k);
      if (!req) return { message: `minimum ${k} usage per ${kind} is ${m.written}. No request is specified` };
      if (req.milli < m.milli) return { message: `minimum ${k} usage per ${kind} is ${m.written}, but request is ${req.written}`, key: k, field: 'requests' };
      if (lim && lim.milli < m.milli) return { message: `minimum ${k} usage per ${kind} is ${m.written}, but limit is ${lim.written}`, key: k, field: 'limits' };
    }
    for (const [k, m] of max) {
      const req = requests.get(k);
      const lim = limits.get(k);
      if (!lim) return { message: `maximum ${k} usage per ${kind} is ${m.written}. No limit is specified` };
      if (lim.milli > m.milli) return { message: `maximum ${k} usage per ${kind} is ${m.written}, but limit is ${lim.written}`, key: k, field: 'limits' };
      if (req && req.milli > m.milli) return { message: `maximum ${k} usage per ${kind} is ${m.written}, but request is ${req.written}`, key: k, field: 'requests' };
    }
    for (const [k, m] of ratio) {
      const req = requests.get(k);
      const lim = limits.get(k);
      if (!req || req.milli === 0n) return { message: `${k} max limit to request ratio per ${kind} is ${m.written}, but no request is specified or request is 0` };
      if (!lim || lim.milli === 0n) return { message: `${k} max limit to request ratio per ${kind} is ${m.written}, but no limit is specified or limit is 0` };
      // limit / request > ratio, in thousandths: limit * 1000 > ratio * request.
      if (lim.milli * 1000n > m.milli * req.milli) return { message: `${k} max limit to request ratio per ${kind} is ${m.written}, but provided ratio is ${(Number(lim.milli) / Number(req.milli)).toFixed(6)}`, key: k, field: 'limits' };
    }
  }
  return undefined;
}

/**
 * The Pod items of a LimitRange, or undefined where one cannot be read or the API server
 * refuses the LimitRange itself (a Pod item with `default` or `defaultRequest`).
 */
function podItems(range: K8sObject): Constraint[] | undefined {
  const out: Constraint[] = [];
  const items = isRecord(range.body.spec) && Array.isArray(range.body.spec.limits) ? range.body.spec.limits : [];
  for (const item of items) {
    if (!isRecord(item) || item.type !== 'Pod') continue;
    if (item.default !== undefined || item.defaultRequest !== undefined) return undefined;
    const [min, max, ratio] = [item.min, item.max, item.maxLimitRequestRatio].map(listOf);
    if (!min || !max || !ratio) return undefined;
    out.push({ min, max, ratio });
  }
  return out;
}

/** A sum of amounts in thousandths, written as the API server would for cpu (`1500m`, `2`) or bytes (`192Mi`). */
function writeSum(key: string, milli: bigint): string {
  if (milli % 1000n !== 0n) return `${milli}m`;
  const whole = milli / 1000n;
  if (key === 'cpu' || whole === 0n) return String(whole);
  for (const [suffix, shift] of [['Ei', 60n], ['Pi', 50n], ['Ti', 40n], ['Gi', 30n], ['Mi', 20n], ['Ki', 10n]] as const) {
    if (whole % (1n << shift) === 0n) return `${whole >> shift}${suffix}`;
  }
  return String(whole);
}

/**
 * What a pod asks as one, the way the LimitRanger adds it up for a Pod item (podRequests,
 * podLimits): the containers' amounts summed, sidecar init containers added, and the largest
 * of an ordinary init container's (with the sidecars before it) where that is larger.
 */
function podTotals(containers: readonly List[], inits: readonly { list: List; sidecar: boolean }[]): List {
  const add = (into: Map<string, bigint>, from: List | Map<string, bigint>) => {
    for (const [k, v] of from) into.set(k, (into.get(k) ?? 0n) + (typeof v === 'bigint' ? v : v.milli));
  };
  const total = new Map<string, bigint>();
  for (const c of containers) add(total, c);
  const sidecars = new Map<string, bigint>();
  const initMax = new Map<string, bigint>();
  for (const { list, sidecar } of inits) {
    let own: Map<string, bigint>;
    if (sidecar) {
      add(total, list);
      add(sidecars, list);
      own = sidecars;
    } else {
      own = new Map();
      add(own, list);
      add(own, sidecars);
    }
    for (const [k, v] of own) if (!initMax.has(k) || v > initMax.get(k)!) initMax.set(k, v);
  }
  for (const [k, v] of initMax) if (!total.has(k) || v > total.get(k)!) total.set(k, v);
  const out: List = new Map();
  for (const [k, v] of total) out.set(k, { written: writeSum(k, v), milli: v });
  return out;
}

/**
 * The first refusal of a LimitRange for a pod, over its containers and init containers:
 * a request above the limit the range's default gave its container (`defaulted`: the pod's
 * validation, which runs after the range's defaults are merged and before its constraints are
 * checked), then each container against the Container items and the pod's totals against the Pod
 * items (LimitRanger's PodLimitFunc), or undefined. `container` is undefined where the pod as
 * a whole is refused.
 */
export function limitRangeRefusal(spec: Record<string, unknown>, range: K8sObject): (Omit<LimitRangeRefusal, 'container'> & { container?: string; defaulted?: true }) | undefined {
  const ranges = rangeDefaults([range]);
  const pods = podItems(range);
  if (!ranges || !pods || (ranges.items.length === 0 && pods.length === 0) || ranges.items.some((x) => !x.ratio)) return undefined;
  // With resources for the pod as a whole (PodLevelResources), the totals are the pod's own: not read here.
  if (pods.length && spec.resources !== undefined) return undefined;
  const all: { field: 'containers' | 'initContainers'; i: number; c: Record<string, unknown>; requests: List; limits: List }[] = [];
  let invalid: (LimitRangeRefusal & { defaulted: true }) | undefined;
  for (const field of ['containers', 'initContainers'] as const) {
    const list = Array.isArray(spec[field]) ? spec[field] : [];
    for (const [i, c] of list.entries()) {
      if (!isRecord(c)) continue;
      const done = completed(c, ranges);
      if (!done) return undefined;
      const res = isRecord(c.resources) ? c.resources : {};
      const writtenLimits = listOf(res.limits)!;
      for (const [k, r] of done.requests) {
        const lim = done.limits.get(k);
        if (!lim || r.milli <= lim.milli) continue;
        // A request over the limit written beside it is the API server's validation error with or without a range: not this.
        if (writtenLimits.has(k)) return undefined;
        // Over the limit the range's default gives it: validation, after admission, refuses the pod.
        const name = typeof c.name === 'string' ? c.name : `#${i}`;
        const written = isRecord(res.requests) && k in (res.requests as Record<string, unknown>);
        invalid ??= { message: `spec.${field}[${i}].resources.requests: Invalid value: "${r.written}": must be less than or equal to ${k} limit of ${lim.written}`, container: name, path: written ? [field, i, 'resources', 'requests', k] : [field, i, 'name'], defaulted: true };
        break;
      }
      all.push({ field, i, c, ...done });
    }
  }
  // The range's defaults are merged in the mutating phase and its constraints checked in the
  // validating one; the pod's own validation runs between them: a request over a defaulted limit
  // is what the API server answers first.
  if (invalid) return invalid;
  const items = ranges.items.map((x) => ({ min: x.min, max: x.max, ratio: x.ratio! }));
  for (const { field, i, c, requests, limits } of all) {
    const b = broken('Container', items, requests, limits);
    if (!b) continue;
    const res = isRecord(c.resources) ? c.resources : {};
    const written = b.key !== undefined && b.field !== undefined && isRecord(res[b.field]) && b.key in (res[b.field] as Record<string, unknown>);
    return { message: b.message, container: typeof c.name === 'string' ? c.name : `#${i}`, path: written ? [field, i, 'resources', b.field!, b.key!] : [field, i, 'name'] };
  }
  if (!pods.length) return undefined;
  const containers = all.filter((x) => x.field === 'containers');
  const inits = all.filter((x) => x.field === 'initContainers');
  const requests = podTotals(containers.map((x) => x.requests), inits.map((x) => ({ list: x.requests, sidecar: x.c.restartPolicy === 'Always' })));
  const limits = podTotals(containers.map((x) => x.limits), inits.map((x) => ({ list: x.limits, sidecar: x.c.restartPolicy === 'Always' })));
  const b = broken('Pod', pods, requests, limits);
  return b ? { message: b.message, path: ['containers'] } : undefined;
}

/**
 * What one pod asks of a ResourceQuota, in thousandths, as the quota admission counts it: each
 * container's requests and limits as the API server completes them (a request from the limit
 * beside it; the namespace's LimitRange defaults, as limitRangeRefusal applies them), summed
 * over the containers, or an init container's where it is larger (init containers run one at a
 * time). Undefined where the run cannot tell (sidecar init containers, pod overhead, several
 * LimitRanges, amounts it cannot read). A key is left out where a container states nothing for it.
 */
export function podQuotaUsage(spec: Record<string, unknown>, ranges: readonly K8sObject[]): Map<string, bigint> | undefined {
  if (ranges.length > 1 || spec.overhead !== undefined) return undefined;
  const defaults = rangeDefaults(ranges);
  if (!defaults) return undefined;
  const usageOf = (c: Record<string, unknown>): Map<string, bigint> | undefined => {
    const done = completed(c, defaults);
    if (!done) return undefined;
    const out = new Map<string, bigint>();
    for (const r of ['cpu', 'memory']) {
      if (done.requests.has(r)) out.set(`requests.${r}`, done.requests.get(r)!.milli);
      if (done.limits.has(r)) out.set(`limits.${r}`, done.limits.get(r)!.milli);
    }
    return out;
  };
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [];
  const inits = Array.isArray(spec.initContainers) ? spec.initContainers.filter(isRecord) : [];
  if (inits.some((c) => c.restartPolicy === 'Always')) return undefined;
  const sum = new Map<string, bigint>();
  const keys = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
  const missing = new Set<string>();
  for (const c of containers) {
    const u = usageOf(c);
    if (!u) return undefined;
    for (const k of keys) {
      if (u.has(k)) sum.set(k, (sum.get(k) ?? 0n) + u.get(k)!);
      else missing.add(k);
    }
  }
  for (const c of inits) {
    const u = usageOf(c);
    if (!u) return undefined;
    for (const k of keys) if (u.has(k) && u.get(k)! > (sum.get(k) ?? 0n)) sum.set(k, u.get(k)!);
  }
  for (const k of missing) sum.delete(k);
  return sum;
}
