import { main } from './main.js';
import { usePlainEnvironment } from '../plain-env.js';

usePlainEnvironment();

/** The `svclint` command (bin/svclint.cjs runs its bundle, dist-bundle/svclint.cjs). */
void main();
