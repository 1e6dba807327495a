import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
/** The ports a Quarkus container's mounted configuration makes its HTTP server listen on. */
export declare function quarkusListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
