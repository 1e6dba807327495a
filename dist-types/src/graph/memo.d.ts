import type { ServiceGraph } from '../types/graph.js';
/** `compute()`, through the run's memo when it has one (types/memo.ts): the same value, kept across runs by the text it was read from. */
export declare function ofText<T>(graph: ServiceGraph, kind: string, text: string, compute: () => T, valid: (v: unknown) => v is T): T;
