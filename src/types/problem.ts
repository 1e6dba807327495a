import type { SourceFile } from './source.js';

/** Something wrong with an input before it became objects: unreadable, too large, not YAML. */
export interface LoadProblem {
  ruleId: 'yaml-syntax' | 'file-unreadable' | 'render-failed';
  messageId: string;
  data: Record<string, string | number>;
  /** The file, when it could be read; otherwise only its path. */
  file?: SourceFile;
  filePath: string;
  /** Byte offsets into the file's text. */
  range?: [number, number];
}
