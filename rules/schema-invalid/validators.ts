import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

interface Bundle {
  validators: Record<string, Validator>;
  fields: string[];
}

const require = createRequire(import.meta.url);
const cache = new Map<string, Bundle>();

/** The generated files sit next to this module's source, also when it runs from dist/. */
function generated(file: string): string {
  for (const rel of [`./generated/${file}`, `../../../rules/schema-invalid/generated/${file}`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`schema bundle ${file} is missing; run: node scripts/build-schemas.mjs`);
}

/** Validators compiled ahead of time by scripts/build-schemas.mjs, loaded once per version. */
export function bundleFor(version: string): Bundle {
  let b = cache.get(version);
  if (!b) {
    b = {
      validators: require(generated(`kubernetes-${version}.cjs`)) as Record<string, Validator>,
      fields: JSON.parse(readFileSync(generated(`kubernetes-${version}.fields.json`), 'utf8')) as string[],
    };
    cache.set(version, b);
  }
  return b;
}
