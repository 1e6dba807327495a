import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
/**
 * Where Apache httpd listens: the `Listen [address:]port [protocol]` directives of its
 * configuration, mounted from the run where the images read it (the `httpd` image's
 * `/usr/local/apache2/conf/httpd.conf`; `/etc/apache2/ports.conf` of Debian's layout, which
 * the `php:*-apache` images use). Held to Debian's Apache by
 * test/server-config-differential.test.ts.
 */
export interface ApacheListen {
    /** Undefined: every address. */
    host?: string;
    port: number;
    /** Inside `<IfModule>`, `<IfDefine>` or another section: it may not apply. */
    conditional: boolean;
}
/** The ports an Apache container listens on by its mounted configuration, when none of them is conditional. */
export declare function apacheListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** An Apache container whose mounted configuration listens on `target` on loopback addresses only. */
export declare function apacheLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
