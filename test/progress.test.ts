import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT } from './helpers.js';

/** Runs the command on a pseudo-terminal (util-linux `script`): stdout and stderr both go to it. */
function onTerminal(args: string[], env: Record<string, string> = {}): string {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  delete base.CI;
  if (env.CI !== undefined) base.CI = env.CI;
  delete base.FORCE_COLOR;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: base as NodeJS.ProcessEnv });
  return r.stdout;
}

const LINE = /\r\x1b\[Ksvclint: (reading files|parsing|building the Service graph|running the rules|finding positions|writing the report)… \(\d+\.\d s\)/;

describe.skipIf(spawnSync('script', ['--version']).status !== 0)('the progress line', () => {
  it('shows on a terminal once a run takes longer than the threshold, and is cleared before the report', () => {
    const out = onTerminal(['fixtures/demo'], { SVCLINT_PROGRESS_AFTER_MS: '0' });
    expect(out).toMatch(LINE);
    const report = out.indexOf('fixtures/demo/services/services.yaml:8:10: error');
    expect(report).toBeGreaterThan(0);
    expect(out.lastIndexOf('\r\x1b[K')).toBeLessThan(report); // cleared first
    expect(out.slice(report)).not.toMatch(/svclint: (running|parsing)/);
  });

  it('does not show for a short run (the default threshold is a second)', () => {
    expect(onTerminal(['fixtures/demo/services/services.yaml', '--no-error-on-unmatched-pattern'])).not.toMatch(/\x1b\[Ksvclint:/);
  });

  it('never in CI, never with a machine format on stdout', () => {
    expect(onTerminal(['fixtures/demo'], { SVCLINT_PROGRESS_AFTER_MS: '0', CI: 'true' })).not.toMatch(/\x1b\[K/);
    for (const f of ['json', 'sarif', 'github', 'junit', 'markdown']) {
      expect(onTerminal(['fixtures/demo', '-f', f], { SVCLINT_PROGRESS_AFTER_MS: '0' }), f).not.toMatch(/\x1b\[K/);
    }
  });

  it('never when stderr is not a terminal', () => {
    const r = cli(['fixtures/demo'], { env: { SVCLINT_PROGRESS_AFTER_MS: '0', CI: undefined } });
    expect(r.stderr).toBe('');
  });
});
