import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { declaredTools, TOOLS } from './global-setup.js';

const files = readdirSync(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts'));
const text = (f: string) => readFileSync(path.join(ROOT, 'test', f), 'utf8');

describe('test files declare the tools they run (the global setup builds only those)', () => {
  it('reads `// tools:` lines', () => {
    expect(declaredTools('// tools: helm, control-plane\nimport x;')).toEqual(['helm', 'control-plane']);
    expect(declaredTools('import x; // tools: helm')).toEqual([]);
  });

  it('every file that starts the control plane, runs a tool script or renders a chart declares it', () => {
    const needs = (f: string): string[] => {
      const t = text(f);
      const out: string[] = [];
      if (/from '\.\/cluster\/controlplane\.js'/.test(t)) out.push('control-plane');
      if (/apiserver-1\.20\.sh/.test(t)) out.push('apiserver-1.20');
      if (/netpol-analyzer\.sh/.test(t)) out.push('netpol-analyzer');
      if (/fixtures\/helm/.test(t)) out.push('helm');
      return out;
    };
    for (const f of files) expect(declaredTools(text(f)), f).toEqual(expect.arrayContaining(needs(f)));
    for (const f of files) for (const t of declaredTools(text(f))) expect(Object.keys(TOOLS), f).toContain(t);
  });

  it('the unit config leaves out every file that declares a tool', async () => {
    const unit = (await import('../vitest.unit.config.js')).default as { test: { exclude: string[] } };
    const withTools = files.filter((f) => declaredTools(text(f)).length).map((f) => `test/${f}`);
    expect(withTools.length).toBeGreaterThan(3);
    expect(unit.test.exclude).toEqual(expect.arrayContaining(withTools));
  });
});
