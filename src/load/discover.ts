import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ignoreFactory from 'ignore';
import type { SourceFile } from '../types/source.js';
import type { LoadProblem } from '../types/problem.js';
import { isChartDir, kustomizationFile, kustomizationRefs, renderChart, renderKustomization, type RenderOptions } from './render.js';
import { UsageError } from '../errors.js';

export const MANIFEST_PATTERNS = ['**/*.yaml', '**/*.yml', '**/*.json', '**/Kustomization'];
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface DiscoverOptions {
  cwd: string;
  /** Globs of files to leave out (.gitignore syntax). */
  ignore: string[];
  /** Folder the ignore globs are relative to; defaults to cwd. */
  ignoreBase?: string;
  /** More patterns to leave out (.gitignore syntax), relative to cwd (--ignore-pattern). */
  ignorePatterns?: string[];
  /** Ignore files honoured in folders, by name (.gitignore syntax), e.g. ['.svclintignore']. */
  ignoreFiles?: string[];
  /** In folders, leave out what .gitignore files ignore (also those of parent folders up to the repository root). */
  gitignore?: boolean;
  maxFileBytes?: number;
  readStdin?: () => Promise<string>;
  /** Render Helm charts and kustomizations found in folders; false lints their raw files. */
  render?: RenderOptions | false;
}

export interface Discovered {
  files: SourceFile[];
  problems: LoadProblem[];
}

function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs).split(path.sep).join('/');
}

async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Turns command-line inputs (files, folders, globs, `-`) into source files.
 * A path that does not exist is a usage error; a file that cannot be read is a problem
 * reported as a finding so that the rest of the input is still linted.
 */
export async function discover(inputs: string[], opts: DiscoverOptions): Promise<Discovered> {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const absFiles: string[] = [];
  const seen = new Set<string>();
  const add = (abs: string) => {
    if (!seen.has(abs)) {
      seen.add(abs);
      absFiles.push(abs);
    }
  };
  const files: SourceFile[] = [];
  const problems: LoadProblem[] = [];
  let stdinUsed = false;
  const isIgnored = makeIgnore(opts);

  // globby is loaded only when a folder or a glob needs it: a single file starts faster.
  const glob = async () => import('globby');
  for (const input of inputs) {
    if (input === '-') {
      if (stdinUsed) continue;
      stdinUsed = true;
      const text = await (opts.readStdin ?? readStdinText)();
      files.push({ path: '<stdin>', text });
      continue;
    }
    const abs = path.resolve(opts.cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (st?.isDirectory()) {
      const { globby } = await glob();
      const found = await globby(MANIFEST_PATTERNS, {
        cwd: abs,
        absolute: true,
        dot: true, // manifests in dot folders count too; non-Kubernetes YAML is skipped later
        ignore: ['**/node_modules/**', '**/.git/**'],
        ...(opts.ignoreFiles?.length ? { ignoreFiles: opts.ignoreFiles.map((n) => `**/${n}`) } : {}),
        gitignore: opts.gitignore ?? false,
        followSymbolicLinks: false,
      });
      const kept = found.sort().filter((f) => !isIgnored(f));
      if (opts.render === false) {
        for (const f of kept) add(f);
      } else {
        const plan = planRender(abs, kept);
        for (const f of plan.raw) add(f);
        for (const dir of plan.charts) {
          const r = await renderChart(dir, displayPath(opts.cwd, dir), opts.render ?? {}, opts.cwd);
          files.push(...r.files);
          problems.push(...r.problems);
        }
        for (const dir of plan.kustomizations) {
          const r = await renderKustomization(dir, displayPath(opts.cwd, dir), opts.render ?? {}, opts.cwd);
          files.push(...r.files);
          problems.push(...r.problems);
        }
      }
    } else if (st) {
      add(abs); // an explicitly named file is read whatever its extension
    } else if ((await glob()).isDynamicPattern(input)) {
      const { globby } = await glob();
      const found = await globby(input, { cwd: opts.cwd, absolute: true, ignore: ['**/node_modules/**'] });
      if (found.length === 0) throw new UsageError(`no files match '${input}'`);
      for (const f of found.sort()) if (!isIgnored(f)) add(f);
    } else {
      throw new UsageError(`no such file or directory: '${input}'`);
    }
  }

  for (const abs of absFiles) {
    const shown = displayPath(opts.cwd, abs);
    try {
      const st = await stat(abs);
      if (st.size > maxBytes) {
        problems.push({ ruleId: 'file-unreadable', messageId: 'tooLarge', filePath: shown, data: { size: st.size, limit: maxBytes } });
        continue;
      }
      const buf = await readFile(abs);
      if (buf.includes(0)) {
        problems.push({ ruleId: 'file-unreadable', messageId: 'binary', filePath: shown, data: {} });
        continue;
      }
      files.push({ path: shown, text: buf.toString('utf8') });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      problems.push({ ruleId: 'file-unreadable', messageId: 'ioError', filePath: shown, data: { code, reason: (err as Error).message } });
    }
  }
  return { files, problems };
}

const under = (root: string, f: string) => f === root || f.startsWith(`${root}${path.sep}`);

/**
 * Which folders to render instead of reading their files: Helm charts (a Chart.yaml; their
 * templates are not YAML until rendered, subcharts render with their parent) and
 * kustomizations that no other kustomization in the input builds on (bases render
 * through their overlays). Everything under a rendered folder is left to the renderer.
 */
export function planRender(root: string, files: string[]): { raw: string[]; charts: string[]; kustomizations: string[] } {
  const dirs = new Set(files.map((f) => path.dirname(f)));
  dirs.add(root);
  const chartRoots = [...dirs].filter(isChartDir);
  const charts = chartRoots.filter((c) => !chartRoots.some((o) => o !== c && under(o, c)));
  const kustRoots = [...dirs].filter((d) => kustomizationFile(d) && !charts.some((c) => under(c, d)));
  const referenced = new Set(kustRoots.flatMap((d) => kustomizationRefs(kustomizationFile(d)!)));
  const kustomizations = kustRoots.filter((d) => !referenced.has(d));
  const consumed = [...charts, ...kustRoots];
  const raw = files.filter((f) => !consumed.some((d) => under(d, f)));
  return { raw, charts: charts.sort(), kustomizations: kustomizations.sort() };
}

/** Ignore globs use .gitignore syntax, relative to `ignoreBase` (the config file's folder). */
function makeIgnore(opts: DiscoverOptions): (abs: string) => boolean {
  const matchers = [matcher(opts.ignore, opts.ignoreBase ?? opts.cwd), matcher(opts.ignorePatterns ?? [], opts.cwd)].filter((m) => m !== undefined);
  return (abs) => matchers.some((m) => m(abs));
}

function matcher(patterns: string[], base: string): ((abs: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const ig = ignoreFactory().add(patterns);
  return (abs) => {
    const rel = path.relative(base, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return ig.ignores(rel.split(path.sep).join('/'));
  };
}
