import { styleText } from 'node:util';
import type { Finding, Location } from '../types/finding.js';
import { describe } from '../types/object.js';
import { plural } from '../text.js';
import type { ReportInput } from './summary.js';
import { position, renderedNote } from './paths.js';

type Style = Parameters<typeof styleText>[0];

export interface StylishOptions {
  color: boolean;
  /** Lines of context shown above the finding's line. */
  context?: number;
}

const SEVERITY_STYLE: Record<Finding['severity'], Style> = { error: 'red', warning: 'yellow', info: 'blue' };

function loc(l: Location): string {
  return `${position(l)}${renderedNote(l)}`;
}

function codeFrame(text: string, l: Required<Location>, paint: (s: Style, t: string) => string, context: number): string[] {
  const lines = text.split('\n');
  const first = Math.max(1, l.line - context);
  const width = String(l.line).length;
  const out: string[] = [];
  for (let n = first; n <= l.line && n <= lines.length; n++) {
    const src = (lines[n - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
    const mark = n === l.line ? paint('red', '>') : ' ';
    out.push(`  ${mark} ${paint('gray', `${String(n).padStart(width)} |`)} ${src.length > 160 ? `${src.slice(0, 157)}...` : src}`);
    if (n === l.line) {
      const end = l.endLine === l.line ? l.endColumn : src.length + 1;
      const len = Math.max(1, Math.min(end, 161) - l.column);
      out.push(`    ${paint('gray', `${' '.repeat(width)} |`)} ${' '.repeat(Math.max(0, l.column - 1))}${paint('red', '^'.repeat(len))}`);
    }
  }
  return out;
}

/** Human output: `file:line:col: severity: message [rule]`, a code frame, the fix and related objects. */
export function formatStylish(input: ReportInput, opts: StylishOptions): string {
  // validateStream off: colour was decided by the caller (--color forces it into a pipe).
  const paint = (s: Style, t: string) => (opts.color ? styleText(s, t, { validateStream: false }) : t);
  const out: string[] = [];
  for (const f of input.findings) {
    const where = f.location ? loc(f.location) : `${f.object ? describe(f.object) : '<run>'}${f.path ? ` ${f.path}` : ''}`;
    out.push(`${paint('bold', where)}: ${paint(SEVERITY_STYLE[f.severity], f.severity)}: ${f.message} ${paint('gray', `[${f.ruleId}]`)}`);
    const text = f.location ? input.sources.get(f.location.file) : undefined;
    if (text !== undefined && f.location?.line !== undefined) out.push(...codeFrame(text, f.location as Required<Location>, paint, opts.context ?? 1));
    out.push(`    ${paint('green', 'fix:')} ${f.remediation.replace(/\n/g, '\n         ')}`); // a YAML snippet stays under the fix
    for (const r of f.related) {
      const at = r.location ? loc(r.location) : r.object ? `${describe(r.object)}${r.path ? ` ${r.path}` : ''}` : '';
      out.push(`    ${paint('cyan', 'see:')} ${at}${at ? ': ' : ''}${r.message}`);
    }
    out.push('');
  }
  const s = input.summary;
  const scope = s.scope ?? `${plural(s.files, 'file')} (${plural(s.objects, 'object')}, ${plural(s.services, 'Service')})`;
  if (input.findings.length === 0 && s.notChecked?.length) {
    out.push(`${paint('yellow', '!')} no problems found in what could be read, ${scope}; not checked: ${s.notChecked.join(', ')}`);
  } else if (input.findings.length === 0 && s.hidden) {
    out.push(`${paint('green', '✔')} no errors in ${scope}; ${plural(s.hidden, 'warning or info finding', 'warning and info findings')} not shown (--quiet)`);
  } else if (input.findings.length === 0) {
    out.push(`${paint('green', '✔')} no problems in ${scope}`);
  } else {
    const mark = s.errors ? paint('red', '✖') : paint('yellow', '⚠');
    out.push(`${mark} ${plural(input.findings.length, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info) in ${scope}`);
  }
  return `${out.join('\n')}\n`;
}
