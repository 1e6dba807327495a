// tools: servers
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerLoopback, isLoopbackHost, proxyFiltersHosts } from '../src/graph/bind.js';
import { gunicornListens } from '../src/graph/gunicorn.js';
import http from 'node:http';
import type { ContainerInfo } from '../src/types/graph.js';
import { ROOT } from './helpers.js';
import { run, sleep } from './listeners.js';

/**
 * Differential test of svclint's reading of where a server binds (src/graph/bind.ts) against
 * the servers themselves: generated command lines and environments of uvicorn, gunicorn,
 * hypercorn, `flask run`, Django's `runserver`, `python -m http.server`, `mkdocs serve`, vite
 * (pinned versions, scripts/servers.sh) and `kubectl proxy` are started for real, one at a time, and the sockets they listen on are read
 * from the kernel (`ss`). svclint must say "loopback only" exactly when every listening socket
 * of the server is on a loopback address, and name the port it listens on.
 */

interface Case {
  program: 'uvicorn' | 'python -m uvicorn' | 'gunicorn' | 'hypercorn' | 'flask' | 'django' | 'kubectl' | 'http.server' | 'mkdocs' | 'vite';
  host?: string;
  /** How the address is written: `--host X`, `--host=X`, `-b X:P`. */
  style: 'space' | 'equals';
  port?: number;
  /** A variable the program reads instead of a flag. */
  env?: 'host-env' | 'port-env' | 'PORT';
  envHost: string;
  shell: 'none' | 'sh' | 'sh-cd';
}

const HOSTS = ['127.0.0.1', 'localhost', '0.0.0.0', '127.0.0.2', '::1'];
const caseArb: fc.Arbitrary<Case> = fc.record({
  program: fc.constantFrom<Case['program']>('uvicorn', 'python -m uvicorn', 'gunicorn', 'hypercorn', 'flask', 'django', 'kubectl', 'http.server', 'mkdocs', 'vite'),
  host: fc.option(fc.constantFrom(...HOSTS), { nil: undefined, freq: 3 }),
  style: fc.constantFrom<Case['style']>('space', 'equals'),
  port: fc.option(fc.integer({ min: 20000, max: 29999 }), { nil: undefined, freq: 3 }),
  env: fc.option(fc.constantFrom<NonNullable<Case['env']>>('host-env', 'port-env', 'PORT'), { nil: undefined, freq: 3 }),
  envHost: fc.constantFrom('127.0.0.1', '0.0.0.0'),
  shell: fc.constantFrom<Case['shell']>('none', 'none', 'sh', 'sh-cd'),
});

/** A flag and its value, written one way or the other. */
const flag = (name: string, value: string, style: Case['style']): string[] => (style === 'equals' && name.startsWith('--') ? [`${name}=${value}`] : [name, value]);

