import { styleText } from 'node:util';
import { formatRoutesText, type ServiceRoutes } from '../graph/routes.js';

export const ROUTE_FORMATS = ['text', 'stylish', 'json'] as const;
export type RouteFormat = (typeof ROUTE_FORMATS)[number];

/** A Service name the API server accepts: a DNS-1035 label. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Why the API server would reject this Service (so it has no DNS name and no routes), or undefined. */
export function rejectedName(s: ServiceRoutes): string | undefined {
  return SERVICE_NAME.test(s.name) && s.name.length <= 63 ? undefined : `'${s.name}' is not a valid Service name (a DNS-1035 label: lowercase letters, digits and -, starting with a letter, at most 63 characters): the API server rejects it`;
}

/**
 * `svclint routes` output: text (also as `stylish`, the lint's name for it), with colour
 * on a terminal, or JSON. A Service the API server would reject is shown as such, with no
 * DNS name, SRV records or routes: it would never exist.
 */
export function formatRoutes(routes: ServiceRoutes[], format: RouteFormat, color: boolean): string {
  if (format === 'json') {
    return `${JSON.stringify({ version: 1, services: routes.map((s) => { const why = rejectedName(s); return why ? { ...s, dns: null, ports: [], rejected: why } : s; }) }, null, 2)}\n`;
  }
  const paint = (style: Parameters<typeof styleText>[0], t: string) => (color ? styleText(style, t, { validateStream: false }) : t);
  if (routes.length === 0) return formatRoutesText([]);
  const out: string[] = [];
  for (const s of routes) {
    if (out.length) out.push('');
    const why = rejectedName(s);
    const text = formatRoutesText([why ? { ...s, ports: [] } : s]).replace(/\n$/, '');
    const lines = text.split('\n');
    if (why) lines.splice(1, 1, `  ${paint('red', '✗')} ${why}`);
    out.push(...lines.map((l) => (/^\s+\u2717 /.test(l) ? l.replace('✗', paint('red', '✗')) : /^\s+\u2192 /.test(l) ? l.replace('→', paint('green', '→')) : /^Service /.test(l) ? paint('bold', l) : l)));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** 1 when a Service would be rejected by the API server (what was read proves it), else 0. */
export function routesExitCode(routes: ServiceRoutes[]): number {
  return routes.some((s) => rejectedName(s)) ? 1 : 0;
}

/** -f/-o pairs by position, as the lint pairs them; at most one output to stdout. */
export function pairRouteOutputs(formats: RouteFormat[] | undefined, files: string[] | undefined): { format: RouteFormat; file?: string }[] {
  const fs: RouteFormat[] = formats?.length ? formats : ['text'];
  if ((files?.length ?? 0) > fs.length) throw new Error(`${files!.length} --output-file for ${fs.length} --format; give one --format per --output-file`);
  const out = fs.map((format, i) => ({ format, file: files?.[i] }));
  if (out.filter((o) => !o.file).length > 1) throw new Error('only one --format can go to stdout; give the others an --output-file');
  return out;
}
