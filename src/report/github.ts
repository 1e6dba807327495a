import type { Finding, Severity } from '../types/finding.js';
import { describe } from '../types/object.js';
import { renderedNote, repoPath } from './paths.js';
import type { ReportInput } from './summary.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escaping of workflow command data (the message). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of workflow command properties (file, title): also `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function line(input: ReportInput, f: Finding): string {
  const props: string[] = [];
  if (f.location) {
    const l = f.location;
    props.push(`file=${escapeProperty(repoPath(input, l.file))}`);
    // Rendered output that maps to no exact line: the file alone, no line to point at.
    if (l.line !== undefined) props.push(`line=${l.line}`, `col=${l.column}`, `endLine=${l.endLine}`, `endColumn=${l.endColumn}`);
  }
  props.push(`title=${escapeProperty(`svclint ${f.ruleId}`)}`);
  const where = f.location ? '' : `${f.object ? describe(f.object) : ''}${f.path ? ` ${f.path}` : ''}: `;
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${where}${f.message}${renderedNote(f.location)}\nFix: ${f.remediation}`)}`;
}

/** GitHub Actions workflow commands: one annotation per finding. */
export function formatGithub(input: ReportInput): string {
  return input.findings.map((f) => `${line(input, f)}\n`).join('');
}
