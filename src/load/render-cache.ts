import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, exactJson, ParseCache } from './cache.js';
import { VERSION } from '../version.js';
import { chartDependencies, kustomizationFile, type RenderOutput } from './render.js';
import { DiskView, yamlOf, yamlValue, type FileView, type YamlRead, type YamlStore } from './view.js';

/**
 * A cache of renders (`--cache`, always on in the pre-commit hook): `helm template` and
 * `kustomize build` output, keyed by everything the renderer reads, so that a folder whose
 * inputs did not change is not rendered again (the hook renders HEAD's tree beside the
 * working tree: most folders are the same in both).
 *
 * The key is a hash of the renderer (its executable's path, size and time), its arguments
 * other than the folder, and the name and content of every file the render can read,
 * relative to the folder, so the same folder in another checkout has the same key:
 * - a chart: every file under the chart folder (templates, values, charts/, the lock file),
 *   plus local `file://` dependencies and the values files given;
 * - a kustomization: its kustomization file and every file it names (resources, patches,
 *   generators' files and env files, replacements, openapi, configurations, CRDs), through
 *   every base and component it names, recursively. A list field left empty names nothing,
 *   and a built-in transformer that reads no file (prefix and suffix, labels, annotations,
 *   namespace, image tags, replicas) may be given inline.
 * A render that may read anything else gets no key and is not cached: a remote resource
 * (`https://`, `github.com/...`, `?ref=`), Helm charts inflated by kustomize, a field this
 * list does not know, a folder over MAX_FILES files or MAX_BYTES. A render that failed with
 * an exit status is kept too, with its errors: the same inputs fail the same way (the
 * findings cache holds that already, render.ts `open`). One that was stopped (a timeout, a
 * signal) or did not start is not, and runs again. Beside a kustomization's
 * output, where each of its documents comes from is kept too (render.ts, keepParts): the
 * key covers those source files, so it holds as long as the output does.
 */
export const RENDER_CACHE_FILE = 'render-cache.v1';
export const RENDER_CACHE_MAX_BYTES = 256 * 1024 * 1024;
const MAX_FILES = 5000;
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Beside the renders, the YAML values of the files renders are planned from (kustomization
 * files, Chart.yaml), by a hash of their text: `{"v": value}`, or `{"e": 1}` for a text
 * that does not parse; a value JSON cannot carry exactly is not kept.
 */
const yamlKey = (text: string) => createHash('sha256').update(`svclint ${VERSION} yaml value\0`).update(text).digest('hex');
const isYamlEntry = (x: unknown): x is { v: unknown } | { e: 1 } =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && (('v' in x && Object.keys(x).length === 1) || (Object.keys(x).length === 1 && (x as { e?: unknown }).e === 1));

/** A failure whose errors are longer than this is not kept (a renderer's error is a few lines). */
const MAX_FAILURE_STDERR = 64 * 1024;

const isRenderEntry = (x: unknown): x is { stdout: string; code?: number; stderr?: string } => {
  if (typeof x !== 'object' || x === null || typeof (x as { stdout?: unknown }).stdout !== 'string') return false;
  const { code, stderr } = x as { code?: unknown; stderr?: unknown };
  return code === undefined ? stderr === undefined : Number.isSafeInteger(code) && code !== 0 && typeof stderr === 'string';
};

export class RenderCache implements YamlStore {
  hits = 0;
  misses = 0;
  constructor(private readonly store: ParseCache) {}

  getYaml(text: string): YamlRead | undefined {
    const v = this.store.getChecked(yamlKey(text), isYamlEntry);
    return v === undefined ? undefined : 'e' in v ? { error: true } : { value: v.v };
  }

  setYaml(text: string, read: YamlRead): void {
    if ('error' in read) return this.store.setJson(yamlKey(text), '{"e":1}');
    if (read.value === undefined) return;
    const json = exactJson({ v: read.value });
    if (json !== undefined) this.store.setJson(yamlKey(text), json);
  }

  get(key: string): RenderOutput | undefined {
    const v = this.store.getChecked(key, isRenderEntry);
    if (v) this.hits++;
    else this.misses++;
    return v && { code: v.code ?? 0, stdout: v.stdout, stderr: v.stderr ?? '' };
  }

  set(key: string, out: RenderOutput): void {
    if (out.code !== 0 && out.stderr.length > MAX_FAILURE_STDERR) return;
    this.store.setJson(key, JSON.stringify(out.code === 0 ? { stdout: out.stdout } : out));
  }

  save(): void {
    this.store.save();
  }
}

