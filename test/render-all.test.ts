import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAll } from '../src/load/render.js';

/**
 * renderAll with a stand-in `kustomize` on PATH that logs when each render starts and ends
 * and takes a while: renders overlap up to the bound and never beyond it, and the results
 * come back in the order given, as one render after the other gave them.
 */
const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

function tree(n: number): { root: string; dirs: string[]; log: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'svclint-render-all-'));
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  const log = path.join(root, 'log');
  writeFileSync(log, '');
  // Later kustomizations finish first: the order of the results must not follow the finish.
  writeFileSync(
    path.join(bin, 'kustomize'),
    `#!/bin/sh\nname=$(basename "$2")\necho "start $name" >> '${log}'\nsleep 1.$((9 - \${name#k}))\necho "end $name" >> '${log}'\nprintf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s\\n' "$name"\n`,
  );
  chmodSync(path.join(bin, 'kustomize'), 0o755);
  const dirs = Array.from({ length: n }, (_, i) => {
    const d = path.join(root, `k${i}`);
    mkdirSync(d);
    writeFileSync(path.join(d, 'kustomization.yaml'), 'resources: []\n');
    return d;
  });
  process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
  return { root, dirs, log };
}

function mostAtOnce(log: string): number {
  let now = 0;
  let most = 0;
  for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
    now += line.startsWith('start') ? 1 : -1;
    most = Math.max(most, now);
  }
  return most;
}

describe('renderAll', () => {
  it('renders a few at a time, within the bound, and keeps the order given', async () => {
    const t = tree(6);
    const results = await renderAll([], t.dirs, (d) => path.basename(d), {}, t.root, 3);
    expect(results.map((r) => r.problems)).toEqual(t.dirs.map(() => []));
    expect(results.map((r) => r.files[0]!.path)).toEqual(t.dirs.map((d) => `${path.basename(d)}/kustomization.yaml`));
    expect(results.map((r) => r.files[0]!.text)).toEqual(t.dirs.map((d) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${path.basename(d)}\n`));
    expect(mostAtOnce(t.log)).toBe(3);
  });

  it('with a bound of one, renders one after the other', async () => {
    const t = tree(2);
    const results = await renderAll([], t.dirs, (d) => path.basename(d), {}, t.root, 1);
    expect(results).toHaveLength(2);
    expect(mostAtOnce(t.log)).toBe(1);
    expect(readFileSync(t.log, 'utf8').trim().split('\n')).toEqual(['start k0', 'end k0', 'start k1', 'end k1']);
  });
});
