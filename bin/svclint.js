#!/usr/bin/env node
// `node bin/svclint.js` runs the command as bin/svclint.cjs does (the `svclint` of package.json).
import './svclint.cjs';
