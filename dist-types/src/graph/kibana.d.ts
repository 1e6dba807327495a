import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** A Kibana container whose mounted kibana.yml sets no server.host (Kibana's default, localhost), or a loopback one. */
export declare function kibanaLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
