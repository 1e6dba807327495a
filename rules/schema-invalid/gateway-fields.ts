import type { K8sObject, Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';

/**
 * What the Gateway API's CustomResourceDefinitions make kube-apiserver reject in Gateways,
 * HTTPRoutes and GRPCRoutes (their OpenAPI patterns and enums, and their CEL
 * `x-kubernetes-validations`), for the rules every release from v1.0 to v1.5 carries: hostnames, path matches, methods,
 * header and query matches, filters and their fields, timeouts, listener names, hostnames
 * and TLS. test/gateway-differential.test.ts compares them with kube-apiserver and the CRDs.
 */
export const GATEWAY_GROUP = /^gateway\.networking\.k8s\.io\/(v1|v1beta1)$/;

export type GatewayProblem = { path: Path; problem: string };

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECTION_NAME = PRECISE_HOSTNAME;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
const PATH_TYPES = ['Exact', 'PathPrefix', 'RegularExpression'];
const MATCH_TYPES = ['Exact', 'RegularExpression'];
const FILTERS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
};
const REWRITE_PATH_TYPES = ['ReplaceFullPath', 'ReplacePrefixMatch'];

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const one = (xs: readonly string[]) => list(xs.map((x) => code(x)), xs.length);

export function gatewayFieldProblems(o: K8sObject): GatewayProblem[] {
  const out: GatewayProblem[] = [];
  const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
  if (!spec) return out;
  const add = (path: Path, problem: string) => out.push({ path, problem });
  if (o.kind === 'HTTPRoute') httpRoute(spec, add);
  else if (o.kind === 'GRPCRoute') grpcRoute(spec, add);
  else if (o.kind === 'Gateway') gateway(spec, add);
  return out;
}

type Add = (path: Path, problem: string) => void;

function hostnames(spec: Record<string, unknown>, add: Add): void {
  arr(spec.hostnames).forEach((h, i) => {
    if (typeof h !== 'string') return;
    if (h.length > 253 || !HOSTNAME.test(h)) add(['spec', 'hostnames', i], `is not a hostname the route may match: lowercase DNS labels, optionally after \`*.\`, with no port, scheme or path${/:\d+$/.test(h) ? ' (the port belongs to the Gateway listener)' : ''}`);
  });
}

/** The CRDs' patterns for a reference's `group` and `kind` (Group, Kind in apis/v1/shared_types.go). */
const GROUP_NAME = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND_NAME = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

function groupKind(ref: Record<string, unknown>, at: Path, add: Add): void {
  if (typeof ref.group === 'string' && (ref.group.length > 253 || !GROUP_NAME.test(ref.group))) add([...at, 'group'], `is not an API group (lowercase DNS labels, or \`""\` for the core group)${ref.group.includes('/') ? '; the version does not belong in it' : ''}`);
  if (typeof ref.kind === 'string' && (ref.kind.length > 63 || !KIND_NAME.test(ref.kind))) add([...at, 'kind'], 'is not a kind name (letters, digits and \'-\', starting with a letter)');
}

function parentRefs(spec: Record<string, unknown>, add: Add): void {
  arr(spec.parentRefs).forEach((p, i) => {
    if (!isRecord(p)) return;
    groupKind(p, ['spec', 'parentRefs', i], add);
    if (typeof p.sectionName === 'string' && !SECTION_NAME.test(p.sectionName)) add(['spec', 'parentRefs', i, 'sectionName'], 'is not a listener name (lowercase DNS labels)');
  });
}

