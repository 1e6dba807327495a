/** One input file (or stdin) as read, before any parsing. */
export interface SourceFile {
  /** Path as shown to users: relative to the working directory, or `<stdin>`. */
  path: string;
  text: string;
  /** Set when the text is the output of a renderer, not the file's own content. */
  rendered?: 'helm' | 'kustomize';
}
