import type { Path } from '../types/object.js';
import type { ContainerInfo, PortResolution, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/** Where a container's own configuration says its server listens. */
export interface ListenEvidence {
    port: number;
    /** How it says so, for messages: `--port=9090`, `env PORT=3000`. */
    text: string;
    /** Where it is written, inside the container. */
    path: Path;
    /**
     * A flag on the command line configures the server; an environment variable is a convention
     * the program may not follow; `config`: nginx's own configuration, mounted from a ConfigMap;
     * `image`: the port a well-known server image listens on when nothing reconfigures it.
     */
    kind: 'flag' | 'env' | 'config' | 'image' | 'default';
    /** For `config`: the server whose configuration it is (`nginx`, `Spring Boot`); for `env`, the image that reads the variable as its port. */
    program?: string;
    /**
     * The working directory taken when the container sets none and the answer depends on it
     * (Spring Boot reads `./config/`): a likelihood, not proof.
     */
    assumed?: string;
    /** For `image`: what the tag decides (RabbitMQ's management UI only in the `-management` images). */
    note?: string;
}
/** A table's own entry for a key from the input (an image called `toString` is not `Object.prototype.toString`). */
export declare const own: <T>(table: Record<string, T>, key: string | undefined) => T | undefined;
export declare function listenEvidence(c: Record<string, unknown>): ListenEvidence[];
/** A backend whose own configuration makes its server listen on one port that is not the targetPort. */
export interface NotListening {
    container: ContainerInfo;
    target: number;
    listen: number;
    /** Every port the evidence names (nginx may listen on several). */
    listens: number[];
    evidence: ListenEvidence;
    declaresTarget: boolean;
    declaresListen: boolean;
    /** The evidence names every port the server listens on (an HAProxy configuration without TCP stats sockets or peers). */
    complete?: boolean;
}
/**
 * Whether a resolved Service port reaches a container that its own command line (or, failing
 * that, environment) tells to listen on exactly one other port. The container is the one that
 * declares the target, else the pod's only container; a target another container declares (a
 * proxy beside the server) is left alone, and so is a container told of several listeners.
 */
export declare function notListening(r: PortResolution, graph?: ServiceGraph): NotListening | undefined;
/** Whether a number appears as a whole number in a container's command, args or env values. */
declare function mentions(c: Record<string, unknown>, n: number): boolean;
/**
 * The ports a container surely listens on, where the run can tell: its command line's port or
 * bind flags, a known program's own default, or a well-known image left as it is. Undefined
 * where it cannot tell (an environment variable is a convention, not proof).
 */
export declare function knownListens(c: ContainerInfo, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** The one port a container's command line (or, failing that, environment) makes it listen on, with the evidence. */
export declare function singleListener(c: Record<string, unknown>): ListenEvidence | undefined;
export { mentions as mentionsNumber };
/**
 * The `listen` directives of an nginx configuration: the address (undefined: every interface,
 * `*`, `0.0.0.0`, `[::]`) and the port (80 where one names an address only); undefined when it
 * includes files the run cannot see. Unix sockets are left out.
 */
export declare function nginxListens(text: string): {
    host?: string;
    port: number;
    bind?: true;
    family?: 'v4' | 'v6' | 'both';
}[] | undefined;
/** The ports of an nginx configuration's `listen` directives (80 where one names an address only); undefined when it includes files the run cannot see. */
export declare function nginxListenPorts(text: string): number[] | undefined;
/** Whether a resolution's container says anything about where it listens (cheap: most say nothing). */
export declare function mayTellListener(r: PortResolution): boolean;
/** The ports a well-known server image (from Docker Hub) listens on by default; undefined for other images. */
export declare function imageDefaultPorts(image: string | undefined): readonly number[] | undefined;
/** The image of a container that serves plain HTTP on `port` as it is (nothing reconfigures it); undefined otherwise. */
export declare function plainHttpImage(raw: Record<string, unknown>, port: number): string | undefined;
/** An nginx container whose configuration from the run listens on the target port on loopback only. */
/** A target port that an nginx configuration from a ConfigMap of the run binds for IPv4 only. */
export declare function nginxIPv4Only(r: PortResolution, graph: ServiceGraph): LoopbackBind | undefined;
export declare function nginxLoopback(r: PortResolution, graph: ServiceGraph): LoopbackBind | undefined;
