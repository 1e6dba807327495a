import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { matchSelector, namespaceLabels, readSelector, type NamespaceLabels } from '../../src/graph/netpol-model.js';
import { sameTree } from '../../src/graph/referrers.js';
import { grantNearMiss, referenceGranted } from '../../src/engine/rule-kit.js';
import { code, list, transposedDistance } from '../../src/text.js';
import { objectsOfKind } from '../../src/graph/kinds.js';
import type { PodTemplate } from '../../src/types/graph.js';
import { isDNS1123Subdomain } from '../../src/names.js';

const GROUP = 'gateway.networking.k8s.io';
/** Linkerd's own HTTPRoute (policy.linkerd.io): a parent is a Service (mesh routing) or a Linkerd Server. */
const LINKERD = /^policy\.linkerd\.io\//;
const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);

/**
 * The route kinds a listener of a core protocol takes when `allowedRoutes.kinds` is empty. TCPRoute
 * on a TLS listener (TLS terminated at the gateway) is what implementations that support it allow.
 */
const PROTOCOL_KINDS: Record<string, readonly string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/** A TLS listener that passes the TLS stream through routes it by SNI only: TLSRoute (GEP-2643). */
const PASSTHROUGH_KINDS: readonly string[] = ['TLSRoute'];

const protocolKinds = (l: Listener): readonly string[] | undefined => (l.protocol === 'TLS' && l.passthrough ? PASSTHROUGH_KINDS : PROTOCOL_KINDS[l.protocol]);

interface Listener {
  index: number;
  name: string;
  port?: number;
  protocol: string;
  hostname?: string;
  from: string;
  /** `from` was left out (Same is the default). */
  fromDefault: boolean;
  selector?: unknown;
  /** `allowedRoutes.kinds`, as `group/kind`; undefined when empty (the protocol decides). */
  kinds?: string[];
  /** `tls.mode: Passthrough`. */
  passthrough: boolean;
}

function readListeners(gw: K8sObject): Listener[] {
  const items = getIn(gw.body, ['spec', 'listeners']);
  if (!Array.isArray(items)) return [];
  return items.flatMap((l, index) => {
    if (!isRecord(l) || typeof l.name !== 'string' || typeof l.protocol !== 'string') return [];
    const allowed = isRecord(l.allowedRoutes) ? l.allowedRoutes : {};
    const ns = isRecord(allowed.namespaces) ? allowed.namespaces : {};
    const kinds = Array.isArray(allowed.kinds) && allowed.kinds.length
      ? allowed.kinds.filter(isRecord).map((k) => `${typeof k.group === 'string' ? k.group : GROUP}/${String(k.kind)}`)
      : undefined;
    return [{
      index,
      name: l.name,
      port: typeof l.port === 'number' ? l.port : undefined,
      protocol: l.protocol,
      hostname: typeof l.hostname === 'string' && l.hostname !== '' ? l.hostname.toLowerCase() : undefined,
      from: typeof ns.from === 'string' ? ns.from : 'Same',
      fromDefault: typeof ns.from !== 'string',
      selector: ns.selector,
      kinds,
      passthrough: isRecord(l.tls) && l.tls.mode === 'Passthrough',
    }];
  });
}

/** Whether a listener hostname and a route hostname intersect (`*.` is a suffix match of one label or more). */
export function hostnamesIntersect(listener: string, route: string): boolean {
  const l = listener.toLowerCase();
  const r = route.toLowerCase();
  if (l === r) return true;
  const lw = l.startsWith('*.');
  const rw = r.startsWith('*.');
  if (lw && !rw) return r.endsWith(l.slice(1));
  if (rw && !lw) return l.endsWith(r.slice(1));
  if (lw && rw) return l.endsWith(r.slice(1)) || r.endsWith(l.slice(1));
  return false;
}

/** Why a listener does not take a route; undefined when it does, or when the run cannot tell. */
function refusal(l: Listener, gw: K8sObject, route: K8sObject, hostnames: string[], namespaces: NamespaceLabels): string | undefined {
  if (l.from === 'Same' && route.namespace !== gw.namespace) return `${listenerText(l)} takes routes from namespace ${code(gw.namespace)} only (\`allowedRoutes.namespaces.from: Same\`${l.fromDefault ? ', the default' : ''})`;
  if (l.from === 'Selector') {
    if (!isRecord(l.selector)) return undefined;
    const { labels, known } = namespaces.labels(route.namespace);
    if (matchSelector(readSelector(l.selector), labels, known) === false) return `${listenerText(l)} takes routes from namespaces its \`allowedRoutes.namespaces.selector\` matches, and namespace ${code(route.namespace)} ${known ? 'does not match it' : 'is not among them'}`;
  } else if (l.from !== 'All' && l.from !== 'Same') return undefined;
  // An unprefixed protocol is Gateway API's to define: one that is not HTTP, HTTPS, TLS, TCP or
  // UDP (case-sensitive) is one no implementation supports, and the listener is not accepted
  // (UnsupportedProtocol). Implementation-specific protocols carry a domain (`example.com/x`).
  if (!l.protocol.includes('/') && !PROTOCOL_KINDS[l.protocol]) {
    const core = Object.keys(PROTOCOL_KINDS).find((p) => p.toLowerCase() === l.protocol.toLowerCase());
    return `${listenerText(l)} names protocol ${code(l.protocol)}, which is not a Gateway API protocol (${core ? `protocols are case-sensitive: ${code(core)}` : '`HTTP`, `HTTPS`, `TLS`, `TCP` or `UDP`; an implementation\'s own carries a domain prefix'}): the listener reports UnsupportedProtocol and takes no route`;
  }
  const kind = `${GROUP}/${route.kind}`;
  const kinds = protocolKinds(l);
  const protocol = `its protocol ${code(l.protocol)}${l.protocol === 'TLS' && l.passthrough ? ' with `tls.mode: Passthrough`' : ''}`;
  if (l.kinds) {
    if (!l.kinds.includes(kind)) return `${listenerText(l)} takes only ${list(l.kinds.map((k) => code(k.replace(`${GROUP}/`, ''))), 4)} (\`allowedRoutes.kinds\`)`;
    // A kind the protocol cannot carry is dropped from the listener's supported kinds (InvalidRouteKinds).
    if (kinds && !kinds.includes(route.kind)) return `${listenerText(l)} lists ${code(route.kind)} in \`allowedRoutes.kinds\`, but ${protocol} carries only ${list(kinds.map((k) => code(k)), 2)}: the listener reports InvalidRouteKinds and takes no ${code(route.kind)}`;
  } else if (kinds && !kinds.includes(route.kind)) return `${listenerText(l)} takes ${list(kinds.map((k) => code(k)), 2)} (${protocol}), not ${code(route.kind)}`;
  if (l.hostname && hostnames.length && !hostnames.some((h) => hostnamesIntersect(l.hostname!, h))) return `${listenerText(l)} serves host ${code(l.hostname)}, which none of the route's hostnames matches`;
  return undefined;
}

