import { createHash } from 'node:crypto';
import type { Finding } from '../types/finding.js';

/**
 * Message data that only points somewhere else ("; did you mean `web`?", the nearest
 * Service name): it changes when an unrelated object is added or renamed, while the
 * problem stays the same one.
 */
const HINT_KEYS = new Set(['hint', 'suggest', 'suggestion']);

/**
 * What identifies a finding across commits, edits elsewhere in the file and a growing
 * input: the rule and message id, the object (kind, namespace, name) and the path inside
 * it, and the message data without hints (or, for a finding without data, the message),
 * with the parts that change with the size of the run or the machine left out. Never the
 * line or column. For a finding about a file rather than an object (a syntax error), the
 * file's name takes the object's place.
 */
export function fingerprintParts(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location' | 'data'>): string[] {
  // A file finding is keyed by the file's name: where the checkout lives is no part of it.
  const where = f.object ? [f.object.kind, f.object.namespace ?? '', f.object.name, f.path ?? ''] : ['file', normalisePath(f.location?.file ?? '').split('/').pop() ?? ''];
  const data = f.data
    ? Object.keys(f.data).filter((k) => !HINT_KEYS.has(k)).sort().map((k) => `${k}=${stableMessage(String(f.data![k]))}`).join('\u001f')
    : stableMessage(f.message);
  return [f.ruleId, f.messageId, ...where, data];
}

/** A finding's identity (fingerprintParts), as 32 hex digits. */
export function fingerprint(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location' | 'data'>): string {
  return createHash('sha256').update(fingerprintParts(f).join('\u001e')).digest('hex').slice(0, 32);
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
