import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';

/**
 * A SHA-256 of a file's text, taken from the bytes it was decoded from when they are valid
 * UTF-8: those bytes are then exactly the text's UTF-8, so the hash is the one the text
 * gives (test/content-sum.test.ts), without encoding the text again. Taken at read time,
 * only for runs with a cache (discover's `contentSums`), whose keys hash every text.
 */
const byRead = new WeakMap<object, string>();
const byFile = new WeakMap<object, string>();

export function textSum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash of the text these bytes decode to, or undefined when they are not valid UTF-8 (decoding replaces what is not). */
export function bytesSum(bytes: Uint8Array): string | undefined {
  return isUtf8(bytes) ? createHash('sha256').update(bytes).digest('hex') : undefined;
}

/** Records the hash of a read's text (its outcome object), and finds it again. */
export function noteReadSum(outcome: object, sum: string | undefined): void {
  if (sum !== undefined) byRead.set(outcome, sum);
}

/** Passes a read's hash on to the source file made of its text. */
export function passReadSum(outcome: object, file: object): void {
  const sum = byRead.get(outcome);
  if (sum !== undefined) byFile.set(file, sum);
}

/** A file's text hash: recorded at read time, else computed. */
export function fileTextSum(file: { text: string }): string {
  return byFile.get(file) ?? textSum(file.text);
}