function listenerText(l: Listener): string {
  return `listener ${code(l.name)} (${l.protocol}${l.port !== undefined ? `/${l.port}` : ''})`;
}

interface Parent {
  path: Path;
  name: string;
  namespace: string;
  sectionName?: string;
  port?: number;
}

/** GAMMA: a route whose parent is a Service (mesh routing), with the Service port it binds to. */
function serviceParents(route: K8sObject): Parent[] {
  const refs = getIn(route.body, ['spec', 'parentRefs']);
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((r, i) => {
    // Linkerd's own routes write the core group as `core`.
    if (!isRecord(r) || typeof r.name !== 'string' || r.name === '' || r.kind !== 'Service') return [];
    const group = r.group ?? GROUP;
    if (!(group === '' || (group === 'core' && LINKERD.test(route.apiVersion)))) return [];
    return [{
      path: ['spec', 'parentRefs', i],
      name: r.name,
      namespace: typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : route.namespace,
      port: typeof r.port === 'number' ? r.port : undefined,
      sectionName: typeof r.sectionName === 'string' && r.sectionName !== '' ? r.sectionName : undefined,
    }];
  });
}

const namesCache = new WeakMap<RuleContext['graph'], Map<string, string[]>>();
function serviceNames(ctx: RuleContext, namespace: string): string[] {
  let m = namesCache.get(ctx.graph);
  if (!m) namesCache.set(ctx.graph, (m = new Map()));
  let names = m.get(namespace);
  if (!names) m.set(namespace, (names = ctx.graph.servicesIn(namespace).map((s) => s.object.name)));
  return names;
}

function checkServiceParents(ctx: RuleContext, route: K8sObject): void {
  for (const p of serviceParents(route)) {
    const copies = ctx.graph.serviceDefinitions(p.namespace, p.name);
    if (copies.length === 0) {
      const near = typoAmong(p.name, serviceNames(ctx, p.namespace));
      if (near) ctx.report({ object: route, path: [...p.path, 'name'], messageId: 'noServiceParent', data: { kind: route.kind, service: code(`${p.namespace}/${p.name}`), near: code(near) } });
      continue;
    }
    // A Service's sections are its port names (ParentReference.SectionName).
    if (p.sectionName !== undefined && !copies.some((s) => s.ports.some((x) => x.name === p.sectionName))) {
      const svc = copies.find((s) => sameTree(s.object, route)) ?? copies[0]!;
      ctx.report({
        object: route,
        path: [...p.path, 'sectionName'],
        messageId: 'serviceParentSection',
        severity: sameTree(svc.object, route) ? undefined : 'info',
        data: { kind: route.kind, service: code(`${p.namespace}/${p.name}`), section: code(p.sectionName), ports: svc.ports.map((x) => (x.name ? code(x.name) : 'an unnamed port')).join(', ') },
        related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${p.namespace}/${p.name}` }],
      });
      continue;
    }
    if (p.port === undefined || copies.some((s) => s.ports.length === 0 || s.ports.some((x) => x.port === p.port))) continue;
    const svc = copies.find((s) => sameTree(s.object, route)) ?? copies[0]!;
    ctx.report({
      object: route,
      path: [...p.path, 'port'],
      messageId: 'serviceParentPort',
      severity: sameTree(svc.object, route) ? undefined : 'info',
      data: { kind: route.kind, service: code(`${p.namespace}/${p.name}`), port: String(p.port), ports: svc.ports.map((x) => String(x.port)).join(', ') },
      related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${p.namespace}/${p.name}` }],
    });
  }
}

/** Istio: the Gateways a VirtualService binds to (`name` in its namespace, or `ns/name`; `mesh` is the sidecars). */
function checkIstioGateways(ctx: RuleContext): void {
  const byNamespace = new Map<string, string[]>();
  const objects = new Map<string, K8sObject[]>();
  for (const o of ctx.graph.objects) {
    if (o.kind === 'Gateway' && /^networking\.istio\.io\//.test(o.apiVersion)) {
      byNamespace.set(o.namespace, [...(byNamespace.get(o.namespace) ?? []), o.name]);
      objects.set(`${o.namespace}/${o.name}`, [...(objects.get(`${o.namespace}/${o.name}`) ?? []), o]);
    }
  }
  if (byNamespace.size === 0) return;
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'VirtualService' || !/^networking\.istio\.io\//.test(o.apiVersion)) continue;
    const gateways = getIn(o.body, ['spec', 'gateways']);
    // The bound Gateways the run defines, and whether one of them takes a host of this VirtualService.
    const bound: { index: number; gateways: K8sObject[] }[] = [];
    (Array.isArray(gateways) ? gateways : []).forEach((g, i) => {
      if (typeof g !== 'string' || g === '' || g === 'mesh') return;
      // istiod's resolveGatewayName: `ns/name`; the legacy `name.ns[.svc.<domain>]`; a bare name is the VirtualService's namespace's.
      const slash = g.includes('/');
      const dotted = !slash && g.includes('.');
      const [ns, name] = slash ? [g.slice(0, g.indexOf('/')), g.slice(g.indexOf('/') + 1)] : dotted ? [g.split('.')[1]!, g.split('.')[0]!] : [o.namespace, g];
      const names = byNamespace.get(ns!) ?? [];
      if (names.includes(name!)) {
        bound.push({ index: i, gateways: objects.get(`${ns}/${name}`) ?? [] });
        return;
      }
      const near = typoAmong(name!, names);
      if (near) {
        ctx.report({ object: o, path: ['spec', 'gateways', i], messageId: 'noIstioGateway', data: { gateway: code(`${ns}/${name}`), near: code(near) } });
        return;
      }
      // A bare name of a Gateway that the run defines in exactly one other namespace (istio-system): the namespace was left out.
      const elsewhere = slash || dotted ? [] : [...byNamespace].filter(([n, list]) => n !== ns && list.includes(name!)).map(([n]) => n);
      if (elsewhere.length === 1) ctx.report({ object: o, path: ['spec', 'gateways', i], messageId: 'istioGatewayNamespace', data: { gateway: code(name!), namespace: code(ns!), other: code(elsewhere[0]!), suggest: code(`${elsewhere[0]}/${name}`) } });
    });
    checkIstioHosts(ctx, o, bound);
  }
}

