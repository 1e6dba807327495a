import { parseQuietRecord } from '../load/quiet-yaml.js';
import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { perContainer, visibleFile } from './mounts.js';
import { isRecord } from '../load/objects.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where the OpenTelemetry Collector's OTLP receivers listen, from the configuration file it is
 * given (`--config`, else the image's own path) mounted from the run: each OTLP receiver that a
 * pipeline uses, its `grpc` and `http` protocols on their `endpoint`, by default
 * `localhost:4317` and `localhost:4318` since v0.104.0 (the `component.UseLocalHostAsDefaultHost`
 * feature gate, on by default from then; `0.0.0.0` before).
 */

const IMAGE = /(^|\/)opentelemetry-collector(-contrib|-k8s|-otlp)?(:[^@]*)?(@|$)/;
const DEFAULT_CONFIG: Record<string, string> = { '': '/etc/otelcol/config.yaml', '-contrib': '/etc/otelcol-contrib/config.yaml', '-k8s': '/etc/otelcol-k8s/config.yaml', '-otlp': '/etc/otelcol-otlp/config.yaml' };

interface OtlpListener {
  port: number;
  host: string;
  /** Written in the file (else the default). */
  written: boolean;
  text: string;
}

interface Collector {
  listeners: OtlpListener[];
  source: string;
  path: Path;
}

/** Each container's configuration, read once. */
const collector = perContainer(read);

/** @internal The OTLP listeners a collector configuration text opens, given whether endpoints default to localhost; undefined where it cannot tell. */
export function otlpListeners(text: string, localhostDefault: boolean): OtlpListener[] | undefined {
  const doc = parseQuietRecord(text);
  if (!doc || !isRecord(doc.receivers)) return undefined;
  const pipelines = isRecord(doc.service) && isRecord(doc.service.pipelines) ? doc.service.pipelines : undefined;
  if (!pipelines) return undefined;
  const used = new Set<string>();
  for (const p of Object.values(pipelines)) {
    if (isRecord(p) && Array.isArray(p.receivers)) for (const r of p.receivers) if (typeof r === 'string') used.add(r);
  }
  const out: OtlpListener[] = [];
  for (const [name, conf] of Object.entries(doc.receivers)) {
    if (!(name === 'otlp' || name.startsWith('otlp/')) || !used.has(name)) continue;
    const protocols = isRecord(conf) ? conf.protocols : undefined;
    if (!isRecord(protocols)) continue;
    for (const [proto, port] of [['grpc', 4317], ['http', 4318]] as const) {
      if (!(proto in protocols)) continue;
      const p = protocols[proto];
      if (p !== null && !isRecord(p)) return undefined;
      const endpoint = isRecord(p) ? p.endpoint : undefined;
      if (endpoint === undefined || endpoint === null) {
        out.push({ port, host: localhostDefault ? 'localhost' : '0.0.0.0', written: false, text: `receivers.${name}.protocols.${proto} with no endpoint` });
        continue;
      }
      if (typeof endpoint !== 'string' || endpoint.includes('$')) return undefined;
      const m = /^(\[[^\]]*\]|[^:]*):(\d{1,5})$/.exec(endpoint.trim());
      if (!m) return undefined;
      out.push({ port: Number(m[2]), host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', written: true, text: `endpoint: ${endpoint}` });
    }
  }
  return out;
}

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): Collector | undefined {
  const image = typeof raw.image === 'string' ? raw.image : '';
  const m = IMAGE.exec(image);
  if (!m) return undefined;
  const tag = /:([^/@]+)(@|$)/.exec(image.slice(image.lastIndexOf('/')))?.[1];
  const minor = tag && /^v?0\.(\d+)\./.test(tag) ? Number(/^v?0\.(\d+)\./.exec(tag)![1]) : undefined;
  // A tag that is no 0.x version (`latest`, a 1.x one) is a release after the change; an image by digest alone is unknown.
  if (tag === undefined && image.includes('@')) return undefined;
  const localhostDefault = minor === undefined ? true : minor >= 104;
  if (Array.isArray(raw.command) && raw.command.length) return undefined;
  const args = Array.isArray(raw.args) ? raw.args : [];
  if (!args.every((a): a is string => typeof a === 'string')) return undefined;
  if (args.some((a) => a.startsWith('--feature-gates') || a.includes('$'))) return undefined;
  const configs: string[] = [];
  args.forEach((a, i) => {
    if (a === '--config') configs.push(args[i + 1] ?? '');
    else if (a.startsWith('--config=')) configs.push(a.slice('--config='.length));
  });
  if (configs.length > 1) return undefined;
  let file = configs.length ? configs[0]! : args.length ? '' : DEFAULT_CONFIG[m[2] ?? '']!;
  if (file.startsWith('file:')) file = file.slice('file:'.length);
  if (!file.startsWith('/')) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const listeners = otlpListeners(f.text, localhostDefault);
  if (!listeners) return undefined;
  return { listeners, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] };
}

/** An OpenTelemetry Collector whose OTLP receivers listen on the target port on loopback only. */
export function otelcolLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = collector(graph, t, raw);
  if (!c) return undefined;
  const on = c.listeners.filter((l) => target === undefined || l.port === target);
  if (on.length === 0 || !on.every((l) => isLoopbackHost(l.host))) return undefined;
  const l = on[0]!;
  if (l.written) return { address: l.host, port: l.port, text: l.text, source: c.source, path: c.path, kind: 'config', program: 'the OpenTelemetry Collector' };
  return { address: l.host, port: l.port, text: l.text, source: c.source, path: c.path, kind: 'default', program: 'the OpenTelemetry Collector', caveat: `since v0.104.0 a receiver with no endpoint listens on localhost; set \`endpoint: 0.0.0.0:${l.port}\` or \`\${env:MY_POD_IP}:${l.port}\`` };
}
