import { servedKindVersions } from '../kubernetes.js';
import { templateDocuments } from '../engine/helm-template.js';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { childProcess } from '../lazy-builtins.js';
import type { RenderedPart, SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { chartInputs, kustomizationInputs, toolId, type RenderInputs } from './render-cache.js';
import { DiskView, yamlValue, type FileView, type YamlStore } from './view.js';
import { isRecord } from './objects.js';

export interface RenderOptions {
  /** Values files and --set pairs for every chart (paths relative to the working directory). */
  helmValues?: string[];
  helmSet?: string[];
  releaseName?: string;
  namespace?: string;
  /** The Kubernetes version charts render for (`helm template --kube-version`): their `kubeVersion` and `.Capabilities.KubeVersion`. */
  kubeVersion?: string;
  /** Executables; default: found on PATH (SVCLINT_HELM / SVCLINT_KUBECTL override). */
  helm?: string;
  kubectl?: string;
  timeoutMs?: number;
  /** Renders kept between runs (--cache, the hook): a RenderCache of src/load/render-cache.ts. */
  cache?: RenderStore;
  /** @internal The files renders read and are planned from (default: the file system). */
  view?: FileView;
  /**
   * @internal Where a render whose output is not in the cache runs, when the view is not the
   * file system: given the files its cache key read (undefined: not known), a function that
   * maps a path of the repository to where that file is on disk.
   */
  runAt?: (inputs: readonly string[] | undefined) => (abs: string) => string;
}

/** Where renders are kept by key: the output of a successful render (and, when it can, the YAML values renders are planned from). */
/** What a renderer that ran gave: its exit status (0, or the status it failed with), output and errors. */
export interface RenderOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RenderStore extends Partial<YamlStore> {
  get(key: string): RenderOutput | undefined;
  set(key: string, out: RenderOutput): void;
  save(): void;
}

/** The store's YAML values, when it keeps them. */
export function yamlStore(store: RenderStore | undefined): YamlStore | undefined {
  return store?.getYaml && store.setYaml ? (store as YamlStore) : undefined;
}

/**
 * A render from the cache when its key is known and kept there, else run (and kept unless
 * it was stopped or did not start). `args` are given the function that says where a file of the repository is on
 * disk (opts.runAt; itself when the view is the file system). Returns the key too.
 */
async function cachedExec(opts: RenderOptions, inputs: () => RenderInputs | undefined, cmd: string, args: (at: (abs: string) => string) => string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; key?: string; inputs?: string[]; hit?: boolean; open?: true }> {
  const { cache } = opts;
  const k = cache || opts.runAt ? inputs() : undefined;
  const hit = k && cache ? cache.get(k.key) : undefined;
  if (hit !== undefined) return { ...hit, key: k!.key, inputs: k!.files, hit: true };
  const at = opts.runAt ? opts.runAt(k?.files) : (abs: string) => abs;
  const { killed, ...r } = await exec(cmd, args(at), at(cwd), opts.timeoutMs ?? 120_000);
  // A failure with an exit status is what these inputs give: kept like a success. A stopped render is not, nor one
  // that failed for want of the network (a remote schema or resource: the next run may reach it).
  if (k && cache && !killed && !(r.code !== 0 && OFFLINE.test(r.stderr))) cache.set(k.key, r);
  return { ...r, ...(k ? { key: k.key, inputs: k.files } : {}), ...(!k || killed ? { open: true as const } : {}) };
}

export interface Rendered {
  files: SourceFile[];
  problems: LoadProblem[];
  /** The render's cache key, when one was computed (with a cache): the same key, the same result. */
  key?: string;
  /** The renderer ran without a key (what it read is not known) or was stopped (a timeout, a signal): the same inputs may give another result. */
  open?: true;
  /** With a key: the files it covers (absolute paths), all the render read besides its arguments. */
  inputs?: string[];
}

/**
 * Renders the charts and kustomizations of a folder, a few at a time (each render is a
 * process of its own: `helm` or `kustomize` spends most of its time starting), and returns
 * the results in the order given, charts first, as one render after the other did. The
 * source documents of the bases that several overlays build on are read once.
 */
export async function renderAll(charts: string[], kustomizations: string[], shown: (dir: string) => string, opts: RenderOptions, cwd: string, limit = Math.max(2, Math.min(availableParallelism(), 8))): Promise<Rendered[]> {
  const sources = newSourceMemo();
  if (!opts.view) opts = { ...opts, view: new DiskView(true, yamlStore(opts.cache)) };
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

const DISK = new DiskView();

export function isChartDir(dir: string, view: FileView = DISK): boolean {
  return view.exists(path.join(dir, 'Chart.yaml'));
}

/**
 * A library chart (`type: library` in Chart.yaml) holds only named templates for other charts:
 * Helm refuses to render it on its own ("library charts are not installable"), and the charts
 * that depend on it render its templates.
 */
export function isLibraryChart(dir: string, view: FileView = DISK): boolean {
  const meta = yamlValue(view, path.join(dir, 'Chart.yaml'))?.value as { type?: unknown } | null | undefined;
  return typeof meta === 'object' && meta !== null && meta.type === 'library';
}

export function kustomizationFile(dir: string, view: FileView = DISK): string | undefined {
  return KUSTOMIZATIONS.map((f) => path.join(dir, f)).find((f) => view.exists(f));
}

/** Directories a kustomization builds on (resources, bases, components that are folders). */
export function kustomizationRefs(file: string, view: FileView = DISK): string[] {
  const doc = yamlValue(view, file)?.value;
  if (typeof doc !== 'object' || doc === null) return [];
  const d = doc as Record<string, unknown>;
  const dir = path.dirname(file);
  const out: string[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    for (const r of Array.isArray(d[key]) ? d[key] : []) {
      if (typeof r !== 'string' || /^[a-z]+:\/\//.test(r)) continue;
      const p = path.resolve(dir, r);
      if (kustomizationFile(p, view)) out.push(p);
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

/** Where a renderer is, looked up once per load (its view): a load asks for every folder it renders. */
const found = new WeakMap<FileView, Map<string, string | undefined>>();
function toolOnPath(name: string, opts: RenderOptions): string | undefined {
  if (!opts.view) return findOnPath(name);
  let m = found.get(opts.view);
  if (!m) found.set(opts.view, (m = new Map()));
  const key = `${process.env.PATH ?? ''}\0${name}`;
  if (!m.has(key)) m.set(key, findOnPath(name));
  return m.get(key);
}

function exec(cmd: string, args: string[], cwd: string, timeout: number): Promise<{ code: number; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve) => {
    childProcess().execFile(cmd, args, { cwd, timeout, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown) as { code: number }).code : 1) : 0;
      // Stopped (a timeout, a signal, output over maxBuffer) or not started: nothing says the same inputs fail alike.
      const killed = err !== null && (typeof (err as NodeJS.ErrnoException).code !== 'number' || Boolean((err as { killed?: boolean; signal?: unknown }).killed || (err as { signal?: unknown }).signal));
      resolve({ code, stdout, stderr: stderr || (err ? err.message : ''), killed });
    });
  });
}

/** A tool's words for a fetch that the network kept from happening. */
const OFFLINE = /dial tcp|no such host|Could not resolve host|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable/;

/**
 * A template's `fail` (or `required`) whose message names an API group and version the cluster
 * must serve (`ERROR: You have to deploy monitoring.coreos.com/v1 first`): a chart's
 * `.Capabilities.APIVersions.Has` check, which `helm template` answers from its built-in list.
 */
const API_DEMANDED = /execution error at \([^)]*\): [^|\n]*?\b((?:[a-z0-9-]+\.)+[a-z]{2,}\/v\d+(?:alpha\d+|beta\d+)?)\b[^|\n]*?(?:deploy|install|CRD|API|Capabilit|requir|missing|not (?:found|available|supported))|execution error at \([^)]*\): [^|\n]*?(?:deploy|install|CRD|API|Capabilit|requir|missing|not (?:found|available|supported))[^|\n]*?\b((?:[a-z0-9-]+\.)+[a-z]{2,}\/v\d+(?:alpha\d+|beta\d+)?)\b/i;

