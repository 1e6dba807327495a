import type { PodTemplate } from '../types/graph.js';
import { pathTo, type K8sObject, type Path } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { getIn, templateSpec } from './pods.js';

/**
 * A ConfigMap or Secret a pod cannot start without, as the kubelet reads it: an env entry's
 * `configMapKeyRef`/`secretKeyRef`, an `envFrom` source, or a volume (or a projected volume's
 * source) that a container mounts, each unless it says `optional: true`.
 */
export interface ConfigRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** The key read; undefined when the whole object is (envFrom, a volume without `items`). */
  key?: string;
  via: 'env' | 'envFrom' | 'volume';
  /** Where the reference is written: the `configMapKeyRef`, `configMapRef`, volume source or item. */
  path: Path;
  /** The path of its name field, for a finding about a missing object. */
  namePath: Path;
  /** The container (env, envFrom) or the volume (volume) that reads it. */
  container?: string;
  volume?: string;
  /** The variable an env entry sets. */
  env?: string;
  /** An item's file name inside the volume. */
  file?: string;
}

const KEY_REF = { ConfigMap: 'configMapKeyRef', Secret: 'secretKeyRef' } as const;
const ENV_FROM = { ConfigMap: 'configMapRef', Secret: 'secretRef' } as const;
const VOLUME = { ConfigMap: 'configMap', Secret: 'secret' } as const;
const VOLUME_NAME = { ConfigMap: 'name', Secret: 'secretName' } as const;
const KINDS = ['ConfigMap', 'Secret'] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const optional = (v: unknown): boolean => isRecord(v) && v.optional === true;

/**
 * The references of a pod template that keep its pods from starting when what they name is
 * missing. Containers and init containers alike: the kubelet builds each one's environment
 * before it starts it. Volumes only when a container mounts them: the kubelet sets up the
 * volumes its containers use, and skips the others.
 */
export function configRefs(t: PodTemplate): ConfigRef[] {
  const spec = templateSpec(t);
  if (!isRecord(spec)) return [];
  const specPath = pathTo(t.path, 'spec');
  const out: ConfigRef[] = [];
  const mounted = new Set<string>();
  for (const field of ['initContainers', 'containers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, ci) => {
      if (!isRecord(c)) return;
      if (!Array.isArray(c.envFrom) && !Array.isArray(c.env) && !Array.isArray(c.volumeMounts) && !Array.isArray(c.volumeDevices)) return;
      const container = typeof c.name === 'string' ? c.name : `#${ci}`;
      const at = pathTo(specPath, field, ci);
      for (const m of [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), ...(Array.isArray(c.volumeDevices) ? c.volumeDevices : [])]) {
        if (isRecord(m) && typeof m.name === 'string') mounted.add(m.name);
      }
      (Array.isArray(c.envFrom) ? c.envFrom : []).forEach((e, ei) => {
        if (!isRecord(e)) return;
        for (const kind of KINDS) {
          const src = e[ENV_FROM[kind]];
          const name = isRecord(src) ? str(src.name) : undefined;
          if (!name || optional(src)) continue;
          const path = pathTo(at, 'envFrom', ei, ENV_FROM[kind]);
          out.push({ kind, name, via: 'envFrom', path, namePath: pathTo(path, 'name'), container });
        }
      });
      (Array.isArray(c.env) ? c.env : []).forEach((e, ei) => {
        if (!isRecord(e) || !isRecord(e.valueFrom) || (e.value !== undefined && e.value !== '')) return;
        for (const kind of KINDS) {
          const ref = e.valueFrom[KEY_REF[kind]];
          const name = isRecord(ref) ? str(ref.name) : undefined;
          const key = isRecord(ref) ? str(ref.key) : undefined;
          if (!name || !key || optional(ref)) continue;
          const path = pathTo(at, 'env', ei, 'valueFrom', KEY_REF[kind]);
          out.push({ kind, name, key, via: 'env', path, namePath: pathTo(path, 'name'), container, env: typeof e.name === 'string' ? e.name : undefined });
        }
      });
    });
  }
  const volumes = spec.volumes;
  if (Array.isArray(volumes)) {
    volumes.forEach((v, vi) => {
      if (!isRecord(v) || typeof v.name !== 'string' || !mounted.has(v.name)) return;
      const volume = v.name;
      const at = pathTo(specPath, 'volumes', vi);
      // A Secret volume names its Secret `secretName`; a projected volume's sources say `name`.
      const source = (kind: 'ConfigMap' | 'Secret', src: unknown, path: Path, nameField: string) => {
        if (!isRecord(src) || optional(src)) return;
        const name = str(src[nameField]);
        if (!name) return;
        const namePath = pathTo(path, nameField);
        const items = Array.isArray(src.items) ? src.items : [];
        if (items.length === 0) return void out.push({ kind, name, via: 'volume', path, namePath, volume });
        items.forEach((item, ii) => {
          const key = isRecord(item) ? str(item.key) : undefined;
          if (!key) return;
          out.push({ kind, name, key, via: 'volume', path: pathTo(path, 'items', ii), namePath, volume, file: isRecord(item) ? str(item.path) : undefined });
        });
      };
      for (const kind of KINDS) source(kind, v[VOLUME[kind]], pathTo(at, VOLUME[kind]), VOLUME_NAME[kind]);
      const sources = isRecord(v.projected) ? v.projected.sources : undefined;
      if (Array.isArray(sources)) {
        sources.forEach((s, si) => {
          if (!isRecord(s)) return;
          for (const kind of KINDS) source(kind, s[VOLUME[kind]], pathTo(at, 'projected', 'sources', si, VOLUME[kind]), 'name');
        });
      }
    });
  }
  return out;
}

