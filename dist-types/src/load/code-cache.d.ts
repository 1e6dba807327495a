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
export declare function requireWithCodeCache(file: string): unknown;
