import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** Removes comments (`#`, `//`, `/* *\/`) outside strings (HCL; JSON with comments). */
export declare function uncommented(text: string): string;
/** A Vault container whose mounted configuration binds the target port on loopback only. */
export declare function vaultLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
