// tools: debian-servers
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyBinds, haproxyComplete, isLoopbackHost, pgHbaAdmitsReplication, pgHbaLoopbackOnly, postgresListen, redisListen } from '../src/graph/bind.js';
import { nginxListens, nginxListenPorts } from '../src/graph/listen.js';
import { IMAGE_MAIN, mysqlSettings } from '../src/graph/mysql.js';
import { apacheListens } from '../src/graph/apache.js';
import { mosquittoListens } from '../src/graph/mosquitto.js';
import { ROOT } from './helpers.js';
import { run } from './listeners.js';

/**
 * Differential test of svclint's reading of where nginx, Redis, PostgreSQL, HAProxy, MariaDB, Apache and Mosquitto listen by their own
 * configuration files and flags (`nginxListens`, `redisListen`, `postgresListen`, `mysqlSettings`,
 * `haproxyBinds`) against
 * Debian's builds of the servers
 * (scripts/debian-servers.sh), started for real on generated configurations, one at a time:
 * the kernel's listening sockets (`ss`) must have exactly the ports svclint reads, and a port
 * must be on loopback addresses only exactly when svclint says so.
 */

const PORTS = [21701, 21702, 21703];
const isLoopback = (h: string) => isLoopbackHost(h) || /^::ffff:127\./.test(h);

/** What svclint says against what the kernel shows, for a server that listens on one port. */
function compareOne(server: string, input: unknown, said: { port?: number; loopback: boolean }, sockets: { host: string; port: number }[], seen: { loopback: number; all: number }): string | undefined {
  const actual = byPort(sockets);
  const ports = [...actual.keys()];
  const shown = sockets.map((s) => `${s.host}:${s.port}`).join(', ');
  if (ports.length === 1) actual.get(ports[0]!) ? seen.loopback++ : seen.all++;
  if (ports.length !== 1 || ports[0] !== said.port) return `${JSON.stringify(input)}: svclint port ${said.port}; ${server} listens on ${shown}`;
  if (actual.get(ports[0])! !== said.loopback) return `${JSON.stringify(input)}: svclint ${said.loopback ? 'loopback only' : 'not loopback only'}; ${server} listens on ${shown}`;
  return undefined;
}

/** What svclint says per port (loopback only or not) against what the kernel shows, for a server with several ports; counts the loopback-only ports seen. */
function comparePorts(server: string, input: unknown, said: Map<number, boolean>, sockets: { host: string; port: number }[], seen: { loopback: number }): string[] {
  const actual = byPort(sockets);
  const shown = sockets.map((s) => `${s.host}:${s.port}`).join(', ');
  const out: string[] = [];
  if (JSON.stringify([...actual.keys()].sort()) !== JSON.stringify([...said.keys()].sort())) out.push(`${JSON.stringify(input)}: ports ${[...said.keys()]}; ${server} listens on ${shown}`);
  for (const [p, lo] of actual) {
    if (lo) seen.loopback++;
    if (said.get(p) !== lo) out.push(`${JSON.stringify(input)}: port ${p} svclint ${said.get(p) ? 'loopback only' : 'not loopback only'}; ${server} listens on ${shown}`);
  }
  return out;
}

/** Per port: whether every socket on it is a loopback one. */
function byPort(sockets: { host: string; port: number }[]): Map<number, boolean> {
  const m = new Map<number, boolean>();
  for (const s of sockets) m.set(s.port, (m.get(s.port) ?? true) && isLoopback(s.host));
  return m;
}

/** A `listen` directive; `*:`, `0.0.0.0:` and none are the same address, which one server may not repeat. */
const nginxListen = fc.tuple(fc.constantFrom('', '127.0.0.1:', 'localhost:', '[::1]:', '[::]:', '*:', '0.0.0.0:', '127.0.0.2:'), fc.constantFrom(...PORTS));
const sameAddress = ([host, port]: [string, number]) => `${['', '*:', '0.0.0.0:'].includes(host) ? 'any' : host === 'localhost:' ? '127.0.0.1:' : host}${port}`;
// Options that make nginx bind an address of its own (backlog, reuseport…) are left out: with a
// wildcard on the same port, what nginx then binds is not modelled (svclint claims nothing there).
const nginxConf = fc.array(fc.uniqueArray(nginxListen, { minLength: 1, maxLength: 2, selector: sameAddress }), { minLength: 1, maxLength: 3 })
  .map((servers) => servers.map((ls, i) => `server {\n  server_name s${i};\n  ${ls.map(([h, p], j) => `listen ${h}${p}${i === 0 && j === 0 ? ' default_server' : ''};`).join('\n  ')}\n  # listen 9999;\n  location / { return 204; }\n}\n`).join(''));

