import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';

describe('svclint doctor --from input with no Kubernetes object', () => {
  const dir = tempTree({ 'empty.yaml': '', 'comments.yaml': '# nothing\n---\n', 'config.yaml': 'a: 1\nb: [x]\n', 'state.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' });

  it('is an error (exit 2, one line), as it is for the lint: an empty file, comments only, no object', () => {
    for (const f of ['empty.yaml', 'comments.yaml', 'config.yaml']) {
      const r = cli(['doctor', '--from', f], { cwd: dir });
      expect(r.code, f).toBe(2);
      expect(r.stdout, f).toBe('');
      expect(r.stderr, f).toBe(`svclint: no Kubernetes objects found in '${f}': --from reads a saved cluster state, such as \`kubectl get services,endpointslices,pods -A -o yaml\`\n`);
      expect(cli([f], { cwd: dir }).code, `lint ${f}`).toBe(2);
    }
  });

  it('empty stdin too', () => {
    const r = cli(['doctor', '--from', '-'], { cwd: dir, input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^svclint: no Kubernetes objects found in stdin: /);
  });

  it('a state with objects is read as before', () => {
    const r = cli(['doctor', '--from', 'state.yaml', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });
});