const open = new Map<string, RenderCache>();

/** The render cache of this environment, one per process (the hook's two loads share it). */
export function openRenderCache(env: NodeJS.ProcessEnv): RenderCache {
  const dir = cacheDir(env);
  const id = String(dir);
  let c = open.get(id);
  if (!c) open.set(id, (c = new RenderCache(new ParseCache(dir, RENDER_CACHE_MAX_BYTES, Date.now(), RENDER_CACHE_FILE))));
  return c;
}

/** A render's cache key and the files it was made from (absolute paths). */
export interface RenderInputs {
  key: string;
  files: string[];
}

/** The files a render reads, relative to its folder, or undefined when that cannot be known. */
class Inputs {
  readonly files = new Map<string, string>();
  bytes = 0;
  ok = true;
  constructor(private readonly root: string, readonly view: FileView) {}

  addFile(abs: string): void {
    if (!this.ok || this.files.has(abs)) return;
    if (this.view.kind(abs) !== 'file') return this.fail();
    const d = this.view.digest(abs);
    if (!d) return this.fail();
    this.bytes += d.size;
    if (this.files.size >= MAX_FILES || this.bytes > MAX_BYTES) return this.fail();
    this.files.set(abs, d.sum);
  }

  addTree(dir: string): void {
    const entries = this.view.list(dir);
    if (!entries) return this.fail();
    for (const e of entries) {
      if (!this.ok) return;
      const p = path.join(dir, e.name);
      if (e.kind === 'dir') this.addTree(p);
      else if (e.kind === 'file') this.addFile(p);
      else return this.fail(); // a link or a device: where it points is not ours to hash
    }
  }

  fail(): void {
    this.ok = false;
  }

  key(parts: unknown[]): RenderInputs | undefined {
    if (!this.ok) return undefined;
    const h = createHash('sha256').update(`svclint ${VERSION} render\0`).update(JSON.stringify(parts));
    const files = [...this.files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [abs, sum] of files) {
      h.update('\0').update(path.relative(this.root, abs).split(path.sep).join('/')).update('\0').update(sum);
    }
    return { key: h.digest('hex'), files: files.map(([abs]) => abs) };
  }
}

