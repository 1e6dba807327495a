#!/usr/bin/env node
import('../dist/src/cli/main.js').then(
  (cli) => cli.main(),
  (err) => {
    process.stderr.write(`svclint: cannot start (${err.code === 'ERR_MODULE_NOT_FOUND' ? 'not built: run npm install' : err.message})\n`);
    process.exitCode = 2;
  },
);