/**
 * Istio: a VirtualService bound to Gateways none of whose servers take any of its hosts for its
 * namespace (a server's `hosts` entry is `[namespace/]host`: `*` any namespace, `.` the
 * Gateway's, else that one; hosts overlap as istio's host.Name.Matches says: equal, `*`, or a
 * `*.` wildcard over a suffix). The gateway builds no virtual host for it and answers 404 (NR);
 * istioctl analyze's IST0132. Only where no bound Gateway takes a host: a VirtualService shared by
 * an internal and an external Gateway takes some hosts on each.
 */
function checkIstioHosts(ctx: RuleContext, vs: K8sObject, bound: { index: number; gateways: K8sObject[] }[]): void {
  if (bound.length === 0) return;
  const hosts = getIn(vs.body, ['spec', 'hosts']);
  if (!Array.isArray(hosts) || hosts.length === 0 || !hosts.every((h): h is string => typeof h === 'string' && h !== '')) return;
  // A short name is a Service's, which istiod expands by the VirtualService's namespace and domain: not judged.
  if (hosts.some((h) => h !== '*' && !h.includes('.'))) return;
  const served: string[] = [];
  for (const b of bound) {
    for (const gw of b.gateways) {
      const servers = getIn(gw.body, ['spec', 'servers']);
      if (!Array.isArray(servers)) return;
      for (const server of servers) {
        const list = getIn(server, ['hosts']);
        if (!Array.isArray(list)) return;
        for (const entry of list) {
          if (typeof entry !== 'string' || entry.includes('$') || entry.includes('{')) return;
          const slash = entry.indexOf('/');
          const ns = slash < 0 ? '*' : entry.slice(0, slash);
          const host = slash < 0 ? entry : entry.slice(slash + 1);
          const takes = ns === '*' || ns === vs.namespace || (ns === '.' && gw.namespace === vs.namespace);
          if (!takes) continue;
          if (hosts.some((h) => istioHostsOverlap(h, host))) return;
          served.push(host);
        }
      }
    }
  }
  const first = bound[0]!;
  const gw = first.gateways[0]!;
  // A Gateway of another folder tree (another project of the run with a Gateway of that name) may not be the one deployed with it.
  const near = bound.every((b) => b.gateways.some((g) => sameTree(g, vs)));
  ctx.report({
    object: vs,
    path: ['spec', 'hosts'],
    messageId: 'istioHostNotInGateway',
    ...(near ? {} : { severity: 'warning' as const }),
    data: { gateway: code(`${gw.namespace}/${gw.name}`), more: bound.length > 1 ? ` (and ${bound.length - 1} more)` : '', hosts: list(hosts.map((h) => code(h)), 3), namespace: code(vs.namespace), served: served.length ? list([...new Set(served)].map((h) => code(h)), 4) : 'none' },
    related: [{ object: gw, path: ['spec', 'servers'], message: `servers of Istio Gateway ${gw.namespace}/${gw.name}` }],
  });
}

/** Whether two Istio hosts overlap (istio's host.Name.Matches): equal, `*`, or a `*.` wildcard over the other's suffix. */
function istioHostsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y || x === '*' || y === '*') return true;
  const wx = x.startsWith('*');
  const wy = y.startsWith('*');
  if (wx && wy) return x.length > y.length ? x.endsWith(y.slice(1)) : y.endsWith(x.slice(1));
  if (wx) return y.endsWith(x.slice(1));
  if (wy) return x.endsWith(y.slice(1));
  return false;
}

function parentsOf(route: K8sObject): Parent[] {
  const refs = getIn(route.body, ['spec', 'parentRefs']);
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((r, i) => {
    if (!isRecord(r) || typeof r.name !== 'string' || r.name === '') return [];
    if ((r.group ?? GROUP) !== GROUP || (r.kind ?? 'Gateway') !== 'Gateway') return []; // a ListenerSet, a Service (GAMMA), …
    return [{
      path: ['spec', 'parentRefs', i],
      name: r.name,
      namespace: typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : route.namespace,
      sectionName: typeof r.sectionName === 'string' && r.sectionName !== '' ? r.sectionName : undefined,
      port: typeof r.port === 'number' ? r.port : undefined,
    }];
  });
}

interface Index {
  gateways: Map<string, K8sObject[]>;
  byNamespace: Map<string, string[]>;
  namespaces: NamespaceLabels;
}

const indexes = new WeakMap<RuleContext['graph'], Index>();

