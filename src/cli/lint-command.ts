import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { discover, type DiscoverTrace } from '../load/discover.js';
import { lint, lintWith, type LintResult } from '../lint.js';
import { threadedLocator } from '../engine/locate-pool.js';
import { parseAll, type ParseResult } from '../load/parse-pool.js';
import { openParseCache, parseAllCached } from '../load/cache.js';
import { openRenderCache } from '../load/render-cache.js';
import type { RenderOptions } from '../load/render.js';
import { defaultConfig, DNS1123_SUBDOMAIN_RE, findConfig, loadConfig, type Config, type RuleSetting } from '../engine/config.js';
import { format, FORMATS, countBySeverity, type Format, type Summary } from '../report/index.js';
import { computeRoutes } from '../graph/routes.js';
import { checkOutputFiles, writeReport, type ReadPath, type RunInputs } from '../report/write.js';
import { parseSize } from '../load/read.js';
import { checkRunMemory } from '../load/memory.js';
import { UsageError, systemErrorText } from '../errors.js';
import { severityRank, type Finding, type Severity } from '../types/finding.js';
import { RULES } from '../../rules/index.js';
import { isTypo, plural } from '../text.js';
import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import type { Rule } from '../types/rule.js';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../kubernetes.js';
import { ArgumentError, EXIT, useColor, type CliIO } from './io.js';
import { mark } from '../timing.js';

export interface InputOpts {
  helmValues?: string[];
  helmSet?: string[];
  helmRelease?: string;
  render?: boolean;
  config?: string;
  namespace?: string;
  clusterDomain?: string;
  kubernetesVersion?: string;
  rule?: string[];
  ignorePattern?: string[];
  gitignore?: boolean;
  stdinFilename?: string;
  errorOnUnmatchedPattern?: boolean;
  maxInputBytes?: number;
  /** Keep parse results in the user's cache folder for the next run (src/load/cache.ts). */
  cache?: boolean;
  completeInput?: boolean;
}

export interface ReportOpts {
  format?: Format[];
  outputFile?: string[];
  failLevel?: Severity;
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
}

/**
 * From this many documents on, positions the line scanner cannot find are found on a worker
 * thread while the rules run (locate-pool.ts; the thread starts at the first such position). Measured on two cores: 0.86x the wall time at 100,000 objects, 0.95x at
 * 20,000, even at 10,000, and slower below, where the thread's start costs more than it saves.
 */
export const LOCATE_THREAD_MIN_DOCUMENTS = 10_000;

const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

// Repeatable options start undefined (so help shows no "(default: [])").
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function collectFormat(value: string, previous: Format[] | undefined): Format[] {
  if (!(FORMATS as readonly string[]).includes(value)) throw new ArgumentError(`unknown format '${value}' (one of: ${FORMATS.join(', ')})`);
  return [...(previous ?? []), value as Format];
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new ArgumentError(`--max-warnings wants a whole number, got '${value}'`);
  return Number(value);
}

/** The closest of `names` to `word`, as a "; did you mean …?" tail. */
export function didYouMean(word: string, names: readonly string[]): string {
  const best = names.map((n) => ({ n, d: isTypo(word, n) })).filter((x) => x.d !== undefined).sort((a, b) => a.d! - b.d!)[0];
  return best ? `; did you mean \`${best.n}\`?` : '';
}

/** Formats and output files pair up by position; at most one format goes to stdout. */
export function pairOutputs(formats: Format[] = [], files: string[] = []): { format: Format; file?: string }[] {
  const fs: Format[] = formats.length ? formats : ['stylish'];
  if (files.length > fs.length) throw new ArgumentError(`${files.length} --output-file for ${fs.length} --format; give one --format per --output-file`);
  const out = fs.map((format, i) => ({ format, file: files[i] }));
  if (out.filter((o) => !o.file).length > 1) throw new ArgumentError('only one --format can go to stdout; give the others an --output-file');
  return out;
}