/** The command line and environment a case stands for. */
function render(c: Case, app: string, envPort: number): { words: string[]; env: Record<string, string> } {
  const words: string[] = [];
  const env: Record<string, string> = {};
  const hp = (h: string, p?: number) => `${h.includes(':') ? `[${h}]` : h}${p !== undefined ? `:${p}` : ''}`;
  switch (c.program) {
    case 'uvicorn':
    case 'python -m uvicorn':
      words.push(...(c.program === 'uvicorn' ? ['uvicorn'] : ['python', '-m', 'uvicorn']), 'asgi:app');
      if (c.host) words.push(...flag('--host', c.host, c.style));
      if (c.port) words.push(...flag('--port', String(c.port), c.style));
      if (c.env === 'host-env') env.UVICORN_HOST = c.envHost;
      if (c.env === 'port-env') env.UVICORN_PORT = String(envPort);
      break;
    case 'gunicorn':
    case 'hypercorn':
      words.push(c.program, '-w', '1');
      // An IPv6 bind without a port is not one hypercorn can read: give it the default.
      if (c.host || c.port) words.push(...flag(c.style === 'equals' ? '--bind' : '-b', hp(c.host ?? '127.0.0.1', c.port ?? (c.host?.includes(':') ? 8000 : undefined)), c.style));
      words.push(c.program === 'gunicorn' ? 'wsgi:application' : 'asgi:app');
      if (c.env === 'PORT' || c.env === 'port-env') env.PORT = String(envPort);
      break;
    case 'flask':
      words.push('flask', '--app', 'hello', 'run');
      if (c.host) words.push(...flag(c.style === 'equals' ? '--host' : '-h', c.host, c.style));
      if (c.port) words.push(...flag('--port', String(c.port), c.style));
      if (c.env === 'host-env') env.FLASK_RUN_HOST = c.envHost;
      if (c.env === 'port-env') env.FLASK_RUN_PORT = String(envPort);
      break;
    case 'django':
      words.push('python', 'manage.py', 'runserver', '--noreload', '--skip-checks');
      if (c.host || c.port) words.push(c.host ? hp(c.host === '0.0.0.0' && c.style === 'equals' ? '0' : c.host, c.port ?? 8000) : String(c.port));
      break;
    case 'http.server':
      words.push('python', '-m', 'http.server');
      if (c.port) words.push(String(c.port));
      if (c.host) words.push(c.style === 'equals' ? '-b' : '--bind', c.host);
      break;
    case 'mkdocs':
      words.push('mkdocs', 'serve', '--no-livereload');
      if (c.host || c.port) words.push(...flag(c.style === 'equals' ? '--dev-addr' : '-a', hp(c.host ?? '127.0.0.1', c.port ?? 8000), c.style));
      break;
    case 'vite':
      words.push('vite', '--strictPort');
      // `--host` alone: every interface.
      if (c.host) words.push(...(c.env === 'PORT' ? ['--host'] : flag('--host', c.host, c.style)));
      if (c.port) words.push(...flag('--port', String(c.port), c.style));
      break;
    case 'kubectl':
      words.push('kubectl', 'proxy');
      // kubectl proxy cannot listen on an IPv6 address ("too many colons in address").
      if (c.host) words.push(...flag('--address', c.host === '::1' ? '127.0.0.1' : c.host, c.style));
      if (c.port) words.push(...flag('--port', String(c.port), c.style));
      break;
  }
  if (c.shell === 'none') return { words, env };
  const line = words.join(' ');
  return { words: ['sh', '-c', c.shell === 'sh' ? `exec ${line}` : `cd ${app} && exec ${line}`], env };
}

const CONTAINER: ContainerInfo = { name: 'app', sidecar: false, path: [], ports: [] };

