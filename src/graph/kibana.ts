import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { visibleYaml } from './mounts.js';
import { isRecord } from '../load/objects.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where Kibana's official image listens: Kibana's own default `server.host` is `localhost`; the
 * image's `/usr/share/kibana/config/kibana.yml` sets `server.host: "0.0.0.0"`, and its start
 * script turns `SERVER_HOST` (or a variable named `server.host`) into the setting. A kibana.yml
 * mounted from the run replaces the image's file: without `server.host`, Kibana listens on
 * localhost only.
 */

const OFFICIAL = /^(docker\.elastic\.co\/kibana\/kibana|(docker\.io\/)?(library\/)?kibana)(:[^/]*)?(@.*)?$/;
const CONFIG = '/usr/share/kibana/config/kibana.yml';

/** A setting of a Kibana YAML text, written flat (`server.host: x`) or nested (`server: {host: x}`). */
function setting(doc: Record<string, unknown>, name: string): unknown {
  if (name in doc) return doc[name];
  const [head, ...rest] = name.split('.');
  const sub = doc[head!];
  return isRecord(sub) && rest.length ? setting(sub, rest.join('.')) : undefined;
}

/** A Kibana container whose mounted kibana.yml sets no server.host (Kibana's default, localhost), or a loopback one. */
export function kibanaLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const image = typeof raw.image === 'string' ? raw.image : '';
  if (!OFFICIAL.test(image)) return undefined;
  if ((Array.isArray(raw.command) && raw.command.length) || (Array.isArray(raw.args) && raw.args.length)) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  const env = Array.isArray(raw.env) ? raw.env : [];
  if (env.some((e) => isRecord(e) && (e.name === 'SERVER_HOST' || e.name === 'server.host' || e.name === 'SERVER_PORT' || e.name === 'server.port'))) return undefined;
  const read = visibleYaml(graph, t, raw, CONFIG);
  if (!read) return undefined;
  const { file: f, doc } = read;
  if (doc !== null && doc !== undefined && !isRecord(doc)) return undefined;
  const conf = isRecord(doc) ? doc : {};
  const port = setting(conf, 'server.port');
  const listen = port === undefined ? 5601 : typeof port === 'number' ? port : undefined;
  if (listen === undefined || (target !== undefined && target !== listen)) return undefined;
  const host = setting(conf, 'server.host');
  const path = f.at === undefined ? [] : ['volumeMounts', f.at];
  if (host === undefined || host === null) {
    return { address: 'localhost', port: listen, text: 'no server.host', source: f.source, path, kind: 'default', program: 'Kibana', caveat: 'the mounted kibana.yml replaces the image\'s, which sets server.host: "0.0.0.0"' };
  }
  if (typeof host !== 'string' || host.includes('$') || !isLoopbackHost(host)) return undefined;
  return { address: host, port: listen, text: `server.host: ${host}`, source: f.source, path, kind: 'config', program: 'Kibana' };
}
