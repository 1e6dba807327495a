import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Vitest's global setup for both configurations: every temporary folder of the run (the
 * tests' own, and those of the commands they start) goes into one folder, removed when the
 * run ends. Tests make hundreds of folders, many with copies of the corpus; without this a
 * machine that runs the suite often fills its disk.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-test-run-'));
  // As open as /tmp itself: some tests run the command as another user.
  chmodSync(dir, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