function indexOf(ctx: RuleContext): Index {
  let ix = indexes.get(ctx.graph);
  if (ix) return ix;
  const gateways = new Map<string, K8sObject[]>();
  const byNamespace = new Map<string, string[]>();
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'Gateway' || !o.apiVersion.startsWith(`${GROUP}/`)) continue;
    const key = `${o.namespace}/${o.name}`;
    const list = gateways.get(key);
    if (list) list.push(o);
    else {
      gateways.set(key, [o]);
      const names = byNamespace.get(o.namespace) ?? [];
      names.push(o.name);
      byNamespace.set(o.namespace, names);
    }
  }
  indexes.set(ctx.graph, (ix = { gateways, byNamespace, namespaces: namespaceLabels(ctx.graph.objects) }));
  return ix;
}

/**
 * The one name among candidates that `name` is a slip of, if exactly one is: a change of case, or
 * one edit (swapping neighbours counts one) in a name of four characters or more. Names that
 * differ only in digits (`gateway-1`, `nginx2`) or by more (`nginx-internal`, `nginx-external`)
 * are siblings that may exist elsewhere, not evidence.
 */
const typoCache = new WeakMap<readonly string[], Map<string, string | undefined>>();

function typoAmong(name: string, candidates: readonly string[]): string | undefined {
  // Names repeat across a run (every Ingress of a class, every copy of a route): each is looked up once per list.
  let known = typoCache.get(candidates);
  if (!known) typoCache.set(candidates, (known = new Map()));
  if (known.has(name)) return known.get(name);
  const found = typoOf(name, candidates);
  known.set(name, found);
  return found;
}

function typoOf(name: string, candidates: readonly string[]): string | undefined {
  const digitless = (x: string) => x.replace(/[0-9]/g, '');
  const near = candidates.filter((c) => c !== name && (c.toLowerCase() === name.toLowerCase()
    || (Math.min(c.length, name.length) >= 4 && transposedDistance(c.toLowerCase(), name.toLowerCase()) === 1 && digitless(c) !== digitless(name))));
  return near.length === 1 ? near[0] : undefined;
}

function checkRoute(ctx: RuleContext, ix: Index, route: K8sObject): void {
  const written = getIn(route.body, ['spec', 'hostnames']);
  const hostnames = (Array.isArray(written) ? written : []).filter((h): h is string => typeof h === 'string' && h !== '');
  for (const p of parentsOf(route)) {
    const copies = ix.gateways.get(`${p.namespace}/${p.name}`);
    if (!copies) {
      const near = typoAmong(p.name, ix.byNamespace.get(p.namespace) ?? []);
      if (near) ctx.report({ object: route, path: [...p.path, 'name'], messageId: 'noGateway', data: { kind: route.kind, gateway: code(`${p.namespace}/${p.name}`), near: code(near), namespace: code(p.namespace) } });
      // A parentRef without a namespace means the route's own: the Gateway of that name beside it, in another namespace, is not it.
      else if (getIn(route.body, [...p.path, 'namespace']) === undefined && !ix.byNamespace.has(p.namespace)) {
        const elsewhere = [...ix.gateways.entries()].filter(([k, v]) => k.endsWith(`/${p.name}`) && v.some((g) => sameTree(g, route)));
        if (elsewhere.length === 1) {
          const gw = elsewhere[0]![1][0]!;
          ctx.report({ object: route, path: p.path, messageId: 'gatewayNamespace', data: { kind: route.kind, gateway: code(`${p.namespace}/${p.name}`), name: code(p.name), namespace: code(gw.namespace) }, related: [{ object: gw, path: ['metadata', 'name'], message: `Gateway ${gw.namespace}/${gw.name}` }] });
        }
      }
      continue;
    }
    // The same Gateway defined more than once (variants, overlays): attached if any copy takes the route.
    const reasons: { gw: K8sObject; text: string; path: Path; related?: Path }[] = [];
    let accepted = false;
    for (const gw of copies) {
      const all = readListeners(gw);
      if (all.length === 0) {
        accepted = true;
        break;
      }
      let listeners = all;
      if (p.sectionName !== undefined) {
        listeners = listeners.filter((l) => l.name === p.sectionName);
        if (listeners.length === 0) {
          reasons.push({ gw, path: [...p.path, 'sectionName'], text: `Gateway ${code(`${gw.namespace}/${gw.name}`)} has no listener named ${code(p.sectionName)} (its listeners: ${list(all.map((l) => code(l.name)), 6)})` });
          continue;
        }
      }
      if (p.port !== undefined) {
        const before = listeners;
        listeners = listeners.filter((l) => l.port === p.port);
        if (listeners.length === 0) {
          reasons.push({ gw, path: [...p.path, 'port'], text: `${p.sectionName !== undefined ? `listener ${code(p.sectionName)} of ` : ''}Gateway ${code(`${gw.namespace}/${gw.name}`)} does not listen on port ${p.port} (${list(before.map((l) => listenerText(l)), 4)})` });
          continue;
        }
      }
      const why = listeners.map((l) => ({ l, text: refusal(l, gw, route, hostnames, ix.namespaces) }));
      if (why.some((w) => w.text === undefined)) {
        accepted = true;
        break;
      }
      reasons.push({ gw, path: [...p.path, 'name'], text: why.map((w) => w.text).join('; '), related: ['spec', 'listeners', why[0]!.l.index] });
    }
    if (accepted || reasons.length === 0) continue;
    const r = reasons.find((x) => sameTree(x.gw, route)) ?? reasons[0]!;
    const near = sameTree(r.gw, route);
    ctx.report({
      object: route,
      path: r.path,
      messageId: 'notAccepted',
      severity: near ? undefined : 'info',
      data: {
        kind: route.kind,
        namespace: code(route.namespace),
        gateway: code(`${r.gw.namespace}/${r.gw.name}`),
        why: r.text,
        hint: near ? '' : ` (Gateway ${code(`${r.gw.namespace}/${r.gw.name}`)} is defined only in other folders of the run, such as ${code(r.gw.origin?.file.path ?? '')}, and may be another environment's)`,
      },
      related: [{ object: r.gw, path: r.related ?? ['spec', 'listeners'], message: `listeners of Gateway ${r.gw.namespace}/${r.gw.name}` }],
    });
  }
}

