import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { hubRepository, mountedTree } from './mounts.js';
import { isLoopbackHost, splitAddress, type LoopbackBind } from './bind.js';

/**
 * Where php-fpm listens in the official `php:*-fpm` images (and those built on them, such as
 * `drupal:*-fpm`, `wordpress:*-fpm`): php-fpm.conf includes `php-fpm.d/*.conf` in name order,
 * and the image's own `docker.conf` and `zz-docker.conf` there set `listen = 9000` (every
 * interface) for the `www` pool, last. A volume mounted over the whole folder hides them: each
 * pool then listens where the mounted files' last `listen` says (`127.0.0.1:9000` is loopback
 * only). Undefined wherever the run cannot see all of it.
 */

const DIR = '/usr/local/etc/php-fpm.d';
const FPM_IMAGES = new Set(['php', 'drupal', 'wordpress', 'nextcloud', 'joomla', 'matomo', 'mediawiki']);

/** @internal Each pool's last `listen` over the pool files in order (`[pool]` sections, `;` comments). */
export function fpmListens(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of files) {
    let pool = '';
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
      const s = /^\[([^\]]+)\]$/.exec(line);
      if (s) {
        pool = s[1]!.trim();
        continue;
      }
      const kv = /^listen\s*=\s*(.*)$/.exec(line);
      if (kv && pool !== '' && pool !== 'global') out.set(pool, kv[1]!.replace(/\s+;.*$/, '').trim().replace(/^"(.*)"$/, '$1'));
    }
  }
  return out;
}

/** A php-fpm container whose mounted pool files (over the image's) listen on the target port on loopback only. */
export function phpFpmLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined {
  const image = typeof raw.image === 'string' ? raw.image : '';
  const repo = hubRepository(image);
  if (!repo || !FPM_IMAGES.has(repo) || !/fpm/.test(image.replace(/^[^:]*/, ''))) return undefined;
  const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])];
  // Another configuration file (`php-fpm -y file`) or another program: not read here.
  if (words.some((w) => typeof w !== 'string' || /^-[yc]$|--fpm-config|\$/.test(w))) return undefined;
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  const hidden = mounts.some((m) => typeof m === 'object' && m !== null && (m as Record<string, unknown>).mountPath !== undefined && String((m as Record<string, unknown>).mountPath).replace(/\/+$/, '') === DIR && !(m as Record<string, unknown>).subPath);
  if (!hidden) return undefined;
  const { files, opaque } = mountedTree(graph, t, raw);
  if (opaque.some((o) => o === `${DIR}/` || o.startsWith(`${DIR}/`) || DIR.startsWith(o.replace(/\/$/, '')))) return undefined;
  const pools = files.filter((f) => f.path.startsWith(`${DIR}/`) && !f.path.slice(DIR.length + 1).includes('/') && f.path.endsWith('.conf')).sort((a, b) => (a.path < b.path ? -1 : 1));
  if (pools.length === 0) return undefined;
  const listens = fpmListens(pools.map((f) => f.text));
  const bound: { host: string; port: number; text: string }[] = [];
  for (const v of listens.values()) {
    if (v.startsWith('/') || v.includes('$')) continue; // a Unix socket, or a variable
    if (/^\d{1,5}$/.test(v)) bound.push({ host: '0.0.0.0', port: Number(v), text: v });
    else {
      const a = splitAddress(v);
      if (!a || a.port === undefined) return undefined;
      bound.push({ host: a.host, port: a.port, text: v });
    }
  }
  const onTarget = bound.filter((b) => target === undefined || b.port === target);
  if (onTarget.length === 0 || !onTarget.every((b) => isLoopbackHost(b.host))) return undefined;
  const where = pools.find((f) => new RegExp(`^\\s*listen\\s*=\\s*${onTarget[0]!.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm').test(f.text)) ?? pools[0]!;
  return { address: onTarget[0]!.host, port: onTarget[0]!.port, text: `listen = ${onTarget[0]!.text}`, source: where.source, path: where.at === undefined ? [] : ['volumeMounts', where.at], kind: 'config', program: 'php-fpm', caveat: `the volume over ${DIR} hides the image's zz-docker.conf, which sets listen = 9000` };
}
