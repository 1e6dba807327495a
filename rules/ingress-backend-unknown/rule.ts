import type { Rule, RuleContext } from '../../src/types/rule.js';
import { createdServicePorts } from '../../src/graph/creators.js';
import { plainHttpImage } from '../../src/graph/listen.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import type { ServiceNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { dns1123LabelProblems } from '../../src/names.js';
import { controllerInstall, exposes, probedScheme, traefikScheme, nearestService, renamedInBuild, renamedText, sameNameElsewhere, servicePortsText, targetPortHint, unplacedHint } from '../../src/engine/rule-kit.js';
import { code, isStrongTypo } from '../../src/text.js';
import { sameTree, serviceUrl } from '../../src/graph/referrers.js';
import { objectNamed } from '../../src/graph/kinds.js';

interface Backend {
  service: string;
  port: { number?: number; name?: string };
  path: Path;
  portPath: Path;
}

function annotationsOf(o: K8sObject): Record<string, unknown> {
  return isRecord(o.body.metadata) && isRecord(o.body.metadata.annotations) ? o.body.metadata.annotations : {};
}

/** Backends of an Ingress, in networking.k8s.io/v1 and the older v1beta1 shape. */
function backends(o: K8sObject): Backend[] {
  const out: Backend[] = [];
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const add = (b: unknown, path: Path) => {
    if (!isRecord(b)) return;
    // A Service name the API server refuses in an Ingress (not a DNS label) is schema-invalid's finding: the Ingress never exists.
    if (isRecord(b.service) && typeof b.service.name === 'string' && o.apiVersion === 'networking.k8s.io/v1' && dns1123LabelProblems(b.service.name).length) return;
    if (isRecord(b.service) && typeof b.service.name === 'string') {
      const p = isRecord(b.service.port) ? b.service.port : {};
      out.push({
        service: b.service.name,
        port: typeof p.number === 'number' ? { number: p.number } : typeof p.name === 'string' ? { name: p.name } : {},
        path: [...path, 'service', 'name'],
        portPath: [...path, 'service', 'port', typeof p.number === 'number' ? 'number' : 'name'],
      });
    } else if (typeof b.serviceName === 'string') {
      const sp = b.servicePort;
      out.push({
        service: b.serviceName,
        port: typeof sp === 'number' ? { number: sp } : typeof sp === 'string' ? (/^\d+$/.test(sp) ? { number: Number(sp) } : { name: sp }) : {},
        path: [...path, 'serviceName'],
        portPath: [...path, 'servicePort'],
      });
    }
  };
  // ingress-nginx: a Service of the Ingress's namespace that answers when a backend has no endpoints.
  const fallback = annotationsOf(o)['nginx.ingress.kubernetes.io/default-backend'];
  if (typeof fallback === 'string' && fallback !== '' && dns1123LabelProblems(fallback).length === 0) {
    const at = ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/default-backend'];
    out.push({ service: fallback, port: {}, path: at, portPath: at });
  }
  add(spec.defaultBackend, ['spec', 'defaultBackend']);
  add(spec.backend, ['spec', 'backend']);
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r, i) => {
    const paths = isRecord(r) && isRecord(r.http) && Array.isArray(r.http.paths) ? r.http.paths : [];
    paths.forEach((p, j) => add(isRecord(p) ? p.backend : undefined, ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
  });
  return out;
}

/**
 * Ingresses whose AWS Load Balancer Controller actions an Argo Rollout writes: a canary with
 * `trafficRouting.alb` sets `alb.ingress.kubernetes.io/actions.<rootService or stableService>`
 * on its `ingress` (or `ingresses`) at run time.
 */
