import { isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { kubernetesTags } from './scalars.js';
import type { ObjectOrigin, Path } from '../types/object.js';
import { jsonListItems } from './json-items.js';
import { yamlListItems } from './yaml-items.js';
import type { RenderedPart, SourceFile } from '../types/source.js';

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
  /** The path from these nodes' root to the object: origin.base, or nothing when only the object's text was parsed. */
  base: Path;
}

/** The text whose nodes give an origin's positions: its document, or only its item of a large List. */
export interface Span {
  key: string;
  range: [number, number];
  base: Path;
  /** The text is one item of a List: when it does not parse alone as one (errors, another shape), the whole document is parsed instead. */
  item?: true;
}

/** From this size a List item is parsed alone (below it, the whole document is as quick). */
export const ITEM_SPAN_MIN_BYTES = 256 * 1024;

/** A List's items as texts that parse alone: their ranges, and the path from such a text's root to its item. */
interface ItemSpans {
  ranges: [number, number][];
  base: Path;
}

const itemRanges = new WeakMap<SourceFile, Map<number, ItemSpans | null>>();

/** The items of a JSON List (each text is the item) or of a YAML List in block style (each text a sequence of that one entry). */
function listItems(text: string, start: number, end: number): ItemSpans | null {
  const json = jsonListItems(text, start, end);
  if (json) return { ranges: json, base: [] };
  const yaml = yamlListItems(text, start, end);
  return yaml ? { ranges: yaml, base: [0] } : null;
}

export function spanOf(origin: ObjectOrigin): Span {
  const key = documentKey(origin);
  const [start, end] = origin.docRange;
  const [first, index] = origin.base;
  if (origin.base.length === 2 && first === 'items' && typeof index === 'number' && end - start >= ITEM_SPAN_MIN_BYTES) {
    let byDoc = itemRanges.get(origin.file);
    if (!byDoc) itemRanges.set(origin.file, (byDoc = new Map()));
    let items = byDoc.get(origin.docIndex);
    if (items === undefined) byDoc.set(origin.docIndex, (items = listItems(origin.file.text, start, end)));
    const item = items?.ranges[index];
    if (item) return { key: `${key}:${index}`, range: item, base: items!.base, item: true };
  }
  return { key, range: origin.docRange, base: origin.base };
}

/** Whether an item's text parsed alone as what its span says: no errors, and one entry when it is a sequence of one. */
export function parsedAsItem(doc: Document.Parsed, base: Path): boolean {
  if (doc.errors.length > 0) return false;
  return base.length === 0 || (isSeq(doc.contents) && doc.contents.items.length === 1);
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

const documents = new Recent<{ doc: Document.Parsed; offset: number } | null>(KEEP_DOCUMENTS);
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
  const span = spanOf(origin);
  const parse = ([start, end]: [number, number]) => ({ doc: parseDocument(origin.file.text.slice(start, end), PARSE_OPTIONS) as Document.Parsed, offset: start });
  if (span.item) {
    // An item's text that does not parse alone as one is remembered as such (null): its whole document is parsed instead.
    const alone = documents.get(span.key, () => {
      const parsed = parse(span.range);
      return parsedAsItem(parsed.doc, span.base) ? parsed : null;
    });
    if (alone) return { ...alone, base: span.base };
  }
  // The nodes are kept per document; the path to the object is the origin's own (items of one List share a document).
  return { ...documents.get(documentKey(origin), () => parse(origin.docRange))!, base: origin.base };
}

const withProblems = new WeakSet<SourceFile>();

/** Records that parsing a file gave syntax problems: its positions then come from `yaml`'s own nodes only (locate.ts). */
export function markSyntaxProblems(file: SourceFile): void {
  withProblems.add(file);
}

export function hasSyntaxProblems(file: SourceFile): boolean {
  return withProblems.has(file);
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

/**
 * The rendered document an offset of a renderer's output is in. A document starts where the
 * one before it ends: an offset there is in the later one (the last document's end is its own).
 */
export function partAt(file: SourceFile, offset: number): RenderedPart | undefined {
  return file.parts?.find((p) => offset >= p.range[0] && offset < p.range[1]) ?? file.parts?.find((p) => offset === p.range[1]);
}