function httpRoute(spec: Record<string, unknown>, add: Add): void {
  hostnames(spec, add);
  parentRefs(spec, add);
  arr(spec.rules).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    const at: Path = ['spec', 'rules', i];
    const matches = arr(rule.matches);
    matches.forEach((m, j) => {
      if (isRecord(m)) match(m, [...at, 'matches', j], add);
    });
    const filters = arr(rule.filters);
    filterList(filters, [...at, 'filters'], add);
    arr(rule.backendRefs).forEach((b, k) => {
      if (isRecord(b)) filterList(arr(b.filters), [...at, 'backendRefs', k, 'filters'], add);
    });
    // A redirect answers the request itself: no backend may follow it.
    if (arr(rule.backendRefs).length > 0) {
      filters.forEach((f, k) => {
        if (isRecord(f) && f.requestRedirect !== undefined) add([...at, 'filters', k], 'is a `RequestRedirect`, which answers the request itself, in a rule that also has `backendRefs`; a rule redirects or forwards, not both');
      });
    }
    // ReplacePrefixMatch rewrites the prefix that matched: the rule must have exactly one match, a PathPrefix one.
    const prefixFilters = [...filters, ...arr(rule.backendRefs).flatMap((b) => (isRecord(b) ? arr(b.filters) : []))];
    const usesPrefix = prefixFilters.some((f) => isRecord(f) && ['requestRedirect', 'urlRewrite'].some((k) => {
      const p = isRecord(f[k]) ? (f[k] as Record<string, unknown>).path : undefined;
      return isRecord(p) && p.type === 'ReplacePrefixMatch' && p.replacePrefixMatch !== undefined;
    }));
    if (usesPrefix) {
      const m = matches[0];
      const path = isRecord(m) && isRecord(m.path) ? m.path : undefined;
      // Omitted matches default to one PathPrefix `/` match, an omitted path or type to PathPrefix.
      const prefix = rule.matches === undefined || (matches.length === 1 && (path === undefined || path.type === undefined || path.type === 'PathPrefix'));
      if (!prefix) add(matches.length ? [...at, 'matches'] : at, 'with a `ReplacePrefixMatch` path rewrite or redirect, the rule must have exactly one match, of type `PathPrefix`');
    }
    const timeouts = isRecord(rule.timeouts) ? rule.timeouts : undefined;
    if (timeouts) {
      for (const k of ['request', 'backendRequest']) {
        const v = timeouts[k];
        if (typeof v === 'string' && !DURATION.test(v)) add([...at, 'timeouts', k], 'is not a Gateway API duration (up to four of a number with `h`, `m`, `s` or `ms`, such as `10s` or `1m30s`; no spaces or fractions)');
      }
      const req = typeof timeouts.request === 'string' && DURATION.test(timeouts.request) ? millis(timeouts.request) : undefined;
      const back = typeof timeouts.backendRequest === 'string' && DURATION.test(timeouts.backendRequest) ? millis(timeouts.backendRequest) : undefined;
      if (req !== undefined && back !== undefined && req !== 0 && back > req) add([...at, 'timeouts', 'backendRequest'], `is longer than the request timeout ${code(String(timeouts.request))}`);
    }
  });
}

const GRPC_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;
const GRPC_FILTERS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  ExtensionRef: 'extensionRef',
};

function grpcRoute(spec: Record<string, unknown>, add: Add): void {
  hostnames(spec, add);
  parentRefs(spec, add);
  arr(spec.rules).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    const at: Path = ['spec', 'rules', i];
    arr(rule.matches).forEach((m, j) => {
      if (!isRecord(m)) return;
      const mat: Path = [...at, 'matches', j];
      const method = isRecord(m.method) ? m.method : undefined;
      if (method) {
        const type = method.type ?? 'Exact';
        if (typeof type === 'string' && !MATCH_TYPES.includes(type)) add([...mat, 'method', 'type'], `must be one of ${one(MATCH_TYPES)}`);
        if (method.service === undefined && method.method === undefined) add([...mat, 'method'], 'names neither `service` nor `method`; it needs one or both');
        if (type === 'Exact' && typeof method.service === 'string' && !GRPC_SERVICE.test(method.service)) add([...mat, 'method', 'service'], `is not a gRPC service name (\`package.Service\`, no slashes)${method.service.includes('/') ? ': the method goes in `method`' : ''}`);
        if (type === 'Exact' && typeof method.method === 'string' && !GRPC_METHOD.test(method.method)) add([...mat, 'method', 'method'], 'is not a gRPC method name (letters, digits and `_`, no slashes)');
      }
      namedMatches(arr(m.headers), [...mat, 'headers'], add);
    });
    const filters = arr(rule.filters);
    const types = filters.map((f) => (isRecord(f) && typeof f.type === 'string' ? f.type : undefined));
    for (const t of ['RequestHeaderModifier', 'ResponseHeaderModifier']) {
      if (types.filter((x) => x === t).length > 1) add([...at, 'filters'], `repeats the ${code(t)} filter, which may appear once`);
    }
    filters.forEach((f, k) => {
      if (!isRecord(f) || typeof f.type !== 'string') return;
      const p: Path = [...at, 'filters', k];
      const field = GRPC_FILTERS[f.type];
      if (!field) {
        add([...p, 'type'], `must be one of ${one(Object.keys(GRPC_FILTERS))}${f.type === 'URLRewrite' || f.type === 'RequestRedirect' ? ' (a GRPCRoute cannot rewrite or redirect)' : ''}`);
        return;
      }
      for (const [type, key] of Object.entries(GRPC_FILTERS)) {
        if (type !== f.type && f[key] !== undefined) add([...p, key], `is set, but the filter's type is ${code(f.type)}: ${code(key)} belongs to type ${code(type)}`);
      }
      if (f[field] === undefined) add(p, `has type ${code(f.type)} but no ${code(field)} field`);
    });
  });
}

