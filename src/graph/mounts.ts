import { parseQuiet } from '../load/quiet-yaml.js';
import type { K8sObject } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { getIn } from './pods.js';
import { isRecord } from '../load/objects.js';
import path from 'node:path/posix';
import { secretValues } from './references.js';

const cmIndex = new WeakMap<ServiceGraph, Map<string, K8sObject[]>>();

/** The folder a file of the run sits in ('' for what came from no file). */
const folderOf = (o: K8sObject | undefined): string => {
  const f = o?.origin?.file.path;
  return f ? path.dirname(f.replace(/\\/g, '/')) : '';
};

/** How many leading folders two folders share. */
function shared(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * A ConfigMap of the run by namespace and name. Where the run holds several of that name
 * (copies of one application in folders of their own), the one nearest to `near` (the object
 * that reads it): one of its own file, else the one whose folder shares the most with its
 * folder, and of those the least deep (a copy in a subfolder belongs to that subfolder).
 */
export function configMap(graph: ServiceGraph, namespace: string, name: string, near?: K8sObject): K8sObject | undefined {
  let ix = cmIndex.get(graph);
  if (!ix) {
    ix = new Map();
    for (const o of graph.objects) {
      if (o.kind !== 'ConfigMap' || o.apiVersion !== 'v1') continue;
      const key = `${o.namespace}/${o.name}`;
      const list = ix.get(key);
      if (list) list.push(o);
      else ix.set(key, [o]);
    }
    cmIndex.set(graph, ix);
  }
  const list = ix.get(`${namespace}/${name}`);
  if (!list || list.length === 1 || !near) return list?.[0];
  // Its own file first; else the folder sharing the most with its own, and of those the least deep.
  const file = near.origin?.file.path;
  const same = file === undefined ? undefined : list.find((o) => o.origin?.file.path === file);
  if (same) return same;
  const mine = folderOf(near);
  const score = (o: K8sObject): [number, number] => {
    const f = folderOf(o);
    return [shared(f, mine), f.split('/').length];
  };
  let best = list[0]!;
  let [most, depth] = score(best);
  for (const o of list.slice(1)) {
    const [n, d] = score(o);
    if (n > most || (n === most && d < depth)) {
      best = o;
      most = n;
      depth = d;
    }
  }
  return best;
}

/**
 * The text of the file at an absolute path inside a container, when a ConfigMap of the run
 * provides it through a volume (`configMap`, or a `projected` volume's ConfigMap sources):
 * a mount of the whole volume (a key, or an `items` path, under the mount path) or a
 * `subPath` mount of one key. `at` is the index of the volume mount.
 */
export function mountedFile(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): { text: string; key: string; configMap: string; at: number } | undefined {
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  for (let at = mounts.length - 1; at >= 0; at--) {
    const m = mounts[at];
    if (!isRecord(m) || typeof m.mountPath !== 'string' || typeof m.name !== 'string') continue;
    const mountPath = m.mountPath.replace(/\/+$/, '');
    const sub = typeof m.subPath === 'string' && m.subPath !== '' ? m.subPath : undefined;
    let rel: string | undefined;
    if (sub !== undefined) rel = mountPath === file ? sub : file.startsWith(`${mountPath}/`) ? `${sub}/${file.slice(mountPath.length + 1)}` : undefined;
    else rel = file.startsWith(`${mountPath}/`) ? file.slice(mountPath.length + 1) : undefined;
    if (rel === undefined) continue;
    const vol = (Array.isArray(volumes) ? volumes : []).find((v) => isRecord(v) && v.name === m.name);
    const projected = getIn(vol, ['projected', 'sources']);
    const sources = isRecord(getIn(vol, ['configMap'])) ? [getIn(vol, ['configMap'])] : (Array.isArray(projected) ? projected : []).map((s) => getIn(s, ['configMap'])).filter(isRecord);
    for (const src of sources) {
      if (!isRecord(src) || typeof src.name !== 'string') continue;
      const data = getIn(configMap(graph, t.namespace, src.name, t.owner)?.body, ['data']);
      if (!isRecord(data)) continue;
      const items = Array.isArray(src.items) ? src.items.filter(isRecord) : [];
      const key = items.length ? (items.find((i) => i.path === rel)?.key as string | undefined) : rel;
      if (typeof key === 'string' && typeof data[key] === 'string') return { text: data[key] as string, key, configMap: src.name, at };
    }
    // The mount covers the path: what it holds is not in the run.
    return undefined;
  }
  return undefined;
}

/** The repository of a Docker Hub image (`library/` and the registry left out); undefined for another registry. */
export function hubRepository(image: string | undefined): string | undefined {
  if (!image) return undefined;
  // Asked about every container by several readers: each image is read once.
  if (repositories.has(image)) return repositories.get(image);
  const repo = readHubRepository(image);
  if (repositories.size >= MAX_REPOSITORIES) repositories.clear();
  repositories.set(image, repo);
  return repo;
}

const repositories = new Map<string, string | undefined>();
const MAX_REPOSITORIES = 10_000;

function readHubRepository(image: string): string | undefined {
  const parts = image.replace(/@.*$/, '').split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    if (!/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)$/.test(parts[0]!)) return undefined;
    parts.shift();
  }
  const last = parts.pop()!;
  return [...parts, last.replace(/:[^:]*$/, '')].join('/').replace(/^library\//, '');
}

