/** Small wording helpers shared by rules, so messages read the same everywhere. */

/** Quotes a name or value; very long ones are shortened so a hostile input cannot flood the output. */
export const code = (s: string | number): string => `\`${clip(String(s))}\``;

export function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max - 21)}…(${s.length} characters)` : s;
}

export const pair = (k: string, v: string): string => `\`${clip(k)}: ${clip(v)}\``;

export function selectorText(sel: Record<string, string>): string {
  return Object.entries(sel).map(([k, v]) => pair(k, v)).join(', ');
}

export function list(items: string[], max = 4): string {
  if (items.length <= 1) return items.join('');
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, max = 64): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Two rows of the table, reused (this runs for every Service name a typo is looked for among).
  const n = b.length;
  if (rowA.length <= n) [rowA, rowB] = [new Int32Array(2 * n + 2), new Int32Array(2 * n + 2)];
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Close enough to be a typo: a couple of characters, or a third of the word. */
export function isTypo(a: string, b: string): number | undefined {
  const limit = Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));
  const d = editDistance(a.toLowerCase(), b.toLowerCase(), limit);
  return d <= limit && d > 0 ? d : a !== b && a.toLowerCase() === b.toLowerCase() ? 1 : undefined;
}

/**
 * A typo strong enough to be evidence on its own (an error rather than a hint): a change of
 * case, or at most one character (swapping two neighbours counts one) in a word of three to
 * seven and two in a longer one; a word of one or two characters only by case. isTypo is
 * looser (a third of the word): good for "did you mean", not for proof.
 */
export function isStrongTypo(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const longest = Math.max(a.length, b.length);
  if (longest < 3) return false;
  const limit = Math.max(1, Math.min(2, Math.floor(longest / 4)));
  return transposedDistance(a.toLowerCase(), b.toLowerCase()) <= limit;
}

/** Edit distance where swapping two neighbours is one edit (`ngnix` for `nginx`): optimal string alignment. */
export function transposedDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