function sizeOption(value: string): number {
  const n = parseSize(value);
  if (n === undefined) throw new ArgumentError(`'${value}' is not a size (like 512MiB, 2GB or a number of bytes)`);
  return n;
}

export function commonInputOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: .svclint.yaml in this folder or a parent)')
    .option('-n, --namespace <name>', 'namespace of objects that set none (default: config, else "default")')
    .option('--cluster-domain <domain>', 'cluster DNS domain (default: config, else "cluster.local")')
    .option('--rule <id=severity>', 'set a rule to error, warning, info or off, over the config; repeatable', collect)
    .option('--helm-values <file>', 'values file for the Helm charts found in folders, repeatable', collect)
    .option('--helm-set <key=value>', 'value for the Helm charts found in folders, repeatable', collect)
    .option('--helm-release <name>', 'release name for helm template', 'release')
    .option('--no-render', 'lint the raw files of Helm charts and kustomizations instead of rendering them')
    .option('--ignore-pattern <pattern>', 'leave out files matching this pattern (.gitignore syntax, relative to the working directory); repeatable', collect)
    .option('--no-gitignore', 'in folders, do not leave out what .gitignore files ignore (.svclintignore still applies)')
    .option('--stdin-filename <name>', 'the file name to show for input read from - (stdin)')
    .option('--complete-input', 'the inputs hold every manifest of the namespaces they deploy: a missing Service or pod is an error, not info (default: config completeInput, else off)')
    .option('--max-input-bytes <size>', 'stop with exit code 2 when the inputs are larger than this in total (default: config, else 512MiB)', sizeOption)
    .option('--cache', "keep parsed files and Helm/kustomize renders in the user's cache folder ($XDG_CACHE_HOME/svclint or ~/.cache/svclint) to make the next run faster")
    .option('--no-error-on-unmatched-pattern', 'no error when a glob matches no file or the inputs hold no Kubernetes object (CI that lints changed files)')
    .addOption(new Option('--kubernetes-version <version>', `Kubernetes version whose API schemas apply (default: config, else ${DEFAULT_KUBERNETES_VERSION})`).choices([...KUBERNETES_VERSIONS]));
}

export function reportOptions(cmd: Command): Command {
  return cmd
    .option('-f, --format <format>', `output format, repeatable: ${FORMATS.join(', ')} (default: stylish)`, collectFormat)
    .option('-o, --output-file <file>', 'write the report of the format in the same position to a file, repeatable', collect)
    .addOption(new Option('--fail-level <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']))
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', count)
    .option('-q, --quiet', 'report errors only')
    .option('--color', 'force colour, also into a pipe')
    .option('--no-color', 'never colour');
}

/** `a=b,c.d=e` as `helm template --set` reads it: every comma-separated part needs a key and `=`. */
function checkHelmSet(value: string): void {
  // Commas inside `{a,b}` (a list) belong to the value.
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  for (const part of parts) {
    if (!/^[^=\s][^=]*=/.test(part)) throw new ArgumentError(`--helm-set '${value}' is not key=value[,key=value] (as helm template --set takes it)`);
  }
}

/** Renderer arguments are checked before anything renders: a bad one is a usage error, not a finding. */
function checkRenderOptions(opts: InputOpts, cwd: string): void {
  for (const f of opts.helmValues ?? []) if (!existsSync(path.resolve(cwd, f))) throw new ArgumentError(`--helm-values: no such file '${f}'`);
  for (const s of opts.helmSet ?? []) checkHelmSet(s);
}

