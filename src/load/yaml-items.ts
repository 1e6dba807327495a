/**
 * The text ranges of the items of a YAML `List` in block style (`kubectl get -o yaml`):
 *
 *     apiVersion: v1
 *     items:
 *     - apiVersion: v1
 *       kind: Service
 *       …
 *     kind: List
 *
 * As for JSON (json-items.ts), a finding in one item needs the nodes of that item only, not
 * of a whole cluster's state: the `yaml` package's node tree of a 30 MB List is over a
 * gigabyte. Each range runs from the start of its entry's line (its indentation included)
 * to the start of the line that ends it (the next entry, the next key of the root mapping,
 * the document's end), so the text parses alone as a sequence of that one entry, at the
 * same relative offsets (a block scalar at its end keeps its trailing lines): its nodes
 * are found under index 0.
 *
 * Only a plain shape is split, read line by line: a root block mapping whose keys at
 * column 0 are plain words, one `items:` key with nothing after it on its line, and a block
 * sequence under it whose entries (`- ` at one column) hold every line more indented than
 * that column. In a document the `yaml` package reads without errors, no line of an entry's
 * content (a block or multi-line scalar, a flow collection over lines) may sit at or left
 * of that column, so the lines decide. Anything else (a tab in an indentation, a key that is
 * not a plain word, `items` twice, a flow sequence) gives undefined and the caller parses
 * the whole document; document.ts also parses the whole document when an item's text does
 * not parse alone without errors to one entry (an alias to another item's anchor).
 */
export function yamlListItems(text: string, start: number, end: number): [number, number][] | undefined {
  let items: [number, number][] | undefined;
  /** `top`: in the root mapping; `await`: after `items:`, before its first entry; `seq`: in its entries. */
  let state: 'top' | 'await' | 'seq' = 'top';
  let column = -1;
  let itemStart = -1;
  let first = true;
  for (let pos = start; pos < end; ) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0 || eol > end) eol = end;
    let stop = eol;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
    const line = pos;
    pos = eol + 1;
    let i = line;
    while (i < stop && text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    if (i < stop && c === 9) return undefined; // a tab in the indentation
    if (i >= stop || c === 35) continue; // blank, or a comment: no node
    const indent = i - line;
    if (indent === 0 && isMarker(text, i, stop, 45)) {
      // `---` opens the document; anything on its line after it is content we do not split.
      if (!first || !blankOrComment(text, i + 3, stop)) return undefined;
      first = false;
      continue;
    }
    first = false;
    if (indent === 0 && isMarker(text, i, stop, 46)) {
      // `...` ends the document
      if (state === 'seq') items!.push([itemStart, line]);
      else if (state === 'await') return undefined;
      return items;
    }
    if (state === 'seq') {
      if (indent > column) continue;
      items!.push([itemStart, line]);
      if (indent === column && isEntry(text, i, stop)) {
        itemStart = line;
        continue;
      }
      state = 'top';
    } else if (state === 'await') {
      if (!isEntry(text, i, stop)) return undefined; // not a block sequence
      items = [];
      column = indent;
      itemStart = line;
      state = 'seq';
      continue;
    }
    // In the root mapping: a line at column 0 is a key; others belong to its value.
    if (indent > 0) continue;
    const key = KEY.exec(text.slice(i, Math.min(stop, i + 256)));
    if (!key) return undefined;
    if (key[1] === 'items') {
      if (items !== undefined || !blankOrComment(text, i + key[0].length, stop)) return undefined;
      state = 'await';
    }
  }
  if (state === 'seq') items!.push([itemStart, end]);
  return state === 'await' ? undefined : items;
}

/** A plain key at the start of a line, then `:` and a space or the line's end. */
const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?=[ ]|$)/;

/** A sequence entry: `-` then a space or the line's end. */
function isEntry(text: string, i: number, stop: number): boolean {
  return text.charCodeAt(i) === 45 && (i + 1 >= stop || text.charCodeAt(i + 1) === 32);
}

/** `---` or `...` (code 45 or 46) then a space or the line's end. */
function isMarker(text: string, i: number, stop: number, code: number): boolean {
  return text.charCodeAt(i) === code && text.charCodeAt(i + 1) === code && text.charCodeAt(i + 2) === code && (i + 3 >= stop || text.charCodeAt(i + 3) === 32 || text.charCodeAt(i + 3) === 9);
}

/** Only white space or a comment from `from` (just after a space, or a marker's or key's end) to the line's end. */
function blankOrComment(text: string, from: number, stop: number): boolean {
  for (let i = from; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return c === 35;
  }
  return true;
}
