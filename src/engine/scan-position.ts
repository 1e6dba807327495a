import type { Path } from '../types/object.js';

/**
 * Where a path is in one document's text, found by reading only the lines on the way to
 * it: the keys of each map on the path and the dashes of each list, skipping every deeper
 * line by its indentation. Finding a position this way costs a few lines per segment
 * instead of a parse of the whole document (a CRD of a megabyte took the `yaml` package
 * a second to parse again for one finding).
 *
 * It reads plain block YAML only and answers `undefined` ("not sure") for anything else
 * on its way: flow collections it must enter, anchors, aliases, tags, complex or merge
 * keys, keys whose scalar could read as something other than their text (`yes`, `80`),
 * escapes in quoted keys, block scalars and multi-line scalars as the target, tabs, CR
 * line breaks, directives. The caller then parses the document with `yaml`
 * (locate.ts), so an answer is either the `yaml` package's own range for that path or
 * none. test/scan-position.test.ts holds it to that, path by path, over the corpus, the
 * rule cases, the fixtures and generated documents.
 *
 * The answer follows locate.ts's rangeInDocument: the range of the scalar the path names;
 * a collection's key, or its first line when it has no key; a missing key or index stops
 * at the nearest existing parent (`exact: false`).
 */
export function scanRange(text: string, start: number, end: number, segments: Path): { range: [number, number]; exact: boolean } | undefined {
  const s = new Scanner(text, start, end);
  let node = s.root();
  if (!node) return undefined;
  let key: [number, number] | null = null;
  let exact = true;
  for (const seg of segments) {
    if (node.kind === 'map') {
      const entry = s.findKey(node, String(seg));
      if (entry === undefined) return undefined;
      if (entry === null) { exact = false; break; }
      key = entry.key;
      node = entry.value;
      if (!node) return undefined;
    } else if (node.kind === 'seq' && typeof seg === 'number' && seg >= 0) {
      const item = s.findItem(node, seg);
      if (item === undefined) return undefined;
      if (item === null) { exact = false; break; }
      key = null;
      node = item;
    } else if (node.kind === 'seq' || node.kind === 'scalar' || node.kind === 'empty') {
      exact = false;
      break;
    } else {
      return undefined; // flow collections and nodes with properties are left to `yaml`
    }
  }
  const range = s.rangeOf(node, key);
  return range && { range, exact };
}

type ScanNode =
  /** A block map: its first key starts at `at`, every key at column `indent`. */
  | { kind: 'map'; at: number; indent: number; owner: number }
  /** A block list: its first dash at `at`, every dash at column `indent`. */
  | { kind: 'seq'; at: number; indent: number; owner: number }
  /** A scalar starting at `at`, inside a collection whose entries are at column `owner`. */
  | { kind: 'scalar'; at: number; owner: number }
  /** No value (`key:` alone): `yaml` gives an empty scalar where the value would start. */
  | { kind: 'empty'; at: number }
  /** A flow collection, a node with an anchor or tag, an alias or a block scalar. */
  | { kind: 'other'; at: number };

interface Line {
  /** Offset of the first character that is not a space. */
  at: number;
  /** Offset of the line's end (its `\n`, or the end of the document). */
  end: number;
  indent: number;
}

