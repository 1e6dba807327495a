import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Everyday tests: no external tools (no helm, control plane or pre-commit) and no tool-building global
// setup. A file that declares a tool (`// tools: …`, see test/global-setup.ts) is left out.
const declaresTools = readdirSync('test')
  .filter((f) => f.endsWith('.test.ts') && /^\/\/ tools: /m.test(readFileSync(`test/${f}`, 'utf8')))
  .map((f) => `test/${f}`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...declaresTools, 'test/precommit.test.ts', 'test/action.test.ts', 'test/pack.test.ts', 'test/precision.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/temp-setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
