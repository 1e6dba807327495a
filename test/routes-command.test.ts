import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';

const SVC = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {selector: {app: web}, ports: [{name: http, port: 80}]}\n---\n`;
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: w, ports: [{name: http, containerPort: 8080}]}]}\n';

describe('svclint routes', () => {
  const dir = tempTree({ 'ok.yaml': SVC('web') + DEPLOY, 'bad.yaml': SVC('Web_API') + DEPLOY });

  it('a Service name the API server rejects gets no DNS name or routes, and exit 1; valid input exits 0', () => {
    const bad = cli(['routes', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("✗ 'Web_API' is not a valid Service name");
    expect(bad.stdout).not.toMatch(/DNS {2}Web_API|svc\.cluster\.local|→ targetPort/);
    const json = JSON.parse(cli(['routes', 'bad.yaml', '-f', 'json'], { cwd: dir }).stdout);
    expect(json.services[0]).toMatchObject({ name: 'Web_API', dns: null, ports: [] });
    expect(json.services[0].rejected).toMatch(/not a valid Service name/);
    const ok = cli(['routes', 'ok.yaml'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('DNS  web.shop.svc.cluster.local');
  });

  it('takes -f stylish (the text), --color and --no-color', () => {
    const text = cli(['routes', 'ok.yaml'], { cwd: dir }).stdout;
    expect(cli(['routes', 'ok.yaml', '-f', 'stylish'], { cwd: dir }).stdout).toBe(text);
    const colored = cli(['routes', 'ok.yaml', '--color'], { cwd: dir });
    expect(colored.code).toBe(0);
    expect(colored.stdout).toContain('\x1b[');
    expect(colored.stdout.replace(/\x1b\[\d+m/g, '')).toBe(text);
    expect(cli(['routes', 'ok.yaml', '--no-color'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).not.toContain('\x1b[');
  });

  it('writes two -f/-o pairs to their two files; two formats to stdout is a usage error', () => {
    const r = cli(['routes', 'ok.yaml', '-f', 'json', '-o', 'r.json', '-f', 'text', '-o', 'r.txt'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')).services[0].name).toBe('web');
    expect(readFileSync(path.join(dir, 'r.txt'), 'utf8')).toBe(cli(['routes', 'ok.yaml'], { cwd: dir }).stdout);
    const two = cli(['routes', 'ok.yaml', '-f', 'json', '-f', 'text'], { cwd: dir });
    expect(two.code).toBe(2);
    expect(two.stderr.split('\n')[0]).toBe('svclint: only one --format can go to stdout; give the others an --output-file');
    expect(cli(['routes', 'ok.yaml', '-f', 'sarif'], { cwd: dir }).stderr.split('\n')[0]).toBe("svclint: unknown format 'sarif' (one of: text, stylish, json)");
  });
});