const RESERVED = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL']);
/** A plain key that YAML 1.1 (as kubectl reads it) can only read as this very string. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./@~+=-]*$/;

class Scanner {
  constructor(private readonly text: string, private readonly start: number, private readonly end: number) {}

  /** The line starting at `from`, or undefined past the end. */
  private line(from: number): Line | undefined {
    if (from >= this.end) return undefined;
    let end = this.text.indexOf('\n', from);
    if (end < 0 || end > this.end) end = this.end;
    let at = from;
    while (at < end && this.text.charCodeAt(at) === 32) at++;
    return { at, end, indent: at - from };
  }

  /** True for a line with nothing but spaces, or a comment. */
  private blank(l: Line): boolean {
    return l.at === l.end || this.text.charCodeAt(l.at) === 35; // '#'
  }

  /**
   * The first line from `from` on with content at column `upTo` or less (deeper lines and
   * blank or comment lines are passed over), or null at the end of the document.
   * Undefined when such a line holds a tab or CR where its indentation ends.
   */
  private nextContent(from: number, upTo = Infinity): Line | null | undefined {
    for (let l = this.line(from); l; l = this.line(l.end + 1)) {
      if (l.at < l.end && this.opensLines(l)) return undefined;
      const c = this.text.charCodeAt(l.at);
      // An entry with an empty or explicit key (`: v`, `? k`), however deep, may belong to an
      // outer map (the `yaml` package reads `  : v` under `k:\n  x` as the outer map's null key).
      if ((c === 58 || c === 63) && this.endsIndicator(l.at + 1, l.end)) return undefined;
      if (l.indent > upTo) continue;
      if (c === 9 || c === 13) return undefined; // leave it to `yaml`
      if (!this.blank(l)) return l;
    }
    return null;
  }

  /**
   * True when a value on this line may go on over the next lines at any indentation: a
   * quoted scalar or flow collection that does not close on it (its next lines are not
   * entries, however they are indented), or a flow collection used as a key. Every line the
   * scanner passes, deeper ones too, is checked, so that no such line is taken for a key.
   */
  private opensLines(l: Line): boolean {
    const t = this.text;
    let p = l.at;
    while (t.charCodeAt(p) === 45 && this.isDash(p)) p = this.skipSpaces(p + 1, l.end); // `- - x`
    if (p >= l.end) return false;
    let c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const close = this.closeQuote(p, l.end);
      if (close === undefined) return true;
      const after = this.skipSpaces(close + 1, l.end);
      if (t.charCodeAt(after) !== 58) return false; // a quoted scalar
      p = this.skipSpaces(after + 1, l.end); // a quoted key: its value
    } else if (c !== 91 && c !== 123) {
      // A plain key's value starts after the first `: `; a plain scalar (no `: `) is one line here.
      let colon = -1;
      for (let q = p; q < l.end; q++) {
        const ch = t.charCodeAt(q);
        if (ch === 58 && this.endsIndicator(q + 1, l.end)) { colon = q; break; }
        if (ch === 35 && (t.charCodeAt(q - 1) === 32 || t.charCodeAt(q - 1) === 9)) break;
      }
      if (colon < 0) return false;
      p = this.skipSpaces(colon + 1, l.end);
    }
    if (p >= l.end) return false;
    c = t.charCodeAt(p);
    if (c === 34 || c === 39) return this.closeQuote(p, l.end) === undefined;
    if (c === 91 || c === 123) {
      let e = l.end;
      while (e > p && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
      const last = t.charCodeAt(e - 1);
      return last !== 93 && last !== 125; // must end with `]` or `}` on this line (a comment after it: left to `yaml`)
    }
    return false;
  }

  root(): ScanNode | undefined {
    if (this.text.charCodeAt(this.start) === 0xfeff) return undefined;
    let first = this.nextContent(this.start);
    if (!first) return undefined;
    if (this.text.startsWith('---', first.at) && first.indent === 0) {
      const rest = this.text.slice(first.at + 3, first.end).trim();
      if (rest !== '' && !rest.startsWith('#')) return undefined;
      first = this.nextContent(first.end + 1);
      if (!first) return undefined;
    }
    const c = this.text.charCodeAt(first.at);
    if (c === 37 || this.text.startsWith('...', first.at) || this.text.startsWith('---', first.at)) return undefined; // '%' directive, markers
    return this.nodeAt(first.at, first.indent, -1, true);
  }

  /**
   * The node whose text starts at `at` (column `col`), inside a collection whose entries
   * are at column `owner`. `block`: a map or list may start here (not after `key: `).
   */
  private nodeAt(at: number, col: number, owner: number, block: boolean): ScanNode | undefined {
    const c = this.text.charCodeAt(at);
    if (c === 45 && this.isDash(at)) return block ? { kind: 'seq', at, indent: col, owner } : undefined; // '-'
    const k = this.keyAt(at);
    if (k === undefined) return undefined;
    if (k) return block ? { kind: 'map', at, indent: col, owner } : undefined;
    if (c === 34 || c === 39) return { kind: 'scalar', at, owner }; // quoted
    if (c === 123 || c === 91 || c === 38 || c === 33 || c === 42 || c === 124 || c === 62) return { kind: 'other', at }; // { [ & ! * | >
    if (c === 63 || c === 58 || c === 37 || c === 64 || c === 96 || c === 9 || c === 13 || c === 44 || c === 125 || c === 93) return undefined; // ? : % @ ` tab CR , } ]
    return { kind: 'scalar', at, owner };
  }

  /** A `-` that starts a list item: followed by a space or the end of the line. */
  private isDash(at: number): boolean {
    const n = this.text.charCodeAt(at + 1);
    return at + 1 >= this.end || n === 32 || n === 10;
  }

  /**
   * The key starting at `at`, if the line holds `key: …` there: its range, its text and
   * where the value starts. Null when the text there is not a key; undefined when it may be
   * one that this scanner does not read (then `yaml` decides).
   */
  private keyAt(at: number): { range: [number, number]; name: string; colon: number } | null | undefined {
    const t = this.text;
    const le = this.lineEnd(at);
    const c = t.charCodeAt(at);
    let keyEnd: number;
    let name: string;
    if (c === 34 || c === 39) {
      const close = this.closeQuote(at, le);
      if (close === undefined) return undefined;
      let p = close + 1;
      while (p < le && t.charCodeAt(p) === 32) p++;
      if (t.charCodeAt(p) !== 58 || !this.endsIndicator(p + 1, le)) return null; // a quoted scalar, not a key
      const inner = t.slice(at + 1, close);
      if (c === 34 ? inner.includes('\\') : inner.includes("'")) return undefined; // escapes: left to `yaml`
      return { range: [at, close + 1], name: inner, colon: p };
    }
    // A plain scalar: a key when `: ` (or `:` at the end of the line) comes before a comment or the end.
    let colon = -1;
    for (let p = at; p < le; p++) {
      const ch = t.charCodeAt(p);
      if (ch === 58 && this.endsIndicator(p + 1, le)) { colon = p; break; }
      if (ch === 35 && p > at && (t.charCodeAt(p - 1) === 32 || t.charCodeAt(p - 1) === 9)) break; // a comment
      if (ch === 9 || ch === 13) return undefined;
    }
    if (colon < 0) return null;
    keyEnd = colon;
    while (keyEnd > at && t.charCodeAt(keyEnd - 1) === 32) keyEnd--;
    name = t.slice(at, keyEnd);
    if (!PLAIN_KEY.test(name) || RESERVED.has(name)) return undefined;
    return { range: [at, keyEnd], name, colon };
  }

  private lineEnd(at: number): number {
    const e = this.text.indexOf('\n', at);
    return e < 0 || e > this.end ? this.end : e;
  }

  /** After an indicator (`:` or `-`): a space, or the end of the line. */
  private endsIndicator(p: number, le: number): boolean {
    return p >= le || this.text.charCodeAt(p) === 32;
  }

  /** The closing quote of a one-line quoted scalar starting at `at`, or undefined. */
  private closeQuote(at: number, le: number): number | undefined {
    const t = this.text;
    if (t.charCodeAt(at) === 34) {
      for (let p = at + 1; p < le; p++) {
        const ch = t.charCodeAt(p);
        if (ch === 92) p++; // backslash escapes the next character
        else if (ch === 34) return p;
      }
      return undefined;
    }
    for (let p = at + 1; p < le; p++) {
      if (t.charCodeAt(p) === 39) {
        if (t.charCodeAt(p + 1) === 39) p++;
        else return p;
      }
    }
    return undefined;
  }

  /** The first non-space after `p` on its line (the start of a value, a comment or the line's end). */
  private skipSpaces(p: number, le: number): number {
    while (p < le && this.text.charCodeAt(p) === 32) p++;
    return p;
  }

  /**
   * The entry of `map` whose key is `name`: its key range and value. Null when the map has
   * no such key; undefined when the scanner cannot tell.
   */
  findKey(map: Extract<ScanNode, { kind: 'map' }>, name: string): { key: [number, number]; value: ScanNode | undefined } | null | undefined {
    let at = map.at;
    for (;;) {
      const k = this.keyAt(at);
      if (!k) return undefined; // every line at the map's column must be a key this scanner reads
      const le = this.lineEnd(at);
      const v = this.skipSpaces(k.colon + 1, le);
      const inlineEmpty = v >= le || this.text.charCodeAt(v) === 35;
      if (k.name === name) return { key: k.range, value: this.valueOf(v, le, map.indent, inlineEmpty) };
      // The next entry: the next line at the map's column (deeper lines belong to this entry's value).
      let next = this.nextContent(le + 1, map.indent);
      for (;;) {
        if (next === undefined) return undefined;
        if (next === null || next.indent < map.indent) return null;
        // At the map's column: a key, or (after `key:` alone) the dashes of a list at the same column.
        if (this.text.charCodeAt(next.at) === 45 && this.isDash(next.at)) {
          if (!inlineEmpty) return undefined;
          next = this.nextContent(next.end + 1, map.indent);
          continue;
        }
        break;
      }
      at = next.at;
    }
  }

  /** The value after `key:` that starts at `v` on a line ending at `le`, in a map whose keys are at column `indent`. */
  private valueOf(v: number, le: number, indent: number, inlineEmpty: boolean): ScanNode | undefined {
    if (!inlineEmpty) return this.nodeAt(v, v - this.lineStart(v), indent, false);
    const next = this.nextContent(le + 1);
    if (next === undefined) return undefined;
    if (next && next.indent > indent) return this.nodeAt(next.at, next.indent, indent, true);
    if (next && next.indent === indent && this.text.charCodeAt(next.at) === 45 && this.isDash(next.at)) return { kind: 'seq', at: next.at, indent, owner: indent };
    return { kind: 'empty', at: v };
  }

  private lineStart(p: number): number {
    return this.text.lastIndexOf('\n', p - 1) + 1;
  }

  /** Item `index` of `seq`; null when it has fewer items; undefined when the scanner cannot tell. */
  findItem(seq: Extract<ScanNode, { kind: 'seq' }>, index: number): ScanNode | null | undefined {
    let at = seq.at;
    for (let i = 0; ; i++) {
      const le = this.lineEnd(at);
      if (i === index) {
        const v = this.skipSpaces(at + 1, le);
        if (v < le && this.text.charCodeAt(v) !== 35) return this.nodeAt(v, v - this.lineStart(v), seq.indent, true);
        const next = this.nextContent(le + 1);
        if (next === undefined) return undefined;
        if (next && next.indent > seq.indent) return this.nodeAt(next.at, next.indent, seq.indent, true);
        return { kind: 'empty', at: v };
      }
      const next = this.nextContent(le + 1, seq.indent);
      if (next === undefined) return undefined;
      if (next === null || next.indent < seq.indent) return null;
      if (!(this.text.charCodeAt(next.at) === 45 && this.isDash(next.at))) {
        // At the list's column but not a dash: the next key of the map that holds a list at its own column.
        return seq.owner === seq.indent ? null : undefined;
      }
      at = next.at;
    }
  }

  /** The range locate.ts's pickRange gives for this node and the key that led to it. */
  rangeOf(node: ScanNode, key: [number, number] | null): [number, number] | undefined {
    switch (node.kind) {
      case 'map':
      case 'seq':
        return key ?? this.firstLine(node.at);
      case 'empty':
        return [node.at, node.at];
      case 'scalar':
        return this.scalarRange(node);
      default:
        return undefined;
    }
  }

  /** From `at` to the end of its line, without trailing spaces (a collection without a key is shown by its first line). */
  private firstLine(at: number): [number, number] {
    let stop = this.lineEnd(at);
    while (stop > at && /\s/.test(this.text[stop - 1]!)) stop--;
    return [at, stop];
  }

  /** A one-line scalar's range; undefined for a scalar that may go on over the next lines. */
  private scalarRange(node: Extract<ScanNode, { kind: 'scalar' }>): [number, number] | undefined {
    const t = this.text;
    const le = this.lineEnd(node.at);
    let stop: number;
    const c = t.charCodeAt(node.at);
    if (c === 34 || c === 39) {
      const close = this.closeQuote(node.at, le);
      if (close === undefined) return undefined;
      stop = close + 1;
      const after = this.skipSpaces(stop, le);
      if (after < le && t.charCodeAt(after) !== 35) return undefined;
    } else {
      stop = le;
      for (let p = node.at; p < le; p++) {
        const ch = t.charCodeAt(p);
        if (ch === 35 && (t.charCodeAt(p - 1) === 32)) { stop = p; break; }
        if (ch === 9 || ch === 13) return undefined;
        if (ch === 58 && this.endsIndicator(p + 1, le)) return undefined; // `a: b` here is not a plain scalar
      }
      while (stop > node.at && t.charCodeAt(stop - 1) === 32) stop--;
    }
    // A deeper line after it would continue the scalar (or be an error): left to `yaml`.
    const next = this.line(le + 1);
    for (let l = next; l; l = this.line(l.end + 1)) {
      if (l.at === l.end) continue;
      if (l.indent > node.owner) return undefined;
      break;
    }
    return [node.at, stop];
  }
}
