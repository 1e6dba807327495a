import type { Path } from '../types/object.js';

/**
 * Where a path is in one document's text, found by reading only the lines on the way to
 * it: the keys of each map on the path and the dashes of each list, skipping every deeper
 * line by its indentation. Finding a position this way costs a few lines per segment
 * instead of a parse of the whole document (a CRD of a megabyte took the `yaml` package
 * a second to parse again for one finding).
 *
 * It reads plain block YAML, and flow collections that open and close on one line and hold
 * plain keys and scalars (`selector: {app: web}`, `- {name: http, port: 80}`), and answers
 * `undefined` ("not sure") for anything else on its way: other flow collections, anchors,
 * aliases, tags, complex or merge keys, keys whose scalar could read as something other than their text (`yes`, `80`),
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
    } else if (node.kind === 'flow') {
      const entry = s.flowEntry(node, seg);
      if (entry === null) { exact = false; break; }
      key = entry.key;
      node = entry.value;
    } else if (node.kind === 'seq' || node.kind === 'scalar' || node.kind === 'empty' || node.kind === 'fscalar') {
      exact = false;
      break;
    } else {
      return undefined; // other flow collections and nodes with properties are left to `yaml`
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
  /**
   * A flow collection (`{…}` or `[…]`) that opens and closes on one line, at `at`, its
   * closing bracket at `close`, with its entries as read once (see flowItems).
   */
  | { kind: 'flow'; at: number; close: number; items: FlowItem[] }
  /** A scalar inside a flow collection, from `at` to `end`. */
  | { kind: 'fscalar'; at: number; end: number }
  /** A node with an anchor or tag, an alias, a block scalar, or a flow collection the scanner does not read. */
  | { kind: 'other'; at: number };

