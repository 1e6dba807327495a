import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE, ParseCache } from '../src/load/cache.js';
import type { ParseResult } from '../src/load/parse-pool.js';

/** The cache file read as bytes, entries decoded only when asked for (src/load/cache.ts). */

const result = (value: unknown): ParseResult => ({ docs: [{ index: 0, range: [0, 10], value }], problems: [] });
const VALUES: Record<string, unknown> = {
  a: { kind: 'Service', metadata: { name: 'web' } },
  b: { text: 'café ☕ 𝄞 — non-ASCII text', n: 1.5 },
  c: [1, 'two', null, true, { deep: ['x'] }],
  d: { empty: '', tab: 'a\tb', quote: '"\\' },
};

function filled(maxBytes = 1 << 20): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-pcfile-'));
  const c = new ParseCache(dir, maxBytes);
  for (const [k, v] of Object.entries(VALUES)) c.set(k, result(v));
  c.save();
  return { dir, file: path.join(dir, CACHE_FILE) };
}

describe('the parse cache file', () => {
  it('reads back every value, non-ASCII text included', () => {
    const { dir } = filled();
    const c = new ParseCache(dir);
    for (const [k, v] of Object.entries(VALUES)) expect(c.get(k)).toEqual(result(v));
    expect(c.get('missing')).toBeUndefined();
  });

  it('writes entries it read and did not change as the same bytes', () => {
    const { dir, file } = filled();
    const before = readFileSync(file);
    const c = new ParseCache(dir);
    expect(c.get('b')).toEqual(result(VALUES.b));
    c.set('e', result({ added: 'ü' })); // a change: the file is written again
    c.save();
    const after = readFileSync(file, 'utf8');
    for (const line of before.toString('utf8').split('\n').slice(1).filter(Boolean)) expect(after).toContain(line);
    const again = new ParseCache(dir);
    for (const [k, v] of Object.entries({ ...VALUES, e: { added: 'ü' } })) expect(again.get(k)).toEqual(result(v));
  });

  it('drops an entry whose bytes changed (a flipped character, a broken UTF-8 sequence) and keeps the others', () => {
    const { dir, file } = filled();
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    // In b's value: 'é' (C3 A9) loses its second byte to an ASCII one; in a's, one letter changes.
    const eAcute = bytes.indexOf(Buffer.from('café'));
    expect(eAcute).toBeGreaterThan(0);
    bytes[eAcute + 4] = 0x21;
    bytes[text.indexOf('"web"') + 1] = 0x57;
    writeFileSync(file, bytes);
    const c = new ParseCache(dir);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toBeUndefined();
    expect(c.get('c')).toEqual(result(VALUES.c));
    expect(c.get('d')).toEqual(result(VALUES.d));
  });

  it('a file cut short loses only its last entry; a file that is not a cache is ignored', () => {
    const { dir, file } = filled();
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    const lastKey = lines[lines.length - 1]!.split('\t')[0]!;
    writeFileSync(file, text.slice(0, text.length - 8));
    const cut = new ParseCache(dir);
    expect(cut.size).toBe(Object.keys(VALUES).length); // its line is there, its checksum fails when asked for
    expect(cut.get(lastKey)).toBeUndefined();
    expect(cut.size).toBe(Object.keys(VALUES).length - 1);
    for (const k of Object.keys(VALUES).filter((x) => x !== lastKey)) expect(cut.get(k)).toEqual(result(VALUES[k]));
    writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x61, 0x09, 0x31, 0x09, 0x32, 0x09, 0x7b, 0x7d, 0x0a]));
    const foreign = new ParseCache(dir);
    expect(foreign.size).toBe(0);
    expect(foreign.get('a')).toBeUndefined();
  });

  it('prunes to its size in whole lines, newest first, and the pruned file reads back', () => {
    const { dir, file } = filled();
    const full = readFileSync(file).length;
    const c = new ParseCache(dir, full - 10, Date.now() + 1);
    c.set('f', result({ newest: true }));
    c.save();
    const pruned = readFileSync(file);
    expect(pruned.length).toBeLessThanOrEqual(full - 10);
    expect(pruned[pruned.length - 1]).toBe(10);
    const again = new ParseCache(dir, full - 10);
    expect(again.get('f')).toEqual(result({ newest: true }));
    const kept = Object.keys(VALUES).filter((k) => again.get(k) !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(Object.keys(VALUES).length);
  });
});
