import { roleNamedServices } from '../../src/graph/dns.js';
import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { ServiceGraph, ServiceNode } from '../../src/types/graph.js';
import type { ReferenceEdge } from '../../src/types/reference.js';
import { references } from '../../src/graph/references.js';
import type { DnsResolution } from '../../src/types/reference.js';
import { fqdnOf, resolveHost } from '../../src/graph/dns.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { workloadKey } from '../../src/graph/index.js';
import { genuinelyClose, nearestService, sameNameElsewhere, servicePortsText, unplacedHint } from '../../src/engine/rule-kit.js';
import { code, editDistance, isStrongTypo, list } from '../../src/text.js';
import { renamedInBuild, where } from '../../src/engine/rule-kit.js';
import { movedFrom } from '../../src/graph/kustomize-names.js';
import { sameTree } from '../../src/graph/referrers.js';
import { createdService, createdServicePorts } from '../../src/graph/creators.js';
import { describe, refOf, type K8sObject, type Path } from '../../src/types/object.js';
import { objectNamed } from '../../src/graph/kinds.js';

function ignored(ignore: string[], host: string): boolean {
  const h = host.toLowerCase();
  return ignore.some((p) => {
    const q = p.toLowerCase();
    return q.startsWith('*.') ? h.endsWith(q.slice(1)) : h === q || h.startsWith(`${q}.`);
  });
}

const allowedCache = new WeakMap<ServiceNode, Set<number>>();

/**
 * Ports a client may use: the Service ports; for headless Services the pods' ports too.
 * A Service defined more than once in the run (variants, copies) allows what any copy does.
 */
function allowedPorts(graph: ServiceGraph, svc: ServiceNode): Set<number> {
  let out = allowedCache.get(svc);
  if (out) return out;
  allowedCache.set(svc, (out = new Set<number>()));
  // By namespace, not by name: a name like `api` is in every namespace of a large run.
  for (const s of graph.servicesIn(svc.object.namespace)) {
    if (s.object.name !== svc.object.name) continue;
    for (const p of s.ports) {
      if (p.port !== undefined) out.add(p.port);
      if (s.headless) for (const r of p.resolutions) if (r.targetPort !== undefined) out.add(r.targetPort);
    }
    // A headless Service's name answers with its pods' addresses: every port they declare is
    // reached as well (ZooKeeper's quorum ports beside a Service that lists only the client port).
    if (s.headless) for (const t of s.backends) for (const c of t.containers) for (const cp of c.ports) if (cp.containerPort !== undefined) out.add(cp.containerPort);
  }
  return out;
}

/**
 * A Service of the namespace one or two edits from a name (two only for names of 12 characters
 * and more): the evidence that makes a bare name a typo rather than a host outside the cluster.
 */
function typoOf(ctx: RuleContext, namespace: string, name: string): string | undefined {
  if (name.length < 4) return undefined;
  // Hosts repeat across a run (every copy of an application names the same ones): each is looked up once.
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
  // Two Services equally close say nothing about which one was meant.
  const found = near.length === 1 ? near[0]!.object.name : undefined;
  known.set(key, found);
  return found;
}

/**
 * The one Service of a namespace whose name is this name with one inner word more or less
 * (`release-zammad-minio` for `release-minio`, or the other way round), first and last words
 * kept: a chart's full name (`<release>-<chart>-<component>`) where its subchart names its
 * Service `<release>-<component>` (Helm's fullname drops the chart's name when the release
 * name holds it, so the two agree only for some release names). Only a Service of the same
 * folder tree or chart (its subcharts too) as `from` counts: two samples of a collection name
 * theirs apart.
 */
/** The chart folder a Helm-rendered object comes from (its templates' and subcharts' parent), or undefined. */
function chartOf(o: K8sObject): string | undefined {
  const f = o.origin?.file;
  return f?.rendered === 'helm' ? f.path.split(/[\\/](?:templates|charts)[\\/]/)[0] : undefined;
}

function fullNameOf(graph: ServiceGraph, namespace: string, name: string, from: K8sObject): string | undefined {
  const words = name.split('-');
  if (words.length < 2 || words.some((w) => w === '')) return undefined;
  const inner = (w: string) => /^[a-z][a-z0-9]{2,}$/.test(w) && !/^v\d+$/.test(w);
  const shorter = new Set(words.length >= 3 ? words.slice(1, -1).flatMap((w, i) => (inner(w) ? [[...words.slice(0, i + 1), ...words.slice(i + 2)].join('-')] : [])) : []);
  const found = graph.servicesIn(namespace).filter((s) => {
    const n = s.object.name;
    const other = n.split('-');
    // A name one inner word shorter, or one more: the name is the Service's with that word taken out.
    const named = shorter.has(n) || (other.length === words.length + 1 && other[0] === words[0] && other.at(-1) === words.at(-1) && other.slice(1, -1).some((w, i) => inner(w) && [...other.slice(0, i + 1), ...other.slice(i + 2)].join('-') === name));
    // Of the same chart or folder.
    return named && (sameTree(s.object, from) || (chartOf(s.object) !== undefined && chartOf(s.object) === chartOf(from)));
  });
  return found.length === 1 ? found[0]!.object.name : undefined;
}

const typoCache = new WeakMap<ServiceGraph, Map<string, string | undefined>>();

/** The port of the API server's Service `default/kubernetes`: kube-apiserver creates it with 443 (`https`) alone. */
const API_SERVER_SERVICE_PORT = 443;

/**
 * The API server's own Service, `kubernetes` in `default`, which every cluster has and the run
 * does not define: a connection to it on another port than 443 (6443 is the API server's port on
 * the control-plane nodes, not the Service's), or its bare name from another namespace (the
 * search path completes it to `kubernetes.<ns>.svc`, which does not exist). Reported, true.
 */
