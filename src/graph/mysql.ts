import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { own, type ListenEvidence } from './listen.js';
import { hubRepository } from './mounts.js';
import { isRecord } from '../load/objects.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';
import { mountedTree, type MountedFile } from './mounts.js';

/**
 * Where MySQL's and MariaDB's server listens, from the option files of its official images
 * mounted from the run (`/etc/mysql/conf.d/*.cnf`, the documented place, or `/etc/my.cnf`,
 * `/etc/mysql/my.cnf`) and the server's own arguments: the last `port` and `bind-address` of
 * the groups the server reads (`[mysqld]`, `[server]`, `[mariadb]`, `[mariadbd]`, and
 * `[client-server]` for MariaDB), with option names as the server matches them (`_` or `-`,
 * a `loose-` prefix), then the command line. Held to Debian's MariaDB by
 * test/server-config-differential.test.ts.
 */

export type Flavor = 'mysql' | 'mariadb';

const IMAGES: Record<string, Flavor> = { mysql: 'mysql', 'mysql/mysql-server': 'mysql', mariadb: 'mariadb' };

/** Groups of option files the server reads (version-specific ones are not modelled: see below). */
const GROUPS: Record<Flavor, Set<string>> = {
  mysql: new Set(['mysqld', 'server']),
  mariadb: new Set(['mysqld', 'server', 'mariadb', 'mariadbd', 'client-server']),
};

/** What the images' own main option file does that matters here: include the conf.d folders. */
export const IMAGE_MAIN: Record<Flavor, string> = {
  mysql: '!includedir /etc/mysql/conf.d/\n',
  mariadb: '!includedir /etc/mysql/conf.d/\n!includedir /etc/mysql/mariadb.conf.d/\n',
};

export interface MysqlOption {
  value: string;
  text: string;
  file: MountedFile;
}

/**
 * @internal The options of option files read in order: `files` are the files given to the
 * server in the order it reads them, `dirs` maps an `!includedir` folder to its files. The last
 * value of each option wins. Undefined when the answer depends on what is not modelled: a group
 * for one server version that sets a listening option, an `!include` of a file not given.
 */
