export declare const VERSION = "0.1.0";
/** Where the project and its rule pages live. */
export declare const DOCS_BASE = "https://github.com/svclint/svclint";