/**
 * The keys the kubelet finds in a ConfigMap or Secret, or undefined when something other
 * than the manifest fills them in: a service account token Secret (the token controller).
 * A ConfigMap's env readers see `data` only; its volumes see `binaryData` too. A Secret's
 * `stringData` is merged into `data` by the API server.
 */
export function keysOf(o: K8sObject): { data: Set<string>; binary: Set<string> } | undefined {
  const b = o.body;
  if (o.kind === 'Secret' && b.type === 'kubernetes.io/service-account-token') return undefined;
  const data = new Set<string>();
  const binary = new Set<string>();
  const add = (set: Set<string>, v: unknown) => {
    if (isRecord(v)) for (const k of Object.keys(v)) set.add(k);
  };
  add(data, b.data);
  if (o.kind === 'Secret') add(data, b.stringData);
  else add(binary, b.binaryData);
  return { data, binary };
}

/** An object a pod needs before it is created (admission) or placed (the scheduler). */
export interface PodObjectRef {
  kind: 'ServiceAccount' | 'PriorityClass' | 'RuntimeClass' | 'PersistentVolumeClaim';
  name: string;
  path: Path;
  /** Cluster-scoped kinds are looked up by name alone. */
  clusterScoped: boolean;
  volume?: string;
}

/**
 * What the API server's admission looks up when a controller creates the pods
 * (`serviceAccountName`, or the deprecated `serviceAccount` it is defaulted from;
 * `priorityClassName`; `runtimeClassName`), and the claims the scheduler must find
 * (`persistentVolumeClaim` volumes, used or not). The `default` ServiceAccount is made by
 * the control plane in every namespace, and so are the `system-` PriorityClasses.
 */
