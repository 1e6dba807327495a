import { isRecord } from './objects.js';

/**
 * A CustomResourceDefinition's spec this long or longer (as JSON) travels and is kept as
 * JSON text, decoded on first read: from a parser thread (parse-worker.ts) and in the parse
 * cache (cache.ts). CRDs are most of the bytes of a repository that ships them (59% of the
 * parse results of the corpus's first 14 projects), and no rule reads their spec.
 */
export const DEFER_MIN_CHARS = 4096;

/** The spec of `value` as JSON when it is a CustomResourceDefinition whose spec is at least DEFER_MIN_CHARS long as JSON. */
export function deferrableSpec(value: unknown): string | undefined {
  if (!isRecord(value) || value.kind !== 'CustomResourceDefinition' || !isRecord(value.spec)) return undefined;
  const spec = JSON.stringify(value.spec);
  return spec.length < DEFER_MIN_CHARS ? undefined : spec;
}

/**
 * Gives `value` a `spec` that is the JSON `text()` parsed, on first read (then a plain
 * property, as if it had always been there); written to, it is plain at once. Its place
 * among the keys is the one the null placeholder held.
 */
export function deferSpec(value: Record<string, unknown>, text: () => string): void {
  const plain = (v: unknown) => {
    pending.delete(value);
    return Object.defineProperty(value, 'spec', { value: v, writable: true, enumerable: true, configurable: true });
  };
  pending.set(value, text);
  Object.defineProperty(value, 'spec', {
    get() {
      const v: unknown = JSON.parse(text());
      plain(v);
      return v;
    },
    set(v: unknown) {
      plain(v);
    },
    enumerable: true,
    configurable: true,
  });
}

/** The JSON texts of specs not read yet, by their object. */
const pending = new WeakMap<object, () => string>();

/**
 * The JSON text of `value`'s spec while it is still deferred (not read yet), else undefined:
 * a check that needs one field of a few CRDs can look for it in the text before it makes
 * the whole spec a value.
 */
export function deferredSpecText(value: object): string | undefined {
  return pending.get(value)?.();
}
