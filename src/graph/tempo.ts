import { parseQuietRecord } from '../load/quiet-yaml.js';
import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { hubRepository, lastFlagValue, perContainer, visibleFile } from './mounts.js';
import { isRecord } from '../load/objects.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where Grafana Tempo's trace receivers listen, from the configuration file of its
 * `-config.file` flag mounted from the run: `distributor.receivers` are OpenTelemetry
 * Collector receivers (OTLP `grpc` 4317 and `http` 4318, Zipkin 9411, Jaeger `grpc` 14250 and
 * `thrift_http` 14268), each on its `endpoint`; one without an endpoint listens on localhost
 * from Tempo 2.7.0 on (its collector dependency's `UseLocalHostAsDefaultHost`; the 2.7 release
 * notes: "OpenTelemetry Collector receiver listens on localhost by default"), on every
 * interface before.
 */

interface Receiver {
  port: number;
  host: string;
  written: boolean;
  text: string;
}

/** The receivers and their protocols Tempo opens TCP listeners for, with their default ports. */
const RECEIVERS: Record<string, Record<string, number> | number> = {
  otlp: { grpc: 4317, http: 4318 },
  jaeger: { grpc: 14250, thrift_http: 14268 },
  zipkin: 9411,
};

/** @internal The TCP receivers a Tempo configuration text opens, given whether endpoints default to localhost; undefined where it cannot tell. */
export function tempoReceivers(text: string, localhostDefault: boolean): Receiver[] | undefined {
  const doc = parseQuietRecord(text);
  if (!doc) return undefined;
  const receivers = isRecord(doc.distributor) ? doc.distributor.receivers : undefined;
  if (!isRecord(receivers)) return undefined;
  const out: Receiver[] = [];
  const add = (where: string, conf: unknown, port: number): boolean => {
    if (conf !== null && conf !== undefined && !isRecord(conf)) return false;
    const endpoint = isRecord(conf) ? conf.endpoint : undefined;
    if (endpoint === undefined || endpoint === null) {
      out.push({ port, host: localhostDefault ? 'localhost' : '0.0.0.0', written: false, text: `distributor.receivers.${where} with no endpoint` });
      return true;
    }
    if (typeof endpoint !== 'string' || endpoint.includes('$')) return false;
    const m = /^(\[[^\]]*\]|[^:]*):(\d{1,5})$/.exec(endpoint.trim());
    if (!m) return false;
    out.push({ port: Number(m[2]), host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', written: true, text: `endpoint: ${endpoint}` });
    return true;
  };
  for (const [name, conf] of Object.entries(receivers)) {
    const known = RECEIVERS[name];
    if (known === undefined) continue;
    if (typeof known === 'number') {
      if (!add(name, conf, known)) return undefined;
      continue;
    }
    const protocols = isRecord(conf) ? conf.protocols : undefined;
    if (!isRecord(protocols)) continue;
    for (const [proto, port] of Object.entries(known)) {
      if (!(proto in protocols)) continue;
      if (!add(`${name}.protocols.${proto}`, protocols[proto], port)) return undefined;
    }
  }
  return out;
}

interface TempoConfig {
  receivers: Receiver[];
  source: string;
  path: Path;
}

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): TempoConfig | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  if (hubRepository(image) !== 'grafana/tempo') return undefined;
  const tag = /:([^/@]+)(@|$)/.exec(image!.slice(image!.lastIndexOf('/')))?.[1];
  if (tag === undefined) return undefined;
  const v = /^v?(\d+)\.(\d+)(\.|-|$)/.exec(tag);
  // `latest` and `main-…` builds are after the change; another tag (a weekly `r…` build) is not read.
  if (!v && !/^(latest|main(-|$))/.test(tag)) return undefined;
  const localhostDefault = v ? Number(v[1]) > 2 || (Number(v[1]) === 2 && Number(v[2]) >= 7) : true;
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  if (!words.every((w): w is string => typeof w === 'string') || words.some((w) => w.includes('$'))) return undefined;
  const file = lastFlagValue(words, ['-config.file', '--config.file']);
  if (file === undefined || !file.startsWith('/')) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const receivers = tempoReceivers(f.text, localhostDefault);
  if (!receivers) return undefined;
  return { receivers, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] };
}

/** A Tempo whose trace receivers listen on the target port on loopback only (by default, from 2.7.0 on). */
export function tempoLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const on = c.receivers.filter((l) => target === undefined || l.port === target);
  if (on.length === 0 || !on.every((l) => isLoopbackHost(l.host))) return undefined;
  const l = on[0]!;
  if (l.written) return { address: l.host, port: l.port, text: l.text, source: c.source, path: c.path, kind: 'config', program: 'Tempo' };
  return { address: l.host, port: l.port, text: l.text, source: c.source, path: c.path, kind: 'default', program: 'Tempo', caveat: `since Tempo 2.7.0 a receiver with no endpoint listens on localhost; set \`endpoint: 0.0.0.0:${l.port}\`` };
}