export function podObjectRefs(t: PodTemplate): PodObjectRef[] {
  const spec = templateSpec(t);
  if (!isRecord(spec)) return [];
  const specPath = pathTo(t.path, 'spec');
  const out: PodObjectRef[] = [];
  const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount);
  if (sa && sa !== 'default') out.push({ kind: 'ServiceAccount', name: sa, path: pathTo(specPath, str(spec.serviceAccountName) ? 'serviceAccountName' : 'serviceAccount'), clusterScoped: false });
  const pc = str(spec.priorityClassName);
  if (pc && !pc.startsWith('system-')) out.push({ kind: 'PriorityClass', name: pc, path: pathTo(specPath, 'priorityClassName'), clusterScoped: true });
  const rc = str(spec.runtimeClassName);
  if (rc) out.push({ kind: 'RuntimeClass', name: rc, path: pathTo(specPath, 'runtimeClassName'), clusterScoped: true });
  // A StatefulSet's controller replaces a pod volume named as one of its volumeClaimTemplates
  // with the pod's own claim `<template>-<set>-<ordinal>` (updateStorage): the claim written there is never used.
  const templates = t.owner.kind === 'StatefulSet' && t.path.length > 0 ? getIn(t.owner.body, ['spec', 'volumeClaimTemplates']) : undefined;
  const claimed = new Set((Array.isArray(templates) ? templates : []).map((c) => getIn(c, ['metadata', 'name'])).filter((n): n is string => typeof n === 'string'));
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((v, i) => {
      const claim = isRecord(v) && isRecord(v.persistentVolumeClaim) && !(typeof v.name === 'string' && claimed.has(v.name)) ? str(v.persistentVolumeClaim.claimName) : undefined;
      if (claim) out.push({ kind: 'PersistentVolumeClaim', name: claim, path: pathTo(specPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'), clusterScoped: false, volume: isRecord(v) && typeof v.name === 'string' ? v.name : undefined });
    });
  }
  return out;
}

/** The compute resources a ResourceQuota makes every container state (the quota evaluator's validation set). */
const QUOTA_CHECKED: Record<string, 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory'> = Object.assign(Object.create(null) as Record<string, 'requests.cpu'>, {
  cpu: 'requests.cpu',
  'requests.cpu': 'requests.cpu',
  memory: 'requests.memory',
  'requests.memory': 'requests.memory',
  'limits.cpu': 'limits.cpu',
  'limits.memory': 'limits.memory',
});

/**
 * What a ResourceQuota of the namespace makes every container of a pod state, as its
 * admission checks it: the quota's `hard` compute resources (cpu and memory, requests and
 * limits; `cpu` is `requests.cpu`), for quotas that apply to every pod (no `scopes` nor
 * `scopeSelector`). Undefined when no such quota names one.
 */
export function quotaRequired(quota: K8sObject): Map<string, 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory'> | undefined {
  const spec = isRecord(quota.body.spec) ? quota.body.spec : {};
  if ((Array.isArray(spec.scopes) && spec.scopes.length > 0) || (spec.scopeSelector !== undefined && spec.scopeSelector !== null)) return undefined;
  // By the quota's own names (`cpu` stays `cpu`: admission names it so), each with what a container must state for it.
  const out = new Map<string, 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory'>();
  if (isRecord(spec.hard)) for (const k of Object.keys(spec.hard)) if (QUOTA_CHECKED[k]) out.set(k, QUOTA_CHECKED[k]);
  return out.size ? out : undefined;
}

/**
 * The cpu and memory requests and limits a container has when the quota admission sees it:
 * as written; a request defaulted from the limit written beside it (the API server's
 * defaulting); then what LimitRanges of type Container give (`default`, itself defaulted
 * from `max`, for limits; `defaultRequest`, defaulted from `default`, else from `min`, for
 * requests).
 */
export function stated(c: Record<string, unknown>, limitRanges: readonly K8sObject[]): Set<string> {
  const res = isRecord(c.resources) ? c.resources : {};
  const limits = isRecord(res.limits) ? res.limits : {};
  const requests = isRecord(res.requests) ? res.requests : {};
  const out = new Set<string>();
  for (const r of ['cpu', 'memory']) {
    if (limits[r] !== undefined && limits[r] !== null) out.add(`limits.${r}`);
    if ((requests[r] !== undefined && requests[r] !== null) || out.has(`limits.${r}`)) out.add(`requests.${r}`);
  }
  for (const lr of limitRanges) {
    const items = isRecord(lr.body.spec) && Array.isArray(lr.body.spec.limits) ? lr.body.spec.limits : [];
    for (const item of items) {
      if (!isRecord(item) || item.type !== 'Container') continue;
      // As the API server stores the range: `default` from `max` where unset, `defaultRequest` from `default`, else from `min`.
      const has = (f: unknown, r: string) => isRecord(f) && f[r] !== undefined && f[r] !== null;
      for (const r of ['cpu', 'memory']) {
        if (has(item.default, r) || has(item.max, r)) out.add(`limits.${r}`).add(`requests.${r}`);
        if (has(item.defaultRequest, r) || has(item.min, r)) out.add(`requests.${r}`);
      }
    }
  }
  return out;
}
