import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** A Tempo whose trace receivers listen on the target port on loopback only (by default, from 2.7.0 on). */
export declare function tempoLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
