import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { isRecord } from '../load/objects.js';
import { hubRepository } from './mounts.js';
import type { LoopbackBind } from './bind.js';

/**
 * Two Jaeger releases whose OTLP receivers (4317 gRPC, 4318 HTTP) listen on localhost as the
 * images come, left on the OpenTelemetry Collector library's new default:
 *
 * - 1.59 (`jaegertracing/all-in-one`, `jaegertracing/jaeger-collector`): jaegertracing/jaeger
 *   #5737; 1.60 sets `:4317`/`:4318` again (#5739). `COLLECTOR_OTLP_GRPC_HOST_PORT` and
 *   `COLLECTOR_OTLP_HTTP_HOST_PORT`, or their flags, move them.
 * - 2.0 (`jaegertracing/jaeger`, its built-in all-in-one configuration): #6207; 2.1 reads
 *   `JAEGER_LISTEN_HOST`, which the image sets to 0.0.0.0 (#6231). A `--config` of its own decides
 *   instead.
 */

const OTLP: Record<number, { name: string; env: string; flag: string }> = {
  4317: { name: 'gRPC', env: 'COLLECTOR_OTLP_GRPC_HOST_PORT', flag: '--collector.otlp.grpc.host-port' },
  4318: { name: 'HTTP', env: 'COLLECTOR_OTLP_HTTP_HOST_PORT', flag: '--collector.otlp.http.host-port' },
};

/** A Jaeger 1.59 or 2.0 container whose OTLP receiver on the target port listens on localhost, as the image comes. */
export function jaegerLoopback(_graph: ServiceGraph, _t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const repo = hubRepository(image);
  const tag = image ? /:([^/@]+)(@|$)/.exec(image.slice(image.lastIndexOf('/')))?.[1] : undefined;
  if (!repo || !tag || target === undefined || !OTLP[target]) return undefined;
  const v1 = (repo === 'jaegertracing/all-in-one' || repo === 'jaegertracing/jaeger-collector') && /^v?1\.59(\.\d+)?$/.test(tag);
  const v2 = repo === 'jaegertracing/jaeger' && /^v?2\.0(\.\d+)?$/.test(tag);
  if (!v1 && !v2) return undefined;
  if (Array.isArray(raw.command) && raw.command.length) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  const args = Array.isArray(raw.args) ? raw.args : [];
  const env = Array.isArray(raw.env) ? raw.env : [];
  const { name, env: variable, flag } = OTLP[target]!;
  if (v1 && (env.some((e) => isRecord(e) && e.name === variable) || args.some((a) => typeof a === 'string' && a.startsWith(flag)))) return undefined;
  // Jaeger 2 reads a configuration of its own, or `--set` overrides, from its arguments.
  if (v2 && args.length) return undefined;
  return {
    address: 'localhost',
    port: target,
    text: image!,
    path: ['image'],
    kind: 'default',
    program: `Jaeger ${v1 ? '1.59' : '2.0'}`,
    caveat: v1
      ? `its OTLP ${name} receiver was left on the collector library's localhost default in 1.59 (jaegertracing/jaeger#5737); set ${variable}=:${target}, or use 1.60 or later`
      : `its built-in configuration's OTLP ${name} receiver listens on localhost in 2.0 (jaegertracing/jaeger#6207); use 2.1 or later, which reads JAEGER_LISTEN_HOST (0.0.0.0 in the image)`,
  };
}
