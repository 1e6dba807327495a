// Drops the `description` annotation from a JSON schema (scripts/build-schemas.mjs). An
// annotation takes no part in validation (JSON Schema 2020-12, section 9.1: "description"
// is a meta-data keyword), and ajv copies every schema its code refers to into the
// generated module, where descriptions were a fifth of the bytes and half of the V8 code
// cache a run loads. Only schema positions are visited (a property named `description` keeps
// its schema), never values (enum, const, default, examples stay as they are).
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties']);
const LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

export function withoutDescriptions(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' && typeof v === 'string') continue;
    if (MAP_KEYWORDS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, withoutDescriptions(s)]));
    else if (SCHEMA_KEYWORDS.has(k)) out[k] = Array.isArray(v) ? v.map(withoutDescriptions) : withoutDescriptions(v);
    else if (LIST_KEYWORDS.has(k) && Array.isArray(v)) out[k] = v.map(withoutDescriptions);
    else out[k] = v;
  }
  return out;
}