/** The config file, then the command line over it. */
export async function resolveConfig(io: CliIO, opts: InputOpts): Promise<Config> {
  const found = opts.config ? path.resolve(io.cwd, opts.config) : findConfig(io.cwd);
  const config = found ? await loadConfig(found, RULES.map((r) => r.meta)) : defaultConfig();
  if (opts.clusterDomain) {
    if (!DNS1123_SUBDOMAIN_RE.test(opts.clusterDomain) || opts.clusterDomain.length > 253) throw new ArgumentError(`--cluster-domain '${opts.clusterDomain}' is not a DNS domain (lowercase labels of letters, digits and -, separated by dots)`);
    config.clusterDomain = opts.clusterDomain;
    config.clusterDomainGiven = true;
  }
  if (opts.completeInput) config.completeInput = true;
  if (opts.kubernetesVersion) config.kubernetesVersion = opts.kubernetesVersion;
  if (opts.namespace) {
    if (!NAMESPACE_RE.test(opts.namespace)) throw new ArgumentError(`--namespace '${opts.namespace}' is not a valid namespace name`);
    config.namespace = opts.namespace;
  }
  const ids = RULES.map((r) => r.meta.id);
  for (const r of opts.rule ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(r);
    if (!m) throw new ArgumentError(`--rule '${r}' is not id=severity (error, warning, info or off)`);
    const [, id, setting] = m as unknown as [string, string, string];
    if (!ids.includes(id)) throw new ArgumentError(`--rule: unknown rule '${id}'${didYouMean(id, ids)} (see 'svclint rules')`);
    if (!(SETTINGS as readonly string[]).includes(setting)) throw new ArgumentError(`--rule ${id}: '${setting}' is not one of ${SETTINGS.join(', ')}`);
    config.rules[id] = { ...config.rules[id], severity: setting as RuleSetting };
  }
  return config;
}

/** The resolved config as --print-config shows it: every rule with the severity it will have. */
export function printableConfig(config: Config): Record<string, unknown> {
  const rules = Object.fromEntries(RULES.map((r) => {
    const c = config.rules[r.meta.id];
    const severity = c?.severity ?? r.meta.severity;
    return [r.meta.id, c?.options ? { severity, options: c.options } : severity];
  }));
  return {
    ...(config.file ? { file: config.file } : {}),
    namespace: config.namespace ?? 'default',
    clusterDomain: config.clusterDomain,
    kubernetesVersion: config.kubernetesVersion,
    failLevel: config.failLevel ?? 'error',
    completeInput: config.completeInput === true,
    ignore: config.ignore,
    rules,
  };
}

export interface Loaded {
  config: Config;
  files: SourceFile[];
  problems: number;
  /** What was read, so that no report is written over an input. */
  inputs: RunInputs;
  result: LintResult;
  /** Parse results in the files' order (a second load of another tree reuses those of unchanged files). */
  parsed: ParseResult[];
  /** With the parse cache: each file's key there (a hash of its text), in the files' order. */
  keys?: string[];
  /** What the inputs gave and how, when asked for (the pre-commit hook derives HEAD's inputs from it). */
  trace?: DiscoverTrace;
  /** The load problems as discovery gave them (those of files included). */
  loadProblems: LoadProblem[];
}

/** Parse results of `files`, taken from `earlier` for a file of the same path and text (the base and head of a change share most files); with keys, their parse cache keys. */
async function parseReusing(files: SourceFile[], earlier: Pick<Loaded, 'files' | 'parsed' | 'keys'> | undefined, parse: (files: SourceFile[], keys?: string[]) => Promise<ParseResult[]>, keys?: string[]): Promise<ParseResult[]> {
  if (!earlier) return parse(files, keys);
  const known = new Map(earlier.files.map((f, i) => [f.path, { text: f.text, parsed: earlier.parsed[i]!, key: earlier.keys?.[i] }]));
  const out: (ParseResult | undefined)[] = files.map((f, i) => {
    const k = known.get(f.path);
    if (!k || k.text !== f.text) return undefined;
    if (keys) {
      if (k.key === undefined) return undefined;
      keys[i] = k.key;
    }
    return k.parsed;
  });
  const missing = files.filter((_, i) => !out[i]);
  const missingKeys: string[] | undefined = keys ? [] : undefined;
  const fresh = missing.length ? await parse(missing, missingKeys) : [];
  let j = 0;
  return out.map((r, i) => {
    if (r) return r;
    if (keys) keys[i] = missingKeys![j]!;
    return fresh[j++]!;
  });
}

