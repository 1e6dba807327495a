/**
 * Reads the JSON of a list answer as it arrives: `{ "kind": …, "metadata": …, "items": [ A,
 * B, … ] }`. Each element of the top-level `items` array is handed over as soon as its text
 * is complete, so a page is never held whole: only the element being read and the other
 * top-level fields (a few hundred bytes in any real answer) are text in memory. JSON.parse
 * checks the text of each element and field; this scanner checks the structure around them
 * (keys, colons, commas, brackets) and that nothing but white space follows the object.
 *
 * A body that does not start with `{` is kept whole (`whole`), for the caller to say what
 * it is (HTML, JSON that is not an object).
 */
export class ListStream {
  /** UTF-16 code units of text held: the element or field being read, the fields read so far, or the whole body. */
  held = 0;
  /** The text of a body that is not a JSON object, kept whole. */
  whole: string[] | undefined;
  private state = State.Start;
  private readonly value = new ValueScanner();
  /** The text of the value being read from earlier chunks, and where it starts in this one. */
  private pieces: string[] = [];
  private from = -1;
  private key = '';
  private readonly fields: [string, string][] = [];
  private itemsSeen = false;
  private index = 0;
  /** Code units read before the current chunk (for positions in messages). */
  private offset = 0;

  constructor(private readonly onItem: (text: string, index: number) => void) {}

  /** Reads the next chunk of text; throws a ListSyntaxError where the JSON breaks. */
  write(chunk: string): void {
    if (this.whole) {
      this.whole.push(chunk);
      this.held += chunk.length;
      return;
    }
    const n = chunk.length;
    let i = 0;
    if (this.from >= 0) this.from = 0; // a value goes on from the previous chunk
    while (i < n) {
      if (this.state === State.Key || this.state === State.Value || this.state === State.Item) {
        const end = this.value.scan(chunk, i);
        if (end < 0) break;
        const text = this.take(chunk, end);
        i = end;
        if (this.state === State.Key) {
          this.key = parseKey(text);
          this.state = State.Colon;
        } else if (this.state === State.Value) {
          this.fields.push([this.key, text]);
          this.held += text.length;
          this.state = State.AfterValue;
        } else {
          this.onItem(text, this.index++);
          this.state = State.AfterItem;
        }
        continue;
      }
      i = skipSpace(chunk, i);
      if (i >= n) break;
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case State.Start:
          if (c !== OPEN_BRACE) {
            this.whole = [chunk.slice(i)];
            this.held += n - i;
            this.offset += n;
            return;
          }
          this.state = State.FirstKey;
          i++;
          break;
        case State.FirstKey:
        case State.NextKey:
          if (c === CLOSE_BRACE && this.state === State.FirstKey) {
            this.state = State.Done;
            i++;
          } else if (c === QUOTE) this.begin(State.Key, chunk, i);
          else this.fail(chunk, i);
          break;
        case State.Colon:
          if (c !== COLON) this.fail(chunk, i);
          this.state = State.ValueStart;
          i++;
          break;
        case State.ValueStart:
          if (this.key === 'items') {
            if (this.itemsSeen) this.fail(chunk, i, '`items` a second time');
            this.itemsSeen = true;
            if (c === OPEN_BRACKET) {
              this.state = State.FirstItem;
              i++;
              break;
            }
          }
          this.begin(State.Value, chunk, i);
          break;
        case State.AfterValue:
          if (c === COMMA) this.state = State.NextKey;
          else if (c === CLOSE_BRACE) this.state = State.Done;
          else this.fail(chunk, i);
          i++;
          break;
        case State.FirstItem:
        case State.NextItem:
          if (c === CLOSE_BRACKET && this.state === State.FirstItem) {
            this.state = State.AfterValue;
            i++;
          } else this.begin(State.Item, chunk, i);
          break;
        case State.AfterItem:
          if (c === COMMA) this.state = State.NextItem;
          else if (c === CLOSE_BRACKET) this.state = State.AfterValue;
          else this.fail(chunk, i);
          i++;
          break;
        case State.Done:
          this.fail(chunk, i, 'text after the JSON object');
      }
    }
    if (this.from >= 0 && this.from < n) {
      const rest = this.from === 0 ? chunk : chunk.slice(this.from);
      this.pieces.push(rest);
      this.held += rest.length;
    }
    this.offset += n;
  }

  /** The body is over: its top-level fields other than `items` (and `items` when it was not a list, such as null). */
  end(): Record<string, unknown> {
    if (this.whole) return {};
    if (this.state === State.Start) throw new ListSyntaxError('an empty answer');
    if (this.state !== State.Done) throw new ListSyntaxError('JSON that does not parse (the answer ends before its JSON does)');
    const out: Record<string, unknown> = {};
    for (const [k, text] of this.fields) {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (err) {
        throw new ListSyntaxError(`JSON that does not parse (${(err as Error).message.split('\n')[0]})`);
      }
      // As JSON.parse makes them: own properties, whatever their name (`__proto__` too).
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (this.itemsSeen && !Object.hasOwn(out, 'items')) out.items = [];
    return out;
  }

  /** Whether the answer had an `items` array, read element by element. */
  get streamedItems(): boolean {
    return this.itemsSeen;
  }

  private begin(state: State, chunk: string, i: number): void {
    this.state = state;
    this.from = i;
    this.value.begin(chunk.charCodeAt(i));
  }

  /** The value's text: the pieces of earlier chunks and this chunk's part up to `end`. */
  private take(chunk: string, end: number): string {
    let text = chunk.slice(this.from, end);
    if (this.pieces.length) {
      for (const p of this.pieces) this.held -= p.length;
      // One flat text (a concatenation would be flattened again by JSON.parse: a third copy).
      this.pieces.push(text);
      text = this.pieces.join('');
      this.pieces = [];
    }
    this.from = -1;
    return text;
  }

  private fail(chunk: string, i: number, what = `unexpected ${JSON.stringify(chunk[i])}`): never {
    throw new ListSyntaxError(`JSON that does not parse (${what} at position ${this.offset + i})`);
  }
}

