import { homedir } from 'node:os';
import fc from 'fast-check';
import path from 'node:path';

// Tools the tests run for real (helm) are built by scripts/tools.sh into this cache.
const tools = process.env.SVCLINT_TOOLS ?? path.join(homedir(), '.cache', 'svclint-tools');
process.env.PATH = `${path.join(tools, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;

// SVCLINT_SEED=N fixes the seed of every random property that names none (fast-check prints
// the seed of a failure: rerun it with that). CI sets one from the commit, so a run on one
// commit generates the same inputs on any machine; without it each run draws new inputs.
if (process.env.SVCLINT_SEED) fc.configureGlobal({ seed: Number(process.env.SVCLINT_SEED) });
