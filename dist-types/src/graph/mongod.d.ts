import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/**
 * Where mongod listens when its `--config` (`-f`) file is mounted from the run: the file's
 * `net.bindIp` (comma-separated), `net.bindIpAll` and `net.port` (27017). Without either
 * address setting mongod binds 127.0.0.1 (since 3.6); the official image's entrypoint adds
 * `--bind_ip_all` then, but only when it runs mongod itself and the file sets neither
 * (docker-entrypoint.sh: `jq '.net.bindIp // .net.bindIpAll'`). Address flags on the command
 * line are left to the command-line reader.
 */
export declare function mongodConfigLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
