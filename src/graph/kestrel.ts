import { parseQuiet } from '../load/quiet-yaml.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { mountedTree } from './mounts.js';
import { isLoopbackHost, splitAddress, type LoopbackBind } from './bind.js';
import { uncommented } from './vault.js';

/**
 * Where an ASP.NET Core app's Kestrel listens when its appsettings.json, mounted from the run
 * into the content root (the working directory, `/app` in the .NET images' Dockerfiles), names
 * endpoints: `Kestrel:Endpoints:<name>:Url` binds exactly those URLs and overrides
 * ASPNETCORE_URLS, `--urls` and ASPNETCORE_HTTP_PORTS (Kestrel logs "Overriding address(es)").
 * `appsettings.<environment>.json` (ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT, Production by
 * default) overrides it key by key. Configuration keys are case-insensitive. Undefined wherever the
 * run cannot see all of it: endpoint variables (`Kestrel__Endpoints__…`), command-line settings.
 */

type Tree = Record<string, unknown>;

/** A child of a configuration section, by a key compared without case. */
function child(v: unknown, key: string): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const k = Object.keys(v).find((x) => x.toLowerCase() === key);
  return k === undefined ? undefined : (v as Tree)[k];
}

/** A settings file as .NET's JSON configuration reads it (comments and trailing commas allowed), or undefined. */
function settings(text: string): Tree | undefined {
  const plain = uncommented(text.replace(/^\uFEFF/, ''));
  let doc: unknown;
  try {
    doc = JSON.parse(plain);
  } catch {
    try {
      doc = parseQuiet(plain, { uniqueKeys: false });
    } catch {
      return undefined;
    }
  }
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Tree) : undefined;
}

/** The endpoints' URLs by name (lower case), later files over earlier ones; undefined where one cannot be read. */
function endpoints(files: readonly Tree[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const f of files) {
    const eps = child(child(f, 'kestrel'), 'endpoints');
    if (eps === undefined) continue;
    if (typeof eps !== 'object' || eps === null || Array.isArray(eps)) return undefined;
    for (const [name, ep] of Object.entries(eps)) {
      const url = child(ep, 'url');
      if (url !== undefined) out.set(name.toLowerCase(), url);
    }
  }
  return out;
}

/** An ASP.NET Core container whose mounted appsettings bind the target port on loopback only. */
export function kestrelLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const env = Array.isArray(raw.env) ? raw.env : [];
  const names = env.map((e) => (typeof e === 'object' && e !== null ? (e as Tree).name : undefined)).filter((n): n is string => typeof n === 'string');
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  // A Kestrel section in the content root's appsettings.json is the sign of an ASP.NET Core app.
  if (!Array.isArray(raw.volumeMounts) || raw.volumeMounts.length === 0) return undefined;
  if (names.some((n) => /^(ASPNETCORE_)?kestrel__/i.test(n)) || words.some((w) => typeof w === 'string' && /kestrel/i.test(w))) return undefined;
  if (Array.isArray(raw.envFrom) && raw.envFrom.length) return undefined;
  const dir = (typeof raw.workingDir === 'string' && raw.workingDir.startsWith('/') ? raw.workingDir : '/app').replace(/\/+$/, '');
  const value = (n: string) => {
    const e = env.find((x) => typeof x === 'object' && x !== null && (x as Tree).name === n) as Tree | undefined;
    return e && typeof e.value === 'string' ? e.value : undefined;
  };
  if (names.includes('ASPNETCORE_ENVIRONMENT') && value('ASPNETCORE_ENVIRONMENT') === undefined) return undefined;
  const environment = value('ASPNETCORE_ENVIRONMENT') ?? value('DOTNET_ENVIRONMENT') ?? 'Production';
  const { files, opaque } = mountedTree(graph, t, raw);
  const paths = [`${dir}/appsettings.json`, `${dir}/appsettings.${environment}.json`];
  if (opaque.some((o) => paths.some((p) => p === o || p.startsWith(o.endsWith('/') ? o : `${o}/`)))) return undefined;
  const found = paths.map((p) => files.find((f) => f.path === p));
  const base = found[0];
  if (!base) return undefined;
  const parsed = found.filter((f) => f !== undefined).map((f) => settings(f!.text));
  if (parsed.some((p) => p === undefined)) return undefined;
  const eps = endpoints(parsed as Tree[]);
  if (!eps || eps.size === 0) return undefined;
  const bound: { host: string; port: number; url: string }[] = [];
  for (const url of eps.values()) {
    if (typeof url !== 'string') return undefined;
    const a = splitAddress(url);
    if (!a) return undefined;
    const port = a.port ?? (/^https:/i.test(url) ? 443 : 80);
    bound.push({ host: a.host, port, url });
  }
  const onTarget = bound.filter((b) => target === undefined || b.port === target);
  if (onTarget.length === 0 || !onTarget.every((b) => isLoopbackHost(b.host))) return undefined;
  const b = onTarget[0]!;
  const source = found.filter((f) => f !== undefined).map((f) => f!.source).join('; ');
  const at = (found[1] ?? base).at;
  // Without a workingDir the content root is the image's WORKDIR, `/app` by the .NET images' convention: a warning.
  const assumed = typeof raw.workingDir === 'string' && raw.workingDir.startsWith('/') ? {} : { assumed: dir };
  return { address: b.host, port: b.port, text: `Kestrel:Endpoints Url ${b.url}`, source, path: at === undefined ? [] : ['volumeMounts', at], kind: 'config', program: 'Kestrel', ...assumed };
}
