import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { LoopbackBind } from './bind.js';
/** A Jaeger 1.59 or 2.0 container whose OTLP receiver on the target port listens on localhost, as the image comes. */
export declare function jaegerLoopback(_graph: ServiceGraph, _t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