export function mysqlOptions(files: readonly MountedFile[], all: readonly MountedFile[], flavor: Flavor): Map<string, MysqlOption> | undefined {
  const out = new Map<string, MysqlOption>();
  const seen = new Set<string>();
  const read = (f: MountedFile, depth: number): boolean => {
    if (depth > 5 || seen.has(f.path)) return true;
    seen.add(f.path);
    let group: string | undefined;
    for (const rawLine of f.text.split(/\r?\n/)) {
      const line = rawLine.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      const g = /^\[([^\]]+)\]/.exec(line);
      if (g) {
        group = g[1]!.trim().toLowerCase();
        continue;
      }
      const inc = /^!(include|includedir)\s+(.+)$/.exec(line);
      if (inc) {
        const target = inc[2]!.trim();
        if (inc[1] === 'include') {
          const file = all.find((x) => x.path === target);
          if (!file) return false;
          if (!read(file, depth + 1)) return false;
        } else {
          const dir = target.replace(/\/*$/, '/');
          const inDir = all.filter((x) => x.path.startsWith(dir) && !x.path.slice(dir.length).includes('/') && x.path.endsWith('.cnf')).sort((a, b) => (a.path < b.path ? -1 : 1));
          for (const x of inDir) if (!read(x, depth + 1)) return false;
        }
        continue;
      }
      if (group === undefined) continue;
      const m = /^([A-Za-z0-9_-]+)\s*(?:=\s*(.*))?$/.exec(line);
      if (!m) continue;
      const name = m[1]!.toLowerCase().replace(/_/g, '-').replace(/^loose-/, '');
      if (name !== 'port' && name !== 'bind-address' && name !== 'skip-networking') continue;
      const known = GROUPS[flavor].has(group);
      // A group for one server version (`[mysqld-8.0]`, `[mariadb-10.11]`): read or not by the image's version.
      if (!known) {
        if (/^(mysqld|mariadb|mariadbd|server)-\d/.test(group)) return false;
        continue;
      }
      let value = (m[2] ?? '').trim();
      // A value may be quoted; a `#` after blanks starts a comment.
      value = value.replace(/\s+#.*$/, '');
      const q = /^(["'])(.*)\1$/.exec(value);
      if (q) value = q[2]!;
      out.set(name, { value, text: `${name}=${value}`, file: f });
    }
    return true;
  };
  for (const f of files) if (!read(f, 0)) return undefined;
  return out;
}

export interface MysqlListen {
  port: number;
  addresses: string[];
  /** What set each: `default` when nothing did. */
  portFrom: 'default' | 'config' | 'flag';
  addressFrom: 'default' | 'config' | 'flag';
  text: string;
  addressText: string;
  path: Path;
  addressPath: Path;
  source?: string;
  addressSource?: string;
  program: string;
}

/**
 * Where the server of a MySQL or MariaDB container listens, when an option file of the run is
 * mounted where its official image reads one; undefined otherwise, with `skip-networking`, or
 * when the answer depends on what is not modelled.
 */
export function mysqlListen(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): MysqlListen | undefined {
  const flavor = own(IMAGES, hubRepository(typeof raw.image === 'string' ? raw.image : undefined));
  if (!flavor) return undefined;
  // A command replaces the image's entrypoint and may run anything.
  if (Array.isArray(raw.command)) return undefined;
  const { files: mounted, opaque } = mountedTree(graph, t, raw);
  // Option files the run cannot see into (a ConfigMap not in the run, an emptyDir an init container fills).
  if (opaque.some((o) => ['/etc/my.cnf', '/etc/mysql/my.cnf', '/etc/mysql/conf.d', '/etc/mysql/mariadb.conf.d'].some((p) => p === o.replace(/\/$/, '') || p.startsWith(o.endsWith('/') ? o : `${o}/`) || o.startsWith(`${p}/`)))) return undefined;
  const cnf = mounted.filter((f) => f.path === '/etc/my.cnf' || f.path === '/etc/mysql/my.cnf' || /^\/etc\/mysql\/(conf\.d|mariadb\.conf\.d)\/[^/]+\.cnf$/.test(f.path));
  const args = Array.isArray(raw.args) ? raw.args : [];
  if (cnf.length === 0 && !args.some((a) => typeof a === 'string' && /^--(loose[-_])?bind[-_]address\b/.test(a))) return undefined;
  // The image's main file includes its conf.d folders; a mounted main file replaces the image's.
  const main = (p: string) => mounted.find((f) => f.path === p);
  const base: MountedFile = { path: '(image)', text: IMAGE_MAIN[flavor], source: 'the image' };
  const order: MountedFile[] = [];
  if (flavor === 'mysql') order.push(main('/etc/my.cnf') ?? base);
  else if (main('/etc/my.cnf')) order.push(main('/etc/my.cnf')!);
  order.push(main('/etc/mysql/my.cnf') ?? (flavor === 'mariadb' ? base : { path: '(none)', text: '', source: '' }));
  // Arguments after the image's entrypoint that start with a dash go to the server.
  if (args.length && !(typeof args[0] === 'string' && args[0].startsWith('-'))) return undefined;
  return mysqlSettings(order, mounted, flavor, args);
}

/**
 * @internal Where the server listens by the option files read in `order` (with `all` the files
 * their `!include`s may name) and its arguments, which come last.
 */
export function mysqlSettings(order: readonly MountedFile[], all: readonly MountedFile[], flavor: Flavor, args: readonly unknown[]): MysqlListen | undefined {
  const opts = mysqlOptions(order, all, flavor);
  if (!opts || opts.has('skip-networking')) return undefined;
  type Setting = { from: 'config' | 'flag'; value: string; text: string; path: Path; source?: string };
  const mountAt = (f: MountedFile): Path => (f.at === undefined ? [] : ['volumeMounts', f.at]);
  const fromFile = (o: MysqlOption | undefined): Setting | undefined => (o ? { from: 'config', value: o.value, text: o.text, path: mountAt(o.file), source: o.file.source } : undefined);
  let port = fromFile(opts.get('port'));
  let address = fromFile(opts.get('bind-address'));
  let off = false;
  args.forEach((a, i) => {
    if (typeof a !== 'string') return;
    if (/^--(loose[-_])?skip[-_]networking(=(1|on|true))?$/i.test(a)) off = true;
    const m = /^--(?:loose[-_])?(port|bind[-_]address)(?:=(.*))?$/.exec(a);
    if (!m) return;
    const value = m[2] ?? (typeof args[i + 1] === 'string' && !(args[i + 1] as string).startsWith('-') ? (args[i + 1] as string) : undefined);
    // An option without its value: the server refuses to start, nothing to read.
    if (value === undefined) {
      off = true;
      return;
    }
    const v: Setting = { from: 'flag', value, text: m[2] === undefined ? `${a} ${value}` : a, path: ['args', i] };
    if (m[1] === 'port') port = v;
    else address = v;
  });
  if (off) return undefined;
  const portText = port?.value.trim() ?? '3306';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
  const n = Number(portText);
  const addresses = address ? address.value.split(',').map((a) => a.trim()).filter(Boolean) : ['*'];
  if (addresses.length === 0) return undefined;
  return {
    port: n === 0 ? 3306 : n,
    addresses,
    portFrom: port?.from ?? 'default',
    addressFrom: address?.from ?? 'default',
    text: port?.text ?? 'port 3306, the default',
    addressText: address?.text ?? '',
    path: port?.path ?? [],
    addressPath: address?.path ?? [],
    ...(port?.source ? { source: port.source } : {}),
    ...(address?.source ? { addressSource: address.source } : {}),
    program: flavor === 'mysql' ? 'MySQL' : 'MariaDB',
  };
}

/** The port of a MySQL or MariaDB container when an option file of the run sets it. */
export function mysqlListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const l = mysqlListen(graph, t, raw);
  if (!l || l.portFrom !== 'config') return undefined;
  return { ports: [l.port], evidence: { port: l.port, text: `${l.text} in ${l.source}`, path: l.path, kind: 'config', program: l.program } };
}

/** A MySQL or MariaDB container whose option files or arguments bind it to loopback addresses only. */
export function mysqlLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const l = mysqlListen(graph, t, raw);
  if (!l || l.addressFrom === 'default' || (target !== undefined && l.port !== target) || !l.addresses.every(isLoopbackHost)) return undefined;
  return { address: l.addresses[0]!, port: l.port, text: l.addressText, ...(l.addressSource ? { source: l.addressSource } : {}), path: l.addressPath, kind: l.addressFrom === 'flag' ? 'flag' : 'config', program: l.program };
}

export const mayMysql = (raw: Record<string, unknown>): boolean => isRecord(raw) && own(IMAGES, hubRepository(typeof raw.image === 'string' ? raw.image : undefined)) !== undefined && (Array.isArray(raw.volumeMounts) || Array.isArray(raw.args));
