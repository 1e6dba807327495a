import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRender } from '../src/load/discover.js';
import { RENDER_CACHE_FILE, RenderCache } from '../src/load/render-cache.js';
import { ParseCache } from '../src/load/cache.js';
import { DiskView, yamlOf, yamlOfStored, type YamlStore } from '../src/load/view.js';

const cacheIn = (dir: string) => new RenderCache(new ParseCache(dir, 1 << 20, Date.now(), RENDER_CACHE_FILE));

/** A store that counts what it answered. */
function counting(store: YamlStore) {
  const c = { hits: 0, misses: 0, sets: 0 };
  const s: YamlStore = {
    getYaml: (t) => {
      const r = store.getYaml(t);
      if (r) c.hits++;
      else c.misses++;
      return r;
    },
    setYaml: (t, r) => {
      c.sets++;
      store.setYaml(t, r);
    },
  };
  return { s, c };
}

describe('YAML values kept in the render cache', () => {
  it('gives back what parsing gives, after a save and a fresh read; another text misses', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-yaml-store-'));
    const texts = ['resources:\n  - ../base\n  - svc.yaml\nnamespace: prod\n', 'a: [1, 2.5, "x", null, true]\nb: {c: d}\n', '', '- 1\n- two\n'];
    const first = cacheIn(dir);
    for (const t of texts) expect(yamlOfStored(t, first)).toEqual(yamlOf(t));
    first.save();
    const again = cacheIn(dir);
    for (const t of texts.filter((x) => x !== '')) expect(again.getYaml(t)).toEqual(yamlOf(t));
    expect(again.getYaml('resources: [other]\n')).toBeUndefined();
  });

  it('keeps that a text does not parse, and never a value JSON cannot carry exactly', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-yaml-store-'));
    const bad = 'a: [1, 2\nb: {\n';
    const inf = 'x: .inf\ny: -0.0\n';
    const first = cacheIn(dir);
    expect(yamlOfStored(bad, first)).toEqual({ error: true });
    const value = yamlOfStored(inf, first) as { value: { x: number; y: number } };
    expect(value.value.x).toBe(Infinity);
    expect(Object.is(value.value.y, -0)).toBe(true);
    first.save();
    const again = cacheIn(dir);
    expect(again.getYaml(bad)).toEqual({ error: true });
    expect(again.getYaml(inf)).toBeUndefined();
    expect(Object.is((yamlOfStored(inf, again) as { value: { y: number } }).value.y, -0)).toBe(true);
  });

  it('a corrupt entry or a foreign file is a miss: the text is parsed again, with the same value', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-yaml-store-'));
    const text = 'resources:\n  - ../base\nnamePrefix: p-\n';
    const first = cacheIn(dir);
    yamlOfStored(text, first);
    first.save();
    const file = path.join(dir, RENDER_CACHE_FILE);
    // The value is changed in place: its checksum no longer holds.
    writeFileSync(file, readFileSync(file, 'utf8').replace('../base', '../evil'));
    const tampered = counting(cacheIn(dir));
    expect(yamlOfStored(text, tampered.s)).toEqual(yamlOf(text));
    expect(tampered.c).toEqual({ hits: 0, misses: 1, sets: 1 });
    writeFileSync(file, 'not a cache\n{"v": 1}\n');
    const foreign = counting(cacheIn(dir));
    expect(yamlOfStored(text, foreign.s)).toEqual(yamlOf(text));
    expect(foreign.c.hits).toBe(0);
  });

  it('plans renders the same with the store as without, and a second plan parses no kustomization file', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'svclint-yaml-plan-'));
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put('base/kustomization.yaml', 'resources:\n  - svc.yaml\n');
    put('base/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n');
    put('prod/kustomization.yaml', 'resources:\n  - ../base\nnamePrefix: p-\n');
    put('dev/kustomization.yaml', 'resources: [../base]\n');
    put('broken/kustomization.yaml', 'resources: [\n');
    put('raw/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: b}\n');
    const files = ['base/kustomization.yaml', 'base/svc.yaml', 'prod/kustomization.yaml', 'dev/kustomization.yaml', 'broken/kustomization.yaml', 'raw/svc.yaml'].map((f) => path.join(root, f));
    const want = planRender(root, files, new DiskView(true));
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-yaml-store-'));
    const coldStore = cacheIn(dir);
    const cold = counting(coldStore);
    expect(planRender(root, files, new DiskView(true, cold.s))).toEqual(want);
    expect(cold.c).toEqual({ hits: 0, misses: 4, sets: 4 });
    coldStore.save();
    const warm = counting(cacheIn(dir));
    expect(planRender(root, files, new DiskView(true, warm.s))).toEqual(want);
    expect(warm.c).toEqual({ hits: 4, misses: 0, sets: 0 });
    // An edited kustomization is read anew.
    put('dev/kustomization.yaml', 'resources: [../raw]\n');
    const edited = counting(cacheIn(dir));
    const plan = planRender(root, files, new DiskView(true, edited.s));
    expect(plan).toEqual(planRender(root, files, new DiskView(true)));
    expect(edited.c).toEqual({ hits: 3, misses: 1, sets: 1 });
  });
});
