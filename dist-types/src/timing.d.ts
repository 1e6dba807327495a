/** Starts keeping marks when the environment asks for timing. */
export declare function startTiming(env: NodeJS.ProcessEnv): void;
/** Whether each rule's time is kept too (SVCLINT_TIMING=rules). */
export declare function timingRules(): boolean;
export declare function ruleTime(id: string, ms: number): void;
/** Calls `fn` at every mark (the progress line); returns the function that stops it. */
export declare function onMark(fn: (phase: string) => void): () => void;
export declare function mark(phase: string): void;
/** One stderr line like `timing: startup 120 ms (cpu 110 ms, rss 60 MiB), ...`, or nothing. The resident set size is the process's at the end of the phase. */
export declare function timingLine(env: NodeJS.ProcessEnv): string;
