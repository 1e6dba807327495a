/** A problem with how svclint was called or configured: exit code 2, one line on stderr. */
export declare class UsageError extends Error {
    name: string;
}
