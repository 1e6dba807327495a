/** A problem with how svclint was called or configured: exit code 2, one line on stderr. */
export declare class UsageError extends Error {
    name: string;
}
/** A system error in words, with its code: `permission denied (EACCES)`; the message for others. */
export declare function systemErrorText(err: unknown): string;
