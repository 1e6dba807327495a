import type { Path } from '../types/object.js';
import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { isRecord } from '../load/objects.js';
import { lastFlagValue, perContainer, visibleFile } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where gunicorn listens, from the Python configuration file it reads, mounted from the run: the
 * file of `-c`/`--config`, else `gunicorn.conf.py` in its working directory (gunicorn's default
 * `./gunicorn.conf.py`). Its `bind` (a string, or a list of them) is every address gunicorn
 * listens on; a file without one leaves gunicorn's default, `127.0.0.1:8000` (`0.0.0.0:$PORT`
 * where `PORT` is set). The command line (`-b`) and `GUNICORN_CMD_ARGS` override the file:
 * then, and wherever the file computes `bind` (a variable, a condition, an import), svclint
 * does not judge it.
 */

/** A Python string literal, plain (no f-string, no escapes beyond quotes): its text, or undefined. */
function pyString(s: string): string | undefined {
  const m = /^(['"])([^'"\\]*)\1$/.exec(s.trim());
  return m ? m[2] : undefined;
}

/**
 * @internal The addresses a gunicorn.conf.py binds: a list, `null` where the file sets no `bind`
 * (gunicorn's default applies), undefined where the file does not say it with literals at its top
 * level.
 */
export function gunicornBinds(text: string): string[] | null | undefined {
  let binds: string[] | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    // A star import or exec may set bind; so may `bind` assigned inside a block, or changed in place.
    if (/\bimport\s+\*|\bexec\s*\(|\bglobals\s*\(|\bsetattr\s*\(/.test(line)) return undefined;
    const top = /^bind\s*=\s*(.+)$/.exec(line);
    if (!top) {
      if (/\bbind\b\s*(\+=|=(?!=)|\.(append|extend|insert))/.test(line)) return undefined;
      continue;
    }
    const value = top[1]!.trim();
    const one = pyString(value);
    if (one !== undefined) {
      binds = [one];
      continue;
    }
    const list = /^[[(](.*)[\])]$/.exec(value);
    if (!list) return undefined;
    const items = list[1]!.split(',').map((x) => x.trim()).filter((x) => x !== '');
    const strings = items.map(pyString);
    if (strings.some((x) => x === undefined)) return undefined;
    binds = strings as string[];
  }
  return binds;
}

/**
 * @internal The TCP addresses gunicorn listens on with this configuration file and no `-b`,
 * `GUNICORN_CMD_ARGS` or `PORT`: its `bind` (sockets left out), or the default 127.0.0.1:8000
 * where it sets none; `defaulted` says which. Undefined where svclint cannot tell.
 */
export function gunicornListens(text: string): { listens: { host: string; port: number; text: string }[]; defaulted: boolean } | undefined {
  const binds = gunicornBinds(text);
  if (binds === undefined) return undefined;
  if (binds === null) return { listens: [{ host: '127.0.0.1', port: 8000, text: 'no `bind`' }], defaulted: true };
  const listens: { host: string; port: number; text: string }[] = [];
  for (const b of binds) {
    if (/^(unix:|fd:\/\/)/.test(b)) continue;
    const a = tcpAddress(b);
    if (!a) return undefined;
    listens.push({ ...a, text: `bind = "${b}"` });
  }
  return { listens, defaulted: false };
}

/** A gunicorn bind address's host and port (`HOST`, `HOST:PORT`, `[::1]:8000`; no port: 8000); undefined for a socket. */
function tcpAddress(bind: string): { host: string; port: number } | undefined {
  if (/^(unix:|fd:\/\/)/.test(bind)) return undefined;
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(bind);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 8000 };
  const m = /^([^:]*)(?::(\d{1,5}))?$/.exec(bind);
  if (!m) return undefined;
  return { host: m[1] === '' ? '0.0.0.0' : m[1]!, port: m[2] ? Number(m[2]) : 8000 };
}

interface GunicornConfig {
  binds: { host: string; port: number; text: string }[];
  /** The file sets no bind: gunicorn's default. */
  defaulted: boolean;
  source: string;
  path: Path;
}

/** Each container's configuration, read once. */
const config = perContainer(read);

function read(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): GunicornConfig | undefined {
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  if (!words.every((w): w is string => typeof w === 'string')) return undefined;
  const at = words.findIndex((w, i) => /(^|\/)gunicorn$/.test(w) && (i === 0 || !words[i - 1]!.startsWith('-') || words[i - 1] === '-m'));
  if (at < 0 || words.some((w) => w.includes('$'))) return undefined;
  const rest = words.slice(at + 1);
  // The command line and GUNICORN_CMD_ARGS override the file.
  if (rest.some((w) => w === '-b' || w === '--bind' || w.startsWith('--bind=') || (w.startsWith('-b') && w.length > 2))) return undefined;
  const env = Array.isArray(raw.env) ? raw.env : [];
  if ((Array.isArray(raw.envFrom) && raw.envFrom.length > 0) || env.some((e) => isRecord(e) && e.name === 'GUNICORN_CMD_ARGS')) return undefined;
  const workingDir = typeof raw.workingDir === 'string' && raw.workingDir.startsWith('/') ? raw.workingDir.replace(/\/+$/, '') : undefined;
  const named = lastFlagValue(rest, ['-c', '--config']);
  if (named !== undefined && named.startsWith('python:')) return undefined;
  const file = named === undefined ? (workingDir !== undefined ? `${workingDir}/gunicorn.conf.py` : undefined) : named.startsWith('/') ? named : workingDir !== undefined ? `${workingDir}/${named.replace(/^\.\//, '')}` : undefined;
  if (file === undefined) return undefined;
  const f = visibleFile(graph, t, raw, file);
  if (!f) return undefined;
  const read = gunicornListens(f.text);
  if (read === undefined) return undefined;
  // No bind: 0.0.0.0:$PORT where PORT is set, else 127.0.0.1:8000.
  if (read.defaulted && env.some((e) => isRecord(e) && e.name === 'PORT')) return undefined;
  return read.listens.length ? { binds: read.listens, defaulted: read.defaulted, source: f.source, path: f.at === undefined ? [] : ['volumeMounts', f.at] } : undefined;
}

/** The ports gunicorn listens on, where its mounted configuration file says all of them. */
export function gunicornListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const ports = [...new Set(c.binds.map((b) => b.port))];
  return { ports, evidence: { port: ports[0]!, text: `${c.binds[0]!.text} in ${c.source}`, path: c.path, kind: c.defaulted ? 'default' : 'config', program: 'gunicorn' } };
}

/** A gunicorn whose configuration file binds the target port on loopback addresses only (or sets no bind: 127.0.0.1:8000). */
export function gunicornLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const c = config(graph, t, raw);
  if (!c) return undefined;
  const on = c.binds.filter((b) => target === undefined || b.port === target);
  if (on.length === 0 || !on.every((b) => isLoopbackHost(b.host))) return undefined;
  return {
    address: on[0]!.host,
    port: on[0]!.port,
    text: on[0]!.text,
    source: c.source,
    path: c.path,
    kind: c.defaulted ? 'default' : 'config',
    program: 'gunicorn',
    ...(c.defaulted ? { caveat: 'unless the image\'s ENV sets GUNICORN_CMD_ARGS or PORT' } : {}),
  };
}