// Every interface, or specific addresses: Redis refuses to start on a wildcard beside an address of its family.
const redisBind = fc.constantFrom('*', '0.0.0.0', '* -::*', '0.0.0.0 -::*', '127.0.0.1', '127.0.0.1 -::1', '::1', '127.0.0.2', '127.0.0.1 127.0.0.2', 'localhost').map((a) => `bind ${a}`);
const redisCase = fc.record({
  lines: fc.array(fc.oneof(redisBind, fc.constantFrom(...PORTS).map((p) => `port ${p}`), fc.constantFrom('protected-mode no', 'maxmemory 64mb', '# bind 0.0.0.0', 'tcp-backlog 128')), { maxLength: 4 }),
  extra: fc.array(fc.oneof(fc.constantFrom(...PORTS).map((p) => ['--port', String(p)]), fc.constantFrom(['--bind', '127.0.0.1'], ['--bind', '0.0.0.0'], ['--bind', '127.0.0.1', '-::1'])), { maxLength: 2 }),
});

// Protected mode, passwords and binds; the file starts from the official image's compiled default (`protected-mode no`).
const redisProtectedCase = fc.array(fc.constantFrom('protected-mode yes', 'protected-mode no', 'protected-mode yes', 'requirepass s3cret', 'requirepass ""', 'user default on nopass ~* &* +@all', 'user default on >pw ~* &* +@all', 'user default on ~* &* +@all', 'user default on nopass >pw ~* &* +@all', 'user default on >pw resetpass nopass ~* &* +@all', 'bind 0.0.0.0', 'bind * -::*', '# protected-mode yes', 'maxmemory 64mb'), { maxLength: 4 })
  // Redis refuses a second `user default` line (a duplicate user) and does not start.
  .filter((lines) => lines.filter((l) => l.startsWith('user default')).length <= 1);

/** The first line a server answers to `PING` on a connection from `host` (or how the connection failed). */
function firstReply(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    let got = '';
    const done = (v: string) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(5000, () => done(`timeout: ${got}`));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n')) done(got.slice(0, got.indexOf('\r\n')));
    });
    s.on('error', (e) => done(`error: ${e.message}`));
    s.on('close', () => done(`closed: ${got}`));
  });
}

/** HAProxy `bind` entries, each address:port once in a configuration (a second bind of one would fail). */
const haBind = fc.tuple(fc.constantFrom('', '*', '127.0.0.1', '0.0.0.0', 'ipv6@::1', '::', '127.0.0.2', 'ipv4@127.0.0.1'), fc.constantFrom(...PORTS));
const haKey = ([h, p]: [string, number]) => `${['', '*', '0.0.0.0'].includes(h) ? 'any4' : h === 'ipv4@127.0.0.1' ? '127.0.0.1' : h}:${p}`;
const haConf = fc.uniqueArray(haBind, { minLength: 1, maxLength: 4, selector: haKey }).chain((binds) => fc.integer({ min: 1, max: Math.min(3, binds.length) }).map((frontends) => {
  const groups: string[][] = Array.from({ length: frontends }, () => []);
  binds.forEach(([h, p], i) => groups[i % frontends]!.push(`${h}:${p}`));
  return `global\n  maxconn 100\ndefaults\n  mode tcp\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n${groups.map((g, i) => `frontend f${i}\n${g.map((b, j) => (j === 1 && g.length > 2 ? `  bind ${b},${g[2]}  # two at once\n` : j === 2 && g.length > 2 ? '' : `  bind ${b}\n`)).join('')}  default_backend b\n`).join('')}backend b\n  server s 127.0.0.1:1\n`;
}));

