import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** A ClickHouse container whose mounted config.d hides the image's wildcard listen_host and sets none of its own, or sets loopback ones. */
export declare function clickhouseLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
