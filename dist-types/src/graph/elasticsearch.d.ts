import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** One server's bind host and port, with what set the host (`default` when nothing did: Elasticsearch's `_local_`). */
export interface ElasticServer {
    host: string;
    port: number;
    from: 'default' | 'config' | 'env' | 'flag';
    text: string;
    path: Path;
}
export interface ElasticBind {
    http: ElasticServer;
    transport: ElasticServer;
    source: string;
    /** `Elasticsearch` or `OpenSearch`. */
    program: string;
}
/** Elasticsearch's bind addresses and ports, when its configuration file is mounted from the run; undefined otherwise. */
export declare function elasticsearchBind(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): ElasticBind | undefined;
/** An Elasticsearch container whose mounted configuration binds the server of `target` (HTTP or transport) to loopback only. */
export declare function elasticsearchLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
/** The settings readSettings() gives, a file's with where it comes from in their text. */
export declare function elasticsearchSettings(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): Map<string, {
    value: string;
    text: string;
    path: Path;
}> | undefined;
