import type { LineCounter } from 'yaml';

/** One input file (or stdin) as read from disk, before any parsing. */
export interface SourceFile {
  /** Path as shown to users: relative to the working directory, or `<stdin>`. */
  path: string;
  text: string;
  /** Maps byte offsets to 1-based line/column; filled by the parse stage. */
  lineCounter: LineCounter;
}
