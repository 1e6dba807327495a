import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
/** The ports gunicorn listens on, where its mounted configuration file says all of them. */
export declare function gunicornListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** A gunicorn whose configuration file binds the target port on loopback addresses only (or sets no bind: 127.0.0.1:8000). */
export declare function gunicornLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
