import type { SourceFile } from './source.js';

/** Path into an object's body: keys and array indexes. */
export type Path = ReadonlyArray<string | number>;

/**
 * `[...path, ...segments]` without spare room: V8 gives an array built by a spread or by
 * `push` room for 17 elements, and the graph keeps a few paths and lists for every object
 * of a run (BENCHMARKS.md, fifteenth round).
 */
export function pathTo(path: Path, ...segments: (string | number)[]): Path {
  return path.concat(segments);
}

/** A list built by `push`, copied without its spare room, for lists the graph keeps. */
export function trimmed<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

/** How a finding names an object. `namespace` is the resolved one (absent for cluster-scoped kinds). */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** Where an object came from; absent for objects read from a cluster. */
export interface ObjectOrigin {
  file: SourceFile;
  /** Path from the document root to the object (non-empty for items of a `List`). */
  base: Path;
  /** Index of the document within the file (0-based). */
  docIndex: number;
  /** Offsets of the document in the file's text. */
  docRange: [number, number];
}

/** A Kubernetes object with its namespace resolved. */
export interface K8sObject {
  id: number;
  apiVersion: string;
  kind: string;
  name: string;
  /** Resolved namespace: metadata.namespace, else the run's default. Empty for cluster-scoped kinds. */
  namespace: string;
  /** True when metadata.namespace was not written and the default was used. */
  namespaceDefaulted: boolean;
  body: Record<string, unknown>;
  origin?: ObjectOrigin;
  /** A local manifest laid over a live cluster's state (svclint doctor -f): not applied yet. */
  overlay?: boolean;
  /** The GitOps controller of the run whose namespace this object takes (src/load/gitops.ts). */
  placedBy?: ObjectRef;
}

export function refOf(o: K8sObject): ObjectRef {
  return o.namespace ? { kind: o.kind, name: o.name, namespace: o.namespace } : { kind: o.kind, name: o.name };
}

/** `Deployment shop/web`, or `Namespace shop` for cluster-scoped objects. */
export function describe(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** `spec.ports[0].targetPort` */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