/** Helm could not load a schema a values schema refers to, for want of the network. */
const SCHEMA_UNREACHABLE = /failing loading "((?:https?):\/\/[^"]+)"[^]*?(?:dial tcp|no such host|Could not resolve host|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable)/;

/** What kept a URL from being fetched, in words. */
export function networkCause(text: string, url: string): string {
  const host = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?([^/:?]+)/i.exec(url)?.[1] ?? url;
  return /no such host|Could not resolve host/.test(text) ? `its host ${host} does not resolve from here`
    : /connection refused/.test(text) ? `the connection to ${host} was refused`
      : /network is unreachable/.test(text) ? 'the network is unreachable from here'
        : `the connection to ${host} timed out`;
}

function problem(filePath: string, messageId: string, data: Record<string, string>): LoadProblem {
  return { ruleId: 'render-failed', messageId, data, filePath };
}

/** How much of a renderer's stderr a finding keeps: enough for kubectl's multi-line `err=<` blocks. */
export const STDERR_KEPT = 4096;

/** A klog line's header (`E1205 03:00:01.042155   32046 run.go:72] `): its time and process id change with every run. */
const KLOG_HEADER = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\] /;
/** kubectl's structured error line: `"command failed" err="<quoted text>"`, or `err=<` opening a block that ` >` closes. */
const COMMAND_FAILED = /^"command failed" err=(?:"((?:[^"\\]|\\.)*)"|(<))$/;

/**
 * A renderer's error lines as a person reads them: kubectl's log header dropped, and its
 * `"command failed" err=…` wrapper around the error itself taken off (the quoted text
 * unquoted, a `<` … `>` block's lines kept). Other lines are kept as they are.
 */
