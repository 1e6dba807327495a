import fs, { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { globbySync } from 'globby';
import { describe, expect, it } from 'vitest';
import { corpusOrSkip, CORPUS } from './helpers.js';
import { discover, listNamed, MANIFEST_PATTERNS } from '../src/load/discover.js';

/**
 * A folder input with no ignore file in it or above it is listed without globby
 * (discover.ts, listNamed): it must find exactly what globby's walk with the same patterns
 * finds, entry for entry, with what each entry is.
 */

const NAMES = ['.gitignore', '.svclintignore'];

function byGlobby(dir: string) {
  return globbySync([...MANIFEST_PATTERNS, ...NAMES.map((n) => `**/${n}`)], {
    cwd: dir, absolute: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'], followSymbolicLinks: false, onlyFiles: false, objectMode: true, fs,
  });
}

const shape = (dir: string, es: { path: string; name: string; dirent: { isDirectory(): boolean; isFile(): boolean } }[]) =>
  es.map((e) => [path.relative(dir, path.resolve(e.path)), e.name, e.dirent.isDirectory(), e.dirent.isFile()] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

function edgeTree(ignoreFiles = true): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-walk-'));
  const files = ['.yaml', 'x.yaml', '.x.yml', 'Kustomization', '.Kustomization', 'a.JSON', 'a.yaml~', 'a.yaml.bak', 'b.Yaml', 'sub/.hidden/k.json', 'node_modules/x/a.yaml',
    'deep/node_modules/y.yaml', '.git/y/b.yaml', 'sub/.git', 'we ird/[a].yaml', 'sub/*.yaml', 'sub/{b}.yml', 'sub/.gitignore', '.svclintignore', 'sub/new\nline.yaml',
    'd.yaml/in.json', 'node_modules.yaml/z/q.yaml', 'kustomization', 'x.json/Kustomization', 'a/b/c/d/e/f.yml'].filter((f) => ignoreFiles || !NAMES.includes(path.basename(f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'a: 1\n');
  }
  mkdirSync(path.join(dir, 'empty.yml'));
  if (ignoreFiles) mkdirSync(path.join(dir, '.gitignore.d', '.svclintignore'), { recursive: true });
  symlinkSync('x.yaml', path.join(dir, 'link.yaml'));
  symlinkSync('d.yaml', path.join(dir, 'dlink.yaml'));
  symlinkSync('sub', path.join(dir, 'sublink'));
  symlinkSync('nowhere', path.join(dir, 'dangling.json'));
  execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
  return dir;
}

describe('listing a folder without globby', () => {
  it('finds what globby finds, with the same kinds: dot files, folders and links that match, no node_modules or .git', () => {
    const dir = edgeTree();
    const read = ((p: fs.PathLike, o?: unknown) => fs.readdirSync(p, o as { withFileTypes: true })) as typeof fs.readdirSync;
    const got = shape(dir, listNamed(dir, NAMES, read));
    expect(got).toEqual(shape(dir, byGlobby(dir)));
    expect(got.map((e) => e[0])).toEqual(expect.arrayContaining(['.yaml', 'd.yaml', 'fifo.yaml', 'link.yaml', 'sub/new\nline.yaml', 'node_modules.yaml/z/q.yaml']));
    expect(got.some((e) => e[0].includes('node_modules/') || e[0].startsWith('.git/'))).toBe(false);
  });

  it('notes a folder it cannot list and goes on, as discover reports it', async () => {
    const dir = edgeTree();
    const seen: string[] = [];
    const read = ((p: fs.PathLike, o?: unknown) => {
      if (String(p).endsWith(`${path.sep}sub`)) {
        seen.push(String(p));
        return [];
      }
      return fs.readdirSync(p, o as { withFileTypes: true });
    }) as typeof fs.readdirSync;
    const got = shape(dir, listNamed(dir, NAMES, read)).map((e) => e[0]);
    expect(seen).toEqual([path.join(dir, 'sub')]);
    expect(got).toContain('x.yaml');
    expect(got.some((p) => p.startsWith('sub/'))).toBe(false);
  });

  it('gives discover the same files and problems as the walk through globby', async () => {
    const dir = edgeTree(false);
    // No ignore file in the folder: listed without globby; with no ignore file names at all, globby walks it.
    const listed = await discover(['.'], { cwd: dir, ignore: [], ignoreFiles: ['.svclintignore'], gitignore: true, render: false, trace: { folders: [], reads: new Map(), others: 0 } });
    const globbed = await discover(['.'], { cwd: dir, ignore: [], ignoreFiles: [], gitignore: false, render: false });
    expect(listed.files.length).toBeGreaterThan(10);
    expect(listed.files).toEqual(globbed.files);
    expect(listed.problems).toEqual(globbed.problems);
    expect(listed.problems.map((p) => p.filePath)).toEqual(expect.arrayContaining(['fifo.yaml', 'dangling.json']));
  });

  it.skipIf(!corpusOrSkip('the corpus part of the listing test'))('finds what globby finds over the corpus', () => {
    const read = ((p: fs.PathLike, o?: unknown) => fs.readdirSync(p, o as { withFileTypes: true })) as typeof fs.readdirSync;
    const got = shape(CORPUS, listNamed(CORPUS, NAMES, read));
    expect(got.length).toBeGreaterThan(1000);
    expect(got).toEqual(shape(CORPUS, byGlobby(CORPUS)));
  }, 120_000);
});