/** The answer's JSON breaks; the message completes "the API answered …". */
export class ListSyntaxError extends Error {}

function parseKey(text: string): string {
  try {
    return JSON.parse(text) as string;
  } catch (err) {
    throw new ListSyntaxError(`JSON that does not parse (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * Finds where one JSON value ends, across chunks: a string at its closing quote, an object or
 * array at its closing bracket, a number or literal at the delimiter after it. It does not
 * check what is inside: JSON.parse does, on the value's text.
 */
class ValueScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private word = false;

  begin(first: number): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.word = first !== QUOTE && first !== OPEN_BRACE && first !== OPEN_BRACKET;
  }

  /** The offset just after the value's end in `s` (scanning from `i`), or -1 when `s` ends first. */
  scan(s: string, i: number): number {
    const n = s.length;
    if (this.word) {
      while (i < n && !isDelimiter(s.charCodeAt(i))) i++;
      return i < n ? i : -1;
    }
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        let j = i;
        for (; j < n; j++) {
          const c = s.charCodeAt(j);
          if (c === QUOTE || c === BACKSLASH) break;
        }
        if (j >= n) return -1;
        i = j + 1;
        if (s.charCodeAt(j) === BACKSLASH) this.escaped = true;
        else {
          this.inString = false;
          if (this.depth === 0) return i;
        }
        continue;
      }
      const c = s.charCodeAt(i++);
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --this.depth <= 0) return i;
    }
    return -1;
  }
}

const enum State {
  Start,
  FirstKey,
  NextKey,
  Key,
  Colon,
  ValueStart,
  Value,
  AfterValue,
  FirstItem,
  NextItem,
  Item,
  AfterItem,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function skipSpace(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
