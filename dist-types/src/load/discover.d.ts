import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { type RenderOptions } from './render.js';
import { type FileView } from './view.js';
export { DEFAULT_MAX_FILE_BYTES } from './read.js';
export declare const MANIFEST_PATTERNS: string[];
export interface DiscoverOptions {
    cwd: string;
    /** Globs of files to leave out (.gitignore syntax); none when absent. */
    ignore?: string[];
    /** Folder the ignore globs are relative to; defaults to cwd. */
    ignoreBase?: string;
    /** More patterns to leave out (.gitignore syntax), relative to cwd (--ignore-pattern). */
    ignorePatterns?: string[];
    /** Ignore files honoured in folders, by name (.gitignore syntax), e.g. ['.svclintignore']. */
    ignoreFiles?: string[];
    /** In folders, leave out what .gitignore files ignore (also those of parent folders up to the repository root). */
    gitignore?: boolean;
    /** Cap per file, stdin and stream included. */
    maxFileBytes?: number;
    /** Cap on all inputs together: more is a usage error (exit code 2). */
    maxInputBytes?: number;
    readStdin?: () => Promise<string>;
    /** Render Helm charts and kustomizations found in folders; false lints their raw files. */
    render?: RenderOptions | false;
    /** A glob that matches no file is skipped instead of being a usage error (--no-error-on-unmatched-pattern). */
    allowUnmatchedGlobs?: boolean;
    /** Also list the ignore files that apply to the folders walked (in `read`), so that no output lands on one. */
    listReads?: boolean;
    /** Hash each text found in a folder as it is read (content-sum.ts): for a run with a cache, which keys every text by its hash. */
    contentSums?: boolean;
}
/** A file or folder read besides the manifests: what it is, for messages. */
export interface OtherRead {
    path: string;
    what: string;
    folder?: boolean;
}
export interface Discovered {
    files: SourceFile[];
    problems: LoadProblem[];
    /** Folders named as inputs whose every manifest an ignore file (.gitignore, .svclintignore) left out, with how many. */
    allIgnored?: {
        input: string;
        count: number;
    }[];
    /** Ignore files read (with listReads), and folders rendered whole (charts, kustomizations). */
    read?: OtherRead[];
}
/** The files of these names in the folders above `dir`. */
export declare function ancestorFiles(dir: string, names: string[]): string[];
/**
 * Turns command-line inputs (files, folders, globs, `-`) into source files, in input order.
 * A path that does not exist is a usage error; a file that cannot be read (or is over the
 * per-file cap) is a problem reported as a finding so that the rest of the input is still
 * linted; inputs over the total cap are a usage error. Files found in folders are read in
 * turn (regular files only); files named as inputs, which may be pipes, concurrently.
 */
export declare function discover(inputs: string[], opts: DiscoverOptions): Promise<Discovered>;
/**
 * Which folders to render instead of reading their files: Helm charts (a Chart.yaml; their
 * templates are not YAML until rendered, subcharts render with their parent) and
 * kustomizations that no other kustomization in the input builds on (bases render
 * through their overlays). Everything under a rendered folder is left to the renderer. A
 * library chart renders nothing on its own: its files are neither read nor rendered.
 */
export declare function planRender(root: string, files: string[], view?: FileView): {
    raw: string[];
    charts: string[];
    kustomizations: string[];
};
