import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
export interface RenderOptions {
    /** Values files and --set pairs for every chart (paths relative to the working directory). */
    helmValues?: string[];
    helmSet?: string[];
    releaseName?: string;
    namespace?: string;
    /** Executables; default: found on PATH (SVCLINT_HELM / SVCLINT_KUBECTL override). */
    helm?: string;
    kubectl?: string;
    timeoutMs?: number;
}
interface Rendered {
    files: SourceFile[];
    problems: LoadProblem[];
}
export declare function isChartDir(dir: string): boolean;
export declare function kustomizationFile(dir: string): string | undefined;
/** Directories a kustomization builds on (resources, bases, components that are folders). */
export declare function kustomizationRefs(file: string): string[];
/**
 * `helm template` for a chart folder. The output is split by Helm's `# Source:` comments
 * so that findings point at the template each object comes from.
 */
export declare function renderChart(dir: string, shown: string, opts: RenderOptions, cwd: string): Promise<Rendered>;
/** `kustomize build` (or `kubectl kustomize`) for a kustomization folder. */
export declare function renderKustomization(dir: string, shown: string, opts: RenderOptions, cwd: string): Promise<Rendered>;
export {};
