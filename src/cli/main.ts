import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { FORMATS } from '../report/index.js';
import { computeRoutes } from '../graph/routes.js';
import { checkOutputFiles } from '../report/write.js';
import { formatRules, RULE_FORMATS, type RuleFormat } from './rules-list.js';
import { UsageError, systemErrorText } from '../errors.js';
import { RULES } from '../../rules/index.js';
import { VERSION } from '../version.js';
import type { DoctorCliOptions } from './doctor.js';
import { ArgumentError, EXIT, useColor, type CliIO } from './io.js';
import { collect, collectFormat, commonInputOptions, didYouMean, emit, load, pairOutputs, printableConfig, report, reportOptions, resolveConfig, type InputOpts, type ReportOpts } from './lint-command.js';
import { completion, SHELLS } from './completion.js';
import type { GateOpts } from './diff-gate.js';
import { mark, startTiming, timingLine } from '../timing.js';
import { startProgress } from './progress.js';
import { formatRoutes, pairRouteOutputs, routesExitCode, ROUTE_FORMATS, type RouteFormat } from '../report/routes.js';

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
    .option('--new-from-rev <rev>', 'report only the findings the change since this git revision introduces (the revision is linted the same way)')
    .option('--diff-output <file>', 'with --new-from-rev, also write what the change does to each Service there (markdown; JSON for a .json name)')
    .option('--baseline <file>', 'do not report the findings this baseline file lists; report its entries that no longer occur (info)')
    .option('--write-baseline <file>', 'write every finding to this baseline file and exit 0')
    .action(async (paths: string[], opts: InputOpts & ReportOpts & GateOpts & { printConfig?: boolean }) => {
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
      const stopProgress = startProgress(io, opts.format, opts.outputFile);
      let loaded;
      try {
        loaded = await load(paths, opts, io, undefined, pairOutputs(opts.format, opts.outputFile).map((o) => o.file));
      } finally {
        stopProgress();
      }
      if (opts.newFromRev || opts.baseline || opts.writeBaseline || opts.diffOutput) {
        const { gate } = await import('./diff-gate.js');
        const gated = await gate(paths, opts, io, loaded);
        exitCode = gated.wrote !== undefined ? EXIT.ok : report(io, opts, loaded, gated.findings, gated.comparison ? { comparison: gated.comparison } : {});
      } else exitCode = report(io, opts, loaded);
      mark('report');
      io.stderr(timingLine(io.env));
    });

  commonInputOptions(
    program
      .command('routes')
      .description('print the endpoints and VIP routes these manifests would produce, and their DNS names')
      .argument('[paths...]', 'inputs (default: the current folder)'),
  )
    .option('-f, --format <format>', `output format, repeatable: ${ROUTE_FORMATS.join(', ')} (default: text; stylish is text)`, (v: string, prev: RouteFormat[] | undefined) => {
      if (!(ROUTE_FORMATS as readonly string[]).includes(v)) throw new ArgumentError(`unknown format '${v}' (one of: ${ROUTE_FORMATS.join(', ')})`);
      return [...(prev ?? []), v as RouteFormat];
    })
    .option('-o, --output-file <file>', 'write the output of the format in the same position to a file instead of stdout, repeatable', collect)
    .option('--color', 'force colour, also into a pipe')
    .option('--no-color', 'never colour')
    .action(async (paths: string[], opts: InputOpts & { format?: RouteFormat[]; outputFile?: string[]; color?: boolean }) => {
      let outputs;
      try {
        outputs = pairRouteOutputs(opts.format, opts.outputFile);
      } catch (err) {
        throw new ArgumentError((err as Error).message);
      }
      const { inputs, result } = await load(paths, opts, io, undefined, outputs.map((o) => o.file));
      checkOutputFiles(outputs.map((o) => o.file), inputs, io.cwd);
      const routes = computeRoutes(result.graph);
      for (const o of outputs) emit(io, formatRoutes(routes, o.format, !o.file && useColor(io, opts.color)), o.file);
      exitCode = routesExitCode(routes);
    });

  commonInputOptions(
    program
      .command('diff')
      .description('show what the change since a git revision does to each Service: workloads, replicas, ports, DNS names, clients and NetworkPolicy verdicts')
      .argument('<rev>', 'the git revision to compare with (a commit, branch or tag)')
      .argument('[paths...]', 'inputs (default: the current folder)'),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-o, --output-file <file>', 'write to a file instead of stdout')
    .action(async (rev: string, paths: string[], opts: InputOpts & { format: 'text' | 'markdown' | 'json'; outputFile?: string }) => {
      const { diffCommand } = await import('./diff-command.js');
      exitCode = await diffCommand(rev, paths, opts, io);
    });

  program
    .command('doctor')
    .description('explain why live Services have no working backends (read-only: only get and list)')
    .argument('[target]', 'svc/NAME: one Service in depth; deploy/NAME, sts/NAME, ds/NAME or pod/NAME: what that workload dials, link by link')
    .option('-n, --namespace <name>', 'only this namespace (default: the whole cluster)')
    .option('-A, --all-namespaces', 'the whole cluster')
    .option('-l, --selector <labels>', 'only Services with these labels (key=value,key!=value,key,!key)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('--request-timeout <duration>', 'give up on an API request that has not fully answered after this long', '10s')
    .option('--deadline <duration>', 'give up on the whole run after this long (default: 6 × --request-timeout)')
    .option('--max-response-size <size>', 'largest API answer read, like 256Mi; all answers of a run together may take twice that', '256Mi')
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
    startTiming(io.env);
    mark('startup');
    const { preCommit } = await import('./precommit.js');
    exitCode = await preCommit(files, opts, io);
    mark('report');
    io.stderr(timingLine(io.env));
  });

  program
    .command('completion')
    .description(`print a shell completion script: ${SHELLS.join(', ')}`)
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      io.stdout(completion(shell, program, RULES.map((r) => r.meta.id)));
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
  const { doctorCommand } = await import('./doctor.js');
  return doctorCommand(target, opts, io, mark);
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
    process.stderr.write(`svclint: cannot write to standard output: ${systemErrorText(e)}; the report is lost\n`);
    process.exit(EXIT.error);
  });
  const code = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: out,
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  });
  process.exitCode = code;
}
