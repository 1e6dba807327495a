import type { ParsedFile } from './parse.js';
/**
 * Files that kustomizations in the run use as patches. A patch is a partial object
 * (`spec.replicas` of a Deployment and nothing else), not an object to apply: linting it
 * as one would report every field it leaves out.
 */
export declare function kustomizePatchFiles(files: ParsedFile[]): Set<string>;