function apiServerService(ctx: RuleContext, edge: ReferenceEdge, base: { object: K8sObject; path: Path; text: string }, data: Record<string, string>): boolean {
  const site = edge.site;
  const domain = ctx.graph.settings.clusterDomain;
  const name = edge.host.toLowerCase().replace(/\.$/, '');
  const forms = ['kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`];
  const bare = name === 'kubernetes' && !edge.text.endsWith('.') && !edge.endpoints;
  if (!forms.includes(name) && !bare) return false;
  if (ctx.graph.service('default', 'kubernetes')) return false;
  if (bare) {
    if (site.namespace === 'default' || !edge.position || ctx.graph.service(site.namespace, 'kubernetes')) return false;
    ctx.report({ ...base, messageId: 'apiServerShort', severity: 'warning', data: { ...data, from: code(site.namespace) } });
    return true;
  }
  const port = edge.port ?? edge.defaultPort;
  if (port === undefined || port === API_SERVER_SERVICE_PORT || edge.endpoints) return true;
  ctx.report({ ...base, messageId: 'apiServerPort', data: { ...data, port, hint: port === 6443 ? '; 6443 is the port the API server listens on at the control-plane nodes, which the Service forwards 443 to' : '' } });
  return true;
}

/**
 * An init container (not a sidecar) that waits for a Service whose only backends are its own
 * pods: init containers finish before the pod's containers start, so the pod is never ready,
 * never an endpoint, and the wait never ends. A connection (a port) waits for a serving
 * endpoint; a name lookup alone waits only where DNS answers for ready pods alone (a headless
 * Service that does not publish not-ready addresses).
 */
function waitsForItself(ctx: RuleContext, edge: ReferenceEdge, svc: ServiceNode): boolean {
  const { site } = edge;
  if (site.clients.length !== 1 || svc.mode !== 'selector' || svc.backends.length === 0) return false;
  const t = site.clients[0]!;
  const at = site.path.indexOf('initContainers');
  if (at < 0 || site.object !== t.owner) return false;
  const init = getIn(t.owner.body, site.path.slice(0, at + 2));
  if (init === undefined || getIn(init, ['restartPolicy']) === 'Always') return false;
  if (!svc.backends.every((b) => workloadKey(b) === workloadKey(t))) return false;
  const connects = edge.port !== undefined || edge.defaultPort !== undefined;
  if (!connects && !(svc.headless && !svc.publishNotReadyAddresses)) return false;
  const container = getIn(init, ['name']);
  ctx.report({
    object: site.object,
    path: site.path,
    text: edge.text,
    messageId: 'waitsForItself',
    data: { ref: code(edge.text), container: code(typeof container === 'string' ? container : 'init'), service: code(`${svc.object.namespace}/${svc.object.name}`), workload: where(t), how: connects ? 'nothing accepts the connection' : 'DNS has no record for it' },
    related: [{ object: svc.object, path: svc.selectorPath, message: `selector of Service ${svc.object.namespace}/${svc.object.name}` }],
  });
  return true;
}

/**
 * Whether `o` and the StatefulSet are parts of one application: the StatefulSet itself, or
 * objects whose `app.kubernetes.io/instance` and `app.kubernetes.io/name` labels (or `app`)
 * agree.
 */
function peers(ctx: RuleContext, o: K8sObject, namespace: string, statefulSet: string): boolean {
  if (o.kind === 'StatefulSet' && o.name === statefulSet && o.namespace === namespace) return true;
  const sts = objectNamed(ctx.graph, 'StatefulSet', namespace, statefulSet);
  if (!sts || o.namespace !== namespace) return false;
  const a = labelsOf(o);
  const b = labelsOf(sts);
  const same = (k: string) => typeof a[k] === 'string' && a[k] === b[k];
  return (same('app.kubernetes.io/instance') && same('app.kubernetes.io/name')) || same('app');
}

function labelsOf(o: K8sObject): Record<string, unknown> {
  const l = (o.body.metadata as { labels?: unknown } | undefined)?.labels;
  return typeof l === 'object' && l !== null ? (l as Record<string, unknown>) : {};
}

/** A container's command or args: where a program reads the value as one of its flags. */
const flagValue = (p: readonly (string | number)[]): boolean => p[p.length - 2] === 'command' || p[p.length - 2] === 'args';

/** The URL itself in a flag's text (`-tempo-push-url=http://distributor` → `http://distributor`). */
const urlIn = (text: string): string => /[a-z][a-z0-9+.-]*:\/\/\S*/i.exec(text)?.[0] ?? text;

/**
 * A target that the client resolves through the API (gRPC's `kubernetes:///svc.ns:port`,
 * sercand/kuberesolver): it lists the EndpointSlices of that Service by name and namespace and
 * dials each ready address at the port written, a port name's number, or the first port. No
 * DNS takes part, and the port is the pods', not the Service's.
 */
function checkEndpoints(ctx: RuleContext, edge: ReferenceEdge & { endpoints: NonNullable<ReferenceEdge['endpoints']> }): void {
  const { site } = edge;
  const r = edge.resolution;
  const base = { object: site.object, path: site.path, text: edge.text };
  const data = { ref: code(edge.text), where: site.where };
  if (r.kind === 'missing') {
    const near = nearestService(ctx.graph, r.namespace, r.name, site.object);
    const elsewhere = [...new Set(sameNameElsewhere(ctx.graph, r.name, r.namespace, site.object).map((s) => s.object.namespace))];
    const p = edge.endpoints.portName ?? edge.endpoints.port;
    const hint = unplacedHint(ctx.graph, r.name, r.namespace, site.object)
      ?? (elsewhere.length ? `; a Service ${code(r.name)} exists in ${list(elsewhere.map((n) => code(n)))}${r.form === 'short' ? `: name its namespace, ${code(`kubernetes:///${r.name}.${elsewhere[0]}${p !== undefined ? `:${p}` : ''}`)}` : ''}` : near ? `; did you mean ${code(near)}?` : '');
    ctx.report({
      ...base,
      messageId: 'endpointsMissing',
      severity: r.namespace === site.namespace ? undefined : 'warning',
      absent: { what: `Service ${code(r.name)} in namespace ${code(r.namespace)}`, namespace: r.namespace, service: r.name, nearMiss: (near !== undefined && isStrongTypo(r.name, near)) || elsewhere.length > 0 },
      data: { ...data, name: code(r.name), namespace: code(r.namespace), hint },
    });
    return;
  }
  if (r.kind !== 'service') return;
  const svc = r.service;
  const related = [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${svc.object.namespace}/${svc.object.name}` }];
  if (svc.type === 'ExternalName') {
    ctx.report({ ...base, messageId: 'endpointsExternalName', data: { ...data, name: code(svc.object.name), target: code(svc.externalName ?? '') }, related: [{ object: svc.object, path: ['spec', 'type'], message: 'type of the Service' }] });
    return;
  }
  // Without a selector the endpoints, and their ports, are whatever EndpointSlices someone writes.
  if (svc.ports.length === 0 || edge.servicePort || svc.mode !== 'selector') return;
  const { port, portName } = edge.endpoints;
  if (portName !== undefined) {
    const named = svc.ports.filter((p) => p.name !== undefined).map((p) => code(p.name!));
    ctx.report({ ...base, messageId: 'endpointsPortName', data: { ...data, port: code(portName), name: code(svc.object.name), known: named.length ? `ports named ${list(named, 4)}` : 'no named port' }, related });
    return;
  }
  if (port === undefined) return;
  // A named targetPort that no pod of the run resolves: where the pods listen is not known.
  if (svc.ports.some((p) => p.target.kind === 'name' && p.resolutions.length === 0)) return;
  const targets = [...new Set(svc.ports.flatMap((p) => (p.resolutions.length ? p.resolutions.map((x) => x.targetPort) : p.target.kind === 'number' ? [p.target.value] : [])))];
  const asService = svc.ports.find((p) => p.port === port);
  ctx.report({
    ...base,
    messageId: 'endpointsPort',
    data: {
      ...data,
      port,
      name: code(svc.object.name),
      targets: targets.length ? list(targets.map(String), 4) : 'no known port',
      hint: asService ? `; ${port} is the Service port, but this client skips the Service and dials the pods: write the targetPort, or the port's name${asService.name ? ` (${code(asService.name)})` : ''}` : '',
    },
    related,
  });
}

/**
 * For a ConfigMap or Secret no pod of the run reads: a pod elsewhere (another chart, a later
 * step) or an operator may read it, or nothing does. An error is a warning, and says so.
 */
function unreadContext(ctx: RuleContext, site: ReferenceEdge['site']): RuleContext {
  const o = site.object;
  let cached = unreadContexts.get(ctx)?.get(o);
  if (cached) return cached;
  const note = { object: o, path: ['metadata', 'name'], message: `no pod in the linted files reads ${o.kind} ${o.namespace}/${o.name} (env, envFrom or a volume): a warning until one does` };
  cached = {
    graph: ctx.graph,
    options: ctx.options,
    // A finding that rests on something absent is info anyway, and says why: the note is for the others.
    report: (r) => ctx.report(r.severity === undefined || r.severity === 'error' ? { ...r, severity: 'warning', ...(r.absent ? {} : { related: [...(r.related ?? []), note] }) } : r),
  };
  let byObject = unreadContexts.get(ctx);
  if (!byObject) unreadContexts.set(ctx, (byObject = new WeakMap()));
  byObject.set(o, cached);
  return cached;
}

/** Whether `port` is the nodePort of a NodePort or LoadBalancer Service that selects the pods of StatefulSet `set`. */
function nodePortOf(graph: ServiceGraph, namespace: string, set: string, port: number): boolean {
  return graph.servicesIn(namespace).some((s) => (s.type === 'NodePort' || s.type === 'LoadBalancer')
    && s.backends.some((t) => t.owner.kind === 'StatefulSet' && t.owner.name === set)
    && s.ports.some((p) => getIn(s.object.body, [...p.path, 'nodePort']) === port));
}

const unreadContexts = new WeakMap<RuleContext, WeakMap<object, RuleContext>>();

/**
 * A short name in a field an operator's pods dial from the resource's namespace, for a Service
 * that an operator of the run creates in one other namespace (Strimzi's `<cluster>-kafka-bootstrap`).
 */
const namespaceLists = new WeakMap<readonly K8sObject[], string[]>();

/** The namespaces of the run's objects, listed once per run. */
function namespacesOf(objects: readonly K8sObject[]): string[] {
  let out = namespaceLists.get(objects);
  if (!out) namespaceLists.set(objects, (out = [...new Set(objects.map((o) => o.namespace))]));
  return out;
}

function createdElsewhere(ctx: RuleContext, edge: ReferenceEdge): boolean {
  const r = edge.resolution;
  const host = edge.host.toLowerCase();
  if (!edge.site.podSide || host.includes('.') || (r.kind !== 'unknown' && r.kind !== 'missing')) return false;
  const objects = ctx.graph.objects;
  const ns = edge.site.namespace;
  if (createdService(objects, ns, host)) return false;
  const others = namespacesOf(objects).filter((n) => n !== ns && createdService(objects, n, host));
  if (others.length !== 1) return false;
  const creator = createdService(objects, others[0]!, host)!;
  const src = creator.source;
  if (!src) return false;
  const to = `${host}.${others[0]!}${edge.port !== undefined ? `:${edge.port}` : ''}`;
  ctx.report({
    object: edge.site.object,
    path: edge.site.path,
    text: edge.text,
    messageId: 'createdElsewhere',
    data: { ref: code(edge.text), where: edge.site.where, name: code(host), namespace: code(ns), there: code(others[0]!), by: creator.by, source: `${src.kind} ${src.namespace}/${src.name}`, to: code(to) },
    related: [{ object: src, path: ['metadata', 'name'], message: `${src.kind} ${src.namespace}/${src.name}` }],
  });
  return true;
}

