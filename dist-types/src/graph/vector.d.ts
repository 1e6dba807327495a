import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** A Vector whose API (and `/health`) listens on the target port on loopback only: `api.address` written so, or left at 127.0.0.1:8686. */
export declare function vectorLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
