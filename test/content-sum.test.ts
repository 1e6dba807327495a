import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesSum, textSum } from '../src/load/content-sum.js';
import { corpusOrSkip, CORPUS, yamlFiles } from './helpers.js';

/**
 * The parse cache keys a file by its text's hash; a run with a cache takes that hash from
 * the bytes read when they are valid UTF-8 (no encoding of the text again). Both must be
 * the same hash, and bytes that are not valid UTF-8 (decoded with replacement characters)
 * must give none.
 */
function agree(bytes: Uint8Array): void {
  const text = Buffer.from(bytes).toString('utf8');
  const fromBytes = bytesSum(bytes);
  if (fromBytes !== undefined) expect(fromBytes).toBe(textSum(text));
  else expect(Buffer.from(text, 'utf8').equals(Buffer.from(bytes))).toBe(false); // not valid: decoding changed it
}

describe('the hash of a text from its bytes', () => {
  it('is the hash of the decoded text for valid UTF-8 (any string, BOM, surrogate pairs) and none for the rest (random bytes, lone surrogates, overlong forms)', () => {
    for (const s of ['', 'apiVersion: v1\n', '\uFEFFkind: Service\n', 'name: caf\u00e9 \u{1F600}', 'a\r\nb']) agree(Buffer.from(s, 'utf8'));
    for (const b of [[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
      expect(bytesSum(Uint8Array.from(b))).toBeUndefined();
      agree(Uint8Array.from(b));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => agree(Buffer.from(s, 'utf8'))), { numRuns: 2000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => agree(b)), { numRuns: 3000 });
  });

  it.skipIf(!corpusOrSkip('the corpus part of the text hash test'))('is the hash of the text for every corpus file', () => {
    let n = 0;
    for (const f of yamlFiles(CORPUS)) {
      const bytes = readFileSync(f);
      expect(bytesSum(bytes)).toBe(textSum(bytes.toString('utf8')));
      n++;
    }
    expect(n).toBeGreaterThan(1000);
  });
});
