import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds Helm once (scripts/tools.sh) so that `npm test` alone has what the chart tests run. */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const r = spawnSync('bash', [path.join(root, 'scripts', 'tools.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/tools.sh failed: the chart tests need helm');
}
