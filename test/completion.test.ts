import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/** What bash completion offers for these words (the last one is being typed). */
function complete(script: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _svclint; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  const script = cli(['completion', 'bash']).stdout;

  it('completes option values: formats, severities, versions, rule settings, shells', () => {
    expect(complete(script, ['svclint', '-f', ''])).toEqual(['stylish', 'json', 'sarif', 'github', 'markdown', 'junit']);
    expect(complete(script, ['svclint', 'lint', '--fail-level', 'w'])).toEqual(['warning']);
    expect(complete(script, ['svclint', 'routes', '-f', ''])).toEqual(['text', 'stylish', 'json']);
    expect(complete(script, ['svclint', '--kubernetes-version', ''])).toEqual(['1.34', '1.35', '1.36', '1.37']);
    expect(complete(script, ['svclint', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(complete(script, ['svclint', '--rule', 'selector-no-m'])).toEqual(['selector-no-match=error', 'selector-no-match=warning', 'selector-no-match=off']);
    expect(complete(script, ['svclint', 'doctor', '--format', 'j'])).toEqual(['json', 'junit']);
  });

  it('still completes commands and options', () => {
    expect(complete(script, ['svclint', 'ro'])).toContain('routes');
    expect(complete(script, ['svclint', 'routes', '--helm-v'])).toEqual(['--helm-values']);
  });
});
