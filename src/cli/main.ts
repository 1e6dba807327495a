import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { FORMATS, countBySeverity, format, type Format } from '../report/index.js';
import { computeRoutes, formatRoutesText } from '../graph/routes.js';
import { checkOutputFiles, INPUT, type ReadPath } from '../report/write.js';
import { formatRules, RULE_FORMATS, type RuleFormat } from './rules-list.js';
import { UsageError } from '../errors.js';
import { severityRank, type Severity } from '../types/finding.js';
import { RULES } from '../../rules/index.js';
import { VERSION } from '../version.js';
import type { DoctorOptions } from './doctor.js';
import { ArgumentError, EXIT, useColor, type CliIO } from './io.js';
import { collect, collectFormat, commonInputOptions, didYouMean, emit, load, namedReads, pairOutputs, printableConfig, report, reportOptions, resolveConfig, sourceTexts, type InputOpts, type ReportOpts } from './lint-command.js';
import { completion, SHELLS } from './completion.js';
import { mark, startTiming, timingLine } from '../timing.js';

export { EXIT, type CliIO } from './io.js';
export { pairOutputs } from './lint-command.js';

/** Options that take a value, over every command: to find the subcommand after leading options. */
function valueFlags(program: Command): Set<string> {
  const out = new Set<string>();
  for (const cmd of [program, ...program.commands]) {
    for (const o of cmd.options) if (o.required || o.optional) for (const f of [o.short, o.long]) if (f) out.add(f);
  }
  return out;
}