function rolloutAlbIngresses(ctx: RuleContext): Set<string> {
  let found = rolloutAlbCache.get(ctx.graph);
  if (found) return found;
  found = new Set();
  for (const r of ctx.graph.objects) {
    if (r.kind !== 'Rollout' || !/^argoproj\.io\//.test(r.apiVersion)) continue;
    const alb = getIn(r.body, ['spec', 'strategy', 'canary', 'trafficRouting', 'alb']);
    if (!isRecord(alb)) continue;
    for (const name of [alb.ingress, ...(Array.isArray(alb.ingresses) ? alb.ingresses : [])]) if (typeof name === 'string') found.add(`${r.namespace}/${name}`);
  }
  rolloutAlbCache.set(ctx.graph, found);
  return found;
}

const rolloutAlbCache = new WeakMap<RuleContext['graph'], Set<string>>();

function check(ctx: RuleContext, o: K8sObject, list: Backend[]): void {
  for (const b of list) {
    // `use-annotation` names an AWS Load Balancer Controller action, not a Service port: the
    // backend's name is the action's, from `alb.ingress.kubernetes.io/actions.<name>`.
    if (b.port.name === 'use-annotation') {
      if (annotationsOf(o)[`alb.ingress.kubernetes.io/actions.${b.service}`] !== undefined || rolloutAlbIngresses(ctx).has(`${o.namespace}/${o.name}`)) continue;
      const other = ingressController(ctx, o) === 'alb' ? '' : `; another controller looks for a Service ${code(b.service)} instead`;
      ctx.report({
        object: o, path: b.portPath, messageId: 'actionMissing', severity: 'warning', data: { name: code(b.service), annotation: code(`alb.ingress.kubernetes.io/actions.${b.service}`), other },
        remediation: `Define the action in the annotation \`alb.ingress.kubernetes.io/actions.${b.service}\` (a redirect: \`{"type":"redirect","redirectConfig":{"protocol":"HTTPS","port":"443","statusCode":"HTTP_301"}}\`), or remove the path.`,
      });
      continue;
    }
    const svc = ctx.graph.service(o.namespace, b.service);
    if (!svc) {
      // A Service an operator of the run creates, on the ports its resource gives it.
      const made = createdServicePorts(ctx.graph.objects, o.namespace, b.service);
      if (made && b.port.number !== undefined && !made.ports.includes(b.port.number)) {
        ctx.report({ object: o, path: b.portPath, messageId: 'createdPort', data: { service: code(b.service), port: String(b.port.number), by: made.by, source: `${made.source.kind} ${made.source.namespace}/${made.source.name}`, ports: `${made.ports.length === 1 ? 'port' : 'ports'} ${made.ports.map((n) => code(n)).join(', ')}` }, related: [{ object: made.source, path: ['spec'], message: `${made.source.kind} ${made.source.namespace}/${made.source.name}` }] });
        continue;
      }
      const near = nearestService(ctx.graph, o.namespace, b.service, o);
      const renamed = renamedInBuild(ctx.graph, o, o.namespace, b.service);
      if (renamed) {
        ctx.report({ object: o, path: b.path, messageId: 'noService', data: { service: code(b.service), namespace: code(o.namespace), hint: renamedText(renamed, b.service) }, related: [{ object: renamed.object, path: ['metadata', 'name'], message: `Service ${renamed.object.namespace}/${renamed.object.name}, written as ${b.service}` }] });
        continue;
      }
      const own = near ? undefined : ownRelease(o, b.service);
      ctx.report({
        object: o,
        path: b.path,
        messageId: 'noService',
        // A Service named with the chart's own release prefix, which the chart's render does not hold: a warning.
        ...(own ? { severity: 'warning' as const } : {}),
        absent: { what: `Service ${code(b.service)} in namespace ${code(o.namespace)}`, namespace: o.namespace, service: b.service, nearMiss: own !== undefined || (near !== undefined && isStrongTypo(b.service, near)) || sameNameElsewhere(ctx.graph, b.service, o.namespace, o).length > 0 },
        data: { service: code(b.service), namespace: code(o.namespace), hint: unplacedHint(ctx.graph, b.service, o.namespace, o) ?? (near ? `; did you mean ${code(near)}?` : own ? `; it is named for this Ingress's own Helm release ${code(own)}, whose chart renders no such Service (a template turned off by a value, or a name built otherwise, as with \`nameOverride\`)` : '') },
      });
      continue;
    }
    if (svc.type === 'ExternalName') plainToTls(ctx, o, b, svc);
    if (svc.ports.length > 0 && exposes(svc, b.port)) {
      tlsToPlain(ctx, o, b, svc);
      grpcAsHttp(ctx, o, b, svc);
      plainToTlsPod(ctx, o, b, svc);
      traefikTlsToPlain(ctx, o, b, svc);
      continue;
    }
    if (svc.ports.length === 0) continue;
    // ingress-nginx finds the Service port by its number, its targetPort as written, or its name
    // (`serviceEndpoints`), and sends to an ExternalName's host on any number: a backend that
    // names the targetPort works there, unless service-upstream sends to the ClusterIP.
    const controller = ingressController(ctx, o);
    const nginx = nginxMatches(svc, b.port) && annotationsOf(o)['nginx.ingress.kubernetes.io/service-upstream'] !== 'true';
    if (nginx && controller === 'nginx') continue;
    ctx.report({
      object: o,
      path: b.portPath,
      messageId: 'noPort',
      // Only where the class's controller is not known: an IngressClass of the run that names another controller decides it.
      ...(nginx && controller === undefined ? { severity: 'warning' as const } : {}),
      data: { service: code(b.service), port: code(b.port.number ?? b.port.name ?? ''), kind: b.port.number !== undefined ? 'number' : 'name', ports: servicePortsText(svc), hint: targetPortHint(svc, b.port.number) + (!nginx ? '' : controller === undefined
        ? `; ingress-nginx also matches ${svc.type === 'ExternalName' ? 'any port number of an ExternalName Service' : 'a backend port against targetPorts'}, so it works there, but other controllers (and the Gateway API) match Service ports only, and this Ingress's class is not known to be ingress-nginx's`
        : `; ingress-nginx would also match ${svc.type === 'ExternalName' ? 'any port number of an ExternalName Service' : 'it against targetPorts'}, but this Ingress's IngressClass names another controller, which matches Service ports only`) },
      related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${o.namespace}/${b.service}` }],
    });
  }
}

/**
 * ingress-nginx's `backend-protocol: HTTPS` (or `GRPCS`) makes it open TLS to the pods. Where
 * every pod behind the port runs a well-known image that serves plain HTTP there as it is (no
 * command, no configuration mounted, nothing that reconfigures it), the handshake fails: 502
 * ("SSL_do_handshake() failed … wrong version number").
 */
function tlsToPlain(ctx: RuleContext, o: K8sObject, b: Backend, svc: ServiceNode): void {
  const protocol = annotationsOf(o)['nginx.ingress.kubernetes.io/backend-protocol'];
  if (typeof protocol !== 'string' || !/^(HTTPS|GRPCS)$/i.test(protocol.trim())) return;
  const sp = svc.ports.find((p) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
  if (!sp || sp.resolutions.length === 0) return;
  const plain: { image: string; port: number }[] = [];
  for (const r of sp.resolutions) {
    const c = r.container;
    if (!c || r.targetPort === undefined) return;
    const raw = getIn(r.template.owner.body, c.path);
    const image = isRecord(raw) ? plainHttpImage(raw, r.targetPort) : undefined;
    if (!image) return;
    plain.push({ image, port: r.targetPort });
  }
  ctx.report({
    object: o,
    path: ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/backend-protocol'],
    messageId: 'tlsToPlain',
    // What an image serves as it is is the image's convention, not the manifest's word: a warning.
    severity: 'warning',
    data: { protocol: code(protocol), service: code(b.service), image: code(plain[0]!.image), port: String(plain[0]!.port) },
    related: [{ object: svc.object, path: sp.path, message: `port of Service ${svc.object.namespace}/${svc.object.name}` }],
  });
}

/**
 * ingress-nginx speaks plain HTTP to a backend unless `backend-protocol` says HTTPS (or GRPCS). An
 * ExternalName backend on port 443 (or a port named `https`, or of `appProtocol: https`) is an
 * HTTPS site outside the cluster: it answers 400 ("The plain HTTP request was sent to HTTPS port").
 */
function plainToTls(ctx: RuleContext, o: K8sObject, b: Backend, svc: ServiceNode): void {
  const protocol = annotationsOf(o)['nginx.ingress.kubernetes.io/backend-protocol'];
  if (protocol !== undefined && !(typeof protocol === 'string' && /^\s*(HTTP|AUTO_HTTP)\s*$/i.test(protocol))) return;
  if (ingressController(ctx, o) !== 'nginx') return;
  const sp = svc.ports.find((p) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
  const raw = sp ? getIn(svc.object.body, sp.path) : undefined;
  const appProtocol = isRecord(raw) && typeof raw.appProtocol === 'string' ? raw.appProtocol.toLowerCase() : undefined;
  const number = b.port.number ?? sp?.port;
  const tls = number === 443 || (appProtocol === undefined ? sp?.name === 'https' : appProtocol === 'https');
  if (!tls) return;
  ctx.report({
    object: o,
    path: b.portPath,
    messageId: 'plainToTls',
    // Port 443 of a site outside the cluster is HTTPS by convention, not by the manifest's word: a warning.
    severity: 'warning',
    data: { service: code(b.service), host: code(svc.externalName ?? ''), port: code(b.port.number !== undefined ? String(b.port.number) : b.port.name ?? ''), how: protocol === undefined ? 'without a `nginx.ingress.kubernetes.io/backend-protocol` annotation' : `with \`backend-protocol: ${String(protocol).trim()}\`` },
    related: [{ object: svc.object, path: ['spec', 'externalName'], message: `ExternalName Service ${svc.object.namespace}/${svc.object.name}` }],
    remediation: 'Set `nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"`, and `upstream-vhost` and `proxy-ssl-name` (with `proxy-ssl-server-name: "on"`) to the external host, so that it gets its own name as Host and SNI.',
  });
}

/**
 * ingress-nginx speaks plain HTTP to the pods unless `backend-protocol` says HTTPS (or GRPCS).
 * Where the Service port says it is HTTPS (`appProtocol: https`), or every pod behind it probes
 * that port with `scheme: HTTPS` (the kubelet's own proof that the server speaks TLS there), the
 * server answers 400 ("The plain HTTP request was sent to HTTPS port") or drops the connection.
 */
function plainToTlsPod(ctx: RuleContext, o: K8sObject, b: Backend, svc: ServiceNode): void {
  const protocol = annotationsOf(o)['nginx.ingress.kubernetes.io/backend-protocol'];
  if (protocol !== undefined && !(typeof protocol === 'string' && /^\s*(HTTP|AUTO_HTTP)\s*$/i.test(protocol))) return;
  if (ingressController(ctx, o) !== 'nginx' || svc.type === 'ExternalName') return;
  const sp = svc.ports.find((p) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
  if (!sp) return;
  const raw = getIn(svc.object.body, sp.path);
  const appProtocol = isRecord(raw) && typeof raw.appProtocol === 'string' ? raw.appProtocol.trim().toLowerCase() : undefined;
  let evidence: string | undefined = appProtocol === 'https' ? 'its `appProtocol: https`' : undefined;
  if (!evidence && appProtocol === undefined && probedScheme(sp) === 'HTTPS') evidence = `the pods behind it, whose probes ask that port over HTTPS (\`scheme: HTTPS\`)`;
  if (!evidence) return;
  ctx.report({
    object: o,
    path: b.portPath,
    messageId: 'plainToTlsPods',
    severity: 'warning',
    data: { service: code(b.service), port: code(sp.name ?? String(sp.port)), evidence, how: protocol === undefined ? 'without a `nginx.ingress.kubernetes.io/backend-protocol` annotation' : `with \`backend-protocol: ${String(protocol).trim()}\`` },
    related: [{ object: svc.object, path: sp.path, message: `port of Service ${svc.object.namespace}/${svc.object.name}` }],
  });
}

/**
 * Traefik's Kubernetes Ingress provider speaks HTTPS to a Service port numbered 443 or named
 * `https…`, unless the Service's `traefik.ingress.kubernetes.io/service.serversscheme` says
 * otherwise. Where every pod behind that port probes it over plain HTTP, the TLS handshake meets
 * an HTTP server: Traefik answers 500 (`tls: first record does not look like a TLS handshake`).
 */
function traefikTlsToPlain(ctx: RuleContext, o: K8sObject, b: Backend, svc: ServiceNode): void {
  if (svc.type === 'ExternalName' || ingressClassOf(ctx, o) !== 'traefik') return;
  if (annotationsOf(svc.object)['traefik.ingress.kubernetes.io/service.serversscheme'] !== undefined) return;
  const sp = svc.ports.find((p) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
  if (!sp || traefikScheme(sp) !== 'https' || probedScheme(sp) !== 'HTTP') return;
  ctx.report({
    object: o,
    path: b.portPath,
    messageId: 'traefikTlsToPlain',
    // A port's name and the probes' scheme are strong evidence, yet a server may answer both on one port: a warning, as for ingress-nginx's plain HTTP to an HTTPS-probed port.
    severity: 'warning',
    data: { service: code(b.service), port: code(sp.name ?? String(sp.port)), why: sp.port === 443 ? 'is port 443' : `is named ${code(sp.name ?? '')}` },
    related: [{ object: svc.object, path: sp.path, message: `port of Service ${svc.object.namespace}/${svc.object.name}` }],
    remediation: 'Name the Service port `http` (and use a number other than 443), or set `traefik.ingress.kubernetes.io/service.serversscheme: http` on the Service; or serve TLS in the pods.',
  });
}

/** `traefik` when an Ingress's class is Traefik's: an IngressClass of controller `traefik.io/ingress-controller`, or the class name `traefik` without one. */
function ingressClassOf(ctx: RuleContext, o: K8sObject): 'traefik' | undefined {
  const cls = ingressClass(ctx, o);
  if (!cls) return undefined;
  return (cls.controller !== undefined ? cls.controller === 'traefik.io/ingress-controller' : cls.name === 'traefik') ? 'traefik' : undefined;
}

/**
 * ingress-nginx proxies HTTP/1.1 to a backend unless `backend-protocol` says otherwise (it
 * reads no `appProtocol`). A Service port that declares gRPC — `appProtocol: grpc`, or, without
 * an appProtocol, a name `grpc` or `grpc-…` (not gRPC-Web, which HTTP/1.1 carries) — gets
 * HTTP/1.1 requests that a gRPC server, which speaks HTTP/2 only, drops: the calls fail with 502.
 */
function grpcAsHttp(ctx: RuleContext, o: K8sObject, b: Backend, svc: ServiceNode): void {
  const protocol = annotationsOf(o)['nginx.ingress.kubernetes.io/backend-protocol'];
  if (protocol !== undefined && !(typeof protocol === 'string' && /^\s*HTTP\s*$/i.test(protocol))) return;
  if (ingressController(ctx, o) !== 'nginx') return;
  const sp = svc.ports.find((p) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
  if (!sp) return;
  const raw = getIn(svc.object.body, sp.path);
  const appProtocol = isRecord(raw) && typeof raw.appProtocol === 'string' ? raw.appProtocol.trim().toLowerCase() : undefined;
  const evidence = appProtocol !== undefined
    ? (appProtocol === 'grpc' ? 'whose `appProtocol: grpc`' : undefined)
    : sp.name !== undefined && /^grpc(-|$)/.test(sp.name) && !/^grpc-?web/.test(sp.name) ? 'whose name' : undefined;
  if (!evidence) return;
  ctx.report({
    object: o,
    path: b.portPath,
    messageId: 'grpcAsHttp',
    // A port's name or appProtocol is the manifest's word for what the server speaks, not proof of it: a warning.
    severity: 'warning',
    data: { service: code(b.service), port: code(sp.name ?? String(sp.port)), evidence, how: protocol === undefined ? 'without a `nginx.ingress.kubernetes.io/backend-protocol` annotation' : 'with `nginx.ingress.kubernetes.io/backend-protocol: HTTP`' },
    related: [{ object: svc.object, path: sp.path, message: `port of Service ${svc.object.namespace}/${svc.object.name}` }],
  });
}

/**
 * The Helm release an Ingress rendered from a chart belongs to (`app.kubernetes.io/instance`,
 * else `release`), when the backend's name is that release's own (`<release>-…`): the chart's
 * render then holds every Service the release makes.
 */
function ownRelease(o: K8sObject, service: string): string | undefined {
  if (o.origin?.file.rendered !== 'helm') return undefined;
  const labels = isRecord(o.body.metadata) && isRecord(o.body.metadata.labels) ? o.body.metadata.labels : {};
  const release = typeof labels['app.kubernetes.io/instance'] === 'string' ? labels['app.kubernetes.io/instance'] : typeof labels.release === 'string' ? labels.release : o.origin.file.release;
  return release && release !== '' && (service === release || service.startsWith(`${release}-`)) ? release : undefined;
}

/** Whether ingress-nginx finds a Service port for a backend port: its number, its targetPort as written, its name; any number for an ExternalName. */
function nginxMatches(svc: ServiceNode, port: { number?: number; name?: string }): boolean {
  const want = port.number !== undefined ? String(port.number) : port.name;
  if (want === undefined) return false;
  if (svc.type === 'ExternalName') return port.number !== undefined;
  return svc.ports.some((p) => String(p.port) === want || p.name === want || ('value' in p.target && String(p.target.value) === want));
}

/**
 * The controller an Ingress belongs to, as far as the run tells: its class (`ingressClassName`,
 * else the `kubernetes.io/ingress.class` annotation, else the run's default IngressClass), and
 * that class's `spec.controller`, or, without an IngressClass object, the well-known class names.
 */
function ingressController(ctx: RuleContext, o: K8sObject): 'nginx' | 'alb' | 'other' | undefined {
  const cls = ingressClass(ctx, o);
  if (!cls) return undefined;
  if (cls.controller !== undefined) return cls.controller === 'k8s.io/ingress-nginx' ? 'nginx' : cls.controller === ALB_CONTROLLER ? 'alb' : 'other';
  return cls.name === 'nginx' ? 'nginx' : cls.name === 'alb' ? 'alb' : undefined;
}

/** An Ingress's class name (`ingressClassName`, the annotation, else the run's default class) and that IngressClass's controller when the run holds it. */
function ingressClass(ctx: RuleContext, o: K8sObject): { name: string; controller?: string } | undefined {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const ann = annotationsOf(o);
  const { classes } = albObjects(ctx);
  let name = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : typeof ann['kubernetes.io/ingress.class'] === 'string' ? ann['kubernetes.io/ingress.class'] : undefined;
  if (name === undefined) name = [...classes.values()].find((c) => annotationsOf(c)['ingressclass.kubernetes.io/is-default-class'] === 'true')?.name;
  if (name === undefined) return undefined;
  const cls = classes.get(name);
  const controller = cls && isRecord(cls.body.spec) ? cls.body.spec.controller : undefined;
  return typeof controller === 'string' ? { name, controller } : { name };
}

const ALB = 'alb.ingress.kubernetes.io/';
const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

const albCache = new WeakMap<RuleContext['graph'], { classes: Map<string, K8sObject>; params: Map<string, K8sObject> }>();

/** The run's IngressClasses and the AWS Load Balancer Controller's IngressClassParams, by name, found once per run. */
function albObjects(ctx: RuleContext): { classes: Map<string, K8sObject>; params: Map<string, K8sObject> } {
  let found = albCache.get(ctx.graph);
  if (found) return found;
  found = { classes: new Map(), params: new Map() };
  for (const o of ctx.graph.objects) {
    if (o.kind === 'IngressClass' && /^networking\.k8s\.io\//.test(o.apiVersion) && !found.classes.has(o.name)) found.classes.set(o.name, o);
    if (o.kind === 'IngressClassParams' && /^elbv2\.k8s\.aws\//.test(o.apiVersion) && !found.params.has(o.name)) found.params.set(o.name, o);
  }
  albCache.set(ctx.graph, found);
  return found;
}

/**
 * The target type the AWS Load Balancer Controller gives an Ingress's backends, and how the
 * run knows it: `explicit` from a `target-type` annotation (the Service's over the Ingress's)
 * or the class's IngressClassParams, `default` when nothing in the run sets it (the
 * controller's `--default-target-type`, `instance` unless its installation says otherwise).
 * Undefined for Ingresses of other controllers, or when the class's parameters are not in the run.
 */
function albTargetType(ctx: RuleContext, o: K8sObject, svc: K8sObject): { type: string; how: 'explicit' | 'default'; path: Path; on: K8sObject } | undefined {
  const ann = annotationsOf(o);
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const className = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : typeof ann['kubernetes.io/ingress.class'] === 'string' ? ann['kubernetes.io/ingress.class'] : undefined;
  if (className === undefined) return undefined;
  const { classes, params: paramsByName } = albObjects(ctx);
  const cls = classes.get(className);
  const clsSpec = cls && isRecord(cls.body.spec) ? cls.body.spec : undefined;
  if (cls ? clsSpec?.controller !== ALB_CONTROLLER : className !== 'alb') return undefined;
  const fromSvc = annotationsOf(svc)[`${ALB}target-type`];
  const fromIng = ann[`${ALB}target-type`];
  let found: { type: string; how: 'explicit' | 'default'; path: Path; on: K8sObject } = typeof fromSvc === 'string'
    ? { type: fromSvc, how: 'explicit', path: ['metadata', 'annotations', `${ALB}target-type`], on: svc }
    : typeof fromIng === 'string'
      ? { type: fromIng, how: 'explicit', path: ['metadata', 'annotations', `${ALB}target-type`], on: o }
      : { type: 'instance', how: 'default', path: [], on: o };
  const params = clsSpec && isRecord(clsSpec.parameters) ? clsSpec.parameters : undefined;
  if (params) {
    if (params.kind !== 'IngressClassParams' || typeof params.name !== 'string') return undefined;
    const p = paramsByName.get(params.name);
    if (!p) return undefined;
    const t = isRecord(p.body.spec) ? p.body.spec.targetType : undefined;
    if (typeof t === 'string' && t !== '') found = { type: t, how: 'explicit', path: ['spec', 'targetType'], on: p };
  }
  return found;
}

/**
 * AWS Load Balancer Controller: instance targets are the nodes, reached on the Service's
 * nodePort; a ClusterIP Service has none, and the controller refuses to build the target
 * group ("TargetGroup port is empty. When using Instance targets, your service be must of
 * type 'NodePort' or 'LoadBalancer'"), so the whole load balancer is never reconciled.
 */
function checkAlbTargets(ctx: RuleContext, o: K8sObject, list: Backend[]): void {
  const seen = new Set<string>();
  for (const b of list) {
    if (b.port.name === 'use-annotation') continue;
    const svc = ctx.graph.service(o.namespace, b.service);
    if (!svc || seen.has(b.service)) continue;
    seen.add(b.service);
    // Every copy the run defines must lack a nodePort: one of NodePort type may be the one deployed.
    const copies = ctx.graph.serviceDefinitions(o.namespace, b.service);
    if (copies.some((c) => c.type !== 'ClusterIP')) continue;
    const t = albTargetType(ctx, o, svc.object);
    if (!t || t.type !== 'instance') continue;
    ctx.report({
      object: o,
      path: b.path,
      messageId: 'albInstance',
      ...(!sameTree(svc.object, o) ? { severity: 'info' as const } : t.how === 'default' ? { severity: 'warning' as const } : {}),
      data: { service: code(b.service), how: t.how === 'default' ? 'the controller\'s default target type `instance` (nothing in the run sets `alb.ingress.kubernetes.io/target-type`)' : `target type \`instance\`` },
      remediation: `Set \`alb.ingress.kubernetes.io/target-type: ip\` on the Ingress (the pods are registered directly), or make Service ${b.service} \`type: NodePort\`.`,
      related: [{ object: svc.object, path: isRecord(svc.object.body.spec) && svc.object.body.spec.type !== undefined ? ['spec', 'type'] : ['spec'], message: `Service ${o.namespace}/${b.service}, type ClusterIP` }, ...(t.how === 'explicit' ? [{ object: t.on, path: t.path, message: 'where the target type is set' }] : [])],
    });
  }
}

const AUTH = ['nginx.ingress.kubernetes.io/auth-url'];

/**
 * ingress-nginx external authentication: the controller calls `auth-url` for every request and
 * answers 500 when the call fails. A URL to `<svc>.<ns>.svc[.<domain>]` names a Service of the
 * cluster, whichever namespace the controller runs in; other hosts are not judged.
 */
function checkAuth(ctx: RuleContext, o: K8sObject): void {
  const annotations = annotationsOf(o);
  for (const key of AUTH) {
    const v = annotations[key];
    if (typeof v !== 'string') continue;
    const u = serviceUrl(v, ctx.graph.settings.clusterDomain);
    // With auth-keepalive at its default 0, ingress-nginx calls the URL through a variable
    // (`set $target …; proxy_pass $target;`), which nginx resolves with its own `resolver`: the
    // name as written, without the controller pod's search path. Only the full name resolves.
    const partial = /^https?:\/\/(?:[^@/\s]*@)?([a-z0-9-]+)\.([a-z0-9-]+)(\.svc)?(?::\d{1,5})?(?:[/?#]|$)/i.exec(v.trim());
    const keepalive = Number(annotations['nginx.ingress.kubernetes.io/auth-keepalive'] ?? '0');
    if (partial && !(keepalive > 0)) {
      const [name, ns] = [partial[1]!.toLowerCase(), partial[2]!.toLowerCase()];
      if (ctx.graph.service(ns, name)) {
        ctx.report({ object: o, path: ['metadata', 'annotations', key], messageId: 'authShortName', data: { url: code(v), fqdn: code(`${name}.${ns}.svc.${ctx.graph.settings.clusterDomain}`) } });
      }
      continue;
    }
    if (!u) continue;
    const { name, namespace: ns, port } = u;
    const at = ['metadata', 'annotations', key];
    const svc = ctx.graph.service(ns, name);
    if (!svc) {
      const near = nearestService(ctx.graph, ns, name, o);
      ctx.report({
        object: o,
        path: at,
        messageId: 'authNoService',
        absent: { what: `Service ${code(name)} in namespace ${code(ns)}`, namespace: ns, service: name, nearMiss: (near !== undefined && isStrongTypo(name, near)) || sameNameElsewhere(ctx.graph, name, ns, o).length > 0 },
        data: { url: code(v), service: code(name), namespace: code(ns), hint: unplacedHint(ctx.graph, name, ns, o) ?? (near ? `; did you mean ${code(near)}?` : '') },
      });
      continue;
    }
    if (svc.type === 'ExternalName' || svc.ports.length === 0 || svc.headless || exposes(svc, { number: port })) continue;
    ctx.report({
      object: o,
      path: at,
      messageId: 'authNoPort',
      data: { url: code(v), port: String(port), how: u.named ? '' : ` (the ${u.scheme} default: the URL names none)`, service: code(`${ns}/${name}`), ports: servicePortsText(svc) },
      related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${ns}/${name}` }],
    });
  }
}

/** The capture groups of a regular expression: `(` not escaped and not `(?…`, outside a character class. */
function captureGroups(re: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i]!;
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') inClass = true;
    else if (ch === '(' && re[i + 1] !== '?') n++;
  }
  return n;
}

/**
 * ingress-nginx's `rewrite-target` rewrites each path as a regular expression (`rewrite
 * "(?i)<path>" <target> break;`): a `$n` beyond the path's capture groups expands to nothing, so
 * every request under that path reaches the backend as the same URI (`/grafana/api/x` → `/`).
 */
function checkRewriteGroups(ctx: RuleContext, o: K8sObject): void {
  const target = annotationsOf(o)['nginx.ingress.kubernetes.io/rewrite-target'];
  if (typeof target !== 'string' || !/\$\d/.test(target)) return;
  if (ingressController(ctx, o) === 'other') return;
  const want = Math.max(...[...target.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
  const rules = getIn(o.body, ['spec', 'rules']);
  (Array.isArray(rules) ? rules : []).forEach((r, i) => {
    const paths = getIn(r, ['http', 'paths']);
    (Array.isArray(paths) ? paths : []).forEach((p, j) => {
      const path = getIn(p, ['path']);
      if (typeof path !== 'string' || path === '') return;
      const groups = captureGroups(path);
      if (groups >= want) return;
      ctx.report({ object: o, path: ['spec', 'rules', i, 'http', 'paths', j, 'path'], messageId: 'rewriteGroups', severity: 'warning', data: { target: code(target), path: code(path), n: `$${want}`, groups: groups === 0 ? 'no capture group' : `${groups} capture group${groups === 1 ? '' : 's'}` } });
    });
  });
}

/**
 * ingress-nginx 1.12 and later validate path types strictly (`strict-validate-path-type`, on by
 * default): a path of type `Prefix` or `Exact` must match `^/[[:alnum:]._\-/]*$` (the inspector's
 * validPathType), so a regular expression (`/api(/|$)(.*)`) needs `ImplementationSpecific`; its
 * admission webhook denies the Ingress ("ingress contains invalid paths"), and the controller
 * does not serve it.
 */
function checkStrictPathType(ctx: RuleContext, o: K8sObject): void {
  if (ingressController(ctx, o) !== 'nginx') return;
  const install = nginxInstall(ctx);
  if (!install || install.open) return;
  const image = install.image;
  const v = /:v?(\d+)\.(\d+)/.exec(image);
  if (!v || Number(v[1]) < 1 || (Number(v[1]) === 1 && Number(v[2]) < 12)) return;
  // The controller's ConfigMap (`--configmap=<namespace>/<name>`) may turn it off.
  const arg = install.words.find((w) => w.startsWith('--configmap='))?.slice('--configmap='.length).replace('$(POD_NAMESPACE)', install.owner.namespace);
  if (arg !== undefined) {
    const [ns, name] = arg.includes('/') ? arg.split('/') : [install.owner.namespace, arg];
    const cm = objectNamed(ctx.graph, 'ConfigMap', ns!, name!);
    const value = cm ? getIn(cm.body, ['data', 'strict-validate-path-type']) : undefined;
    if (typeof value === 'string' && !/^\s*true\s*$/i.test(value)) return;
  }
  const rules = getIn(o.body, ['spec', 'rules']);
  (Array.isArray(rules) ? rules : []).forEach((r, i) => {
    const paths = getIn(r, ['http', 'paths']);
    (Array.isArray(paths) ? paths : []).forEach((p, j) => {
      const path = getIn(p, ['path']);
      const type = getIn(p, ['pathType']);
      if (typeof path !== 'string' || (type !== 'Prefix' && type !== 'Exact') || /^\/[A-Za-z0-9._\-/]*$/.test(path)) return;
      ctx.report({ object: o, path: ['spec', 'rules', i, 'http', 'paths', j, 'pathType'], messageId: 'strictPathType', data: { path: code(path), type: code(type), install: `${install.owner.kind} ${install.owner.namespace}/${install.owner.name}`, version: code(image.replace(/^.*:/, '')) }, related: [{ object: install.owner, path: ['spec'], message: `ingress-nginx ${install.owner.namespace}/${install.owner.name}` }] });
    });
  });
}

/**
 * ingress-nginx refuses snippet annotations (`configuration-snippet`, `server-snippet`,
 * `auth-snippet`… any key ending in `-snippet`) unless its ConfigMap sets
 * `allow-snippet-annotations: "true"` (off by default since 1.9.0), and from 1.12 on also unless
 * `annotations-risk-level` is `Critical` (snippets are of Critical risk; the default is `High`):
 * CheckIngress fails, so the admission webhook denies the Ingress ("Snippet directives are
 * disabled by the Ingress administrator"), and without the webhook the controller leaves it out.
 */
function checkSnippets(ctx: RuleContext, o: K8sObject): void {
  const ann = annotationsOf(o);
  const install0 = Object.keys(ann).some((k) => k.endsWith('-snippet')) ? nginxInstall(ctx) : undefined;
  if (!install0 || install0.open || ingressController(ctx, o) !== 'nginx') return;
  const install = install0;
  // Another annotation prefix than nginx.ingress.kubernetes.io.
  const prefixArg = install.words.find((w) => w.startsWith('--annotations-prefix='))?.slice('--annotations-prefix='.length) ?? (install.words.includes('--annotations-prefix') ? '' : 'nginx.ingress.kubernetes.io');
  if (prefixArg === '' || prefixArg.includes('$')) return;
  const snippets = Object.keys(ann).filter((k) => k.startsWith(`${prefixArg}/`) && k.endsWith('-snippet'));
  if (snippets.length === 0) return;
  const v = /:v?(\d+)\.(\d+)/.exec(install.image);
  if (!v) return;
  const major = Number(v[1]);
  const minor = Number(v[2]);
  if (major < 1 || (major === 1 && minor < 9)) return;
  const arg = install.words.find((w) => w.startsWith('--configmap='))?.slice('--configmap='.length).replace('$(POD_NAMESPACE)', install.owner.namespace);
  let data: Record<string, unknown> = {};
  if (arg !== undefined) {
    if (arg.includes('$')) return;
    const [ns, name] = arg.includes('/') ? arg.split('/') : [install.owner.namespace, arg];
    const cm = objectNamed(ctx.graph, 'ConfigMap', ns!, name!);
    // A ConfigMap the run does not hold may allow them.
    if (!cm) return;
    const d = getIn(cm.body, ['data']);
    data = isRecord(d) ? d : {};
  }
  const allowed = typeof data['allow-snippet-annotations'] === 'string' && /^\s*true\s*$/i.test(data['allow-snippet-annotations'] as string);
  const risk = typeof data['annotations-risk-level'] === 'string' ? (data['annotations-risk-level'] as string).trim() : 'High';
  const riskOk = major === 1 && minor < 12 ? true : risk === 'Critical';
  if (allowed && riskOk) return;
  const why = !allowed
    ? `its ConfigMap ${arg === undefined ? '(none: `--configmap` is not given)' : code(arg)} does not set \`allow-snippet-annotations: "true"\` (off by default since ingress-nginx 1.9)`
    : `its ConfigMap ${code(arg ?? '')} leaves \`annotations-risk-level\` at ${code(risk)}, and snippets are of Critical risk (refused below \`Critical\` since ingress-nginx 1.12)`;
  const webhook = install.words.some((w) => w.startsWith('--validating-webhook=') || w === '--validating-webhook');
  ctx.report({
    object: o,
    path: ['metadata', 'annotations', snippets[0]!],
    messageId: 'snippetDenied',
    ...(webhook ? {} : { severity: 'warning' as const }),
    data: { annotation: code(snippets[0]!), install: `${install.owner.kind} ${install.owner.namespace}/${install.owner.name}`, version: code(install.image.replace(/^.*:/, '')), why, effect: webhook ? 'its admission webhook denies the Ingress ("Snippet directives are disabled by the Ingress administrator"), so none of its rules is served' : 'it refuses the Ingress ("Snippet directives are disabled by the Ingress administrator") and serves none of its rules' },
    related: [{ object: install.owner, path: ['spec'], message: `ingress-nginx ${install.owner.namespace}/${install.owner.name}` }],
    remediation: allowed ? 'Set `annotations-risk-level: Critical` in the controller\'s ConfigMap (knowing what snippets allow), or drop the snippet.' : 'Set `allow-snippet-annotations: "true"` in the controller\'s ConfigMap (and, from 1.12 on, `annotations-risk-level: Critical`), knowing what snippets allow, or drop the snippet.',
  });
}

const nginxCache = new WeakMap<RuleContext['graph'], { owner: K8sObject; image: string; words: string[]; open: boolean } | null>();

/**
 * The run's only ingress-nginx controller (rule-kit's controllerInstall, by its image), with the
 * words of its command lines and environment; `open` where they may hold more than the run shows
 * (a whole word `$(VAR)`, an args file). Found once per run: every Ingress asks.
 */
function nginxInstall(ctx: RuleContext): { owner: K8sObject; image: string; words: string[]; open: boolean } | undefined {
  const cached = nginxCache.get(ctx.graph);
  if (cached !== undefined) return cached ?? undefined;
  const found = controllerInstall(ctx, /(^|\/)ingress-nginx\/controller(-chroot)?(:|@|$)/);
  const out = found ? { owner: found.owner, image: found.image, words: found.parts, open: found.parts.some((w) => /^\$\(|^@/.test(w)) } : null;
  nginxCache.set(ctx.graph, out);
  return out ?? undefined;
}

/** A boolean flag of ingress-nginx set true: `--enable-ssl-passthrough`, `--enable-ssl-passthrough=true`. */
const flagOn = (words: readonly string[], flag: string): boolean => words.some((w) => new RegExp(`^--?${flag}(=(true|1|t|TRUE|True))?$`).test(w));

/**
 * ingress-nginx options an Ingress relies on that its controller (the run's only one) was not
 * started with: `ssl-passthrough` needs `--enable-ssl-passthrough` (without it nginx terminates
 * the TLS and proxies plain HTTP); an Ingress without a class is served only with
 * `--watch-ingress-without-class` when no IngressClass is the default.
 */
function checkNginxOptions(ctx: RuleContext, o: K8sObject): void {
  const ann = annotationsOf(o);
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const passthrough = ann['nginx.ingress.kubernetes.io/ssl-passthrough'] === 'true';
  const classless = spec.ingressClassName === undefined && ann['kubernetes.io/ingress.class'] === undefined;
  if (!passthrough && !classless) return;
  const install = nginxInstall(ctx);
  if (!install || install.open) return;
  const where = `${install.owner.kind} ${install.owner.namespace}/${install.owner.name}`;
  const related = [{ object: install.owner, path: ['spec'], message: `ingress-nginx ${install.owner.namespace}/${install.owner.name}` }];
  if (passthrough && ingressController(ctx, o) === 'nginx' && !flagOn(install.words, 'enable-ssl-passthrough')) {
    ctx.report({ object: o, path: ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/ssl-passthrough'], messageId: 'passthroughOff', data: { install: where }, related });
  }
  if (classless && ingressController(ctx, o) === undefined && !flagOn(install.words, 'watch-ingress-without-class')) {
    // Another controller of the run (or outside it) may take Ingresses without a class.
    const others = ctx.graph.templates.some((t) => t.owner !== install.owner && t.containers.some((c) => /(^|\/)(traefik|contour|haproxy-ingress|kubernetes-ingress|kong|ingress-controller|nginx-ingress)(:|@|$)/.test(c.image ?? '')));
    if (!others) ctx.report({ object: o, path: ['spec'], messageId: 'noClass', severity: 'warning', data: { install: where }, related });
  }
}

const rule: Rule = {
  meta: {
    id: 'ingress-backend-unknown',
    description: 'An Ingress backend (or ingress-nginx default-backend or auth-url annotation) that names a Service missing from its namespace, or a port the Service does not expose, or a ClusterIP Service behind an AWS Load Balancer Controller Ingress with instance targets.',
    category: 'reference',
    severity: 'error',
    messages: {
      traefikTlsToPlain: 'this Ingress sends to port {{port}} of Service {{service}}, to which Traefik speaks HTTPS because the port {{why}}, but every pod behind it probes that port over plain HTTP: the TLS handshake meets an HTTP server, and Traefik answers 500 for this backend',
      plainToTlsPods: 'this Ingress sends to port {{port}} of Service {{service}}, which serves HTTPS by {{evidence}}, but {{how}} ingress-nginx speaks plain HTTP to it: the server answers 400 ("The plain HTTP request was sent to HTTPS port") or drops the connection, and the Ingress answers 502; set `nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"`',
      snippetDenied: 'annotation {{annotation}} is a snippet, which {{install}}, ingress-nginx {{version}}, refuses: {{why}}; {{effect}}',
      strictPathType: 'path {{path}} is a regular expression (or holds characters a plain path may not), but its pathType is {{type}}: {{install}}, ingress-nginx {{version}}, validates path types strictly (`strict-validate-path-type`, on by default since 1.12), so its admission webhook denies the Ingress ("ingress contains invalid paths") and the controller serves none of it; use `pathType: ImplementationSpecific`',
      rewriteGroups: 'this Ingress rewrites to {{target}}, but path {{path}} has {{groups}}: ingress-nginx uses the path as the rewrite\'s regular expression, {{n}} expands to nothing, and every request under the path reaches the backend as the same URI; write the path with the groups the target uses (`/grafana(/|$)(.*)` with `/$2`, `pathType: ImplementationSpecific`)',
      passthroughOff: 'this Ingress asks ingress-nginx for SSL passthrough, but {{install}}, the run\'s only ingress-nginx controller, is not started with `--enable-ssl-passthrough`: the annotation has no effect, nginx terminates the TLS itself and proxies plain HTTP to the backend, which a TLS-only server refuses (400, or a redirect loop); add `--enable-ssl-passthrough` to its args',
      noClass: 'this Ingress names no class (no `ingressClassName`, no `kubernetes.io/ingress.class`), no IngressClass of the run is the default (`ingressclass.kubernetes.io/is-default-class: "true"`), and {{install}}, the run\'s only ingress controller, is not started with `--watch-ingress-without-class`: it ignores the Ingress, which gets no address and serves nothing; set `ingressClassName`',
      plainToTls: 'this Ingress sends to port {{port}} of ExternalName Service {{service}} ({{host}}), an HTTPS port, but {{how}} ingress-nginx speaks plain HTTP to it, and the server answers 400 ("The plain HTTP request was sent to HTTPS port"); set `nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"`',
      grpcAsHttp: 'this Ingress sends to port {{port}} of Service {{service}}, {{evidence}} says it speaks gRPC; {{how}} ingress-nginx proxies HTTP/1.1 to it, which a gRPC server (HTTP/2 only) drops: the calls fail with 502; set `nginx.ingress.kubernetes.io/backend-protocol: "GRPC"` (`"GRPCS"` if the server speaks TLS), and give the Ingress TLS (ingress-nginx speaks HTTP/2, which gRPC clients need, on its TLS port only)',
      tlsToPlain: 'this Ingress tells ingress-nginx to speak {{protocol}} to Service {{service}}, whose pods run {{image}}, which serves plain HTTP on port {{port}} as it is: the TLS handshake fails and the Ingress answers 502 (`SSL_do_handshake() failed … wrong version number`); remove the annotation, or give the server a certificate and a TLS port',
      createdPort: 'this Ingress sends traffic to port {{port}} of Service {{service}}, which {{by}} creates for {{source}} with {{ports}} only: the controller finds no such port and answers 503',
      noService: 'this Ingress sends traffic to Service {{service}}, but there is no such Service in namespace {{namespace}} (an Ingress can only reach Services in its own namespace){{hint}}',
      noPort: 'this Ingress sends traffic to port {{kind}} {{port}} of Service {{service}}, which exposes {{ports}}{{hint}}',
      actionMissing: 'port name `use-annotation` makes backend {{name}} an AWS Load Balancer Controller action, but this Ingress has no {{annotation}} annotation to define it (nor does an Argo Rollout in the run manage its actions): the controller answers every request on this path with a fixed 503 "Backend action does not exist" (its default, `--tolerate-non-existent-backend-action`; with that flag off it does not reconcile the Ingress at all){{other}}',
      authNoService: 'auth-url {{url}} names Service {{service}} in namespace {{namespace}}, which does not exist{{hint}}; ingress-nginx cannot call it and answers every request with 500',
      albInstance: 'the AWS Load Balancer Controller registers the nodes of the cluster for Service {{service}} with {{how}}, and reaches them on the Service\'s nodePort, which a ClusterIP Service does not have: the controller fails to build the target group, and the load balancer is not updated',
      authShortName: 'auth-url {{url}} is not a full name: ingress-nginx calls it through a variable (auth-keepalive is 0), which nginx resolves with its own resolver, without the search path, so the name does not resolve and every request is answered 500; write {{fqdn}}',
      authNoPort: 'auth-url {{url}} calls port {{port}}{{how}} of Service {{service}}, which exposes {{ports}}; ingress-nginx cannot call it and answers every request with 500',
    },
    remediation: 'Name a Service in the Ingress\'s namespace and one of its ports (the Service port, not the container port).',
  },
  check(ctx) {
    for (const o of ctx.graph.objects) {
      if (o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion)) {
        const list = backends(o);
        check(ctx, o, list);
        checkAuth(ctx, o);
        checkAlbTargets(ctx, o, list);
        checkNginxOptions(ctx, o);
        checkRewriteGroups(ctx, o);
        checkStrictPathType(ctx, o);
        checkSnippets(ctx, o);
      }
    }
  },
};

export default rule;
