import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The user's cache folder for svclint: `$XDG_CACHE_HOME/svclint` when that is an absolute
 * path (the XDG spec ignores a relative one), else `~/.cache/svclint`; undefined when HOME
 * is set but empty or relative, so that nothing is ever written under the working folder.
 */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'svclint');
  let home = env.HOME;
  if (home === undefined) {
    try {
      home = homedir(); // the account's home folder when HOME is not set at all
    } catch {
      return undefined;
    }
  }
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'svclint') : undefined;
}
