import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type LoopbackBind } from './bind.js';
/**
 * Where kube-proxy serves its metrics (10249) and health (10256) when it reads a
 * KubeProxyConfiguration file (`--config`), mounted from the run: the file alone decides (the
 * address flags are "ignored if a config file is specified"). Its defaults
 * (SetDefaults_KubeProxyConfiguration): an empty `metricsBindAddress` is 127.0.0.1:10249 (`[::1]`
 * where `bindAddress` is IPv6), an empty `healthzBindAddress` 0.0.0.0:10256; a value without a
 * port gets the default port.
 */
export declare function kubeProxyLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
