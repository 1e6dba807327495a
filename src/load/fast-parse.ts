import { FAILSAFE_SCHEMA, Type, load, type Schema } from 'js-yaml';
import { goNumber } from './scalars.js';
import { splitDocuments } from './split.js';
import type { ParsedDocument } from './parse.js';

const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
/** The first characters each pattern's matches can start with. */
const NULL_FIRST = '~nN';
const BOOL_FIRST = 'yYnNtTfFoO';
const NOT_JSON_FIRST = '-+.';

type Listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }) => void;
type Loader = (text: string, listener?: Listener) => unknown;

/** A type for plain scalars: js-yaml tries `resolve` on each, then `construct` on one it resolved. */
const scalar = (tag: string, resolve: (s: string) => boolean, construct: (s: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (s: string | null) => resolve(s ?? ''), construct });

/**
 * js-yaml with `schema`, a warning leaving the document to the `yaml` package: a warning is
 * a text js-yaml reads where `yaml` may not, such as a quoted line left of its key
 * (`deficient indentation`, an error for `yaml`: Gateway API CRDs have them) or a line
 * break other than \n or \r\n.
 */
function loaderFor(schema: Schema): Loader {
  const onWarning = (): void => {
    throw LEAVE;
  };
  return (text, listener) => load(text, (listener ? { schema, listener, onWarning } : { schema, onWarning }) as Parameters<typeof load>[1]);
}

/**
 * js-yaml with the scalars of scalars.ts: YAML 1.1 null and booleans, go-yaml v2 numbers,
 * and `.inf`/`.nan`, which make kubectl fail, throwing so the `yaml` package reports them.
 * The schema is built on first use: a run over a few small files (the pre-commit case) never needs it.
 */
let loader: Loader | undefined;
function jsYaml(): Loader {
  if (loader) return loader;
  // Every plain scalar is tried against each type in turn: the first character rules most
  // of them out before a pattern runs, and a number is read once (js-yaml constructs right
  // after the type that resolved it).
  let number: { text: string; value: number | undefined } = { text: '', value: undefined };
  const read = (s: string) => (number.text === s ? number.value : (number = { text: s, value: goNumber(s) }).value);
  kubectlSchema = FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', (s) => s.length === 0 || (NULL_FIRST.includes(s[0]!) && /^(?:~|null|Null|NULL)$/.test(s)), () => null),
      scalar('bool', (s) => BOOL_FIRST.includes(s[0]!) && (TRUE.test(s) || FALSE.test(s)), (s) => TRUE.test(s)),
      scalar('float', (s) => NOT_JSON_FIRST.includes(s[0]!) && /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s), () => {
        throw new Error('no JSON form');
      }),
      scalar('int', (s) => read(s) !== undefined, (s) => read(s)),
    ],
  });
  return (loader = loaderFor(kubectlSchema));
}
let kubectlSchema: Schema | undefined;

/**
 * js-yaml with the YAML 1.2 core schema exactly as the `yaml` package resolves plain
 * scalars (its core tags' own tests, tried in its order: null, bool, int in octal, decimal
 * and hex, then float as NaN/infinity, with an exponent, plain): how a configuration file
 * mounted from a ConfigMap is read (config-files.ts), where no kubectl is involved.
 */
let coreLoader: Loader | undefined;
function coreYaml(): Loader {
  if (coreLoader) return coreLoader;
  const INT = [[/^0o[0-7]+$/, 2, 8], [/^[-+]?[0-9]+$/, 0, 10], [/^0x[0-9a-fA-F]+$/, 2, 16]] as const;
  const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
  const FLOAT = [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/];
  const schema = FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', (s) => /^(?:~|[Nn]ull|NULL)?$/.test(s), () => null),
      scalar('bool', (s) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s), (s) => s[0] === 't' || s[0] === 'T'),
      scalar('int', (s) => INT.some(([re]) => re.test(s)), (s) => {
        const [, offset, radix] = INT.find(([re]) => re.test(s))!;
        return parseInt(s.substring(offset), radix);
      }),
      scalar('float', (s) => NAN_INF.test(s) || FLOAT.some((re) => re.test(s)), (s) =>
        NAN_INF.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : parseFloat(s)),
    ],
  });
  return (coreLoader = loaderFor(schema));
}