export function errorLines(stderr: string): string[] {
  const out: string[] = [];
  let block = false;
  for (const raw of stderr.split('\n')) {
    const line = raw.trim().replace(KLOG_HEADER, '');
    const m = COMMAND_FAILED.exec(line);
    if (m?.[2]) {
      block = true;
      continue;
    }
    if (block && line === '>') {
      block = false;
      continue;
    }
    if (m?.[1] !== undefined) {
      // Quoted text may hold line breaks of its own (`\n`): each is a line here too.
      for (const l of (unquote(m[1]) ?? line).split('\n')) if (l.trim()) out.push(l.trim());
      continue;
    }
    if (line) out.push(line);
  }
  return out;
}

/** Go's quoted text (strconv.Quote) where it reads the same as JSON's; undefined for escapes JSON lacks (`\x41`, `\a`). */
function unquote(inner: string): string | undefined {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return undefined;
  }
}

/** The renderer's whole stderr on one line (errorLines() joined by ` | `), bounded to STDERR_KEPT characters. */
export function stderrText(stderr: string): string {
  const text = errorLines(stderr).join(' | ');
  if (text === '') return 'no output';
  return text.length > STDERR_KEPT ? `${text.slice(0, STDERR_KEPT)}… (${text.length - STDERR_KEPT} more characters)` : text;
}

/** The `helm template` command for a chart folder, with its arguments given where files are (undefined: no helm). */
function helmCommand(dir: string, opts: RenderOptions, cwd: string): { helm: string; values: string[]; argsAt: (at: (abs: string) => string) => string[] } | undefined {
  const helm = opts.helm ?? process.env.SVCLINT_HELM ?? toolOnPath('helm', opts);
  if (!helm) return undefined;
  const values = (opts.helmValues ?? []).map((v) => path.resolve(cwd, v));
  const argsAt = (at: (abs: string) => string) => {
    const args = ['template', opts.releaseName ?? 'release', at(dir)];
    if (opts.namespace) args.push('--namespace', opts.namespace);
    if (opts.kubeVersion) args.push('--kube-version', opts.kubeVersion);
    // Helm's offline capabilities lack the aggregation layer's API and every `group/version/Kind`:
    // a chart that asks for them (`.Capabilities.APIVersions.Has "networking.k8s.io/v1/Ingress"`) renders as it would installed.
    for (const v of servedKindVersions()) args.push('--api-versions', v);
    for (const v of values) args.push('--values', at(v));
    for (const s of opts.helmSet ?? []) args.push('--set', s);
    return args;
  };
  return { helm, values, argsAt };
}

/** `kustomize build`, else `kubectl kustomize` (undefined: neither is there). */
function kustomizeCommand(opts: RenderOptions): { cmd: string; verb: string; tool: string } | undefined {
  const kustomize = toolOnPath('kustomize', opts);
  if (kustomize) return { cmd: kustomize, verb: 'build', tool: 'kustomize build' };
  const kubectl = opts.kubectl ?? process.env.SVCLINT_KUBECTL ?? toolOnPath('kubectl', opts);
  return kubectl ? { cmd: kubectl, verb: 'kustomize', tool: 'kubectl kustomize' } : undefined;
}

/** @internal The renderers a load with these options would run, by what identifies them (path, size and time): helm, then kustomize or kubectl. */
export function rendererIds(opts: RenderOptions): string[] {
  const helm = opts.helm ?? process.env.SVCLINT_HELM ?? findOnPath('helm');
  const k = kustomizeCommand(opts);
  return [helm ? `helm ${toolId(helm) ?? helm}` : '-', k ? `${k.tool} ${toolId(k.cmd) ?? k.cmd}` : '-'];
}

/**
 * @internal The cache key the render of a chart (`chart`) or kustomization folder would look
 * up, seen through opts.view, without rendering; undefined when it would look up none (no
 * key, no tool, a Component). Two renders of the same key give the same result.
 */
export function renderKey(dir: string, chart: boolean, opts: RenderOptions, cwd: string): string | undefined {
  const view = opts.view ?? DISK;
  if (chart) {
    const c = helmCommand(dir, opts, cwd);
    return c && chartInputs(dir, c.helm, c.argsAt((abs) => abs), c.values, view)?.key;
  }
  const file = kustomizationFile(dir, view);
  const c = kustomizeCommand(opts);
  if (!file || !c || isComponent(file, view)) return undefined;
  return kustomizationInputs(dir, file, c.cmd, [c.verb, dir], view)?.key;
}

/** A chart's dependencies: Chart.yaml's, or requirements.yaml's for an apiVersion v1 chart. */
export function chartDependencies(dir: string, view: FileView): unknown[] {
  for (const file of ['Chart.yaml', 'requirements.yaml']) {
    const doc = yamlValue(view, path.join(dir, file))?.value as { dependencies?: unknown } | null | undefined;
    if (Array.isArray(doc?.dependencies) && doc!.dependencies.length) return doc!.dependencies;
  }
  return [];
}

