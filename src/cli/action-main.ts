import { action } from './action.js';
import { usePlainEnvironment } from '../plain-env.js';

usePlainEnvironment();

/** The Action's entry (action.yml runs its bundle, dist-bundle/action.js, on node24). */
void action().then((code) => {
  process.exitCode = code;
});
