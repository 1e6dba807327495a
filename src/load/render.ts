import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { RenderedPart, SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { chartKey, kustomizationKey } from './render-cache.js';

export interface RenderOptions {
  /** Values files and --set pairs for every chart (paths relative to the working directory). */
  helmValues?: string[];
  helmSet?: string[];
  releaseName?: string;
  namespace?: string;
  /** Executables; default: found on PATH (SVCLINT_HELM / SVCLINT_KUBECTL override). */
  helm?: string;
  kubectl?: string;
  timeoutMs?: number;
  /** Renders kept between runs (--cache, the hook): a RenderCache of src/load/render-cache.ts. */
  cache?: RenderStore;
}

/** Where renders are kept by key: the output of a successful render. */
export interface RenderStore {
  get(key: string): string | undefined;
  set(key: string, stdout: string): void;
  save(): void;
}

/** A render from the cache when its key is known and kept there, else run (and kept when it succeeds). */
async function cachedExec(cache: RenderStore | undefined, key: () => string | undefined, cmd: string, args: string[], cwd: string, timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const k = cache ? key() : undefined;
  const hit = k !== undefined ? cache!.get(k) : undefined;
  if (hit !== undefined) return { code: 0, stdout: hit, stderr: '' };
  const r = await exec(cmd, args, cwd, timeout);
  if (k !== undefined && r.code === 0) cache!.set(k, r.stdout);
  return r;
}

export interface Rendered {
  files: SourceFile[];
  problems: LoadProblem[];
}

/**
 * Renders the charts and kustomizations of a folder, a few at a time (each render is a
 * process of its own: `helm` or `kustomize` spends most of its time starting), and returns
 * the results in the order given, charts first, as one render after the other did. The
 * source documents of the bases that several overlays build on are read once.
 */
export async function renderAll(charts: string[], kustomizations: string[], shown: (dir: string) => string, opts: RenderOptions, cwd: string, limit = Math.max(2, Math.min(availableParallelism(), 8))): Promise<Rendered[]> {
  const sources = new Map<string, SourceDoc[]>();
  const jobs = [...charts.map((dir) => () => renderChart(dir, shown(dir), opts, cwd)), ...kustomizations.map((dir) => () => renderKustomization(dir, shown(dir), opts, cwd, sources))];
  const results: Rendered[] = new Array(jobs.length);
  let next = 0;
  const run = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, run));
  return results;
}

const KUSTOMIZATIONS = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isChartDir(dir: string): boolean {
  return existsSync(path.join(dir, 'Chart.yaml'));
}

export function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATIONS.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}

/** Directories a kustomization builds on (resources, bases, components that are folders). */
export function kustomizationRefs(file: string): string[] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const d = doc as Record<string, unknown>;
  const dir = path.dirname(file);
  const out: string[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    for (const r of Array.isArray(d[key]) ? d[key] : []) {
      if (typeof r !== 'string' || /^[a-z]+:\/\//.test(r)) continue;
      const p = path.resolve(dir, r);
      if (kustomizationFile(p)) out.push(p);
    }
  }
  return out;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function exec(cmd: string, args: string[], cwd: string, timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown) as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err ? err.message : '') });
    });
  });
}

function problem(filePath: string, messageId: string, data: Record<string, string>): LoadProblem {
  return { ruleId: 'render-failed', messageId, data, filePath };
}

/** How much of a renderer's stderr a finding keeps: enough for kubectl's multi-line `err=<` blocks. */
export const STDERR_KEPT = 4096;

/** The renderer's whole stderr on one line (lines joined by ` | `), bounded to STDERR_KEPT characters. */
export function stderrText(stderr: string): string {
  const text = stderr.split('\n').map((l) => l.trim()).filter(Boolean).join(' | ');
  if (text === '') return 'no output';
  return text.length > STDERR_KEPT ? `${text.slice(0, STDERR_KEPT)}… (${text.length - STDERR_KEPT} more characters)` : text;
}

/**
 * `helm template` for a chart folder. The output is split by Helm's `# Source:` comments
 * so that findings point at the template each object comes from.
 */
