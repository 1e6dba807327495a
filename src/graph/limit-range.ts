import type { K8sObject, Path } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { parseQuantity, quantityMilli } from './quantity.js';

/**
 * What the API server's LimitRanger admission refuses in a pod's containers, for a namespace
 * with one LimitRange of type Container (plugin/pkg/admission/limitranger): the range's
 * defaults as the API server stores them (`default` from `max`, `defaultRequest` from
 * `default`, else from `min`: SetDefaults_LimitRangeItem), merged into each container where
 * it states nothing (after a request defaulted from the limit written beside it), then its
 * `min`, `max` and `maxLimitRequestRatio` per resource, compared in thousandths.
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

/** The first refusal of the containers (`spec.containers` only, as LimitRanger checks them), or undefined. */
export function limitRangeRefusal(spec: Record<string, unknown>, range: K8sObject): LimitRangeRefusal | undefined {
  const ranges = rangeDefaults([range]);
  if (!ranges || ranges.items.length === 0 || ranges.items.some((x) => !x.ratio)) return undefined;
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  for (const [i, c] of containers.entries()) {
    if (!isRecord(c)) continue;
    const name = typeof c.name === 'string' ? c.name : `#${i}`;
    const res = isRecord(c.resources) ? c.resources : {};
    const done = completed(c, ranges);
    if (!done) return undefined;
    const { limits, requests } = done;
    const at = (field: 'limits' | 'requests', k: string): Path => (isRecord(res[field]) && k in (res[field] as Record<string, unknown>) ? ['containers', i, 'resources', field, k] : ['containers', i, 'name']);
    // A request over its limit is the API server's validation error, before admission: not this.
    for (const [k, r] of requests) if (limits.has(k) && r.milli > limits.get(k)!.milli) return undefined;
    for (const { min, max, ratio } of ranges.items) {
      for (const [k, m] of min) {
        const req = requests.get(k);
        const lim = limits.get(k);
        if (!req) return { message: `minimum ${k} usage per Container is ${m.written}. No request is specified`, container: name, path: ['containers', i, 'name'] };
        if (req.milli < m.milli) return { message: `minimum ${k} usage per Container is ${m.written}, but request is ${req.written}`, container: name, path: at('requests', k) };
        if (lim && lim.milli < m.milli) return { message: `minimum ${k} usage per Container is ${m.written}, but limit is ${lim.written}`, container: name, path: at('limits', k) };
      }
      for (const [k, m] of max) {
        const req = requests.get(k);
        const lim = limits.get(k);
        if (!lim) return { message: `maximum ${k} usage per Container is ${m.written}. No limit is specified`, container: name, path: ['containers', i, 'name'] };
        if (lim.milli > m.milli) return { message: `maximum ${k} usage per Container is ${m.written}, but limit is ${lim.written}`, container: name, path: at('limits', k) };
        if (req && req.milli > m.milli) return { message: `maximum ${k} usage per Container is ${m.written}, but request is ${req.written}`, container: name, path: at('requests', k) };
      }
      for (const [k, m] of ratio!) {
        const req = requests.get(k);
        const lim = limits.get(k);
        if (!req || req.milli === 0n) return { message: `${k} max limit to request ratio per Container is ${m.written}, but no request is specified or request is 0`, container: name, path: ['containers', i, 'name'] };
        if (!lim || lim.milli === 0n) return { message: `${k} max limit to request ratio per Container is ${m.written}, but no limit is specified or limit is 0`, container: name, path: ['containers', i, 'name'] };
        // limit / request > ratio, in thousandths: limit * 1000 > ratio * request.
        if (lim.milli * 1000n > m.milli * req.milli) return { message: `${k} max limit to request ratio per Container is ${m.written}, but provided ratio is ${(Number(lim.milli) / Number(req.milli)).toFixed(6)}`, container: name, path: at('limits', k) };
      }
    }
  }
  return undefined;
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
