import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheDir } from './cache-dir.js';

/**
 * Loads a large generated CommonJS module (the schema validators: 1.4 MB of code) with a
 * V8 code cache where Node has no compile cache of its own (before 22.1; bin/svclint.js
 * turns Node's on where there is one). Compiling that code was a sixth of a one-file run
 * on Node 20; from the cache it takes a quarter of that time. The cache lives in the
 * user's own cache folder, is named by a hash of the source, its path, the Node version
 * and the architecture, and is written once, at exit, with the functions the run compiled. Any
 * failure to read or write it only means the module is compiled from source.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's.
 */
export function requireWithCodeCache(file: string): unknown {
  const require = createRequire(file);
  // Node's own cache where there is one, and none at all when the user turned caches off.
  if (typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function' || process.env.NODE_DISABLE_COMPILE_CACHE) return require(file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return require(file);
  }
  const base = cacheDir(process.env);
  if (!base) return require(file); // no cache folder (an empty HOME): never one under the working folder
  const dir = path.join(base, 'code-cache');
  // The path too: a cache keeps the file name its functions report (in stack traces).
  const hash = createHash('sha256').update(source).update(file).update(process.version).update(process.arch).digest('hex').slice(0, 32);
  const cacheFile = path.join(dir, `${path.basename(file)}-${hash}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, require, mod, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
      } catch {
        // no cache this time
      }
    });
  }
  return mod.exports;
}
