import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { discover } from '../load/discover.js';
import { lint } from '../lint.js';
import { parseAll } from '../load/parse-pool.js';
import { defaultConfig, findConfig, loadConfig, type Config } from '../engine/config.js';
import { format, FORMATS, countBySeverity, type Format } from '../report/index.js';
import { computeRoutes, formatRoutesText } from '../graph/routes.js';
import { formatRules, RULE_FORMATS, type RuleFormat } from './rules-list.js';
import { UsageError } from '../errors.js';
import { InternalError } from '../engine/engine.js';
import { severityRank, type Severity } from '../types/finding.js';
import { RULES } from '../../rules/index.js';
import { VERSION } from '../version.js';
import type { DoctorOptions } from './doctor.js';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../kubernetes.js';

/** Exit codes: documented in the README. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  readStdin?: () => Promise<string>;
}

function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

async function configFor(io: CliIO, file: string | undefined): Promise<Config> {
  const found = file ?? findConfig(io.cwd);
  return found ? loadConfig(file ? path.resolve(io.cwd, file) : found, RULES.map((r) => r.meta)) : defaultConfig();
}

interface InputOpts {
  helmValues?: string[];
  helmSet?: string[];
  helmRelease?: string;
  render?: boolean;
  config?: string;
  namespace?: string;
  clusterDomain?: string;
  kubernetesVersion?: string;
}

async function load(paths: string[], opts: InputOpts, io: CliIO) {
  const config = await configFor(io, opts.config);
  if (opts.clusterDomain) config.clusterDomain = opts.clusterDomain;
  if (opts.kubernetesVersion) config.kubernetesVersion = opts.kubernetesVersion;
  const inputs = paths.length ? paths : ['.'];
  const render = opts.render === false ? false : { helmValues: opts.helmValues, helmSet: opts.helmSet, releaseName: opts.helmRelease, namespace: opts.namespace ?? config.namespace };
  const found = await discover(inputs, { cwd: io.cwd, ignore: config.ignore, ignoreBase: config.base, readStdin: io.readStdin, render });
  const parsed = await parseAll(found.files);
  const result = lint({ files: found.files, parsed, problems: found.problems, config, namespace: opts.namespace });
  return { config, found, result };
}

function emit(io: CliIO, text: string, outputFile: string | undefined): void {
  if (!outputFile) return io.stdout(text);
  try {
    writeFileSync(path.resolve(io.cwd, outputFile), text);
  } catch (err) {
    throw new UsageError(`cannot write ${outputFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// Repeatable options start undefined (so help shows no "(default: [])").
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectFormat(value: string, previous: Format[] | undefined): Format[] {
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`unknown format '${value}' (one of: ${FORMATS.join(', ')})`);
  return [...(previous ?? []), value as Format];
}

/** Formats and output files pair up by position; at most one format goes to stdout. */
export function pairOutputs(formats: Format[] = [], files: string[] = []): { format: Format; file?: string }[] {
  const fs: Format[] = formats.length ? formats : ['stylish'];
  if (files.length > fs.length) throw new UsageError(`${files.length} --output-file for ${fs.length} --format; give one --format per --output-file`);
  const out = fs.map((format, i) => ({ format, file: files[i] }));
  if (out.filter((o) => !o.file).length > 1) throw new UsageError('only one --format can go to stdout; give the others an --output-file');
  return out;
}

function commonInputOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: .svclint.yaml in this folder or a parent)')
    .option('-n, --namespace <name>', 'namespace of objects that set none (default: config, else "default")')
    .option('--cluster-domain <domain>', 'cluster DNS domain (default: config, else "cluster.local")')
    .option('--helm-values <file>', 'values file for the Helm charts found in folders, repeatable', collect)
    .option('--helm-set <key=value>', 'value for the Helm charts found in folders, repeatable', collect)
    .option('--helm-release <name>', 'release name for helm template', 'release')
    .option('--no-render', 'lint the raw files of Helm charts and kustomizations instead of rendering them')
    .addOption(new Option('--kubernetes-version <version>', `Kubernetes version whose API schemas apply (default: config, else ${DEFAULT_KUBERNETES_VERSION})`).choices([...KUBERNETES_VERSIONS]));
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('svclint')
    .description('Find why Kubernetes Services do not work: selectors, endpoints, ports and DNS.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run svclint --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  commonInputOptions(
    program
      .command('lint', { isDefault: true })
      .description('lint manifests: files, folders (.yaml, .yml, .json), globs, or - for stdin')
      .argument('[paths...]', 'inputs (default: the current folder)'),
  )
    .option('-f, --format <format>', `output format, repeatable: ${FORMATS.join(', ')} (default: stylish)`, collectFormat)
    .option('-o, --output-file <file>', 'write the report of the format in the same position to a file, repeatable', collect)
    .addOption(new Option('--fail-level <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']))
    .option('--color', 'force colour')
    .option('--no-color', 'never colour')
    .action(async (paths: string[], opts: InputOpts & { format?: Format[]; outputFile?: string[]; failLevel?: Severity; color?: boolean }) => {
      if (opts.namespace && !NAMESPACE_RE.test(opts.namespace)) throw new UsageError(`--namespace '${opts.namespace}' is not a valid namespace name`);
      const outputs = pairOutputs(opts.format, opts.outputFile);
      const { config, found, result } = await load(paths, opts, io);
      const counts = countBySeverity(result.findings);
      const sources = new Map(found.files.map((f) => [f.path, f.text]));
      const summary = {
        errors: counts.error,
        warnings: counts.warning,
        infos: counts.info,
        files: found.files.length + found.problems.filter((p) => !p.file).length,
        objects: result.graph.objects.length,
        services: result.graph.services.length,
      };
      // Only the markdown summary draws the graph: compute its routes only then.
      const routes = outputs.some((o) => o.format === 'markdown') ? computeRoutes(result.graph) : undefined;
      const input = { findings: result.findings, summary, sources, rules: RULES.map((r) => r.meta), routes, env: io.env, cwd: io.cwd };
      for (const out of outputs) emit(io, format(out.format, input, { color: !out.file && useColor(io, opts.color) }), out.file);
      const fail = opts.failLevel ?? config.failLevel ?? 'error';
      exitCode = result.findings.some((f) => severityRank(f.severity) >= severityRank(fail)) ? EXIT.findings : EXIT.ok;
    });

  commonInputOptions(
    program
      .command('routes')
      .description('print the endpoints and VIP routes these manifests would produce, and their DNS names')
      .argument('[paths...]', 'inputs (default: the current folder)'),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output-file <file>', 'write to a file instead of stdout')
    .action(async (paths: string[], opts: InputOpts & { format: 'text' | 'json'; outputFile?: string }) => {
      const { result } = await load(paths, opts, io);
      const routes = computeRoutes(result.graph);
      emit(io, opts.format === 'json' ? `${JSON.stringify({ version: 1, services: routes }, null, 2)}\n` : formatRoutesText(routes), opts.outputFile);
    });

  program
    .command('doctor')
    .description('explain why live Services have no working backends (read-only: only get and list)')
    .argument('[target]', 'svc/NAME: one Service in depth')
    .option('-n, --namespace <name>', 'only this namespace (default: the whole cluster)')
    .option('-A, --all-namespaces', 'the whole cluster')
    .option('-l, --selector <labels>', 'only Services with these labels (key=value,key!=value,key,!key)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('--request-timeout <duration>', 'give up on an API request that has not fully answered after this long', '10s')
    .option('--deadline <duration>', 'give up on the whole run after this long (default: 6 × --request-timeout)')
    .option('--max-response-size <size>', 'largest API answer read, like 256Mi', '256Mi')
    .option('--from <file>', 'a saved cluster state (kubectl get ... -o yaml) instead of a live cluster; - for stdin')
    .option('-f, --filename <path>', 'local manifests to lay over the live state: what breaks if you apply them? repeatable', collect)
    .option('-c, --config <file>', 'config file (default: .svclint.yaml in this folder or a parent)')
    .option('--cluster-domain <domain>', 'cluster DNS domain (default: config, else "cluster.local")')
    .option('--format <format>', `output format, repeatable: ${FORMATS.join(', ')} (default: stylish; with svc/NAME, a chain view)`, collectFormat)
    .option('-o, --output-file <file>', 'write the report of the format in the same position to a file, repeatable', collect)
    .addOption(new Option('--fail-level <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']))
    .action(async (target: string | undefined, opts: DoctorCliOptions) => {
      exitCode = await doctorAction(target, opts, io);
    });

  program
    .command('rules')
    .description('list every rule with its id, category, default severity and description')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...RULE_FORMATS]).default('text'))
    .action((opts: { format: RuleFormat }) => {
      io.stdout(formatRules(RULES.map((r) => r.meta), opts.format));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (err instanceof UsageError) {
      io.stderr(`svclint: ${err.message}\n`);
      return EXIT.error;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr(`svclint: internal error: ${msg}${err instanceof InternalError ? '' : ''}; please report it with the input that caused it\n`);
    if (io.env.SVCLINT_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return EXIT.error;
  }
}

interface DoctorCliOptions extends DoctorOptions {
  from?: string;
  config?: string;
  clusterDomain?: string;
  format?: Format[];
  outputFile?: string[];
  failLevel?: Severity;
}

async function doctorAction(target: string | undefined, opts: DoctorCliOptions, io: CliIO): Promise<number> {
  const { mark, timingLine } = await import('../doctor/timing.js');
  mark('startup');
  try {
    return await doctorRun(target, opts, io, mark);
  } finally {
    mark('output');
    io.stderr(timingLine(io.env));
  }
}

async function doctorRun(target: string | undefined, opts: DoctorCliOptions, io: CliIO, mark: (phase: string) => void): Promise<number> {
  const { doctorLive, selectFindings } = await import('./doctor.js');
  const { chainView } = await import('../doctor/chain.js');
  mark('modules');
  let svcTarget: { namespace: string; name: string } | undefined;
  if (target) {
    const m = /^(?:svc|service|services)\/([a-z0-9-]+)$/.exec(target);
    if (!m) throw new UsageError(`'${target}' is not svc/NAME`);
    svcTarget = { namespace: opts.namespace ?? 'default', name: m[1]! };
  }
  const config = await configFor(io, opts.config);
  if (opts.clusterDomain) config.clusterDomain = opts.clusterDomain;
  let result;
  let files = 0;
  let sources = new Map<string, string>();
  if (opts.from) {
    const found = await discover([opts.from], { cwd: io.cwd, ignore: [], readStdin: io.readStdin, render: false });
    // Parsed in the worker pool, as the lint does: a big saved state is one big document.
    const parsed = await parseAll(found.files);
    const r = lint({ files: found.files, parsed, problems: found.problems, config, namespace: opts.namespace, live: true });
    result = { graph: r.graph, findings: r.findings, requests: 0 };
    files = found.files.length;
    sources = new Map(found.files.map((f) => [f.path, f.text]));
  } else {
    result = await doctorLive(opts, config, io);
    files = result.files?.length ?? 0;
    sources = new Map((result.files ?? []).map((f) => [f.path, f.text]));
  }
  const findings = selectFindings(result, { selector: opts.selector, target: svcTarget, namespace: opts.allNamespaces ? undefined : opts.namespace });
  const fail = opts.failLevel ?? config.failLevel ?? 'error';
  const code = findings.some((f) => severityRank(f.severity) >= severityRank(fail)) ? EXIT.findings : EXIT.ok;
  if (svcTarget && !opts.format?.length) {
    const svc = result.graph.service(svcTarget.namespace, svcTarget.name);
    if (!svc) throw new UsageError(`no Service ${svcTarget.namespace}/${svcTarget.name} (give its namespace with -n)`);
    io.stdout(chainView(result.graph, svc, result.findings));
    const unread = 'gaps' in result ? (result.gaps ?? []).filter((g) => !g.namespace || g.namespace === svc.object.namespace) : [];
    if (unread.length) io.stdout(`  ! not checked, could not be read: ${[...new Set(unread.map((g) => g.kind))].join(', ')}\n`);
    return code;
  }
  const counts = countBySeverity(findings);
  const notChecked = [...new Set(('gaps' in result ? result.gaps ?? [] : []).map((g) => `${g.kind}${g.namespace ? ` in ${g.namespace}` : ''}`))];
  const summary = { errors: counts.error, warnings: counts.warning, infos: counts.info, files, objects: result.graph.objects.length, services: result.graph.services.length, ...(notChecked.length ? { notChecked } : {}) };
  const outputs = pairOutputs(opts.format, opts.outputFile);
  const routes = outputs.some((o) => o.format === 'markdown') ? computeRoutes(result.graph) : undefined;
  const input = { findings, summary, sources, rules: RULES.map((r) => r.meta), routes, env: io.env, cwd: io.cwd };
  for (const out of outputs) emit(io, format(out.format, input, { color: !out.file && useColor(io, undefined) }), out.file);
  return code;
}

/** Entry point of bin/svclint.js. */
export async function main(): Promise<void> {
  const out = (s: string) => {
    process.stdout.write(s);
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const code = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: out,
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
  });
  process.exitCode = code;
}
