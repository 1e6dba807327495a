/**
 * The user's cache folder for svclint: `$XDG_CACHE_HOME/svclint` when that is an absolute
 * path (the XDG spec ignores a relative one), else `~/.cache/svclint`; undefined when HOME
 * is set but empty or relative, so that nothing is ever written under the working folder.
 */
export declare function cacheDir(env: NodeJS.ProcessEnv): string | undefined;