/**
 * The dependencies of a chart that its `charts/` folder lacks and that name a folder of the
 * input (`repository: file://../partials`), by the name Helm looks them up by: what `helm
 * dependency build` would copy there, and nothing else (it fetches the others).
 */
function localDependencies(dir: string, view: FileView): { name: string; dir: string }[] {
  const deps = chartDependencies(dir, view);
  const present = (view.list(path.join(dir, 'charts')) ?? []).map((e) => e.name);
  const out: { name: string; dir: string }[] = [];
  for (const d of deps) {
    if (typeof d !== 'object' || d === null) continue;
    const { name, repository } = d as { name?: unknown; repository?: unknown };
    if (typeof name !== 'string' || !/^[\w.-]+$/.test(name) || typeof repository !== 'string' || !repository.startsWith('file://')) continue;
    const from = path.resolve(dir, repository.slice('file://'.length));
    if (!view.exists(path.join(from, 'Chart.yaml'))) continue;
    if (present.some((n) => n === name || (n.startsWith(`${name}-`) && n.endsWith('.tgz')))) continue;
    out.push({ name, dir: from });
  }
  return out;
}

/**
 * The path of a rendered template in the chart's folder, from the path Helm names it by in its
 * `# Source:` comments (relative to the chart). Helm names a subchart by its chart name, or by
 * the `alias` its parent's dependency gives it, not by its folder in `charts/`: each step down is
 * taken to the folder whose `Chart.yaml` has that name (or the dependency's name, for an alias).
 * A subchart with no such folder (a local dependency placed at `charts/<name>` in an assembled
 * copy, a packed `.tgz`) keeps `charts/<name>` and the rest as Helm wrote them.
 */
function templateOnDisk(rel: string, dir: string, view: FileView): string {
  const segs = rel.split('/');
  const out: string[] = [];
  let at = dir;
  let i = 0;
  for (let depth = 0; depth < 16 && segs[i] === 'charts' && i + 2 < segs.length; depth++) {
    const helmName = segs[i + 1]!;
    const deps = chartDependencies(at, view);
    const named = deps.filter(isRecord).find((d) => d.alias === helmName && typeof d.name === 'string');
    const want = typeof named?.name === 'string' ? named.name : helmName;
    let folder: string | undefined;
    for (const e of view.list(path.join(at, 'charts')) ?? []) {
      if (e.kind !== 'dir') continue;
      const name = (yamlValue(view, path.join(at, 'charts', e.name, 'Chart.yaml'))?.value as { name?: unknown } | null | undefined)?.name;
      if (name === want && (folder === undefined || e.name === want)) folder = e.name;
    }
    if (folder === undefined) {
      out.push('charts', named ? want : helmName);
      i += 2;
      break;
    }
    out.push('charts', folder);
    at = path.join(at, 'charts', folder);
    i += 2;
  }
  return [...out, ...segs.slice(i)].join('/');
}

/**
 * A copy of a chart with its local dependencies in `charts/` (theirs too), in a temporary
 * folder, as `helm dependency build` would make it without touching the input. Undefined when
 * there is nothing to add.
 */
function assembleChart(dir: string, view: FileView): { chart: string; root: string; deps: { name: string; dir: string; at: string }[] } | undefined {
  const deps = localDependencies(dir, view);
  if (deps.length === 0) return undefined;
  const root = mkdtempSync(path.join(tmpdir(), 'svclint-chart-'));
  const chart = path.join(root, path.basename(dir));
  const placed: { name: string; dir: string; at: string }[] = [];
  const place = (from: string, to: string, depth: number) => {
    cpSync(from, to, { recursive: true });
    if (depth > 8) return;
    for (const d of localDependencies(from, view)) {
      const at = path.join(to, 'charts', d.name);
      placed.push({ name: d.name, dir: d.dir, at });
      place(d.dir, at, depth + 1);
    }
  };
  try {
    place(dir, chart, 0);
  } catch {
    rmSync(root, { recursive: true, force: true });
    return undefined;
  }
  return { chart, root, deps: placed };
}

/**
 * `helm template` for a chart folder. The output is split by Helm's `# Source:` comments
 * so that findings point at the template each object comes from. Local dependencies
 * (`file://`) that `charts/` lacks are rendered from a temporary copy that holds them.
 */
