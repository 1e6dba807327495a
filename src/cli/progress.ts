import { onMark } from '../timing.js';
import type { Format } from '../report/index.js';
import type { CliIO } from './io.js';

/** A run shorter than this shows no progress at all. */
export const PROGRESS_AFTER_MS = 1000;

/** What a run does after each timing mark. */
const NEXT: Record<string, string> = {
  config: 'reading files',
  read: 'parsing',
  parse: 'building the Service graph',
  graph: 'running the rules',
  rules: 'finding positions',
  positions: 'writing the report',
  order: 'writing the report',
};

/**
 * One progress line on stderr, rewritten in place, for runs that take more than a moment:
 * only when stderr is a terminal, never in CI (the CI variable, set by every CI service)
 * and never when a machine format goes to stdout. Cleared before the report is written.
 */
export function startProgress(io: CliIO, formats: readonly Format[] | undefined, outputFiles: readonly string[] | undefined, now = () => performance.now()): () => void {
  const toStdout = (formats?.length ? formats : ['stylish']).filter((_, i) => !outputFiles?.[i]);
  if (!io.stderrIsTTY || (io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false') || toStdout.some((f) => f !== 'stylish')) return () => {};
  const after = Number(io.env.SVCLINT_PROGRESS_AFTER_MS ?? PROGRESS_AFTER_MS); // tests set 0
  const start = now();
  let shown = false;
  const stop = onMark((phase) => {
    const next = NEXT[phase];
    if (!next) return;
    const ms = now() - start;
    if (!(ms >= after)) return;
    io.stderr(`\r\x1b[Ksvclint: ${next}… (${(ms / 1000).toFixed(1)} s)`);
    shown = true;
  });
  return () => {
    stop();
    if (shown) io.stderr('\r\x1b[K');
  };
}
