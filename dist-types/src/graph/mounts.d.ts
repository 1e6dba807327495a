import type { K8sObject } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
/**
 * A ConfigMap of the run by namespace and name. Where the run holds several of that name
 * (copies of one application in folders of their own), the one nearest to `near` (the object
 * that reads it): one of its own file, else the one whose folder shares the most with its
 * folder, and of those the least deep (a copy in a subfolder belongs to that subfolder).
 */
export declare function configMap(graph: ServiceGraph, namespace: string, name: string, near?: K8sObject): K8sObject | undefined;
/**
 * The text of the file at an absolute path inside a container, when a ConfigMap of the run
 * provides it through a volume (`configMap`, or a `projected` volume's ConfigMap sources):
 * a mount of the whole volume (a key, or an `items` path, under the mount path) or a
 * `subPath` mount of one key. `at` is the index of the volume mount.
 */
export declare function mountedFile(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): {
    text: string;
    key: string;
    configMap: string;
    at: number;
} | undefined;
/** The repository of a Docker Hub image (`library/` and the registry left out); undefined for another registry. */
export declare function hubRepository(image: string | undefined): string | undefined;
/**
 * A reader of a container's own configuration (where its server listens), kept for each
 * container: every Service port and probe that reaches the container asks again.
 */
export declare function perContainer<T>(read: (graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>) => T | undefined): (graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>) => T | undefined;
/** A file the run knows is in a container's file system. */
export interface MountedFile {
    /** Absolute path inside the container. */
    path: string;
    text: string;
    /** Where it comes from, for messages: `ConfigMap app-config, key application.yml`. */
    source: string;
    /** Index of the volume mount that provides it. */
    at?: number;
}
/** The files a container's volume mounts give it from ConfigMaps and Secrets of the run, by absolute path. */
export declare function mountedFiles(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): MountedFile[];
/**
 * The file a container reads at `file`, as mounted from a ConfigMap or Secret of the run;
 * undefined where nothing of the run is mounted there or a mount the run cannot see covers it.
 */
export declare function visibleFile(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): MountedFile | undefined;
/** visibleFile(), with its text read as one YAML document; undefined where either is missing or the text is not YAML. */
export declare function visibleYaml(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): {
    file: MountedFile;
    doc: unknown;
} | undefined;
/** The value of the last of a program's flags named `names` (`--config x`, `--config=x`, `-f x`), or undefined. */
export declare function lastFlagValue(words: readonly string[], names: readonly string[]): string | undefined;
/**
 * mountedFiles(), and the mount paths whose contents the run cannot see (a folder ends in `/`):
 * a ConfigMap or Secret that is not in the run, or another kind of volume (an `emptyDir` an init
 * container fills, a persistent volume).
 */
export declare function mountedTree(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    files: MountedFile[];
    opaque: string[];
};
