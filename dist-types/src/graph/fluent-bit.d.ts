import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
/** The ports a Fluent Bit container listens on, where its mounted configuration says all of them. */
export declare function fluentBitPorts(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** A Fluent Bit whose configuration listens on the target port on loopback addresses only. */
export declare function fluentBitLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
