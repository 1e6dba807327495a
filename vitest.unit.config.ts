import { defineConfig } from 'vitest/config';

// Everyday tests: no external tools (no helm, control plane or pre-commit) and no global setup.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/doctor*.test.ts', 'test/render.test.ts', 'test/precommit.test.ts', 'test/action.test.ts', 'test/pack.test.ts', 'test/corpus.test.ts', 'test/netpol-differential.test.ts', 'test/precision.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
