export declare function textSum(text: string): string;
/** The hash of the text these bytes decode to, or undefined when they are not valid UTF-8 (decoding replaces what is not). */
export declare function bytesSum(bytes: Uint8Array): string | undefined;
/** Records the hash of a read's text (its outcome object), and finds it again. */
export declare function noteReadSum(outcome: object, sum: string | undefined): void;
/** Passes a read's hash on to the source file made of its text. */
export declare function passReadSum(outcome: object, file: object): void;
/** A file's text hash: recorded at read time, else computed. */
export declare function fileTextSum(file: {
    text: string;
}): string;
