// tools: spring
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { springListen, type SpringFile } from '../src/graph/spring.js';
import { isLoopbackHost } from '../src/graph/bind.js';
import { ROOT } from './helpers.js';
import { listening, sleep } from './listeners.js';

/**
 * Differential test of svclint's reading of where a Spring Boot application listens
 * (src/graph/spring.ts) against Spring Boot itself (pinned, scripts/spring.sh): generated
 * config data files (`.properties` and YAML, multi-document, with profile conditions and
 * placeholders) in the default and explicit locations, `SPRING_*` variables, `SERVER_PORT`,
 * `SPRING_APPLICATION_JSON`, arguments and system properties. Each case starts the application
 * for real and reads its listening sockets from the kernel (`ss`). Where svclint names a port,
 * the application must listen on exactly it (and on the actuator's port when svclint names
 * one); where it names an address, on that address. The application's own classpath holds an
 * `application.properties` (port 18999) and an `application-cp.properties` (port 18998), as an
 * image would: svclint must never claim a port those decide.
 */

const PORTS = fc.integer({ min: 20000, max: 29999 });

/** `arb`'s value with probability `p`, else undefined. */
const sometimes = <T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: Math.round((1 - p) * 100), arbitrary: fc.constant(undefined) }, { weight: Math.round(p * 100), arbitrary: arb });

interface FileCase {
  where: string;
  format: 'properties' | 'yml';
  port?: number | 'placeholder' | 'placeholder-bare';
  address?: string;
  management?: number;
  /** `server.servlet.context-path`, in the file as people write it (`contextPath` binds too). */
  contextPath?: { value: string; key: 'context-path' | 'contextPath' };
  profiles?: string;
  /** A second document with a condition and its own port. */
  second?: { on: string; port: number; cloud?: boolean };
}

interface Case {
  files: FileCase[];
  serverPortEnv?: number;
  portEnv?: number;
  profilesEnv?: string;
  location?: string;
  additional?: string;
  json?: number;
  arg?: number;
  argProfiles?: string;
  sysprop?: number;
  contextEnv?: string;
}

const WHERE = ['/app/application', '/app/config/application', '/app/config/x/application', '/app/application-prod', '/app/config/application-prod', '/app/application-default', '/etc/app/application', '/etc/app/custom', '/etc/app/custom-prod', '/app/config/application-cp'];
const PROFILES = ['prod', 'cp', 'prod,cp', 'cp,prod', 'dev'];

const fileArb: fc.Arbitrary<FileCase> = fc.record(
  {
    where: fc.constantFrom(...WHERE),
    format: fc.constantFrom<FileCase['format']>('properties', 'yml'),
    port: sometimes(fc.oneof(PORTS, fc.constantFrom<'placeholder' | 'placeholder-bare'>('placeholder', 'placeholder-bare')), 0.7),
    address: sometimes(fc.constantFrom('127.0.0.1', '0.0.0.0', 'localhost'), 0.35),
    management: sometimes(PORTS, 0.2),
    contextPath: sometimes(fc.record({ value: fc.constantFrom('/api', '/shop/', '/', '/a/b'), key: fc.constantFrom<'context-path' | 'contextPath'>('context-path', 'context-path', 'contextPath') }), 0.3),
    profiles: sometimes(fc.constantFrom(...PROFILES), 0.25),
    second: sometimes(fc.record({ on: fc.constantFrom('prod', '!prod', 'cp', 'prod | dev', 'kubernetes', 'heroku'), port: PORTS }).map((s) => ({ ...s, cloud: s.on === 'kubernetes' || s.on === 'heroku' })), 0.3),
  },
  { requiredKeys: ['where', 'format'] },
);

