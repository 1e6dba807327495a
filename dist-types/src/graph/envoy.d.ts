import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
/** Whether a container may run Envoy: its image, or its command. Cheap: for the rules' gates. */
export declare function mayRunEnvoy(raw: Record<string, unknown>): boolean;
/** The ports an Envoy container listens on, where its mounted bootstrap says all of them. */
export declare function envoyPorts(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** An Envoy container whose bootstrap listens on the target port on loopback addresses only (its admin interface on 127.0.0.1, often). */
export declare function envoyLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
