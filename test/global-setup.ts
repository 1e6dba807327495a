import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.SVCLINT_TOOLS ?? path.join(homedir(), '.cache', 'svclint-tools');

/** The tools the full suite runs for real, built once into the cache (each script returns at once when it is there). */
const TOOLS = [
  { script: 'tools.sh', what: 'helm (chart tests)' },
  { script: 'control-plane.sh', what: 'kube-apiserver, kube-controller-manager and etcd (doctor tests)' },
  { script: 'apiserver-1.20.sh', what: 'kube-apiserver 1.20 (the v1 Endpoints fallback test)' },
  { script: 'netpol-analyzer.sh', what: 'netpol-analyzer (the NetworkPolicy differential test)' },
];

/**
 * Runs one build script: its "building …" line goes to the terminal as the one progress
 * line of that tool; the rest of its output is kept and shown only if the build fails.
 */
function build(script: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(root, 'scripts', script)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const l of lines) if (/^building /.test(l)) process.stderr.write(`svclint tests: ${l} (cached in ${cache})\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      reject(new Error(`scripts/${script} failed (exit ${code}): the tests of ${what} need it; see the README's prerequisites.\n${log.split('\n').slice(-30).join('\n')}`));
    });
  });
}

/**
 * Vitest's global setup for the full suite (`npm test`): builds the external tools before
 * any test starts, with no timeout, so a first run on a fresh machine only takes longer.
 * `npm run test:unit` needs none of them and skips this.
 */
export default async function setup(): Promise<void> {
  for (const t of TOOLS) await build(t.script, t.what);
}
