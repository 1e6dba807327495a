import type { K8sObject } from '../types/object.js';
import type { ParsedFile } from './parse.js';
export declare function isClusterScoped(kind: string): boolean;
export interface ObjectOptions {
    /** Namespace of objects that do not set metadata.namespace. */
    defaultNamespace: string;
    /**
     * Whether the run was told the namespace (`--namespace`, the config's `namespace`). Without
     * it, Helm renders `.Release.Namespace` as `default` (its fallback): a chart's object whose
     * namespace is that is placed by `helm install -n`, not by the chart.
     */
    namespaceGiven?: boolean;
}
export declare function isRecord(v: unknown): v is Record<string, unknown>;
/**
 * Turns parsed documents into Kubernetes objects with resolved namespaces.
 * Documents that are not Kubernetes objects (no apiVersion/kind) are skipped: pre-commit
 * hands us every YAML file of a repository. `*List` kinds are expanded into their items.
 */
export declare function toObjects(files: ParsedFile[], opts: ObjectOptions, firstId?: number): K8sObject[];
/** Objects read from a cluster: plain values with no file behind them. */
export declare function toLiveObjects(items: Record<string, unknown>[], firstId?: number): K8sObject[];
