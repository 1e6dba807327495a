import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from '../src/text.js';

/** Levenshtein distance, the whole table: the reference the bounded version is held to. */
function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

describe('editDistance', () => {
  it('is the Levenshtein distance up to its bound, and more than the bound past it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 8 }), (a, b, max) => {
        const want = levenshtein(a, b);
        const got = editDistance(a, b, max);
        if (want <= max) expect(got).toBe(want);
        else expect(got).toBeGreaterThan(max);
      }),
      { numRuns: 3000 },
    );
    // Long strings after short ones: the reused rows grow.
    expect(editDistance('a'.repeat(300), 'a'.repeat(299) + 'b', 3)).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