const caseArb: fc.Arbitrary<Case> = fc.record(
  {
    files: fc.uniqueArray(fileArb, { minLength: 1, maxLength: 3, selector: (f) => `${f.where}.${f.format}` }),
    serverPortEnv: sometimes(PORTS, 0.15),
    portEnv: sometimes(PORTS, 0.3),
    profilesEnv: sometimes(fc.constantFrom(...PROFILES), 0.3),
    location: sometimes(fc.constantFrom('optional:file:/etc/app/', 'file:/etc/app/custom.yml', 'optional:file:/etc/app/custom.properties', 'optional:classpath:/,optional:file:./config/', 'optional:file:./', 'optional:file:/etc/app/,optional:file:./config/'), 0.25),
    additional: sometimes(fc.constantFrom('optional:file:/etc/app/', 'optional:file:/etc/app/custom.yml'), 0.2),
    json: sometimes(PORTS, 0.1),
    arg: sometimes(PORTS, 0.1),
    argProfiles: sometimes(fc.constantFrom(...PROFILES), 0.15),
    sysprop: sometimes(PORTS, 0.1),
    contextEnv: sometimes(fc.constantFrom('/env', '/'), 0.1),
  },
  { requiredKeys: ['files'] },
);

/** One file's text. */
function text(f: FileCase): string {
  const props: [string, string][] = [];
  if (f.port !== undefined) props.push(['server.port', f.port === 'placeholder' ? '${PORT:21999}' : f.port === 'placeholder-bare' ? '${PORT}' : String(f.port)]);
  if (f.address) props.push(['server.address', f.address]);
  if (f.management) props.push(['management.server.port', String(f.management)]);
  if (f.contextPath) props.push([`server.servlet.${f.contextPath.key}`, f.contextPath.value]);
  if (f.profiles && !/-(prod|cp|default)$/.test(f.where)) props.push(['spring.profiles.active', f.profiles]);
  const second: [string, string][] | undefined = f.second ? [[f.second.cloud ? 'spring.config.activate.on-cloud-platform' : 'spring.config.activate.on-profile', f.second.on], ['server.port', String(f.second.port)]] : undefined;
  if (f.format === 'properties') {
    const body = props.map(([k, v]) => `${k}=${v}\n`).join('');
    return second ? `${body}#---\n${second.map(([k, v]) => `${k}=${v}\n`).join('')}` : body;
  }
  // YAML, nested as people write it.
  const yaml = (ps: [string, string][]) => {
    const tree: Record<string, unknown> = {};
    for (const [k, v] of ps) {
      const parts = k.split('.');
      let at = tree;
      for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
      at[parts.at(-1)!] = v;
    }
    const out: string[] = [];
    const walk = (o: Record<string, unknown>, indent: string) => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'string') out.push(`${indent}${k}: ${/[${}|!&]/.test(v) ? `"${v}"` : v}`);
        else {
          out.push(`${indent}${k}:`);
          walk(v as Record<string, unknown>, `${indent}  `);
        }
      }
    };
    walk(tree, '');
    return out.map((l) => `${l}\n`).join('');
  };
  return second ? `${yaml(props)}---\n${yaml(second)}` : yaml(props);
}

