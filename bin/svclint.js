#!/usr/bin/env node
// The `svclint` command: the self-contained bundle (npm run bundle), dependencies inlined.
import '../dist-bundle/svclint.js';
