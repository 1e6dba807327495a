// tools: tomcat
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../src/graph/bind.js';
import { tomcatListeners } from '../src/graph/tomcat.js';
import { ROOT } from './helpers.js';
import { listening, sleep } from './listeners.js';

/**
 * Differential test of svclint's reading of a Tomcat server.xml (`tomcatListeners`) against
 * Tomcat itself (scripts/tomcat.sh: the pinned binary distribution the official image ships),
 * started with `catalina.sh run` on generated files, one at a time: the kernel's listening
 * sockets (`ss`) must be on exactly the ports svclint reads, and a port must be on loopback
 * addresses only exactly when svclint says so.
 */

const PORTS = [21811, 21812, 21813, 21814];
const isLoopback = (h: string) => isLoopbackHost(h) || /^::ffff:127\./.test(h);

interface Connector {
  port: number;
  address?: string;
  protocol: 'HTTP/1.1' | 'AJP/1.3' | 'org.apache.coyote.http11.Http11NioProtocol';
  /** For AJP: the secret attributes (Tomcat refuses to start an AJP connector without one unless secretRequired="false"). */
  ajp?: 'secret' | 'not-required' | 'none';
  commented: boolean;
  multiline: boolean;
}

const connectorArb: fc.Arbitrary<Omit<Connector, 'port'>> = fc.record({
  address: fc.option(fc.constantFrom('127.0.0.1', '0.0.0.0', 'localhost', '::1', '::'), { nil: undefined, freq: 2 }),
  protocol: fc.constantFrom<Connector['protocol']>('HTTP/1.1', 'HTTP/1.1', 'AJP/1.3', 'org.apache.coyote.http11.Http11NioProtocol'),
  ajp: fc.constantFrom<NonNullable<Connector['ajp']>>('secret', 'not-required', 'none'),
  commented: fc.boolean(),
  multiline: fc.boolean(),
});

const caseArb = fc.record({
  connectors: fc.array(connectorArb, { minLength: 1, maxLength: 3 }),
  shutdown: fc.constantFrom<'port' | 'off' | 'loopback-address'>('port', 'off', 'loopback-address'),
  quote: fc.constantFrom('"', "'"),
});