/**
 * The values of a text's documents as the `yaml` package's default parse (YAML 1.2, core
 * schema) gives them, from js-yaml, when the value parser reads every document (empty
 * documents left out); else undefined, for the `yaml` package to read.
 * test/config-files.test.ts compares the two on the corpus and generated scalars.
 */
export function coreValues(text: string): unknown[] | undefined {
  const docs = fastDocuments(text, coreYaml());
  if (!docs || docs.some((d) => 'leave' in d)) return undefined;
  return docs.map((d) => (d as { value: unknown }).value);
}

/**
 * js-yaml with the same scalars, warnings allowed: how go-yaml (kubectl) reads a document
 * that `yaml` rejects only because a quoted scalar's continuation lines sit left of its key.
 */
export function readLenient(text: string): unknown {
  jsYaml();
  return load(text, { schema: kubectlSchema });
}

/**
 * One document as the value parser reads it (the `yaml` package's shapes still leave it), with
 * js-yaml's `deficient indentation` allowed: the continuation lines of a flow collection at or
 * left of its key's indentation, which go-yaml does not check inside `[ ]` and `{ }`, so kubectl
 * reads what `yaml` calls an error. Undefined when the document is left or rejected.
 */
export function readFlowLenient(text: string): unknown {
  jsYaml();
  const onWarning = (w: { reason?: string }): void => {
    if (w.reason !== 'deficient indentation') throw LEAVE;
  };
  // A key repeated in such a collection keeps its last value, as in go-yaml (js-yaml's `json` option does only that).
  const lenient: Loader = (t, listener) => load(t, (listener ? { schema: kubectlSchema, listener, onWarning, json: true } : { schema: kubectlSchema, onWarning, json: true }) as Parameters<typeof load>[1]);
  const value = readDocument(text, lenient);
  return value === LEAVE || value === REJECT ? undefined : value;
}

/**
 * What the value parser leaves to the `yaml` package: anchors, aliases and merge keys
 * (whose expansion the full parser bounds), tags, a byte-order mark, tabs (where the two
 * parsers' rules for what is an error differ most), empty or explicit keys (`: x`, `? x`)
 * null keys (`~: x`) and collections as keys (`{a: 1}: x`, `{{ x }}`, and in a flow
 * collection `[{a: 1}:]`, where the `:` may be followed by `,`, `]` or `}`), which the two
 * parsers read differently (kubectl rejects all of them).
 */
