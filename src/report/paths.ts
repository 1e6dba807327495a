import path from 'node:path';
import type { Location } from '../types/finding.js';
import type { ReportInput } from './summary.js';

/** ` (in rendered output of helm template)`: said in every format for findings in a renderer's output. */
export function renderedNote(l: Location | undefined): string {
  if (!l?.rendered) return '';
  return ` (in rendered output of ${l.rendered === 'helm' ? 'helm template' : l.build ? `kustomize build ${l.build}` : 'kustomize build'})`;
}

/** `file:line:col`, or the file alone when no exact line is known (rendered output). */
export function position(l: Location, file = l.file): string {
  return l.line === undefined ? file : `${file}:${l.line}:${l.column}`;
}

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
