import type { Rule, RuleContext } from '../../src/types/rule.js';
import { createdServicePorts, createdServicesLike } from '../../src/graph/creators.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import type { ServiceNode, ServicePortNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { controllerInstall, exposes, genuinelyClose, grantNearMiss, referenceGranted, probedScheme, traefikScheme, hasServicesIn, nearestService, renamedInBuild, renamedText, sameNameElsewhere, servicePortsText, targetPortHint, unplacedHint, where } from '../../src/engine/rule-kit.js';
import { walk, serviceUrl, destinationRules, monitorPorts, sameTree, serviceMonitorMisses, serviceMonitorTargetPorts, serviceRefs, subsetRefs, type MeshSubset, type MonitorPort, type ServiceRef } from '../../src/graph/referrers.js';
import { code, editDistance, isStrongTypo, list } from '../../src/text.js';
import { INFERENCE_GROUP, inferencePools } from '../../src/graph/inference.js';
import { controllerSide } from '../../src/graph/references.js';
import { matchSelector, namespaceLabels, readSelector } from '../../src/graph/netpol-model.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

function check(ctx: RuleContext, o: K8sObject): void {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  // Backends, and the Services that RequestMirror filters (on a rule or on one backend) copy requests to.
  const refs: { ref: unknown; at: (string | number)[] }[] = [];
  const mirrors = (filters: unknown, at: (string | number)[]) => {
    (Array.isArray(filters) ? filters : []).forEach((f, k) => {
      if (isRecord(f) && isRecord(f.requestMirror) && f.requestMirror.backendRef !== undefined) refs.push({ ref: f.requestMirror.backendRef, at: [...at, 'filters', k, 'requestMirror', 'backendRef'] });
    });
  };
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    (Array.isArray(rule.backendRefs) ? rule.backendRefs : []).forEach((ref, j) => {
      refs.push({ ref, at: ['spec', 'rules', i, 'backendRefs', j] });
      if (isRecord(ref)) mirrors(ref.filters, ['spec', 'rules', i, 'backendRefs', j]);
    });
    mirrors(rule.filters, ['spec', 'rules', i]);
  });
  // The Services a mesh route attaches to (parentRefs of kind Service).
  const parentServices = (Array.isArray(spec.parentRefs) ? spec.parentRefs : [])
    .filter((p): p is Record<string, unknown> => isRecord(p) && p.kind === 'Service' && (p.group === undefined || p.group === '' || p.group === 'core') && typeof p.name === 'string')
    .map((p) => ({ name: p.name as string, namespace: typeof p.namespace === 'string' && p.namespace !== '' ? p.namespace : o.namespace }));
  {
    for (const { ref, at } of refs) {
      if (!isRecord(ref) || typeof ref.name !== 'string') continue;
      if (ref.kind === 'InferencePool' && INFERENCE_GROUP.test(String(ref.group ?? ''))) {
        checkPoolRef(ctx, o, ref, at);
        continue;
      }
      // The Gateway API writes the core group `""`: `core` is an unknown group to it (ResolvedRefs=False, InvalidKind).
      // Linkerd takes `core` for the core group (its mesh routes, parentRef kind Service): judged on routes of Gateways only,
      // and a warning, as the conformance tests require InvalidKind but an implementation may be lenient.
      if (ref.group === 'core' && (ref.kind ?? 'Service') === 'Service' && o.apiVersion.startsWith(`${GATEWAY_GROUP}/`) && parentServices.length === 0) {
        ctx.report({ object: o, path: [...at, 'group'], messageId: 'coreGroup', severity: 'warning', data: { kind: o.kind, service: code(ref.name) }, remediation: 'Remove group from the backendRef, or write group: "".' });
        continue;
      }
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') continue; // another kind of backend
      const ns = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : o.namespace;
      const name = ref.name;
      if (typeof ref.port !== 'number') {
        ctx.report({ object: o, path: at, messageId: 'noPortField', data: { service: code(name) } });
      }
      // A mesh (GAMMA) consumer route: its parent is a Service of another namespace and its backend that same
      // Service, which needs no ReferenceGrant (conformance MeshConsumerRoute; Istio enforces grants only for gateways).
      const consumer = parentServices.some((p) => p.namespace === ns && p.name === name);
      if (ns !== o.namespace && !consumer && !referenceGranted(ctx.graph, o, ns, 'Service', name)) {
        // A ReferenceGrant belongs to the target namespace, often installed with it: its absence is evidence only in a complete input.
        const miss = grantNearMiss(ctx.graph, o, ns, 'Service', name);
        if (miss) ctx.report({ object: o, path: [...at, 'namespace'], messageId: 'grantMismatch', data: { kind: o.kind, service: code(`${ns}/${name}`), from: code(o.namespace), why: miss.why }, related: [{ object: miss.grant, path: ['spec'], message: `ReferenceGrant ${miss.grant.namespace}/${miss.grant.name}` }] });
        else ctx.report({ object: o, path: [...at, 'namespace'], messageId: 'noGrant', absent: { what: `a ReferenceGrant in namespace ${code(ns)}`, namespace: ns }, data: { kind: o.kind, service: code(`${ns}/${name}`), from: code(o.namespace), to: code(ns) } });
      }
      const svc = ctx.graph.service(ns, name);
      if (!svc) {
        // A Service an operator of the run creates, on the ports its resource gives it.
        const made = createdServicePorts(ctx.graph.objects, ns, name);
        if (made && typeof ref.port === 'number' && !made.ports.includes(ref.port)) {
          ctx.report({ object: o, path: [...at, 'port'], messageId: 'createdPort', data: { kind: o.kind, service: code(`${ns}/${name}`), port: String(ref.port), by: made.by, source: `${made.source.kind} ${made.source.namespace}/${made.source.name}`, ports: `${made.ports.length === 1 ? 'port' : 'ports'} ${list(made.ports.map((n) => code(n)), 4)}` }, related: [{ object: made.source, path: ['spec'], message: `${made.source.kind} ${made.source.namespace}/${made.source.name}` }] });
          continue;
        }
        const near = nearestService(ctx.graph, ns, name, o);
        const renamed = renamedInBuild(ctx.graph, o, ns, name);
        ctx.report({
          object: o,
          path: [...at, 'name'],
          messageId: 'noService',
          absent: { what: `Service ${code(name)} in namespace ${code(ns)}`, namespace: ns, service: name, nearMiss: renamed !== undefined || (near !== undefined && isStrongTypo(name, near)) || sameNameElsewhere(ctx.graph, name, ns, o).length > 0 },
          data: { service: code(name), namespace: code(ns), hint: renamed ? renamedText(renamed, name) : unplacedHint(ctx.graph, name, ns, o) ?? (near ? `; did you mean ${code(near)}?` : '') },
          ...(renamed ? { related: [{ object: renamed.object, path: ['metadata', 'name'], message: `Service ${renamed.object.namespace}/${renamed.object.name}, written as ${name}` }] } : {}),
        });
        continue;
      }
      if (typeof ref.port === 'number' && svc.ports.length > 0 && !exposes(svc, { number: ref.port })) {
        ctx.report({
          object: o,
          path: [...at, 'port'],
          messageId: 'noPort',
          data: { service: code(name), port: ref.port, ports: servicePortsText(svc), hint: targetPortHint(svc, ref.port) },
          related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ns}/${name}` }],
        });
      }
    }
  }
}

/** An HTTPRoute backend that is an InferencePool: one of that name in the route's namespace (another namespace needs a ReferenceGrant the run is not judged on). */
function checkPoolRef(ctx: RuleContext, o: K8sObject, ref: Record<string, unknown>, at: (string | number)[]): void {
  const name = ref.name as string;
  const ns = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : o.namespace;
  if (ns !== o.namespace) return;
  const pools = inferencePools(ctx.graph).filter((p) => p.object.namespace === ns);
  // Pools are often installed apart from the routes (a chart of their own): only a namespace
  // whose pools the run holds is judged.
  if (pools.length === 0 || pools.some((p) => p.object.name === name)) return;
  const near = pools.map((p) => p.object.name).find((n) => isStrongTypo(name, n));
  ctx.report({
    object: o,
    path: [...at, 'name'],
    messageId: 'noPool',
    absent: { what: `InferencePool ${code(name)} in namespace ${code(ns)}`, namespace: ns, nearMiss: near !== undefined },
    data: { pool: code(name), namespace: code(ns), hint: near ? `; did you mean ${code(near)}?` : pools.length ? ` (it has ${list(pools.map((p) => code(p.object.name)), 4)})` : '' },
  });
}

/** A Service of the namespace one or two edits from a name, and no other as close: evidence of a typo. */
function typoOf(ctx: RuleContext, namespace: string, name: string): string | undefined {
  // Names repeat across a run (copies of one application): each is looked up once.
  let known = typoCache.get(ctx.graph);
  if (!known) typoCache.set(ctx.graph, (known = new Map()));
  const key = `${namespace}/${name}`;
  if (known.has(key)) return known.get(key);
  const limit = Math.min(2, Math.max(1, Math.floor(name.length / 6)));
  const near = ctx.graph.servicesIn(namespace).filter((s) => {
    // Names that differ in length by more than the limit are further apart than it.
    if (Math.abs(s.object.name.length - name.length) > limit) return false;
    const d = editDistance(name, s.object.name, limit);
    // Names that differ only in digits are siblings (`api-v1`, `api-v2`), not a slip.
    return d > 0 && d <= limit && genuinelyClose(name, s.object.name);
  });
  const found = near.length === 1 ? near[0]!.object.name : undefined;
  known.set(key, found);
  return found;
}

const typoCache = new WeakMap<RuleContext['graph'], Map<string, string | undefined>>();

/**
 * A Service named by a row of the referrer table (Istio, Traefik, Contour, Argo Rollouts).
 * Error where the input proves it: a near-miss name, or the Service in the referrer's folder
 * tree without that port. A Service the run does not hold, or holds only in an unrelated
 * folder (maybe another application's), is info.
 */
function checkRef(ctx: RuleContext, ref: ServiceRef): void {
  const o = ref.object;
  const data = { kind: o.kind, field: code(ref.field), service: code(ref.name), namespace: code(ref.namespace) };
  const copies = ctx.graph.serviceDefinitions(ref.namespace, ref.name);
  if (ref.partialHost) {
    // Judged only where the run defines the Service the short form stands for.
    if (copies.length > 0) ctx.report({ object: o, path: ref.path, messageId: 'istioPartialHost', data: { ...data, host: code(String(getIn(o.body, [...ref.path]))), fqdn: code(`${ref.name}.${ref.namespace}.svc.${ctx.graph.settings.clusterDomain}`) } });
    return;
  }
  if (copies.length === 0) {
    const renamed = renamedInBuild(ctx.graph, o, ref.namespace, ref.name);
    if (renamed) {
      ctx.report({ object: o, path: ref.path, messageId: 'refNoService', data: { ...data, hint: renamedText(renamed, ref.name) }, related: [{ object: renamed.object, path: ['metadata', 'name'], message: `Service ${renamed.object.namespace}/${renamed.object.name}, written as ${ref.name}` }] });
      return;
    }
    if (!hasServicesIn(ctx.graph, ref.namespace)) {
      // Nothing of that namespace in the run, but the Service of that name beside the referrer in another one.
      // An Istio short host is completed with the referrer's own namespace (ResolveShortnameToFQDN):
      // a DestinationRule or VirtualService kept in a config namespace names a host there.
      const written = getIn(o.body, ref.path);
      const istioShort = !ref.namespaceWritten && /^networking\.istio\.io\//.test(o.apiVersion) && typeof written === 'string' && !written.includes('.');
      // A reference whose namespace defaults to the referrer's (a Knative `ref` without `namespace`).
      const defaulted = !ref.namespaceWritten && /^(sources|eventing|messaging|flows)\.knative\.dev\//.test(o.apiVersion);
      const other = ref.namespaceWritten || istioShort || defaulted ? [...new Set(sameNameElsewhere(ctx.graph, ref.name, ref.namespace, o).map((x) => x.object.namespace))] : [];
      if (other.length !== 1) return;
      if (istioShort) {
        ctx.report({ object: o, path: ref.path, messageId: 'istioShortHost', severity: 'warning', data: { ...data, host: code(String(written)), fqdn: code(`${ref.name}.${other[0]!}.svc.${ctx.graph.settings.clusterDomain}`), there: code(other[0]!) } });
        return;
      }
      if (defaulted) {
        ctx.report({ object: o, path: ref.path, messageId: 'refNoService', severity: 'warning', data: { ...data, hint: `: a \`ref\` without \`namespace\` names a Service in the ${o.kind}'s own namespace, and Service ${code(ref.name)} is in namespace ${code(other[0]!)}: write \`namespace: ${other[0]!}\`` } });
        return;
      }
      ctx.report({ object: o, path: ref.namespacePath ?? ref.path, messageId: 'refNoService', severity: isStrongTypo(ref.namespace, other[0]!) ? undefined : 'warning', data: { ...data, hint: `; the files given define no namespace ${code(ref.namespace)}, and Service ${code(ref.name)} is in namespace ${code(other[0]!)} beside this ${o.kind}: did you mean ${code(other[0]!)}?` } });
      return;
    }
    const near = typoOf(ctx, ref.namespace, ref.name);
    const hint = near ? `; did you mean ${code(near)}?` : ': it is not among the linted files (created elsewhere, or a typo)';
    // A Service an operator of the run makes (an ECK Kibana's `<name>-kb-http`) is there: the absence drops the report.
    ctx.report({ object: o, path: ref.path, messageId: 'refNoService', severity: near ? undefined : 'info', data: { ...data, hint }, absent: { what: `Service ${code(ref.name)} in namespace ${code(ref.namespace)}`, namespace: ref.namespace, service: ref.name, nearMiss: near !== undefined } });
    return;
  }
  if (controllerRefuses(ctx, ref, copies, data)) return;
  if (istioHidden(ctx, ref, copies, data)) return;
  if (ref.portMissing) {
    ctx.report({ object: o, path: ref.path, messageId: 'refNoPortField', data: { ...data, ports: servicePortsText(copies.find((s) => sameTree(s.object, o)) ?? copies[0]!) } });
    return;
  }
  if (!ref.port) return;
  if (ref.port.endpoint) return checkEndpointPort(ctx, ref, copies, data);
  traefikTlsToPlain(ctx, ref, copies, data);
  if (copies.some((s) => s.type === 'ExternalName' || s.ports.length === 0 || (ref.viaDns && s.headless) || exposes(s, ref.port!))) return;
  const svc = copies.find((s) => sameTree(s.object, o)) ?? copies[0]!;
  const near = sameTree(svc.object, o);
  ctx.report({
    object: o,
    path: ref.portPath ?? ref.path,
    messageId: 'refNoPort',
    severity: near ? undefined : 'info',
    data: { ...data, port: code(ref.port.number ?? ref.port.name ?? ''), ports: servicePortsText(svc), hint: (ref.portDefault ? ` (${ref.portDefault})` : '') + targetPortHint(svc, ref.port.number) + (near ? '' : ` (Service ${code(ref.name)} is defined only in other folders of the run, such as ${code(svc.object.origin?.file.path ?? '')}, and may be another application's)`) },
    related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ref.namespace}/${ref.name}` }],
  });
}

/**
 * Traefik's CRD provider speaks HTTPS to a Service port numbered 443 or named `https…` unless the
 * IngressRoute's service sets `scheme`. Where every pod behind that port probes it over plain
 * HTTP, the TLS handshake meets an HTTP server, and Traefik answers 500.
 */
function traefikTlsToPlain(ctx: RuleContext, ref: ServiceRef, copies: readonly ServiceNode[], data: Record<string, string>): void {
  const o = ref.object;
  if (o.kind !== 'IngressRoute' || !TRAEFIK_GROUP.test(o.apiVersion) || ref.path.at(-1) !== 'name' || ref.path[1] !== 'routes') return;
  const entry = getIn(o.body, ref.path.slice(0, -1));
  if (!isRecord(entry) || entry.scheme !== undefined || (entry.kind !== undefined && entry.kind !== 'Service')) return;
  const svc = copies.find((s) => sameTree(s.object, o)) ?? copies[0]!;
  if (svc.type === 'ExternalName') return;
  const want = ref.port!;
  const sp = svc.ports.find((p) => (want.number !== undefined ? p.port === want.number : p.name === want.name));
  if (!sp || traefikScheme(sp) !== 'https' || probedScheme(sp) !== 'HTTP') return;
  ctx.report({
    object: o,
    path: ref.portPath ?? ref.path,
    messageId: 'traefikTlsToPlain',
    // A port's name and the probes' scheme are strong evidence, yet a server may answer both on one port: a warning, as for ingress-nginx's plain HTTP to an HTTPS-probed port.
    severity: 'warning',
    data: { ...data, port: code(sp.name ?? String(sp.port)), why: sp.port === 443 ? 'is port 443' : `is named ${code(sp.name ?? '')}` },
    related: [{ object: svc.object, path: sp.path, message: `port of Service ${svc.object.namespace}/${svc.object.name}` }],
    remediation: 'Set `scheme: http` on this service of the route, or name the Service port `http` (with a number other than 443); or serve TLS in the pods.',
  });
}

/**
 * Istio's `networking.istio.io/exportTo` annotation on a Service limits the namespaces whose
 * proxies see it (`.` its own, `*` all, `~` none, or names). A VirtualService's destination that
 * none of its consumers can see has no cluster, and Envoy answers 503 (NR): the consumers are the
 * proxies of the gateways it is bound to (their namespaces), or, for the mesh, the sidecars of its
 * own namespace.
 */
function istioHidden(ctx: RuleContext, ref: ServiceRef, copies: readonly ServiceNode[], data: Record<string, string>): boolean {
  const o = ref.object;
  if (o.kind !== 'VirtualService' || !/^networking\.istio\.io\//.test(o.apiVersion)) return false;
  const svc = copies.find((s) => sameTree(s.object, o)) ?? copies[0]!;
  const raw = getIn(svc.object.body, ['metadata', 'annotations', 'networking.istio.io/exportTo']);
  if (typeof raw !== 'string' || raw.trim() === '') return false;
  const to = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const sees = (ns: string) => to.includes('*') || to.includes(ns) || (to.includes('.') && ns === svc.object.namespace);
  const bound = getIn(o.body, ['spec', 'gateways']);
  const gateways = (Array.isArray(bound) ? bound : []).filter((g): g is string => typeof g === 'string' && g !== '');
  // A mesh route applies to sidecars of every namespace it is exported to (all, by default): only a
  // Service exported nowhere (`~`) is hidden from all of them. A gateway's route is rendered for
  // the gateway's proxies, in the gateway's namespace.
  if ((gateways.length === 0 || gateways.includes('mesh')) && !(to.length === 1 && to[0] === '~')) return false;
  const consumers = [...new Set(gateways.filter((g) => g !== 'mesh').map((g) => (g.includes('/') ? g.split('/')[0]! : o.namespace)))];
  if (consumers.length === 0 ? !(to.length === 1 && to[0] === '~') : consumers.some(sees)) return false;
  ctx.report({
    object: o,
    path: ref.path,
    messageId: 'istioHidden',
    data: { ...data, service: code(`${svc.object.namespace}/${svc.object.name}`), exportTo: code(raw), consumers: list((consumers.length ? consumers : [o.namespace]).map((n) => code(n)), 3) },
    related: [{ object: svc.object, path: ['metadata', 'annotations'], message: `exportTo of Service ${svc.object.namespace}/${svc.object.name}` }],
  });
  return true;
}

/**
 * What the controller of the run refuses by its own settings (it is the only one installed, and
 * nothing in its command line, environment or mounted configuration turns the option on):
 * Traefik's CRD provider takes a service of another namespace only with `allowCrossNamespace`
 * (off since v2.5) and an ExternalName Service only with `allowExternalNameServices`; Contour
 * routes to an ExternalName Service only with `enableExternalNameService` (off since 1.18).
 */
function controllerRefuses(ctx: RuleContext, ref: ServiceRef, copies: readonly ServiceNode[], data: Record<string, string>): boolean {
  const o = ref.object;
  const traefik = /^traefik\.(io|containo\.us)\//.test(o.apiVersion);
  const contour = /^projectcontour\.io\//.test(o.apiVersion);
  if (!traefik && !contour) return false;
  const externalName = copies.every((s) => s.type === 'ExternalName');
  const cross = traefik && ref.namespaceWritten === true && ref.namespace !== o.namespace;
  if (!externalName && !cross) return false;
  const install = controllerInstall(ctx, traefik ? /(^|\/)traefik:(v?[0-9][^@]*)?$/ : /(^|\/)contour(:|@|$)/);
  if (!install) return false;
  // Traefik before v2.5 allowed other namespaces by default.
  if (traefik && cross && /:v?2\.[0-4](\.|$)/.test(install.image)) return false;
  const option = traefik ? (cross ? 'allowCrossNamespace' : 'allowExternalNameServices') : 'enableExternalNameService';
  // Set on, or set where it is not read here (a template, a volume whose files the run does not hold).
  if (install.unread || optionOn(install, option, traefik)) return false;
  const who = traefik ? 'Traefik' : 'Contour';
  const why = cross ? `names Service ${code(`${ref.namespace}/${ref.name}`)} of another namespace` : `names ExternalName Service ${code(`${ref.namespace}/${ref.name}`)}`;
  ctx.report({
    object: o,
    path: cross ? ref.namespacePath ?? ref.path : ref.path,
    messageId: 'controllerOption',
    data: { ...data, why, who, option: code(option), install: `${install.owner.kind} ${install.owner.namespace}/${install.owner.name}`, effect: traefik ? 'drops the route' : 'answers 502 for the route' },
    related: [{ object: install.owner, path: ['spec'], message: `${who} ${install.owner.namespace}/${install.owner.name}` }],
  });
  return true;
}

/**
 * Whether a controller's settings turn an option on: a flag or variable (Traefik's of its CRD
 * provider: `--providers.kubernetescrd.allowCrossNamespace`,
 * `TRAEFIK_PROVIDERS_KUBERNETESCRD_ALLOWCROSSNAMESPACE=true`; the Ingress provider's own option
 * does not count), a static configuration file that sets it true (under `kubernetesCRD`), or a
 * ContourConfiguration whose field is true.
 */
function optionOn(install: { parts: string[]; files: string[]; resources: K8sObject[] }, option: string, traefik: boolean): boolean {
  const on = new RegExp(`${option}(?:\\s*[=:]\\s*["']?true\\b|["']?(?=\\s|$))`, 'i');
  for (const p of install.parts) if (on.test(p) && (!traefik || /kubernetescrd/i.test(p))) return true;
  for (const f of install.files) {
    if (/\{\{|\$\{/.test(f)) return true;
    const at = traefik ? f.search(/kubernetesCRD\s*:|\[providers\.kubernetesCRD\]/i) : 0;
    if (at >= 0 && new RegExp(`${option}\\s*[=:]\\s*["']?true\\b`, 'i').test(f.slice(at))) return true;
  }
  return install.resources.some((r) => getIn(r.body, ['spec', option]) === true || getIn(r.body, ['spec', 'contour', option]) === true);
}


/**
 * References from one resource to another that a Service's traffic goes through: the
 * referring kind, where the reference is (`*` for every list item), its name and namespace
 * fields, the kind it names, and what the controller does when that object does not exist.
 */
interface ObjectRefRow {
  kinds: readonly string[];
  group: RegExp;
  at: string;
  name: string;
  namespace?: string;
  /** Only entries whose `kind` field says this (Traefik's `kind: TraefikService`). */
  kindIs?: string;
  target: { kind: string; group: RegExp };
  effect: string;
}

const TRAEFIK_GROUP = /^traefik\.(io|containo\.us)\//;
const ECK_GROUP = /^[a-z]+\.k8s\.elastic\.co\//;
const OBJECT_REFS: readonly ObjectRefRow[] = [
  { kinds: ['IngressRoute'], group: TRAEFIK_GROUP, at: 'spec.routes.*.middlewares.*', name: 'name', namespace: 'namespace', target: { kind: 'Middleware', group: TRAEFIK_GROUP }, effect: 'Traefik drops the router (`middleware … does not exist`), and the route answers 404' },
  { kinds: ['IngressRouteTCP'], group: TRAEFIK_GROUP, at: 'spec.routes.*.middlewares.*', name: 'name', namespace: 'namespace', target: { kind: 'MiddlewareTCP', group: TRAEFIK_GROUP }, effect: 'Traefik drops the router (`middleware … does not exist`)' },
  { kinds: ['IngressRoute'], group: TRAEFIK_GROUP, at: 'spec.routes.*.services.*', name: 'name', namespace: 'namespace', kindIs: 'TraefikService', target: { kind: 'TraefikService', group: TRAEFIK_GROUP }, effect: 'Traefik drops the router (`service … does not exist`), and the route answers 404' },
  { kinds: ['HTTPProxy'], group: /^projectcontour\.io\//, at: 'spec.includes.*', name: 'name', namespace: 'namespace', target: { kind: 'HTTPProxy', group: /^projectcontour\.io\// }, effect: 'Contour marks the proxy IncludeNotFound and answers 502 for the included prefix' },
  { kinds: ['Pooler'], group: /^postgresql\.cnpg\.io\//, at: 'spec.cluster', name: 'name', target: { kind: 'Cluster', group: /^postgresql\.cnpg\.io\// }, effect: 'its PgBouncer has no cluster to connect to, and the Pooler\'s Service answers no query' },
  { kinds: ['Kibana', 'ApmServer', 'Beat', 'Agent', 'EnterpriseSearch', 'Logstash', 'ElasticMapsServer'], group: ECK_GROUP, at: 'spec.elasticsearchRef', name: 'name', namespace: 'namespace', target: { kind: 'Elasticsearch', group: /^elasticsearch\.k8s\.elastic\.co\// }, effect: 'the ECK association never completes, and the operator holds back its pods (it waits for the association)' },
  { kinds: ['Beat', 'Agent', 'ApmServer'], group: ECK_GROUP, at: 'spec.kibanaRef', name: 'name', namespace: 'namespace', target: { kind: 'Kibana', group: /^kibana\.k8s\.elastic\.co\// }, effect: 'the ECK association never completes' },
  { kinds: ['Rollout'], group: /^argoproj\.io\//, at: 'spec.strategy.canary.trafficRouting.nginx', name: 'stableIngress', target: { kind: 'Ingress', group: /^networking\.k8s\.io\// }, effect: 'the Rollout is InvalidSpec and does not progress' },
  { kinds: ['Rollout'], group: /^argoproj\.io\//, at: 'spec.strategy.canary.trafficRouting.alb', name: 'ingress', target: { kind: 'Ingress', group: /^networking\.k8s\.io\// }, effect: 'the Rollout is InvalidSpec and does not progress' },
];

/** A reference of OBJECT_REFS to an object the run does not hold (error for a near-miss name, else info unless the input is complete). */
function checkObjectRefs(ctx: RuleContext): void {
  let byKind: Map<string, K8sObject[]> | undefined;
  const objectsOf = (row: ObjectRefRow, ns: string) => {
    if (!byKind) {
      byKind = new Map();
      for (const x of ctx.graph.objects) {
        const k = `${x.kind}/${x.namespace}`;
        const l = byKind.get(k);
        if (l) l.push(x);
        else byKind.set(k, [x]);
      }
    }
    return (byKind.get(`${row.target.kind}/${ns}`) ?? []).filter((x) => row.target.group.test(x.apiVersion));
  };
  for (const o of ctx.graph.objects) {
    for (const row of OBJECT_REFS) {
      if (!row.kinds.includes(o.kind) || !row.group.test(o.apiVersion)) continue;
      for (const { value, path } of walk(o.body, row.at.split('.'))) {
        if (!isRecord(value)) continue;
        const name = value[row.name];
        if (typeof name !== 'string' || name === '' || /[{$]/.test(name)) continue;
        if (row.kindIs && value.kind !== row.kindIs) continue;
        // Traefik's `<name>@<provider>` names an object of another provider (a file, the docker one).
        if (name.includes('@')) continue;
        const nsField = row.namespace ? value[row.namespace] : undefined;
        const ns = typeof nsField === 'string' && nsField !== '' ? nsField : o.namespace;
        const there = objectsOf(row, ns);
        if (there.some((x) => x.name === name)) {
          if (row.target.kind === 'Ingress' && o.kind === 'Rollout') checkRolloutIngress(ctx, o, path, row, there.find((x) => x.name === name)!);
          continue;
        }
        const near = there.map((x) => x.name).find((n) => editDistance(n, name, 2) <= Math.min(2, Math.max(1, Math.floor(name.length / 6))));
        ctx.report({
          object: o,
          path: [...path, row.name],
          messageId: 'refNoObject',
          data: { kind: o.kind, target: row.target.kind, name: code(name), namespace: code(ns), effect: row.effect, hint: near ? `; did you mean ${code(near)}?` : '' },
          absent: { what: `${row.target.kind} ${code(name)} in namespace ${code(ns)}`, namespace: ns, nearMiss: near !== undefined },
          ...(near ? { related: [{ object: there.find((x) => x.name === near)!, path: ['metadata', 'name'], message: `${row.target.kind} ${ns}/${near}` }] } : {}),
        });
      }
    }
  }
}

const CERT_MANAGER = /^cert-manager\.io\//;

/**
 * A cert-manager issuer reference of the wrong kind: a Certificate's `issuerRef.kind` is
 * `Issuer` (in the Certificate's namespace) unless it says `ClusterIssuer`, and an Ingress's
 * `cert-manager.io/issuer` annotation names an Issuer, `cert-manager.io/cluster-issuer` a
 * ClusterIssuer. Where the files define the other kind under that name and not the one named,
 * the certificate is never issued.
 */
function checkIssuerKinds(ctx: RuleContext): void {
  const issuers = new Set<string>();
  const clusterIssuers = new Map<string, K8sObject>();
  const issuerObjects = new Map<string, K8sObject>();
  for (const o of ctx.graph.objects) {
    if (!CERT_MANAGER.test(o.apiVersion)) continue;
    if (o.kind === 'Issuer') {
      issuers.add(`${o.namespace}/${o.name}`);
      issuerObjects.set(o.name, o);
    } else if (o.kind === 'ClusterIssuer') clusterIssuers.set(o.name, o);
  }
  if (issuers.size === 0 && clusterIssuers.size === 0) return;
  const judge = (o: K8sObject, path: Path, name: unknown, cluster: boolean, secret: string, why: string) => {
    if (typeof name !== 'string' || name === '' || /[{$]/.test(name)) return;
    const found = cluster ? clusterIssuers.has(name) : issuers.has(`${o.namespace}/${name}`);
    const other = cluster ? issuerObjects.get(name) : clusterIssuers.get(name);
    if (found || !other) return;
    ctx.report({
      object: o,
      path,
      messageId: 'issuerKind',
      severity: 'warning',
      data: { kind: o.kind, written: cluster ? 'ClusterIssuer' : 'Issuer', other: cluster ? `Issuer (in namespace ${code(other.namespace)})` : 'ClusterIssuer', name: code(name), scope: cluster ? '' : ` in namespace ${code(o.namespace)}`, why, secret: code(secret) },
      related: [{ object: other, path: ['metadata', 'name'], message: `${other.kind} ${other.kind === 'Issuer' ? `${other.namespace}/` : ''}${other.name}` }],
    });
  };
  for (const o of ctx.graph.objects) {
    if (o.kind === 'Certificate' && CERT_MANAGER.test(o.apiVersion)) {
      const ref = getIn(o.body, ['spec', 'issuerRef']);
      const secret = getIn(o.body, ['spec', 'secretName']);
      if (!isRecord(ref) || (ref.group !== undefined && ref.group !== 'cert-manager.io')) continue;
      const kind = ref.kind ?? 'Issuer';
      if (kind !== 'Issuer' && kind !== 'ClusterIssuer') continue;
      judge(o, ['spec', 'issuerRef', ref.kind === undefined ? 'name' : 'kind'], ref.name, kind === 'ClusterIssuer', typeof secret === 'string' ? secret : '?',
        ref.kind === undefined ? 'an issuerRef without `kind` means an Issuer in the Certificate\'s namespace (write `kind: ClusterIssuer`)' : kind === 'ClusterIssuer' ? 'write `kind: Issuer` for the namespaced one' : 'write `kind: ClusterIssuer`');
    } else if (o.kind === 'Ingress' && /^networking\.k8s\.io\//.test(o.apiVersion)) {
      const notes = getIn(o.body, ['metadata', 'annotations']);
      if (!isRecord(notes)) continue;
      const tls = getIn(o.body, ['spec', 'tls']);
      const secret = Array.isArray(tls) && isRecord(tls[0]) && typeof tls[0].secretName === 'string' ? tls[0].secretName : '?';
      if (notes['cert-manager.io/issuer'] !== undefined && notes['cert-manager.io/issuer-kind'] === undefined) judge(o, ['metadata', 'annotations', 'cert-manager.io/issuer'], notes['cert-manager.io/issuer'], false, secret, 'the `cert-manager.io/issuer` annotation names an Issuer in the Ingress\'s namespace (use `cert-manager.io/cluster-issuer`)');
      if (notes['cert-manager.io/cluster-issuer'] !== undefined) judge(o, ['metadata', 'annotations', 'cert-manager.io/cluster-issuer'], notes['cert-manager.io/cluster-issuer'], true, secret, 'the `cert-manager.io/cluster-issuer` annotation names a ClusterIssuer (use `cert-manager.io/issuer`)');
    }
  }
}

/**
 * A Gateway API route rule whose every backendRef has `weight: 0` forwards no request
 * (`BackendRef.Weight`: "If weight is set to 0, no traffic should be forwarded for this
 * entry"): what it matches reaches no Service (a blue/green switch left half-done).
 */
function checkZeroWeights(ctx: RuleContext): void {
  for (const o of ctx.graph.objects) {
    if (!/^(HTTP|GRPC|TCP|TLS|UDP)Route$/.test(o.kind) || !/^gateway\.networking\.k8s\.io\//.test(o.apiVersion)) continue;
    const rules = getIn(o.body, ['spec', 'rules']);
    (Array.isArray(rules) ? rules : []).forEach((r, i) => {
      const refs = getIn(r, ['backendRefs']);
      if (!Array.isArray(refs) || refs.length === 0 || !refs.every((b) => isRecord(b) && b.weight === 0)) return;
      ctx.report({ object: o, path: ['spec', 'rules', i, 'backendRefs'], messageId: 'zeroWeights', severity: 'warning', data: { kind: o.kind, count: String(refs.length) } });
    });
  }
}

/**
 * Traefik's Kubernetes Ingress provider applies the middlewares an Ingress names in
 * `traefik.ingress.kubernetes.io/router.middlewares` (`<namespace>-<name>@kubernetescrd`, a
 * comma list): the CRD provider registers each Middleware as `<namespace>-<name>` (its makeID),
 * and a router whose middleware does not exist is not built.
 */
function checkTraefikMiddlewareAnnotations(ctx: RuleContext): void {
  const KEY = 'traefik.ingress.kubernetes.io/router.middlewares';
  let ids: Map<string, K8sObject> | undefined;
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'Ingress') continue;
    const annotations = getIn(o.body, ['metadata', 'annotations']);
    const value = isRecord(annotations) ? annotations[KEY] : undefined;
    if (typeof value !== 'string' || /[{$]/.test(value)) continue;
    if (!ids) {
      ids = new Map();
      for (const m of ctx.graph.objects) if (m.kind === 'Middleware' && TRAEFIK_GROUP.test(m.apiVersion)) ids.set(`${m.namespace}-${m.name}`, m);
    }
    for (const item of value.split(',').map((x) => x.trim()).filter(Boolean)) {
      const at = item.lastIndexOf('@');
      if (at < 0 || item.slice(at + 1) !== 'kubernetescrd') continue;
      const id = item.slice(0, at);
      if (ids.has(id)) continue;
      // The Middleware meant: one named just so (the namespace prefix left out), or a near miss of an id.
      const bare = [...ids.values()].find((m) => m.name === id);
      const near = bare ?? [...ids.entries()].find(([k]) => editDistance(k, id, 2) <= Math.min(2, Math.max(1, Math.floor(id.length / 6))))?.[1];
      const hint = near ? `; did you mean ${code(`${near.namespace}-${near.name}@kubernetescrd`)} (Middleware ${near.namespace}/${near.name})?` : '';
      ctx.report({
        object: o,
        path: ['metadata', 'annotations', KEY],
        messageId: 'annotationMiddleware',
        data: { annotation: code(KEY), ref: code(item), id: code(id), hint },
        absent: { what: `a Middleware whose \`<namespace>-<name>\` is ${code(id)}`, namespace: o.namespace, nearMiss: near !== undefined },
        ...(near ? { related: [{ object: near, path: ['metadata', 'name'], message: `Middleware ${near.namespace}/${near.name}` }] } : {}),
      });
    }
  }
}

/**
 * Argo Rollouts' canary with the NGINX or ALB traffic router: the Ingress it names must route to
 * the stable Service (ALB: its `rootService` where set), which it copies for the canary;
 * validation otherwise fails ("ingress … has no rules using service … backend").
 */
function checkRolloutIngress(ctx: RuleContext, o: K8sObject, path: Path, row: ObjectRefRow, ing: K8sObject): void {
  const canary = getIn(o.body, ['spec', 'strategy', 'canary']);
  const stable = getIn(canary, ['stableService']);
  const root = row.name === 'ingress' ? getIn(canary, ['trafficRouting', 'alb', 'rootService']) : undefined;
  const want = typeof root === 'string' && root !== '' ? root : stable;
  if (typeof want !== 'string' || want === '') return;
  const rules = getIn(ing.body, ['spec', 'rules']);
  const names = new Set<string>();
  for (const r of Array.isArray(rules) ? rules : []) {
    const paths = getIn(r, ['http', 'paths']);
    for (const p of Array.isArray(paths) ? paths : []) {
      const n = getIn(p, ['backend', 'service', 'name']) ?? getIn(p, ['backend', 'serviceName']);
      if (typeof n === 'string') names.add(n);
    }
  }
  if (names.size === 0 || names.has(want)) return;
  ctx.report({
    object: o,
    path: [...path, row.name],
    messageId: 'rolloutIngressBackend',
    data: { ingress: code(`${ing.namespace}/${ing.name}`), service: code(want), found: list([...names].map((n) => code(n)), 3) },
    related: [{ object: ing, path: ['spec', 'rules'], message: `rules of Ingress ${ing.namespace}/${ing.name}` }],
  });
}

/** Istio Gateways of the run by `namespace/name`, with their servers' port numbers. */
function istioGateways(ctx: RuleContext): Map<string, number[]> {
  let by = gatewayCache.get(ctx.graph);
  if (by) return by;
  gatewayCache.set(ctx.graph, (by = new Map()));
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'Gateway' || !/^networking\.istio\.io\//.test(o.apiVersion)) continue;
    const servers = getIn(o.body, ['spec', 'servers']);
    const ports = (Array.isArray(servers) ? servers : []).map((x) => getIn(x, ['port', 'number'])).filter((n): n is number => typeof n === 'number');
    by.set(`${o.namespace}/${o.name}`, [...new Set([...(by.get(`${o.namespace}/${o.name}`) ?? []), ...ports])]);
  }
  return by;
}
const gatewayCache = new WeakMap<RuleContext['graph'], Map<string, number[]>>();

/**
 * A VirtualService bound to Istio gateways that routes to a Service of several ports without
 * `destination.port`: Istio picks the cluster of the Service port equal to the gateway
 * listener's port (`GetDestinationCluster`: the destination's port, else the Service's only
 * port, else the listener's). Where no listener port of the bound gateways is a port of the
 * Service, no such cluster exists and the gateway answers 503 (NC). Sidecars (`mesh`) use the
 * port the client called, which is the Service's own.
 */
function checkGatewayDestinationPort(ctx: RuleContext, ref: ServiceRef): void {
  const o = ref.object;
  if (o.kind !== 'VirtualService' || ref.port || ref.partialHost || !/^networking\.istio\.io\//.test(o.apiVersion)) return;
  const destination = getIn(o.body, ref.path.slice(0, -1));
  if (!isRecord(destination) || destination.port !== undefined) return;
  const bound = getIn(o.body, ['spec', 'gateways']);
  const names = (Array.isArray(bound) ? bound : []).filter((g): g is string => typeof g === 'string' && g !== '' && g !== 'mesh');
  if (names.length === 0) return;
  const copies = ctx.graph.serviceDefinitions(ref.namespace, ref.name);
  const svc = copies.find((s) => sameTree(s.object, o)) ?? copies[0];
  if (!svc || svc.type === 'ExternalName' || copies.some((s) => s.ports.length <= 1)) return;
  const all = istioGateways(ctx);
  const keys = names.map((g) => (g.includes('/') ? g : `${o.namespace}/${g}`));
  const known = keys.filter((k) => all.has(k));
  const listeners = [...new Set(known.flatMap((k) => all.get(k)!))].sort((a, b) => a - b);
  const served = listeners.filter((p) => copies.every((s) => s.ports.some((x) => x.port === p)));
  if (served.length > 0 && served.length === listeners.length) return;
  const every = known.length === keys.length && listeners.length > 0;
  ctx.report({
    object: o,
    path: ref.path,
    messageId: 'gatewayPortAmbiguous',
    severity: every && served.length === 0 && sameTree(svc.object, o) ? undefined : every ? 'warning' : 'info',
    data: {
      service: code(ref.name),
      ports: servicePortsText(svc),
      gateways: list(keys.map((k) => code(k)), 3),
      listeners: every ? `the listener port${listeners.length > 1 ? 's' : ''} ${list(listeners.map((p) => code(String(p))))}${served.length ? ` (of which only ${list(served.map((p) => code(String(p))))} is a Service port)` : (listeners.length > 1 ? ', none of them a Service port' : ', which is not a Service port')}` : 'the port of the gateway listener the request came in on (the run does not define every gateway bound, so it is not known)',
    },
    related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ref.namespace}/${ref.name}` }],
  });
}

/** The port numbers a Service port's endpoints get: its numeric target, or what the name resolves to in its pods. */
function endpointNumbers(p: ServicePortNode): number[] {
  if (p.target.kind === 'number') return [p.target.value];
  if (p.target.kind !== 'name') return [];
  return [...new Set(p.resolutions.map((r) => r.targetPort).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
}

/**
 * Whether a Service's endpoints have a port a Route's `targetPort` matches: OpenShift's router
 * keeps the endpoints whose port name, or port number (the pod's port, after the Service's
 * targetPort), equals it. Undefined when the run cannot tell: endpoints the run does not
 * compute (no selector), or a named targetPort that no pod of the run resolves.
 */
function endpointPortMatches(s: ServiceNode, port: { number?: number; name?: string }): boolean | undefined {
  if (s.type === 'ExternalName' || s.mode !== 'selector' || s.ports.length === 0) return undefined;
  if (port.name !== undefined) return s.ports.some((p) => p.name === port.name);
  let unknown = false;
  for (const p of s.ports) {
    const numbers = endpointNumbers(p);
    if (numbers.includes(port.number!)) return true;
    if (numbers.length === 0) unknown = true;
  }
  return unknown ? undefined : false;
}

/** An OpenShift Route `targetPort` that no endpoint port of its Service has: the router serves 503. */
function checkEndpointPort(ctx: RuleContext, ref: ServiceRef, copies: readonly ServiceNode[], data: Record<string, string>): void {
  const port = ref.port!;
  if (copies.some((s) => endpointPortMatches(s, port) !== false)) return;
  const o = ref.object;
  const svc = copies.find((s) => sameTree(s.object, o)) ?? copies[0]!;
  const near = sameTree(svc.object, o);
  const ports = svc.ports.map((p) => `${p.name ? code(p.name) : 'unnamed'} (${endpointNumbers(p).join(', ')}/${p.protocol})`).join(', ');
  let hint = '';
  const asServicePort = port.number !== undefined ? svc.ports.find((p) => p.port === port.number) : undefined;
  if (asServicePort) {
    const target = endpointNumbers(asServicePort).join(' or ');
    hint = `; ${port.number} is the Service port: write the target port ${target}${asServicePort.name ? ` or the port name ${code(asServicePort.name)}` : ''}`;
  } else if (port.name !== undefined) {
    const byNumber = svc.ports.find((p) => p.name === undefined || p.name === '');
    if (byNumber && svc.ports.length === 1) hint = `; the Service port has no name: name it ${code(port.name)}, or write the target port ${endpointNumbers(byNumber).join(' or ')}`;
  }
  if (!near) hint += ` (Service ${code(ref.name)} is defined only in other folders of the run, such as ${code(svc.object.origin?.file.path ?? '')}, and may be another application's)`;
  ctx.report({
    object: o,
    path: ref.portPath ?? ref.path,
    messageId: 'refNoEndpointPort',
    severity: near ? undefined : 'info',
    data: { ...data, port: code(port.number ?? port.name ?? ''), ports, hint },
    related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ref.namespace}/${ref.name}` }],
  });
}

/**
 * A Linkerd ServiceProfile applies to the destination whose FQDN is its name
 * (`<svc>.<ns>.svc.<domain>`): a short or partial name matches no destination, and a full name
 * for a Service the namespace lacks configures nothing.
 */
function checkServiceProfiles(ctx: RuleContext): void {
  const domain = ctx.graph.settings.clusterDomain;
  for (const o of ctx.graph.objects) {
    if (o.kind !== 'ServiceProfile' || !/^linkerd\.io\//.test(o.apiVersion)) continue;
    const name = o.name.toLowerCase();
    const full = new RegExp(`^([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.${domain.replace(/\./g, '\\.')}$`).exec(name);
    if (full) {
      const [, svc, ns] = full as unknown as [string, string, string];
      if (ctx.graph.serviceDefinitions(ns, svc).length > 0 || !hasServicesIn(ctx.graph, ns)) continue;
      const near = typoOf(ctx, ns, svc);
      ctx.report({ object: o, path: ['metadata', 'name'], messageId: 'profileNoService', severity: near ? undefined : 'info', data: { name: code(o.name), service: code(svc), namespace: code(ns), hint: near ? `; did you mean ${code(`${near}.${ns}.svc.${domain}`)}?` : '' } });
      continue;
    }
    const short = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc)?)?$/.exec(name);
    if (!short) continue;
    const ns = short[2] ?? o.namespace;
    if (ctx.graph.serviceDefinitions(ns, short[1]!).length === 0) continue;
    ctx.report({ object: o, path: ['metadata', 'name'], messageId: 'profileShortName', severity: 'warning', data: { name: code(o.name), fqdn: code(`${short[1]}.${ns}.svc.${domain}`) } });
  }
}

/**
 * Istio DestinationRule `portLevelSettings`: each applies to the Service port of its
 * `port.number` (pilot's GetPortLevelTrafficPolicy compares it with the Service port), so a
 * number the Service does not expose (often the targetPort) leaves the policy unused.
 */
function checkPortLevel(ctx: RuleContext): void {
  for (const [key, drs] of destinationRules(ctx.graph)) {
    const [ns, name] = key.split('/') as [string, string];
    const svc = ctx.graph.serviceDefinitions(ns, name).find((x) => x.type !== 'ExternalName' && x.ports.length > 0);
    if (!svc) continue;
    for (const { rule } of drs) {
      const policies: Path[] = [['spec', 'trafficPolicy']];
      const subsets = getIn(rule.body, ['spec', 'subsets']);
      if (Array.isArray(subsets)) subsets.forEach((_, i) => policies.push(['spec', 'subsets', i, 'trafficPolicy']));
      for (const at of policies) {
        const items = getIn(rule.body, [...at, 'portLevelSettings']);
        if (!Array.isArray(items)) continue;
        items.forEach((item, i) => {
          const n = getIn(item, ['port', 'number']);
          if (typeof n !== 'number' || svc.ports.some((p) => p.port === n)) return;
          ctx.report({
            object: rule,
            path: [...at, 'portLevelSettings', i, 'port', 'number'],
            messageId: 'portLevelUnknown',
            severity: 'warning',
            data: { port: n, service: code(`${ns}/${name}`), ports: servicePortsText(svc), hint: targetPortHint(svc, n).replace(/ or the name `[^`]*`$/, '') },
            related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ns}/${name}` }],
          });
        });
      }
    }
  }
}

/**
 * Istio subsets: a VirtualService destination's `subset` must be one a DestinationRule for that
 * host defines (else Envoy has no such cluster: 503 NR), and a subset routed to must match some
 * pod of the Service (else no healthy upstream: 503 UH). Judged where the run holds the
 * DestinationRules of the host, and the Service's workloads, in the route's folder tree.
 */
function checkSubsets(ctx: RuleContext): void {
  const refs = subsetRefs(ctx.graph);
  if (refs.length === 0) return;
  const rules = destinationRules(ctx.graph);
  const seen = new Set<MeshSubset>();
  // Each host's subsets by name, once: N routes to one host over N DestinationRules cost N, not N².
  const byHost = new Map<string, { subsets: MeshSubset[]; byName: Map<string, MeshSubset[]> }>();
  const judgedNames = new Set<string>();
  for (const ref of refs) {
    const host = `${ref.namespace}/${ref.name}`;
    const drs = rules.get(host);
    if (!drs) continue;
    let known = byHost.get(host);
    if (!known) {
      const all = drs.flatMap((d) => d.subsets);
      const byName = new Map<string, MeshSubset[]>();
      for (const x of all) {
        const list = byName.get(x.name);
        if (list) list.push(x);
        else byName.set(x.name, [x]);
      }
      byHost.set(host, (known = { subsets: all, byName }));
    }
    const { subsets } = known;
    const found = known.byName.get(ref.subset) ?? [];
    if (found.length === 0) {
      const dr = drs.find((d) => sameTree(d.rule, ref.object)) ?? drs[0]!;
      const near = sameTree(dr.rule, ref.object);
      const names = [...new Set(subsets.map((x) => x.name))];
      const typo = names.find((n) => isStrongTypo(ref.subset, n));
      ctx.report({
        object: ref.object,
        path: ref.path,
        messageId: 'subsetUndefined',
        severity: near ? undefined : 'info',
        data: { subset: code(ref.subset), service: code(`${ref.namespace}/${ref.name}`), rules: list(drs.map((d) => code(`${d.rule.namespace}/${d.rule.name}`)), 3), defined: names.length ? list(names.map((n) => code(n)), 6) : 'no subsets', hint: typo ? `; did you mean ${code(typo)}?` : '' },
        related: [{ object: dr.rule, path: ['spec', 'subsets'], message: `subsets of DestinationRule ${dr.rule.namespace}/${dr.rule.name}` }],
      });
      continue;
    }
    // The subsets of one name are judged once, whichever route names them first.
    const judged = `${host}\0${ref.subset}`;
    if (judgedNames.has(judged)) continue;
    judgedNames.add(judged);
    const svc = ctx.graph.serviceDefinitions(ref.namespace, ref.name).find((x) => x.mode === 'selector');
    if (!svc) continue;
    for (const sub of found) {
      if (seen.has(sub) || Object.keys(sub.labels).length === 0) continue;
      seen.add(sub);
      // The Service's pods of the subset's own folder tree: other trees may be other applications.
      const pods = svc.backends.filter((t) => sameTree(t.owner, sub.rule));
      if (pods.length === 0) continue;
      if (pods.some((t) => Object.entries(sub.labels).every(([k, v]) => t.labels[k] === v))) continue;
      const want = Object.entries(sub.labels).map(([k, v]) => `${k}: ${v}`).join(', ');
      const keys = Object.keys(sub.labels);
      const have = [...new Set(pods.map((t) => keys.map((k) => `${k}: ${t.labels[k] ?? '(none)'}`).join(', ')))];
      ctx.report({
        object: sub.rule,
        path: [...sub.path, 'labels'],
        messageId: 'subsetNoPods',
        data: { subset: code(sub.name), labels: code(want), service: code(`${ref.namespace}/${ref.name}`), have: list(have.map((h) => code(h)), 4), route: code(`${ref.object.namespace}/${ref.object.name}`) },
        related: pods.slice(0, 3).map((t) => ({ object: t.owner, path: t.labelsPath, message: `labels of ${where(t)}` })),
      });
    }
  }
}

/**
 * Traefik's ForwardAuth middleware calls `address` for every request and answers 500 when it
 * fails: a URL to `<svc>.<ns>.svc[.<domain>]` must name a Service that exposes its port.
 */
function checkForwardAuth(ctx: RuleContext, o: K8sObject): void {
  const address = getIn(o.body, ['spec', 'forwardAuth', 'address']);
  if (typeof address !== 'string') return;
  const at = ['spec', 'forwardAuth', 'address'];
  const u = serviceUrl(address, ctx.graph.settings.clusterDomain);
  if (!u) {
    // A short name: Traefik resolves it from its own namespace, which the run shows.
    const short = /^[a-z][a-z0-9+.-]*:\/\/([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?::(\d{1,5}))?(?:[/?#]|$)/i.exec(address.trim());
    const traefik = short ? controllerSide(ctx.graph, o) : undefined;
    if (!short || !traefik) return;
    const name = short[1]!.toLowerCase();
    if (ctx.graph.service(traefik.namespace, name)) return;
    const own = ctx.graph.service(o.namespace, name);
    if (!own) return;
    ctx.report({ object: o, path: at, messageId: 'authShortName', data: { url: code(address), name: code(name), traefik: code(traefik.namespace), namespace: code(o.namespace), suggest: code(`${name}.${o.namespace}`) }, related: [{ object: own.object, path: ['metadata', 'name'], message: `Service ${o.namespace}/${name}` }] });
    return;
  }
  const copies = ctx.graph.serviceDefinitions(u.namespace, u.name);
  const data = { url: code(address), service: code(`${u.namespace}/${u.name}`) };
  if (copies.length === 0) {
    if (!hasServicesIn(ctx.graph, u.namespace)) return;
    const near = typoOf(ctx, u.namespace, u.name);
    ctx.report({ object: o, path: at, messageId: 'authNoService', severity: near ? undefined : 'info', data: { ...data, hint: near ? `; did you mean ${code(near)}?` : ': it is not among the linted files (created elsewhere, or a typo)' } });
    return;
  }
  if (copies.some((s) => s.type === 'ExternalName' || s.headless || s.ports.length === 0 || exposes(s, { number: u.port }))) return;
  const svc = copies.find((s) => sameTree(s.object, o)) ?? copies[0]!;
  ctx.report({
    object: o,
    path: at,
    messageId: 'authNoPort',
    severity: sameTree(svc.object, o) ? undefined : 'info',
    data: { ...data, port: String(u.port), how: u.named ? '' : ` (the ${u.scheme} default: the URL names none)`, ports: servicePortsText(svc) },
    related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${u.namespace}/${u.name}` }],
  });
}

/** ServiceMonitors already reported for selecting only Services without endpoints (one finding for all their endpoints). */
const reportedNoEndpoints = new WeakSet<K8sObject>();

/** A ServiceMonitor or PodMonitor port name that none of the Services or pods it selects has. */
function checkMonitor(ctx: RuleContext, m: MonitorPort): void {
  if (m.kind === 'service') {
    // Judged against Services of the monitor's own folder tree: others may be another application's.
    if (!m.services.some((s) => sameTree(s.object, m.object))) return;
    // Prometheus finds a ServiceMonitor's targets in the Services' Endpoints (EndpointSlices): an
    // ExternalName Service gets none, nor does one without a selector unless something writes them.
    const endpointless = (s: (typeof m.services)[number]) => s.mode === 'external-name' || (s.mode === 'manual' && s.manualEndpoints.length === 0 && s.endpointObjects.length === 0);
    if (m.services.length > 0 && m.services.every(endpointless) && !reportedNoEndpoints.has(m.object)) {
      reportedNoEndpoints.add(m.object);
      const external = m.services.every((s) => s.mode === 'external-name');
      ctx.report({
        object: m.object,
        path: ['spec', 'selector'],
        messageId: 'monitorNoEndpoints',
        ...(external ? {} : { severity: 'warning' as const }),
        data: { services: list(m.services.map((s) => code(`${s.object.namespace}/${s.object.name}`)), 3), which: m.services.length === 1 ? 'which is' : 'each of which is', what: external ? 'an ExternalName Service (a DNS alias, never given endpoints)' : 'a Service without a selector whose Endpoints the files do not hold' },
        related: m.services.slice(0, 3).map((s) => ({ object: s.object, path: ['spec'], message: `Service ${s.object.namespace}/${s.object.name}` })),
        remediation: 'Scrape the external target with a Probe or a ScrapeConfig (static targets), or give the Service no selector and write its Endpoints (an EndpointSlice) by hand.',
      });
      return;
    }
    if (m.services.length === 0 || m.services.some((s) => s.ports.some((p) => p.name === m.port))) return;
    const names = [...new Set(m.services.flatMap((s) => s.ports.map((p) => p.name).filter((n): n is string => n !== undefined)))];
    // An operator of the run that makes pods with the selected labels makes Services for them too, labelled alike
    // (Rook's `rook-ceph-mgr` with `http-metrics`, for a CephCluster): one the files do not hold may have the port.
    const selector = getIn(m.object.body, ['spec', 'selector', 'matchLabels']);
    const labels = isRecord(selector) ? Object.fromEntries(Object.entries(selector).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
    const made = [...new Set(m.services.map((s) => s.object.namespace))].map((ns) => createdServicesLike(ctx.graph.objects, ns, labels)).find((c) => c !== undefined);
    ctx.report({
      object: m.object,
      path: m.path,
      messageId: 'monitorServicePort',
      ...(made ? { severity: 'info' as const } : {}),
      data: {
        port: code(m.port), services: list(m.services.map((s) => code(`${s.object.namespace}/${s.object.name}`)), 3), found: names.length ? list(names.map((n) => code(n)), 5) : 'no named port',
        made: made ? `, unless a Service that ${made.by} creates${made.source ? ` for ${made.source.kind} ${made.source.namespace}/${made.source.name}` : ''} has the port: it makes pods with these labels, and Services in front of them` : '',
      },
      related: m.services.slice(0, 3).map((s) => ({ object: s.object, path: ['spec', 'ports'], message: `ports of Service ${s.object.namespace}/${s.object.name}` })),
    });
    return;
  }
  if (!m.templates.some((t) => sameTree(t.owner, m.object))) return;
  if (m.portNumber !== undefined) {
    // Prometheus discovers a pod's declared container ports: one not declared is no target.
    if (m.templates.length === 0 || m.templates.some((t) => t.containers.some((c) => c.ports.some((p) => p.containerPort === m.portNumber)))) return;
    const numbers = [...new Set(m.templates.flatMap((t) => t.containers.flatMap((c) => c.ports.map((p) => p.containerPort).filter((n): n is number => n !== undefined))))];
    ctx.report({
      object: m.object,
      path: m.path,
      messageId: 'monitorPodPortNumber',
      data: { port: code(m.portNumber), pods: list(m.templates.map((t) => where(t)), 3), found: numbers.length ? list(numbers.map((n) => code(n)), 5) : 'none' },
      related: m.templates.slice(0, 3).map((t) => ({ object: t.owner, path: [...t.path, 'spec', 'containers'], message: where(t) })),
    });
    return;
  }
  if (m.templates.length === 0 || m.templates.some((t) => t.containers.some((c) => c.ports.some((p) => p.name === m.port)))) return;
  const names = [...new Set(m.templates.flatMap((t) => t.containers.flatMap((c) => c.ports.map((p) => p.name).filter((n): n is string => n !== undefined))))];
  ctx.report({
    object: m.object,
    path: m.path,
    messageId: 'monitorPodPort',
    data: { port: code(m.port), pods: list(m.templates.map((t) => where(t)), 3), found: names.length ? list(names.map((n) => code(n)), 5) : 'no named port' },
    related: m.templates.slice(0, 3).map((t) => ({ object: t.owner, path: [...t.path, 'spec', 'containers'], message: where(t) })),
  });
}

/**
 * A ServiceMonitor or PodMonitor that no Prometheus of the run picks up: prometheus-operator
 * gives a Prometheus the monitors its `serviceMonitorSelector` (`podMonitorSelector`) matches —
 * a selector left out matches none, `{}` every one — in the namespaces its
 * `…NamespaceSelector` matches (left out: its own namespace only). Judged where the run holds
 * Prometheus resources: an error where one of them is in the monitor's folder tree, else a
 * warning (another Prometheus may be installed from elsewhere).
 */
function checkPrometheusSelection(ctx: RuleContext): void {
  const proms = objectsOfKind(ctx.graph, 'Prometheus').filter((o) => /^monitoring\.coreos\.com\//.test(o.apiVersion));
  if (proms.length === 0) return;
  const namespaces = namespaceLabels(ctx.graph.objects);
  for (const m of ctx.graph.objects) {
    if ((m.kind !== 'ServiceMonitor' && m.kind !== 'PodMonitor') || !/^monitoring\.coreos\.com\//.test(m.apiVersion)) continue;
    const field = m.kind === 'ServiceMonitor' ? 'serviceMonitorSelector' : 'podMonitorSelector';
    const labels = stringMapOf(getIn(m.body, ['metadata', 'labels']));
    const why: string[] = [];
    let unknown = false;
    for (const p of proms) {
      const sel = getIn(p.body, ['spec', field]);
      const nsSel = getIn(p.body, ['spec', `${field.replace('Selector', '')}NamespaceSelector`]);
      if (sel === undefined || sel === null) { why.push(`Prometheus ${code(`${p.namespace}/${p.name}`)} sets no \`${field}\`, which selects none`); continue; }
      if (!isRecord(sel)) { unknown = true; continue; }
      const byLabels = matchSelector(readSelector(sel), labels);
      if (byLabels === false) { why.push(`Prometheus ${code(`${p.namespace}/${p.name}`)} selects ${selectorText(sel)}, which its labels do not carry`); continue; }
      if (byLabels !== true) { unknown = true; continue; }
      if (nsSel === undefined || nsSel === null) {
        if (m.namespace === p.namespace) { unknown = true; break; }
        why.push(`Prometheus ${code(`${p.namespace}/${p.name}`)} sets no \`${field.replace('Selector', '')}NamespaceSelector\`, so it looks in its own namespace ${code(p.namespace)} only`);
        continue;
      }
      if (!isRecord(nsSel)) { unknown = true; continue; }
      const { labels: nsLabels, known } = namespaces.labels(m.namespace);
      const byNs = matchSelector(readSelector(nsSel), nsLabels, known);
      if (byNs === false) { why.push(`Prometheus ${code(`${p.namespace}/${p.name}`)} looks only in namespaces its \`${field.replace('Selector', '')}NamespaceSelector\` matches, and ${code(m.namespace)} does not`); continue; }
      unknown = true;
      if (byNs === true) break;
    }
    if (unknown || why.length === 0 || why.length < proms.length) continue;
    // Another Prometheus (a platform's kube-prometheus-stack) may run from elsewhere: a warning
    // where a Prometheus of the monitor's folder tree is meant to pick it up, else info.
    const near = proms.some((p) => sameTree(p, m));
    // A monitor labelled for a selector of the same key with another value (`release: other`)
    // is meant for a Prometheus installed elsewhere.
    const keys = proms.flatMap((p) => Object.keys(stringMapOf(getIn(p.body, ['spec', field, 'matchLabels']))));
    // So is one with the label kube-prometheus-stack's Prometheus selects by (`release`), or
    // `prometheus`, where no Prometheus of the run selects by it.
    const elsewhere = keys.some((k) => labels[k] !== undefined) || ['release', 'prometheus'].some((k) => labels[k] !== undefined && !keys.includes(k));
    ctx.report({
      object: m,
      path: ['metadata', 'labels'],
      messageId: 'monitorUnselected',
      severity: near && !elsewhere ? 'warning' : 'info',
      data: { kind: m.kind, why: list(why, 3) },
      related: proms.slice(0, 3).map((p) => ({ object: p, path: ['spec'], message: `Prometheus ${p.namespace}/${p.name}` })),
    });
  }
}

function stringMapOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function selectorText(sel: Record<string, unknown>): string {
  const ml = stringMapOf(sel.matchLabels);
  const parts = Object.entries(ml).map(([k, v]) => code(`${k}: ${v}`));
  if (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length) parts.push('expressions');
  return parts.length ? list(parts, 3) : 'everything';
}

/** A ServiceMonitor that selects no Service, next to the Service it was written for; a targetPort no selected pod declares. */
function checkMonitorSelection(ctx: RuleContext): void {
  for (const m of serviceMonitorMisses(ctx.graph)) {
    const svc = m.service;
    const name = code(`${svc.object.namespace}/${svc.object.name}`);
    ctx.report({
      object: m.object,
      path: m.kind === 'namespace' && getIn(m.object.body, ['spec', 'namespaceSelector']) !== undefined ? ['spec', 'namespaceSelector'] : ['spec', 'selector'],
      messageId: m.kind === 'namespace' ? 'monitorNamespace' : 'monitorLabels',
      data: { service: name, namespaces: list(m.namespaces.map((n) => code(n)), 3), namespace: code(svc.object.namespace) },
      related: [{ object: svc.object, path: m.kind === 'labels' ? ['metadata'] : ['metadata', 'namespace'], message: `Service ${svc.object.namespace}/${svc.object.name}` }],
    });
  }
  for (const m of serviceMonitorTargetPorts(ctx.graph)) {
    const byName = typeof m.port === 'string';
    const declared = [...new Set(m.services.flatMap((s) => s.backends.flatMap((t) => t.containers.flatMap((c) => c.ports.map((p) => (byName ? p.name : p.containerPort)).filter((n) => n !== undefined)))))].map(String);
    const asService = m.services.flatMap((s) => s.ports).find((p) => (byName ? p.name === m.port : p.port === m.port));
    ctx.report({
      object: m.object,
      path: m.path,
      messageId: 'monitorTargetPort',
      data: {
        services: list(m.services.map((s) => code(`${s.object.namespace}/${s.object.name}`)), 3),
        port: code(String(m.port)),
        what: byName ? 'a container port named' : 'a container port',
        declared: declared.length ? list(declared.map((n) => code(n)), 5) : 'none',
        hint: asService ? `; ${code(String(m.port))} is a Service port: write it as \`port: ${asService.name ?? '<port name>'}\`, or give the pods' port` : '',
      },
    });
  }
}

/**
 * Argo Rollouts' own checks of a canary that names its Services (argo-rollouts'
 * `ValidateRolloutStrategyCanary` and, for Istio traffic routing, `ValidateHTTPRoutes`): stable
 * and canary (ping and pong) must differ, and each VirtualService route the Rollout shifts
 * weight on (the `routes` it names, else the VirtualService's only HTTP route) must send to
 * both Services, compared by the first DNS label of `destination.host`. A Rollout that fails
 * them is InvalidSpec or Degraded and never shifts traffic.
 */
function checkRollout(ctx: RuleContext, o: K8sObject): void {
  const canary = getIn(o.body, ['spec', 'strategy', 'canary']);
  if (!isRecord(canary)) return;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const stable = str(canary.stableService);
  const can = str(canary.canaryService);
  if (stable && can && stable === can) {
    ctx.report({ object: o, path: ['spec', 'strategy', 'canary', 'canaryService'], messageId: 'rolloutSameService', data: { a: code('canaryService'), b: code('stableService'), service: code(stable) } });
    return;
  }
  const ping = str(getIn(canary, ['pingPong', 'pingService']));
  if (ping && ping === str(getIn(canary, ['pingPong', 'pongService']))) {
    ctx.report({ object: o, path: ['spec', 'strategy', 'canary', 'pingPong', 'pongService'], messageId: 'rolloutSameService', data: { a: code('pingService'), b: code('pongService'), service: code(ping) } });
  }
  const istio = getIn(canary, ['trafficRouting', 'istio']);
  if (!isRecord(istio)) return;
  // Subset-level splitting: the routes send to subsets of one DestinationRule, not to two Services.
  const dr = isRecord(istio.destinationRule) ? istio.destinationRule : undefined;
  const subsets = dr ? { stable: str(dr.stableSubsetName), canary: str(dr.canarySubsetName), rule: str(dr.name) ?? '' } : undefined;
  if (istio.destinationRule !== undefined && (!subsets || !subsets.stable || !subsets.canary)) return;
  if (!subsets && (!stable || !can)) return;
  if (getIn(canary, ['trafficRouting', 'managedRoutes']) !== undefined) return;
  const refs: { ref: Record<string, unknown>; path: Path }[] = [];
  if (isRecord(istio.virtualService)) refs.push({ ref: istio.virtualService, path: ['spec', 'strategy', 'canary', 'trafficRouting', 'istio', 'virtualService'] });
  if (Array.isArray(istio.virtualServices)) istio.virtualServices.forEach((v, i) => { if (isRecord(v)) refs.push({ ref: v, path: ['spec', 'strategy', 'canary', 'trafficRouting', 'istio', 'virtualServices', i] }); });
  for (const { ref, path } of refs) {
    const name = str(ref.name);
    if (!name || /[./]/.test(name) || ref.tlsRoutes !== undefined || ref.tcpRoutes !== undefined) continue;
    const vs = objectsOfKind(ctx.graph, 'VirtualService').find((x) => /^networking\.istio\.io\//.test(x.apiVersion) && x.namespace === o.namespace && x.name === name);
    if (!vs) {
      // A name a slip away from the one VirtualService of its namespace that it could mean.
      const near = objectsOfKind(ctx.graph, 'VirtualService').filter((x) => /^networking\.istio\.io\//.test(x.apiVersion) && x.namespace === o.namespace && x.name !== name
        && isStrongTypo(x.name, name) && (x.name.toLowerCase() === name.toLowerCase() || genuinelyClose(x.name, name)));
      if (near.length === 1) {
        ctx.report({
          object: o,
          path: [...path, 'name'],
          messageId: 'rolloutNoVirtualService',
          data: { name: code(name), namespace: code(o.namespace), near: code(near[0]!.name) },
          related: [{ object: near[0]!, path: ['metadata', 'name'], message: `VirtualService ${near[0]!.namespace}/${near[0]!.name}` }],
          remediation: `Name the VirtualService the Rollout routes through: \`name: ${near[0]!.name}\`.`,
        });
      }
      continue;
    }
    const http = getIn(vs.body, ['spec', 'http']);
    if (!Array.isArray(http) || http.length === 0) continue;
    const wanted = Array.isArray(ref.routes) ? ref.routes.filter((r): r is string => typeof r === 'string') : [];
    const indexes = wanted.length ? wanted.map((r) => http.findIndex((h) => isRecord(h) && h.name === r)) : http.length === 1 ? [0] : [];
    wanted.forEach((r, k) => {
      if (indexes[k] === -1) ctx.report({ object: o, path: [...path, 'routes', k], messageId: 'rolloutRouteMissing', data: { route: code(r), vs: code(`${vs.namespace}/${vs.name}`) }, related: [{ object: vs, path: ['spec', 'http'], message: `HTTP routes of VirtualService ${vs.namespace}/${vs.name}` }] });
    });
    for (const i of indexes) {
      if (i < 0) continue;
      const dests = getIn(http[i], ['route']);
      if (subsets) {
        const named = (Array.isArray(dests) ? dests : []).map((d) => getIn(d, ['destination', 'subset'])).filter((x): x is string => typeof x === 'string');
        const missing = [subsets.stable!, subsets.canary!].filter((x) => !named.includes(x));
        if (missing.length === 0) continue;
        ctx.report({
          object: vs,
          path: ['spec', 'http', i, 'route'],
          messageId: 'rolloutRouteSubsets',
          data: { rollout: code(`${o.namespace}/${o.name}`), rule: code(subsets.rule), stable: code(subsets.stable!), canary: code(subsets.canary!), found: named.length ? named.map((x) => code(x)).join(', ') : 'no subset', missing: missing.map((m) => code(m)).join(' and ') },
          related: [{ object: o, path: ['spec', 'strategy', 'canary', 'trafficRouting', 'istio', 'destinationRule'], message: `destinationRule of Rollout ${o.namespace}/${o.name}` }],
        });
        continue;
      }
      const hosts = (Array.isArray(dests) ? dests : []).map((d) => getIn(d, ['destination', 'host'])).filter((h): h is string => typeof h === 'string');
      const first = hosts.map((h) => (h.indexOf('.') > 0 ? h.slice(0, h.indexOf('.')) : h));
      const missing = [stable!, can!].filter((svc) => !first.includes(svc));
      if (missing.length === 0) continue;
      ctx.report({
        object: vs,
        path: ['spec', 'http', i, 'route'],
        messageId: 'rolloutRouteServices',
        data: { rollout: code(`${o.namespace}/${o.name}`), stable: code(stable!), canary: code(can!), hosts: hosts.length ? hosts.map((h) => code(h)).join(', ') : 'no host', missing: missing.map((m) => code(m)).join(' and ') },
        related: [{ object: o, path: ['spec', 'strategy', 'canary'], message: `canary strategy of Rollout ${o.namespace}/${o.name}` }],
      });
    }
  }
}

/** The image of Flagger's controller. */
const FLAGGER_IMAGE = /(^|\/)flagger(:|@|$)/;
const FLAGGER_DEFAULT_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

/**
 * The labels Flagger builds selectors from (`-selector-labels`, default `app,name,app.kubernetes.io/name`,
 * cmd/flagger/main.go), with the Flagger install that sets them; undefined where the run holds
 * several installs that disagree, or one whose flag the run cannot read.
 */
function flaggerLabels(ctx: RuleContext): { labels: string[]; install?: K8sObject } | undefined {
  const found: { labels: string[]; install: K8sObject }[] = [];
  for (const t of ctx.graph.templates) {
    for (const c of t.containers) {
      if (!c.image || !FLAGGER_IMAGE.test(c.image)) continue;
      const raw = getIn(t.owner.body, c.path);
      const words = ['command', 'args'].flatMap((k) => (isRecord(raw) && Array.isArray(raw[k]) ? raw[k] as unknown[] : []));
      let labels = FLAGGER_DEFAULT_LABELS;
      for (let i = 0; i < words.length; i++) {
        const w = words[i];
        if (typeof w !== 'string') return undefined;
        const m = /^--?selector-labels(?:=(.*))?$/s.exec(w);
        if (!m) continue;
        const v = m[1] ?? words[++i];
        if (typeof v !== 'string' || v.includes('$(')) return undefined;
        labels = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
      }
      found.push({ labels, install: t.owner });
    }
  }
  if (found.length === 0) return { labels: FLAGGER_DEFAULT_LABELS };
  if (found.some((f) => f.labels.join(',') !== found[0]!.labels.join(','))) return undefined;
  return found[0];
}

/**
 * A Flagger Canary whose target's `spec.selector.matchLabels` holds none of the labels Flagger
 * builds the primary's selector from: Flagger fails the Canary (`getSelectorLabel`,
 * pkg/canary/deployment_controller.go) and creates neither the primary workload nor the
 * Services. An error where the run holds Flagger (its labels are known); a warning otherwise
 * (an install elsewhere may set `-selector-labels`).
 */
function checkFlaggerSelectors(ctx: RuleContext): void {
  const canaries = objectsOfKind(ctx.graph, 'Canary').filter((o) => o.apiVersion.startsWith('flagger.app/'));
  if (canaries.length === 0) return;
  const flagger = flaggerLabels(ctx);
  if (!flagger) return;
  for (const o of canaries) {
    const ref = getIn(o.body, ['spec', 'targetRef']);
    if (!isRecord(ref) || typeof ref.name !== 'string' || (ref.kind !== 'Deployment' && ref.kind !== 'DaemonSet')) continue;
    const target = objectsOfKind(ctx.graph, ref.kind).find((x) => x.namespace === o.namespace && x.name === ref.name && x.apiVersion === 'apps/v1');
    const matchLabels = target ? getIn(target.body, ['spec', 'selector', 'matchLabels']) : undefined;
    if (!target || !isRecord(matchLabels) || Object.keys(matchLabels).length === 0) continue;
    if (flagger.labels.some((l) => l in matchLabels)) continue;
    const service = getIn(o.body, ['spec', 'service', 'name']);
    const name = typeof service === 'string' && service !== '' ? service : ref.name;
    ctx.report({
      object: o,
      path: ['spec', 'targetRef', 'name'],
      messageId: 'flaggerSelector',
      severity: flagger.install ? 'error' : 'warning',
      data: {
        kind: ref.kind,
        target: code(`${target.namespace}/${target.name}`),
        labels: Object.keys(matchLabels).map((k) => code(k)).join(', '),
        wanted: flagger.labels.map((l) => code(l)).join(', '),
        from: flagger.install ? `, as Flagger ${code(`${flagger.install.namespace}/${flagger.install.name}`)} runs` : ', Flagger\'s default `-selector-labels`',
        services: [name, `${name}-primary`, `${name}-canary`].map((x) => code(x)).join(', '),
      },
      related: [{ object: target, path: ['spec', 'selector', 'matchLabels'], message: `selector of ${ref.kind} ${target.namespace}/${target.name}` }],
      remediation: `Select the pods by one of ${flagger.labels.map((l) => code(l)).join(', ')} (in the selector and the template's labels), or add the label to Flagger's \`-selector-labels\`.`,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'route-backend-unknown',
    description: 'A route to a Service (Gateway API routes and policies, Istio, Traefik, Contour, NGINX VirtualServer, Emissary, APISIX, Gloo, Skipper, Kong, Argo Rollouts, SMI TrafficSplit, OpenShift Route, ServiceExport, prometheus-operator monitors and Alertmanagers, the endpoint picker of an InferencePool) that names a missing Service or port (or a missing InferencePool) (or an Istio subset that no DestinationRule defines or no pod matches), leaves out the port, or crosses namespaces without a ReferenceGrant; an Argo Rollout\'s VirtualService a slip away from its namespace\'s; a Flagger Canary whose target Flagger cannot select.',
    category: 'reference',
    severity: 'error',
    messages: {
      createdPort: 'this {{kind}} sends traffic to port {{port}} of Service {{service}}, which {{by}} creates for {{source}} with {{ports}} only: the backend is not resolved (ResolvedRefs false) and gets no traffic',
      istioHidden: 'this VirtualService routes to Service {{service}}, whose `networking.istio.io/exportTo` is {{exportTo}}: the proxies that use this route (namespace {{consumers}}) do not see it, so the route has no cluster and Envoy answers 503 (NR)',
      controllerOption: 'this {{kind}} {{why}}, and {{who}} ({{install}}, the run\'s only one) does not set {{option}}: it {{effect}}',
      zeroWeights: 'every backendRef of this {{kind}} rule ({{count}}) has weight 0: the rule forwards no request to any of them, so what it matches reaches no Service (the gateway answers an error, 500 for HTTP); give the backend that should serve a weight above 0',
      annotationMiddleware: 'annotation {{annotation}} names middleware {{ref}}, which Traefik looks up as the Middleware whose `<namespace>-<name>` is {{id}}, and no Middleware of the files has that id{{hint}}: Traefik drops the router (`middleware … does not exist`), and the route answers 404',
      noService: 'this route sends traffic to Service {{service}}, but there is no such Service in namespace {{namespace}}{{hint}}',
      noPort: 'this route sends traffic to port {{port}} of Service {{service}}, which exposes {{ports}}{{hint}}',
      coreGroup: 'this {{kind}}\'s backendRef to Service {{service}} sets group `core`; the Gateway API writes the core group as `""` (or leaves it out), so a conformant gateway takes `core` for an unknown group and rejects the reference (ResolvedRefs=False, InvalidKind; Linkerd alone accepts it)',
      noPortField: 'the backendRef to Service {{service}} has no port; a Service backend needs the Service port',
      noPool: 'this route sends traffic to InferencePool {{pool}}, but there is no such InferencePool in namespace {{namespace}}{{hint}}; the gateway answers its requests with an error',
      refNoService: 'this {{kind}} refers to Service {{service}} in {{field}}, but there is no such Service in namespace {{namespace}}{{hint}}',
      traefikTlsToPlain: 'this {{kind}} sends to port {{port}} of Service {{service}}, to which Traefik speaks HTTPS because the port {{why}} and the route sets no `scheme`, but every pod behind it probes that port over plain HTTP: the TLS handshake meets an HTTP server, and Traefik answers 500 for this route',
      refNoPort: 'this {{kind}} sends traffic to port {{port}} of Service {{service}}, which exposes {{ports}}{{hint}}',
      authNoService: 'forwardAuth address {{url}} names Service {{service}}, which does not exist{{hint}}; Traefik cannot call it and answers every request with 500',
      authShortName: 'forwardAuth address {{url}} uses the short name {{name}}, which Traefik looks up from its own namespace {{traefik}}, where there is no such Service; Service {{name}} is in {{namespace}}, the middleware\'s: write {{suggest}}; Traefik cannot call it and answers every request with 500',
      authNoPort: 'forwardAuth address {{url}} calls port {{port}}{{how}} of Service {{service}}, which exposes {{ports}}; Traefik cannot call it and answers every request with 500',
      refNoPortField: 'this {{kind}} sends traffic to Service {{service}} without a port; Traefik requires the Service port (a number or its name; {{service}} exposes {{ports}}) and drops the route ("service port not defined")',
      refNoEndpointPort: 'this {{kind}} sends traffic to target port {{port}} of Service {{service}}, but no endpoint of it has a port of that name or number (its endpoint ports: {{ports}}); the router keeps only the endpoints whose port matches spec.port.targetPort, so the route has no backend and answers 503{{hint}}',
      subsetUndefined: 'this VirtualService routes to subset {{subset}} of Service {{service}}, but its DestinationRules ({{rules}}) define {{defined}}; Envoy has no such cluster and answers 503 (NR){{hint}}',
      subsetNoPods: 'subset {{subset}} of Service {{service}}, which VirtualService {{route}} routes to, selects pods with {{labels}}, but the Service\'s pods have {{have}}; the subset has no endpoints and Envoy answers 503 (no healthy upstream)',
      monitorServicePort: 'this ServiceMonitor scrapes port {{port}}, but no Service it selects ({{services}}) has a port of that name (found {{found}}); Prometheus gets no target from it{{made}}',
      istioPartialHost: 'this {{kind}} names host {{host}} in {{field}}: Istio completes only names without a dot (with the {{kind}}\'s own namespace), so it takes {{host}} as written and finds no Service of that name in its registry (`istioctl analyze`: IST0101); write {{fqdn}}',
      rolloutSameService: 'this Rollout names Service {{service}} as both {{a}} and {{b}}: Argo Rollouts refuses the spec (InvalidSpec) and never shifts traffic; they must be two Services',
      flaggerSelector: 'this Canary targets {{kind}} {{target}}, whose `spec.selector.matchLabels` ({{labels}}) holds none of the labels Flagger builds its selectors from ({{wanted}}{{from}}): Flagger fails the Canary ("spec.selector.matchLabels must contain one of …") and never creates the Services {{services}}',
      rolloutNoVirtualService: 'this Rollout shifts its traffic through VirtualService {{name}}, which the run does not define in namespace {{namespace}}; did you mean {{near}}? Argo Rollouts finds no VirtualService of that name and marks the Rollout InvalidSpec, so it is not rolled out',
      rolloutRouteMissing: 'this Rollout shifts weight on route {{route}} of VirtualService {{vs}}, which has no HTTP route of that name: Argo Rollouts stops the rollout with an error (route not found)',
      profileShortName: 'this ServiceProfile is named {{name}}, but Linkerd applies a profile to the destination whose fully qualified name is the profile\'s name: name it {{fqdn}}, else its routes, retries and timeouts apply to no traffic',
      profileNoService: 'this ServiceProfile is named {{name}}, for Service {{service}} in namespace {{namespace}}, which the files given do not define{{hint}}; the profile applies to no traffic',
      portLevelUnknown: 'these port-level settings are for port {{port}}, but Service {{service}} exposes {{ports}}: Istio matches them against the Service port, so they apply to no traffic{{hint}}',
      istioShortHost: 'host {{host}} of this {{kind}} is a short name, which Istio completes with the {{kind}}\'s own namespace {{namespace}}, where the files given define no Service {{service}}; Service {{service}} is in namespace {{there}}: write {{fqdn}} (else the {{kind}} applies to no Service)',
      rolloutRouteSubsets: 'the Rollout {{rollout}} shifts weight in this route between the subsets {{stable}} (stable) and {{canary}} (canary) of DestinationRule {{rule}}, but the route\'s destinations name {{found}}: Argo Rollouts finds no destination for {{missing}} ("DestinationRule subset … not found in route") and the Rollout stays Degraded, shifting no traffic',
      rolloutRouteServices: 'the Rollout {{rollout}} shifts weight in this route between its stableService {{stable}} and canaryService {{canary}}, but the route sends to {{hosts}} (Argo Rollouts compares the first label of each destination host): it finds no destination for {{missing}} and the Rollout stays Degraded, shifting no traffic',
      monitorNoEndpoints: 'this ServiceMonitor selects only {{services}}, {{which}} {{what}}: prometheus-operator has Prometheus discover a ServiceMonitor\'s targets from the selected Services\' Endpoints, so it scrapes nothing',
      monitorLabels: 'this ServiceMonitor selects no Service: prometheus-operator matches its selector against the labels of Services, and Service {{service}}, whose pods carry these labels, does not; Prometheus gets no target from it (label the Service, or select its labels)',
      monitorNamespace: 'this ServiceMonitor looks for Services in {{namespaces}} only, but the Service it selects, {{service}}, is in {{namespace}}; Prometheus gets no target from it (set `namespaceSelector.matchNames`)',
      monitorTargetPort: 'this ServiceMonitor scrapes targetPort {{port}}, but no pod of {{services}} declares {{what}} {{port}} (they declare {{declared}}); prometheus-operator keeps only targets whose pod declares that container port, so Prometheus gets none{{hint}}',
      issuerKind: 'this {{kind}} names {{written}} {{name}}{{scope}}, which the files do not define, but they define {{other}} {{name}}: {{why}}; cert-manager never issues the certificate (Referenced "{{written}}" not found), so Secret {{secret}} is never written and whatever mounts it or serves TLS from it fails',
      refNoObject: 'this {{kind}} names {{target}} {{name}}, which is not in namespace {{namespace}}{{hint}}: {{effect}}',
      rolloutIngressBackend: 'the Ingress {{ingress}} that this Rollout\'s traffic routing names has no rule that sends to {{service}} (it sends to {{found}}): Argo Rollouts refuses the Rollout ("has no rules using service … backend") and it does not progress',
      monitorUnselected: 'no Prometheus of the run picks up this {{kind}}: {{why}}; its targets are never scraped',
      monitorPodPortNumber: 'this PodMonitor scrapes port number {{port}}, but no pod it selects ({{pods}}) declares that container port (found {{found}}): Prometheus discovers a pod\'s declared ports, and gets no target from it',
      monitorPodPort: 'this PodMonitor scrapes port {{port}}, but no pod it selects ({{pods}}) has a container port of that name (found {{found}}); Prometheus gets no target from it',
      gatewayPortAmbiguous: 'this VirtualService is bound to {{gateways}} and sends to Service {{service}} without `destination.port`, but the Service has several ports ({{ports}}): Istio then uses the Service port equal to {{listeners}}; where the Service has no such port the gateway has no cluster for it and answers 503 (NC): set `destination.port.number`',
      grantMismatch: 'this {{kind}} in namespace {{from}} refers to Service {{service}}, and no ReferenceGrant allows it: {{why}}; the gateway rejects the reference (ResolvedRefs=False, RefNotPermitted)',
      noGrant: 'this {{kind}} in namespace {{from}} refers to Service {{service}} in namespace {{to}}, but no ReferenceGrant in {{to}} allows it; the gateway rejects the reference (ResolvedRefs=False)',
    },
    remediation: 'Name an existing Service and one of its ports; for another namespace, add a ReferenceGrant there that allows this route kind from this namespace.',
  },
  check(ctx) {
    for (const o of ctx.graph.objects) {
      if (ROUTES.has(o.kind) && o.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) check(ctx, o);
    }
    for (const ref of serviceRefs(ctx.graph)) {
      checkRef(ctx, ref);
      checkGatewayDestinationPort(ctx, ref);
    }
    for (const m of monitorPorts(ctx.graph)) checkMonitor(ctx, m);
    checkMonitorSelection(ctx);
    checkPrometheusSelection(ctx);
    for (const o of objectsOfKind(ctx.graph, 'Rollout')) if (o.apiVersion.startsWith('argoproj.io/')) checkRollout(ctx, o);
    checkFlaggerSelectors(ctx);
    checkSubsets(ctx);
    checkPortLevel(ctx);
    checkServiceProfiles(ctx);
    for (const o of ctx.graph.objects) if (o.kind === 'Middleware' && /^traefik\.(io|containo\.us)\//.test(o.apiVersion)) checkForwardAuth(ctx, o);
    checkObjectRefs(ctx);
    checkIssuerKinds(ctx);
    checkTraefikMiddlewareAnnotations(ctx);
    checkZeroWeights(ctx);
  },
};

export default rule;