/**
 * Parses the files a discovery gave (reusing `earlier`'s results for files of the same path
 * and text) and lints them under `config`: every rule, or only `rules`.
 */
export async function lintFound(files: SourceFile[], problems: LoadProblem[], config: Config, opts: Pick<InputOpts, 'cache'>, env: NodeJS.ProcessEnv, earlier?: Pick<Loaded, 'files' | 'parsed' | 'keys'>, rules?: readonly Rule[]): Promise<{ parsed: ParseResult[]; keys?: string[]; result: LintResult }> {
  const cache = opts.cache ? openParseCache(env) : undefined;
  const keys: string[] | undefined = cache ? [] : undefined;
  const parsed = await parseReusing(files, earlier, cache ? (fs, k) => parseAllCached(fs, cache, k) : (fs) => parseAll(fs), keys);
  mark('parse');
  checkRunMemory(files.reduce((n, f) => n + f.text.length, 0), parsed);
  if (cache && keys) cache.noteKeys(files, keys);
  const input = { files, parsed, problems, config, ...(rules ? { rules } : {}), ...(cache ? { memo: cache } : {}) };
  const documents = parsed.reduce((n, p) => n + p.docs.length, 0);
  const locator = documents >= LOCATE_THREAD_MIN_DOCUMENTS ? threadedLocator() : undefined;
  const result = locator ? await lintWith(input, locator) : lint(input);
  cache?.save(); // what the rules read through the memo: written only when something is new
  return { parsed, ...(keys ? { keys } : {}), result };
}

/** The files a run reads that are known before it starts: the config file and Helm values. */
export function namedReads(config: Config | undefined, opts: Pick<InputOpts, 'helmValues' | 'render'>): ReadPath[] {
  return [
    ...(config?.file ? [{ path: config.file, what: 'the config file' }] : []),
    ...(opts.render === false ? [] : (opts.helmValues ?? []).map((f) => ({ path: f, what: 'a Helm values file' }))),
  ];
}

/** How a load renders charts and kustomizations (false: it does not). */
export function renderOptions(opts: InputOpts, config: Config, env: NodeJS.ProcessEnv): RenderOptions | false {
  return opts.render === false ? false : { helmValues: opts.helmValues, helmSet: opts.helmSet, releaseName: opts.helmRelease, namespace: config.namespace, kubeVersion: config.kubernetesVersion, ...(opts.cache ? { cache: openRenderCache(env) } : {}) };
}

/**
 * Inputs → source files → graph → findings, under the resolved config. `outputs` are the
 * output files the run will write: refused before the work when they are a file it reads.
 * `earlier`: a load of another tree whose parse results are reused for unchanged files.
 */