/**
 * A Traefik IngressRouteTCP without `tls` whose route matches `HostSNI` (or `HostSNIRegexp`) with
 * anything but `*`: SNI exists only in TLS, and Traefik refuses the router ("has HostSNI matcher,
 * but no TLS on router"), so no connection reaches its services.
 */
function checkTraefikSni(ctx: RuleContext): void {
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'IngressRouteTCP' || !/^traefik\.(io|containo\.us)\//.test(o.apiVersion) || !isRecord(o.body.spec) || o.body.spec.tls !== undefined) continue;
    const routes = o.body.spec.routes;
    (Array.isArray(routes) ? routes : []).forEach((r, i) => {
      const match = isRecord(r) ? r.match : undefined;
      if (typeof match !== 'string' || /\|\||!/.test(match)) return;
      const m = /HostSNI(?:Regexp)?\(\s*[`"]([^`"]*)[`"]/.exec(match);
      if (!m || m[1] === '*') return;
      ctx.report({ object: o, path: ['spec', 'routes', i, 'match'], messageId: 'traefikSni', data: { host: code(m[1]!) }, remediation: 'Add `tls` to the IngressRouteTCP (`tls: {passthrough: true}` to pass TLS through to the service, or a certificate to end it at Traefik), or match HostSNI(`*`) for plain TCP on a dedicated entry point.' });
    });
  }
}

/**
 * An Istio Gateway server's `tls.credentialName` is read from the namespace of the gateway
 * workload (the pods its selector picks), not the Gateway's: where the run holds those pods, all
 * in one namespace, and the Secret only in another namespace, the server has no certificate
 * (SDS finds none) and its HTTPS listener is not served.
 */
