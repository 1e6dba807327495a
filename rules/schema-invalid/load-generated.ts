import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../../src/load/code-cache.js';

/** The generated files sit next to this module's source, also when it runs from dist/. */
function generated(file: string): string {
  for (const rel of [`./generated/${file}`, `../../../rules/schema-invalid/generated/${file}`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`schema bundle ${file} is missing; run: node scripts/build-schemas.mjs`);
}

/**
 * The validators and field list generated for one Kubernetes version. The bundle
 * (scripts/bundle.mjs) replaces this module with static requires of the same files.
 */
export function loadGenerated(version: string): { validators: unknown; fields: unknown } {
  return {
    validators: requireWithCodeCache(generated(`kubernetes-${version}.cjs`)),
    fields: JSON.parse(readFileSync(generated(`kubernetes-${version}.fields.json`), 'utf8')),
  };
}
