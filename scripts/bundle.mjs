// Builds the self-contained bundles in dist-bundle/: the `svclint` command, the GitHub
// Action's entry, the library API and the YAML parser thread, with every dependency and
// the generated schema validators inlined. The output is deterministic (same sources,
// same bytes), is committed, and a test fails when it differs from a fresh build.
//
//   npm run bundle                 # rebuild dist-bundle/ in place
//   node scripts/bundle.mjs <dir>  # build into another folder (the staleness test)
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'dist-bundle'));
const KUBERNETES_VERSIONS = ['1.34', '1.35', '1.36', '1.37'];

/**
 * rules/schema-invalid/load-generated.ts finds its files at run time; in the bundle they sit
 * in schemas/ next to the chunks (copied below) and only the version a run uses is loaded
 * (with a code cache on Node 20: src/load/code-cache.ts): inlined, the four versions (5 MB
 * of code) cost every run's start 60 ms to read.
 */
/**
 * jsonc-parser's `main` is a UMD build that requires its own modules by computed paths, which
 * no bundler follows (the bundle then fails at its first import); its ES build imports them.
 */
const alias = { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' };

const staticSchemas = {
  name: 'static-schemas',
  setup(b) {
    b.onLoad({ filter: /rules[\\/]schema-invalid[\\/]load-generated\.ts$/ }, () => ({
      resolveDir: path.join(root, 'rules', 'schema-invalid'),
      loader: 'js',
      contents: [
        "import { fileURLToPath } from 'node:url';",
        "import { requireWithCodeCache } from '../../src/load/code-cache.ts';",
        `const VERSIONS = ${JSON.stringify(KUBERNETES_VERSIONS)};`,
        'export function loadGenerated(version) {',
        "  if (!VERSIONS.includes(version)) throw new Error(`no schemas for Kubernetes ${version}`);",
        '  const load = require; // the banner\'s require, relative to this chunk; left for run time',
        '  const file = fileURLToPath(new URL(`./schemas/kubernetes-${version}.cjs`, import.meta.url));',
        '  return { validators: requireWithCodeCache(file), fields: load(`./schemas/kubernetes-${version}.fields.json`) };',
        '}',
      ].join('\n'),
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    action: 'src/cli/action-main.ts',
    index: 'src/index.ts',
    // parse-pool.ts starts it as new URL('./parse-worker.js', import.meta.url): it sits next to the chunks.
    'parse-worker': 'src/load/parse-worker.ts',
    // locate-pool.ts starts it the same way.
    'locate-worker': 'src/engine/locate-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true, // the doctor and the Kubernetes client load only for `svclint doctor`
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunk-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [staticSchemas],
  alias,
  // Dependencies written as CommonJS call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);" },
});

/**
 * The command itself is one CommonJS file: Node 20 has no compile cache for ES modules, and
 * compiling the ~700 KB of chunks a lint loads took 40 ms of every run's start. A script
 * can be compiled with a V8 code cache (src/load/code-cache.ts), which bin/svclint.cjs uses;
 * Node 22.1 and newer cache it with their own compile cache. The doctor and the Kubernetes
 * client are in the same file, compiled only when a run calls them.
 */
const cjsSchemas = {
  name: 'cjs-schemas',
  setup(b) {
    b.onLoad({ filter: /rules[\\/]schema-invalid[\\/]load-generated\.ts$/ }, () => ({
      resolveDir: path.join(root, 'rules', 'schema-invalid'),
      loader: 'js',
      contents: [
        "import path from 'node:path';",
        "import { readFileSync } from 'node:fs';",
        "import { requireWithCodeCache } from '../../src/load/code-cache.ts';",
        `const VERSIONS = ${JSON.stringify(KUBERNETES_VERSIONS)};`,
        'export function loadGenerated(version) {',
        "  if (!VERSIONS.includes(version)) throw new Error(`no schemas for Kubernetes ${version}`);",
        '  const base = path.join(__dirname, "schemas", `kubernetes-${version}`);',
        "  return { validators: requireWithCodeCache(`${base}.cjs`), fields: JSON.parse(readFileSync(`${base}.fields.json`, 'utf8')) };",
        '}',
      ].join('\n'),
    }));
  },
};
/**
 * commander requires node:child_process when it loads, for subcommands that are separate
 * executables (svclint has none); with the sockets it pulls in, that was about 5 ms of every
 * start. In the command's bundle commander gets it on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'svclint-lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'svclint-lazy' }, () => ({
      loader: 'js',
      contents: "let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require('node:child_process'))[key] });",
    }));
  },
};
await build({
  absWorkingDir: root,
  // bin/svclint.cjs loads the command through code-cache.cjs.
  entryPoints: { svclint: 'src/cli/bin.ts', 'code-cache': 'src/load/code-cache.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [cjsSchemas, lazyChildProcess],
  alias,
  // The worker threads (parse-worker.js, locate-worker.js) and the findings cache find their
  // files from import.meta.url: in CommonJS, this file's own URL.
  define: { 'import.meta.url': '__svclintUrl' },
  banner: { js: "const __svclintUrl = require('node:url').pathToFileURL(__filename).href;" },
});
mkdirSync(path.join(outdir, 'schemas'));
for (const v of KUBERNETES_VERSIONS) {
  for (const f of [`kubernetes-${v}.cjs`, `kubernetes-${v}.fields.json`]) copyFileSync(path.join(root, 'rules', 'schema-invalid', 'generated', f), path.join(outdir, 'schemas', f));
}
console.log(`bundled into ${path.relative(process.cwd(), outdir) || '.'}: ${readdirSync(outdir).length} files`);
