import type { RenderedPart, SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { type FileView, type YamlStore } from './view.js';
export interface RenderOptions {
    /** Values files and --set pairs for every chart (paths relative to the working directory). */
    helmValues?: string[];
    helmSet?: string[];
    releaseName?: string;
    namespace?: string;
    /** The Kubernetes version charts render for (`helm template --kube-version`): their `kubeVersion` and `.Capabilities.KubeVersion`. */
    kubeVersion?: string;
    /** Executables; default: found on PATH (SVCLINT_HELM / SVCLINT_KUBECTL override). */
    helm?: string;
    kubectl?: string;
    timeoutMs?: number;
    /** Renders kept between runs (--cache, the hook): a RenderCache of src/load/render-cache.ts. */
    cache?: RenderStore;
}
/** Where renders are kept by key: the output of a successful render (and, when it can, the YAML values renders are planned from). */
/** What a renderer that ran gave: its exit status (0, or the status it failed with), output and errors. */
export interface RenderOutput {
    code: number;
    stdout: string;
    stderr: string;
}
export interface RenderStore extends Partial<YamlStore> {
    get(key: string): RenderOutput | undefined;
    set(key: string, out: RenderOutput): void;
    save(): void;
}
/** The store's YAML values, when it keeps them. */
export declare function yamlStore(store: RenderStore | undefined): YamlStore | undefined;
export interface Rendered {
    files: SourceFile[];
    problems: LoadProblem[];
    /** The render's cache key, when one was computed (with a cache): the same key, the same result. */
    key?: string;
    /** The renderer ran without a key (what it read is not known) or was stopped (a timeout, a signal): the same inputs may give another result. */
    open?: true;
    /** With a key: the files it covers (absolute paths), all the render read besides its arguments. */
    inputs?: string[];
}
/**
 * Renders the charts and kustomizations of a folder, a few at a time (each render is a
 * process of its own: `helm` or `kustomize` spends most of its time starting), and returns
 * the results in the order given, charts first, as one render after the other did. The
 * source documents of the bases that several overlays build on are read once.
 */
export declare function renderAll(charts: string[], kustomizations: string[], shown: (dir: string) => string, opts: RenderOptions, cwd: string, limit?: number): Promise<Rendered[]>;
export declare function isChartDir(dir: string, view?: FileView): boolean;
/**
 * A library chart (`type: library` in Chart.yaml) holds only named templates for other charts:
 * Helm refuses to render it on its own ("library charts are not installable"), and the charts
 * that depend on it render its templates.
 */
export declare function isLibraryChart(dir: string, view?: FileView): boolean;
export declare function kustomizationFile(dir: string, view?: FileView): string | undefined;
/** Directories a kustomization builds on (resources, bases, components that are folders). */
export declare function kustomizationRefs(file: string, view?: FileView): string[];
/** What kept a URL from being fetched, in words. */
export declare function networkCause(text: string, url: string): string;
/** How much of a renderer's stderr a finding keeps: enough for kubectl's multi-line `err=<` blocks. */
export declare const STDERR_KEPT = 4096;
/**
 * A renderer's error lines as a person reads them: kubectl's log header dropped, and its
 * `"command failed" err=…` wrapper around the error itself taken off (the quoted text
 * unquoted, a `<` … `>` block's lines kept). Other lines are kept as they are.
 */
export declare function errorLines(stderr: string): string[];
/** The renderer's whole stderr on one line (errorLines() joined by ` | `), bounded to STDERR_KEPT characters. */
export declare function stderrText(stderr: string): string;
/** A chart's dependencies: Chart.yaml's, or requirements.yaml's for an apiVersion v1 chart. */
export declare function chartDependencies(dir: string, view: FileView): unknown[];
/**
 * `helm template` for a chart folder. The output is split by Helm's `# Source:` comments
 * so that findings point at the template each object comes from. Local dependencies
 * (`file://`) that `charts/` lacks are rendered from a temporary copy that holds them.
 */
export declare function renderChart(dir: string, shown: string, opts: RenderOptions, cwd: string): Promise<Rendered>;
type SourceDoc = NonNullable<RenderedPart['sources']>[number] & {
    kind: string;
    name: string;
};
/** Source files read for one set of renders, by absolute path: their documents, and the file itself (shared by every part that names it). */
interface SourceMemo {
    docs: Map<string, SourceDoc[]>;
    files: Map<string, SourceFile | undefined>;
}
/** `kustomize build` (or `kubectl kustomize`) for a kustomization folder. */
export declare function renderKustomization(dir: string, shown: string, opts: RenderOptions, cwd: string, memo?: SourceMemo): Promise<Rendered>;
export {};
