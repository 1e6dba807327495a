import type { K8sObject, Path } from './object.js';
import type { PodTemplate, ServiceNode } from './graph.js';

/** Where a pod reads a configuration value that may name a host. */
export interface ReferenceSite {
  /** The object that holds the text: a workload (env, args, command) or a ConfigMap. */
  object: K8sObject;
  path: Path;
  /** The namespace whose pods' resolver reads the value. */
  namespace: string;
  /** Human words for the place (`env \`DB\` of container \`app\``). */
  where: string;
  /** The env name or ConfigMap key, when the value sits under one. */
  key?: string;
  /** The pod templates that read the value (a ConfigMap's consumers; empty when none in the run). */
  clients: readonly PodTemplate[];
}

/** What a hostname means to the resolver of a pod in a namespace (search path, ndots:5). */
export type DnsResolution =
  | { kind: 'service'; service: ServiceNode; namespace: string; form: 'short' | 'namespaced' | 'fqdn' }
  | { kind: 'pod'; service: ServiceNode; namespace: string; host: string }
  | { kind: 'missing'; name: string; namespace: string; form: 'short' | 'namespaced' | 'fqdn' }
  | { kind: 'short-elsewhere'; name: string; namespaces: string[] }
  | { kind: 'swapped'; service: ServiceNode }
  | { kind: 'wrong-domain'; domain: string; name: string; namespace: string }
  | { kind: 'statefulset-pod'; pod: string; statefulSet: string; serviceName?: string; namespace: string }
  | { kind: 'pod-not-headless'; service: ServiceNode; host: string }
  | { kind: 'unknown' };

/** One host a pod dials, found in configuration text, with what it resolves to. */
export interface ReferenceEdge {
  site: ReferenceSite;
  /** The text as written (`http://api:8080`). */
  text: string;
  host: string;
  /** The port as written, when the text has one. */
  port?: number;
  resolution: DnsResolution;
}