/**
 * A reader of a container's own configuration (where its server listens), kept for each
 * container: every Service port and probe that reaches the container asks again.
 */
export function perContainer<T>(read: (graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>) => T | undefined): (graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>) => T | undefined {
  const cache = new WeakMap<Record<string, unknown>, T | undefined>();
  return (graph, t, raw) => {
    if (cache.has(raw)) return cache.get(raw);
    const out = read(graph, t, raw);
    cache.set(raw, out);
    return out;
  };
}

/** A file the run knows is in a container's file system. */
export interface MountedFile {
  /** Absolute path inside the container. */
  path: string;
  text: string;
  /** Where it comes from, for messages: `ConfigMap app-config, key application.yml`. */
  source: string;
  /** Index of the volume mount that provides it. */
  at?: number;
}

/** The files a container's volume mounts give it from ConfigMaps and Secrets of the run, by absolute path. */
export function mountedFiles(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): MountedFile[] {
  return mountedTree(graph, t, raw).files;
}

/**
 * The file a container reads at `file`, as mounted from a ConfigMap or Secret of the run;
 * undefined where nothing of the run is mounted there or a mount the run cannot see covers it.
 */
export function visibleFile(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): MountedFile | undefined {
  const { files, opaque } = mountedTree(graph, t, raw);
  if (opaque.some((o) => file === o || file.startsWith(o.endsWith('/') ? o : `${o}/`))) return undefined;
  return files.find((x) => x.path === file);
}

/** visibleFile(), with its text read as one YAML document; undefined where either is missing or the text is not YAML. */
export function visibleYaml(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, file: string): { file: MountedFile; doc: unknown } | undefined {
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  try {
    return { file: f, doc: parseQuiet(f.text) };
  } catch {
    return undefined;
  }
}

/** The value of the last of a program's flags named `names` (`--config x`, `--config=x`, `-f x`), or undefined. */
export function lastFlagValue(words: readonly string[], names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const name = names.find((n) => w === n || w.startsWith(`${n}=`));
    if (name !== undefined) value = w === name ? words[i + 1] : w.slice(name.length + 1);
  }
  return value;
}

/**
 * mountedFiles(), and the mount paths whose contents the run cannot see (a folder ends in `/`):
 * a ConfigMap or Secret that is not in the run, or another kind of volume (an `emptyDir` an init
 * container fills, a persistent volume).
 */