export async function renderChart(dir: string, shown: string, opts: RenderOptions, cwd: string): Promise<Rendered> {
  const chartFile = path.posix.join(shown, 'Chart.yaml');
  const helm = opts.helm ?? process.env.SVCLINT_HELM ?? findOnPath('helm');
  if (!helm) {
    return { files: [], problems: [problem(chartFile, 'missingTool', { tool: 'helm', hint: `helm template ${shown} | svclint -` })] };
  }
  const args = ['template', opts.releaseName ?? 'release', dir];
  if (opts.namespace) args.push('--namespace', opts.namespace);
  for (const v of opts.helmValues ?? []) args.push('--values', path.resolve(cwd, v));
  for (const s of opts.helmSet ?? []) args.push('--set', s);
  const values = (opts.helmValues ?? []).map((v) => path.resolve(cwd, v));
  const r = await cachedExec(opts.cache, () => chartKey(dir, helm, args, values), helm, args, cwd, opts.timeoutMs ?? 120_000);
  if (r.code !== 0) {
    const command = ['helm', 'template', opts.releaseName ?? 'release', shown, ...(opts.namespace ? ['--namespace', opts.namespace] : []), ...(opts.helmValues ?? []).flatMap((v) => ['--values', v]), ...(opts.helmSet ?? []).flatMap((v) => ['--set', v])].join(' ');
    return { files: [], problems: [problem(chartFile, 'failed', { tool: 'helm template', command: `\`${command}\``, reason: stderrText(r.stderr) })] };
  }
  let chartName = path.basename(dir);
  try {
    const meta = parseYaml(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { name?: unknown };
    if (typeof meta?.name === 'string') chartName = meta.name;
  } catch {
    // the directory name will do
  }
  const bySource = new Map<string, string[]>();
  for (const doc of r.stdout.split(/^---\s*$/m)) {
    const m = /^# Source: (.+)$/m.exec(doc);
    if (!m || !doc.trim()) continue;
    const src = m[1]!.trim();
    const rel = src.startsWith(`${chartName}/`) ? src.slice(chartName.length + 1) : src;
    bySource.set(rel, [...(bySource.get(rel) ?? []), doc.replace(/^\n+/, '')]);
  }
  const files: SourceFile[] = [];
  for (const [rel, docs] of bySource) {
    // A template of a packed subchart (charts/x.tgz) is no file: name the chart instead.
    const template = readText(path.join(dir, rel));
    const file = path.posix.join(shown, rel);
    const real: SourceFile | undefined = template === undefined ? undefined : { path: file, text: template };
    const parts: RenderedPart[] = [];
    let text = '';
    for (const doc of docs) {
      if (text) text += '---\n';
      const start = text.length;
      text += doc;
      const part: RenderedPart = { range: [start, text.length], file: real ? file : chartFile };
      // The document after its `# Source:` line, found as is in the template: positions map one to one.
      const bodyAt = doc.indexOf('\n') + 1;
      const body = doc.slice(bodyAt).trimEnd();
      const at = real && body ? real.text.indexOf(body) : -1;
      if (real && at >= 0) part.verbatim = { file: real, from: start + bodyAt, at };
      parts.push(part);
    }
    files.push({ path: file, text, rendered: 'helm', parts });
  }
  return { files, problems: [] };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

type SourceDoc = NonNullable<RenderedPart['sources']>[number] & { kind: string; name: string };

/**
 * The documents of the plain files a kustomization builds from (resources, through bases
 * and components) and patches with, by kind and name: where a rendered object came from.
 */
function kustomizeSources(kustFile: string, cwd: string, memo: Map<string, SourceDoc[]>, seen = new Set<string>()): SourceDoc[] {
  if (seen.has(kustFile)) return [];
  seen.add(kustFile);
  let k: Record<string, unknown>;
  try {
    k = (parseYaml(readFileSync(kustFile, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch {
    return [];
  }
  const dir = path.dirname(kustFile);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !/^[a-z]+:\/\//.test(x)) : []);
  const resources: SourceDoc[] = [];
  for (const r of [...strings(k.resources), ...strings(k.bases), ...strings(k.components)]) {
    const abs = path.resolve(dir, r);
    const nested = kustomizationFile(abs);
    resources.push(...(nested ? kustomizeSources(nested, cwd, memo, seen) : docsOf(abs, cwd, memo)));
  }
  const patchFiles = [...strings(k.patchesStrategicMerge), ...(Array.isArray(k.patches) ? k.patches : []).map((p) => (p as { path?: unknown })?.path).filter((p): p is string => typeof p === 'string')];
  const patches = patchFiles.flatMap((p) => docsOf(path.resolve(dir, p), cwd, memo));
  // Patches apply after the resources, the outer kustomization's last: search them first.
  return [...patches.reverse(), ...resources];
}

function docsOf(abs: string, cwd: string, memo: Map<string, SourceDoc[]>): SourceDoc[] {
  const known = memo.get(abs);
  if (known) return known;
  const text = readText(abs);
  if (text === undefined) return [];
  const rel = path.relative(cwd, abs);
  const file: SourceFile = { path: (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs).split(path.sep).join('/'), text };
  const out: SourceDoc[] = [];
  parseAllDocuments(text).forEach((d, docIndex) => {
    const v = d.toJS?.() as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
    if (typeof v?.kind === 'string' && typeof v.metadata?.name === 'string') out.push({ file, docIndex, docRange: [d.range[0], d.range[2]], kind: v.kind, name: v.metadata.name });
  });
  memo.set(abs, out);
  return out;
}

/** Rendered documents with the source documents of the same kind and name. */
function kustomizeParts(text: string, kustFile: string, shownFile: string, cwd: string, memo: Map<string, SourceDoc[]>): RenderedPart[] {
  const sources = kustomizeSources(kustFile, cwd, memo);
  const parts: RenderedPart[] = [];
  for (const d of parseAllDocuments(text)) {
    const v = d.toJS?.() as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
    const same = sources.filter((s) => s.kind === v?.kind && s.name === v?.metadata?.name);
    const resource = same[same.length - 1];
    parts.push({ range: [d.range[0], d.range[2]], file: resource ? resource.file.path : shownFile, sources: same.map(({ file, docIndex, docRange }) => ({ file, docIndex, docRange })) });
  }
  return parts;
}

function isComponent(file: string): boolean {
  try {
    const v = parseYaml(readFileSync(file, 'utf8')) as { kind?: unknown } | null;
    return v?.kind === 'Component';
  } catch {
    return false;
  }
}

/** `kustomize build` (or `kubectl kustomize`) for a kustomization folder. */
export async function renderKustomization(dir: string, shown: string, opts: RenderOptions, cwd: string, memo = new Map<string, SourceDoc[]>()): Promise<Rendered> {
  const file = kustomizationFile(dir)!;
  const shownFile = path.posix.join(shown, path.basename(file));
  // A Component is built only as part of a kustomization that lists it (`components:`);
  // `kustomize build` on it alone always fails, which says nothing about it.
  if (isComponent(file)) return { files: [], problems: [] };
  const kustomize = findOnPath('kustomize');
  const kubectl = opts.kubectl ?? process.env.SVCLINT_KUBECTL ?? findOnPath('kubectl');
  const [cmd, args] = kustomize ? [kustomize, ['build', dir]] : kubectl ? [kubectl, ['kustomize', dir]] : [undefined, []];
  if (!cmd) return { files: [], problems: [problem(shownFile, 'missingTool', { tool: 'kustomize (or kubectl)', hint: `kubectl kustomize ${shown} | svclint -` })] };
  const r = await cachedExec(opts.cache, () => kustomizationKey(dir, file, cmd, args as string[]), cmd, args as string[], cwd, opts.timeoutMs ?? 120_000);
  if (r.code !== 0) {
    const tool = kustomize ? 'kustomize build' : 'kubectl kustomize';
    return { files: [], problems: [problem(shownFile, 'failed', { tool, command: `\`${tool} ${shown}\``, reason: stderrText(r.stderr) })] };
  }
  return { files: [{ path: shownFile, text: r.stdout, rendered: 'kustomize', parts: kustomizeParts(r.stdout, file, shownFile, cwd, memo) }], problems: [] };
}
