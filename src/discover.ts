import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { globby, isDynamicPattern } from 'globby';
import ignoreFactory from 'ignore';
import type { SourceFile } from './types/source.js';
import type { LoadProblem } from './types/problem.js';
import { UsageError } from './errors.js';

export const MANIFEST_PATTERNS = ['**/*.yaml', '**/*.yml', '**/*.json'];
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface DiscoverOptions {
  cwd: string;
  /** Globs of files to leave out (.gitignore syntax). */
  ignore: string[];
  /** Folder the ignore globs are relative to; defaults to cwd. */
  ignoreBase?: string;
  maxFileBytes?: number;
  readStdin?: () => Promise<string>;
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
      const found = await globby(MANIFEST_PATTERNS, {
        cwd: abs,
        absolute: true,
        dot: true, // manifests in dot folders count too; non-Kubernetes YAML is skipped later
        ignore: ['**/node_modules/**', '**/.git/**'],
        followSymbolicLinks: false,
      });
      for (const f of found.sort()) if (!isIgnored(f)) add(f);
    } else if (st) {
      add(abs); // an explicitly named file is read whatever its extension
    } else if (isDynamicPattern(input)) {
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

/** Ignore globs use .gitignore syntax, relative to `ignoreBase` (the config file's folder). */
function makeIgnore(opts: DiscoverOptions): (abs: string) => boolean {
  if (opts.ignore.length === 0) return () => false;
  const ig = ignoreFactory().add(opts.ignore);
  const base = opts.ignoreBase ?? opts.cwd;
  return (abs) => {
    const rel = path.relative(base, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return ig.ignores(rel.split(path.sep).join('/'));
  };
}
