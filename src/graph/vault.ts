import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { hubRepository, mountedTree } from './mounts.js';
import { isLoopbackHost, type LoopbackBind } from './bind.js';

/**
 * Where a HashiCorp Vault server listens, from the configuration it reads, mounted from the run:
 * `vault server -config=<file or folder>` (repeatable; a folder's `.hcl` and `.json` files), or
 * the official image's entrypoint, which runs `vault server -config=/vault/config …` for a first
 * argument `server`. Each `listener "tcp"` block binds its `address`, `127.0.0.1:8200` where it
 * names none (Vault's TCP listener default). Undefined wherever the run cannot see all of it: a
 * dev server, `VAULT_LOCAL_CONFIG`, a template in an address, a file it cannot read.
 */

const CONFIG_DIR = '/vault/config';

interface Listener {
  host: string;
  port: number;
  /** The address as written; undefined where the block names none. */
  written?: string;
}

/** Removes comments (`#`, `//`, `/* *\/`) outside strings (HCL; JSON with comments). */
export function uncommented(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += ch;
  }
  return out;
}

/** The index just past the string that opens at `at`. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' || text[i] === '\n') return i + 1;
  }
  return text.length;
}

/** The body of the block whose `{` is at `open`, or undefined where it does not close. */
function blockBody(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') i = stringEnd(text, i) - 1;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** A body with its nested blocks and objects taken out, so only its own attributes are left. */
function ownAttributes(body: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '"') {
      const end = stringEnd(body, i);
      if (depth === 0) out += body.slice(i, end);
      i = end - 1;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** `host:port` as Vault's listener reads it, or undefined. */
function split(address: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]*\]|[^:[\]]*):(\d{1,5})$/.exec(address);
  if (!m) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** @internal The TCP listeners of a Vault HCL text; undefined where one cannot be read. */
export function vaultHclListeners(text: string): Listener[] | undefined {
  const plain = uncommented(text);
  const out: Listener[] = [];
  const re = /(^|[\s}])listener\s+("tcp"|tcp)\s*\{/g;
  for (let m = re.exec(plain); m; m = re.exec(plain)) {
    const body = blockBody(plain, m.index + m[0].length - 1);
    if (body === undefined) return undefined;
    const own = ownAttributes(body);
    const a = /(^|\s)address\s*=\s*("([^"]*)"|\S+)/.exec(own);
    if (!a) {
      out.push({ host: '127.0.0.1', port: 8200 });
      continue;
    }
    const written = a[3];
    if (written === undefined || /\{\{|\$/.test(written)) return undefined;
    const hp = split(written);
    if (!hp) return undefined;
    out.push({ ...hp, written });
  }
  // Listeners written another way (`listener = {...}`, a `listener` attribute list): not read.
  if (/(^|[\s}])listener\s*=/.test(plain)) return undefined;
  return out;
}

/** @internal The TCP listeners of a Vault JSON text; undefined where it cannot be read. */
export function vaultJsonListeners(text: string): Listener[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const out: Listener[] = [];
  const all = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  for (const l of all((doc as Record<string, unknown>).listener)) {
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return undefined;
    for (const [type, blocks] of Object.entries(l)) {
      if (type !== 'tcp') continue;
      for (const b of all(blocks)) {
        if (typeof b !== 'object' || b === null || Array.isArray(b)) return undefined;
        const address = (b as Record<string, unknown>).address;
        if (address === undefined) {
          out.push({ host: '127.0.0.1', port: 8200 });
          continue;
        }
        if (typeof address !== 'string' || /\{\{|\$/.test(address)) return undefined;
        const hp = split(address);
        if (!hp) return undefined;
        out.push({ ...hp, written: address });
      }
    }
  }
  return out;
}

/** The configuration paths a Vault container's server reads, or undefined where it runs none the run can follow. */
function configPaths(raw: Record<string, unknown>): string[] | undefined {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const command = Array.isArray(raw.command) ? raw.command : [];
  const args = Array.isArray(raw.args) ? raw.args : [];
  const words = [...command, ...args];
  if (!words.every((w): w is string => typeof w === 'string') || words.some((w) => w.includes('$'))) return undefined;
  let rest: string[];
  const paths: string[] = [];
  if (command.length === 0 && args[0] === 'server' && hubRepository(image) !== undefined && /^(hashicorp\/)?vault$/.test(hubRepository(image)!)) {
    paths.push(CONFIG_DIR);
    rest = words.slice(1);
  } else {
    const v = words.findIndex((w) => /(^|\/)vault$/.test(w));
    if (v < 0 || words[v + 1] !== 'server') return undefined;
    rest = words.slice(v + 2);
  }
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const m = /^--?config(?:=(.*))?$/.exec(w);
    if (m) {
      const p = m[1] ?? rest[++i];
      if (p === undefined) return undefined;
      paths.push(p.replace(/\/+$/, ''));
    } else if (/^--?dev(-|=|$)/.test(w)) return undefined;
  }
  return paths.length ? paths : undefined;
}

/** A Vault container whose mounted configuration binds the target port on loopback only. */
export function vaultLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  if (!/vault/i.test(typeof raw.image === 'string' ? raw.image : '')) return undefined;
  const paths = configPaths(raw);
  if (!paths) return undefined;
  const env = Array.isArray(raw.env) ? raw.env : [];
  if ((Array.isArray(raw.envFrom) && raw.envFrom.length) || env.some((e) => typeof e === 'object' && e !== null && (e as Record<string, unknown>).name === 'VAULT_LOCAL_CONFIG')) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  const listeners: (Listener & { source: string; at?: number })[] = [];
  for (const p of paths) {
    if (opaque.some((o) => p === o.replace(/\/$/, '') || p.startsWith(o.endsWith('/') ? o : `${o}/`) || o.startsWith(`${p}/`))) return undefined;
    const exact = files.find((f) => f.path === p);
    const inDir = exact ? [exact] : files.filter((f) => f.path.startsWith(`${p}/`) && !f.path.slice(p.length + 1).includes('/') && /\.(hcl|json)$/.test(f.path));
    if (inDir.length === 0) return undefined;
    for (const f of inDir) {
      const found = f.path.endsWith('.json') ? vaultJsonListeners(f.text) : vaultHclListeners(f.text);
      if (!found) return undefined;
      for (const l of found) listeners.push({ ...l, source: f.source, ...(f.at !== undefined ? { at: f.at } : {}) });
    }
  }
  const onTarget = listeners.filter((l) => target === undefined || l.port === target);
  if (onTarget.length === 0 || !onTarget.every((l) => isLoopbackHost(l.host))) return undefined;
  const l = onTarget[0]!;
  const path = l.at === undefined ? [] : ['volumeMounts', l.at];
  return l.written === undefined
    ? { address: '127.0.0.1', port: l.port, text: 'listener "tcp" without an address', source: l.source, path, kind: 'default', program: 'Vault', caveat: 'a tcp listener without an address binds 127.0.0.1:8200' }
    : { address: l.host, port: l.port, text: `listener "tcp" address = "${l.written}"`, source: l.source, path, kind: 'config', program: 'Vault' };
}
