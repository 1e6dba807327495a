import { createHash } from 'node:crypto';
import type { Finding } from '../types/finding.js';
import { describe } from '../types/object.js';

/**
 * Message data that only points somewhere else ("; did you mean `web`?", the nearest
 * Service name): it changes when an unrelated object is added or renamed, while the
 * problem stays the same one.
 */
const HINT_KEYS = new Set(['hint', 'suggest', 'suggestion']);

/** What a fingerprint is made of, in order: readable, for tests and for explaining a mismatch. */
export function fingerprintParts(f: Finding): string[] {
  const where = f.object ? describe(f.object) : `file ${f.location?.file ?? ''}`;
  const data = f.data
    ? Object.keys(f.data).filter((k) => !HINT_KEYS.has(k)).sort().map((k) => `${k}=${f.data![k]}`).join('\u001f')
    : f.message;
  return [f.ruleId, f.messageId, where, f.path, data];
}

/**
 * A finding's identity across commits: the rule and message id, the object (kind,
 * namespace, name) and the path inside it, and the message data (hints that name the
 * nearest other object left out). Never the file's line or column, so the fingerprint
 * survives edits around the finding: lines moved, documents reordered, files renamed
 * (when the finding has an object). 32 hex digits.
 */
export function fingerprint(f: Finding): string {
  return createHash('sha256').update(fingerprintParts(f).join('\u001e')).digest('hex').slice(0, 32);
}
