/** Small wording helpers shared by rules, so messages read the same everywhere. */
/** Quotes a name or value; very long ones are shortened so a hostile input cannot flood the output. */
export declare const code: (s: string | number) => string;
export declare function clip(s: string, max?: number): string;
export declare const pair: (k: string, v: string) => string;
export declare function selectorText(sel: Record<string, string>): string;
export declare function list(items: string[], max?: number): string;
export declare function plural(n: number, word: string, many?: string): string;
/** Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
export declare function editDistance(a: string, b: string, max?: number): number;
/** Close enough to be a typo: a couple of characters, or a third of the word. */
export declare function isTypo(a: string, b: string): number | undefined;
/**
 * A typo strong enough to be evidence on its own (an error rather than a hint): a change of
 * case, or at most one character (swapping two neighbours counts one) in a word of three to
 * seven and two in a longer one; a word of one or two characters only by case. isTypo is
 * looser (a third of the word): good for "did you mean", not for proof.
 */
export declare function isStrongTypo(a: string, b: string): boolean;
/** Edit distance where swapping two neighbours is one edit (`ngnix` for `nginx`): optimal string alignment. */
export declare function transposedDistance(a: string, b: string): number;
