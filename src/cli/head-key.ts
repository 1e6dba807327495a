import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Config } from '../engine/config.js';
import { ancestorFiles } from '../load/discover.js';
import { rendererIds } from '../load/render.js';
import { nulList, start } from './head-tree.js';
import { renderOptions, type InputOpts } from './lint-command.js';

/** Past these, the untracked files are not hashed for a key: HEAD's inputs are derived instead. */
const MAX_UNTRACKED_FILES = 2000;
const MAX_UNTRACKED_BYTES = 64 * 1024 * 1024;

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A file's content hash, '' when it is not there, '?' when it cannot be read. */
function contentOf(file: string): string {
  try {
    return sha(readFileSync(file));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? '' : '?';
  }
}

/**
 * What a load of `commit`'s tree checked out with the work tree's untracked files (as the
 * pre-commit hook lints HEAD) is a function of, known without deriving that load: the tree
 * by its id, each untracked file by its path and content, what git converts on checkout by
 * (the settings and attribute files outside the tree), the ignore files above the
 * repository, the renderers, and the command line's input options with the values files'
 * content. The config is added by the findings cache. Undefined when git cannot say, or an
 * untracked path is not a regular file, or there are too many untracked files to hash.
 *
 * The git commands start at once and run while the work tree is linted.
 */
export async function headTreeKey(top: string, commit: string, opts: InputOpts, config: Config, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let answers: [Buffer, Buffer, Buffer];
  try {
    answers = await Promise.all([
      start(top, ['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`]),
      start(top, ['ls-files', '-z', '--others', '--exclude-standard']),
      start(top, ['config', '-z', '--get-regexp', '^(core\\.(autocrlf|eol|attributesfile|symlinks)|filter\\.)'], undefined, [1]),
    ]);
  } catch {
    return undefined;
  }
  const [tree, others, settings] = answers;
  const untracked: [string, string][] = [];
  let bytes = 0;
  const paths = nulList(others).sort();
  if (paths.length > MAX_UNTRACKED_FILES) return undefined;
  for (const rel of paths) {
    const abs = path.join(top, rel);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    bytes += st.size;
    if (bytes > MAX_UNTRACKED_BYTES) return undefined;
    untracked.push([rel, contentOf(abs)]);
  }
  // Attributes outside the tree: the repository's own, the user's and the system's.
  const configured = new Map(nulList(settings).map((r) => {
    const nl = r.indexOf('\n');
    return nl < 0 ? [r.toLowerCase(), ''] as const : [r.slice(0, nl).toLowerCase(), r.slice(nl + 1)] as const;
  }));
  const userAttributes = configured.get('core.attributesfile')?.replace(/^~(?=\/|$)/, homedir())
    ?? path.join(env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), '.config'), 'git', 'attributes');
  let gitDir: string;
  try {
    gitDir = (await start(top, ['rev-parse', '--absolute-git-dir'])).toString('utf8').trim();
  } catch {
    return undefined;
  }
  const attributes = [path.join(gitDir, 'info', 'attributes'), path.resolve(top, userAttributes), '/etc/gitattributes'].map((f) => [f, contentOf(f)]);
  const ignoreNames = [...(opts.gitignore !== false ? ['.gitignore'] : []), '.svclintignore'];
  const above = ancestorFiles(top, ignoreNames).map((f) => [f, contentOf(f)]);
  const render = renderOptions(opts, config, env);
  const inputs = {
    render: render !== false,
    renderers: render === false ? [] : rendererIds(render),
    helmValues: render === false ? [] : (opts.helmValues ?? []).map((v) => [path.resolve(top, v), contentOf(path.resolve(top, v))]),
    helmSet: opts.helmSet ?? [],
    helmRelease: opts.helmRelease ?? null,
    gitignore: opts.gitignore !== false,
    ignorePattern: opts.ignorePattern ?? [],
    maxInputBytes: opts.maxInputBytes ?? null,
  };
  return sha(JSON.stringify({ top, tree: tree.toString('utf8').trim(), untracked, settings: [...configured], attributes, above, inputs }));
}
