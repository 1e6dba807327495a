import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempTree } from './helpers.js';
import { cacheFolder, MAX_FILE_BYTES, prune, readCache, writeCache } from '../src/load/code-cache.js';

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

  describe('a cache is trusted for speed, never for more', () => {
    const SCRIPT = (mod: string) => `import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'src', 'load', 'code-cache.js')).href)};
console.log(requireWithCodeCache(${JSON.stringify(mod)}).v);`;
    /** A module, its cache folder, and a run of it that cannot hang the suite. */
    function setup(value = '1111') {
      const dir = tempTree({});
      chmodSync(dir, 0o755);
      const mod = path.join(dir, 'generated.cjs');
      writeFileSync(mod, `"use strict";\nexports.v = ${value};\n`);
      const xdg = path.join(dir, 'xdg');
      const folder = path.join(xdg, 'svclint', 'code-cache');
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: xdg };
      delete env.NODE_DISABLE_COMPILE_CACHE;
      const run = (more: NodeJS.ProcessEnv = {}) => {
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT(mod)], { encoding: 'utf8', env: { ...env, ...more }, timeout: 20_000 });
        return { code: r.status, signal: r.signal, out: r.stdout.trim(), err: r.stderr };
      };
      const files = () => (existsSync(folder) ? readdirSync(folder) : []);
      return { dir, mod, xdg, folder, run, files };
    }

    it('a damaged cache file is removed and the module compiled from source, on every run after too', () => {
      const t = setup();
      expect(t.run().out).toBe('1111');
      for (const name of t.files()) {
        const f = path.join(t.folder, name);
        const b = readFileSync(f);
        for (let i = 100; i < b.length; i += 97) b[i] ^= 0xa5; // bits flipped all through the V8 data
        writeFileSync(f, b);
      }
      for (let i = 0; i < 3; i++) {
        const r = t.run({ SVCLINT_DEBUG: '1' });
        expect(r.signal).toBe(null);
        expect(r.code).toBe(0);
        expect(r.out).toBe('1111');
        if (!nodeHasCompileCache && i === 0) expect(r.err).toMatch(/^svclint: code cache not used: \S+ is damaged \(checksum\); removed\n$/);
      }
    });

    it('a cache made from another source of the same length is not run', () => {
      const t = setup('1111');
      expect(t.run().out).toBe('1111');
      const made = t.files();
      expect(made.length).toBe(nodeHasCompileCache ? 0 : 1);
      const forged = made.map((n) => readFileSync(path.join(t.folder, n)));
      // The same length, other code: where the cache of the new source would be, put the old one.
      writeFileSync(t.mod, '"use strict";\nexports.v = 2222;\n');
      expect(t.run({ NODE_DISABLE_COMPILE_CACHE: '1' }).out).toBe('2222');
      const t2 = t.run();
      expect(t2.out).toBe('2222');
      for (const name of t.files()) writeFileSync(path.join(t.folder, name), forged[0]!);
      expect(t.run().out).toBe('2222');
    });

    it('a forged file with a sound header runs only from a folder of the user\'s own; from one others may write it is not read', () => {
      const t = setup('1111');
      expect(t.run().out).toBe('1111');
      if (nodeHasCompileCache) return;
      const [name] = t.files();
      const keyOf = (src: string) => createHash('sha256').update(src).update(t.mod).update(process.version).update(process.arch).digest();
      const data = readCache(path.join(t.folder, name!), keyOf('"use strict";\nexports.v = 1111;\n'))!;
      expect(data.length).toBeGreaterThan(0);
      // A forger who may write the folder: the code of 1111 filed under the key of 2222.
      writeFileSync(t.mod, '"use strict";\nexports.v = 2222;\n');
      const key = keyOf('"use strict";\nexports.v = 2222;\n');
      const forged = path.join(t.folder, `generated.cjs-${key.subarray(0, 16).toString('hex')}.bin`);
      rmAll(t.folder);
      writeCache(t.folder, forged, key, data);
      chmodSync(t.folder, 0o777);
      const r = t.run({ SVCLINT_DEBUG: '1' });
      expect(r.out).toBe('2222');
      expect(r.err).toMatch(/code cache not used: \S+code-cache may be written by others \(mode 777\)/);
      // The same file in a folder only its owner may write is the owner's own code (README: a restored cache is code).
      chmodSync(t.folder, 0o700);
      expect(t.run().out).toBe('1111');
    });

    it('a link to /dev/zero, a FIFO, a folder or an oversized file where the cache should be: compiled from source at once', () => {
      for (const kind of ['zero', 'fifo', 'folder', 'huge'] as const) {
        const t = setup('1111');
        expect(t.run().out).toBe('1111');
        if (nodeHasCompileCache) continue;
        const [name] = t.files();
        const f = path.join(t.folder, name!);
        rmAll(t.folder);
        if (kind === 'zero') symlinkSync('/dev/zero', f);
        if (kind === 'fifo') expect(spawnSync('mkfifo', [f]).status).toBe(0);
        if (kind === 'folder') mkdirSync(f);
        if (kind === 'huge') writeFileSync(f, Buffer.alloc(MAX_FILE_BYTES + 1));
        const start = Date.now();
        const r = t.run({ SVCLINT_DEBUG: '1' });
        expect(r.signal, kind).toBe(null);
        expect(r.out, kind).toBe('1111');
        expect(Date.now() - start, kind).toBeLessThan(10_000);
        expect(r.err, kind).toMatch(/code cache not used/);
        if (kind !== 'folder') expect(statSync(f).isFile(), kind).toBe(true); // replaced by a sound cache
      }
    });

    it('no cache without an absolute HOME or XDG_CACHE_HOME: never in the working folder', () => {
      expect(cacheFolder({ HOME: '', XDG_CACHE_HOME: '' })).toBeUndefined();
      expect(cacheFolder({ HOME: 'relative', XDG_CACHE_HOME: 'cache' })).toBeUndefined();
      const t = setup('1111');
      const cwdBefore = readdirSync(t.dir).sort();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT(t.mod)], { cwd: t.dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '', XDG_CACHE_HOME: 'rel' } });
      expect(r.stdout.trim()).toBe('1111');
      expect(readdirSync(t.dir).sort()).toEqual(cwdBefore);
      const home = tempTree({});
      chmodSync(home, 0o755);
      expect(cacheFolder({ HOME: home })).toBe(path.join(home, '.cache', 'svclint', 'code-cache'));
      expect(statSync(path.join(home, '.cache', 'svclint', 'code-cache')).mode & 0o777).toBe(0o700);
    });

    it('reads only a sound file of this source; writes leave no temporary file; the folder is pruned oldest first', () => {
      const dir = tempTree({});
      const key = Buffer.alloc(32, 7);
      const f = path.join(dir, 'm.bin');
      writeCache(dir, f, key, Buffer.from('v8 data'));
      expect(readCache(f, key)?.toString()).toBe('v8 data');
      expect(readCache(f, Buffer.alloc(32, 8))).toBeUndefined(); // another source: removed
      expect(existsSync(f)).toBe(false);
      mkdirSync(path.join(dir, 'taken.bin'));
      writeCache(dir, path.join(dir, 'taken.bin'), key, Buffer.from('x')); // the rename fails
      expect(readdirSync(dir)).toEqual(['taken.bin']);
      const p = tempTree({});
      const old = Date.now() / 1000 - 7200;
      for (const [name, age] of [['a.bin', 3], ['b.bin', 2], ['c.bin', 1], ['left.tmp', 0]] as const) {
        writeFileSync(path.join(p, name), Buffer.alloc(1000));
        utimesSync(path.join(p, name), old + 3600 - age * 60, old + 3600 - age * 60);
      }
      utimesSync(path.join(p, 'left.tmp'), old, old);
      prune(p, path.join(p, 'c.bin'), 2500);
      expect(readdirSync(p).sort()).toEqual(['b.bin', 'c.bin']);
    });
  });
});

