#!/usr/bin/env node
// The `svclint` command: the self-contained bundle (npm run bundle), dependencies inlined.
// Where Node has a compile cache (22.1 and newer), the bundle's code is compiled once and
// read from the cache after that, which shortens every later start.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist-bundle/svclint.js');
