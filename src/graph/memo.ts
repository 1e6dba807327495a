import type { ServiceGraph } from '../types/graph.js';
import type { TextMemo } from '../types/memo.js';
import type { K8sObject } from '../types/object.js';
import type { SourceFile } from '../types/source.js';

/** `compute()`, through the run's memo when it has one (types/memo.ts): the same value, kept across runs by the text it was read from. */
export function ofText<T>(graph: ServiceGraph, kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T {
  return graph.memo ? graph.memo.of(kind, text, compute, valid) : compute();
}

/**
 * What a pure function of one object's document gives (a rule's reports about the object
 * alone, such as its schema errors), kept across runs in the run's memo: per file, by the
 * file's text, under `kind` (which names the function and every setting it reads). An
 * object without a file, or a run without a memo, computes every time. keep() writes back
 * what the run added, once the caller is done.
 */
export class ObjectMemo<V> {
  private readonly files = new Map<SourceFile, { values: Record<string, V>; changed: boolean }>();
  private readonly memo: TextMemo | undefined;

  constructor(graph: ServiceGraph, private readonly kind: string, private readonly valid: (v: unknown) => v is V) {
    this.memo = graph.memo?.keptFor && graph.memo.keepFor ? graph.memo : undefined;
  }

  of(o: K8sObject, compute: () => V): V {
    const origin = o.origin;
    if (!this.memo || !origin) return compute();
    let f = this.files.get(origin.file);
    if (!f) {
      const kept = this.memo.keptFor!(origin.file, this.kind, (v): v is Record<string, V> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(this.valid));
      this.files.set(origin.file, (f = { values: kept ?? (Object.create(null) as Record<string, V>), changed: false }));
    }
    const key = `${origin.docIndex}:${origin.docRange[0]}:${origin.docRange[1]}\u0000${JSON.stringify(origin.base)}`;
    if (key in f.values) return f.values[key]!;
    const value = compute();
    f.values[key] = value;
    f.changed = true;
    return value;
  }

  keep(): void {
    for (const [file, f] of this.files) {
      if (!f.changed) continue;
      this.memo!.keepFor!(file, this.kind, f.values);
      f.changed = false;
    }
  }
}