describe('the command itself (bin/svclint.cjs loads dist-bundle/svclint.cjs through the code cache)', () => {
  const BIN = path.join(ROOT, 'bin', 'svclint.cjs');
  const FILE = path.join(ROOT, 'fixtures', 'demo', 'services', 'services.yaml');
  function home() {
    const dir = tempTree({});
    chmodSync(dir, 0o755);
    const xdg = path.join(dir, 'xdg');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: xdg };
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const folder = path.join(xdg, 'svclint', 'code-cache');
    const run = (args: string[], more: NodeJS.ProcessEnv = {}) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...more }, timeout: 60_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const commandCaches = () => (existsSync(folder) ? readdirSync(folder).filter((n) => n.startsWith('svclint.cjs-')).sort() : []);
    return { folder, run, commandCaches };
  }

  it('a lint run writes the command\'s cache, later runs give the same report from it, and the doctor keeps its own', () => {
    const h = home();
    const plain = h.run([FILE, '-f', 'json'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(plain.code).toBe(1);
    expect(h.commandCaches()).toEqual([]);
    const first = h.run([FILE, '-f', 'json']);
    const second = h.run([FILE, '-f', 'json']);
    // bin/svclint.js, the path the README gives, runs the same.
    const viaModule = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'svclint.js'), FILE, '-f', 'json'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.dirname(path.dirname(h.folder)) } });
    for (const r of [first, second, { code: viaModule.status, out: viaModule.stdout, err: viaModule.stderr }]) expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 1, out: plain.out, err: '' });
    if (nodeHasCompileCache) return; // Node's own compile cache, in its own folder
    expect(h.commandCaches()).toEqual([expect.stringMatching(/^svclint\.cjs-[0-9a-f]{32}\.bin$/)]);
    const doctor = h.run(['doctor', '--from', FILE]);
    expect(doctor.code).not.toBe(2);
    expect(h.commandCaches()).toEqual([expect.stringMatching(/^svclint\.cjs-[0-9a-f]{32}-doctor\.bin$/), expect.stringMatching(/^svclint\.cjs-[0-9a-f]{32}\.bin$/)]);
  });

  it('a run that only prints (--version, rules, completion) writes no cache; a damaged cache of the command is removed and the run unchanged', () => {
    const h = home();
    for (const args of [['--version'], ['rules'], ['completion', 'bash'], ['lint', '--help']]) expect(h.run(args).code, args.join(' ')).toBe(0);
    expect(h.commandCaches()).toEqual([]);
    const want = h.run([FILE, '-f', 'json'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    h.run([FILE]);
    if (nodeHasCompileCache) return;
    const [name] = h.commandCaches();
    const f = path.join(h.folder, name!);
    const b = readFileSync(f);
    for (let i = 200; i < b.length; i += 101) b[i] ^= 0x5a;
    writeFileSync(f, b);
    const r = h.run([FILE, '-f', 'json'], { SVCLINT_DEBUG: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toBe(want.out);
    expect(r.err).toMatch(/^svclint: code cache not used: \S+svclint\.cjs-\S+ is damaged \(checksum\); removed\n$/);
    expect(h.run([FILE, '-f', 'json']).out).toBe(want.out);
  });
});

function rmAll(dir: string): void {
  for (const n of readdirSync(dir)) spawnSync('rm', ['-rf', path.join(dir, n)]);
}
