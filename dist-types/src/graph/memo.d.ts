import type { ServiceGraph } from '../types/graph.js';
import type { K8sObject } from '../types/object.js';
/** `compute()`, through the run's memo when it has one (types/memo.ts): the same value, kept across runs by the text it was read from. */
export declare function ofText<T>(graph: ServiceGraph, kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T;
/**
 * What a pure function of one object's document gives (a rule's reports about the object
 * alone, such as its schema errors), kept across runs in the run's memo: per file, by the
 * file's text, under `kind` (which names the function and every setting it reads). An
 * object without a file, or a run without a memo, computes every time. keep() writes back
 * what the run added, once the caller is done.
 */
export declare class ObjectMemo<V> {
    private readonly kind;
    private readonly valid;
    private readonly files;
    private readonly memo;
    constructor(graph: ServiceGraph, kind: string, valid: (v: unknown) => v is V);
    of(o: K8sObject, compute: () => V): V;
    keep(): void;
}
