import type { ScalarTag, Tags } from 'yaml';

/**
 * Plain scalars read as kubectl reads them. kubectl turns YAML into JSON with
 * sigs.k8s.io/yaml, which decodes with go-yaml v2 (go.yaml.in/yaml/v2, resolve.go) into
 * Go values and marshals them with encoding/json. That is YAML 1.1 with Go's number
 * syntax and without sexagesimal numbers or timestamps:
 *
 * - null: empty, `~`, `null`, `Null`, `NULL`; booleans: `y/yes/true/on` and
 *   `n/no/false/off` in three spellings (the `yaml` package's YAML 1.1 lists match these);
 * - a scalar starting with a digit or a sign: a date-like `YYYY-...` stays a string (a
 *   timestamp decoded into an interface{} is kept as its text); otherwise, with every `_`
 *   removed, Go's `strconv.ParseInt(s, 0, 64)` (`0x1F`, `0o17`, `0b101`, `0777` octal,
 *   `+12`), then `ParseUint`, then a float of the form `[-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?`
 *   that does not overflow; anything else is a string (`80:00`, `1e400`, `0x`);
 * - a scalar starting with `.`: `.inf`, `-.inf`, `.nan` and spellings, or Go's ParseFloat
 *   (`.5`); infinities and NaN have no JSON form, so kubectl rejects the document.
 *
 * The table of cases is in rules/yaml-syntax/README.md and test/scalars.test.ts.
 */
export function goNumber(s: string): number | undefined {
  const c = s.charCodeAt(0);
  if (c === 46) return DOT_FLOAT.test(s) ? finite(Number(s)) : undefined; // '.'
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45)) return undefined; // digit, '+', '-'
  // A decimal integer of at most 15 digits is exact as a double and within int64: the common case, read directly.
  if (SHORT_DECIMAL.test(s)) return Number(s);
  if (DATE_LIKE.test(s)) return undefined;
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const m = GO_INT.exec(plain);
  if (m) {
    const [, sign, hex, oct, bin, zeroOct, dec] = m;
    const digits = hex !== undefined ? `0x${hex}` : oct !== undefined ? `0o${oct}` : bin !== undefined ? `0b${bin}` : zeroOct !== undefined ? `0o${zeroOct || '0'}` : dec!;
    const big = sign === '-' ? -BigInt(digits) : BigInt(digits);
    // ParseInt takes int64; ParseUint takes an unsigned value up to 2^64 - 1.
    if ((big >= INT64_MIN && big <= INT64_MAX) || (sign === '' && big <= UINT64_MAX)) return Number(big) || 0;
  }
  return YAML_STYLE_FLOAT.test(plain) ? finite(Number(plain)) : undefined;
}

const finite = (n: number) => (Number.isFinite(n) ? n : undefined);
const DATE_LIKE = /^[0-9]{4}-/;
const SHORT_DECIMAL = /^[-+]?[1-9][0-9]{0,14}$/;
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Numbers as go-yaml v2 reads them; a test object, since one regular expression cannot say it. */
const goNumberTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: { test: (s: string) => goNumber(s) !== undefined } as RegExp,
  resolve: (s: string) => goNumber(s) ?? s,
  identify: (v) => typeof v === 'number',
};

const NOT_JSON = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** `.inf` and `.nan`: YAML numbers that JSON has no form for; kubectl fails on them. */
const notJsonTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: NOT_JSON,
  resolve: (s: string, onError: (msg: string) => void) => {
    onError(`\`${s}\` has no JSON form: kubectl cannot convert this document to JSON ("json: unsupported value")`);
    return /nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity;
  },
};

/**
 * `!!binary`: go-yaml v2 decodes the base64 into a Go string (decode.go), which
 * encoding/json then writes with invalid UTF-8 replaced by U+FFFD, as Buffer#toString
 * does. A string, not a byte array: 16 MiB of it is one string, not millions of numbers.
 */
const binaryTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  default: false,
  identify: () => false,
  resolve: (s: string, onError: (msg: string) => void) => {
    const clean = s.replace(/[\s]+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) onError('!!binary value is not valid base64');
    return Buffer.from(clean, 'base64').toString('utf8');
  },
};

const REPLACED = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary']);

/**
 * The `customTags` of every parse: the YAML 1.1 schema with its number, sexagesimal and
 * timestamp resolvers replaced by go-yaml v2's, and `!!binary` read as go-yaml reads it.
 */
export function kubernetesTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || !REPLACED.has(t.tag));
  return [...kept, notJsonTag, goNumberTag, binaryTag];
}
