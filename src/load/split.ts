/** One document of a stream: its offsets in the text, and whether it has any content. */
export interface DocumentSlice {
  /** The document's index in the stream, empty documents counted. */
  index: number;
  start: number;
  end: number;
}

/**
 * Splits a YAML stream into documents in one pass over its lines, keeping offsets: a
 * line starting with `---` or `...` (then a space, a tab or the line's end) at column 0
 * is a document marker wherever it appears, so no parse is needed to find the documents.
 * A document is everything from its `---` (or the end of the previous one) to the next
 * marker; comment-only text before the first `---` belongs to that document, and `...`
 * always ends one, as in the `yaml` package. Empty documents (a marker and nothing else)
 * are counted but not returned: millions of `---` lines cost their bytes, not an object
 * each. Returns undefined for a stream with directives (`%YAML`), which the full parser reads.
 */
export function splitDocuments(text: string): DocumentSlice[] | undefined {
  const docs: DocumentSlice[] = [];
  let index = 0;
  const end = (start: number, end: number, content: boolean) => {
    if (content) docs.push({ index, start, end });
    index++;
  };
  let start = 0;
  let content = false; // the current document has a line that is not blank or a comment
  let opened = false; // the current document began with `---`
  for (let pos = 0; pos < text.length; ) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const c = text.charCodeAt(pos);
    if ((c === 45 || c === 46) && isMarker(text, pos, eol)) {
      if (c === 45) {
        if (content || opened) end(start, pos, content);
        start = pos;
        opened = true;
        content = !blankAfterMarker(text, pos + 3, eol);
      } else {
        end(start, eol, content); // `...` ends a document, even an empty one
        start = eol + 1;
        opened = false;
        content = false;
      }
    } else if (c === 37 && !content && !opened) {
      return undefined; // a directive
    } else if (!content && !isBlankOrComment(text, pos, eol)) {
      content = true;
    }
    pos = eol + 1;
  }
  if (content || opened) end(start, text.length, content);
  return docs;
}

function isMarker(text: string, pos: number, eol: number): boolean {
  const c = text.charCodeAt(pos);
  if (text.charCodeAt(pos + 1) !== c || text.charCodeAt(pos + 2) !== c) return false;
  const after = text.charCodeAt(pos + 3);
  return pos + 3 >= eol || after === 32 || after === 9 || after === 13;
}

function blankAfterMarker(text: string, from: number, eol: number): boolean {
  return isBlankOrComment(text, from, eol);
}

function isBlankOrComment(text: string, from: number, eol: number): boolean {
  for (let i = from; i < eol; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 13) continue;
    return ch === 35; // '#'
  }
  return true;
}
