import type { K8sObject } from '../types/object.js';
import type { ParsedFile } from './parse.js';
export declare function isClusterScoped(kind: string): boolean;
export interface ObjectOptions {
    /** Namespace of objects that do not set metadata.namespace. */
    defaultNamespace: string;
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