export async function renderChart(dir: string, shown: string, opts: RenderOptions, cwd: string): Promise<Rendered> {
  const chartFile = path.posix.join(shown, 'Chart.yaml');
  const c = helmCommand(dir, opts, cwd);
  if (!c) {
    return { files: [], problems: [problem(chartFile, 'missingTool', { tool: 'helm', hint: `helm template ${shown} | svclint -` })] };
  }
  const view = opts.view ?? DISK;
  // Only on the file system: a tree seen through another view (a commit) is rendered as it is.
  const assembled = opts.runAt || view !== DISK && !(view instanceof DiskView) ? undefined : assembleChart(dir, view);
  const args = assembled ? (at: (abs: string) => string) => c.argsAt((abs) => (abs === dir ? assembled.chart : at(abs))) : c.argsAt;
  let r: Awaited<ReturnType<typeof cachedExec>>;
  // Two failures say nothing about the chart, and it is rendered again without them, saying so: a
  // values schema that refers to a remote one (`"$ref": "https://…"`) that cannot be fetched from
  // here (`--skip-schema-validation`), and a template that fails unless the cluster serves an API
  // (`.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`: "You have to deploy
  // monitoring.coreos.com/v1 first"), which `helm template` cannot know offline (`--api-versions`).
  let schemaSkipped: { url: string; cause: string } | undefined;
  const apis: string[] = [];
  // A failure that remains is the last render's, with the flags it was given: its error is the chart's own
  // (the values a template demands, once the schema fetch or the API check is out of the way).
  const extra: string[] = [];
  try {
    const run = () => cachedExec(opts, () => {
      const k = chartInputs(dir, c.helm, c.argsAt((abs) => abs), c.values, view);
      return k && extra.length ? { ...k, key: `${k.key}\u0000${extra.join('\u0000')}` } : k;
    }, c.helm, (at) => [...args(at), ...extra], cwd);
    r = await run();
    for (let tries = 0; r.code !== 0 && tries < 4; tries++) {
      const unreachable = schemaSkipped ? null : SCHEMA_UNREACHABLE.exec(r.stderr);
      const demanded = unreachable ? null : API_DEMANDED.exec(r.stderr);
      const api = demanded ? demanded[1] ?? demanded[2] : undefined;
      if (unreachable) extra.push('--skip-schema-validation');
      else if (api && !apis.includes(api)) {
        apis.push(api);
        extra.push('--api-versions', api);
      } else break;
      const retry = await run();
      if (unreachable) schemaSkipped = { url: unreachable[1]!, cause: networkCause(r.stderr, unreachable[1]!) };
      r = retry;
    }
  } finally {
    if (assembled) rmSync(assembled.root, { recursive: true, force: true });
  }
  const key = { ...(r.key !== undefined ? { key: r.key, inputs: r.inputs! } : {}), ...(r.open ? { open: r.open } : {}) };
  if (r.code !== 0) {
    const command = ['helm', 'template', opts.releaseName ?? 'release', shown, ...(opts.namespace ? ['--namespace', opts.namespace] : []), ...(opts.kubeVersion ? ['--kube-version', opts.kubeVersion] : []), ...(opts.helmValues ?? []).flatMap((v) => ['--values', v]), ...(opts.helmSet ?? []).flatMap((v) => ['--set', v]), ...extra].join(' ');
    const reason = stderrText(r.stderr);
    // A chart that demands values often keeps a set for its own CI (`ci/*-values.yaml`, as chart-testing reads them).
    const ciValues = /\bexecution error at \(|values don't meet the specifications of the schema/i.test(reason) ? (view.list(path.join(dir, 'ci')) ?? []).filter((e) => e.kind === 'file' && /\.ya?ml$/.test(e.name)).map((e) => path.posix.join(shown, 'ci', e.name)).sort((a, b) => Number(/\/default[-_.]/.test(b)) - Number(/\/default[-_.]/.test(a)) || (a < b ? -1 : 1)) : [];
    const hint = ciValues.length ? `; the chart keeps values for its tests: --helm-values ${ciValues[0]}${ciValues.length > 1 ? ` (or another of ${ciValues.length} files in ${path.posix.join(shown, 'ci')}/)` : ''}` : '';
    // A chart without values.yaml whose templates read values it does not hold: the file is made at build time (a
    // values.tmpl.yaml filled in by envsubst, ignored by git), or given at install.
    const entries = view.list(dir) ?? [];
    const noValues = /nil pointer evaluating|can't evaluate field|map has no entry for key/.test(reason) && !entries.some((e) => /^values\.ya?ml$/.test(e.name))
      ? entries.find((e) => e.kind === 'file' && /^values\b.*\.(tmpl|tpl|template|in|j2|example|sample)$|^values\.(tmpl|tpl|template|example|sample)\.ya?ml$/.test(e.name))?.name ?? ''
      : undefined;
    return { files: [], problems: [problem(chartFile, 'failed', { tool: 'helm template', command: `\`${command}\``, reason, ...(hint ? { hint } : {}), ...(noValues !== undefined ? { noValues } : {}) })], ...key };
  }
  let chartName = path.basename(dir);
  // The directory name will do when Chart.yaml does not say.
  const meta = yamlValue(view, path.join(dir, 'Chart.yaml'))?.value as { name?: unknown } | null | undefined;
  if (typeof meta?.name === 'string') chartName = meta.name;
  // By the template's file; each document with the `# Source:` it came from (one template of a
  // subchart Helm renders under two aliases is two sources).
  const bySource = new Map<string, { doc: string; src: string }[]>();
  // A template whose text starts with `---` (or holds an empty document) comes out as its
  // `# Source:` line, `---`, then the document: that document is the same template's, and is
  // given its `# Source:` line here (svclint read such a render as one object short).
  let last: string | undefined;
  const onDisk = new Map<string, string>();
  for (const chunk of r.stdout.split(/^---\s*$/m)) {
    if (!chunk.trim()) continue;
    const m = /^# Source: (.+)$/m.exec(chunk);
    if (m) last = m[1]!.trim();
    else if (last === undefined || !/^[^#\s]/m.test(chunk)) continue;
    const src = m ? m[1]!.trim() : last!;
    const doc = m ? chunk.replace(/^\n+/, '') : `# Source: ${src}\n${chunk.replace(/^\n+/, '')}`;
    // The `# Source:` line alone: the document follows after the next `---`.
    if (m && !/^[^#\s]/m.test(doc.slice(doc.indexOf('\n') + 1))) continue;
    // One walk through charts/ per template, not per document (a template may render many).
    let rel = onDisk.get(src);
    if (rel === undefined) onDisk.set(src, (rel = templateOnDisk(src.startsWith(`${chartName}/`) ? src.slice(chartName.length + 1) : src, dir, view)));
    bySource.set(rel, [...(bySource.get(rel) ?? []), { doc, src }]);
  }
  const files: SourceFile[] = [];
  for (const [rel, docs] of bySource) {
    // A template of a local dependency is the dependency's own file; one of a packed subchart
    // (charts/x.tgz) is no file: name the chart instead.
    const dep = assembled?.deps.filter((d) => path.join(dir, rel).startsWith(path.join(dir, path.relative(assembled.chart, d.at)) + path.sep)).sort((a, b) => b.at.length - a.at.length)[0];
    const abs = dep ? path.join(dep.dir, path.relative(path.join(dir, path.relative(assembled!.chart, dep.at)), path.join(dir, rel))) : path.join(dir, rel);
    const template = view.text(abs);
    const file = dep ? path.posix.normalize(path.posix.join(shown, path.relative(dir, abs).split(path.sep).join('/'))) : path.posix.join(shown, rel);
    const real: SourceFile | undefined = template === undefined ? undefined : { path: file, text: template };
    const parts: RenderedPart[] = [];
    let text = '';
    const perSource = new Map<string, number>();
    for (const { src } of docs) perSource.set(src, (perSource.get(src) ?? 0) + 1);
    const seenOf = new Map<string, number>();
    for (const { doc, src } of docs) {
      const index = seenOf.get(src) ?? 0;
      seenOf.set(src, index + 1);
      if (text) text += '---\n';
      const start = text.length;
      text += doc;
      const part: RenderedPart = { range: [start, text.length], file: real ? file : chartFile };
      // The document after its `# Source:` line, found as is in the template: positions map one to one.
      const bodyAt = doc.indexOf('\n') + 1;
      const body = doc.slice(bodyAt).trimEnd();
      const at = real && body ? real.text.indexOf(body) : -1;
      if (real && at >= 0) part.verbatim = { file: real, from: start + bodyAt, at };
      else if (real && templateDocuments(real) === perSource.get(src)) part.template = { file: real, doc: index };
      parts.push(part);
    }
    files.push({ path: file, text, rendered: 'helm', release: opts.releaseName ?? 'release', parts });
  }
  const problems = [
    ...(schemaSkipped ? [problem(chartFile, 'schemaUnreachable', { url: `\`${schemaSkipped.url}\``, cause: schemaSkipped.cause })] : []),
    ...(apis.length ? [problem(chartFile, 'apiAssumed', { apis: apis.map((a) => `\`${a}\``).join(', '), flags: apis.map((a) => `--api-versions ${a}`).join(' ') })] : []),
  ];
  return { files, problems, ...key };
}

type SourceDoc = NonNullable<RenderedPart['sources']>[number] & { kind: string; name: string };

/** Source files read for one set of renders, by absolute path: their documents, and the file itself (shared by every part that names it). */
interface SourceMemo {
  docs: Map<string, SourceDoc[]>;
  files: Map<string, SourceFile | undefined>;
}

const newSourceMemo = (): SourceMemo => ({ docs: new Map(), files: new Map() });

/** A source file as parts name it: its path shown relative to `cwd` when under it. */
function sourceFile(abs: string, cwd: string, memo: SourceMemo, view: FileView): SourceFile | undefined {
  if (memo.files.has(abs)) return memo.files.get(abs);
  const text = view.text(abs);
  const rel = path.relative(cwd, abs);
  const file = text === undefined ? undefined : { path: (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs).split(path.sep).join('/'), text };
  memo.files.set(abs, file);
  return file;
}

/**
 * The documents of the plain files a kustomization builds from (resources, through bases
 * and components) and patches with, by kind and name: where a rendered object came from.
 */
function kustomizeSources(kustFile: string, cwd: string, memo: SourceMemo, view: FileView, seen = new Set<string>()): SourceDoc[] {
  if (seen.has(kustFile)) return [];
  seen.add(kustFile);
  const read = yamlValue(view, kustFile);
  if (!read) return [];
  const k = (read.value ?? {}) as Record<string, unknown>;
  const dir = path.dirname(kustFile);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !/^[a-z]+:\/\//.test(x)) : []);
  const resources: SourceDoc[] = [];
  for (const r of [...strings(k.resources), ...strings(k.bases), ...strings(k.components)]) {
    const abs = path.resolve(dir, r);
    const nested = kustomizationFile(abs, view);
    resources.push(...(nested ? kustomizeSources(nested, cwd, memo, view, seen) : docsOf(abs, cwd, memo, view)));
  }
  const patchFiles = [...strings(k.patchesStrategicMerge), ...(Array.isArray(k.patches) ? k.patches : []).map((p) => (p as { path?: unknown })?.path).filter((p): p is string => typeof p === 'string')];
  const patches = patchFiles.flatMap((p) => docsOf(path.resolve(dir, p), cwd, memo, view));
  // Patches apply after the resources, the outer kustomization's last: search them first.
  return renamed([...patches.reverse(), ...resources], k.namePrefix, k.nameSuffix);
}

/** Kinds kustomize's namePrefix and nameSuffix leave as they are. */
const NOT_RENAMED = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

/**
 * Source documents under the names a kustomization's `namePrefix` and `nameSuffix` give their
 * objects (applied level by level, the outer kustomization's outermost), so that a rendered
 * `prod-api` is found in the base file that writes `api`.
 */
function renamed(docs: SourceDoc[], prefix: unknown, suffix: unknown): SourceDoc[] {
  const p = typeof prefix === 'string' ? prefix : '';
  const x = typeof suffix === 'string' ? suffix : '';
  if (!p && !x) return docs;
  return docs.map((d) => (NOT_RENAMED.has(d.kind) ? d : { ...d, name: `${p}${d.name}${x}` }));
}

function docsOf(abs: string, cwd: string, memo: SourceMemo, view: FileView): SourceDoc[] {
  const known = memo.docs.get(abs);
  if (known) return known;
  const file = sourceFile(abs, cwd, memo, view);
  if (file === undefined) return [];
  const out: SourceDoc[] = [];
  parseAllDocuments(file.text, { logLevel: 'error' }).forEach((d, docIndex) => {
    const v = d.toJS?.() as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
    if (typeof v?.kind === 'string' && typeof v.metadata?.name === 'string') out.push({ file, docIndex, docRange: [d.range[0], d.range[2]], kind: v.kind, name: v.metadata.name });
  });
  memo.docs.set(abs, out);
  return out;
}

/**
 * Parts as the render cache keeps them, beside the output they describe (under the
 * render's key + PARTS): per rendered document its range and, per source document, the
 * file (relative to the kustomization folder), the document's index and range. The key
 * covers every source file's content, so the same key gives the same parts.
 */
const PARTS = ':parts';
type KeptPart = [number, number, [string, number, number, number][]];

function keepParts(parts: RenderedPart[], dir: string, cwd: string): string {
  const kept: KeptPart[] = parts.map((p) => [p.range[0], p.range[1], (p.sources ?? []).map((s) => [path.relative(dir, path.resolve(cwd, s.file.path)).split(path.sep).join('/'), s.docIndex, s.docRange[0], s.docRange[1]])]);
  return JSON.stringify(kept);
}

function keptParts(text: string | undefined, dir: string, cwd: string, shownFile: string, memo: SourceMemo, view: FileView): RenderedPart[] | undefined {
  if (text === undefined) return undefined;
  let kept: unknown;
  try {
    kept = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(kept)) return undefined;
  const int = (n: unknown): n is number => Number.isSafeInteger(n);
  const parts: RenderedPart[] = [];
  for (const p of kept as unknown[]) {
    if (!Array.isArray(p) || p.length !== 3 || !int(p[0]) || !int(p[1]) || !Array.isArray(p[2])) return undefined;
    const sources: NonNullable<RenderedPart['sources']> = [];
    for (const s of p[2] as unknown[]) {
      if (!Array.isArray(s) || s.length !== 4 || typeof s[0] !== 'string' || !int(s[1]) || !int(s[2]) || !int(s[3])) return undefined;
      const file = sourceFile(path.resolve(dir, s[0]), cwd, memo, view);
      if (!file) return undefined;
      sources.push({ file, docIndex: s[1], docRange: [s[2], s[3]] });
    }
    parts.push({ range: [p[0], p[1]], file: sources.length ? sources[sources.length - 1]!.file.path : shownFile, sources });
  }
  return parts;
}

/** Rendered documents with the source documents of the same kind and name. */
function kustomizeParts(text: string, kustFile: string, shownFile: string, cwd: string, memo: SourceMemo, view: FileView): RenderedPart[] {
  const sources = kustomizeSources(kustFile, cwd, memo, view);
  const parts: RenderedPart[] = [];
  for (const d of parseAllDocuments(text, { logLevel: 'error' })) {
    const v = d.toJS?.() as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
    const same = sources.filter((s) => s.kind === v?.kind && s.name === v?.metadata?.name);
    const resource = same[same.length - 1];
    parts.push({ range: [d.range[0], d.range[2]], file: resource ? resource.file.path : shownFile, sources: same.map(({ file, docIndex, docRange }) => ({ file, docIndex, docRange })) });
  }
  return parts;
}

function isComponent(file: string, view: FileView): boolean {
  const v = yamlValue(view, file)?.value as { kind?: unknown } | null | undefined;
  return v?.kind === 'Component';
}

/**
 * The `helmCharts` of a kustomization: each chart's name and whether it is in the folder's chart
 * home (`helmGlobals.chartHome`, `charts/` by default) as `<name>` or `<name>-<version>`, where
 * kustomize inflates it without fetching. Undefined when the file lists none (a base it builds on does).
 */
function helmChartsOf(file: string, view: FileView): { name: string; local: boolean }[] | undefined {
  const v = yamlValue(view, file)?.value as { helmCharts?: unknown; helmGlobals?: { chartHome?: unknown } } | undefined;
  if (!v || !Array.isArray(v.helmCharts) || v.helmCharts.length === 0) return undefined;
  const home = path.resolve(path.dirname(file), typeof v.helmGlobals?.chartHome === 'string' ? v.helmGlobals.chartHome : 'charts');
  return v.helmCharts.map((h: { name?: unknown; version?: unknown }) => {
    const name = typeof h?.name === 'string' ? h.name : '';
    const version = typeof h?.version === 'string' ? h.version : undefined;
    const local = name !== '' && [name, ...(version ? [`${name}-${version}`] : [])].some((d) => view.kind(path.join(home, d, 'Chart.yaml')) === 'file');
    return { name, local };
  });
}

/** `kustomize build` (or `kubectl kustomize`) for a kustomization folder. */
export async function renderKustomization(dir: string, shown: string, opts: RenderOptions, cwd: string, memo = newSourceMemo()): Promise<Rendered> {
  const view = opts.view ?? DISK;
  const file = kustomizationFile(dir, view)!;
  const shownFile = path.posix.join(shown, path.basename(file));
  // A Component is built only as part of a kustomization that lists it (`components:`);
  // `kustomize build` on it alone always fails, which says nothing about it.
  if (isComponent(file, view)) return { files: [], problems: [] };
  const c = kustomizeCommand(opts);
  if (!c) return { files: [], problems: [problem(shownFile, 'missingTool', { tool: 'kustomize (or kubectl)', hint: `kubectl kustomize ${shown} | svclint -` })] };
  let r = await cachedExec(opts, () => kustomizationInputs(dir, file, c.cmd, [c.verb, dir], view), c.cmd, (at) => [c.verb, at(dir)], cwd);
  // `helmCharts:` inflates charts with helm, which kustomize does only when asked (Argo CD and Flux ask). Charts in the
  // folder's chart home are inflated as they do; a chart from a repository would be fetched and written into the
  // tree, which a linter does not do: that failure says so (render-failed, info).
  if (r.code !== 0 && /--enable-helm/.test(r.stderr) && !opts.runAt && view instanceof DiskView) {
    const helm = opts.helm ?? process.env.SVCLINT_HELM ?? toolOnPath('helm', opts);
    const charts = helmChartsOf(file, view);
    if (helm && charts && charts.every((h) => h.local)) {
      // Not cached: kustomize reads the chart home, which the cache key does not follow.
      r = await cachedExec(opts, () => undefined, c.cmd, (at) => [c.verb, '--enable-helm', '--helm-command', helm, at(dir)], cwd);
    } else if (charts) {
      const remote = charts.filter((h) => !h.local).map((h) => h.name);
      return { files: [], problems: [problem(shownFile, 'helmCharts', { tool: c.tool, command: `\`${c.tool} ${shown}\``, charts: remote.length ? remote.map((n) => `\`${n}\``).join(', ') : 'its charts', why: !helm ? 'helm is not installed' : 'they come from a chart repository, which svclint does not fetch (kustomize would write them into the folder)' })] };
    }
  }
  const key = { ...(r.key !== undefined ? { key: r.key, inputs: r.inputs! } : {}), ...(r.open ? { open: r.open } : {}) };
  if (r.code !== 0) {
    return { files: [], problems: [problem(shownFile, 'failed', { tool: c.tool, command: `\`${c.tool} ${shown}\``, reason: stderrText(r.stderr) })], ...key };
  }
  // Where the documents come from is kept beside a cached output: finding it means parsing the output and its sources.
  let parts = r.hit ? keptParts(opts.cache!.get(r.key + PARTS)?.stdout, dir, cwd, shownFile, memo, view) : undefined;
  if (!parts) {
    parts = kustomizeParts(r.stdout, file, shownFile, cwd, memo, view);
    if (r.key !== undefined && opts.cache) opts.cache.set(r.key + PARTS, { code: 0, stdout: keepParts(parts, dir, cwd), stderr: '' });
  }
  return { files: [{ path: shownFile, text: r.stdout, rendered: 'kustomize', parts }], problems: [], ...key };
}
