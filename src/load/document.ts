import { LineCounter, parseDocument, type Document } from 'yaml';
import { kubernetesTags } from './scalars.js';
import type { ObjectOrigin } from '../types/object.js';
import type { SourceFile } from '../types/source.js';

/**
 * Options every parse of a manifest uses: YAML 1.1 with scalars read as kubectl reads them.
 * Without the `yaml` package's duplicate-key check, which compares every key of a map with
 * every other (quadratic: 20,000 annotations took 15 s to locate); parse.ts finds
 * duplicates in linear time and asks STRICT_PARSE_OPTIONS for the exact error. logLevel
 * 'error': the package's warnings (a map used as a key) would go to stderr as Node
 * warnings; such input is reported as a finding instead.
 */
export const PARSE_OPTIONS = { version: '1.1', prettyErrors: false, customTags: kubernetesTags, uniqueKeys: false, logLevel: 'error' } as const;
export const STRICT_PARSE_OPTIONS = { ...PARSE_OPTIONS, uniqueKeys: true } as const;

export interface LocatedDocument {
  doc: Document.Parsed;
  /** Add to the document's node offsets to get offsets in the file. */
  offset: number;
}

/**
 * The most recently used of a bounded number of values, made on demand: node trees are
 * many times the size of their text, and findings come document by document, so a few
 * dozen kept are as good as all of them (at 100,000 objects, all of them were 170 MB).
 */
export class Recent<V> {
  private readonly values = new Map<string, V>();
  constructor(private readonly keep: number) {}

  get(key: string, make: () => V): V {
    let v = this.values.get(key);
    if (v !== undefined) this.values.delete(key);
    else v = make();
    this.values.set(key, v);
    if (this.values.size > this.keep) this.values.delete(this.values.keys().next().value!);
    return v;
  }
}

/** Node trees kept for positions, per thread. */
export const KEEP_DOCUMENTS = 64;

const documents = new Recent<LocatedDocument>(KEEP_DOCUMENTS);
const fileIds = new WeakMap<SourceFile, number>();
let nextFileId = 0;
const lines = new WeakMap<SourceFile, LineCounter>();

/** A key for the document an origin is in, the same for every object of that document. */
export function documentKey(origin: ObjectOrigin): string {
  let id = fileIds.get(origin.file);
  if (id === undefined) fileIds.set(origin.file, (id = nextFileId++));
  return `${id}:${origin.docIndex}`;
}

/**
 * The nodes of one document, with ranges, for mapping a path to a position. A run keeps
 * only plain values in memory; the nodes of a document are built again from its slice of
 * the text when a finding in it needs a position, and the most recent ones are kept.
 * Parsing is deterministic and documents are independent, so the nodes are the same
 * however often they are built.
 */
export function documentAt(origin: ObjectOrigin): LocatedDocument {
  return documents.get(documentKey(origin), () => {
    const [start, end] = origin.docRange;
    return { doc: parseDocument(origin.file.text.slice(start, end), PARSE_OPTIONS) as Document.Parsed, offset: start };
  });
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
