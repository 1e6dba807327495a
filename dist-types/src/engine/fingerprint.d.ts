import type { Finding } from '../types/finding.js';
/**
 * What identifies a finding across commits, edits elsewhere in the file and a growing
 * input: the rule and message id, the object (kind, namespace, name) and the path inside
 * it, and the message data without hints (or, for a finding without data, the message),
 * with the parts that change with the size of the run or the machine left out. Never the
 * line or column. For a finding about a file rather than an object (a syntax error), the
 * file's name takes the object's place.
 */
export declare function fingerprintParts(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location' | 'data'>): string[];
/** A finding's identity (fingerprintParts), as 32 hex digits. */
export declare function fingerprint(f: Pick<Finding, 'ruleId' | 'messageId' | 'object' | 'path' | 'message' | 'location' | 'data'>): string;
/**
 * The message without what depends on the rest of the run or the machine: file and template
 * counts ("in the 4701 files given", "(12 in all)"), positions inside other files, log
 * headers with times and process ids, and the folders of absolute paths.
 */
export declare function stableMessage(message: string): string;
