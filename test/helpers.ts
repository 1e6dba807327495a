import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root: the nearest folder above this file with a package.json (also from dist/). */
export const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return existsSync(path.join(dir, 'dist')) && path.basename(dir) === 'dist' ? path.dirname(dir) : dir;
})();
/**
 * The command as it ships: bin/svclint.cjs (package.json's `svclint`) runs the committed bundle (dist-bundle/), which
 * test/bundle.test.ts keeps equal to a fresh build of the sources (`npm run bundle`).
 * CLI tests run it, never the tsc output in dist/, so what they prove is what users run.
 */
export const BIN = path.join(ROOT, 'bin', 'svclint.cjs');
export const CORPUS = process.env.SVCLINT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');

/**
 * For tests that read the shared corpus (../shared/corpus beside the clone): true when it
 * is there. When it is absent the caller skips (`describe.skipIf(!corpusOrSkip())`) and
 * one line says so; with SVCLINT_REQUIRE_CORPUS=1 (set by .ci/run) its absence throws.
 */
export function corpusOrSkip(what = 'corpus tests'): boolean {
  if (existsSync(CORPUS)) return true;
  if (process.env.SVCLINT_REQUIRE_CORPUS === '1') throw new Error(`${CORPUS} is missing and SVCLINT_REQUIRE_CORPUS=1: copy shared/ beside the clone`);
  console.warn(`skipping ${what}: ${CORPUS} is absent (a plain clone has no shared/ folder)`);
  return false;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, in a child process. */
export function cli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  // Node.js 24 warns when NO_COLOR and FORCE_COLOR are both set, so set only what a case asks for.
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env.FORCE_COLOR;
  if (opts.env?.FORCE_COLOR !== undefined) {
    env.FORCE_COLOR = opts.env.FORCE_COLOR;
    delete env.NO_COLOR;
  }
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `# expect: rule-a, rule-b` markers: the lines where findings must start. */
export function expectedMarkers(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(line);
    if (m) for (const id of m[1]!.split(',')) out.push(`${i + 1}:${id.trim()}`);
    // A finding on a line that cannot hold a comment (a `.properties` line inside a ConfigMap): the marker stands on its own line above it.
    const next = /#\s*expect-next-line:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(line);
    if (next) for (const id of next[1]!.split(',')) out.push(`${i + 2}:${id.trim()}`);
  });
  return out.sort();
}

/** A temporary folder holding these files (names may have folders). */
export function tempTree(files: Record<string, string>, prefix = 'svclint-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/**
 * The repository as a clone of it would hold it once committed: the files git tracks and
 * the new ones it does not ignore, as they are now; no node_modules, no dist.
 */
export function copyOfCheckout(dest: string): string {
  const r = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  for (const f of r.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(ROOT, f))) continue; // deleted, not yet committed
    if (f === 'node_modules') continue; // a symlink to a shared install is no part of a clone
    mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dest, f));
  }
  return dest;
}

/** Every .yaml, .yml and .json file under a folder, depth first. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * Every object of every rule case (rules/<rule>/cases/*.yaml), as the `yaml` package reads it
 * with merge keys: documents with errors, and the alias bomb of yaml-syntax's cases, are left out.
 */
export function ruleCaseObjects(): Record<string, unknown>[] {
  const rulesDir = path.join(ROOT, 'rules');
  const out: Record<string, unknown>[] = [];
  for (const rule of readdirSync(rulesDir)) {
    const dir = path.join(rulesDir, rule, 'cases');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(path.join(dir, f), 'utf8'), { merge: true })) {
        if (doc.errors.length) continue;
        let obj: unknown;
        try {
          obj = doc.toJS({ maxAliasCount: 100 });
        } catch {
          continue;
        }
        if (obj && typeof obj === 'object' && !Array.isArray(obj)) out.push(obj as Record<string, unknown>);
      }
    }
  }
  return out;
}
