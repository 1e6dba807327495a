import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
interface Setting {
    value: string;
    text: string;
    path: Path;
    kind: 'config' | 'env';
    source?: string;
}
export interface GrafanaServer {
    port?: Setting;
    addr?: Setting;
    protocol?: Setting;
}
/** The server settings of a Grafana container that the run decides (the file it reads, and its variables); undefined when it is no Grafana the run can read. */
export declare function grafanaServer(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): GrafanaServer | undefined;
/** The port a Grafana container listens on where its mounted grafana.ini sets it. */
export declare function grafanaListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** A Grafana container whose configuration binds its port on loopback only. */
export declare function grafanaLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined;
/** The TLS protocol (`https`, `h2`) a Grafana container serves on its port, and where it is set. */
export declare function grafanaTls(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    port: number;
    protocol: string;
    text: string;
    path: Path;
    source?: string;
} | undefined;
export {};