// Block scalars with an explicit indentation indicator (`|1`, `>-2`) too: at the top level
// js-yaml counts the indicator from column 0, go-yaml and `yaml` from column 1. And what
// js-yaml accepts but `yaml` does not read the same: `#` right after a flow collection or a
// quote (not a comment there), collections as keys in flow mappings (`{a:, [b]}`, also on
// the next line), and a null key with no value in a flow mapping (`{~}`).
//
// A document's text is first tested as it is; most documents hold none of these characters
// and are read at once. In the others the characters are mostly inside scalars (`*` in a
// CRD's description, `&&` in a script) or comments, where they are text: such a document is
// read with js-yaml's node events, and the pattern is tested again on its structure alone,
// with every scalar shortened and every comment removed (see structureOf).
//
// Two patterns, tested one after the other: the empty, explicit and null keys, which start
// at white space, and the rest. As one alternation V8 tried every branch at every space; as
// two, the first is tested only where the second found nothing (2.4 times faster over the
// corpus's documents, the same answer for each).
const LEAVE_TO_YAML = /[&*!\t\uFEFF]|<<|\{\{|[}\]]:(?:[\s,\]}]|$)|[|>](?:[1-9][-+]?|[-+][1-9])[ ]*(?:#.*)?$|[}\]"']#|[{,]\s*\[|\{\s*\{|[{,]\s*(?:~|null|Null|NULL)\s*[,}]/m;
const LEAVE_KEYS = /(?:^|[\s{,[])(?:[?:]|~[ ]*:|(?:null|Null|NULL)[ ]*:)(?:\s|$)/m;
const leavesToYaml = (text: string): boolean => LEAVE_TO_YAML.test(text) || LEAVE_KEYS.test(text);

/**
 * Shapes the two parsers read differently wherever they stand, so the text as written
 * decides (the structure pass removes comments, which is what one of them hinges on): a
 * block scalar that is a document's root, at the start of a line or after `---`, whose first
 * content line starts with `#` (the `yaml` package reads it as content, js-yaml as a
 * comment that empties the scalar: `  |` then `# x`; or, after a more-indented empty line,
 * an error to the `yaml` package: `>`, `    `, `# x`), and an empty entry of a nested sequence
 * (`- -` at the end of its line: js-yaml puts the next entry inside it).
 */
const ROOT_BLOCK_SCALAR_HASH = /^(?:[ ]*|---[ ]+)[|>][-+0-9]*[ ]*(?:#.*)?\r?\n(?:[ ]*\r?\n)*[ ]*#/m;
const EMPTY_NESTED_ENTRY = /^[ ]*(?:-[ ]+)+-[ ]*(?:#.*)?$/m;
/** What each shape needs somewhere in the text (a `#`; a dash, spaces, a dash): cheap tests that skip the line-anchored ones. */
const DASH_SPACE_DASH = /-[ ]+-/;
const readDifferently = (text: string): boolean =>
  (text.includes('#') && ROOT_BLOCK_SCALAR_HASH.test(text)) || (DASH_SPACE_DASH.test(text) && EMPTY_NESTED_ENTRY.test(text));

/** A document for the `yaml` package to read, or one js-yaml rejects. */
const LEAVE = Symbol('leave');
const REJECT = Symbol('reject');

/** One document of a text: its slice, and its value when the value parser read it. */
export type FastDocument = { index: number; start: number; end: number; value: unknown } | { index: number; start: number; end: number; leave: true };

/**
 * The documents of a text, each read by the value parser (js-yaml 4 on the splitter's slice)
 * or marked for the `yaml` package (`leave`). Returns undefined when the whole text is for
 * the `yaml` package: it has directives or a byte-order mark, or a document js-yaml rejects
 * (the `yaml` package then reports the errors, with their positions, as before).
 */
export function fastDocuments(text: string, read = jsYaml()): FastDocument[] | undefined {
  if (text.includes('\uFEFF')) return undefined;
  const slices = splitDocuments(text);
  if (!slices) return undefined;
  const out: FastDocument[] = [];
  for (const s of slices) {
    const value = readDocument(text.slice(s.start, s.end), read);
    if (value === REJECT) return undefined;
    if (value === LEAVE) out.push({ index: s.index, start: s.start, end: s.end, leave: true });
    // An empty (null) document holds no object: not kept, as in the full parse.
    else if (value !== null && value !== undefined) out.push({ index: s.index, start: s.start, end: s.end, value });
  }
  return out;
}

/**
 * The fast path for a whole text: its documents as plain values when the value parser reads
 * every one of them, else undefined.
 */
export function parseValues(text: string): ParsedDocument[] | undefined {
  const docs = fastDocuments(text);
  if (!docs || docs.some((d) => 'leave' in d)) return undefined;
  return docs.map((d) => ({ index: d.index, range: [d.start, d.end], value: (d as { value: unknown }).value }));
}

/**
 * A document whose first line (past blank and comment lines) starts with three dashes and
 * more (`-----BEGIN CERTIFICATE-----`, `---x`, `----`): js-yaml takes the dashes for a
 * document marker, the `yaml` package and go-yaml for a scalar's text.
 */
const DASHES_AT_START = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*---[^ \t\r\n]/;

function readDocument(text: string, read: Loader): unknown {
  try {
    if (DASHES_AT_START.test(text) || readDifferently(text)) return LEAVE;
    if (!leavesToYaml(text)) return mappingKeyed(text, read(text));
    const events = new NodeEvents(text);
    const value = read(text, events.listener);
    if (events.leave) return LEAVE;
    const structure = structureOf(text, events.scalars);
    return structure === undefined || leavesToYaml(structure) ? LEAVE : mappingKeyed(text, value);
  } catch (err) {
    return err === LEAVE ? LEAVE : REJECT;
  }
}

/**
 * A flow mapping can be a key (`{a:, {b: 1}}`, `{x: 1, {b: 1}: 2}`): js-yaml turns it into the
 * key `[object Object]`, the `yaml` package into `{ b: 1 }`. Text cannot tell such a key from
 * a mapping in a flow sequence (`[{a: 1}, {b: 2}]`); the value can. A document with that key
 * is the `yaml` package's. Other object keys (`{a: 1}: 2`, `? {a: 1}`) leave by LEAVE_TO_YAML.
 */
const OBJECT_KEY = '[object Object]';
/**
 * Where a flow mapping can start as a key: after `{` or `,`, past spaces and comments (a
 * superset). A comment ends at its newline, so the pattern has one way to match a run of
 * `#` and stays linear (`#[^\n]*` repeated would backtrack exponentially on `, ####…`).
 */
const MAPPING_KEY_AT = /[{,](?:[ \t\r\n]|#[^\n]*\n)*\{/;

function mappingKeyed(text: string, value: unknown): unknown {
  return MAPPING_KEY_AT.test(text) && hasObjectKey(value) ? LEAVE : value;
}

function hasObjectKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasObjectKey);
  if (Object.prototype.hasOwnProperty.call(value, OBJECT_KEY)) return true;
  for (const k in value) if (hasObjectKey((value as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * Follows js-yaml's node events over one document: where each scalar's text is, and whether
 * a node starts with a property or an alias (`&a`, `!tag`, `*a`) or is a merge key.
 */
class NodeEvents {
  /** Start and end offsets of every scalar, in pairs. */
  readonly scalars: number[] = [];
  leave = false;
  private readonly opened: number[] = [];
  constructor(private readonly text: string) {}

  private stop(): never {
    this.leave = true;
    throw LEAVE;
  }

  readonly listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }): void => {
    if (event === 'open') {
      this.opened.push(state.position);
      return;
    }
    const from = skipSeparation(this.text, this.opened.pop()!, state.position);
    const c = this.text.charCodeAt(from);
    // & * !: the document is the `yaml` package's; stop reading it at once (a huge list after an anchor costs nothing more).
    if (c === 0x26 || c === 0x2a || c === 0x21) this.stop();
    if (state.kind !== 'scalar' || from >= state.position) return;
    // A scalar read as a block mapping's first key, which turns out to be no key, closes twice.
    if (this.scalars.length && this.scalars[this.scalars.length - 2] === from) return;
    if (state.result === '<<') this.stop();
    // A plain null (`~`, `null`) stays visible: as a key it is read differently.
    if (state.result === null) return;
    let end = state.position;
    while (end > from && isSpace(this.text.charCodeAt(end - 1))) end--;
    this.scalars.push(from, end);
  };
}

/** The first offset at or after `from` that is neither white space nor a comment. */
function skipSeparation(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 0x23 && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? limit : eol;
    } else break;
  }
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * The document's structure: its text with every scalar shortened to `a` (a quoted scalar
 * keeps its quotes, a block scalar its header line) and every comment removed. Undefined
 * when a scalar has a tab in a line's leading white space (outside a block scalar's
 * content), where the two parsers' rules differ: such a document is left to the `yaml` package.
 */
function structureOf(text: string, scalars: number[]): string | undefined {
  const parts: string[] = [];
  let at = 0;
  for (let k = 0; k < scalars.length; k += 2) {
    const from = scalars[k]!;
    const end = scalars[k + 1]!;
    if (from < at) continue;
    const short = shorten(text.slice(from, end));
    if (short === undefined) return undefined;
    parts.push(text.slice(at, from), short);
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('').replace(/(^|[ \t])#.*$/gm, '$1');
}

const LEADING_TAB = /[\r\n][ ]*\t/;

function shorten(s: string): string | undefined {
  const c = s.charCodeAt(0);
  if (c === 0x7c || c === 0x3e) {
    // | or >: the header line as it is; a tab in the content is text once the content's
    // indentation (that of its first line) is stripped
    const eol = s.indexOf('\n');
    if (eol < 0) return s;
    if (s.includes('\t', eol)) {
      const body = s.slice(eol + 1);
      const indent = /^(?:[ ]*\r?\n)*([ ]*)/.exec(body)![1]!.length;
      for (const m of body.matchAll(/^([ ]*)\t/gm)) if (m[1]!.length < indent) return undefined;
    }
    return s.slice(0, eol + 1) + 'a';
  }
  if (s.includes('\t') && LEADING_TAB.test(s)) return undefined;
  if (c === 0x22 || c === 0x27) return s.length < 2 ? s : s[0] + 'a' + s[s.length - 1];
  return 'a';
}
