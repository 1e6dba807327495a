/**
 * Where a run (lint or doctor) spends its time (SVCLINT_TIMING=1): each mark closes a
 * phase that started at the previous one; the first phase starts with the process. Wall
 * and CPU time both: on a busy machine only the CPU time is comparable between runs.
 * SVCLINT_TIMING=rules adds each rule's wall time. Marks are kept only once a command has switched timing on, so library use keeps none.
 */
const marks: [string, number, number, number][] = [];
const rules: [string, number][] = [];
let on = false;
let perRule = false;

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Starts keeping marks when the environment asks for timing. */
export function startTiming(env: NodeJS.ProcessEnv): void {
  on = Boolean(env.SVCLINT_TIMING);
  perRule = env.SVCLINT_TIMING === 'rules';
}

/** Whether each rule's time is kept too (SVCLINT_TIMING=rules). */
export function timingRules(): boolean {
  return perRule;
}

export function ruleTime(id: string, ms: number): void {
  rules.push([id, ms]);
}

const listeners = new Set<(phase: string) => void>();

/** Calls `fn` at every mark (the progress line); returns the function that stops it. */
export function onMark(fn: (phase: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function mark(phase: string): void {
  if (on) marks.push([phase, performance.now(), cpu(), process.memoryUsage.rss()]);
  for (const fn of listeners) fn(phase);
}

/** One stderr line like `timing: startup 120 ms (cpu 110 ms, rss 60 MiB), ...`, or nothing. The resident set size is the process's at the end of the phase. */
export function timingLine(env: NodeJS.ProcessEnv): string {
  if (!env.SVCLINT_TIMING || !marks.length) return '';
  let [wall, used] = [0, 0];
  const parts = marks.map(([phase, at, c, rss]) => {
    const part = `${phase} ${Math.round(at - wall)} ms (cpu ${Math.round(c - used)} ms, rss ${Math.round(rss / 2 ** 20)} MiB)`;
    [wall, used] = [at, c];
    return part;
  });
  const line = `svclint: timing: ${parts.join(', ')}; total ${Math.round(wall)} ms (cpu ${Math.round(used)} ms)\n`;
  if (!rules.length) return line;
  const slowest = [...rules].sort((a, b) => b[1] - a[1]).map(([id, ms]) => `${id} ${Math.round(ms)} ms`);
  return `${line}svclint: timing of the rules, slowest first: ${slowest.join(', ')}\n`;
}
