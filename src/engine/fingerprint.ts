import { createHash } from 'node:crypto';
import type { Finding } from '../types/finding.js';

/**
 * What identifies a finding across runs, edits elsewhere in the file and a growing input:
 * the rule and message id, the object (kind, namespace, name) and the path inside it, and the
 * message with the parts that change with the size of the run left out. Never line numbers.
 * For a finding about a file rather than an object (a syntax error), the file takes the
 * object's place.
 */
export function fingerprintParts(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location'>): string[] {
  // A file finding is keyed by the file's name: where the checkout lives is no part of it.
  const where = f.object ? [f.object.kind, f.object.namespace ?? '', f.object.name, f.path] : ['file', normalisePath(f.location?.file ?? '').split('/').pop() ?? ''];
  return [f.ruleId, f.messageId, ...where, stableMessage(f.message)];
}

/** A 16-hex-digit fingerprint of fingerprintParts(). */
export function fingerprint(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location'>): string {
  return createHash('sha256').update(fingerprintParts(f).join('\u0000')).digest('hex').slice(0, 16);
}

/**
 * The message without what depends on the rest of the run or the machine: file and template
 * counts ("in the 4701 files given", "(12 in all)"), positions inside other files, log
 * headers with times and process ids, and the folders of absolute paths.
 */
export function stableMessage(message: string): string {
  return message
    // A tool's log header (`E1203 13:10:25.190062   14745 run.go:72]`) and absolute paths change per run and machine.
    .replace(/\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\]/g, '')
    .replace(/(?:\/[^\s`'"/:]+){2,}\/([^\s`'"/:]+)/g, '…/$1')
    .replace(/\bin the \d+ files? given\b/g, 'in the files given')
    .replace(/\(\d+ in all\)/g, '(n in all)')
    .replace(/:\d+:\d+\b/g, '');
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, '/');
}
