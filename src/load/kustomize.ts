import path from 'node:path';
import type { ParsedFile } from './parse.js';
import { isRecord } from './objects.js';

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * Files that kustomizations in the run use as patches. A patch is a partial object
 * (`spec.replicas` of a Deployment and nothing else), not an object to apply: linting it
 * as one would report every field it leaves out.
 */
export function kustomizePatchFiles(files: ParsedFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    const base = path.posix.basename(f.file.path);
    for (const d of f.docs) {
      const v = d.value;
      if (!isRecord(v)) continue;
      const isKustomization = v.kind === 'Kustomization' || v.kind === 'Component' || (KUSTOMIZATION_FILES.has(base) && v.kind === undefined);
      if (!isKustomization) continue;
      const dir = path.posix.dirname(f.file.path);
      const add = (p: unknown) => {
        if (typeof p === 'string' && p !== '' && !p.includes('\n')) out.add(path.posix.normalize(path.posix.join(dir, p)));
      };
      for (const p of Array.isArray(v.patchesStrategicMerge) ? v.patchesStrategicMerge : []) add(p);
      for (const key of ['patches', 'patchesJson6902']) {
        for (const p of Array.isArray(v[key]) ? v[key] : []) if (isRecord(p)) add(p.path);
      }
    }
  }
  return out;
}
