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
  const where = f.object ? [f.object.kind, f.object.namespace ?? '', f.object.name, f.path] : ['file', normalisePath(f.location?.file ?? '')];
  return [f.ruleId, f.messageId, ...where, stableMessage(f.message)];
}

/** A 16-hex-digit fingerprint of fingerprintParts(). */
export function fingerprint(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location'>): string {
  return createHash('sha256').update(fingerprintParts(f).join('\u0000')).digest('hex').slice(0, 16);
}

/**
 * The message without what depends on the rest of the run: file and template counts
 * ("in the 4701 files given", "(12 in all)") and positions inside other files.
 */
export function stableMessage(message: string): string {
  return message
    .replace(/\bin the \d+ files? given\b/g, 'in the files given')
    .replace(/\(\d+ in all\)/g, '(n in all)')
    .replace(/:\d+:\d+\b/g, '');
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, '/');
}
