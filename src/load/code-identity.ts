import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';

/**
 * Which build of svclint runs: its version, and the name, size and modification time of every
 * file of its built code (the `dist-bundle/` folder, or tsc's `dist/`; from sources, the folder
 * of this module). Two installs of one version from different commits differ here, so what a
 * cache keeps from one build is never read by another.
 */
let codeId: string | undefined;

export function codeIdentity(): string {
  if (codeId !== undefined) return codeId;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) {
    if (path.basename(d) === 'dist' || path.basename(d) === 'dist-bundle') {
      dir = d;
      break;
    }
  }
  const h = createHash('sha256').update(`${VERSION}\0${dir}\0`);
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) {
        const st = statSync(p);
        h.update(`${path.relative(dir, p)}\0${st.size}\0${st.mtimeMs}\0`);
      }
    }
  };
  visit(dir);
  return (codeId = h.digest('hex'));
}

