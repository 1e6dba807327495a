import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';

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
}

interface Rendered {
  files: SourceFile[];
  problems: LoadProblem[];
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

function firstError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /^error/i.test(l)) ?? lines[0] ?? 'no output').slice(0, 400);
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
  const r = await exec(helm, args, cwd, opts.timeoutMs ?? 120_000);
  if (r.code !== 0) return { files: [], problems: [problem(chartFile, 'failed', { tool: 'helm template', reason: firstError(r.stderr) })] };
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
    const file = path.posix.join(shown, rel);
    bySource.set(file, [...(bySource.get(file) ?? []), doc.replace(/^\n+/, '')]);
  }
  return {
    files: [...bySource].map(([file, docs]) => ({ path: file, text: docs.join('---\n'), rendered: 'helm' as const })),
    problems: [],
  };
}

/** `kustomize build` (or `kubectl kustomize`) for a kustomization folder. */
export async function renderKustomization(dir: string, shown: string, opts: RenderOptions, cwd: string): Promise<Rendered> {
  const file = kustomizationFile(dir)!;
  const shownFile = path.posix.join(shown, path.basename(file));
  const kustomize = findOnPath('kustomize');
  const kubectl = opts.kubectl ?? process.env.SVCLINT_KUBECTL ?? findOnPath('kubectl');
  const [cmd, args] = kustomize ? [kustomize, ['build', dir]] : kubectl ? [kubectl, ['kustomize', dir]] : [undefined, []];
  if (!cmd) return { files: [], problems: [problem(shownFile, 'missingTool', { tool: 'kustomize (or kubectl)', hint: `kubectl kustomize ${shown} | svclint -` })] };
  const r = await exec(cmd, args as string[], cwd, opts.timeoutMs ?? 120_000);
  if (r.code !== 0) return { files: [], problems: [problem(shownFile, 'failed', { tool: kustomize ? 'kustomize build' : 'kubectl kustomize', reason: firstError(r.stderr) })] };
  return { files: [{ path: shownFile, text: r.stdout, rendered: 'kustomize' }], problems: [] };
}
