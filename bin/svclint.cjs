#!/usr/bin/env node
// The `svclint` command: the self-contained bundle (npm run bundle), dependencies inlined, in
// one CommonJS file whose compiled code is cached: by Node's compile cache where Node has one
// (22.1 and newer), else by svclint's own V8 code cache in the user's cache folder
// (src/load/code-cache.ts; NODE_DISABLE_COMPILE_CACHE=1 turns both off). A cache holds what
// the run that wrote it compiled: the doctor keeps one of its own, and a run that only prints
// (--version, --help, rules, completion) writes none. CommonJS here too: an ES module entry
// costs every start the ES module loader.
'use strict';
const { enableCompileCache } = require('node:module');
const path = require('node:path');

enableCompileCache?.();
const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith('-'));
const light = args.some((a) => ['-v', '--version', '-h', '--help'].includes(a)) || ['help', 'rules', 'completion'].includes(command);
const bundle = path.join(__dirname, '..', 'dist-bundle');
require(path.join(bundle, 'code-cache.cjs')).requireWithCodeCache(path.join(bundle, 'svclint.cjs'), { tag: command === 'doctor' ? 'doctor' : undefined, write: !light });
