import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempTree } from './helpers.js';

const nodeHasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('code cache for the generated schema validators (src/load/code-cache.ts)', () => {
  it('compiles from source once, writes a cache at exit in the user cache folder, and gives the same module from it', () => {
    const dir = tempTree({});
    const mod = path.join(dir, 'generated.cjs');
    writeFileSync(mod, `"use strict";\nexports.answer = function answer(x) { return x * 2 + ${Date.now() % 1000}; };\nexports.name = __filename;\n`);
    const cache = path.join(dir, 'xdg');
    const script = `import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'src', 'load', 'code-cache.js')).href)};
const m = requireWithCodeCache(${JSON.stringify(mod)});
console.log(JSON.stringify({ answer: m.answer(20), name: m.name }));`;
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const run = () => spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env });
    const first = run();
    expect(first.stderr).toBe('');
    const second = run();
    expect(second.stderr).toBe('');
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    expect(JSON.parse(first.stdout).name).toBe(mod);
    const written = (() => {
      try {
        return readdirSync(path.join(cache, 'svclint', 'code-cache'));
      } catch {
        return [];
      }
    })();
    // Where Node has its own compile cache the module is simply required.
    expect(written.length).toBe(nodeHasCompileCache ? 0 : 1);
    // A cache that does not fit (another source) is not used: the module is compiled from source.
    writeFileSync(mod, '"use strict";\nexports.answer = (x) => x + 1;\nexports.name = __filename;\n');
    expect(JSON.parse(run().stdout).answer).toBe(21);
  });

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const dir = tempTree({});
    const mod = path.join(dir, 'generated.cjs');
    writeFileSync(mod, '"use strict";\nexports.v = 8;\n');
    const script = `import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'src', 'load', 'code-cache.js')).href)};
console.log(requireWithCodeCache(${JSON.stringify(mod)}).v);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'xdg'), NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(r.stdout.trim()).toBe('8');
    expect(() => readdirSync(path.join(dir, 'xdg'))).toThrow();
  });

  it('compiles from source when the cache folder cannot be written', () => {
    const dir = tempTree({ 'file-not-folder': 'x' });
    const mod = path.join(dir, 'generated.cjs');
    writeFileSync(mod, '"use strict";\nexports.v = 7;\n');
    const script = `import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'src', 'load', 'code-cache.js')).href)};
console.log(requireWithCodeCache(${JSON.stringify(mod)}).v);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'file-not-folder') } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('7');
  });
});