const pgAddresses = fc.constantFrom("'localhost'", "'*'", "'127.0.0.1'", "'0.0.0.0'", "'127.0.0.1,::1'", "'localhost, 127.0.0.2'", "'::'", 'localhost', "'*' # every interface");
const pgCase = fc.record({
  lines: fc.array(fc.oneof(pgAddresses.map((a) => `listen_addresses = ${a}`), fc.constantFrom(...PORTS).map((p) => `port = ${p}`), fc.constantFrom(...PORTS).map((p) => `port ${p}`), fc.constantFrom('max_connections = 20', "#listen_addresses = '*'", 'shared_buffers = 16MB   # small')), { maxLength: 4 }),
  flags: fc.array(fc.oneof(
    fc.constantFrom('localhost', '*', '127.0.0.1', '0.0.0.0').map((a) => ['-c', `listen_addresses=${a}`]),
    fc.constantFrom('localhost', '*').map((a) => ['-h', a]),
    fc.constantFrom(...PORTS).map((p) => ['-p', String(p)]),
    fc.constantFrom(...PORTS).map((p) => [`--port=${p}`]),
  ), { maxLength: 2 }),
  pgport: fc.option(fc.constantFrom(...PORTS).map(String), { nil: undefined, freq: 3 }),
});

/** pg_hba.conf records: loopback addresses in their spellings, other networks, rejecting and SSL-only records, comments. */
const hbaCase = fc.array(fc.oneof(
  fc.tuple(fc.constantFrom('host', 'hostnossl', 'hostssl'), fc.constantFrom('all', 'postgres', 'replication'), fc.constantFrom('127.0.0.1/32', '127.0.0.0/8', '::1/128', '0:0:0:0:0:0:0:1/128', 'localhost', '127.0.0.1 255.255.255.255', '127.0.0.1 255.0.0.0', '0.0.0.0/0', '10.0.0.0/8', 'all', 'samenet', 'samehost', '::/0'), fc.constantFrom('trust', 'trust', 'reject', 'md5')).map(([t, db, a, m]) => `${t} ${db} all ${a} ${m}`),
  fc.constantFrom('local all all peer', '# host all all 0.0.0.0/0 trust', 'host all all 127.0.0.1/32 trust # loopback'),
), { minLength: 1, maxLength: 3 });

/** What PostgreSQL answers a startup message for user and database `postgres` from `host` (a physical replication connection's with `replication`): `R…` (authentication goes on) or `E…` and its message (refused). */
function pgStartup(host: string, port: number, replication = false): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    let got = Buffer.alloc(0);
    const done = (v: string) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(5000, () => done(`timeout: ${got.toString('latin1')}`));
    s.on('connect', () => {
      const body = Buffer.from(replication ? 'user\0postgres\0replication\0true\0\0' : 'user\0postgres\0database\0postgres\0\0', 'latin1');
      const head = Buffer.alloc(8);
      head.writeInt32BE(8 + body.length, 0);
      head.writeInt32BE(196608, 4); // protocol 3.0
      s.write(Buffer.concat([head, body]));
    });
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 5 && got.length >= 1 + got.readInt32BE(1)) done(`${String.fromCharCode(got[0]!)} ${got.subarray(5, 1 + got.readInt32BE(1)).toString('latin1').replace(/\0/g, ' ').trim()}`);
    });
    s.on('error', (e) => done(`error: ${e.message}`));
    s.on('close', () => done(`closed: ${got.toString('latin1')}`));
  });
}

