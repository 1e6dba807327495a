import type { Finding } from './types/finding.js';
import type { ServiceGraph } from './types/graph.js';
import type { SourceFile } from './types/source.js';
import type { LoadProblem } from './types/problem.js';
import type { Rule } from './types/rule.js';
import type { TextMemo } from './types/memo.js';
import { parseSource, toLoadProblems, type ParsedFile } from './load/parse.js';
import type { ParseResult } from './load/parse-pool.js';
import { toObjects } from './load/objects.js';
import { kustomizePatchFiles } from './load/kustomize.js';
import { placeByGitOps } from './load/gitops.js';
import { buildGraph } from './graph/index.js';
import { runRules, runRulesWith } from './engine/engine.js';
import type { Locator } from './engine/locate-pool.js';
import { defaultConfig, type Config } from './engine/config.js';
import { RULES } from '../rules/index.js';
import { mark } from './timing.js';

export interface LintInput {
  files: SourceFile[];
  /** Parse results in the files' order (from parseAll); parsed here when absent. */
  parsed?: ParseResult[];
  problems?: LoadProblem[];
  config?: Config;
  /** Overrides config.namespace. */
  namespace?: string;
  /** The input is a cluster's live state (svclint doctor --from). */
  live?: boolean;
  rules?: readonly Rule[];
  /** Where pure functions of a text keep their results across runs (the parse cache): it changes no finding. */
  memo?: TextMemo;
}

export interface LintResult {
  graph: ServiceGraph;
  findings: Finding[];
}

/** The pure part of a run: source files in, graph and findings out. */
export function buildFromFiles(input: LintInput): ServiceGraph {
  const config = input.config ?? defaultConfig();
  const problems = [...(input.problems ?? [])];
  const parsed: ParsedFile[] = [];
  input.files.forEach((file, i) => {
    const r = input.parsed?.[i] ?? parseSource(file);
    parsed.push({ file, docs: r.docs });
    problems.push(...toLoadProblems(file, r.problems));
  });
  const defaultNamespace = input.namespace ?? config.namespace ?? 'default';
  const patches = kustomizePatchFiles(parsed);
  const objects = toObjects(patches.size ? parsed.filter((p) => !patches.has(p.file.path)) : parsed, { defaultNamespace, namespaceGiven: input.namespace !== undefined || config.namespace !== undefined });
  // A Flux Kustomization's targetNamespace or an Argo CD Application's destination decides where a folder lands.
  if (!input.live) placeByGitOps(objects);
  const graph = buildGraph(objects, { clusterDomain: config.clusterDomain, ...(config.clusterDomainGiven ? { clusterDomainGiven: true } : {}), defaultNamespace, kubernetesVersion: config.kubernetesVersion, live: input.live, ...(config.networkPolicy ? { networkPolicy: config.networkPolicy } : {}) }, problems, input.files);
  if (input.memo) graph.memo = input.memo;
  return graph;
}

export function lint(input: LintInput): LintResult {
  const graph = buildFromFiles(input);
  mark('graph');
  const findings = runRules(graph, input.rules ?? RULES, input.config ?? defaultConfig());
  mark('rules');
  return { graph, findings };
}

/**
 * lint(), with positions found by `locator` (a worker thread on large runs: see
 * locate-pool.ts); the findings are the same.
 */
export async function lintWith(input: LintInput, locator: Locator): Promise<LintResult> {
  let graph: ServiceGraph;
  try {
    graph = buildFromFiles(input);
  } catch (err) {
    await locator.settle();
    throw err;
  }
  mark('graph');
  const findings = await runRulesWith(graph, input.rules ?? RULES, input.config ?? defaultConfig(), locator);
  mark('order');
  return { graph, findings };
}

/** Lints YAML text, as a library call or from tests. */
export function lintText(text: string, path = '<input>', opts: Omit<LintInput, 'files'> = {}): LintResult {
  return lint({ ...opts, files: [{ path, text }] });
}
