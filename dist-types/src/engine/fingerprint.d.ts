import type { Finding } from '../types/finding.js';
/** What a fingerprint is made of, in order: readable, for tests and for explaining a mismatch. */
export declare function fingerprintParts(f: Finding): string[];
/**
 * A finding's identity across commits: the rule and message id, the object (kind,
 * namespace, name) and the path inside it, and the message data (hints that name the
 * nearest other object left out). Never the file's line or column, so the fingerprint
 * survives edits around the finding: lines moved, documents reordered, files renamed
 * (when the finding has an object). 32 hex digits.
 */
export declare function fingerprint(f: Finding): string;
