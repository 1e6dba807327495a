import { main } from './main.js';
import { usePlainEnvironment } from '../plain-env.js';

usePlainEnvironment();

/** The `svclint` command (bin/svclint.js runs its bundle, dist-bundle/svclint.js). */
void main();
