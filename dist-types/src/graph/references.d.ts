import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type K8sObject } from '../types/object.js';
import type { ReferenceEdge, ReferenceSite } from '../types/reference.js';
export type Container = {
    field: string;
    index: number;
    c: Record<string, unknown>;
};
/** A template's containers and init containers. */
export declare function containersOf(t: PodTemplate): Container[];
/** Where a pod template names the ConfigMaps, or the Secrets, it reads. */
declare const SOURCES: {
    readonly ConfigMap: {
        readonly envFrom: 'configMapRef';
        readonly keyRef: 'configMapKeyRef';
        readonly volume: 'configMap';
        readonly volumeName: 'name';
        readonly projected: 'configMap';
    };
    readonly Secret: {
        readonly envFrom: 'secretRef';
        readonly keyRef: 'secretKeyRef';
        readonly volume: 'secret';
        readonly volumeName: 'secretName';
        readonly projected: 'secret';
    };
};
/**
 * The ConfigMaps (or Secrets) a pod template reads, and which keys: `all` for envFrom and
 * whole volumes, else the keys of configMapKeyRef (secretKeyRef) env entries and of volume `items`.
 */
export declare function configMapReads(t: PodTemplate, containers?: readonly Container[], kind?: keyof typeof SOURCES): Map<string, Set<string> | 'all'>;
/** A Secret `data` value as the text a pod reads: undefined when it is not base64 of UTF-8 text. */
export declare function secretText(encoded: string): string | undefined;
/**
 * The text values of a Secret that pods may read, with where each is written: `stringData`
 * as written, `data` decoded (stringData wins for a key in both, as the API server merges
 * them). Only generic Secrets (`Opaque`, or no type): the typed ones hold certificates,
 * tokens and registry credentials that the kubelet or the API server reads, not a pod's
 * configuration.
 */
export declare function secretValues(o: K8sObject): {
    field: 'stringData' | 'data';
    key: string;
    value: string;
}[];
export declare function meshWide(configMap: string, key: string): boolean;
/** Every place in the run where a pod reads text that may name a host. */
export declare function referenceSites(graph: ServiceGraph): ReferenceSite[];
/**
 * `visit` gets each site as a function that builds it (most texts name no host: their sites are
 * never built), the text, the key it is read under, and whether it is a ConfigMap or Secret key
 * (read as a file by its format) and whether the kubelet expands `$(VAR)` in it.
 */
/** `$(VAR)` as the kubelet expands it, not `$$(VAR)`. */
export declare const VAR_REF: RegExp;
/**
 * Custom resources whose hosts a controller dials itself, from its own namespace, where the run
 * holds that controller: KEDA's operator queries a trigger's server (`serverAddress`), Traefik
 * calls a ForwardAuth middleware's `address`, the Alertmanager of prometheus-operator sends an
 * AlertmanagerConfig's receivers. A short name resolves in the controller's namespace, not the
 * resource's.
 */
export declare function controllerSide(graph: ServiceGraph, o: K8sObject): {
    namespace: string;
    by: string;
    under: readonly string[];
} | undefined;
export declare function references(graph: ServiceGraph): readonly ReferenceEdge[];
export {};