function checkIstioCredentials(ctx: RuleContext): void {
  let secrets: Map<string, K8sObject[]> | undefined;
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'Gateway' || !/^networking\.istio\.io\//.test(o.apiVersion)) continue;
    const selector = getIn(o.body, ['spec', 'selector']);
    if (!isRecord(selector) || Object.keys(selector).length === 0 || !Object.values(selector).every((v) => typeof v === 'string')) continue;
    const servers = getIn(o.body, ['spec', 'servers']);
    if (!Array.isArray(servers)) continue;
    const pods = ctx.graph.templates.filter((t) => Object.entries(selector).every(([k, v]) => t.labels[k] === v));
    const namespaces = new Set(pods.map((t) => t.namespace));
    if (namespaces.size !== 1) continue;
    const home = [...namespaces][0]!;
    servers.forEach((srv, i) => {
      const raw = getIn(srv, ['tls', 'credentialName']);
      if (typeof raw !== 'string' || raw === '' || /[{$/]/.test(raw.replace(/^kubernetes:\/\//, ''))) return;
      const name = raw.replace(/^kubernetes:\/\//, '');
      if (!secrets) {
        secrets = new Map();
        for (const x of ctx.graph.objects) if (x.kind === 'Secret' && x.apiVersion === 'v1') secrets.set(x.name, [...(secrets.get(x.name) ?? []), x]);
      }
      const found = secrets.get(name) ?? [];
      if (found.length === 0 || found.some((x) => x.namespace === home)) return;
      const elsewhere = found[0]!;
      ctx.report({
        object: o,
        path: ['spec', 'servers', i, 'tls', 'credentialName'],
        messageId: 'istioCredentialNamespace',
        severity: 'warning',
        data: { name: code(name), home: code(home), there: code(elsewhere.namespace), workload: `${pods[0]!.owner.kind} ${home}/${pods[0]!.owner.name}` },
        related: [{ object: elsewhere, path: ['metadata', 'name'], message: `Secret ${elsewhere.namespace}/${elsewhere.name}` }, { object: pods[0]!.owner, path: [...pods[0]!.labelsPath], message: `the gateway workload ${pods[0]!.owner.namespace}/${pods[0]!.owner.name}` }],
        remediation: `Create the Secret in namespace ${home}, where the gateway's pods run (or run a gateway in the Secret's namespace).`,
      });
    });
  }
}

/** GatewayClasses that a platform or mesh creates itself: GKE's, Istio's. */
const PROVIDED_GATEWAY_CLASSES = /^(gke-|istio($|-))/;

/**
 * An Ingress class or Gateway class name that is a near miss of a class of that kind the run
 * defines; a Gateway class the run does not define where it defines others.
 */
function checkClasses(ctx: RuleContext): void {
  const ingressClasses: string[] = [];
  const gatewayClasses: string[] = [];
  const gatewayClassObjects: K8sObject[] = [];
  for (const o of ctx.graph.objects) {
    if (o.kind === 'IngressClass' && o.apiVersion.startsWith('networking.k8s.io/')) ingressClasses.push(o.name);
    else if (o.kind === 'GatewayClass' && o.apiVersion.startsWith(`${GROUP}/`)) {
      gatewayClasses.push(o.name);
      gatewayClassObjects.push(o);
    }
  }
  if (ingressClasses.length === 0 && gatewayClasses.length === 0) return;
  for (const o of ctx.graph.objects) {
    let at: Path | undefined;
    let name: unknown;
    let classes: string[] = ingressClasses;
    let what = 'IngressClass';
    if (o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion)) {
      name = getIn(o.body, ['spec', 'ingressClassName']);
      at = ['spec', 'ingressClassName'];
      if (typeof name !== 'string') {
        name = getIn(o.body, ['metadata', 'annotations', 'kubernetes.io/ingress.class']);
        at = ['metadata', 'annotations', 'kubernetes.io/ingress.class'];
      }
    } else if (o.kind === 'Gateway' && o.apiVersion.startsWith(`${GROUP}/`)) {
      name = getIn(o.body, ['spec', 'gatewayClassName']);
      at = ['spec', 'gatewayClassName'];
      classes = gatewayClasses;
      what = 'GatewayClass';
    }
    if (!at || typeof name !== 'string' || name === '' || classes.includes(name)) continue;
    const near = typoAmong(name, classes);
    if (near) ctx.report({ object: o, path: at, messageId: 'noClass', data: { kind: o.kind, what, name: code(name), near: code(near) } });
    else if (o.kind === 'Gateway' && !PROVIDED_GATEWAY_CLASSES.test(name)) {
      // The files define the project's GatewayClass and the Gateway names another: a warning.
      // Only a class defined in the Gateway's own folder says which the project installs; a
      // name that is no valid class name (a template's placeholder) is left to the schema.
      const dir = (x: K8sObject) => (x.origin?.file.path ?? '').replace(/[^/]*$/, '');
      // Several classes in one folder are a collection of examples, not one installation: only the file's own count then.
      const inDir = gatewayClassObjects.filter((c) => dir(c) === dir(o) && dir(o) !== '');
      const own = new Set(inDir.map((c) => c.name)).size === 1 ? inDir : inDir.filter((c) => c.origin?.file === o.origin?.file);
      if (own.length && isDNS1123Subdomain(name)) {
        const data = { kind: o.kind, name: code(name), classes: list([...new Set(own.map((c) => c.name))].map((c) => code(c))) };
        ctx.report({ object: o, path: at, messageId: 'classUnknown', severity: 'warning', data, related: own.slice(0, 3).map((c) => ({ object: c, path: ['metadata', 'name'], message: `GatewayClass ${c.name}` })) });
      }
    }
  }
}

/**
 * A Gateway listener's `tls.certificateRefs` Secret in another namespace needs a ReferenceGrant
 * there (from Gateways of the Gateway's namespace to Secrets): without one the listener's
 * ResolvedRefs is False (RefNotPermitted), and implementations serve no HTTPS on it, so the
 * routes attached to it get no traffic.
 */
function checkCertificateGrants(ctx: RuleContext, ix: Index): void {
  for (const copies of ix.gateways.values()) {
    for (const gw of copies) {
      const listeners = getIn(gw.body, ['spec', 'listeners']);
      (Array.isArray(listeners) ? listeners : []).forEach((l, i) => {
        const refs = getIn(l, ['tls', 'certificateRefs']);
        (Array.isArray(refs) ? refs : []).forEach((r, j) => {
          if (!isRecord(r) || typeof r.name !== 'string' || (r.group ?? '') !== '' || (r.kind ?? 'Secret') !== 'Secret') return;
          const ns = typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : gw.namespace;
          if (ns === gw.namespace || referenceGranted(ctx.graph, gw, ns, 'Secret', r.name)) return;
          const at: Path = ['spec', 'listeners', i, 'tls', 'certificateRefs', j, 'namespace'];
          const listener = isRecord(l) && typeof l.name === 'string' ? code(l.name) : `#${i}`;
          const data = { listener, secret: code(`${ns}/${r.name}`), from: code(gw.namespace), to: code(ns) };
          const miss = grantNearMiss(ctx.graph, gw, ns, 'Secret', r.name);
          if (miss) ctx.report({ object: gw, path: at, messageId: 'certificateGrantMismatch', data: { ...data, why: miss.why }, related: [{ object: miss.grant, path: ['spec'], message: `ReferenceGrant ${miss.grant.namespace}/${miss.grant.name}` }] });
          // A ReferenceGrant belongs to the Secret's namespace, often installed with it: its absence is evidence only in a complete input.
          else ctx.report({ object: gw, path: at, messageId: 'certificateNoGrant', absent: { what: `a ReferenceGrant in namespace ${code(ns)}`, namespace: ns }, data });
        });
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'route-not-attached',
    description: 'A Gateway API route that no listener of its Gateway accepts (namespace not allowed, route kind, sectionName, port, hostnames), a mesh route bound to a Service port that does not exist, a Gateway listener whose certificate Secret in another namespace no ReferenceGrant admits, or a parent Gateway, Service, Istio Gateway, IngressClass or GatewayClass named one typo away from the one the run defines, or a ClusterIP Service\'s ExternalDNS hostname that the run\'s ExternalDNS does not publish: no controller serves it.',
    category: 'reference',
    severity: 'error',
    messages: {
      parentKind: 'this {{kind}} attaches to a parent of kind {{written}}; kinds are case-sensitive, so no implementation takes it for a Gateway, and the route is never Accepted',
      notAccepted: 'this {{kind}} in namespace {{namespace}} attaches to Gateway {{gateway}}, but no listener takes it: {{why}}; the route is not Accepted and gets no traffic{{hint}}',
      noGateway: 'this {{kind}} attaches to Gateway {{gateway}}, which the run does not define; did you mean {{near}} (a Gateway in namespace {{namespace}})? A route whose parent does not exist gets no traffic',
      gatewayNamespace: 'this {{kind}} attaches to Gateway {{gateway}}: a parentRef without `namespace` means the route\'s own namespace, and the Gateway {{name}} beside it is in namespace {{namespace}}; the route is never Accepted (set `namespace: {{namespace}}` on the parentRef)',
      noParents: 'this {{kind}} has no parentRefs, so it attaches to no Gateway (nor, as a mesh route, to a Service) and gets no traffic',
      serviceParentSection: 'this {{kind}} attaches to section {{section}} of Service {{service}}, but a Service\'s sections are its port names ({{ports}}); the mesh applies the route to no traffic',
      noServiceParent: 'this {{kind}} attaches to Service {{service}} (mesh routing), which the run does not define; did you mean {{near}}? The mesh applies no route to a parent that does not exist',
      serviceParentPort: 'this {{kind}} attaches to port {{port}} of Service {{service}}, which has ports {{ports}}; the mesh applies the route to no traffic',
      istioGatewayNamespace: 'this VirtualService binds to Istio Gateway {{gateway}}, a name without a namespace, which Istio looks up in the VirtualService\'s own namespace {{namespace}}, where the run defines none; the Gateway of that name is in namespace {{other}}: write {{suggest}}, or Istio applies no route to that gateway (istioctl analyze: IST0101)',
      istioHostNotInGateway: 'this VirtualService binds to Istio Gateway {{gateway}}{{more}}, but none of its hosts ({{hosts}}) is among those the Gateway\'s servers take from namespace {{namespace}} ({{served}}): the gateway builds no route for them and answers 404 (istioctl analyze: IST0132); add the host to a server\'s `hosts`, or bind the VirtualService to a Gateway that serves it',
      noIstioGateway: 'this VirtualService binds to Istio Gateway {{gateway}}, which the run does not define; did you mean {{near}}? Istio applies no route to a gateway that does not exist',
      certificateNoGrant: 'listener {{listener}} of this Gateway takes its certificate from Secret {{secret}}, in another namespace, and no ReferenceGrant in {{to}} lets Gateways of {{from}} refer to it: the listener\'s references are not resolved (RefNotPermitted), it serves no TLS, and the routes attached to it get no traffic',
      certificateGrantMismatch: 'listener {{listener}} of this Gateway takes its certificate from Secret {{secret}}, in another namespace, but no ReferenceGrant lets Gateways of {{from}} refer to it: {{why}}; the listener\'s references are not resolved (RefNotPermitted), it serves no TLS, and the routes attached to it get no traffic',
      istioCredentialNamespace: 'this Istio Gateway takes its certificate from Secret {{name}}, which Istio reads from the namespace of the gateway\'s pods ({{workload}}, namespace {{home}}), not the Gateway\'s; the files hold it only in namespace {{there}}: the server gets no certificate and its HTTPS listener is not served',
      traefikSni: 'this IngressRouteTCP matches HostSNI {{host}} but has no `tls`: a server name is sent only inside TLS, and Traefik refuses the router ("has HostSNI matcher, but no TLS on router"), so no connection reaches its services',
      classUnknown: 'this Gateway names GatewayClass {{name}}, and its folder defines {{classes}} but not that one: unless the cluster has a class of that name, no controller accepts the Gateway (it stays without the Accepted condition and gets no address), and the routes attached to it get no traffic',
      externalDnsInternal: 'this Service asks ExternalDNS for {{host}}, but it is a ClusterIP Service and {{installs}} {{runs}} without `--publish-internal-services`: ExternalDNS publishes a ClusterIP Service\'s address only with that flag, so it writes no record for {{host}} and the name does not resolve',
      noClass: 'this {{kind}} names {{what}} {{name}}, which the run does not define; did you mean {{near}}? No controller serves a class that does not exist, so the {{kind}} is never programmed',
    },
    remediation: 'Attach the route to a listener that takes it: allow its namespace (`allowedRoutes.namespaces.from: All` or a selector), its kind, its hostnames, or fix sectionName, port or the parent\'s name.',
  },
  check(ctx) {
    checkTraefikSni(ctx);
    checkIstioCredentials(ctx);
    const ix = indexOf(ctx);
    if (ix.gateways.size > 0 || ix.byNamespace.size > 0) {
      for (const o of ctx.graph.objects) {
        if (ROUTES.has(o.kind) && o.apiVersion.startsWith(`${GROUP}/`)) checkRoute(ctx, ix, o);
      }
    }
    for (const o of ctx.graph.objects) {
      if (ROUTES.has(o.kind) && (o.apiVersion.startsWith(`${GROUP}/`) || (o.kind === 'HTTPRoute' && LINKERD.test(o.apiVersion)))) checkServiceParents(ctx, o);
      // `kind: gateway`: the API stores it (any kind is a valid name), but kinds are case-sensitive and no implementation attaches through it.
      if (ROUTES.has(o.kind) && o.apiVersion.startsWith(`${GROUP}/`)) {
        const refs = getIn(o.body, ['spec', 'parentRefs']);
        (Array.isArray(refs) ? refs : []).forEach((r, i) => {
          if (isRecord(r) && (r.group ?? GROUP) === GROUP && typeof r.kind === 'string' && r.kind !== 'Gateway' && r.kind.toLowerCase() === 'gateway') {
            ctx.report({ object: o, path: ['spec', 'parentRefs', i, 'kind'], messageId: 'parentKind', data: { kind: o.kind, written: code(r.kind) }, remediation: 'Write kind: Gateway, or leave kind out (Gateway is the default).' });
          }
        });
      }
      // A route with no parent attaches to nothing (Gateway API v1.4's `useDefaultGateways` aside),
      // judged where the run defines Gateways in its folder tree.
      if (ROUTES.has(o.kind) && o.apiVersion.startsWith(`${GROUP}/`) && isRecord(o.body.spec)) {
        const parents = o.body.spec.parentRefs;
        if ((parents === undefined || (Array.isArray(parents) && parents.length === 0)) && o.body.spec.useDefaultGateways === undefined && [...ix.gateways.values()].some((v) => v.some((g) => sameTree(g, o)))) {
          // A warning beside a Gateway of its own file; elsewhere often a snippet of documentation.
          const ownFile = [...ix.gateways.values()].some((v) => v.some((g) => g.origin?.file.path !== undefined && g.origin.file.path === o.origin?.file.path));
          ctx.report({ object: o, path: ['spec'], messageId: 'noParents', severity: ownFile ? 'warning' : 'info', data: { kind: o.kind } });
        }
      }
    }
    checkCertificateGrants(ctx, ix);
    checkIstioGateways(ctx);
    checkClasses(ctx);
    checkExternalDns(ctx);
  },
};

export default rule;

const EXTERNAL_DNS_IMAGE = /(^|\/)external-dns(:|@|$)/;
const EXTERNAL_DNS = 'external-dns.alpha.kubernetes.io/';
/** Settings of ExternalDNS that decide whether it takes a Service, also read from `EXTERNAL_DNS_*` variables (kingpin's DefaultEnvars). */
const DECIDING = ['source', 'namespace', 'publish-internal-services', 'annotation-filter', 'label-filter', 'service-type-filter', 'ignore-hostname-annotation'];

interface ExternalDnsInstall {
  t: PodTemplate;
  container: Record<string, unknown>;
  path: Path;
  namespace: string;
  publishInternal: boolean;
}

/**
 * The ExternalDNS installs of the run that read Services (`--source=service`) and take every one
 * of `namespace` (no filter), with whether they publish ClusterIP Services; undefined when an
 * install's settings are not all written down (a variable from elsewhere, a `$(VAR)` in a flag).
 */
function externalDnsInstalls(ctx: RuleContext): ExternalDnsInstall[] | undefined {
  const out: ExternalDnsInstall[] = [];
  for (const t of ctx.graph.templates) {
    for (const c of t.containers) {
      if (!c.image || !EXTERNAL_DNS_IMAGE.test(c.image)) continue;
      const raw = getIn(t.owner.body, c.path);
      if (!isRecord(raw)) return undefined;
      const words: string[] = [];
      for (const k of ['command', 'args']) {
        const v = raw[k];
        if (v === undefined) continue;
        if (!Array.isArray(v) || v.some((w) => typeof w !== 'string')) return undefined;
        words.push(...(v as string[]));
      }
      if (raw.envFrom !== undefined) return undefined;
      const settings = new Map<string, string[]>();
      const set = (name: string, value: string) => settings.set(name, [...(settings.get(name) ?? []), value]);
      for (const e of Array.isArray(raw.env) ? raw.env : []) {
        if (!isRecord(e) || typeof e.name !== 'string' || !e.name.startsWith('EXTERNAL_DNS_')) continue;
        const name = e.name.slice('EXTERNAL_DNS_'.length).toLowerCase().replace(/_/g, '-');
        if (!DECIDING.includes(name)) continue;
        if (typeof e.value !== 'string' || e.value.includes('$(')) return undefined;
        // A repeatable flag's variable holds its values one per line.
        for (const v of name === 'source' || name === 'service-type-filter' ? e.value.split('\n') : [e.value]) set(name, v.trim());
      }
      // Flags override the variables.
      const flags = new Map<string, string[]>();
      for (let i = 0; i < words.length; i++) {
        const m = /^--(no-)?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(words[i]!);
        if (!m || !DECIDING.includes(m[2]!)) continue;
        const name = m[2]!;
        const bool = name === 'publish-internal-services' || name === 'ignore-hostname-annotation';
        const value = m[1] ? 'false' : m[3] ?? (bool ? 'true' : words[++i]);
        if (value === undefined || value.includes('$(')) return undefined;
        flags.set(name, [...(flags.get(name) ?? []), value]);
      }
      for (const [k, v] of flags) settings.set(k, v);
      const last = (name: string) => settings.get(name)?.at(-1);
      if (!(settings.get('source') ?? []).includes('service')) continue;
      if (last('ignore-hostname-annotation') === 'true') continue;
      if (last('annotation-filter') || last('label-filter')) return undefined;
      const types = (settings.get('service-type-filter') ?? []).filter((x) => x !== '');
      if (types.length > 0 && !types.includes('ClusterIP')) continue;
      const publish = last('publish-internal-services');
      if (publish !== undefined && publish !== 'true' && publish !== 'false') return undefined;
      out.push({ t, container: raw, path: c.path, namespace: last('namespace') ?? '', publishInternal: publish === 'true' });
    }
  }
  return out;
}

/**
 * A ClusterIP Service that asks ExternalDNS for a name (`external-dns.alpha.kubernetes.io/hostname`,
 * no `target`) where every ExternalDNS of the run that reads it runs without
 * `--publish-internal-services`: ExternalDNS takes a ClusterIP Service's address only with that
 * flag (source/service.go, generateEndpoints), so no record is written. A warning: an ExternalDNS
 * installed from elsewhere may publish it.
 */
function checkExternalDns(ctx: RuleContext): void {
  const services = objectsOfKind(ctx.graph, 'Service').filter((o) => {
    const ann = getIn(o.body, ['metadata', 'annotations']);
    return isRecord(ann) && typeof ann[`${EXTERNAL_DNS}hostname`] === 'string' && o.apiVersion === 'v1';
  });
  if (services.length === 0) return;
  const installs = externalDnsInstalls(ctx);
  if (!installs || installs.length === 0) return;
  for (const o of services) {
    const ann = getIn(o.body, ['metadata', 'annotations']) as Record<string, unknown>;
    const host = String(ann[`${EXTERNAL_DNS}hostname`]).trim();
    if (host === '' || host.includes('{{') || ann[`${EXTERNAL_DNS}target`] !== undefined) continue;
    const controller = ann[`${EXTERNAL_DNS}controller`];
    if (controller !== undefined && controller !== 'dns-controller') continue;
    const spec = isRecord(o.body.spec) ? o.body.spec : {};
    if ((spec.type ?? 'ClusterIP') !== 'ClusterIP' || spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None')) continue;
    const taking = installs.filter((i) => i.namespace === '' || i.namespace === o.namespace);
    if (taking.length === 0 || taking.some((i) => i.publishInternal)) continue;
    const names = taking.map((i) => `${i.t.owner.kind} ${i.t.owner.namespace ? `${i.t.owner.namespace}/` : ''}${i.t.owner.name}`);
    ctx.report({
      object: o,
      path: ['metadata', 'annotations', `${EXTERNAL_DNS}hostname`],
      messageId: 'externalDnsInternal',
      severity: 'warning',
      data: { host: code(host), installs: `ExternalDNS (${list(names.map(code))})`, runs: taking.length === 1 ? 'runs' : 'run' },
      related: taking.map((i) => ({ object: i.t.owner, path: i.path, message: 'ExternalDNS, reading Services, without --publish-internal-services' })),
      remediation: 'Add `--publish-internal-services` to ExternalDNS\'s arguments, make the Service `type: LoadBalancer` (or NodePort) to publish an address reachable from outside, or set `external-dns.alpha.kubernetes.io/target`.',
    });
  }
}