describe('where servers bind, against the servers', () => {
  let bin = '';
  let app = '';
  beforeAll(() => {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'servers.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/servers.sh failed');
    bin = r.stdout.trim();
    app = mkdtempSync(path.join(tmpdir(), 'svclint-bind-'));
    writeFileSync(path.join(app, 'asgi.py'), 'async def app(scope, receive, send):\n    pass\n');
    writeFileSync(path.join(app, 'wsgi.py'), 'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n');
    writeFileSync(path.join(app, 'hello.py'), 'from flask import Flask\napp = Flask(__name__)\n');
    writeFileSync(path.join(app, 'manage.py'), 'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n');
    writeFileSync(path.join(app, 'site_settings.py'), 'SECRET_KEY = "x"\nDEBUG = True\nALLOWED_HOSTS = ["*"]\nROOT_URLCONF = "site_urls"\nINSTALLED_APPS = []\nDATABASES = {}\n');
    writeFileSync(path.join(app, 'site_urls.py'), 'urlpatterns = []\n');
    writeFileSync(path.join(app, 'mkdocs.yml'), 'site_name: bind test\n');
    mkdirSync(path.join(app, 'docs'), { recursive: true });
    writeFileSync(path.join(app, 'docs', 'index.md'), '# Bind test\n');
    writeFileSync(path.join(app, 'index.html'), '<!doctype html><title>bind test</title>\n');
    writeFileSync(path.join(app, 'kubeconfig'), 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: t}}]\n');
    mkdirSync(path.join(app, 'empty'), { recursive: true });
  }, 600_000);
  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('says "loopback only", with the port, exactly when the server listens on loopback only', async () => {
    const seed = Number(process.env.SVCLINT_SEED ?? 11);
    const cases = [
      // Each program's default, then generated ones.
      ...(['uvicorn', 'gunicorn', 'hypercorn', 'flask', 'django', 'kubectl', 'http.server', 'mkdocs', 'vite'] as const).map((program): Case => ({ program, style: 'space', envHost: '0.0.0.0', shell: 'none', port: undefined, host: undefined, env: undefined })),
      ...fc.sample(caseArb, { seed, numRuns: 60 }),
    ];
    const disagreements: string[] = [];
    let loopbackSeen = 0;
    let allSeen = 0;
    for (const [i, c] of cases.entries()) {
      const envPort = 30000 + i;
      const { words, env } = render(c, app, envPort);
      const raw = { command: words, env: Object.entries(env).map(([name, value]) => ({ name, value })) };
      const said = containerLoopback(CONTAINER, raw);
      const { sockets, log } = await run(words, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: app, KUBECONFIG: path.join(app, 'kubeconfig'), PYTHONDONTWRITEBYTECODE: '1', ...env }, app);
      if (sockets.length === 0) {
        disagreements.push(`${JSON.stringify(raw)}: never listened: ${log.split('\n').slice(-4).join(' | ')}`);
        continue;
      }
      const loopbackOnly = sockets.every((s) => isLoopbackHost(s.host) || /^::ffff:127\./.test(s.host));
      if (loopbackOnly) loopbackSeen++;
      else allSeen++;
      const ports = [...new Set(sockets.map((s) => s.port))];
      if ((said !== undefined) !== loopbackOnly) disagreements.push(`${JSON.stringify(raw)}: svclint ${said ? `loopback ${said.address}:${said.port}` : 'not loopback-only'}; the server listens on ${sockets.map((s) => `${s.host}:${s.port}`).join(', ')}`);
      else if (said && (said.port === undefined || !ports.includes(said.port))) disagreements.push(`${JSON.stringify(raw)}: svclint port ${said.port}; the server listens on ${ports.join(', ')}`);
    }
    expect(disagreements).toEqual([]);
    // The generated cases cover both answers.
    expect(loopbackSeen).toBeGreaterThan(3);
    expect(allSeen).toBeGreaterThan(3);
  }, 900_000);

  it('reads where gunicorn listens from a gunicorn.conf.py as gunicorn does (its own in the working folder, or the file of -c)', async () => {
    const seed = Number(process.env.SVCLINT_SEED ?? 11);
    const quote = fc.constantFrom('"', "'");
    const address = fc.record({ host: fc.constantFrom(...HOSTS, ''), port: fc.option(fc.integer({ min: 20000, max: 29999 }), { nil: undefined, freq: 4 }) });
    const confArb = fc.record({
      // Each bind on its own port: two sockets on one port are gunicorn's failure, not a listener.
      binds: fc.uniqueArray(address, { minLength: 0, maxLength: 3, selector: (a) => a.port ?? 8000 }),
      form: fc.constantFrom('string', 'list', 'tuple'),
      quote,
      earlier: fc.boolean(),
      comment: fc.boolean(),
      flag: fc.boolean(),
    });
    const write = (a: { host: string; port?: number }) => (a.host.includes(':') ? `[${a.host}]` : a.host) + (a.port !== undefined ? `:${a.port}` : '');
    const disagreements: string[] = [];
    let loopbackSeen = 0;
    let allSeen = 0;
    const confs = fc.sample(confArb, { seed, numRuns: 24 });
    for (const [i, c] of confs.entries()) {
      const q = c.quote;
      // An IPv6 address without a port is not one gunicorn reads; neither is an empty host without one.
      const binds = c.binds.map((b) => ((b.host.includes(':') || b.host === '') && b.port === undefined ? { ...b, port: 8000 } : b));
      if (new Set(binds.map((b) => b.port ?? 8000)).size !== binds.length) continue;
      const items = binds.map((b) => `${q}${write(b)}${q}`);
      let text = c.comment ? `# bind = ${q}0.0.0.0:1${q}\n` : '';
      if (c.earlier) text += `bind = ${q}127.0.0.1:8000${q}\n`;
      text += 'workers = 1\n';
      if (binds.length) text += `bind = ${c.form === 'string' && items.length === 1 ? items[0] : c.form === 'tuple' ? `(${items.join(', ')},)` : `[${items.join(', ')}]`}${c.comment ? '  # where it listens' : ''}\n`;
      const dir = path.join(app, `gconf-${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'gunicorn.conf.py'), text);
      writeFileSync(path.join(dir, 'wsgi.py'), 'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n');
      const said = gunicornListens(text);
      const words = c.flag ? ['gunicorn', '-c', path.join(dir, 'gunicorn.conf.py'), '--chdir', dir, 'wsgi:application'] : ['gunicorn', 'wsgi:application'];
      const { sockets, log } = await run(words, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: app, PYTHONDONTWRITEBYTECODE: '1' }, dir);
      const where = `${JSON.stringify(text)}${c.flag ? ' (-c)' : ''}`;
      if (!said) {
        disagreements.push(`${where}: svclint cannot tell`);
        continue;
      }
      if (sockets.length === 0) {
        disagreements.push(`${where}: never listened: ${log.split('\n').slice(-4).join(' | ')}`);
        continue;
      }
      const loopbackOnly = sockets.every((s) => isLoopbackHost(s.host) || /^::ffff:127\./.test(s.host));
      if (loopbackOnly) loopbackSeen++;
      else allSeen++;
      const saidLoopback = said.listens.every((l) => isLoopbackHost(l.host));
      const ports = [...new Set(sockets.map((s) => s.port))].sort();
      const saidPorts = [...new Set(said.listens.map((l) => l.port))].sort();
      if (saidLoopback !== loopbackOnly || JSON.stringify(ports) !== JSON.stringify(saidPorts)) disagreements.push(`${where}: svclint ${said.listens.map((l) => `${l.host}:${l.port}`).join(', ')}; gunicorn listens on ${sockets.map((s) => `${s.host}:${s.port}`).join(', ')}`);
    }
    expect(disagreements).toEqual([]);
    expect(loopbackSeen).toBeGreaterThan(2);
    expect(allSeen).toBeGreaterThan(2);
  }, 600_000);

  it('says kubectl proxy answers 403 to a Service\'s requests exactly when it does', async () => {
    const lines = [
      ['kubectl', 'proxy', '--address=0.0.0.0', '--port=21501'],
      ['kubectl', 'proxy', '--address', '0.0.0.0', '-p', '21502', '--accept-hosts=^.*$'],
      ['kubectl', 'proxy', '--address=0.0.0.0', '--port=21503', '--disable-filter'],
      ['sh', '-c', 'exec kubectl proxy --address=0.0.0.0 --port=21504 --accept-hosts=^api\\.shop\\.svc$'],
    ];
    const disagreements: string[] = [];
    for (const words of lines) {
      const said = proxyFiltersHosts({ command: words });
      const child = spawn(words[0]!, words.slice(1), { cwd: app, detached: true, env: { PATH: process.env.PATH ?? '', HOME: app, KUBECONFIG: path.join(app, 'kubeconfig') }, stdio: 'ignore' });
      const port = Number(/21\d{3}/.exec(words.join(' '))![0]);
      let status = 0;
      for (let i = 0; i < 60 && status === 0; i++) {
        await sleep(200);
        status = await new Promise<number>((resolve) => {
          const req = http.get({ host: '127.0.0.1', port, path: '/api', headers: { host: `api.shop.svc:${port}` } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', () => resolve(0));
        });
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      if (status === 0) disagreements.push(`${words.join(' ')}: never answered`);
      else if ((status === 403) !== (said !== undefined)) disagreements.push(`${words.join(' ')}: svclint ${said ? 'filters' : 'does not filter'}; kubectl proxy answered ${status}`);
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});
