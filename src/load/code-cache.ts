import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheDir } from './cache-dir.js';

export interface CodeCacheOptions {
  /**
   * Part of the cache file's name. A cache written at the end of a run holds the functions
   * that run compiled, so runs that execute different code (the lint, the doctor) keep
   * caches of their own.
   */
  tag?: string;
  /** false: use a cache, never write one (a run too short to compile what later runs need). */
  write?: boolean;
}

/**
 * Loads a large CommonJS module (the command itself, dist-bundle/svclint.cjs, 1.3 MB, and
 * the schema validators of a Kubernetes version, 1.1 MB) with a V8 code cache where Node has no compile cache of its
 * own (before 22.1; bin/svclint.js turns Node's on where there is one). On Node 20 the
 * validators' cache saved about 20 ms of CPU time in a one-file run, the command's about
 * 60 ms (BENCHMARKS.md, "Cold start").
 *
 * A code cache is code: V8 runs what it holds and checks only the length of the source
 * against it. So the cache is trusted for speed, never for more:
 * - it lives only in the user's own cache folder (an absolute XDG_CACHE_HOME, else
 *   $HOME/.cache; none when those are empty or relative, never the working folder), and
 *   only when every folder from there down is the user's and not writable by others;
 * - a cache file is opened without following a link or waiting (a FIFO, a link to
 *   /dev/zero), read only when it is a regular file of the user's under MAX_FILE_BYTES,
 *   and handed to V8 only when the SHA-256 stored in it matches its contents and the hash
 *   of the source it was made from; anything else is deleted and the module compiled
 *   from source;
 * - it is written atomically (a temporary file that is removed on failure) and pruned to
 *   MAX_FOLDER_BYTES, oldest first.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's. SVCLINT_DEBUG=1 says on
 * stderr why a cache was not used.
 */
export function requireWithCodeCache(file: string, opts: CodeCacheOptions = {}): unknown {
  const require = createRequire(file);
  // Node's own cache where there is one, and none at all when the user turned caches off.
  if (typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function' || process.env.NODE_DISABLE_COMPILE_CACHE) return require(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return require(file);
  }
  const dir = cacheFolder(process.env);
  if (!dir) return require(file);
  // Generated code is ASCII, for which Latin-1 gives the same string as UTF-8 without
  // validating it (the bundles are 1.1-1.3 MB: 5-8 ms a file).
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // The path too: a cache keeps the file name its functions report (in stack traces).
  const key = createHash('sha256').update(bytes).update(file).update(process.version).update(process.arch).digest();
  const cacheFile = path.join(dir, `${path.basename(file)}-${key.subarray(0, 16).toString('hex')}${opts.tag ? `-${opts.tag}` : ''}.bin`);
  const cachedData = readCache(cacheFile, key);
  const script = new vm.Script(module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, require, mod, file, path.dirname(file));
  if ((!cachedData || script.cachedDataRejected) && opts.write !== false) process.once('exit', () => writeCache(dir, cacheFile, key, script.createCachedData()));
  return mod.exports;
}

/** Largest cache file read (a version's validators make about 0.5 MB). */
export const MAX_FILE_BYTES = 8 * 2 ** 20;
/** The folder is pruned to this size, oldest files first. */
export const MAX_FOLDER_BYTES = 32 * 2 ** 20;
const MAGIC = Buffer.from('svclint-code-cache-1\n');
const HEADER = MAGIC.length + 32 + 32; // magic, source key, SHA-256 of the V8 data

function debug(why: string): void {
  if (process.env.SVCLINT_DEBUG) process.stderr.write(`svclint: code cache not used: ${why}\n`);
}

/**
 * `<cache>/svclint/code-cache`, made if missing (mode 700), or undefined when there is no
 * safe one: the base is not absolute, or a folder on the way is not the user's or may be
 * written by others (anyone who can write there could put code into every run).
 */
export function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  const own = cacheDir(env);
  if (!own) {
    debug('no absolute XDG_CACHE_HOME or HOME');
    return undefined;
  }
  const base = path.dirname(own);
  const dir = path.join(own, 'code-cache');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const uid = process.getuid?.();
    for (const d of [base, own, dir]) {
      const st = lstatSync(d);
      if (!st.isDirectory()) return void debug(`${d} is not a folder`);
      if (uid !== undefined && st.uid !== uid && st.uid !== 0) return void debug(`${d} belongs to another user`);
      if (st.mode & 0o022) return void debug(`${d} may be written by others (mode ${(st.mode & 0o777).toString(8)})`);
    }
    return dir;
  } catch (err) {
    return void debug(`${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function forget(file: string, why: string): undefined {
  debug(`${file} ${why}; removed`);
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
  return undefined;
}

/** The V8 data of a cache file, when it is sound and made from this source; else undefined (and a bad file removed). */
export function readCache(file: string, key: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    return code === 'ELOOP' ? forget(file, 'is a link') : void debug(`${file}: ${code}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return forget(file, 'is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return forget(file, 'belongs to another user');
    if (st.size > MAX_FILE_BYTES || st.size <= HEADER) return forget(file, `has an impossible size (${st.size} bytes)`);
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n !== st.size) return forget(file, 'is cut short');
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return forget(file, 'is not a svclint code cache');
    if (!buf.subarray(MAGIC.length, MAGIC.length + 32).equals(key)) return forget(file, 'was made from another source');
    const data = buf.subarray(HEADER);
    const sum = createHash('sha256').update(data).digest();
    if (!sum.equals(buf.subarray(MAGIC.length + 32, HEADER))) return forget(file, 'is damaged (checksum)');
    return data;
  } catch (err) {
    return void debug(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Writes a cache file atomically; on any failure nothing is left behind. Then prunes the folder. */
export function writeCache(dir: string, file: string, key: Buffer, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([MAGIC, key, createHash('sha256').update(data).digest(), data]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    debug(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    try {
      unlinkSync(tmp);
    } catch {
      // not made
    }
    return;
  }
  prune(dir, file);
}

/** Keeps the folder under MAX_FOLDER_BYTES (newest kept, `keep` always) and removes temporary files a killed run left an hour ago. */
export function prune(dir: string, keep: string, maxBytes = MAX_FOLDER_BYTES): void {
  try {
    const now = Date.now();
    const files = readdirSync(dir)
      .map((name) => {
        const p = path.join(dir, name);
        const st = statSync(p, { throwIfNoEntry: false });
        return st?.isFile() ? { p, size: st.size, mtime: st.mtimeMs, tmp: name.endsWith('.tmp') } : undefined;
      })
      .filter((f) => f !== undefined)
      .sort((a, b) => b.mtime - a.mtime);
    let total = 0;
    for (const f of files) {
      if (f.tmp) {
        if (now - f.mtime > 3_600_000) unlinkSync(f.p);
        continue;
      }
      total += f.size;
      if (total > maxBytes && f.p !== keep) unlinkSync(f.p);
    }
  } catch {
    // pruning is housekeeping: the next run tries again
  }
}
