/** One input file (or stdin) as read, before any parsing. */
export interface SourceFile {
  /** Path as shown to users: relative to the working directory, or `<stdin>`. */
  path: string;
  text: string;
  /** Set when the text is the output of a renderer, not the file's own content. */
  rendered?: 'helm' | 'kustomize';
  /** Helm: the release name the chart was rendered with (`helm template <release>`). */
  release?: string;
  /** For rendered text: where each rendered document comes from (see RenderedPart). */
  parts?: RenderedPart[];
}

/**
 * One document of a renderer's output and the real files behind it. A position in it is
 * reported in a real file only when the mapping is exact; otherwise `file` is reported
 * without a line.
 */
export interface RenderedPart {
  /** Offsets of the document in the rendered text. */
  range: [number, number];
  /** The real file to name: the template or the object's source file when known, else the chart's or kustomization's file. */
  file: string;
  /** Helm: the rendered text from offset `from` on is the template's own text from offset `at` (a template without directives). */
  verbatim?: { file: SourceFile; from: number; at: number };
  /**
   * Helm: the template this document was rendered from and its document there, when the
   * template has as many documents as it rendered (no conditional or repeated documents):
   * positions are looked up in the template by path (engine/helm-template.ts).
   */
  template?: { file: SourceFile; doc: number };
  /** Kustomize: documents of the same kind and name in the resource and patch files, latest patch first. */
  sources?: { file: SourceFile; docIndex: number; docRange: [number, number] }[];
}
