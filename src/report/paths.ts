import path from 'node:path';
import type { ReportInput } from './summary.js';

/**
 * A finding's file as the repository sees it: relative to GITHUB_WORKSPACE when that is
 * set (CI), else as shown (relative to the working directory). `<stdin>` stays as is.
 */
export function repoPath(input: ReportInput, file: string): string {
  if (file === '<stdin>') return file;
  const ws = input.env?.GITHUB_WORKSPACE;
  if (!ws) return file;
  const abs = path.resolve(input.cwd ?? process.cwd(), file);
  const rel = path.relative(ws, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
