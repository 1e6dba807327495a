import { describe, expect, it } from 'vitest';
// The built module: its worker thread is a compiled file next to it.
import { parseAll, PARALLEL_THRESHOLD_BYTES } from '../dist/src/load/parse-pool.js';
import { parseText } from '../src/load/parse.js';

describe('parsing', () => {
  it('gives the same values and problems on worker threads as in one thread, in file order', async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: "${'v'.repeat(200)}", on: yes}\n`;
    const files = Array.from({ length: 40 }, (_, f) => ({
      path: `f${f}.yaml`,
      text: f === 7 ? 'a: [broken\n' : Array.from({ length: 600 }, (_, i) => doc(f * 1000 + i)).join('---\n'),
    }));
    expect(files.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(PARALLEL_THRESHOLD_BYTES);
    const threaded = await parseAll(files, 2);
    const single = await parseAll(files, 1);
    expect(threaded).toEqual(single);
    expect(threaded[7]!.problems[0]!.messageId).toBe('syntaxError');
    expect((threaded[3]!.docs[5]!.value as { metadata: { name: string }; data: Record<string, unknown> }).metadata.name).toBe('cm-3005');
    expect((threaded[3]!.docs[5]!.value as { data: Record<string, unknown> }).data.true).toBe(true); // YAML 1.1: `on: yes` is true: true
  });

  it('reads JSON, empty streams and comment-only files', () => {
    expect(parseText('{"apiVersion": "v1", "kind": "Service"}').docs[0]!.value).toEqual({ apiVersion: 'v1', kind: 'Service' });
    expect(parseText('').docs).toEqual([]);
    expect(parseText('# nothing\n').docs.every((d) => d.value === null)).toBe(true);
  });
});