/**
 * Where a key's readers start their program through a shell script and none names the key's
 * file on its command line: the words that start it (`/scripts/start-sentinel.sh`).
 */
function startedByScript(ctx: Parameters<Rule['check']>[0], site: ReferenceEdge['site']): string | undefined {
  if (!site.key || site.clients.length === 0) return undefined;
  const file = site.key.split('/').pop()!;
  let script: string | undefined;
  for (const t of site.clients) {
    for (const c of t.containers) {
      const raw = getIn(t.owner.body, c.path);
      if (!isRecord(raw)) continue;
      const words = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])].filter((w): w is string => typeof w === 'string');
      const shell = words.length > 0 && (/(^|\/)(ba|da|z)?sh$/.test(words[0]!) || /\.sh$/.test(words[0]!));
      if (!shell && words.some((w) => w.includes(file))) return undefined;
      if (shell) script ??= `container ${code(c.name)} of ${t.owner.kind} ${t.owner.namespace}/${t.owner.name} starts with ${code(words.slice(0, 2).join(' '))}`;
    }
  }
  return script;
}

function checkEdge(ctx: RuleContext, edge: ReferenceEdge): void {
  if (createdElsewhere(ctx, edge)) return;
  if (edge.endpoints) return checkEndpoints(ctx, edge as ReferenceEdge & { endpoints: NonNullable<ReferenceEdge['endpoints']> });
  const { site } = edge;
  const r = edge.resolution;
  const base = { object: site.object, path: site.path, text: edge.text };
  const data = { ref: code(edge.text), where: site.where };
  // A DNS label holds at most 63 octets (RFC 1035): no resolver looks such a name up, and no
  // Service can be named so. Often a chart's full name that the chart itself cut to 63 characters.
  // Only a label written as a name is (lowercase words joined by '-'): not a key or a hash.
  const long = edge.position ? edge.host.split('.').find((l) => l.length > 63 && /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(l)) : undefined;
  if (long) {
    const cut = ctx.graph.servicesIn(site.namespace).find((x) => x.object.name.length >= 40 && long.startsWith(x.object.name));
    ctx.report({ ...base, messageId: 'labelTooLong', data: { ...data, label: code(long.length > 20 ? `${long.slice(0, 20)}…` : long), length: long.length, hint: cut ? `; Service ${code(cut.object.name)} is this name cut to ${cut.object.name.length} characters, as charts cut their full names` : '' } });
    return;
  }
  // The program that reads the text looks names up its own way (config-files.ts).
  if (edge.lookup?.how === 'never') {
    // A DNS server of the pod's own (a dnsmasq sidecar) answers on loopback.
    const serves = edge.lookup.unlessPodServes;
    if (serves !== undefined && (site.clients.length === 0 || site.clients.some((t) => t.containers.some((c) => c.ports.some((p) => p.containerPort === serves)) || t.containers.some((c) => /dnsmasq|coredns|unbound|bind9|dnscrypt|pihole|adguard/i.test(c.image ?? ''))))) return;
    // A reader that starts the program through a script may rewrite the file first (Bitnami's
    // start-sentinel.sh copies sentinel.conf and adds `sentinel resolve-hostnames yes`).
    const script = startedByScript(ctx, site);
    ctx.report({ ...base, messageId: 'neverLooked', ...(script ? { severity: 'info' as const } : {}), data: { ...data, why: script ? `${edge.lookup.why.replace(/^(.*?):[^:]*$/s, '$1')}, if the program reads this file as it is: ${script}, which may rewrite it first` : edge.lookup.why } });
    return;
  }
  if (edge.lookup?.how === 'no-search' && (r.kind === 'service' || r.kind === 'pod')) {
    const full = fqdnOf(ctx.graph, r).replace(/\.$/, '');
    if (edge.host.toLowerCase().replace(/\.$/, '') !== full) {
      ctx.report({ ...base, messageId: 'noSearch', data: { ...data, why: edge.lookup.why, suggest: code(full) } });
      return;
    }
  }
  // `REDIS_HOST=redis:6379` beside `REDIS_PORT=6379`: the program joins the two (`redis:6379:6379`)
  // or hands the whole text to the resolver as a name; either way it reaches nothing.
  // Only a variable named for a host: an `*_ADDR` or `*_SERVER` is often read as an address.
  if (site.portFrom && /(?:^|[_.-])HOST(?:NAME)?$/i.test(site.key ?? '') && edge.port !== undefined && edge.portFrom === undefined && !edge.srv && edge.text === `${edge.host}:${edge.port}`
    && String(getIn(site.object.body, site.path) ?? '').trim() === edge.text) {
    ctx.report({ ...base, messageId: 'hostWithPort', severity: 'warning', data: { ...data, port: code(`${site.portFrom.name}=${site.portFrom.value}`), joined: code(`${edge.text}:${site.portFrom.value}`), host: code(edge.host) }, remediation: `Give the variable the host alone (\`${edge.host}\`) and the port in ${site.portFrom.name}.` });
  }
  switch (r.kind) {
    case 'missing': {
      if (r.namespace === site.namespace && renamedByKustomize(ctx, edge, r.name)) break;
      // A Service an operator of the run creates, with the ports its resource gives it.
      const made = createdServicePorts(ctx.graph.objects, r.namespace, r.name);
      const dialled = edge.port ?? edge.defaultPort;
      if (made && dialled !== undefined && !made.ports.includes(dialled)) {
        ctx.report({ ...base, messageId: 'createdPort', data: { ...data, port: String(dialled), name: code(r.name), by: made.by, source: `${made.source.kind} ${made.source.namespace}/${made.source.name}`, ports: `${made.ports.length === 1 ? 'port' : 'ports'} ${list(made.ports.map((n) => code(n)), 4)}`, how: edge.port === undefined ? ` (the default: ${code(edge.text)} names none)` : '' }, related: [{ object: made.source, path: ['spec'], message: `${made.source.kind} ${made.source.namespace}/${made.source.name}` }] });
        break;
      }
      const q = qualified(edge.host.toLowerCase(), ctx.graph.settings.clusterDomain);
      if (q && r.namespace !== site.namespace && q.name === r.name && q.namespace === r.namespace && movedByKustomize(ctx, edge, r.name, r.namespace, q.rest)) break;
      const near = nearestService(ctx.graph, r.namespace, r.name, site.object);
      // `<name>-primary`, `<name>-master`…: a chart that names its Services by role (Bitnami's replication mode).
      const roles = near ? [] : roleNamedServices(ctx.graph, r.namespace, r.name);
      // One inner word more or less than a Service of the same chart or folder tree (a full name written as Helm's fullname gives it).
      const full = near || roles.length ? undefined : fullNameOf(ctx.graph, r.namespace, r.name, site.object);
      const elsewhere = sameNameElsewhere(ctx.graph, r.name, r.namespace, site.object).map((s) => s.object.namespace);
      const here = edge.namespaced && r.namespace !== site.namespace ? ctx.graph.service(site.namespace, r.name) : undefined;
      // A `ns/name` flag may name a Service its controller creates (`--kubelet-service`): judged only
      // when the Service is in the pod's own namespace instead, the hard-coded-namespace mistake.
      if (edge.namespaced && !here) break;
      const podNs = site.expands?.defined.has('POD_NAMESPACE') ? '$(POD_NAMESPACE)' : site.namespace;
      const hint = unplacedHint(ctx.graph, r.name, r.namespace, site.object) ?? (here
        ? `; it is in the pod's own namespace ${code(site.namespace)}: write ${code(`${podNs}/${r.name}`)} (a chart that hard-codes one namespace and deploys into another)`
        : near ? `; did you mean ${code(near)}?`
          : full ? `; did you mean ${code(full)}? (one word ${full.length > r.name.length ? 'less' : 'more'} than it: a chart's full name, \`<release>-<chart>-…\`, and a subchart's, \`<release>-…\`, agree only for release names that hold the chart's name)`
          : roles.length ? `; namespace ${code(r.namespace)} has ${list(roles.map((n) => code(n)))}: charts name their Services by role or component (\`-primary\`, \`-master\`, \`-server\`, \`-gateway\`), and no Service ${code(r.name)} is there: did you mean ${code(roles[0]!)}?`
            : elsewhere.length ? `; a Service ${code(r.name)} exists in ${list(elsewhere.map((n) => code(n)))}` : '');
      // Another namespace is often infrastructure installed from elsewhere: a warning.
      ctx.report({
        ...base,
        messageId: 'missing',
        severity: r.namespace === site.namespace ? undefined : 'warning',
        absent: { what: `Service ${code(r.name)} in namespace ${code(r.namespace)}`, namespace: r.namespace, service: r.name, nearMiss: here !== undefined || (near !== undefined && isStrongTypo(r.name, near)) || full !== undefined || roles.length > 0 || elsewhere.length > 0 },
        data: { ...data, name: code(r.name), namespace: code(r.namespace), hint },
      });
      break;
    }
    case 'short-elsewhere':
      ctx.report({
        ...base,
        messageId: 'shortElsewhere',
        // Evidence only where a Service of that name is placed in another namespace near this file.
        ...(sameNameElsewhere(ctx.graph, r.name, site.namespace, site.object).length === 0 ? { absent: { what: `Service ${code(r.name)} in namespace ${code(site.namespace)}`, namespace: site.namespace, service: r.name } } : {}),
        ...(r.pod ? { messageId: 'shortElsewherePod' } : {}),
        data: { ...data, ...(r.pod ? { pod: code(`${r.pod}.${r.name}`) } : {}), name: code(r.name), from: code(site.namespace), namespaces: list(r.namespaces.map((n) => code(n))), suggest: code(`${r.pod ? `${r.pod}.` : ''}${r.name}.${r.namespaces[0]}`), hint: unplacedHint(ctx.graph, r.name, site.namespace, site.object) ?? '' } });
      break;
    case 'swapped':
      ctx.report({ ...base, messageId: 'swapped', data: { ...data, suggest: code(`${r.service.object.name}.${r.service.object.namespace}`) } });
      break;
    case 'wrong-domain': {
      // The cluster's domain is the kubelet's setting, not in the manifests: another domain is
      // proof of a mistake only when it is a slip of the one configured (`cluster.loca`,
      // `svc.cluster`) or when the run was told the domain (clusterDomain set to another value).
      const cd = ctx.graph.settings.clusterDomain;
      const proven = ctx.graph.settings.clusterDomainGiven === true || cd !== 'cluster.local' || isStrongTypo(r.domain, cd) || cd.startsWith(`${r.domain}.`) || cd.endsWith(`.${r.domain}`);
      ctx.report({
        ...base,
        messageId: proven ? 'wrongDomain' : 'otherDomain',
        severity: proven ? undefined : 'info',
        data: { ...data, suffix: code(`.svc.${r.domain}`), domain: code(r.domain), clusterDomain: code(cd) },
      });
      break;
    }
    case 'statefulset-pod': {
      // `<pod>:<nodePort>` of a Service that exposes those pods on the nodes: configuration for a
      // client outside the cluster, which maps the pod names to node addresses itself (Redpanda's rpk profile).
      if (edge.port !== undefined && nodePortOf(ctx.graph, r.namespace, r.statefulSet, edge.port)) break;
      const svc = r.serviceName ?? r.statefulSet;
      // Members of one cluster that list their peers' pod names with no port or scheme often
      // list node names, not addresses (Elasticsearch's initial master nodes are node names,
      // which the chart sets to the pod names): no proof that a name is dialled.
      const member = edge.port === undefined && edge.defaultPort === undefined && !edge.srv && edge.site.portFrom === undefined && peers(ctx, site.object, r.namespace, r.statefulSet);
      ctx.report({
        ...base,
        messageId: 'statefulSetPod',
        ...(member ? { severity: 'info' as const } : {}),
        data: { ...data, pod: code(r.pod), suggest: code(`${r.pod}.${svc}.${r.namespace}.svc.${ctx.graph.settings.clusterDomain}`), hint: member ? `; ${describe(refOf(site.object))} is a member of the same cluster and names it with no port: if this is a node name (a peer's identity, as Elasticsearch's initial master nodes are), not an address, it is fine` : '' },
      });
      break;
    }
    case 'pod-not-headless':
      ctx.report({
        ...base,
        messageId: 'podNotHeadless',
        // Two labels where the second names no namespace of the run: a namespace of that name elsewhere would read it otherwise.
        ...(r.maybeNamespace ? { severity: 'warning' as const } : {}),
        data: { ...data, host: code(r.host), service: code(r.service.object.name), hint: r.under ? `; the pod's name is under Service ${code(r.under.object.name)}: write ${code(`${r.host}.${r.under.object.name}.${r.under.object.namespace}.svc.${ctx.graph.settings.clusterDomain}`)}` : '' },
        ...(r.under ? { related: [{ object: r.under.object, path: ['metadata', 'name'], message: `Service ${r.under.object.namespace}/${r.under.object.name}, under which the pod has its name` }] } : {}),
      });
      break;
    case 'outside-zone': {
      const svc = r.service;
      ctx.report({ ...base, messageId: 'outsideZone', data: { ...data, domain: code(ctx.graph.settings.clusterDomain), hint: svc ? `: write ${code(`${svc.object.name}.${svc.object.namespace}.svc.${ctx.graph.settings.clusterDomain}`)}` : '' } });
      break;
    }
    case 'no-namespace': {
      const mine = r.services.find((s) => s.object.namespace === site.namespace) ?? r.services[0]!;
      ctx.report({ ...base, messageId: 'noNamespace', data: { ...data, suggest: code(`${r.name}.${mine.object.namespace}.svc.${ctx.graph.settings.clusterDomain}`) } });
      break;
    }
    case 'workload': {
      // A `namespace/name` flag names a Service the program looks up through the API (its own
      // Service, for `--publish-service`): one named like a workload and not in the run is
      // judged as a missing Service would be there (not at all).
      if (edge.namespaced) break;
      // A workload of another folder tree (another chart of a charts repository, rendered with the
      // same release name) may share the name by chance: the Service may come from elsewhere.
      const far = !sameTree(r.workload.owner, site.object);
      ctx.report({
        ...base,
        messageId: 'workload',
        ...(far ? { absent: { what: `Service ${code(r.workload.owner.name)} in namespace ${code(r.namespace)}`, namespace: r.namespace, service: r.workload.owner.name } } : {}),
        data: { ...data, name: code(r.workload.owner.name), workload: where(r.workload) },
        related: [{ object: r.workload.owner, path: ['metadata', 'name'], message: where(r.workload) }],
      });
      break;
    }
    case 'pod-record-not-ip':
      ctx.report({ ...base, messageId: 'podRecord', data: { ...data, label: code(r.label) } });
      break;
    case 'pod-records-off':
      ctx.report({ ...base, messageId: 'podRecordsOff', data: { ...data } });
      break;
    case 'statefulset-pod-invalid': {
      const [lo, hi] = r.range;
      const rel = [{ object: r.workload.owner, path: r.problem === 'service' ? ['spec', 'serviceName'] : (r.workload.replicas.mode === 'count' ? r.workload.replicas.path : undefined) ?? ['spec'], message: where(r.workload) }];
      if (r.problem === 'service') {
        ctx.report({ ...base, messageId: 'statefulSetService', data: { ...data, pod: code(r.pod), service: code(r.service.object.name), workload: where(r.workload), governing: r.serviceName ? `its serviceName ${code(r.serviceName)}` : 'no serviceName' }, related: rel });
      } else {
        ctx.report({ ...base, messageId: 'statefulSetOrdinal', data: { ...data, pod: code(r.pod), workload: where(r.workload), range: hi === undefined ? `${lo} and up` : hi > lo ? `${lo} to ${hi - 1}` : 'none (0 replicas)' }, related: rel });
      }
      break;
    }
    case 'pod-unknown':
      if (r.generated) {
        const t = r.generated;
        const subdomain = getIn(t.owner.body, [...t.path, 'spec', 'subdomain']);
        ctx.report({
          ...base,
          messageId: 'podGeneratedName',
          data: {
            ...data,
            workload: where(t),
            kind: t.owner.kind,
            service: code(r.service.object.name),
            why: subdomain === r.service.object.name ? `; its \`subdomain\` gives each pod that name in its own /etc/hosts only, not in DNS for the other pods${t.replicas.mode === 'per-node' ? '' : ` (${t.replicas.count} replicas)`}` : '',
          },
          related: [{ object: t.owner, path: [...t.path, 'metadata'], message: `pod template of ${where(t)}` }],
          remediation: 'Run the pods as a StatefulSet whose serviceName is the headless Service (each pod is then `<set>-<ordinal>.<service>`), or use the pod\'s IP from the downward API (`status.podIP`).',
        });
      } else if (r.noHostname) {
        const t = r.noHostname;
        ctx.report({ ...base, messageId: 'podNoHostname', data: { ...data, host: code(r.host), service: code(r.service.object.name), workload: where(t) }, related: [{ object: t.owner, path: [...t.path, 'spec', 'subdomain'], message: `subdomain of ${where(t)}` }] });
      } else ctx.report({ ...base, messageId: 'podUnknown', data: { ...data, host: code(r.host), service: code(r.service.object.name), known: r.known.length ? `found ${list(r.known.map((k) => code(k)), 4)}` : 'none has a hostname: an endpoint gets a name only from its pod\'s `hostname` with `subdomain` set to the Service\'s name, or its EndpointSlice\'s `hostname`' } });
      break;
    case 'absolute-partial':
      ctx.report({ ...base, messageId: 'absolute', data: { ...data, suggest: code(r.suggest) } });
      break;
    case 'pod-dns':
      podDns(ctx, edge, r);
      break;
    case 'builtin-node': {
      const t = r.client;
      const onPod = site.object === t.owner;
      const hostNetwork = getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true;
      const why = r.resolver.why === 'host-network' ? '`hostNetwork: true` with dnsPolicy `ClusterFirst` falls back to `Default`' : 'dnsPolicy `Default`';
      const fix = hostNetwork ? 'set `dnsPolicy: ClusterFirstWithHostNet`' : 'set `dnsPolicy: ClusterFirst` (or remove `dnsPolicy`)';
      const at = onPod ? base : { object: t.owner, path: r.resolver.path };
      const related = onPod ? [{ object: t.owner, path: r.resolver.path, message: `DNS settings of ${where(t)}` }] : [{ object: site.object, path: site.path, message: site.where }];
      ctx.report({ ...at, messageId: 'dnsNode', severity: r.full ? 'warning' : undefined, data: { ...data, workload: where(t), fqdn: code(r.fqdn), why, fix }, related });
      break;
    }
    case 'host-alias': {
      // /etc/hosts answers first: a name the pod maps itself is not looked up in DNS at all.
      const svc = r.shadows;
      if (!svc || svc.headless || svc.type === 'ExternalName') break;
      const listed = getIn(svc.object.body, ['spec', 'clusterIPs']);
      const ips = [svc.clusterIP, ...(Array.isArray(listed) ? listed : [])];
      if (ips.includes(r.ip)) break;
      ctx.report({
        ...base,
        messageId: 'aliasShadows',
        severity: 'warning',
        data: { ...data, host: code(edge.host), ip: code(r.ip), workload: where(r.client), service: code(`${svc.object.namespace}/${svc.object.name}`) },
        related: [{ object: r.client.owner, path: r.path, message: `hostAliases of ${where(r.client)}` }],
      });
      break;
    }
    case 'service':
    case 'pod': {
      const svc = r.service;
      // gRPC reads `dns://payments:50051` as the DNS server to ask (the authority) and an empty
      // endpoint: "missing address". The target is the path: `dns:///payments:50051`.
      if (/^dns:\/\/[^/\s]+\/?$/i.test(edge.text)) {
        ctx.report({ ...base, messageId: 'grpcDnsAuthority', data: { ...data, suggest: code(`dns:///${edge.text.slice(6).replace(/\/$/, '')}`) } });
        break;
      }
      if (waitsForItself(ctx, edge, svc)) break;
      if (r.kind === 'service' && r.form === 'link') break;
      if (svc.type === 'ExternalName') {
        tlsToAlias(ctx, edge, svc, base, data);
        aliasPort(ctx, edge, svc, base, data);
        break;
      }
      if (svc.ports.length === 0) break;
      if (edge.srv) {
        if (edge.servicePort) break;
        const named = svc.ports.filter((p) => p.name !== undefined).map((p) => `_${p.name}._${p.protocol.toLowerCase()}`);
        ctx.report({ ...base, messageId: 'srv', data: { ...data, srv: code(`_${edge.srv.port}._${edge.srv.protocol.toLowerCase()}`), name: code(svc.object.name), known: named.length ? list(named.map((n) => code(n)), 4) : 'none (SRV records exist only for named ports)' } });
        break;
      }
      // Datagrams (StatsD, Jaeger's agent) to a Service port of that number that forwards TCP only: kube-proxy forwards by protocol.
      if (edge.protocol === 'UDP' && !svc.headless) {
        const dialled = edge.port ?? edge.defaultPort;
        const same = ctx.graph.servicesIn(svc.object.namespace).filter((x) => x.object.name === svc.object.name).flatMap((x) => x.ports).filter((p) => p.port === dialled);
        if (dialled !== undefined && same.length > 0 && !same.some((p) => p.protocol === 'UDP')) {
          ctx.report({
            ...base,
            severity: 'warning',
            messageId: 'udpOverTcp',
            data: { ...data, clients: /JAEGER/i.test(site.key ?? '') ? 'Jaeger\'s clients (its agent protocol)' : 'StatsD clients', port: String(dialled), name: code(svc.object.name), how: edge.port === undefined ? `${edge.portFrom ? '' : ' (the clients\' default)'}` : '' },
            related: [{ object: svc.object, path: same[0]!.path, message: `port ${dialled} of Service ${svc.object.namespace}/${svc.object.name}` }],
            remediation: `Add a port to Service ${svc.object.name} with \`port: ${dialled}\` and \`protocol: UDP\` (a Service may hold the same number for TCP and UDP).`,
          });
          break;
        }
      }
      // Pods dialled directly (headless) listen where the application says; a scheme's port is a guess there.
      const port = edge.port ?? (svc.headless ? undefined : edge.defaultPort);
      if (port === undefined) break;
      const allowed = allowedPorts(ctx.graph, svc);
      if (allowed.has(port)) break;
      const target = svc.ports.find((p) => p.resolutions.some((x) => x.targetPort === port) || (p.target.kind === 'number' && p.target.value === port));
      // A program's flag that takes a bare `scheme://host` may add its own port to it
      // (tempo-vulture's `-tempo-push-url=http://distributor` dials the distributor's OTLP port):
      // the scheme's port is proven only where the URL is used as written.
      const base_ = edge.port === undefined && flagValue(site.path) && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(urlIn(edge.text));
      // A UDP client's default port (StatsD's 8125) is a convention of the clients, not the text's: a warning at most.
      const conventional = edge.port === undefined && edge.protocol === 'UDP';
      ctx.report({
        ...base,
        ...(base_ ? { severity: 'info' as const } : conventional ? { severity: 'warning' as const } : {}),
        messageId: edge.port === undefined ? 'defaultPort' : 'port',
        data: {
          ...data,
          port,
          name: code(svc.object.name),
          ports: servicePortsText(svc),
          hint: (edge.portFrom ? ` (the port is env ${code(edge.portFrom)}'s)` : '') + (target?.port !== undefined ? `; ${port} is the pods' port, clients connect to the Service port ${target.port}` : '') + (base_ ? '; the URL is a flag\'s value with no port or path: fine if the program adds its own port to it' : ''),
        },
        related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${svc.object.namespace}/${svc.object.name}` }],
      });
      break;
    }
    case 'unknown': {
      if (apiServerService(ctx, edge, base, data)) break;
      // A bare name in a host position, one edit from a Service of the pod's namespace: a typo the input proves.
      const name = edge.host.toLowerCase();
      const q = qualified(name, ctx.graph.settings.clusterDomain);
      if (q && !edge.text.endsWith('.') && movedByKustomize(ctx, edge, q.name, q.namespace, q.rest)) break;
      if (!edge.position || name.includes('.') || edge.text.endsWith('.') || name === 'localhost') break;
      const typo = typoOf(ctx, site.namespace, name);
      const near = typo ?? fullNameOf(ctx.graph, site.namespace, name, site.object);
      if (!near) {
        renamedByKustomize(ctx, edge, name);
        break;
      }
      if (ctx.graph.servicesNamed(name).length > 0) break;
      const why = typo ? '' : ` (one word ${near.length > name.length ? 'less' : 'more'} than it: a chart's full name, \`<release>-<chart>-…\`, and a subchart's, \`<release>-…\`, agree only for release names that hold the chart's name)`;
      ctx.report({ ...base, messageId: 'missing', data: { ...data, name: code(name), namespace: code(site.namespace), hint: `; did you mean ${code(near)}?${why}` } });
      break;
    }
    default:
      break;
  }
}

/**
 * A bare name that a Service of the same kustomize build had in its resource file before
 * `namePrefix` or `nameSuffix` renamed it: kustomize rewrites the references it knows
 * (selectors, volume sources, `serviceName`, Ingress backends), never a name inside a value.
 */
function renamedByKustomize(ctx: RuleContext, edge: ReferenceEdge, name: string): boolean {
  const { site } = edge;
  const svc = renamedInBuild(ctx.graph, site.object, site.namespace, name);
  if (!svc) return false;
  ctx.report({
    object: site.object,
    path: site.path,
    text: edge.text,
    messageId: 'renamed',
    data: { ref: code(edge.text), where: site.where, name: code(name), service: code(svc.object.name), namespace: code(site.namespace) },
    remediation: `Write the name the build gives the Service (${svc.object.name}), or let kustomize fill it in with a \`replacements\` entry from the Service's metadata.name.`,
    related: [{ object: svc.object, path: ['metadata', 'name'], message: `Service ${svc.object.namespace}/${svc.object.name}, written as ${name}` }],
  });
  return true;
}

/** `<svc>.<ns>`, `<svc>.<ns>.svc` or `<svc>.<ns>.svc.<domain>`: the Service, its namespace and what follows. */
function qualified(host: string, domain: string): { name: string; namespace: string; rest: string } | undefined {
  const labels = host.replace(/\.$/, '').split('.');
  if (labels.length < 2 || (labels.length > 2 && labels[2] !== 'svc')) return undefined;
  if (labels.length > 3 && labels.slice(3).join('.') !== domain.toLowerCase()) return undefined;
  return { name: labels[0]!, namespace: labels[1]!, rest: labels.slice(2).join('.') };
}

/**
 * A qualified name whose namespace a build's `namespace` moved the Service out of: kustomize
 * sets every object's namespace, never the namespace written inside a value. A warning: a
 * copy of the Service may be deployed there by another build.
 */
function movedByKustomize(ctx: RuleContext, edge: ReferenceEdge, name: string, from: string, rest: string): boolean {
  const { site } = edge;
  const file = site.object.origin?.file;
  if (file?.rendered !== 'kustomize' || from === site.namespace) return false;
  const svc = ctx.graph.service(site.namespace, name);
  if (!svc || svc.object.origin?.file !== file || !movedFrom(svc, from)) return false;
  const suggest = [name, site.namespace, ...(rest ? [rest] : [])].join('.');
  ctx.report({
    object: site.object,
    path: site.path,
    text: edge.text,
    messageId: 'moved',
    severity: 'warning',
    data: { ref: code(edge.text), where: site.where, name: code(name), from: code(from), to: code(site.namespace), suggest: code(suggest) },
    remediation: `Write ${suggest} (or the bare name ${name}, which resolves in the pod's own namespace), or let kustomize fill in the namespace with a \`replacements\` entry from the Service's metadata.namespace.`,
    related: [{ object: svc.object, path: ['metadata'], message: `Service ${svc.object.namespace}/${svc.object.name}, written ${from === 'default' ? 'without a namespace' : `in namespace ${from}`}` }],
  });
  return true;
}

/** A cluster name the reading pod's own DNS settings keep it from resolving: reported on that pod. */
/**
 * TLS to an ExternalName alias of a host outside the cluster: the client checks the server's
 * certificate against the name it dialled and sends that name as SNI (and as the HTTP Host):
 * the alias, which the external server's certificate and virtual hosts do not know (the
 * Kubernetes documentation's warning about ExternalName and HTTPS).
 */
function tlsToAlias(ctx: RuleContext, edge: ReferenceEdge, alias: ServiceNode, base: { object: K8sObject; path: Path; text: string }, data: { ref: string; where: string }): void {
  const target = alias.externalName?.replace(/\.$/, '');
  const scheme = /^(https|wss|grpcs|rediss|amqps|mqtts|ldaps|ftps):\/\//i.exec(urlIn(edge.text))?.[1];
  if (!target || !scheme || /^[\d.]+$|:/.test(target)) return;
  // An alias of another cluster name is judged by aliasPort; a certificate for the alias itself may be what the server has.
  const domain = ctx.graph.settings.clusterDomain;
  if (target === domain || target.endsWith(`.${domain}`) || target.endsWith('.svc') || !target.includes('.')) return;
  if (target.toLowerCase().startsWith(`${edge.host.toLowerCase()}.`)) return;
  ctx.report({
    ...base,
    severity: 'warning',
    messageId: 'tlsAlias',
    data: { ...data, scheme: code(scheme.toLowerCase()), host: code(edge.host), alias: code(`${alias.object.namespace}/${alias.object.name}`), target: code(target) },
    related: [{ object: alias.object, path: ['spec', 'externalName'], message: `ExternalName Service ${alias.object.namespace}/${alias.object.name}` }],
  });
}

/**
 * An ExternalName Service is a CNAME: its own ports are not used. Where its `externalName` is a
 * Service of the run (`pg.data.svc.cluster.local`), a client dials that Service's IP on the port
 * it names, which that Service must expose.
 */
function aliasPort(ctx: RuleContext, edge: ReferenceEdge, alias: ServiceNode, base: { object: K8sObject; path: Path; text: string }, data: { ref: string; where: string }): void {
  const target = alias.externalName;
  if (typeof target !== 'string' || target === '' || edge.srv) return;
  const r = resolveHost(ctx.graph, `${target.replace(/\.$/, '')}.`, alias.object.namespace);
  if (r.kind !== 'service') return;
  const svc = r.service;
  if (svc === alias || svc.type === 'ExternalName' || svc.headless || svc.ports.length === 0) return;
  const port = edge.port ?? edge.defaultPort;
  if (port === undefined || allowedPorts(ctx.graph, svc).has(port)) return;
  ctx.report({
    ...base,
    messageId: 'aliasPort',
    data: { ...data, port: String(port), alias: code(`${alias.object.namespace}/${alias.object.name}`), target: code(`${svc.object.namespace}/${svc.object.name}`), ports: servicePortsText(svc) },
    related: [{ object: alias.object, path: ['spec', 'externalName'], message: `ExternalName Service ${alias.object.namespace}/${alias.object.name}` }, { object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${svc.object.namespace}/${svc.object.name}` }],
  });
}

function podDns(ctx: RuleContext, edge: ReferenceEdge, r: DnsResolution & { kind: 'pod-dns' }): void {
  const { site } = edge;
  const t = r.client;
  const res = r.resolver;
  const onPod = site.object === t.owner;
  const data = { ref: code(edge.text), where: site.where, workload: where(t), fqdn: code(fqdnOf(ctx.graph, r.target)) };
  if (r.problem === 'musl-search-line' && res.kind !== 'node' && res.musl?.searchLine) {
    const sl = res.musl.searchLine;
    const at = onPod ? { object: site.object, path: site.path, text: edge.text } : { object: t.owner, path: sl.path };
    const related = onPod ? [{ object: t.owner, path: sl.path, message: `DNS settings of ${where(t)}` }] : [{ object: site.object, path: site.path, message: site.where }];
    ctx.report({ ...at, messageId: 'dnsMuslSearchLine', severity: 'warning', data: { ...data, image: code(res.musl.image), length: String(sl.length) }, related });
    return;
  }
  if (r.problem === 'musl-ndots' && res.kind !== 'node' && res.musl) {
    const m = res.musl;
    const defaulted = res.kind === 'none' && m.path.at(-1) === 'dnsPolicy';
    const how = defaulted ? '`dnsPolicy: None` without an `ndots` option (the resolver\'s default 1)' : `\`ndots: ${m.ndots}\``;
    const fix = defaulted ? 'add the option `{name: ndots, value: "5"}` to `dnsConfig.options`' : 'remove the `ndots` option';
    const at = onPod ? { object: site.object, path: site.path, text: edge.text } : { object: t.owner, path: m.path };
    const related = onPod ? [{ object: t.owner, path: m.path, message: `DNS settings of ${where(t)}` }] : [{ object: site.object, path: site.path, message: site.where }];
    // A Go program in the image resolves with Go's own resolver, which does try the search list: a warning.
    ctx.report({ ...at, messageId: 'dnsMuslNdots', severity: 'warning', data: { ...data, image: code(m.image), how, fix, host: code(`${edge.host.toLowerCase()}.`) }, related });
    return;
  }
  if (res.kind === 'cluster') return;
  const at = onPod ? { object: site.object, path: site.path, text: edge.text } : { object: t.owner, path: res.path };
  const related = onPod ? [{ object: t.owner, path: res.path, message: `DNS settings of ${where(t)}` }] : [{ object: site.object, path: site.path, message: site.where }];
  if (res.kind === 'node') {
    const hostNetwork = getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true;
    const why = res.why === 'host-network' ? '`hostNetwork: true` with dnsPolicy `ClusterFirst` falls back to `Default`' : 'dnsPolicy `Default`';
    // CoreDNS itself must keep the node's resolver (with ClusterFirst it would ask itself): a
    // name in its Corefile's `forward` is refused by releases before hostname support ("not an
    // IP address or file") and resolved with the node's resolver by later ones.
    const coredns = t.containers.some((c) => /(^|\/)coredns(:|@|$)/.test(c.image ?? '')) && /Corefile/.test(site.where ?? '');
    const fix = coredns
      ? 'forward to the Service\'s ClusterIP instead (CoreDNS must keep dnsPolicy `Default`; releases without hostname support in `forward` refuse the name outright: "not an IP address or file")'
      : hostNetwork ? 'set `dnsPolicy: ClusterFirstWithHostNet`' : 'set `dnsPolicy: ClusterFirst` (or remove `dnsPolicy`)';
    // A node resolver that forwards the cluster domain is possible but not in the input: a full name is a warning.
    ctx.report({ ...at, messageId: 'dnsNode', severity: r.fqdn ? 'warning' : undefined, data: { ...data, why, fix }, related });
    return;
  }
  const nameservers = res.nameservers.length ? list(res.nameservers.map((n) => code(n))) : 'none';
  const searches = res.searches.length ? list(res.searches.map((n) => code(n))) : 'none';
  const search = code(`${t.namespace}.svc.${ctx.graph.settings.clusterDomain}`);
  if (r.problem === 'none-external') ctx.report({ ...at, messageId: 'dnsNoneExternal', data: { ...data, nameservers }, related });
  else if (r.problem === 'none-search') ctx.report({ ...at, messageId: 'dnsNoneSearch', data: { ...data, searches, search }, related });
  else if (r.problem === 'none-unknown') ctx.report({ ...at, messageId: 'dnsNoneUnknown', severity: 'info', data: { ...data, nameservers }, related });
}

const rule: Rule = {
  meta: {
    id: 'dns-reference-unknown-service',
    description: 'A hostname in container env, args, a ConfigMap or a Secret (or a qualified Service name in a custom resource) that will not resolve to the intended Service from the pods that use it, or uses a port the Service does not expose.',
    category: 'reference',
    severity: 'error',
    messages: {
      missing: '{{ref}} in {{where}} names Service {{name}} in namespace {{namespace}}, but that namespace has no such Service{{hint}}',
      podRecordsOff: '{{ref}} in {{where}} is a pod A record (`<dashed-ip>.<namespace>.pod.<domain>`), but the CoreDNS Corefile of the run (ConfigMap kube-system/coredns) does not enable them: its kubernetes plugin has no `pods insecure` or `pods verified`, and `pods disabled`, the default, answers NXDOMAIN',
      dnsMuslSearchLine: '{{ref}} in {{where}} is not a full name, and {{workload}} runs {{image}} (musl libc), whose resolver reads resolv.conf lines into 256 bytes and ignores a longer one: the `search` line the kubelet writes from `dnsConfig.searches` has at least {{length}} characters, so the pod has no search list and the name never reaches {{fqdn}}; shorten the searches, or write the full name',
      tlsAlias: '{{ref}} in {{where}} dials {{host}} over {{scheme}}, but Service {{alias}} is an ExternalName alias (a DNS CNAME) of {{target}}: the client checks the server\'s certificate against {{host}} and sends it as the TLS server name (and the HTTP Host), which {{target}}\'s certificate does not cover, so the handshake fails; dial {{target}} itself',
      aliasPort: '{{ref}} in {{where}} dials port {{port}} of ExternalName Service {{alias}}, an alias (a DNS CNAME) for Service {{target}}, which exposes {{ports}}: an ExternalName Service\'s own ports are not used, and nothing answers on {{port}}',
      createdPort: '{{ref}} in {{where}} dials port {{port}}{{how}} of Service {{name}}, which {{by}} creates for {{source}} with {{ports}} only: nothing answers on {{port}}',
      moved: '{{ref}} in {{where}} names Service {{name}} in namespace {{from}}, but this kustomize build puts its Service {{name}} in {{to}} (its `namespace`) and does not rewrite namespaces inside values: the name reaches {{from}}, where this build makes no such Service; write {{suggest}}',
      renamed: '{{ref}} in {{where}} names {{name}}, but kustomize renamed that Service to {{service}} (namePrefix or nameSuffix) and does not rewrite names inside values: namespace {{namespace}} has no Service {{name}} once built',
      hostWithPort: '{{ref}} in {{where}} holds a port as well as the host, and {{port}} gives the port apart: a program that joins the two dials {{joined}}, and one that looks the host up asks the resolver for a name with a colon, which does not exist; only a program that reads this variable as an address gets through',
      neverLooked: '{{ref}} in {{where}} is a host name, but {{why}}',
      noSearch: '{{ref}} in {{where}} is not a full name, and {{why}}: the name does not resolve; write {{suggest}}',
      labelTooLong: '{{ref}} in {{where}} has a label of {{length}} characters ({{label}}), and a DNS label holds at most 63: no resolver looks the name up and no Service can be named so{{hint}}',
      grpcDnsAuthority: '{{ref}} in {{where}} is a gRPC target whose host stands where the DNS server to ask goes (`dns://<dns-server>/<host>:<port>`), and it names no host to resolve: gRPC fails with "missing address"; write {{suggest}}',
      externalNameShort: 'the externalName {{ref}} is the target of a CNAME record, an absolute name that no search path completes: CoreDNS looks it up outside the cluster, where it does not exist; write {{suggest}}',
      externalNameLoop: 'the externalName {{ref}} leads back to this Service ({{chain}} → itself): CoreDNS answers no address for a CNAME chain that loops',
      apiServerPort: '{{ref}} in {{where}} connects to the API server\'s Service `kubernetes.default` on port {{port}}, but that Service exposes only 443 (`https`){{hint}}',
      apiServerShort: '{{ref}} in {{where}} uses the bare name `kubernetes`, which resolves only in namespace `default`; from {{from}} write `kubernetes.default.svc` (the API server\'s Service)',
      shortElsewhere: '{{ref}} in {{where}} uses the short name {{name}}, which a pod resolves only in its own namespace ({{from}}); Service {{name}} is in {{namespaces}}: write {{suggest}}{{hint}}',
      shortElsewherePod: '{{ref}} in {{where}} uses the short name {{pod}}, which a pod resolves only in its own namespace ({{from}}); Service {{name}} is in {{namespaces}}: write {{suggest}}{{hint}}',
      swapped: '{{ref}} in {{where}} has the namespace and the Service name swapped: write {{suggest}}',
      wrongDomain: '{{ref}} in {{where}} ends in {{suffix}}, but the cluster domain is {{clusterDomain}}, so the name does not resolve (if your cluster uses {{domain}}, set clusterDomain in .svclint.yaml)',
      otherDomain: '{{ref}} in {{where}} ends in {{suffix}}, but the cluster domain is {{clusterDomain}} (the default; the files given do not say otherwise): the name resolves only if the cluster uses {{domain}} or a mesh or stub domain serves it; set clusterDomain in .svclint.yaml to make this an error',
      statefulSetPod: '{{ref}} in {{where}} names the StatefulSet pod {{pod}} without its Service; pod DNS names are `<pod>.<service>.<namespace>.svc`: write {{suggest}}{{hint}}',
      podNotHeadless: '{{ref}} in {{where}} names pod {{host}} under Service {{service}}, but no endpoint of that Service has hostname {{host}}: a pod has a per-pod name only under the Service its `subdomain` (a StatefulSet\'s `serviceName`) names, and {{service}} is not headless{{hint}}',
      port: '{{ref}} in {{where}} uses port {{port}}, but Service {{name}} exposes {{ports}}{{hint}}',
      waitsForItself: 'init container {{container}} of {{workload}} waits for {{ref}}, Service {{service}}, whose only pods are this workload\'s own: they start only after their init containers finish, so until then {{how}}, and the pods never start (deadlock)',
      aliasShadows: '{{ref}} in {{where}} names {{host}}, which the hostAliases of {{workload}} map to {{ip}} in its /etc/hosts, read before DNS: the pod never reaches Service {{service}}, which DNS would give',
      defaultPort: '{{ref}} in {{where}} names no port, so its client dials the default port {{port}}, but Service {{name}} exposes {{ports}}{{hint}}',
      outsideZone: '{{ref}} in {{where}} is under the cluster domain {{domain}} but not under `svc.` or `pod.`: the cluster DNS answers that no such name exists{{hint}}',
      noNamespace: '{{ref}} in {{where}} has no namespace between the Service name and `svc`, so it does not resolve: write {{suggest}}',
      workload: '{{ref}} in {{where}} names {{workload}}, which is not a Service: workloads get no DNS name of their own; create a Service {{name}} that selects its pods, or use the Service that does',
      podRecord: '{{ref}} in {{where}} is a pod A record whose first label {{label}} is not a pod IP with dashes (`10-1-2-3`); pods are not named by their name there, and these records exist only when CoreDNS serves `pods insecure` or `pods verified`',
      statefulSetService: '{{ref}} in {{where}} names pod {{pod}} of {{workload}} under Service {{service}}, but that StatefulSet\'s pods get per-pod names only under {{governing}}',
      statefulSetOrdinal: '{{ref}} in {{where}} names pod {{pod}}, but {{workload}} creates pods with ordinals {{range}} only',
      podUnknown: '{{ref}} in {{where}} names pod {{host}} of headless Service {{service}}, but no endpoint of it has that hostname ({{known}})',
      podGeneratedName: '{{ref}} in {{where}} names a pod of {{workload}} by its pod name under Service {{service}}, but a {{kind}}\'s pods get generated names (`<name>-<hash>-<suffix>`) and no `hostname`, and the cluster DNS has a per-pod record only for an endpoint with a hostname (a StatefulSet\'s pods, or pods that set `hostname` and `subdomain`){{why}}: the name does not resolve',
      podNoHostname: '{{ref}} in {{where}} names pod {{host}} of headless Service {{service}}, but the pods of {{workload}} set `subdomain` without `hostname`, so they get no per-pod DNS name (an endpoint gets a hostname only from the pod\'s own `hostname`): set `hostname`, or run the pods as a StatefulSet',
      absolute: '{{ref}} in {{where}} ends in a dot, so it is an absolute name and no search path completes it: the cluster DNS has no such name; write the full {{suggest}} or drop the dot',
      dnsNode: '{{ref}} in {{where}} is a cluster name, but the pods of {{workload}} use the node\'s resolver ({{why}}), which does not know cluster names: {{fix}}',
      dnsNoneExternal: '{{ref}} in {{where}} is a cluster name, but the pods of {{workload}} set `dnsPolicy: None` with nameservers {{nameservers}} only, none of them the cluster DNS: add the cluster DNS address to `dnsConfig.nameservers` or use `dnsPolicy: ClusterFirst`',
      createdElsewhere: '{{ref}} in {{where}} is a short name, which the pods the operator runs for this resource resolve in its namespace {{namespace}}; {{by}} creates Service {{name}} for {{source}} in namespace {{there}}: write {{to}}',
      dnsMuslNdots: '{{ref}} in {{where}} relies on the search path, but the pods of {{workload}} run a musl image ({{image}}) with {{how}}: musl does not try the search list for a name with that many dots, so it asks only {{host}}, which is no cluster name: write {{fqdn}} or {{fix}}',
      dnsNoneSearch: '{{ref}} in {{where}} relies on a search path, but the pods of {{workload}} set `dnsPolicy: None` with searches {{searches}}, none of which completes it into a cluster name: add {{search}} to `dnsConfig.searches` or write {{fqdn}}',
      dnsNoneUnknown: '{{ref}} in {{where}} is a cluster name, and the pods of {{workload}} set `dnsPolicy: None` with nameservers {{nameservers}}: it resolves only if one of them is the cluster DNS, which the run cannot tell without the `kube-system/kube-dns` Service and its clusterIP',
      udpOverTcp: '{{ref}} in {{where}} names Service {{name}}, and {{clients}} send UDP datagrams to port {{port}}{{how}}, which the Service exposes for TCP only (a port\'s protocol is TCP unless written): kube-proxy forwards no UDP there, and every datagram is lost without an error',
      srv: '{{ref}} in {{where}} asks for the SRV record {{srv}} of Service {{name}}, which has {{known}}',
      endpointsMissing: '{{ref}} in {{where}} is a gRPC `kubernetes://` target: the client asks the API for the endpoints of Service {{name}} in namespace {{namespace}}, which is not defined{{hint}}',
      endpointsExternalName: '{{ref}} in {{where}} is a gRPC `kubernetes://` target, which dials the endpoints of Service {{name}}, but that Service is an ExternalName (a DNS alias of {{target}}) and has no endpoints: the client never gets an address; dial {{target}} with `dns:///` instead',
      endpointsPortName: '{{ref}} in {{where}} is a gRPC `kubernetes://` target with port name {{port}}, but Service {{name}} has {{known}}: the client dials its endpoints at no valid port',
      endpointsPort: '{{ref}} in {{where}} is a gRPC `kubernetes://` target, which dials each endpoint of Service {{name}} (a pod) at port {{port}}, but its pods serve it on {{targets}}{{hint}}',
    },
    remediation: 'Refer to Services as <service>.<namespace> (or the full <service>.<namespace>.svc.<cluster-domain>) with a port the Service exposes; list hosts deployed elsewhere in this rule\'s ignore option.',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ignore: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'hostnames (or *.suffix) deployed elsewhere' },
      },
    },
    defaultOptions: { ignore: [] },
  },
  check(ctx) {
    const ignore = Array.isArray(ctx.options.ignore) ? (ctx.options.ignore as string[]) : [];
    for (const edge of references(ctx.graph)) {
      if (ignored(ignore, edge.host)) continue;
      checkEdge(edge.site.unreadByPods ? unreadContext(ctx, edge.site) : ctx, edge);
    }
    // An ExternalName is a CNAME: its target is an absolute name, judged when it lies in the cluster domain.
    // Live, service-no-ready-endpoints judges it against the Service and its endpoints: one cause, one finding.
    if (ctx.graph.settings.live) return;
    const domain = ctx.graph.settings.clusterDomain;
    const inZone = (name: string): ServiceNode | undefined => {
      const m = name.endsWith(`.svc.${domain}`) ? name.slice(0, -(domain.length + 5)).split('.') : undefined;
      return m?.length === 2 ? ctx.graph.service(m[1]!, m[0]!) : undefined;
    };
    for (const svc of ctx.graph.services) {
      const target = svc.externalName?.toLowerCase().replace(/\.$/, '');
      if (svc.type !== 'ExternalName' || !target || ignored(ignore, target)) continue;
      const at = { object: svc.object, path: ['spec', 'externalName'] as Path, text: svc.externalName! };
      if (!target.endsWith(`.${domain}`)) {
        // A CNAME's target is an absolute name: no search path completes `postgres.data` into the
        // cluster's zone, so CoreDNS looks it up upstream, where it does not exist.
        const labels = target.split('.');
        // A bare name (`postgres`): the Service of that name in the alias's own namespace, else the only one the run holds.
        const bare = labels.length === 1 ? ctx.graph.service(svc.object.namespace, target) ?? (ctx.graph.servicesNamed(target).length === 1 ? ctx.graph.servicesNamed(target)[0] : undefined) : undefined;
        const svcOf = bare ?? (labels.length === 2 || (labels.length === 3 && labels[2] === 'svc') ? ctx.graph.service(labels[1]!, labels[0]!) : undefined);
        if (svcOf && svcOf !== svc) ctx.report({ ...at, messageId: 'externalNameShort', data: { ref: code(svc.externalName!), suggest: code(`${svcOf.object.name}.${svcOf.object.namespace}.svc.${domain}`) }, related: [{ object: svcOf.object, path: ['metadata', 'name'], message: `Service ${svcOf.object.namespace}/${svcOf.object.name}` }] });
        continue;
      }
      // ExternalName Services that lead back to themselves: CoreDNS drops a CNAME chain that loops.
      const chain = [svc];
      for (let next = inZone(target); next && next.type === 'ExternalName'; ) {
        if (chain.includes(next)) {
          if (next === svc) ctx.report({ ...at, messageId: 'externalNameLoop', data: { ref: code(svc.externalName!), chain: chain.map((x) => code(`${x.object.namespace}/${x.object.name}`)).join(' → ') } });
          break;
        }
        chain.push(next);
        const t = next.externalName?.toLowerCase().replace(/\.$/, '');
        next = t ? inZone(t) : undefined;
      }
      if (chain.length > 1 || inZone(target) === svc) continue;
      const site = { object: svc.object, path: ['spec', 'externalName'], namespace: svc.object.namespace, where: 'the externalName of this Service', clients: [] };
      checkEdge(ctx, { site, text: svc.externalName!, host: target, resolution: resolveHost(ctx.graph, target, svc.object.namespace) });
    }
  },
};

export default rule;
