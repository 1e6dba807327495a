import { computeRoutes } from '../graph/routes.js';
import { checkOutputFiles } from '../report/write.js';
import { diffRoutes, formatDiff, type DiffFormat, type GraphDiff } from './diff-graph.js';
import { gitTop, requireCommit } from './diff-git.js';
import { loadAtCommit } from './diff-gate.js';
import { emit, load, resolveConfig, type InputOpts } from './lint-command.js';
import { EXIT, type CliIO } from './io.js';


/** The Service-graph change from `rev` to the work tree, both sides loaded with the same inputs and config. */
export async function graphDiff(rev: string, paths: string[], opts: InputOpts, io: CliIO): Promise<{ diff: GraphDiff; inputs: Awaited<ReturnType<typeof load>>['inputs'] }> {
  const top = gitTop(io.cwd, 'svclint diff');
  const commit = requireCommit(top, rev, 'svclint diff');
  const config = await resolveConfig(io, opts);
  const now = await load(paths, { ...opts, errorOnUnmatchedPattern: false }, io, config);
  const before = await loadAtCommit(top, commit, paths, opts, io, config, {}, now);
  const diff = diffRoutes(before ? computeRoutes(before.result.graph) : [], computeRoutes(now.result.graph), { rev, commit });
  return { diff, inputs: now.inputs };
}


/** `svclint diff REV [paths…]`: informational, exit 0 (the lint with --new-from-rev is the gate). */
export async function diffCommand(rev: string, paths: string[], opts: InputOpts & { format: DiffFormat; outputFile?: string }, io: CliIO): Promise<number> {
  const { diff, inputs } = await graphDiff(rev, paths, opts, io);
  checkOutputFiles([opts.outputFile], inputs, io.cwd);
  emit(io, formatDiff(diff, opts.format), opts.outputFile);
  return EXIT.ok;
}
