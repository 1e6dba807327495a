import { main } from './main.js';

/** The `svclint` command (bin/svclint.js runs its bundle, dist-bundle/svclint.js). */
void main();
