import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
/** The ports a Tomcat container listens on, where its mounted server.xml says all of them. */
export declare function tomcatPorts(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** A Tomcat container whose server.xml listens on the target port on loopback addresses only. */
export declare function tomcatLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
