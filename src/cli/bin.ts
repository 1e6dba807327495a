import { main } from './main.js';

// The `yaml` package reads process.env.LOG_TOKENS for every token it parses, and reading
// process.env asks the operating system each time: a third of the time spent finding
// positions went there. The command only reads its environment, so it works on a plain
// copy (child processes get that copy). Not on Windows, where names are case-insensitive.
if (process.platform !== 'win32') process.env = { ...process.env };

/** The `svclint` command (bin/svclint.js runs its bundle, dist-bundle/svclint.js). */
void main();