function millis(d: string): number {
  let t = 0;
  for (const m of d.matchAll(/([0-9]+)(h|ms|m|s)/g)) t += Number(m[1]) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as Record<string, number>)[m[2]!]!;
  return t;
}

function match(m: Record<string, unknown>, at: Path, add: Add): void {
  const path = isRecord(m.path) ? m.path : undefined;
  if (path) {
    const type = path.type ?? 'PathPrefix';
    const value = path.value ?? '/';
    if (typeof type === 'string' && !PATH_TYPES.includes(type)) add([...at, 'path', 'type'], `must be one of ${one(PATH_TYPES)}`);
    else if ((type === 'Exact' || type === 'PathPrefix') && typeof value === 'string') {
      const p: Path = [...at, 'path', 'value'];
      if (!value.startsWith('/')) add(p, `must be an absolute path starting with \`/\` for type ${code(type)}${/^https?:\/\//i.test(value) ? ' (a path, not a URL)' : `: write ${code(`/${value}`)}`}`);
      else if (value.includes('//')) add(p, `must not contain \`//\` for type ${code(type)}`);
      else if (value.includes('/./') || value.includes('/../') || value.endsWith('/..') || value.endsWith('/.')) add(p, `must not contain \`.\` or \`..\` segments for type ${code(type)}`);
      else if (/%2f/i.test(value) || value.includes('#')) add(p, `must not contain an encoded slash or \`#\` for type ${code(type)}`);
      else if (!PATH_CHARS.test(value)) add(p, `has characters a path may not hold for type ${code(type)} (letters, digits, \`-._~!$&'()*+,;=:@/\` and %-escapes; for a pattern use type \`RegularExpression\`)`);
    }
  }
  if (typeof m.method === 'string' && !METHODS.includes(m.method)) add([...at, 'method'], `must be one of ${one(METHODS)}${METHODS.includes(m.method.toUpperCase()) ? ` (upper case: ${code(m.method.toUpperCase())})` : ''}`);
  for (const k of ['headers', 'queryParams']) namedMatches(arr(m[k]), [...at, k], add);
}

/** Header or query parameter matches: a list keyed by name, each a valid name and match type. */
function namedMatches(list: unknown[], at: Path, add: Add): void {
  const seen = new Set<string>();
  list.forEach((h, i) => {
    if (!isRecord(h)) return;
    if (typeof h.name === 'string') {
      if (seen.has(h.name)) add([...at, i], `repeats the name ${code(h.name)}; each name may appear once`);
      seen.add(h.name);
      if (!HEADER_NAME.test(h.name)) add([...at, i, 'name'], 'is not a valid header or parameter name (no spaces, colons or other separators)');
    }
    if (typeof h.type === 'string' && !MATCH_TYPES.includes(h.type)) add([...at, i, 'type'], `must be one of ${one(MATCH_TYPES)}`);
  });
}

