import { UsageError } from '../errors.js';

/** Exit codes: documented in the README. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  /** stderr is a terminal: the progress line may be shown. */
  stderrIsTTY?: boolean;
  readStdin?: () => Promise<string>;
}

/** --color/--no-color, then FORCE_COLOR (0 or false: off), then NO_COLOR, then a terminal. */
export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}

/** A usage error in the command line itself: the message, then a pointer to the command's --help. */
export class ArgumentError extends UsageError {
  /** The command whose --help to point at: '' for `svclint --help`; by default the command being run. */
  constructor(message: string, readonly help?: string) {
    super(message);
  }
}
