import type { Path } from '../types/object.js';
import type { ContainerInfo, PodTemplate, PortResolution, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
/**
 * A server that listens on the pod's loopback interface only. The Service's traffic arrives at
 * the pod's IP, so it is refused; `kubectl port-forward` still reaches such a server, because it
 * connects from inside the pod's network namespace.
 */
export interface LoopbackBind {
    container: ContainerInfo;
    /** The address it binds: as written, or the program's default. */
    address: string;
    /** The port it listens on, when known. */
    port?: number;
    /** The words that say so, for messages. */
    text: string;
    /** Where they are written, inside the container. */
    path: Path;
    /**
     * `flag`: the command line names the loopback address; `env`: a variable the program reads
     * does; `default`: the program's own default, which nothing in the container changes;
     * `config`: the server's configuration file, mounted from a ConfigMap of the run.
     */
    kind: 'flag' | 'env' | 'default' | 'config';
    /** The program whose default or flag it is. */
    program?: string;
    /** What else could change the address, which the run cannot see (a configuration file in the image). */
    caveat?: string;
    /** For `config`: where the file comes from (`ConfigMap cache-config, key redis.conf`). */
    source?: string;
    /** A default that nothing outside the manifest can change (mongod's, run without the image's entrypoint). */
    certain?: boolean;
    /** For `config`: the working directory taken when the answer depends on the image's (ListenEvidence.assumed). */
    assumed?: string;
}
/** Loopback addresses: `localhost`, `127.0.0.0/8`, `::1`. */
export declare function isLoopbackHost(h: string): boolean;
/** `host:port`, `[v6]:port`, `scheme://host:port/`, `host`; undefined for a Unix socket or a value with a variable. */
export declare function splitAddress(v: string): {
    host: string;
    port?: number;
} | undefined;
export interface Word {
    word: string;
    /** Where the word is written: the command or args item. */
    path: Path;
}
/**
 * The command lines a container runs: its command and args as one line, or, for `sh -c
 * "script"`, each simple command of the script (split at `&&`, `||`, `;`, `|` and new lines),
 * with `$(VAR)` expanded from the container's literal env as the kubelet does.
 */
export declare function commandLines(c: Record<string, unknown>, env: Map<string, string>): Word[][];
/** Where the program of a simple command starts, after the wrappers that run it. */
export declare function commandStart(words: string[]): number;
/**
 * The port a known server program on the container's command line listens on: from its port or
 * bind flag, its port variable, else its own default (`uvicorn main:app --host 0.0.0.0` listens
 * on 8000, `flask run` on 5000). Undefined where the command line does not show it (a socket, a
 * configuration file, a variable that moves it elsewhere).
 */
export declare function programListen(raw: Record<string, unknown>): {
    port: number;
    text: string;
    path: Path;
    program: string;
    fromDefault: boolean;
} | undefined;
/** The literal env of a container, the names it sets in any way, and whether it has envFrom. */
export declare function envOf(c: Record<string, unknown>): {
    env: Map<string, string>;
    named: Set<string>;
    envFrom: boolean;
};
/** Every command-line flag in a container that binds a loopback `host:port`. */
export declare function loopbackFlags(c: Record<string, unknown>): {
    host: string;
    port: number;
    text: string;
    path: Path;
}[];
/** The IPv4 wildcard: a server bound there takes no IPv6 connection (Linux keeps the families apart). */
export declare const isIPv4Any: (h: string) => boolean;
/**
 * Whether the target port of a resolution is bound to `0.0.0.0` only, which takes IPv4
 * connections and no IPv6 ones: by a `--listen-address`-style flag of a container of the pod
 * (`0.0.0.0:<target>`), or by the serving container's program told so (`uvicorn --host
 * 0.0.0.0`, `gunicorn -b 0.0.0.0:8000`).
 */
export declare function ipv4OnlyListener(r: PortResolution): LoopbackBind | undefined;
/** The loopback-only listener of one container, if its command line, env or program default says so. */
export declare function containerLoopback(container: ContainerInfo, raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined;
/** The container a resolved Service port reaches: the one that declares the target, else the pod's only main container. */
export declare function servingContainer(r: PortResolution): ContainerInfo | undefined;
/**
 * Whether the target port of a resolution is bound on loopback only: by a `--*-bind-address`,
 * `--listen-address`-style flag of any container of the pod naming `127.0.0.1:<target>` (the
 * pod's containers share one network namespace), or by the serving container's own program
 * (uvicorn, gunicorn, flask run, manage.py runserver, kubectl proxy…), its flags, the variables
 * it reads, or its default address.
 */
export declare function loopbackListener(r: PortResolution, graph?: ServiceGraph): LoopbackBind | undefined;
/**
 * A Service port's target that the serving container's own configuration, as `read` finds it
 * (Spring Boot's config data, Elasticsearch's `elasticsearch.yml`), binds on loopback only; not
 * when another container of the pod declares the target.
 */
export declare function servingLoopback(r: PortResolution, graph: ServiceGraph, read: (graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target: number) => Omit<LoopbackBind, 'container'> | undefined): LoopbackBind | undefined;
/** Whether a resolution's pod says anything that could bind loopback (cheap: most say nothing). */
export declare function mayBindLoopback(r: PortResolution): boolean;
/**
 * `kubectl proxy` told to listen beyond loopback that still filters requests by their Host
 * header: its default `--accept-hosts` (`^localhost$,^127\.0\.0\.1$,^\[::1\]$`) answers 403
 * to any request that names the Service or the pod, so it works only from inside the pod.
 */
export declare function proxyFiltersHosts(raw: Record<string, unknown>): {
    port: number;
    text: string;
    path: Path;
} | undefined;
/**
 * Where `redis-server <file> [--directive value…]` listens, when the file comes from a
 * ConfigMap of the run: its last `port` (6379 when none) and `bind` directives, with the
 * command line's `--port`/`--bind` after them, as Redis appends its arguments to the file.
 * Undefined without such a file, with `include`, or with `port 0` (no TCP listener).
 */
export declare function redisConfig(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    port: number;
    binds?: string[];
    bindText?: string;
    protectedText?: string;
    key: string;
    configMap: string;
    at: number;
} | undefined;
/**
 * A redis-server whose configuration file (from the run) turns protected mode on while the
 * default user has no password: it answers every connection from outside the pod with
 * `-DENIED Redis is running in protected mode` (networking.c). Redis 7 does so whatever
 * `bind` says; Redis 6 only without a `bind` directive. The official image compiles protected
 * mode off, so only the file's `protected-mode yes` turns it on.
 */
export declare function redisProtected(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    port: number;
    text: string;
    key: string;
    configMap: string;
    at: number;
} | undefined;
/**
 * A redis-server in cluster mode (`cluster-enabled yes` in its configuration file from the run,
 * or `--cluster-enabled yes` on its command line): its client port, and the cluster bus port
 * its nodes gossip on (`cluster-port`, else the client port + 10000).
 */
export declare function redisCluster(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    port: number;
    bus: number;
    text: string;
    path: Path;
} | undefined;
/** Where a redis-server with a configuration file from the run listens, as evidence for target-port-not-listening. */
export declare function redisListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/**
 * PostgreSQL's own settings in a container: `postgres` on its command line, or the official
 * image (`postgres`, from Docker Hub) given only flags, which its entrypoint passes to
 * `postgres`. Undefined when a `config_file` is named that the run does not hold, or when
 * nothing about ports and addresses is written (the image's own configuration listens on
 * every interface).
 */
export declare function postgresConfig(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): {
    port: number;
    addresses: string[];
    text: string;
    path: Path;
    kind: 'flag' | 'config' | 'default';
    portFrom: string;
    source?: string;
} | undefined;
/**
 * The server a container's `pg_basebackup` copies from (a standby's first step): its host and
 * port from `-h`/`--host` and `-p`/`--port`, or from a connection string (`-d`/`--dbname`,
 * `host=… port=…` or a `postgresql://` URI), else `PGHOST` and `PGPORT` (port 5432 by
 * default). Undefined for a host given by a variable, a socket folder or several hosts.
 */
export declare function pgBasebackupSources(raw: Record<string, unknown>): {
    host: string;
    port: number;
    path: Path;
}[];
/**
 * The client authentication file a container's PostgreSQL reads (`hba_file`, given on its
 * command line or in its `config_file`, both from the run), with the port it listens on;
 * undefined when the run does not hold them.
 *
 * It lets in no client from another pod (postgresHbaLocalOnly) when every record for
 * TCP connections (`host`, `hostssl`, `hostnossl`, `hostgssenc`, `hostnogssenc`) is for a
 * loopback address (`127.0.0.1/32`, `::1/128`, `localhost`) or rejects, or there is none.
 * The server takes the first record that matches a connection and denies one that none
 * matches ("no pg_hba.conf entry for host"), so a Service's clients are refused whatever
 * their password. Undefined where that is not certain: a record for `all`, `samehost`,
 * `samenet`, a host name or any other network; `include` directives and continued lines
 * (PostgreSQL 16); a file the run does not hold.
 */
export declare function postgresHba(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): {
    port: number;
    file: string;
    text: string;
    key: string;
    configMap: string;
    at: number;
} | undefined;
/** postgresHba() where the file admits TCP clients from loopback only (pgHbaLoopbackOnly). */
export declare function postgresHbaLocalOnly(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): {
    port: number;
    file: string;
    key: string;
    configMap: string;
    at: number;
} | undefined;
/** Where PostgreSQL listens by its settings, as evidence for target-port-not-listening. */
export declare function postgresListeners(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** The official `mongo` image (Docker Hub), whose entrypoint adds `--bind_ip_all`; undefined for an old tag (before 3.6 mongod bound every interface). */
export declare const officialMongo: (image: string | undefined) => boolean;
/**
 * mongod bound to localhost: since 3.6 it binds 127.0.0.1 unless `--bind_ip`, `--bind_ip_all`
 * or a `--config` file says otherwise. The official image's entrypoint adds `--bind_ip_all`,
 * but only when it runs: a container `command` replaces the entrypoint, and the entrypoint
 * adds it only when its first argument is `mongod` itself (or a flag), not `/usr/bin/mongod`.
 */
export declare function mongodLoopback(c: ContainerInfo, raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined;
/**
 * A Kafka broker's listeners from the variables its images turn into `listeners` and
 * `advertised.listeners` (`KAFKA_…` for the Apache and Confluent images, `KAFKA_CFG_…` for
 * Bitnami's): `NAME://host:port` entries, with where each is written.
 */
export declare function kafkaListeners(raw: Record<string, unknown>, which: 'listeners' | 'advertised'): {
    name: string;
    host: string;
    port: number;
    text: string;
    path: Path;
}[] | undefined;
/**
 * Where an HAProxy container listens by its configuration files from ConfigMaps of the run:
 * `haproxy -f FILE…` on its command line, or an HAProxy image (HAPROXY_IMAGES), whose default
 * command reads `/usr/local/etc/haproxy/haproxy.cfg` (and whose entrypoint passes flags to
 * `haproxy`). Undefined when a file is not in the run or none binds a TCP address.
 */
export declare function haproxyConfig(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): {
    complete: boolean;
    binds: {
        host?: string;
        port: number;
    }[];
    text: string;
    source: string;
    path: Path;
} | undefined;
/** Where HAProxy listens, as evidence for target-port-not-listening. */
export declare function haproxyListeners(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): {
    complete: boolean;
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