function filterList(filters: unknown[], at: Path, add: Add): void {
  const types = filters.map((f) => (isRecord(f) && typeof f.type === 'string' ? f.type : undefined));
  if (types.includes('RequestRedirect') && types.includes('URLRewrite')) add(at, 'has both a `RequestRedirect` and a `URLRewrite` filter; a rule may use only one of them');
  for (const t of ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']) {
    if (types.filter((x) => x === t).length > 1) add(at, `repeats the ${code(t)} filter, which may appear once`);
  }
  filters.forEach((f, i) => {
    if (!isRecord(f) || typeof f.type !== 'string') return;
    const p: Path = [...at, i];
    const field = FILTERS[f.type];
    for (const [type, key] of Object.entries(FILTERS)) {
      if (type !== f.type && f[key] !== undefined) add([...p, key], `is set, but the filter's type is ${code(f.type)}: ${code(key)} belongs to type ${code(type)}`);
    }
    if (field && f[field] === undefined) add(p, `has type ${code(f.type)} but no ${code(field)} field`);
    for (const key of ['requestRedirect', 'urlRewrite']) {
      const body = isRecord(f[key]) ? (f[key] as Record<string, unknown>) : undefined;
      if (!body) continue;
      if (typeof body.hostname === 'string' && !PRECISE_HOSTNAME.test(body.hostname)) add([...p, key, 'hostname'], 'is not a hostname (lowercase DNS labels, no wildcard, port or scheme)');
      const path = isRecord(body.path) ? body.path : undefined;
      if (!path) continue;
      if (typeof path.type === 'string' && !REWRITE_PATH_TYPES.includes(path.type)) add([...p, key, 'path', 'type'], `must be one of ${one(REWRITE_PATH_TYPES)}`);
      else if (path.type === 'ReplaceFullPath' && path.replaceFullPath === undefined) add([...p, key, 'path'], 'has type `ReplaceFullPath` but no `replaceFullPath`');
      else if (path.type === 'ReplacePrefixMatch' && path.replacePrefixMatch === undefined) add([...p, key, 'path'], 'has type `ReplacePrefixMatch` but no `replacePrefixMatch`');
      else if (path.replaceFullPath !== undefined && path.type !== 'ReplaceFullPath') add([...p, key, 'path', 'replaceFullPath'], 'is set, but the type is not `ReplaceFullPath`');
      else if (path.replacePrefixMatch !== undefined && path.type !== 'ReplacePrefixMatch') add([...p, key, 'path', 'replacePrefixMatch'], 'is set, but the type is not `ReplacePrefixMatch`');
    }
  });
}

/** The CRD's pattern for a listener protocol (as OpenAPI applies it: a search, anchored where it says so). */
const LISTENER_PROTOCOL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/;

function gateway(spec: Record<string, unknown>, add: Add): void {
  const listeners = arr(spec.listeners);
  const names = new Map<string, number>();
  const combos = new Map<string, number>();
  listeners.forEach((l, i) => {
    if (!isRecord(l)) return;
    const at: Path = ['spec', 'listeners', i];
    if (typeof l.name === 'string') {
      if (!SECTION_NAME.test(l.name)) add([...at, 'name'], 'is not a valid listener name (lowercase DNS labels)');
      if (names.has(l.name)) add([...at, 'name'], `is the name of listener ${names.get(l.name)} too; listener names must be unique`);
      else names.set(l.name, i);
    }
    if (typeof l.hostname === 'string' && (l.hostname.length > 253 || !HOSTNAME.test(l.hostname))) add([...at, 'hostname'], 'is not a hostname a listener may match: lowercase DNS labels, optionally after `*.`, with no port');
    const protocol = l.protocol;
    if (typeof protocol === 'string' && (protocol === '' || protocol.length > 255 || !LISTENER_PROTOCOL.test(protocol))) add([...at, 'protocol'], 'is not a protocol name (`HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`, or an implementation\'s own with a domain prefix: `example.com/name`, letters and digits after the slash)');
    if ((protocol === 'HTTP' || protocol === 'TCP' || protocol === 'UDP') && l.tls !== undefined) add([...at, 'tls'], `must not be set for protocol ${code(protocol)}`);
    if ((protocol === 'TCP' || protocol === 'UDP') && typeof l.hostname === 'string' && l.hostname !== '') add([...at, 'hostname'], `must not be set for protocol ${code(protocol)}`);
    const tls = isRecord(l.tls) ? l.tls : undefined;
    if (protocol === 'HTTPS' && tls && tls.mode !== undefined && tls.mode !== '' && tls.mode !== 'Terminate') add([...at, 'tls', 'mode'], 'must be `Terminate` for protocol `HTTPS` (for passthrough use protocol `TLS`)');
    if (tls && (tls.mode ?? 'Terminate') === 'Terminate' && arr(tls.certificateRefs).length === 0 && !(isRecord(tls.options) && Object.keys(tls.options).length > 0)) add([...at, 'tls'], 'terminates TLS but names no certificate (`certificateRefs`)');
    if (typeof l.port === 'number' && typeof protocol === 'string') {
      const key = `${l.port}/${protocol}/${typeof l.hostname === 'string' ? `=${l.hostname}` : ''}`;
      if (combos.has(key)) add(at, `has the port, protocol and hostname of listener ${combos.get(key)}; each listener needs its own combination`);
      else combos.set(key, i);
    }
  });
}