/** The case as svclint reads it, and as the application runs it (paths under `root`). */
function render(c: Case, root: string): { files: SpringFile[]; env: Map<string, string>; args: string[]; sysProps: Map<string, string>; real: { env: Record<string, string>; args: string[]; jvm: string[] } } {
  const files = c.files.map((f): SpringFile => ({ path: `${f.where}.${f.format}`, text: text(f), source: `${f.where}.${f.format}` }));
  const env = new Map<string, string>();
  if (c.serverPortEnv) env.set('SERVER_PORT', String(c.serverPortEnv));
  if (c.portEnv) env.set('PORT', String(c.portEnv));
  if (c.profilesEnv) env.set('SPRING_PROFILES_ACTIVE', c.profilesEnv);
  if (c.location) env.set('SPRING_CONFIG_LOCATION', c.location);
  if (c.additional) env.set('SPRING_CONFIG_ADDITIONAL_LOCATION', c.additional);
  if (c.contextEnv) env.set('SERVER_SERVLET_CONTEXT_PATH', c.contextEnv);
  if (c.json) env.set('SPRING_APPLICATION_JSON', JSON.stringify({ server: { port: c.json } }));
  const args: string[] = [];
  if (c.arg) args.push(`--server.port=${c.arg}`);
  if (c.argProfiles) args.push(`--spring.profiles.active=${c.argProfiles}`);
  const sysProps = new Map<string, string>();
  if (c.sysprop) sysProps.set('server.port', String(c.sysprop));
  const inRoot = (v: string) => v.replace(/file:\//g, `file:${root}/`);
  const realEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
  for (const [k, v] of env) realEnv[k] = inRoot(v);
  return { files, env, args, sysProps, real: { env: realEnv, args, jvm: [...sysProps].map(([k, v]) => `-D${k}=${v}`) } };
}

/** The HTTP status of a GET on loopback (0 when nothing answers). */
function status(port: number, p: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 30_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** Starts the application, waits until it has started (or failed), and returns its listening sockets. */
async function start(dir: string, cwd: string, r: ReturnType<typeof render>, whileUp?: (sockets: { host: string; port: number }[]) => Promise<void>): Promise<{ sockets: { host: string; port: number }[]; log: string }> {
  const child = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto', '-Dspring.main.banner-mode=off', ...r.real.jvm, '-cp', `${dir}/lib/*:${dir}/classes`, 'svclint.App', ...r.real.args], { cwd, detached: true, env: r.real.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  // A loaded machine (the rest of the suite beside it) can take a JVM a minute to start.
  const until = Date.now() + 120_000;
  while (Date.now() < until && !exited && !/Started App in/.test(log)) await sleep(100);
  const sockets = exited ? [] : listening(child.pid!);
  if (!exited && whileUp) await whileUp(sockets);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* gone */
  }
  await new Promise((res) => (exited ? res(undefined) : child.on('exit', res)));
  return { sockets, log };
}

describe('where a Spring Boot application listens, against Spring Boot', () => {
  let dir = '';
  let root = '';
  beforeAll(() => {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'spring.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/spring.sh failed');
    dir = r.stdout.trim();
  }, 600_000);
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('names the port and address Spring Boot listens on, or none', async () => {
    const seed = Number(process.env.SVCLINT_SEED ?? 11);
    const n = Number(process.env.SVCLINT_SPRING_CASES ?? 30);
    const cases: Case[] = [
      // Fixed: a mounted file in ./config, the variable over it, a profile file over the plain one, an explicit location.
      { files: [{ where: '/app/config/application', format: 'yml', port: 21081, address: '127.0.0.1' }] },
      { files: [{ where: '/app/config/application', format: 'properties', port: 21082 }], serverPortEnv: 21083 },
      { files: [{ where: '/app/application', format: 'yml', port: 21084 }, { where: '/app/application-prod', format: 'yml', port: 21085 }], profilesEnv: 'prod' },
      { files: [{ where: '/etc/app/application', format: 'properties', port: 21086 }], location: 'optional:file:/etc/app/' },
      { files: [{ where: '/etc/app/application', format: 'properties', port: 21087 }] },
      { files: [{ where: '/app/config/application', format: 'yml', port: 21088, management: 21089 }] },
      { files: [{ where: '/app/config/application', format: 'yml', port: 21090, contextPath: { value: '/api', key: 'context-path' } }] },
      { files: [{ where: '/app/config/application', format: 'properties', port: 21091, contextPath: { value: '/shop/', key: 'contextPath' }, management: 21092 }] },
      { files: [{ where: '/app/config/application', format: 'yml', port: 21093, contextPath: { value: '/api', key: 'context-path' } }], contextEnv: '/env' },
      ...fc.sample(caseArb, { seed, numRuns: n }),
    ];
    const wrong: string[] = [];
    let claimed = 0;
    let fromFiles = 0;
    let actuatorChecked = 0;
    let contextChecked = 0;
    for (const c of cases) {
      root = mkdtempSync(path.join(tmpdir(), 'svclint-spring-'));
      const r = render(c, root);
      for (const f of r.files) {
        mkdirSync(path.join(root, path.dirname(f.path)), { recursive: true });
        writeFileSync(path.join(root, f.path), f.text);
      }
      mkdirSync(path.join(root, 'app'), { recursive: true });
      const said = springListen({ files: r.files, env: r.env, envOpen: false, args: r.args, sysProps: r.sysProps, cwd: '/app' });
      // Where the actuator answers: with a port of its own, only there (what the probe check relies on).
      const health = new Map<number, number>();
      // Below the context path svclint names (when it names one), on the server's port.
      const context = said?.contextPath ? `/${said.contextPath.value.trim().replace(/^\/+|\/+$/g, '')}` : undefined;
      const below = new Map<number, number>();
      const real = await start(dir, path.join(root, 'app'), r, async (sockets) => {
        for (const p of new Set(sockets.map((x) => x.port))) {
          health.set(p, await status(p, '/actuator/health'));
          if (context && context !== '/') below.set(p, await status(p, `${context}/actuator/health`));
        }
      });
      rmSync(root, { recursive: true, force: true });
      root = '';
      const ports = [...new Set(real.sockets.map((s) => s.port))].sort();
      const describe = () => `${JSON.stringify(c)}\n  files: ${r.files.map((f) => `${f.path}: ${JSON.stringify(f.text)}`).join('; ')}\n  svclint: ${JSON.stringify({ port: said?.port?.value, from: said?.port?.text, address: said?.address?.value, management: said?.management?.value })}\n  Spring Boot: ${JSON.stringify(real.sockets)}${real.sockets.length ? '' : `\n  log: ${real.log.split('\n').filter((l) => /ERROR|Exception|Caused|APPLICATION FAILED/.test(l)).slice(0, 3).join(' | ')}`}`;
      const port = said?.port ? Number(said.port.value) : undefined;
      if (port === undefined) continue;
      // A location named on purpose and absent here is in the image in a cluster: outside the comparison.
      if (real.sockets.length === 0 && /ConfigDataLocationNotFoundException|ConfigDataResourceNotFoundException|Config data resource .* does not exist/.test(real.log)) continue;
      claimed++;
      if ([said?.port, said?.address, said?.management].some((x) => x?.from === 'file')) fromFiles++;
      // The port svclint names is one the application listens on; with the actuator's port, they are all it listens on.
      const management = said?.management ? Number(said.management.value) : undefined;
      const expected = [...new Set([port, ...(management !== undefined ? [management] : [])])].sort();
      if (!ports.includes(port) || (management !== undefined && JSON.stringify(ports) !== JSON.stringify(expected)) || ports.length > 2) {
        wrong.push(describe());
        continue;
      }
      if (management !== undefined && management !== port && (health.get(port) !== 404 || health.get(management) !== 200)) {
        wrong.push(`${describe()}\n  /actuator/health: ${JSON.stringify([...health])}`);
        continue;
      }
      if (management !== undefined && management !== port) actuatorChecked++;
      // A context path svclint names holds every path of the server's port, the actuator's too when it shares the port.
      if (context && context !== '/' && !said?.managementUnknown && (management === undefined || management === port)) {
        if (health.get(port) !== 404 || below.get(port) !== 200) {
          wrong.push(`${describe()}\n  context path ${context}: /actuator/health ${health.get(port)}, ${context}/actuator/health ${below.get(port)}`);
          continue;
        }
        contextChecked++;
      }
      const main = real.sockets.filter((s) => s.port === port).map((s) => s.host.replace(/^::ffff:/, ''));
      if (said?.address) {
        const loop = isLoopbackHost(said.address.value);
        if (main.every((h) => isLoopbackHost(h)) !== loop) wrong.push(describe());
      }
    }
    expect(wrong).toEqual([]);
    // The comparison says something only where svclint answers.
    console.log(`spring differential: ${cases.length} cases, svclint named the port in ${claimed}, from a mounted file in ${fromFiles}, the actuator's own port in ${actuatorChecked}, a context path in ${contextChecked}`);
    expect(claimed).toBeGreaterThanOrEqual(Math.floor(cases.length / 4));
    expect(fromFiles).toBeGreaterThanOrEqual(4);
  }, 1_800_000);
});
