import { action } from './action.js';

/** The Action's entry (action.yml runs its bundle, dist-bundle/action.js, on node24). */
void action().then((code) => {
  process.exitCode = code;
});
