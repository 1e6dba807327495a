import { loadGenerated } from './load-generated.js';

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

const cache = new Map<string, Bundle>();

/** Validators compiled ahead of time by scripts/build-schemas.mjs, loaded once per version. */
export function bundleFor(version: string): Bundle {
  let b = cache.get(version);
  if (!b) {
    const g = loadGenerated(version);
    b = { validators: g.validators as Record<string, Validator>, fields: g.fields as string[] };
    cache.set(version, b);
  }
  return b;
}
