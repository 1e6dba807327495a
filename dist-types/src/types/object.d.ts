import type { SourceFile } from './source.js';
/** Path into an object's body: keys and array indexes. */
export type Path = ReadonlyArray<string | number>;
/**
 * `[...path, ...segments]` without spare room: V8 gives an array built by a spread or by
 * `push` room for 17 elements, and the graph keeps a few paths and lists for every object
 * of a run (BENCHMARKS.md, fifteenth round).
 */
export declare function pathTo(path: Path, ...segments: (string | number)[]): Path;
/** A list built by `push`, copied without its spare room, for lists the graph keeps. */
export declare function trimmed<T>(list: T[]): T[];
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
export declare function refOf(o: K8sObject): ObjectRef;
/** `Deployment shop/web`, or `Namespace shop` for cluster-scoped objects. */
export declare function describe(ref: ObjectRef): string;
/** `spec.ports[0].targetPort` */
export declare function formatPath(path: Path): string;