export async function load(paths: string[], opts: InputOpts, io: CliIO, config?: Config, outputs: readonly (string | undefined)[] = [], earlier?: Pick<Loaded, 'files' | 'parsed' | 'keys'>, more: { trace?: boolean; rules?: readonly Rule[] } = {}): Promise<Loaded> {
  config ??= await resolveConfig(io, opts);
  mark('config');
  const named = namedReads(config, opts);
  checkOutputFiles(outputs, named, io.cwd);
  if (opts.render !== false) checkRenderOptions(opts, io.cwd);
  const roots = paths.length ? paths : ['.'];
  const render = renderOptions(opts, config, io.env);
  const trace: DiscoverTrace | undefined = more.trace ? { folders: [], reads: new Map(), others: 0 } : undefined;
  const found = await discover(roots, {
    cwd: io.cwd, ignore: config.ignore, ignoreBase: config.base, ignorePatterns: opts.ignorePattern, ignoreFiles: ['.svclintignore'], gitignore: opts.gitignore !== false,
    readStdin: io.readStdin, render, maxInputBytes: opts.maxInputBytes ?? config.maxInputBytes, allowUnmatchedGlobs: opts.errorOnUnmatchedPattern === false,
    listReads: outputs.some((o) => o !== undefined),
    ...(trace ? { trace } : {}),
    ...(opts.cache ? { contentSums: true } : {}),
  });
  const inputs: RunInputs = { ...found, read: [...named, ...(found.read ?? [])] };
  checkOutputFiles(outputs, inputs, io.cwd);
  if (opts.stdinFilename) for (const f of found.files) if (f.path === '<stdin>') f.path = opts.stdinFilename;
  mark('read');
  const { parsed, keys, result } = await lintFound(found.files, found.problems, config, opts, io.env, earlier, more.rules);
  if (opts.errorOnUnmatchedPattern !== false && result.graph.objects.length === 0 && result.findings.length === 0) {
    const hidden = (found.allIgnored ?? []).map((a) => `${a.count} manifest file${a.count === 1 ? '' : 's'} in '${a.input}' ${a.count === 1 ? 'is' : 'are'} left out by .gitignore or .svclintignore (--no-gitignore lints what .gitignore leaves out)`);
    if (hidden.length) throw new UsageError(`no Kubernetes objects found: ${hidden.join('; ')}`);
    throw new UsageError(`no Kubernetes objects found in ${roots.map((i) => (i === '-' ? 'stdin' : `'${i}'`)).join(', ')} (--no-error-on-unmatched-pattern to allow it)`);
  }
  return { config, files: found.files, problems: found.problems.filter((p) => !p.file).length, inputs, result, parsed, ...(keys ? { keys } : {}), loadProblems: found.problems, ...(trace ? { trace } : {}) };
}

export function emit(io: CliIO, text: string, outputFile: string | undefined): void {
  if (!outputFile) return io.stdout(text);
  try {
    writeReport(path.resolve(io.cwd, outputFile), text);
  } catch (err) {
    throw new UsageError(`cannot write ${outputFile}: ${systemErrorText(err)}; name another file with -o`);
  }
}

/**
 * Texts for code frames, by the file names findings carry: a file's own text, and for
 * rendered output the real files positions were mapped to (never the rendered text, whose
 * lines are not the file's).
 */
export function sourceTexts(files: SourceFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    if (!f.rendered) out.set(f.path, f.text);
    for (const p of f.parts ?? []) for (const real of [p.verbatim?.file, p.template?.file, ...(p.sources ?? []).map((x) => x.file)]) if (real) out.set(real.path, real.text);
  }
  return out;
}

/** Writes every requested report of `findings` and returns the exit code. */
export function report(io: CliIO, opts: ReportOpts, loaded: Loaded, findings: Finding[] = loaded.result.findings, extra: Partial<Summary> = {}): number {
  const outputs = pairOutputs(opts.format, opts.outputFile);
  checkOutputFiles(outputs.map((o) => o.file), loaded.inputs, io.cwd);
  const shown = opts.quiet ? findings.filter((f) => f.severity === 'error') : findings;
  const counts = countBySeverity(shown);
  const { graph } = loaded.result;
  const summary = { errors: counts.error, warnings: counts.warning, infos: counts.info, files: loaded.files.length + loaded.problems, objects: graph.objects.length, services: graph.services.length, ...(findings.length > shown.length ? { hidden: findings.length - shown.length } : {}), ...extra };
  // Only the markdown summary draws the graph: compute its routes only then.
  const routes = outputs.some((o) => o.format === 'markdown') ? computeRoutes(graph) : undefined;
  const sources = sourceTexts(loaded.files);
  const input = { findings: shown, summary, sources, rules: RULES.map((r) => r.meta), routes, env: io.env, cwd: io.cwd };
  for (const out of outputs) emit(io, format(out.format, input, { color: !out.file && useColor(io, opts.color) }), out.file);
  const fail = opts.failLevel ?? loaded.config.failLevel ?? 'error';
  if (shown.some((f) => severityRank(f.severity) >= severityRank(fail))) return EXIT.findings;
  const warnings = countBySeverity(findings).warning;
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    io.stderr(`svclint: ${plural(warnings, 'warning')}, more than --max-warnings ${opts.maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}
