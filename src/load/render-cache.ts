import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cacheDir, ParseCache } from './cache.js';
import { VERSION } from '../version.js';
import { kustomizationFile } from './render.js';

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
 *   every base and component it names, recursively.
 * A render that may read anything else gets no key and is not cached: a remote resource
 * (`https://`, `github.com/...`, `?ref=`), Helm charts inflated by kustomize, a field this
 * list does not know, a folder over MAX_FILES files or MAX_BYTES. Only successful renders
 * are kept; a failure runs again, with its message as it is then.
 */
export const RENDER_CACHE_FILE = 'render-cache.v1';
export const RENDER_CACHE_MAX_BYTES = 256 * 1024 * 1024;
const MAX_FILES = 5000;
const MAX_BYTES = 64 * 1024 * 1024;

export class RenderCache {
  hits = 0;
  misses = 0;
  constructor(private readonly store: ParseCache) {}

  get(key: string): string | undefined {
    const v = this.store.getChecked(key, (x): x is { stdout: string } => typeof x === 'object' && x !== null && typeof (x as { stdout?: unknown }).stdout === 'string');
    if (v) this.hits++;
    else this.misses++;
    return v?.stdout;
  }

  set(key: string, stdout: string): void {
    this.store.setJson(key, JSON.stringify({ stdout }));
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

/** The files a render reads, relative to its folder, or undefined when that cannot be known. */
class Inputs {
  readonly files = new Map<string, string>();
  bytes = 0;
  ok = true;
  constructor(private readonly root: string) {}

  addFile(abs: string): void {
    if (!this.ok || this.files.has(abs)) return;
    let text: Buffer;
    try {
      const st = statSync(abs);
      if (!st.isFile()) return this.fail();
      text = readFileSync(abs);
    } catch {
      return this.fail();
    }
    this.bytes += text.length;
    if (this.files.size >= MAX_FILES || this.bytes > MAX_BYTES) return this.fail();
    this.files.set(abs, createHash('sha256').update(text).digest('hex'));
  }

  addTree(dir: string): void {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return this.fail();
    }
    for (const e of entries) {
      if (!this.ok) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) this.addTree(p);
      else if (e.isFile()) this.addFile(p);
      else return this.fail(); // a link or a device: where it points is not ours to hash
    }
  }

  fail(): void {
    this.ok = false;
  }

  key(parts: unknown[]): string | undefined {
    if (!this.ok) return undefined;
    const h = createHash('sha256').update(`svclint ${VERSION} render\0`).update(JSON.stringify(parts));
    for (const [abs, sum] of [...this.files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      h.update('\0').update(path.relative(this.root, abs).split(path.sep).join('/')).update('\0').update(sum);
    }
    return h.digest('hex');
  }
}

/** What identifies an executable without running it: where it is, its size and time. */
function toolId(exe: string): string | undefined {
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

function addKustomization(file: string, inputs: Inputs, seen: Set<string>): void {
  if (seen.has(file) || !inputs.ok) return;
  seen.add(file);
  inputs.addFile(file);
  let k: unknown;
  try {
    k = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return inputs.fail();
  }
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
    let st;
    try {
      st = statSync(abs);
    } catch {
      return inputs.fail();
    }
    if (st.isDirectory()) {
      const nested = kustomizationFile(abs);
      if (!nested) return inputs.fail();
      addKustomization(nested, inputs, seen);
    } else inputs.addFile(abs);
  };
  for (const [field, value] of Object.entries(k as Record<string, unknown>)) {
    if (!inputs.ok) return;
    if (PLAIN_FIELDS.has(field)) continue;
    if (PATH_LISTS.includes(field)) {
      if (!Array.isArray(value)) return inputs.fail();
      // A patch given inline (a string holding a document) is text of the kustomization, not a path.
      for (const v of value) if (!(field === 'patchesStrategicMerge' && typeof v === 'string' && v.includes('\n'))) addPath(v);
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

/** The cache key of `kustomize build DIR` (undefined: do not cache). */
export function kustomizationKey(dir: string, file: string, tool: string, args: string[]): string | undefined {
  const id = toolId(tool);
  if (!id) return undefined;
  const inputs = new Inputs(dir);
  addKustomization(file, inputs, new Set());
  return inputs.key(['kustomize', id, args.filter((a) => a !== dir)]);
}

/** The cache key of `helm template` of a chart folder (undefined: do not cache). */
export function chartKey(dir: string, tool: string, args: string[], valuesFiles: string[]): string | undefined {
  const id = toolId(tool);
  if (!id) return undefined;
  const inputs = new Inputs(dir);
  inputs.addTree(dir);
  try {
    const chart = parseYaml(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: { repository?: unknown }[] } | null;
    for (const d of Array.isArray(chart?.dependencies) ? chart!.dependencies : []) {
      if (typeof d?.repository === 'string' && d.repository.startsWith('file://')) inputs.addTree(path.resolve(dir, d.repository.slice('file://'.length)));
    }
  } catch {
    inputs.fail();
  }
  for (const v of valuesFiles) inputs.addFile(v);
  // Values files by their content (above), not where they are.
  return inputs.key(['helm', id, args.filter((a) => a !== dir && !valuesFiles.includes(a))]);
}