/** What identifies an executable without running it: where it is, its size and time. */
export function toolId(exe: string): string | undefined {
  try {
    const st = statSync(exe);
    return `${path.resolve(exe)}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

const REMOTE = /:\/\/|^git@|^github\.com\/|^gitlab\.com\/|^bitbucket\.org\/|\?ref=|\/\/.*\/\/|^ssh:/;

/** Kustomization fields that name no file. */
const PLAIN_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'labels', 'commonAnnotations', 'images', 'replicas', 'generatorOptions', 'vars', 'buildMetadata', 'sortOptions']);
/** Fields that are lists of paths (files or folders). */
const PATH_LISTS = ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'generators', 'transformers', 'validators', 'configurations'];
/** Built-in transformers that read no file: given inline (a string holding their config), they are text of the kustomization. */
const INLINE_PLAIN = new Set(['PrefixSuffixTransformer', 'LabelTransformer', 'AnnotationsTransformer', 'NamespaceTransformer', 'ImageTagTransformer', 'ReplicaCountTransformer']);

/** A plugin config given inline that names no file: a built-in transformer of INLINE_PLAIN. */
function inlinePlain(v: unknown): boolean {
  if (typeof v !== 'string' || !v.includes('\n')) return false;
  const r = yamlOf(v);
  const c = 'value' in r ? (r.value as { apiVersion?: unknown; kind?: unknown } | null) : null;
  return typeof c === 'object' && c !== null && c.apiVersion === 'builtin' && typeof c.kind === 'string' && INLINE_PLAIN.has(c.kind);
}

/** The other fields that are lists. */
const LISTS = ['patches', 'patchesJson6902', 'replacements', 'configMapGenerator', 'secretGenerator'];

function addKustomization(file: string, inputs: Inputs, seen: Set<string>): void {
  if (seen.has(file) || !inputs.ok) return;
  seen.add(file);
  inputs.addFile(file);
  const read = yamlValue(inputs.view, file);
  if (!read) return inputs.fail();
  const k = read.value;
  if (k === null || k === undefined) return;
  if (typeof k !== 'object' || Array.isArray(k)) return inputs.fail();
  const dir = path.dirname(file);
  const local = (p: unknown): string | undefined => {
    if (typeof p !== 'string' || p === '' || REMOTE.test(p)) {
      inputs.fail();
      return undefined;
    }
    return path.resolve(dir, p);
  };
  const addPath = (p: unknown) => {
    const abs = local(p);
    if (!abs) return;
    const kind = inputs.view.kind(abs);
    if (kind === undefined) return inputs.fail();
    if (kind === 'dir') {
      const nested = kustomizationFile(abs, inputs.view);
      if (!nested) return inputs.fail();
      addKustomization(nested, inputs, seen);
    } else inputs.addFile(abs);
  };
  for (const [field, value] of Object.entries(k as Record<string, unknown>)) {
    if (!inputs.ok) return;
    if (PLAIN_FIELDS.has(field)) continue;
    // A list field left empty (`bases:` alone) lists nothing.
    if (value === null && (PATH_LISTS.includes(field) || LISTS.includes(field))) continue;
    if (PATH_LISTS.includes(field)) {
      if (!Array.isArray(value)) return inputs.fail();
      // A patch given inline (a string holding a document) is text of the kustomization, not a path; so is a plain built-in transformer's config.
      for (const v of value) if (!(field === 'patchesStrategicMerge' && typeof v === 'string' && v.includes('\n')) && !inlinePlain(v)) addPath(v);
    } else if (field === 'patches' || field === 'patchesJson6902' || field === 'replacements') {
      if (!Array.isArray(value)) return inputs.fail();
      for (const v of value) if (typeof v === 'object' && v !== null && 'path' in v) addPath((v as { path: unknown }).path);
    } else if (field === 'configMapGenerator' || field === 'secretGenerator') {
      if (!Array.isArray(value)) return inputs.fail();
      for (const g of value) {
        if (typeof g !== 'object' || g === null) continue;
        const gen = g as { files?: unknown; envs?: unknown; env?: unknown };
        for (const f of Array.isArray(gen.files) ? gen.files : []) addPath(typeof f === 'string' ? f.slice(f.indexOf('=') + 1) : f);
        for (const f of Array.isArray(gen.envs) ? gen.envs : []) addPath(f);
        if (gen.env !== undefined) addPath(gen.env);
      }
    } else if (field === 'openapi') {
      if (typeof value === 'object' && value !== null && 'path' in value) addPath((value as { path: unknown }).path);
    } else return inputs.fail(); // helmCharts, helmGlobals, or a field not known here
  }
}

/** The cache key of `kustomize build DIR` and the files it reads (undefined: do not cache). */
export function kustomizationInputs(dir: string, file: string, tool: string, args: string[], view: FileView = new DiskView()): RenderInputs | undefined {
  const id = toolId(tool);
  if (!id) return undefined;
  const inputs = new Inputs(dir, view);
  addKustomization(file, inputs, new Set());
  return inputs.key(['kustomize', id, args.filter((a) => a !== dir)]);
}

/** The cache key of `kustomize build DIR` (undefined: do not cache). */
export function kustomizationKey(dir: string, file: string, tool: string, args: string[]): string | undefined {
  return kustomizationInputs(dir, file, tool, args)?.key;
}

/** The cache key of `helm template` of a chart folder and the files it reads (undefined: do not cache). */
export function chartInputs(dir: string, tool: string, args: string[], valuesFiles: string[], view: FileView = new DiskView()): RenderInputs | undefined {
  const id = toolId(tool);
  if (!id) return undefined;
  const inputs = new Inputs(dir, view);
  inputs.addTree(dir);
  const read = yamlValue(view, path.join(dir, 'Chart.yaml'));
  if (!read) inputs.fail();
  else {
    // Local dependencies, and theirs: the render reads them all.
    const seen = new Set([dir]);
    const queue = [dir];
    while (queue.length && seen.size < 64) {
      const at = queue.shift()!;
      for (const d of chartDependencies(at, view) as { repository?: unknown }[]) {
        if (typeof d?.repository !== 'string' || !d.repository.startsWith('file://')) continue;
        const tree = path.resolve(at, d.repository.slice('file://'.length));
        if (seen.has(tree)) continue;
        seen.add(tree);
        inputs.addTree(tree);
        queue.push(tree);
      }
    }
  }
  for (const v of valuesFiles) inputs.addFile(v);
  // Values files by their content (above), not where they are.
  return inputs.key(['helm', id, args.filter((a) => a !== dir && !valuesFiles.includes(a))]);
}

/** The cache key of `helm template` of a chart folder (undefined: do not cache). */
export function chartKey(dir: string, tool: string, args: string[], valuesFiles: string[]): string | undefined {
  return chartInputs(dir, tool, args, valuesFiles)?.key;
}
