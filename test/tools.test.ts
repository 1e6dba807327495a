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
      if (/coredns\.sh/.test(t)) out.push('coredns');
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

describe('tool build scripts', () => {
  const scripts = readdirSync(path.join(ROOT, 'scripts')).filter((f) => f.endsWith('.sh'));
  const body = (f: string) => readFileSync(path.join(ROOT, 'scripts', f), 'utf8');

  it('never write the system\'s package sources or install system packages', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const f of scripts) {
      expect(body(f), f).not.toMatch(/>\s*\/etc\//);
      expect(body(f), f).not.toMatch(/(?:^|&&|\|\||;)\s*(?:DEBIAN_FRONTEND=\S+\s+)?apt-get\s+(?:-\S+\s+)*install/m); // as a command, not in a hint
      for (const m of body(f).matchAll(/^\s*apt-get (.*)$/gm)) expect(m[1], f).toMatch(/^"\$\{APT\[@\]\}"/); // the private apt config in the tools cache
    }
  });

  it('say so in a line when they wait on another build\'s lock', () => {
    for (const f of scripts.filter((x) => /flock/.test(body(x)))) {
      expect(body(f), f).toMatch(/if ! flock -n 9; then\n\s+echo "waiting for another build of [^"]+" >&2\n\s+flock 9\n\s*fi/);
      expect(body(f), f).not.toMatch(/^flock 9$/m);
    }
  });
});
