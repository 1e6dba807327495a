import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { hubRepository, mountedTree } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where the official ClickHouse server image listens: its config.xml leaves `listen_host` out
 * (ClickHouse then listens on `::1` and `127.0.0.1`), and the image adds
 * `/etc/clickhouse-server/config.d/docker_related_config.xml` with `listen_host` `::` and
 * `0.0.0.0`. A volume mounted over the whole `config.d` folder hides that file: unless a
 * mounted file sets `listen_host` itself, the server listens on loopback only.
 */

const IMAGES = new Set(['clickhouse/clickhouse-server', 'yandex/clickhouse-server']);
const CONFIG_D = '/etc/clickhouse-server/config.d';
/** The HTTP, native and interserver ports of the default configuration. */
const PORTS = new Set([8123, 9000, 9009]);

/** The `listen_host` values of a ClickHouse XML or YAML configuration text (XML comments, where the stock files keep their examples, left out). */
function listenHosts(text: string): string[] {
  const plain = text.replace(/<!--[\s\S]*?-->/g, '');
  const xml = [...plain.matchAll(/<listen_host>\s*([^<\s]*)\s*<\/listen_host>/g)].map((m) => m[1]!);
  const yaml = [...plain.matchAll(/^\s*(?:-\s*)?listen_host:\s*["']?([^"'\s#]+)/gm)].map((m) => m[1]!);
  return [...xml, ...yaml];
}

/** A ClickHouse container whose mounted config.d hides the image's wildcard listen_host and sets none of its own, or sets loopback ones. */
export function clickhouseLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  if (!IMAGES.has(hubRepository(image) ?? '')) return undefined;
  if (target !== undefined && !PORTS.has(target)) return undefined;
  if ((Array.isArray(raw.command) && raw.command.length) || (Array.isArray(raw.args) && raw.args.length)) return undefined;
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  const at = mounts.findIndex((m) => typeof m === 'object' && m !== null && (m as { mountPath?: unknown }).mountPath !== undefined && String((m as { mountPath: unknown }).mountPath).replace(/\/+$/, '') === CONFIG_D && !(m as { subPath?: unknown }).subPath);
  if (at < 0) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  // What the run cannot read there (an emptyDir an init container fills) may set it.
  if (opaque.some((o) => o.replace(/\/+$/, '').startsWith('/etc/clickhouse-server'))) return undefined;
  const own = files.filter((f) => f.path.startsWith('/etc/clickhouse-server/'));
  const inConfigD = own.filter((f) => f.path.startsWith(`${CONFIG_D}/`));
  if (inConfigD.length === 0 || inConfigD.some((f) => f.path.endsWith('/docker_related_config.xml'))) return undefined;
  const hosts = own.flatMap((f) => listenHosts(f.text).map((h) => ({ h, f })));
  if (hosts.some(({ h }) => h.includes('$') || h.includes('from_env'))) return undefined;
  if (hosts.length) {
    if (!hosts.every(({ h }) => isLoopbackHost(h))) return undefined;
    const first = hosts[0]!;
    return { address: first.h, ...(target !== undefined ? { port: target } : {}), text: `<listen_host>${first.h}</listen_host>`, source: first.f.source, path: first.f.at === undefined ? [] : ['volumeMounts', first.f.at], kind: 'config', program: 'ClickHouse' };
  }
  return {
    address: '127.0.0.1',
    ...(target !== undefined ? { port: target } : {}),
    text: `volume mounted at ${CONFIG_D}`,
    source: inConfigD[0]!.source.replace(/, key .*$/, ''),
    path: ['volumeMounts', at],
    kind: 'default',
    program: 'ClickHouse',
    caveat: `the volume mounted over ${CONFIG_D} hides the image's docker_related_config.xml, whose listen_host :: and 0.0.0.0 open it to the network, and sets no listen_host of its own`,
  };
}
