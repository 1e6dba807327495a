import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** The findings cache keeps one process's store: each step imports the module afresh, as a new run would. */
async function fresh() {
  vi.resetModules();
  return import('../src/cli/findings-cache.js');
}

describe('tree ids of index listings kept in the findings cache', () => {
  it('gives back the id kept for the same listing and format; another listing or format misses; a changed entry misses', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'svclint-treememo-')) };
    const listing = Buffer.from('100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\ta.yaml\0');
    const id = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
    const first = await fresh();
    expect(first.knownTree(env, listing, 'sha1')).toBeUndefined();
    first.keepTree(env, listing, 'sha1', id);
    first.saveFindings(env);
    const second = await fresh();
    expect(second.knownTree(env, listing, 'sha1')).toBe(id);
    expect(second.knownTree(env, Buffer.concat([listing, Buffer.from('x')]), 'sha1')).toBeUndefined();
    expect(second.knownTree(env, listing, 'sha256')).toBeUndefined();
    const file = path.join(env.XDG_CACHE_HOME, 'svclint', second.FINDINGS_CACHE_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace(id, id.replace('4b8', '000')));
    const third = await fresh();
    expect(third.knownTree(env, listing, 'sha1')).toBeUndefined();
  });
});
