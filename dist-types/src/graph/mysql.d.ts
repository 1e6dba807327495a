import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type ListenEvidence } from './listen.js';
import { type LoopbackBind } from './bind.js';
import { type MountedFile } from './mounts.js';
/**
 * Where MySQL's and MariaDB's server listens, from the option files of its official images
 * mounted from the run (`/etc/mysql/conf.d/*.cnf`, the documented place, or `/etc/my.cnf`,
 * `/etc/mysql/my.cnf`) and the server's own arguments: the last `port` and `bind-address` of
 * the groups the server reads (`[mysqld]`, `[server]`, `[mariadb]`, `[mariadbd]`, and
 * `[client-server]` for MariaDB), with option names as the server matches them (`_` or `-`,
 * a `loose-` prefix), then the command line. Held to Debian's MariaDB by
 * test/server-config-differential.test.ts.
 */
export type Flavor = 'mysql' | 'mariadb';
/** What the images' own main option file does that matters here: include the conf.d folders. */
export declare const IMAGE_MAIN: Record<Flavor, string>;
export interface MysqlOption {
    value: string;
    text: string;
    file: MountedFile;
}
export interface MysqlListen {
    port: number;
    addresses: string[];
    /** What set each: `default` when nothing did. */
    portFrom: 'default' | 'config' | 'flag';
    addressFrom: 'default' | 'config' | 'flag';
    text: string;
    addressText: string;
    path: Path;
    addressPath: Path;
    source?: string;
    addressSource?: string;
    program: string;
}
/**
 * Where the server of a MySQL or MariaDB container listens, when an option file of the run is
 * mounted where its official image reads one; undefined otherwise, with `skip-networking`, or
 * when the answer depends on what is not modelled.
 */
export declare function mysqlListen(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): MysqlListen | undefined;
/** The port of a MySQL or MariaDB container when an option file of the run sets it. */
export declare function mysqlListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** A MySQL or MariaDB container whose option files or arguments bind it to loopback addresses only. */
export declare function mysqlLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
export declare const mayMysql: (raw: Record<string, unknown>) => boolean;
