import path from 'node:path';
import type { K8sObject } from '../types/object.js';
import { isClusterScoped, isRecord } from './objects.js';

/**
 * Where a GitOps controller of the run puts the objects of a folder of the run:
 *
 * - a Flux `Kustomization` (kustomize.toolkit.fluxcd.io) with `spec.targetNamespace` sets
 *   the namespace of every namespaced object it applies from `spec.path`, over what the
 *   files write (kustomize's `namespace:` transformer, which Flux runs);
 * - an Argo CD `Application` (argoproj.io) with `spec.destination.namespace` gives its
 *   namespace to the objects of `spec.source.path` (or each of `spec.sources[].path`) that
 *   write none; what a file writes wins.
 *
 * `path` is relative to the root of the repository the controller reads, which the run does
 * not know: it is the nearest folder above the controller's own file under which that path
 * holds files of the run. A folder placed by two controllers in different namespaces (one
 * copy per environment) is left as written: the run cannot be both.
 */
export interface Placement {
  by: K8sObject;
  folder: string;
  namespace: string;
  /** Flux overrides every namespace; Argo CD fills in only the missing ones. */
  override: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function controllerPaths(o: K8sObject): { paths: string[]; namespace: string; override: boolean } | undefined {
  const group = o.apiVersion.split('/')[0];
  const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
  if (!spec) return undefined;
  if (o.kind === 'Kustomization' && group === 'kustomize.toolkit.fluxcd.io') {
    const ns = str(spec.targetNamespace);
    const p = str(spec.path);
    return ns && p ? { paths: [p], namespace: ns, override: true } : undefined;
  }
  if (o.kind === 'Application' && group === 'argoproj.io') {
    const ns = isRecord(spec.destination) ? str(spec.destination.namespace) : undefined;
    if (!ns) return undefined;
    const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])];
    const paths = sources.map((s) => (isRecord(s) ? str(s.path) : undefined)).filter((p): p is string => p !== undefined);
    return paths.length ? { paths, namespace: ns, override: false } : undefined;
  }
  return undefined;
}

/** Templated values (`{{ .path }}`, `${CLUSTER}`) name no folder. */
const TEMPLATED = /[{}$<>*]/;

/** The absolute folder of each file path, resolved once per run (objects share files). */
function folderOf(): (file: string) => string {
  const known = new Map<string, string>();
  return (file) => {
    let d = known.get(file);
    if (d === undefined) known.set(file, (d = path.dirname(path.resolve(file))));
    return d;
  };
}

/** The folders of the run's files, for finding where a controller's path lands. */
function folderIndex(objects: K8sObject[], dirOf: (file: string) => string): Set<string> {
  const dirs = new Set<string>();
  for (const o of objects) {
    const f = o.origin?.file.path;
    if (!f) continue;
    let d = dirOf(f);
    while (!dirs.has(d)) {
      dirs.add(d);
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return dirs;
}

export function gitOpsPlacements(objects: K8sObject[], dirOf = folderOf()): Placement[] {
  const controllers = objects.filter((o) => o.origin && (o.kind === 'Kustomization' || o.kind === 'Application'));
  if (controllers.length === 0) return [];
  const dirs = folderIndex(objects, dirOf);
  const out: Placement[] = [];
  for (const o of controllers) {
    const c = controllerPaths(o);
    if (!c) continue;
    for (const p of c.paths) {
      if (TEMPLATED.test(p) || path.isAbsolute(p)) continue;
      const rel = path.normalize(p);
      if (rel === '.' || rel.startsWith('..')) continue;
      let base = dirOf(o.origin!.file.path);
      for (;;) {
        const folder = path.join(base, rel);
        if (dirs.has(folder)) {
          out.push({ by: o, folder, namespace: c.namespace, override: c.override });
          break;
        }
        const up = path.dirname(base);
        if (up === base) break;
        base = up;
      }
    }
  }
  return out;
}

/**
 * Moves the objects the run's GitOps controllers place (gitOpsPlacements) into their
 * namespaces, the deepest folder first. Returns how many objects moved.
 */
export function placeByGitOps(objects: K8sObject[]): number {
  const dirOf = folderOf();
  const placements = gitOpsPlacements(objects, dirOf);
  if (placements.length === 0) return 0;
  // One namespace per folder, or none when controllers disagree.
  const byFolder = new Map<string, Placement | null>();
  for (const p of placements) {
    const seen = byFolder.get(p.folder);
    if (seen === undefined) byFolder.set(p.folder, p);
    else if (seen !== null && (seen.namespace !== p.namespace || seen.override !== p.override)) byFolder.set(p.folder, null);
  }
  // A file's placement: that of the deepest placed folder it lies in, found by walking up
  // from its own folder (a folder the controllers disagree on places nothing), once per file.
  const placed = new Map<string, Placement | undefined>();
  const placementOf = (file: string): Placement | undefined => {
    if (placed.has(file)) return placed.get(file);
    let hit: Placement | undefined;
    for (let d = dirOf(file); ; ) {
      const p = byFolder.get(d);
      if (p) {
        hit = p;
        break;
      }
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    placed.set(file, hit);
    return hit;
  };
  let moved = 0;
  for (const o of objects) {
    const f = o.origin?.file.path;
    if (!f || isClusterScoped(o.kind)) continue;
    const p = placementOf(f);
    if (!p) continue;
    if (p.by === o) continue;
    if (!p.override && !o.namespaceDefaulted) continue;
    if (o.namespace === p.namespace && !o.namespaceDefaulted) continue;
    o.namespace = p.namespace;
    o.namespaceDefaulted = false;
    o.placedBy = { kind: p.by.kind, namespace: p.by.namespace, name: p.by.name };
    moved++;
  }
  return moved;
}
