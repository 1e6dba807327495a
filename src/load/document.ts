import { LineCounter, parseDocument, type Document } from 'yaml';
import { kubernetesTags } from './scalars.js';
import type { ObjectOrigin } from '../types/object.js';
import type { SourceFile } from '../types/source.js';

/** Options every parse of a manifest uses: YAML 1.1 with scalars read as kubectl reads them. */
export const PARSE_OPTIONS = { version: '1.1', prettyErrors: false, customTags: kubernetesTags } as const;

export interface LocatedDocument {
  doc: Document.Parsed;
  /** Add to the document's node offsets to get offsets in the file. */
  offset: number;
}

const documents = new WeakMap<SourceFile, Map<number, LocatedDocument>>();
const lines = new WeakMap<SourceFile, LineCounter>();

/**
 * The nodes of one document, with ranges, for mapping a path to a position. A run keeps
 * only plain values in memory; the nodes of a document are built again, once, from its
 * slice of the text when a finding in it needs a position. Parsing is deterministic and
 * documents are independent, so the nodes are those of the first parse.
 */
export function documentAt(origin: ObjectOrigin): LocatedDocument {
  let perFile = documents.get(origin.file);
  if (!perFile) documents.set(origin.file, (perFile = new Map()));
  let d = perFile.get(origin.docIndex);
  if (!d) {
    const [start, end] = origin.docRange;
    d = { doc: parseDocument(origin.file.text.slice(start, end), PARSE_OPTIONS) as Document.Parsed, offset: start };
    perFile.set(origin.docIndex, d);
  }
  return d;
}

export function lineCounterOf(file: SourceFile): LineCounter {
  let lc = lines.get(file);
  if (!lc) {
    lc = new LineCounter();
    lc.addNewLine(0);
    for (let i = file.text.indexOf('\n'); i >= 0; i = file.text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
    lines.set(file, lc);
  }
  return lc;
}
