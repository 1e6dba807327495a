/** Finds hostnames (and ports) in configuration strings: URLs, host:port, whole-value names. */
export interface HostRef {
    /** The text as written (`http://api:8080`). */
    text: string;
    host: string;
    port?: number;
    /** The port a URL's scheme implies when it names none (`http` → 80, `https` → 443). */
    defaultPort?: number;
    /** An SRV name: `_<port-name>._<proto>.<host>`. */
    srv?: {
        port: string;
        protocol: string;
    };
    /** Written with a trailing dot (`api.shop.svc.cluster.local.:80`): an absolute name, no search path. */
    absolute?: boolean;
    /** In a position that holds only a host (a URL's authority, a whole value under a host key, an upstream): a bare name there is a host. */
    position?: boolean;
    /** A `namespace/name` reference (controller flags, `…service`/`…backend` values): `host` is `<name>.<namespace>`. */
    namespaced?: {
        namespace: string;
        name: string;
    };
    /**
     * Resolved through the API's EndpointSlices by the client itself, not through DNS (gRPC's
     * `kubernetes:///` resolver, sercand/kuberesolver): `port` is then the pods' port, as the
     * client dials each endpoint's address with it, and `portName` names a Service port.
     */
    endpoints?: {
        portName?: string;
    };
    /**
     * Written in a document of a Spring configuration file that applies only under this profile
     * expression (`spring.config.activate.on-profile`, the older `spring.profiles`), which the file
     * does not activate itself: the host is dialled only by pods whose active profiles match it.
     */
    profiles?: string[];
    /**
     * How the program that reads the text looks the name up, where it does not as libc does:
     * `never` (it takes IP addresses only there: an Envoy STATIC cluster, Redis Sentinel without
     * `resolve-hostnames`, nginx's variable `proxy_pass` with no `resolver`), `no-search` (its own
     * resolver, without the pod's search path: nginx's `resolver`). `why` says so, for messages.
     */
    lookup?: {
        how: 'never' | 'no-search';
        why: string;
        unlessPodServes?: number;
    };
    /**
     * A placeholder's default (Spring's `${REDIS_HOST:redis}`): the host counts only for readers
     * that leave these environment variables unset.
     */
    unlessEnv?: string[];
    /**
     * In a file named for a deployment environment (`config/production.json`): node-config (and
     * the like) loads it only where `NODE_CONFIG_ENV` (else `NODE_ENV`) names that environment.
     */
    nodeEnv?: string;
    /**
     * In a Rails file keyed by environment (`config/database.yml`): the section it is written in,
     * which only pods whose `RAILS_ENV` (or `RACK_ENV`) names it read.
     */
    railsEnv?: string;
    /** In a Spring Boot file (`application.yml`): the property that holds the host, which an environment variable can override. */
    property?: string;
    /** There: the property its port comes from (`spring.data.redis.port` beside `spring.data.redis.host`). */
    portProperty?: string;
}
export declare const HOST_KEY: {
    test: (key: string) => boolean;
};
export declare function findHosts(value: string, key?: string): HostRef[];
/** Host lists a program answers to or leaves alone rather than dials (`ALLOWED_HOSTS`, `NO_PROXY`). */
export declare const NOT_DIALLED_KEY: RegExp;
