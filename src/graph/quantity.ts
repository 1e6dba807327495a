/**
 * Kubernetes resource quantities (`500m`, `128Mi`, `1.5Gi`, `1e3`), read as the API server's
 * `resource.ParseQuantity` (k8s.io/apimachinery) reads them, into an exact fraction. The
 * client library's `quantityToScalar` is not used: it accepts what the API server refuses
 * (`1K`) and throws on what it accepts (`1.5Gi`, `1e3`). `test/apiserver-differential.test.ts`
 * holds this to kube-apiserver.
 */
export interface Quantity {
  /** The value as numerator / denominator, both positive; `negative` for the sign. */
  num: bigint;
  den: bigint;
  negative: boolean;
}

const SUFFIX_CHARS = 'eEinumkKMGTP';
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The suffix's base and exponent, as the API server's suffixer interprets it; undefined when it does not. */
function interpret(suffix: string): { base: 10n | 2n; exponent: number } | undefined {
  if (suffix in DECIMAL) return { base: 10n, exponent: DECIMAL[suffix]! };
  if (suffix in BINARY) return { base: 2n, exponent: BINARY[suffix]! };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?\d+$/.test(rest)) return undefined;
    const n = BigInt(rest);
    if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
    // An exponent this far out cannot be compared usefully; the API server takes it.
    return { base: 10n, exponent: Number(n < -400n ? -400n : n > 400n ? 400n : n) };
  }
  return undefined;
}

/**
 * A quantity as written (a string, or a number as JSON gives it), or undefined when the API
 * server refuses it ("quantities must match the regular expression ...").
 */
const parsed = new Map<string, Quantity | null>();

export function parseQuantity(written: string | number): Quantity | undefined {
  const str = (typeof written === 'number' ? JSON.stringify(written) : written).trim();
  // A run repeats a few amounts (`100m`, `128Mi`) thousands of times: each is read once.
  const known = parsed.get(str);
  if (known !== undefined) return known ?? undefined;
  if (parsed.size > 10_000) parsed.clear();
  const q = parse(str);
  parsed.set(str, q ?? null);
  return q;
}

function parse(str: string): Quantity | undefined {
  if (str === '') return undefined;
  let pos = 0;
  const end = str.length;
  let negative = false;
  if (str[0] === '-') {
    negative = true;
    pos++;
  } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  let num = '';
  let denom = '';
  let suffix = '';
  const zeros = pos > (negative || str[0] === '+' ? 1 : 0);
  const start = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  num = str.slice(start, pos);
  if (pos < end && str[pos] === '.') {
    pos++;
    const d = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denom = str.slice(d, pos);
  }
  if (pos < end) {
    const suffixStart = pos;
    while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
    if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
    while (pos < end && isDigit(str[pos])) pos++;
    if (pos < end) return undefined; // a character after the suffix that is not a digit of an exponent
    suffix = str.slice(suffixStart, end);
  }
  const s = interpret(suffix);
  if (!s) return undefined;
  // The API server reads most quantities as an int64 and a scale; others it reads again as a
  // decimal, which needs a digit: `Ei` (0 exbibytes) passes the first way and fails the second.
  const hasDigit = zeros || num !== '' || denom !== '';
  if (!hasDigit && slowPath(num.length || 1, denom.length, s)) return undefined;
  const digits = BigInt((num || '0') + denom);
  let n = digits;
  let d = 10n ** BigInt(denom.length);
  if (s.base === 2n) n *= 2n ** BigInt(s.exponent);
  else if (s.exponent >= 0) n *= 10n ** BigInt(s.exponent);
  else d *= 10n ** BigInt(-s.exponent);
  return { num: n, den: d, negative: negative && n !== 0n };
}

/** Whether ParseQuantity leaves its int64 fast path (precision or scale out of range) for a decimal parse. */
function slowPath(numLength: number, denomLength: number, s: { base: 10n | 2n; exponent: number }): boolean {
  let precision: number;
  if (s.base === 10n) precision = 18 - (numLength + denomLength);
  else if (s.exponent >= 0 && denomLength === 0) precision = 15 - numLength - Math.trunc(Math.fround(s.exponent) * 3 / 10) - 1;
  else precision = -1;
  if (precision < 0) return true;
  const scale = (s.base === 10n ? s.exponent : 0) - denomLength;
  return scale < -9;
}

/**
 * The value as the API server stores it in a pod's resources: rounded up (away from zero) to
 * a thousandth (the defaulting of every ResourceList, `RoundUp(-3)`), so `0.9999` is `1`.
 */
export function roundUpMilli(q: Quantity): Quantity {
  const milli = q.num * 1000n;
  const whole = milli / q.den;
  const up = milli % q.den === 0n ? whole : whole + 1n;
  return { num: up, den: 1000n, negative: q.negative && up !== 0n };
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const l = (a.negative ? -a.num : a.num) * b.den;
  const r = (b.negative ? -b.num : b.num) * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The value rounded up to a multiple of 1/scale (the API server's ScaledValue: MilliValue is scale 1000). */
function scaledUp(q: Quantity, scale: bigint): bigint {
  const v = q.num * scale;
  const whole = v / q.den;
  const up = v % q.den === 0n ? whole : whole + 1n;
  return q.negative ? -(v / q.den) : up;
}

/** Whether the API server takes the quantity as a whole number (`MilliValue() % 1000 == 0`). */
export function isWholeQuantity(q: Quantity): boolean {
  return scaledUp(q, 1000n) % 1000n === 0n;
}

/** The value in thousandths, rounded up (the API server's `MilliValue()`). */
export function quantityMilli(q: Quantity): bigint {
  return scaledUp(q, 1000n);
}

/** The value rounded up to a whole number (the API server's `Value()`). */
export function quantityValue(q: Quantity): bigint {
  return scaledUp(q, 1n);
}

/** A quantity in words, for messages: `0.512 bytes`, `500000000 CPUs`. */
export function quantityNumber(q: Quantity): string {
  const sign = q.negative ? '-' : '';
  if (q.num % q.den === 0n) return `${sign}${q.num / q.den}`;
  const n = Number(q.num) / Number(q.den);
  return `${sign}${Number.isFinite(n) ? String(Number(n.toPrecision(6))) : `${q.num}/${q.den}`}`;
}