export function mountedTree(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { files: MountedFile[]; opaque: string[] } {
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  const byPath = new Map<string, MountedFile & { depth: number }>();
  const opaque: string[] = [];
  mounts.forEach((m, at) => {
    if (!isRecord(m) || typeof m.mountPath !== 'string') return;
    const vol = (Array.isArray(volumes) ? volumes : []).find((v) => isRecord(v) && v.name === m.name);
    // A whole volume is a folder (written with a final `/`); a subPath mount may be a file.
    const where = m.mountPath.replace(/\/+$/, '');
    const unseen = () => opaque.push(typeof m.subPath === 'string' && m.subPath !== '' ? where : `${where}/`);
    if (!isRecord(vol) || !(isRecord(vol.configMap) || isRecord(vol.secret) || isRecord(vol.projected))) {
      unseen();
      return;
    }
    const sources: { kind: 'ConfigMap' | 'Secret'; src: Record<string, unknown> }[] = [];
    if (isRecord(vol.configMap)) sources.push({ kind: 'ConfigMap', src: vol.configMap });
    if (isRecord(vol.secret)) sources.push({ kind: 'Secret', src: { ...vol.secret, name: vol.secret.secretName } });
    for (const s of Array.isArray(getIn(vol, ['projected', 'sources'])) ? (getIn(vol, ['projected', 'sources']) as unknown[]) : []) {
      if (isRecord(s) && isRecord(s.configMap)) sources.push({ kind: 'ConfigMap', src: s.configMap });
      if (isRecord(s) && isRecord(s.secret)) sources.push({ kind: 'Secret', src: s.secret });
    }
    const mountPath = m.mountPath.replace(/\/+$/, '') || '/';
    const sub = typeof m.subPath === 'string' && m.subPath !== '' ? m.subPath : undefined;
    for (const { kind, src } of sources) {
      if (typeof src.name !== 'string') continue;
      const data = kind === 'ConfigMap' ? dataOf(configMap(graph, t.namespace, src.name, t.owner)) : secretData(graph, t.namespace, src.name);
      if (!data) {
        unseen();
        continue;
      }
      const items = Array.isArray(src.items) ? src.items.filter(isRecord) : [];
      const entries: [string, string][] = items.length
        ? items.flatMap((i) => (typeof i.key === 'string' && typeof i.path === 'string' && data.has(i.key) ? [[i.path, i.key] as [string, string]] : []))
        : [...data.keys()].map((k) => [k, k]);
      for (const [rel, key] of entries) {
        let file: string | undefined;
        if (sub === undefined) file = path.join(mountPath, rel);
        else if (sub === rel) file = mountPath;
        if (file === undefined) continue;
        const depth = mountPath.split('/').length;
        const prev = byPath.get(file);
        if (prev && prev.depth > depth) continue;
        byPath.set(file, { path: file, text: data.get(key)!, source: `${kind} ${src.name}, key ${key}`, at, depth });
      }
    }
  });
  return { files: [...byPath.values()].map(({ depth: _depth, ...f }) => f), opaque: [...new Set(opaque)] };
}

function dataOf(o: { body: Record<string, unknown> } | undefined): Map<string, string> | undefined {
  const d = getIn(o?.body, ['data']);
  if (!isRecord(d)) return undefined;
  return new Map(Object.entries(d).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const secretIndex = new WeakMap<ServiceGraph, Map<string, Map<string, string>>>();

function secretData(graph: ServiceGraph, namespace: string, name: string): Map<string, string> | undefined {
  let ix = secretIndex.get(graph);
  if (!ix) {
    ix = new Map();
    for (const o of graph.objects) {
      if (o.kind !== 'Secret' || o.apiVersion !== 'v1' || ix.has(`${o.namespace}/${o.name}`)) continue;
      ix.set(`${o.namespace}/${o.name}`, new Map(secretValues(o).map((v) => [v.key, v.value])));
    }
    secretIndex.set(graph, ix);
  }
  return ix.get(`${namespace}/${name}`);
}