/** MariaDB option files for /etc/mysql/conf.d (one that does not end in .cnf is not read), and the server's arguments. */
const MY_PORTS = [21711, 21712, 21713];
const myLine = fc.oneof(
  fc.constantFrom('port', 'loose-port').chain((n) => fc.constantFrom(...MY_PORTS).map((p) => `${n}=${p}`)),
  fc.tuple(fc.constantFrom('bind-address', 'bind_address', 'loose-bind-address', 'bind-address '), fc.constantFrom('127.0.0.1', '0.0.0.0', 'localhost', '::1', '*', '::', '"127.0.0.1"', '127.0.0.1 # loopback', '127.0.0.1,::1', "'0.0.0.0'")).map(([n, a]) => `${n}=${a}`),
  fc.constantFrom('skip-name-resolve', 'max_connections=20', '# port=21719', '; bind-address=127.0.0.1'),
);
const myFile = fc.record({
  name: fc.constantFrom('10-base.cnf', '50-server.cnf', 'zz-last.cnf', 'notes.conf'),
  sections: fc.array(fc.record({ group: fc.constantFrom('mysqld', 'server', 'mariadb', 'mariadbd', 'client-server', 'client', 'mysqld_safe'), lines: fc.array(myLine, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
});
const myCase = fc.record({
  files: fc.uniqueArray(myFile, { minLength: 1, maxLength: 3, selector: (f) => f.name }),
  args: fc.array(fc.oneof(fc.constantFrom(...MY_PORTS).map((p) => `--port=${p}`), fc.constantFrom('127.0.0.1', '0.0.0.0', '::1').map((a) => `--bind-address=${a}`)), { maxLength: 2 }),
});

/** Apache `Listen` lines (no address and port twice, which Apache refuses), some inside a section that always applies. */
const AP_PORTS = [21721, 21722, 21723];
const MQ_PORTS = [21731, 21732, 21733];
/** A mosquitto.conf: listeners on distinct ports (with an address, or none), the older default listener's `port` and `bind_address`, other lines. */
const mqConf = fc.record({
  listeners: fc.uniqueArray(fc.tuple(fc.constantFrom(...MQ_PORTS.slice(0, 2)), fc.constantFrom('', ' 127.0.0.1', ' ::1', ' 0.0.0.0', ' localhost', ' 127.0.0.2', ' ::')), { maxLength: 2, selector: ([p]) => p }),
  port: fc.option(fc.constant(`port ${MQ_PORTS[2]}`), { nil: undefined }),
  bind: fc.option(fc.constantFrom('bind_address 127.0.0.1', 'bind_address 0.0.0.0'), { nil: undefined }),
  other: fc.subarray(['allow_anonymous true', '# listener 21739', 'persistence false', 'log_dest stderr']),
}).map((c) => [...c.other.slice(0, 1), ...c.listeners.map(([p, h]) => `listener ${p}${h}`), ...(c.port ? [c.port] : []), ...(c.bind ? [c.bind] : []), ...c.other.slice(1)].join('\n') + '\n');
const apacheLine = fc.tuple(fc.constantFrom('', '127.0.0.1:', '0.0.0.0:', '[::1]:', '[::]:'), fc.constantFrom(...AP_PORTS), fc.constantFrom('', ' http'), fc.constantFrom('Listen', 'listen', 'LISTEN'), fc.boolean());
const apacheConf = fc.uniqueArray(apacheLine, { minLength: 1, maxLength: 4, selector: ([h, p]) => `${h === '' ? '' : h}${p}` });

describe('where nginx and Redis listen by their configuration files, against the servers', () => {
  let root = '';
  let dir = '';
  const env = () => ({ PATH: process.env.PATH ?? '', LD_LIBRARY_PATH: path.join(root, 'usr/lib/x86_64-linux-gnu'), HOME: dir });
  beforeAll(() => {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'debian-servers.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/debian-servers.sh failed');
    root = r.stdout.trim();
    dir = mkdtempSync(path.join(tmpdir(), 'svclint-server-config-'));
  }, 600_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('nginx listens on exactly the ports read, on loopback only exactly where svclint says so', async () => {
    const confs = fc.sample(nginxConf, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 30 });
    const disagreements: string[] = [];
    const seen = { loopback: 0 };
    for (const [i, conf] of confs.entries()) {
      const prefix = path.join(dir, `nginx-${i}`);
      mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
      const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${prefix}/tmp/${t};`).join(' ');
      writeFileSync(path.join(prefix, 'nginx.conf'), `daemon off;\nmaster_process off;\npid ${prefix}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  ${temps}\n${conf}}\n`);
      const { sockets, log } = await run([path.join(root, 'usr/sbin/nginx'), '-p', prefix, '-c', path.join(prefix, 'nginx.conf')], env(), prefix);
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(conf)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const ports = nginxListenPorts(conf) ?? [];
      const listens = nginxListens(conf) ?? [];
      const said = new Map(ports.map((p) => [p, listens.filter((l) => l.port === p).every((l) => l.host !== undefined && isLoopbackHost(l.host))]));
      disagreements.push(...comparePorts('nginx', conf, said, sockets, seen));
    }
    expect(disagreements).toEqual([]);
    expect(seen.loopback).toBeGreaterThan(2);
  }, 600_000);

  it('Redis listens on the port read, on loopback only exactly where svclint says so', async () => {
    const cases = [{ lines: ['bind 127.0.0.1 -::1', 'port 21701'], extra: [] as string[][] }, { lines: ['port 21702'], extra: [] as string[][] }, ...fc.sample(redisCase, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 30 })];
    const disagreements: string[] = [];
    const seen = { loopback: 0, all: 0 };
    for (const [i, c] of cases.entries()) {
      const d = path.join(dir, `redis-${i}`);
      mkdirSync(d, { recursive: true });
      const text = `daemonize no\nsave ""\nappendonly no\ndir ${d}\n${c.lines.join('\n')}\n`;
      writeFileSync(path.join(d, 'redis.conf'), text);
      const args = c.extra.flat();
      const { sockets, log } = await run([path.join(root, 'usr/bin/redis-server'), path.join(d, 'redis.conf'), ...args], env(), d);
      const said = redisListen(text, c.extra.map((a) => `${a[0]!.slice(2)} ${a.slice(1).join(' ')}`));
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(c)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const wrong = compareOne('Redis', c, { ...(said ? { port: said.port } : {}), loopback: said?.binds !== undefined && said.binds.every(isLoopbackHost) }, sockets, seen);
      if (wrong) disagreements.push(wrong);
    }
    expect(disagreements).toEqual([]);
    expect(seen.loopback).toBeGreaterThan(2);
    expect(seen.all).toBeGreaterThan(2);
  }, 600_000);

  it('Redis turns away clients from outside the host exactly where svclint reads protected mode without a password', async () => {
    // The client connects to a non-loopback address of this machine, so Redis sees a non-local peer.
    const outside = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    expect(outside, 'this machine has a non-loopback IPv4 address to connect from').toBeDefined();
    const cases = [['protected-mode yes'], ['protected-mode yes', 'requirepass s3cret'], ['protected-mode yes', 'bind 0.0.0.0'], [], ...fc.sample(redisProtectedCase, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 26 })];
    const disagreements: string[] = [];
    const seen = { denied: 0, admitted: 0 };
    for (const [i, lines] of cases.entries()) {
      const d = path.join(dir, `redis-protected-${i}`);
      mkdirSync(d, { recursive: true });
      const text = `daemonize no\nsave ""\nappendonly no\ndir ${d}\nport 21701\nprotected-mode no\n${lines.join('\n')}\n`;
      writeFileSync(path.join(d, 'redis.conf'), text);
      let reply = '';
      const { sockets, log } = await run([path.join(root, 'usr/bin/redis-server'), path.join(d, 'redis.conf')], env(), d, 'SIGKILL', async () => {
        reply = await firstReply(outside!, 21701);
      });
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(lines)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const denied = reply.startsWith('-DENIED');
      denied ? seen.denied++ : seen.admitted++;
      const said = redisListen(text)?.protectedText !== undefined;
      if (said !== denied) disagreements.push(`${JSON.stringify(lines)}: svclint ${said ? 'protected' : 'not protected'}; Redis answered ${JSON.stringify(reply)}`);
    }
    expect(disagreements).toEqual([]);
    expect(seen.denied).toBeGreaterThan(2);
    expect(seen.admitted).toBeGreaterThan(2);
  }, 600_000);

  it('HAProxy listens on exactly the ports read where svclint calls its file complete, on loopback only exactly where svclint says so', async () => {
    // Some with a stats socket on a TCP address: a listener no `bind` line names, so svclint must not call those files complete.
    const withStats = fc.tuple(haConf, fc.boolean()).map(([conf, stats]) => (stats ? conf.replace('  maxconn 100\n', '  maxconn 100\n  stats socket ipv4@127.0.0.1:21704 level admin\n') : conf));
    // Three fixed files that bind loopback addresses only, so the loopback comparison never rests on the random ones alone.
    const fixed = ['127.0.0.1:21701', 'ipv4@127.0.0.1:21702', '127.0.0.2:21703'].map((b) => `global\n  maxconn 100\ndefaults\n  mode tcp\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\nfrontend f0\n  bind ${b}\n  default_backend b\nbackend b\n  server s 127.0.0.1:1\n`);
    const confs = [...fixed, ...fc.sample(withStats, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 25 })];
    const disagreements: string[] = [];
    const seen = { loopback: 0, complete: 0, incomplete: 0 };
    for (const [i, conf] of confs.entries()) {
      const file = path.join(dir, `haproxy-${i}.cfg`);
      writeFileSync(file, conf);
      const { sockets, log } = await run([path.join(root, 'usr/sbin/haproxy'), '-f', file, '-db'], env(), dir);
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(conf)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const binds = haproxyBinds(conf);
      const said = new Map([...new Set(binds.map((b) => b.port))].map((p) => [p, binds.filter((b) => b.port === p).every((b) => b.host !== undefined && isLoopbackHost(b.host))]));
      // Where svclint calls the file complete, its `bind` lines are every TCP listener (target-port-not-listening relies on it).
      if (!haproxyComplete(conf)) {
        seen.incomplete++;
        const extra = sockets.filter((x) => !said.has(x.port));
        if (extra.length === 0) disagreements.push(`${JSON.stringify(conf)}: svclint calls it incomplete, but HAProxy listens only where its bind lines say`);
        continue;
      }
      seen.complete++;
      disagreements.push(...comparePorts('HAProxy', conf, said, sockets, seen));
    }
    expect(disagreements).toEqual([]);
    expect(seen.loopback).toBeGreaterThan(2);
    expect(seen.complete).toBeGreaterThan(5);
    expect(seen.incomplete).toBeGreaterThan(2);
  }, 600_000);

  /** PostgreSQL 15 from the Debian packages, with a data folder made once; as root, it runs as nobody from a copy it can read (it refuses to run as root). */
  let pgServer: { root0: boolean; as: (words: string[]) => string[]; bin: (n: string) => string; penv: () => Record<string, string>; data: string } | undefined;
  const postgres = () => {
    if (pgServer) return pgServer;
    const root0 = process.getuid?.() === 0;
    const pg = path.join(dir, 'pg');
    cpSync(path.join(root, 'usr'), path.join(pg, 'usr'), { recursive: true, verbatimSymlinks: true });
    chmodSync(dir, 0o755);
    const data = path.join(dir, 'pgdata');
    const as = (words: string[]) => (root0 ? ['runuser', '-u', 'nobody', '--', ...words] : words);
    const bin = (n: string) => path.join(pg, 'usr/lib/postgresql/15/bin', n);
    const penv = () => ({ PATH: process.env.PATH ?? '', LD_LIBRARY_PATH: path.join(pg, 'usr/lib/x86_64-linux-gnu'), HOME: dir });
    mkdirSync(path.join(dir, 'pgsock'), { recursive: true });
    if (root0) spawnSync('chown', ['-R', 'nobody', path.join(dir, 'pgsock'), dir]);
    const initdb = as([bin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--locale=C', '-E', 'UTF8', '--no-sync']);
    const init = spawnSync(initdb[0]!, initdb.slice(1), { env: penv(), encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    return (pgServer = { root0, as, bin, penv, data });
  };

  it('PostgreSQL listens on the port read, on loopback only exactly where svclint says so', async () => {
    const { root0, as, bin, penv, data } = postgres();
    const cases = [{ lines: ['max_connections = 20'], flags: [] as string[][], pgport: undefined as string | undefined }, ...fc.sample(pgCase, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 25 })];
    const disagreements: string[] = [];
    const seen = { loopback: 0, all: 0 };
    for (const [i, c] of cases.entries()) {
      const conf = path.join(dir, `pg-${i}.conf`);
      const text = `${c.lines.join('\n')}\n`;
      writeFileSync(conf, text);
      if (root0) spawnSync('chown', ['nobody', conf]);
      const flags: [string, string][] = c.flags.map((f) => (f[0] === '-c' ? [f[1]!.split('=')[0]!, f[1]!.split('=')[1]!] : f[0] === '-h' ? ['listen_addresses', f[1]!] : f[0] === '-p' ? ['port', f[1]!] : ['port', f[0]!.split('=')[1]!]));
      const said = postgresListen(text, flags, c.pgport);
      const words = as([bin('postgres'), '-D', data, '-c', `config_file=${conf}`, '-c', `hba_file=${data}/pg_hba.conf`, '-k', path.join(dir, 'pgsock'), ...c.flags.flat()]);
      const { sockets, log } = await run(words, { ...penv(), ...(c.pgport ? { PGPORT: c.pgport } : {}) }, dir, 'SIGINT');
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(c)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const wrong = compareOne('PostgreSQL', c, { ...(said ? { port: said.port } : {}), loopback: said !== undefined && said.addresses.length > 0 && said.addresses.every(isLoopbackHost) }, sockets, seen);
      if (wrong) disagreements.push(wrong);
    }
    expect(disagreements).toEqual([]);
    expect(seen.loopback).toBeGreaterThan(2);
    expect(seen.all).toBeGreaterThan(2);
  }, 600_000);
  it('PostgreSQL turns away every client from outside the host where svclint reads a pg_hba.conf for loopback only, and every replication connection where it reads no record for one', async () => {
    const outside = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    expect(outside, 'this machine has a non-loopback IPv4 address to connect from').toBeDefined();
    const { root0, as, bin, penv, data } = postgres();
    const cases = [['host all all 127.0.0.1/32 trust'], ['host all all 0.0.0.0/0 trust'], ['host all all all md5'], ['hostnossl all all samehost trust'], ['host replication all 0.0.0.0/0 trust'], ['host all all 127.0.0.1 255.255.255.255 trust', 'host all all 0.0.0.0/0 reject'], ...fc.sample(hbaCase, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 22 })];
    const disagreements: string[] = [];
    const seen = { refused: 0, admitted: 0, claimed: 0, replicationClaimed: 0, replicationAdmitted: 0 };
    for (const [i, lines] of cases.entries()) {
      const file = path.join(dir, `pg_hba-${i}.conf`);
      const text = `local all all trust\n${lines.join('\n')}\n`;
      writeFileSync(file, text);
      if (root0) spawnSync('chown', ['nobody', file]);
      let reply = '';
      let replication = '';
      const words = as([bin('postgres'), '-D', data, '-c', `hba_file=${file}`, '-c', 'listen_addresses=*', '-c', 'wal_level=replica', '-p', '21703', '-k', path.join(dir, 'pgsock')]);
      const { sockets, log } = await run(words, penv(), dir, 'SIGINT', async () => {
        reply = await pgStartup(outside!, 21703);
        replication = await pgStartup(outside!, 21703, true);
      });
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(lines)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const refused = reply.startsWith('E');
      const admitted = reply.startsWith('R');
      if (!refused && !admitted) disagreements.push(`${JSON.stringify(lines)}: neither refused nor admitted: ${JSON.stringify(reply)}`);
      refused ? seen.refused++ : seen.admitted++;
      const said = pgHbaLoopbackOnly(text);
      if (said === true) seen.claimed++;
      // svclint's claim must hold: loopback only means every outside client is refused.
      if (said === true && !refused) disagreements.push(`${JSON.stringify(lines)}: svclint reads loopback only; PostgreSQL answered ${JSON.stringify(reply)}`);
      // And for a physical replication connection (pg_basebackup's): no record for one means refused.
      const replicationSaid = pgHbaAdmitsReplication(text);
      if (replicationSaid === false) seen.replicationClaimed++;
      if (replication.startsWith('R')) seen.replicationAdmitted++;
      if (replicationSaid === false && !replication.startsWith('E')) disagreements.push(`${JSON.stringify(lines)}: svclint reads no replication record; PostgreSQL answered a replication connection ${JSON.stringify(replication)}`);
    }
    expect(disagreements).toEqual([]);
    expect(seen.claimed).toBeGreaterThan(2);
    expect(seen.refused).toBeGreaterThan(seen.claimed - 1);
    expect(seen.admitted).toBeGreaterThan(2);
    expect(seen.replicationClaimed).toBeGreaterThan(2);
    expect(seen.replicationAdmitted).toBeGreaterThan(0);
  }, 600_000);
  it('MariaDB listens on the port read, on loopback only exactly where svclint says so', async () => {
    const bin = path.join(root, 'usr/sbin/mariadbd');
    const data = path.join(dir, 'mariadb-data');
    mkdirSync(data, { recursive: true });
    const cases = [{ files: [{ name: '50-server.cnf', sections: [{ group: 'mysqld', lines: ['bind-address = 127.0.0.1', 'port = 21711'] }] }], args: [] as string[] }, ...fc.sample(myCase, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 25 })];
    const disagreements: string[] = [];
    const seen = { loopback: 0, all: 0 };
    let claimed = 0;
    for (const [i, c] of cases.entries()) {
      const d = path.join(dir, `mariadb-${i}`);
      mkdirSync(path.join(d, 'conf.d'), { recursive: true });
      const texts = c.files.map((f) => ({ name: f.name, text: f.sections.map((sec) => `[${sec.group}]\n${sec.lines.join('\n')}\n`).join('') }));
      for (const f of texts) writeFileSync(path.join(d, 'conf.d', f.name), f.text);
      // The image's main file: the server's own settings for this run, then its conf.d folder.
      writeFileSync(path.join(d, 'my.cnf'), `[mysqld]\ndatadir=${data}\nsocket=${d}/mysqld.sock\npid-file=${d}/mysqld.pid\nlc-messages-dir=${root}/usr/share/mysql\nskip-grant-tables\nuser=root\ninnodb-buffer-pool-size=8M\n!includedir ${d}/conf.d/\n`);
      const files = texts.map((f) => ({ path: `/etc/mysql/conf.d/${f.name}`, text: f.text, source: f.name }));
      const said = mysqlSettings([{ path: '(image)', text: IMAGE_MAIN.mariadb, source: 'image' }], files, 'mariadb', c.args);
      const { sockets, log } = await run([bin, `--defaults-file=${path.join(d, 'my.cnf')}`, ...c.args], env(), d, 'SIGTERM');
      if (!sockets.length) {
        // A value the server refuses (not one svclint answers for) keeps it from starting.
        if (said) disagreements.push(`${JSON.stringify(c)}: never listened: ${log.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 2).join(' | ')}`);
        continue;
      }
      if (!said) continue;
      claimed++;
      const wrong = compareOne('MariaDB', c, { port: said.port, loopback: said.addresses.every(isLoopbackHost) }, sockets, seen);
      if (wrong) disagreements.push(wrong);
    }
    expect(disagreements).toEqual([]);
    expect(claimed).toBeGreaterThan(cases.length / 2);
    expect(seen.loopback).toBeGreaterThan(2);
    expect(seen.all).toBeGreaterThan(2);
  }, 600_000);
  it('Mosquitto listens on exactly the ports read (or in local only mode), on loopback only exactly where svclint says so', async () => {
    // Two fixed files: one listener on loopback, and none at all (local only mode, on 1883).
    const confs = ['listener 21731 127.0.0.1\nallow_anonymous true\n', 'allow_anonymous true\n', ...fc.sample(mqConf, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 25 })];
    const disagreements: string[] = [];
    const seen = { loopback: 0 };
    for (const [i, text] of confs.entries()) {
      const file = path.join(dir, `mosquitto-${i}.conf`);
      writeFileSync(file, text);
      const { sockets, log } = await run([path.join(root, 'usr/sbin/mosquitto'), '-c', file], env(), dir);
      const listens = mosquittoListens(text);
      if (!listens) continue;
      if (!sockets.length) {
        disagreements.push(`${JSON.stringify(text)}: never listened: ${log.split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const said = new Map([...new Set(listens.map((l) => l.port))].map((p) => [p, listens.filter((l) => l.port === p).every((l) => l.host !== undefined && isLoopbackHost(l.host))]));
      disagreements.push(...comparePorts('Mosquitto', text, said, sockets, seen));
    }
    expect(disagreements).toEqual([]);
    expect(seen.loopback).toBeGreaterThan(2);
  }, 600_000);

  it('Apache listens on exactly the ports read, on loopback only exactly where svclint says so', async () => {
    const confs = fc.sample(apacheConf, { seed: Number(process.env.SVCLINT_SEED ?? 5), numRuns: 24 });
    let compared = 0;
    const modules = path.join(root, 'usr/lib/apache2/modules');
    const disagreements: string[] = [];
    const seen = { loopback: 0 };
    for (const [i, lines] of confs.entries()) {
      const d = path.join(dir, `apache-${i}`);
      mkdirSync(d, { recursive: true });
      // `<IfModule mpm_event_module>` always applies here: svclint counts what is inside as maybe.
      const listen = lines.map(([h, p, proto, word, inSection]) => (inSection ? `<IfModule mpm_event_module>\n  ${word} ${h}${p}${proto}\n</IfModule>` : `${word} ${h}${p}${proto}`)).join('\n');
      const text = `${listen}\n`;
      writeFileSync(path.join(d, 'httpd.conf'), `ServerRoot ${d}\nLoadModule mpm_event_module ${modules}/mod_mpm_event.so\nLoadModule authz_core_module ${modules}/mod_authz_core.so\nPidFile ${d}/httpd.pid\nErrorLog ${d}/error.log\nServerName test\nUser nobody\n${text}`);
      const { sockets, log } = await run([path.join(root, 'usr/sbin/apache2'), '-f', path.join(d, 'httpd.conf'), '-DFOREGROUND'], env(), d, 'SIGTERM');
      const listens = apacheListens(text);
      // What svclint leaves open (Apache refuses overlapping Listen lines) is not compared.
      if (!listens) continue;
      compared++;
      if (!sockets.length) {
        const errors = existsSync(path.join(d, 'error.log')) ? readFileSync(path.join(d, 'error.log'), 'utf8') : '';
        disagreements.push(`${JSON.stringify(text)}: never listened: ${`${log}\n${errors}`.trim().split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      const said = new Map([...new Set(listens.map((l) => l.port))].map((p) => [p, listens.filter((l) => l.port === p).every((l) => l.host !== undefined && isLoopbackHost(l.host))]));
      disagreements.push(...comparePorts('Apache', text, said, sockets, seen));
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(8);
    expect(seen.loopback).toBeGreaterThan(2);
  }, 600_000);
});
