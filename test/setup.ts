import { homedir } from 'node:os';
import path from 'node:path';

// Tools the tests run for real (helm) are built by scripts/tools.sh into this cache.
const tools = process.env.SVCLINT_TOOLS ?? path.join(homedir(), '.cache', 'svclint-tools');
process.env.PATH = `${path.join(tools, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