function serverXml(c: { connectors: Omit<Connector, 'port'>[]; shutdown: 'port' | 'off' | 'loopback-address'; quote: string }): string {
  const q = c.quote;
  const attr = (k: string, v: string) => `${k}=${q}${v}${q}`;
  const server = c.shutdown === 'off' ? attr('port', '-1') : c.shutdown === 'loopback-address' ? `${attr('port', String(PORTS[3]))} ${attr('address', '127.0.0.1')}` : attr('port', String(PORTS[3]));
  const connectors = c.connectors.map((x, i) => {
    const attrs = [attr('port', String(PORTS[i])), attr('protocol', x.protocol), ...(x.address !== undefined ? [attr('address', x.address)] : [])];
    if (x.protocol === 'AJP/1.3' && x.ajp === 'secret') attrs.push(attr('secret', 's3cret'));
    if (x.protocol === 'AJP/1.3' && x.ajp === 'not-required') attrs.push(attr('secretRequired', 'false'));
    const tag = `<Connector ${attrs.join(x.multiline ? '\n               ' : ' ')} />`;
    return x.commented ? `    <!-- ${tag} -->` : `    ${tag}`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Server ${server} shutdown="SHUTDOWN">\n  <Service name="Catalina">\n${connectors.join('\n')}\n    <Engine name="Catalina" defaultHost="localhost">\n      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />\n    </Engine>\n  </Service>\n</Server>\n`;
}

describe('where Tomcat listens, against Tomcat', () => {
  let home = '';
  let work = '';
  beforeAll(() => {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'tomcat.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/tomcat.sh failed');
    home = r.stdout.trim();
    work = mkdtempSync(path.join(tmpdir(), 'svclint-tomcat-'));
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Starts Tomcat on a server.xml, waits for "Server startup" (or its exit, or 40 s), and returns the sockets it listened on. */
  async function start(xml: string, i: number): Promise<{ sockets: { host: string; port: number }[]; log: string }> {
    const base = path.join(work, `base-${i}`);
    for (const d of ['logs', 'temp', 'webapps', 'work']) mkdirSync(path.join(base, d), { recursive: true });
    cpSync(path.join(home, 'conf'), path.join(base, 'conf'), { recursive: true });
    writeFileSync(path.join(base, 'conf', 'server.xml'), xml);
    const child = spawn(path.join(home, 'bin', 'catalina.sh'), ['run'], { detached: true, env: { PATH: process.env.PATH ?? '', CATALINA_HOME: home, CATALINA_BASE: base, ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let exited = false;
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', () => (exited = true));
    const until = Date.now() + 40_000;
    while (Date.now() < until && !exited && !/Server startup in/.test(log)) await sleep(200);
    await sleep(300);
    const sockets = listening(child.pid!);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    await new Promise((r) => (exited ? r(undefined) : child.on('exit', r)));
    return { sockets, log };
  }

  it('reads the ports Tomcat opens from server.xml, and which of them are on loopback only', async () => {
    const seed = Number(process.env.SVCLINT_SEED ?? 5);
    // Three fixed cases cover both answers and the AJP connector's loopback default whatever the
    // seed; generated ones after them.
    const plain = { commented: false, multiline: false, ajp: 'none' as const };
    const fixed = [
      { connectors: [{ ...plain, protocol: 'HTTP/1.1' as const }, { ...plain, protocol: 'AJP/1.3' as const }], shutdown: 'port' as const, quote: '"' },
      { connectors: [{ ...plain, protocol: 'HTTP/1.1' as const, address: '127.0.0.1' }, { ...plain, protocol: 'HTTP/1.1' as const, address: '::1', multiline: true }], shutdown: 'loopback-address' as const, quote: "'" },
      { connectors: [{ ...plain, protocol: 'HTTP/1.1' as const, address: '0.0.0.0' }, { ...plain, protocol: 'org.apache.coyote.http11.Http11NioProtocol' as const }, { ...plain, protocol: 'HTTP/1.1' as const, address: '::' }], shutdown: 'off' as const, quote: '"' },
    ];
    const cases = [...fixed, ...fc.sample(caseArb, { seed, numRuns: 8 })];
    const disagreements: string[] = [];
    const seen = { loopback: 0, all: 0, ajpOff: 0 };
    for (const [i, c] of cases.entries()) {
      const xml = serverXml(c);
      const said = tomcatListeners(xml);
      const { sockets, log } = await start(xml, i);
      if (!/Server startup in/.test(log)) {
        disagreements.push(`${JSON.stringify(xml)}: Tomcat never started: ${log.split('\n').slice(-5).join(' | ')}`);
        continue;
      }
      const actual = new Map<number, boolean>();
      for (const s of sockets) actual.set(s.port, (actual.get(s.port) ?? true) && isLoopback(s.host));
      const expected = new Map<number, boolean>();
      for (const l of said ?? []) expected.set(l.port, (expected.get(l.port) ?? true) && l.host !== undefined && isLoopbackHost(l.host));
      if (said === undefined) {
        // Only a file without a live connector may be left alone.
        if (sockets.some((s) => s.port !== PORTS[3])) disagreements.push(`${JSON.stringify(xml)}: svclint cannot tell; Tomcat listens on ${sockets.map((s) => `${s.host}:${s.port}`).join(', ')}`);
        continue;
      }
      for (const [p, lo] of actual) lo ? seen.loopback++ : seen.all++;
      if (c.connectors.some((x) => !x.commented && x.protocol === 'AJP/1.3' && x.ajp === 'none')) seen.ajpOff++;
      const shown = sockets.map((s) => `${s.host}:${s.port}`).join(', ');
      if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) disagreements.push(`${JSON.stringify(xml)}: svclint ${[...expected].map(([p, lo]) => `${p}${lo ? ' (loopback)' : ''}`).join(', ')}; Tomcat listens on ${shown}`);
    }
    expect(disagreements).toEqual([]);
    // The generated cases cover both answers, and an AJP connector Tomcat refuses to start.
    expect(seen.loopback).toBeGreaterThan(2);
    expect(seen.all).toBeGreaterThan(2);
    expect(seen.ajpOff).toBeGreaterThan(0);
  }, 900_000);
});
