import { ParseCache } from './cache.js';
import { type RenderOutput } from './render.js';
import { type FileView, type YamlRead, type YamlStore } from './view.js';
/**
 * A cache of renders (`--cache`, always on in the pre-commit hook): `helm template` and
 * `kustomize build` output, keyed by everything the renderer reads, so that a folder whose
 * inputs did not change is not rendered again (the hook renders HEAD's tree beside the
 * working tree: most folders are the same in both).
 *
 * The key is a hash of the renderer (its executable's path, size and time), its arguments
 * other than the folder, and the name and content of every file the render can read,
 * relative to the folder, so the same folder in another checkout has the same key:
 * - a chart: every file under the chart folder (templates, values, charts/, the lock file),
 *   plus local `file://` dependencies and the values files given;
 * - a kustomization: its kustomization file and every file it names (resources, patches,
 *   generators' files and env files, replacements, openapi, configurations, CRDs), through
 *   every base and component it names, recursively. A list field left empty names nothing,
 *   and a built-in transformer that reads no file (prefix and suffix, labels, annotations,
 *   namespace, image tags, replicas) may be given inline.
 * A render that may read anything else gets no key and is not cached: a remote resource
 * (`https://`, `github.com/...`, `?ref=`), Helm charts inflated by kustomize, a field this
 * list does not know, a folder over MAX_FILES files or MAX_BYTES. A render that failed with
 * an exit status is kept too, with its errors: the same inputs fail the same way (the
 * findings cache holds that already, render.ts `open`). One that was stopped (a timeout, a
 * signal) or did not start is not, and runs again. Beside a kustomization's
 * output, where each of its documents comes from is kept too (render.ts, keepParts): the
 * key covers those source files, so it holds as long as the output does.
 */
export declare const RENDER_CACHE_FILE = "render-cache.v1";
export declare const RENDER_CACHE_MAX_BYTES: number;
export declare class RenderCache implements YamlStore {
    private readonly store;
    hits: number;
    misses: number;
    constructor(store: ParseCache);
    getYaml(text: string): YamlRead | undefined;
    setYaml(text: string, read: YamlRead): void;
    get(key: string): RenderOutput | undefined;
    set(key: string, out: RenderOutput): void;
    save(): void;
}
/** The render cache of this environment, one per process (the hook's two loads share it). */
export declare function openRenderCache(env: NodeJS.ProcessEnv): RenderCache;
/** A render's cache key and the files it was made from (absolute paths). */
export interface RenderInputs {
    key: string;
    files: string[];
}
/** What identifies an executable without running it: where it is, its size and time. */
export declare function toolId(exe: string): string | undefined;
/** The cache key of `kustomize build DIR` and the files it reads (undefined: do not cache). */
export declare function kustomizationInputs(dir: string, file: string, tool: string, args: string[], view?: FileView): RenderInputs | undefined;
/** The cache key of `kustomize build DIR` (undefined: do not cache). */
export declare function kustomizationKey(dir: string, file: string, tool: string, args: string[]): string | undefined;
/** The cache key of `helm template` of a chart folder and the files it reads (undefined: do not cache). */
export declare function chartInputs(dir: string, tool: string, args: string[], valuesFiles: string[], view?: FileView): RenderInputs | undefined;
/** The cache key of `helm template` of a chart folder (undefined: do not cache). */
export declare function chartKey(dir: string, tool: string, args: string[], valuesFiles: string[]): string | undefined;
