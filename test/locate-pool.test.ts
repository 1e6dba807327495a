import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// The built modules: the worker thread is a compiled file next to them.
import { threadedLocator } from '../dist/src/engine/locate-pool.js';
import { lint, lintWith } from '../dist/src/lint.js';
import { parseSource } from '../dist/src/load/parse.js';
import { scanRange } from '../dist/src/engine/scan-position.js';
import { tempTree } from './helpers.js';

/**
 * Many documents with findings: Services that select nothing, ConfigMaps naming missing
 * Services, a List. The selectors carry an anchor, which the line scanner leaves to the
 * `yaml` package, so those positions are the thread's work.
 */
function files(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (let f = 0; f < 40; f++) {
    const docs: string[] = [];
    for (let i = 0; i < 30; i++) {
      const n = `${f}-${i}`;
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${n}, namespace: ns-${f % 5}}\nspec:\n  selector: {matchLabels: {app: app-${n}}}\n  template:\n    metadata:\n      labels: {app: app-${n}}\n    spec:\n      containers:\n        - name: c\n          image: x\n          ports: [{name: http, containerPort: 8080}]\n`);
      docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${n}\n  namespace: ns-${f % 5}\nspec:\n  selector: &selector\n    app: app-${n}${i % 3 === 0 ? '-x' : ''}\n  ports:\n    - port: 80\n      targetPort: ${i % 4 === 0 ? 'htp' : 'http'}\n`);
      docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${n}, namespace: ns-${f % 5}}\ndata:\n  URL: "http://db-${i}.ns-${f % 5}.svc.cluster.local:5432"\n  # a comment\n  OTHER: 'svc-${n}:80'\n`);
    }
    out.push({ path: `f${f}.yaml`, text: docs.join('---\n') });
  }
  out.push({ path: 'list.yaml', text: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: in-list, namespace: ns-0}\n    spec: {selector: {app: nothing-here}, ports: [{port: 80}]}\n' });
  return out;
}

function input() {
  const f = files();
  return { files: f, parsed: f.map((x) => parseSource(x)) };
}

describe('positions found on a worker thread (locate-pool.ts)', () => {
  it('gives every finding the same position, related positions included, as finding them inline', async () => {
    const inline = lint(input()).findings;
    expect(inline.length).toBeGreaterThan(500);
    expect(inline.some((f) => f.related.length > 0)).toBe(true);
    const locator = threadedLocator();
    expect(locator).toBeDefined();
    const threaded = (await lintWith(input(), locator!)).findings;
    expect(threaded).toEqual(inline);
    const first = files()[0]!.text;
    const service = first.indexOf('kind: Service');
    expect(scanRange(first, service, first.indexOf('---', service), ['spec', 'selector', 'app'])).toBeUndefined();
    expect(inline.some((f) => f.ruleId === 'selector-no-match' && f.path === 'spec.selector')).toBe(true);
    expect(threaded.every((f) => f.location?.line !== undefined)).toBe(true);
  });

  it('finds positions inline when the thread dies, and never waits on it', async () => {
    const dir = tempTree({});
    const dying = path.join(dir, 'dying-worker.mjs');
    writeFileSync(dying, 'process.exit(3);\n');
    const inline = lint(input()).findings;
    const t0 = Date.now();
    const threaded = (await lintWith(input(), threadedLocator(pathToFileURL(dying))!)).findings;
    expect(threaded).toEqual(inline);
    expect(Date.now() - t0).toBeLessThan(30_000);
    // A thread that throws on every message (answers nothing) is the same.
    const throwing = path.join(dir, 'throwing-worker.mjs');
    writeFileSync(throwing, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('boom'); });\n");
    expect((await lintWith(input(), threadedLocator(pathToFileURL(throwing))!)).findings).toEqual(inline);
  });

  it('is not offered where the thread module is missing (sources under a test runner)', () => {
    expect(threadedLocator(pathToFileURL(path.join(tempTree({}), 'missing.js')))).toBeUndefined();
  });
});

describe('node trees kept for positions (Recent)', () => {
  it('keeps the most recently used values, at most as many as asked, and makes the others again', async () => {
    const { Recent } = await import('../src/load/document.js');
    const made: string[] = [];
    const r = new Recent<{ k: string }>(2);
    const get = (k: string) => r.get(k, () => (made.push(k), { k }));
    const a = get('a');
    get('b');
    expect(get('a')).toBe(a); // a hit, now the most recent
    get('c'); // evicts b, the least recent
    expect(get('a')).toBe(a);
    get('b');
    expect(made).toEqual(['a', 'b', 'c', 'b']);
  });
});

describe('positions asked for again (memoized)', () => {
  it('asks its locator once per path of a document, and gives every caller its own copy', async () => {
    const { memoized } = await import('../dist/src/engine/locate-pool.js');
    const objects = lint(input()).graph.objects;
    // The Service in a List and a plain Service: two origins, different bases.
    const listed = objects.find((o) => o.name === 'in-list')!;
    const plain = objects.find((o) => o.name === 'svc-0-1')!;
    const asked: string[] = [];
    const inner = {
      at(origin: typeof listed.origin, p: (string | number)[], set: (l: { file: string; line: number }) => void) {
        asked.push(`${origin!.file.path} ${JSON.stringify(origin!.base)} ${p.join('.')}`);
        set({ file: origin!.file.path, line: asked.length });
      },
      settle: async () => {},
    };
    const memo = memoized(inner as never);
    const got: { file: string; line?: number }[] = [];
    for (let i = 0; i < 3; i++) {
      memo.at(listed.origin!, ['spec', 'selector'], (l) => got.push(l));
      memo.at(plain.origin!, ['spec', 'selector'], (l) => got.push(l));
      memo.at(plain.origin!, ['spec', 'ports', 0], (l) => got.push(l));
    }
    expect(asked).toHaveLength(3);
    expect(got.map((l) => l.line)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(got[0]).not.toBe(got[3]);
    expect(got[0]).toEqual(got[3]);
  });
});
