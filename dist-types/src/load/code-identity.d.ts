export declare function codeIdentity(): string;