/** An entry of a flow collection: for a map, its key's range and text; its value. */
interface FlowItem {
  key?: { range: [number, number]; name: string };
  value: ScanNode;
}

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
/** Where a plain key inside a flow map may end: `:`, `,`, a bracket, `#`, a space, a tab or a quote. */
const FLOW_STOP = new Set([58, 44, 123, 125, 91, 93, 35, 32, 9, 34, 39]);
/** Characters that may not start a plain scalar inside a flow collection (YAML's indicators, a space). */
const FLOW_PLAIN_FIRST = new Set([63, 58, 44, 91, 93, 123, 125, 35, 38, 42, 33, 124, 62, 39, 34, 37, 64, 96, 32, 9]);

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
    if (c === 123 || c === 91) return this.flowAt(at, owner) ?? { kind: 'other', at }; // { [ (a flow key, `{a: 1}: v`, is not read)
    const k = this.keyAt(at);
    if (k === undefined) return undefined;
    if (k) return block ? { kind: 'map', at, indent: col, owner } : undefined;
    if (c === 34 || c === 39) return { kind: 'scalar', at, owner }; // quoted
    if (c === 38 || c === 33 || c === 42 || c === 124 || c === 62) return { kind: 'other', at }; // & ! * | >
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
      const q = this.quoted(at, le);
      if (q === undefined) return undefined;
      let p = q.close + 1;
      while (p < le && t.charCodeAt(p) === 32) p++;
      if (t.charCodeAt(p) !== 58 || !this.endsIndicator(p + 1, le)) return null; // a quoted scalar, not a key
      if (q.escaped) return undefined; // escapes: left to `yaml`
      return { range: [at, q.close + 1], name: q.inner, colon: p };
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

  /** A one-line quoted scalar at `at`: where it closes, its text, and whether that holds an escape (`\\` in double quotes, `''` in single ones). */
  private quoted(at: number, le: number): { close: number; inner: string; escaped: boolean } | undefined {
    const close = this.closeQuote(at, le);
    if (close === undefined) return undefined;
    const inner = this.text.slice(at + 1, close);
    return { close, inner, escaped: this.text.charCodeAt(at) === 34 ? inner.includes('\\') : inner.includes("'") };
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

  /**
   * A flow collection starting at `at` that closes on its line, with nothing after it but
   * spaces, and no deeper line after it (which would continue it or be an error): its node.
   * Undefined when the scanner cannot tell (it reads one-line flow collections of keys,
   * plain and quoted scalars and flow collections only; see flowItems).
   */
  private flowAt(at: number, owner: number): Extract<ScanNode, { kind: 'flow' }> | undefined {
    const le = this.lineEnd(at);
    const node = this.flowItems(at, le);
    if (!node || this.skipSpaces(node.close + 1, le) < le || this.deeperLineAfter(le, owner)) return undefined;
    return node;
  }

  /**
   * The flow collection whose bracket is at `at`, with its entries: for a map, each key (its
   * range and text) and value; for a list, each value. Undefined for anything but entries
   * of the simplest kind, all on the line ending at `le`: keys as block maps take them
   * (plain ones that read as their text, quoted ones without escapes) followed by `: `;
   * values that are flow collections of the same kind, quoted scalars, or plain scalars
   * without indicators, comments, `: ` or tabs; no empty entries and no trailing comma.
   */
  private flowItems(at: number, le: number): Extract<ScanNode, { kind: 'flow' }> | undefined {
    const t = this.text;
    const map = t.charCodeAt(at) === 123;
    const closing = map ? 125 : 93;
    const items: FlowItem[] = [];
    let p = this.skipSpaces(at + 1, le);
    if (t.charCodeAt(p) === closing) return { kind: 'flow', at, close: p, items };
    for (;;) {
      let key: { range: [number, number]; name: string } | undefined;
      if (map) {
        const c = t.charCodeAt(p);
        let keyEnd: number;
        let name: string;
        if (c === 34 || c === 39) {
          const q = this.quoted(p, le);
          if (q === undefined || q.escaped) return undefined;
          name = q.inner;
          keyEnd = q.close + 1;
        } else {
          keyEnd = p;
          while (keyEnd < le && !FLOW_STOP.has(t.charCodeAt(keyEnd))) keyEnd++;
          name = t.slice(p, keyEnd);
          if (!PLAIN_KEY.test(name) || RESERVED.has(name)) return undefined;
        }
        if (t.charCodeAt(keyEnd) !== 58 || t.charCodeAt(keyEnd + 1) !== 32) return undefined; // `key: ` only
        key = { range: [p, keyEnd], name };
        p = this.skipSpaces(keyEnd + 1, le);
      }
      const value = this.flowValue(p, le);
      if (!value) return undefined;
      items.push({ ...(key ? { key } : {}), value: value.node });
      p = this.skipSpaces(value.end, le);
      const c = t.charCodeAt(p);
      if (c === closing) return { kind: 'flow', at, close: p, items };
      if (c !== 44) return undefined; // ','
      p = this.skipSpaces(p + 1, le);
      const n = t.charCodeAt(p);
      if (p >= le || n === 44 || n === 125 || n === 93) return undefined; // an empty entry or a trailing comma
    }
  }

  /** A value inside a flow collection starting at `p`: its node and where its text ends. */
  private flowValue(p: number, le: number): { node: ScanNode; end: number } | undefined {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (p >= le) return undefined;
    if (c === 123 || c === 91) {
      const inner = this.flowItems(p, le);
      return inner && { node: inner, end: inner.close + 1 };
    }
    if (c === 34 || c === 39) {
      const close = this.closeQuote(p, le);
      if (close === undefined) return undefined;
      return { node: { kind: 'fscalar', at: p, end: close + 1 }, end: close + 1 };
    }
    // A plain scalar: no indicator first (`-` only before a character other than a space).
    if (FLOW_PLAIN_FIRST.has(c) || (c === 45 && (p + 1 >= le || t.charCodeAt(p + 1) === 32))) return undefined;
    let q = p;
    for (; q < le; q++) {
      const ch = t.charCodeAt(q);
      if (ch === 44 || ch === 125 || ch === 93) break; // , } ]
      if (ch === 123 || ch === 91 || ch === 9 || ch === 13) return undefined; // { [ tab CR
      if (ch === 35 && t.charCodeAt(q - 1) === 32) return undefined; // a comment
      if (ch === 58) {
        const n = t.charCodeAt(q + 1);
        if (q + 1 >= le || n === 32 || n === 44 || n === 125 || n === 93) return undefined; // `a: b` is a pair here
      }
    }
    let end = q;
    while (end > p && t.charCodeAt(end - 1) === 32) end--;
    if (end === p) return undefined;
    return { node: { kind: 'fscalar', at: p, end }, end };
  }

  /**
   * Entry `seg` of a flow collection: the key's range (for a map) and the value. Null when
   * there is no such entry.
   */
  flowEntry(node: Extract<ScanNode, { kind: 'flow' }>, seg: string | number): { key: [number, number] | null; value: ScanNode } | null {
    if (this.text.charCodeAt(node.at) === 123) {
      const name = String(seg);
      const entry = node.items.find((x) => x.key!.name === name);
      return entry ? { key: entry.key!.range, value: entry.value } : null;
    }
    if (typeof seg !== 'number' || seg < 0 || seg >= node.items.length) return null;
    return { key: null, value: node.items[seg]!.value };
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
      case 'flow':
        return key ?? [node.at, node.close + 1];
      case 'fscalar':
        return [node.at, node.end];
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
    if (this.deeperLineAfter(le, node.owner)) return undefined;
    return [node.at, stop];
  }

  /** Whether the first line after `le` with content is indented deeper than column `owner`. */
  private deeperLineAfter(le: number, owner: number): boolean {
    for (let l = this.line(le + 1); l; l = this.line(l.end + 1)) {
      if (l.at === l.end) continue;
      return l.indent > owner;
    }
    return false;
  }
}
