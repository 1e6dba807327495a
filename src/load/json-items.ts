/**
 * The text ranges of the items of a JSON `List` (`kubectl get -o json`): `{ …, "items": [ A,
 * B, … ] }`. A finding in item B needs the nodes of B only, not of the whole list, which for
 * a cluster's state is megabytes parsed into a node tree many times its size. JSON is
 * YAML's flow style, so an item's text parses on its own to the same nodes at the same
 * relative offsets (test/json-items.test.ts checks it against parsing the whole document).
 * Anything that is not plain JSON of that shape (comments, YAML flow extras, a repeated
 * `items` key) gives undefined, and the caller parses the whole document as before.
 */
export function jsonListItems(text: string, start: number, end: number): [number, number][] | undefined {
  let i = ws(text, start, end);
  if (text[i] !== '{') return undefined;
  i = ws(text, i + 1, end);
  let items: [number, number][] | undefined;
  if (text[i] === '}') return undefined;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i, end);
    if (keyEnd < 0) return undefined;
    const isItems = text.slice(i, keyEnd) === '"items"';
    i = ws(text, keyEnd, end);
    if (text[i] !== ':') return undefined;
    i = ws(text, i + 1, end);
    if (isItems) {
      if (items !== undefined || text[i] !== '[') return undefined;
      items = [];
      i = ws(text, i + 1, end);
      if (text[i] === ']') i++;
      else {
        for (;;) {
          const e = valueEnd(text, i, end);
          if (e < 0) return undefined;
          items.push([i, e]);
          i = ws(text, e, end);
          if (text[i] === ',') { i = ws(text, i + 1, end); continue; }
          if (text[i] === ']') { i++; break; }
          return undefined;
        }
      }
    } else {
      i = valueEnd(text, i, end);
      if (i < 0) return undefined;
    }
    i = ws(text, i, end);
    if (text[i] === ',') { i = ws(text, i + 1, end); continue; }
    if (text[i] === '}') break;
    return undefined;
  }
  // Only whitespace may follow the object.
  return ws(text, i + 1, end) === end ? items : undefined;
}

function ws(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The offset after a JSON string starting at `i` (a `"`), or -1. */
function stringEnd(text: string, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++; // backslash: skip the escaped character
    else if (c === 0x22) return j + 1;
    else if (c === 0x0a || c === 0x0d) return -1; // JSON strings hold no raw line breaks
  }
  return -1;
}

/** The offset after the JSON value starting at `i`, or -1. */
function valueEnd(text: string, i: number, end: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i, end);
  if (c !== '{' && c !== '[') return wordEnd(text, i, end);
  let depth = 0;
  for (let j = i; j < end; ) {
    const d = text[j]!;
    if (d === '"') {
      j = stringEnd(text, j, end);
      if (j < 0) return -1;
    } else if (d === '{' || d === '[') {
      depth++;
      j++;
    } else if (d === '}' || d === ']') {
      depth--;
      j++;
      if (depth === 0) return j;
    } else if (d === ',' || d === ':' || d === ' ' || d === '\n' || d === '\r' || d === '\t') j++;
    else {
      // Anything else must be a whole number or literal: a YAML plain scalar (`a"b`, `# x`) is not JSON.
      j = wordEnd(text, j, end);
      if (j < 0) return -1;
    }
  }
  return -1;
}

const DELIMITER = /[\s,:{}[\]]/;
const LITERAL = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?|true|false|null)$/;

/** The offset after a JSON number or literal starting at `i`, or -1. */
function wordEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && !DELIMITER.test(text[j]!)) j++;
  return j > i && LITERAL.test(text.slice(i, j)) ? j : -1;
}
