export const VERSION = '0.1.0';

/** Where the project and its rule pages live. */
export const DOCS_BASE = 'https://github.com/svclint/svclint';