/** `svclint -n shop routes x` → `svclint routes -n shop x`: options may come before the subcommand. */
export function hoistSubcommand(argv: string[], program: Command): string[] {
  const names = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  const takesValue = valueFlags(program);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      if (!a.includes('=') && takesValue.has(a)) i++;
      continue;
    }
    return names.has(a) && i > 0 ? [a, ...argv.slice(0, i), ...argv.slice(i + 1)] : argv;
  }
  return argv;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('svclint')
    .description('Find why Kubernetes Services do not work: selectors, endpoints, ports and DNS.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(`svclint: ${s.replace(/^error: /, '')}`) });

  const lintCmd = reportOptions(
    commonInputOptions(
      program
        .command('lint', { isDefault: true })
        .description('lint manifests: files, folders (.yaml, .yml, .json), globs, or - for stdin')
        .argument('[paths...]', 'inputs (default: the current folder)'),
    ),
  )
    .option('--print-config', 'print the resolved config (file, command line and rule defaults) as JSON and exit')
    .action(async (paths: string[], opts: InputOpts & ReportOpts & { printConfig?: boolean }) => {
      if (opts.printConfig) {
        io.stdout(`${JSON.stringify(printableConfig(await resolveConfig(io, opts)), null, 2)}\n`);
        return;
      }
      const first = paths[0];
      if (first && !existsSync(path.resolve(io.cwd, first)) && /^[a-z][a-z-]*$/.test(first)) {
        const hint = didYouMean(first, program.commands.map((c) => c.name()));
        if (hint) throw new ArgumentError(`unknown command \`${first}\`${hint}`, '');
      }
      startTiming(io.env);
      mark('startup');
      exitCode = report(io, opts, await load(paths, opts, io, undefined, pairOutputs(opts.format, opts.outputFile).map((o) => o.file)));
      mark('report');
      io.stderr(timingLine(io.env));
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
      const { inputs, result } = await load(paths, opts, io, undefined, [opts.outputFile]);
      checkOutputFiles([opts.outputFile], inputs, io.cwd);
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
    .option('-o, --output-file <file>', 'write the report of the format in the same position to a file, repeatable (-o json and -o yaml, as in kubectl, mean --format json)', collect)
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

  reportOptions(
    commonInputOptions(
      program
        .command('pre-commit')
        .description('the pre-commit hook: lint the repository, report what the staged files break')
        .argument('[files...]', 'the staged files (pre-commit passes them)'),
    ),
  ).action(async (files: string[], opts: InputOpts & ReportOpts) => {
    const { preCommit } = await import('./precommit.js');
    exitCode = await preCommit(files, opts, io);
  });

  program
    .command('completion')
    .description(`print a shell completion script: ${SHELLS.join(', ')}`)
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      io.stdout(completion(shell, program));
    });

  for (const cmd of program.commands) cmd.showHelpAfterError(`run 'svclint ${cmd.name()} --help' for usage`);
  const args = hoistSubcommand(argv, program);
  const current = program.commands.find((c) => c.name() === args[0]) ?? lintCmd;
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (err instanceof UsageError) {
      io.stderr(`svclint: ${err.message}\n`);
      if (err instanceof ArgumentError) io.stderr(`run '${['svclint', err.help ?? current.name()].filter(Boolean).join(' ')} --help' for usage\n`);
      return EXIT.error;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr(`svclint: internal error: ${msg}; please report it with the input that caused it\n`);
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
  startTiming(io.env);
  mark('startup');
  try {
    return await doctorRun(target, opts, io, mark);
  } finally {
    mark('output');
    io.stderr(timingLine(io.env));
  }
}

async function doctorRun(target: string | undefined, opts: DoctorCliOptions, io: CliIO, mark: (phase: string) => void): Promise<number> {
  const { doctorLive, doctorFrom, selectFindings, kubectlOutputHabit, readScope } = await import('./doctor.js');
  const { chainView } = await import('../doctor/chain.js');
  mark('modules');
  let svcTarget: { namespace: string; name: string } | undefined;
  if (target) {
    const m = /^(?:svc|service|services)\/([a-z0-9-]+)$/.exec(target);
    if (!m) throw new UsageError(`'${target}' is not svc/NAME`);
    svcTarget = { namespace: opts.namespace ?? 'default', name: m[1]! };
  }
  kubectlOutputHabit(opts, io);
  const config = await resolveConfig(io, { config: opts.config, clusterDomain: opts.clusterDomain });
  // The files known before the work (config, --from, -f) and, once read, the kubeconfig's.
  const outputFiles = pairOutputs(opts.format, opts.outputFile).map((o) => o.file);
  const reads: ReadPath[] = [...namedReads(config, {}), ...(opts.from ? [{ path: opts.from, what: 'the saved state (--from)' }] : []), ...(opts.filename ?? []).map((f) => ({ path: f, what: INPUT }))];
  const guard = (more: ReadPath[]) => {
    reads.push(...more);
    checkOutputFiles(outputFiles, reads, io.cwd);
  };
  guard([]);
  const result = opts.from ? await doctorFrom(opts.from, opts, config, io) : await doctorLive(opts, config, io, guard);
  const sources = sourceTexts(result.files ?? []);
  guard([...sources.keys()].map((p) => ({ path: p, what: INPUT })));
  const namespace = opts.allNamespaces ? undefined : opts.namespace;
  const findings = selectFindings(result, { selector: opts.selector, target: svcTarget, namespace });
  const fail = opts.failLevel ?? config.failLevel ?? 'error';
  const code = findings.some((f) => severityRank(f.severity) >= severityRank(fail)) ? EXIT.findings : EXIT.ok;
  if (svcTarget && !opts.format?.length) {
    const svc = result.graph.service(svcTarget.namespace, svcTarget.name)!;
    const unread = (result.gaps ?? []).filter((g) => !g.namespace || g.namespace === svc.object.namespace);
    const notRead = unread.length ? `  ! not checked, could not be read: ${[...new Set(unread.map((g) => g.kind))].join(', ')}\n` : '';
    emit(io, chainView(result.graph, svc, result.findings) + notRead, opts.outputFile?.[0]);
    return code;
  }
  const counts = countBySeverity(findings);
  const notChecked = [...new Set((result.gaps ?? []).map((g) => `${g.kind}${g.namespace ? ` in ${g.namespace}` : ''}`))];
  const summary = { errors: counts.error, warnings: counts.warning, infos: counts.info, files: result.files?.length ?? 0, objects: result.graph.objects.length, services: result.graph.services.length, scope: readScope(result, namespace), ...(notChecked.length ? { notChecked } : {}) };
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
  // A pager that was closed (EPIPE) wanted no more; any other failure (a full disk: ENOSPC,
  // EIO) lost the report, which is exit code 2, never success.
  let failed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (failed) return;
    failed = true;
    process.stderr.write(`svclint: cannot write to standard output: ${e.code ?? e.message}; the report is lost\n`);
    process.exit(EXIT.error);
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
