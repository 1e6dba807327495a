import { loadGenerated } from './load-generated.js';

export type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

export interface SchemaError {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

interface Bundle {
  validators: Record<string, Validator>;
  /** Every property name the schemas know. */
  fields: string[];
  /** The property names of each definition, by its name (`io.k8s.api.core.v1.LocalObjectReference`). */
  properties: Record<string, string[]>;
}

const cache = new Map<string, Bundle>();

/** Validators compiled ahead of time by scripts/build-schemas.mjs, loaded once per version. */
export function bundleFor(version: string): Bundle {
  let b = cache.get(version);
  if (!b) {
    const g = loadGenerated(version);
    const f = g.fields as { all: string[]; of: Record<string, string[]> };
    b = { validators: g.validators as Record<string, Validator>, fields: f.all, properties: f.of };
    cache.set(version, b);
  }
  return b;
}
