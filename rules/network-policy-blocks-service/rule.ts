import type { Rule, RelatedReport } from '../../src/types/rule.js';
import { admitFix, ingressController, judgePods, judgeViews, otherPolicies, serviceFlows, verdictText, type BackendVerdict, type FlowSite, type Policy, type ServiceFlow, policyIndex } from '../../src/graph/netpol.js';
import { code, list } from '../../src/text.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { redisCluster } from '../../src/graph/bind.js';
import { where } from '../../src/engine/rule-kit.js';
import { namespaceLabels, podView, type PodView } from '../../src/graph/netpol-model.js';
import { membership } from '../../src/graph/mesh.js';
import type { K8sObject } from '../../src/types/object.js';
import type { PodTemplate, ServiceNode } from '../../src/types/graph.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

function portText(f: ServiceFlow): string {
  const p = f.port;
  return `${p.name ? `${code(p.name)} ` : ''}${p.port ?? '?'}/${p.protocol}`;
}

/** The first five policies (N policies over the same pods would write N² entries into the report). */
function related(policies: Policy[]): RelatedReport[] {
  return policies.slice(0, 5).map((p) => ({ object: p.object, path: ['spec', 'podSelector'], message: `NetworkPolicy ${p.namespace}/${p.object.name} isolates these pods and has no rule that admits the connection` }));
}

/** Readers of one configuration text from which on its blocked readers are one finding. */
const SHARED_READERS = 3;

function report(ctx: Parameters<Rule['check']>[0], f: ServiceFlow, admittedPort?: ServiceFlow, admittedReaders: ServiceFlow[] = [], group?: ServiceFlow[]): void {
  const blocked = f.backends.filter((b): b is BackendVerdict & { verdict: { kind: 'blocked' } } => b.verdict.kind === 'blocked');
  const base = { object: f.site.object, path: f.site.path };
  const names = group ? [...new Set(group.map((x) => x.client.name))] : [];
  const data = { client: f.client.name, ...(group ? { count: String(names.length), readers: list(names, 3) } : {}), ref: code(f.site.text), where: f.site.where, service: code(`${f.service.object.namespace}/${f.service.object.name}`), port: portText(f) };
  if (blocked.length) {
    const first = blocked[0]!;
    const sides = first.verdict.sides;
    const why = sides.map((s) => `${s.direction} ${s.direction === 'egress' ? `from ${f.client.name}` : `to ${first.backend.name}`} is isolated by ${list(s.policies.map((p) => `NetworkPolicy ${code(`${p.namespace}/${p.object.name}`)}`))}`).join(', and ');
    const targets = [...new Set(blocked.map((b) => `${b.backend.name} :${b.targetPort}/${b.protocol}`))];
    // The text names no port and another port of the Service is admitted: the client may dial that one.
    const unwritten = admittedPort ? `; ${code(f.site.text)} names no port, and the policies admit port ${portText(admittedPort)} of the Service: fine if that is the one the client dials` : '';
    const others = otherPolicies(ctx.graph, [f.client.namespace, ...blocked.map((b) => b.backend.namespace)], f.service.object);
    const beside = others.length ? `; the files also hold ${list(others.map((o) => code(o)), 2)}, policies of another API that svclint does not read, which may admit it` : '';
    // Configuration shared by several workloads (a product's one config file, a Secret every
    // component reads): the policies admit some of its readers, which says who the authors
    // expect to dial it; a reader left out may only read it.
    const shared = admittedReaders.length ? `; the policies admit ${list([...new Set(admittedReaders.map((x) => x.client.name))], 2)}, which read${admittedReaders.length === 1 ? 's' : ''} the same configuration: fine if only those dial it` : '';
    // A backend of the Service that reads its own address (a server's configuration names itself).
    const self = f.client.template !== undefined && f.service.backends.includes(f.client.template) && f.site.object.kind !== 'Ingress' ? `; ${f.client.name} is itself a backend of this Service, and a configuration often names the server's own address without the server dialling it` : '';
    ctx.report({
      ...base,
      messageId: group ? 'sharedBlocked' : 'blocked',
      ...(admittedPort || others.length || shared || self ? { severity: 'info' as const } : {}),
      data: { ...data, backends: list(targets), partial: blocked.length < f.backends.length ? ' (other backends admit it: some connections fail)' : '', why, hint: unwritten + beside + shared + self },
      related: [...related(sides.flatMap((s) => s.policies)), { object: f.service.object, path: f.port.path, message: `port of Service ${f.service.object.namespace}/${f.service.object.name}` }],
      remediation: admitFix(f.client, first.backend, f.service.selector, first.targetPort, first.protocol, first.verdict),
    });
    return;
  }
  const unsure = f.backends.find((b) => b.verdict.kind === 'cannot-tell');
  if (unsure) {
    ctx.report({ ...base, messageId: 'cannotTell', severity: 'info', data: { ...data, backend: unsure.backend.name, why: verdictText(unsure.verdict).replace(/^cannot tell: /, '') } });
  }
}

/**
 * Redis Cluster's nodes gossip and fail over on the cluster bus port (the client port + 10000,
 * or `cluster-port`), pod to pod, not through a Service. A policy that admits the client port
 * between them but not the bus leaves every node seeing the others as failing: the cluster
 * never forms, or turns CLUSTERDOWN.
 */
function redisClusterBus(ctx: Parameters<Rule['check']>[0]): void {
  for (const t of ctx.graph.templates) {
    if (t.replicas.mode === 'per-node' || t.replicas.count <= 1) continue;
    for (const c of t.containers) {
      const raw = getIn(t.owner.body, c.path);
      const rc = isRecord(raw) ? redisCluster(ctx.graph, t, raw) : undefined;
      if (!rc) continue;
      const bus = judgePods(ctx.graph, t, t, rc.bus, 'TCP');
      if (bus.kind !== 'blocked' || judgePods(ctx.graph, t, t, rc.port, 'TCP').kind !== 'allowed') continue;
      const policies = bus.sides.flatMap((s) => s.policies);
      ctx.report({
        object: t.owner,
        path: [...c.path, ...rc.path],
        messageId: 'clusterBus',
        data: { workload: where(t), text: code(rc.text), port: String(rc.port), bus: String(rc.bus), policies: list([...new Set(policies.map((p) => `NetworkPolicy ${code(`${p.namespace}/${p.object.name}`)}`))], 2), s: new Set(policies).size === 1 ? 's' : '' },
        related: related(policies),
        remediation: `Admit TCP port ${rc.bus} between the Redis pods beside ${rc.port} (the cluster bus: the client port + 10000, or cluster-port).`,
      });
      break;
    }
  }
}

/** Images of ingress controllers whose pods send the ACME HTTP-01 challenge on to cert-manager's solver. */
const INGRESS_CONTROLLER_IMAGE = /(^|\/)(ingress-nginx\/controller|nginx-ingress-controller|traefik)(:|@|$)/;

/**
 * cert-manager answers an ACME HTTP-01 challenge for an Ingress it makes a Certificate of
 * (`cert-manager.io/cluster-issuer`, `cert-manager.io/issuer`) from solver pods it creates in the
 * Ingress's namespace (labelled `acme.cert-manager.io/http01-solver: "true"`, serving port 8089),
 * reached through the ingress controller. Where the namespace's policies do not admit the
 * controller's pods to them, the challenge never validates and the certificate is never issued.
 */
function acmeSolvers(ctx: Parameters<Rule['check']>[0]): void {
  const g = ctx.graph;
  const controllers: PodView[] = ingressController(g) ?? g.templates.filter((t) => t.containers.some((c) => c.image !== undefined && INGRESS_CONTROLLER_IMAGE.test(c.image))).map(podView);
  if (controllers.length === 0) return;
  const seen = new Set<string>();
  for (const o of g.objects) {
    if (o.kind !== 'Ingress' || !o.apiVersion.startsWith('networking.k8s.io/')) continue;
    const ann = getIn(o.body, ['metadata', 'annotations']);
    if (!isRecord(ann)) continue;
    const cluster = typeof ann['cert-manager.io/cluster-issuer'] === 'string' ? ann['cert-manager.io/cluster-issuer'] : undefined;
    const own = typeof ann['cert-manager.io/issuer'] === 'string' ? ann['cert-manager.io/issuer'] : undefined;
    const name = cluster ?? own;
    if (!name || seen.has(`${o.namespace}/${name}`)) continue;
    const issuer = g.objects.find((x) => x.kind === (cluster ? 'ClusterIssuer' : 'Issuer') && x.apiVersion.startsWith('cert-manager.io/') && x.name === name && (cluster || x.namespace === o.namespace));
    const solvers = issuer ? getIn(issuer.body, ['spec', 'acme', 'solvers']) : undefined;
    // Only an issuer of the run whose every solver is HTTP-01 (a DNS-01 one needs no pod).
    if (!Array.isArray(solvers) || solvers.length === 0 || !solvers.every((x) => isRecord(x) && isRecord(x.http01))) continue;
    seen.add(`${o.namespace}/${name}`);
    const solver: PodView = { key: `acme-solver/${o.namespace}`, namespace: o.namespace, labels: { 'acme.cert-manager.io/http01-solver': 'true' }, ports: [{ name: 'http', containerPort: 8089, protocol: 'TCP', path: [] }], hostNetwork: false, name: `cert-manager's HTTP-01 solver pods in namespace ${o.namespace}` };
    const verdicts = controllers.map((c) => ({ c, v: judgeViews(g, c, solver, 8089, 'TCP') }));
    const blocked = verdicts.find((x) => x.v.kind === 'blocked');
    if (!blocked || verdicts.some((x) => x.v.kind === 'allowed')) continue;
    const policies = (blocked.v as { kind: 'blocked'; sides: { policies: Policy[] }[] }).sides.flatMap((s) => s.policies);
    ctx.report({
      object: o,
      path: ['metadata', 'annotations', cluster ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer'],
      messageId: 'acmeSolver',
      data: { issuer: code(`${issuer!.kind} ${issuer!.namespace ? `${issuer!.namespace}/` : ''}${name}`), namespace: code(o.namespace), controller: blocked.c.name, policies: list([...new Set(policies.map((p) => `NetworkPolicy ${code(`${p.namespace}/${p.object.name}`)}`))], 2) },
      related: related(policies),
      remediation: 'Admit the ingress controller\'s pods to pods labelled `acme.cert-manager.io/http01-solver: "true"` on TCP 8089 in this namespace (or use a DNS-01 solver).',
    });
  }
}

/** Istio's root namespace (meshConfig.rootNamespace): its Sidecar without a selector is the mesh's default. */
const ISTIO_ROOT = 'istio-system';

/**
 * The Istio `Sidecar` that configures a pod's proxy (the one of its namespace whose
 * `workloadSelector` matches it, else the namespace's without one, else the root namespace's
 * without one), when it sets `outboundTrafficPolicy.mode: REGISTRY_ONLY`: the proxy then knows
 * only the Services its `egress` hosts list, and answers every other destination from the
 * BlackHoleCluster (502 for HTTP, a reset for TCP).
 */
function registryOnlySidecar(sidecars: K8sObject[], t: PodTemplate): K8sObject | undefined {
  const own = sidecars.filter((o) => o.namespace === t.namespace);
  const selected = own.filter((o) => {
    const labels = getIn(o.body, ['spec', 'workloadSelector', 'labels']);
    return isRecord(labels) && Object.keys(labels).length > 0 && Object.entries(labels).every(([k, v]) => t.labels[k] === v);
  });
  const plain = (list: K8sObject[]) => list.filter((o) => getIn(o.body, ['spec', 'workloadSelector']) === undefined);
  // The most specific level that has Sidecars decides; two of one level are not judged (Istio takes the oldest).
  const only = (list: K8sObject[]) => (list.length === 1 ? list[0] : undefined);
  const levels = [selected, plain(own), plain(sidecars.filter((o) => o.namespace === ISTIO_ROOT))];
  const level = levels.find((l) => l.length > 0);
  const found = level ? only(level) : undefined;
  return found && getIn(found.body, ['spec', 'outboundTrafficPolicy', 'mode']) === 'REGISTRY_ONLY' ? found : undefined;
}

/** Whether a Sidecar's `egress` hosts (`<namespace>/<dnsName>`: `.`, `*`, `~`; a name, `*`, or `*.suffix`) list a Service. */
function egressLists(sidecar: K8sObject, svc: ServiceNode, domain: string): boolean {
  const egress = getIn(sidecar.body, ['spec', 'egress']);
  // No egress section: the proxy knows every namespace's Services.
  if (!Array.isArray(egress) || egress.length === 0) return true;
  const fqdn = `${svc.object.name}.${svc.object.namespace}.svc.${domain}`;
  return egress.some((e) => {
    const hosts = getIn(e, ['hosts']);
    return Array.isArray(hosts) && hosts.some((h) => {
      if (typeof h !== 'string' || !h.includes('/')) return true; // not judged
      const [ns, name] = [h.slice(0, h.indexOf('/')), h.slice(h.indexOf('/') + 1)];
      const nsOk = ns === '*' || (ns === '.' ? svc.object.namespace === sidecar.namespace : ns === svc.object.namespace);
      const nameOk = name === '*' || name === fqdn || (name.startsWith('*.') && fqdn.endsWith(name.slice(1)));
      return nsOk && nameOk;
    });
  });
}

/** Connections of meshed clients that their REGISTRY_ONLY Sidecar does not let out. */
function istioSidecarEgress(ctx: Parameters<Rule['check']>[0], allFlows: () => readonly ServiceFlow[]): void {
  const sidecars = objectsOfKind(ctx.graph, 'Sidecar').filter((o) => /^networking\.istio\.io\//.test(o.apiVersion));
  if (!sidecars.some((o) => getIn(o.body, ['spec', 'outboundTrafficPolicy', 'mode']) === 'REGISTRY_ONLY')) return;
  const flows = allFlows();
  const namespaces = namespaceLabels(ctx.graph.objects);
  const seen = new Set<string>();
  for (const f of flows) {
    const t = f.client.template;
    if (!t || f.service.type === 'ExternalName') continue;
    const m = membership(t, namespaces);
    if (!m?.in || /ambient/.test(m.how)) continue;
    const sidecar = registryOnlySidecar(sidecars, t);
    if (!sidecar || egressLists(sidecar, f.service, ctx.graph.settings.clusterDomain)) continue;
    const key = `${t.id}|${f.service.object.namespace}/${f.service.object.name}|${f.site.object.kind}/${f.site.object.name}|${f.site.path.join('.')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ctx.report({
      object: f.site.object,
      path: f.site.path,
      text: f.site.text,
      messageId: 'sidecarEgress',
      data: { client: f.client.name, ref: code(f.site.text), where: f.site.where, service: code(`${f.service.object.namespace}/${f.service.object.name}`), sidecar: code(`${sidecar.namespace}/${sidecar.name}`) },
      related: [{ object: sidecar, path: ['spec', 'egress'], message: `egress of Sidecar ${sidecar.namespace}/${sidecar.name}` }],
      remediation: `List the Service's namespace in the Sidecar's egress hosts (\`${f.service.object.namespace}/*\`), or set its outboundTrafficPolicy to ALLOW_ANY.`,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'network-policy-blocks-service',
    description: 'A pod dials a Service (from env, args, a ConfigMap or Secret, or as an Ingress backend) but the NetworkPolicies in force do not admit the connection to its backends; or Redis Cluster nodes whose cluster bus port the policies do not admit between them.',
    category: 'reference',
    severity: 'error',
    messages: {
      sharedBlocked: '{{ref}} ({{where}}) names Service {{service}} port {{port}}, and {{count}} workloads read it ({{readers}}), but no NetworkPolicy admits any of them to {{backends}}{{partial}}: {{why}}; whichever of them dials it is refused{{hint}}',
      blocked: '{{client}} dials {{ref}} ({{where}}), Service {{service}} port {{port}}, but no NetworkPolicy admits it to {{backends}}{{partial}}: {{why}}{{hint}}',
      clusterBus: 'the Redis nodes of {{workload}} run in cluster mode ({{text}}) and talk to each other on the cluster bus, port {{bus}}, but {{policies}} admit{{s}} port {{port}} between them and not {{bus}}: the nodes never hear each other\'s gossip, mark each other as failing, and the cluster never forms (CLUSTERDOWN)',
      acmeSolver: 'cert-manager answers the ACME HTTP-01 challenge for this Ingress\'s certificate ({{issuer}}) from solver pods it creates in namespace {{namespace}}, on port 8089, reached through {{controller}}; but the policies that isolate them ({{policies}}) do not admit that connection: the challenge never validates, and the certificate is never issued',
      sidecarEgress: '{{client}} dials {{ref}} ({{where}}), Service {{service}}, but its Istio Sidecar {{sidecar}} sets `outboundTrafficPolicy: REGISTRY_ONLY` and its egress hosts do not list that Service: the proxy knows no route to it and answers from the BlackHoleCluster (502, or a reset)',
      cannotTell: 'cannot tell whether NetworkPolicy admits {{client}} to Service {{service}} port {{port}} ({{ref}} in {{where}}) at {{backend}}: {{why}}',
    },
    remediation: 'Add a rule admitting the client to the isolating NetworkPolicy (ingress at the backends, egress at the client).',
  },
  check(ctx) {
    istioSidecarEgress(ctx, () => serviceFlows(ctx.graph));
    // Without a NetworkPolicy in the run every connection is admitted: nothing to judge.
    if (policyIndex(ctx.graph).policies.length === 0) return;
    const flows = serviceFlows(ctx.graph);
    // Flows of one text that names no port, from one client: one per port of the Service.
    const admitted = new Map<FlowSite, Map<string, ServiceFlow>>();
    for (const f of flows) {
      if (!f.portUnwritten || !f.backends.every((b) => b.verdict.kind === 'allowed')) continue;
      let byClient = admitted.get(f.site);
      if (!byClient) admitted.set(f.site, (byClient = new Map()));
      if (!byClient.has(f.client.key)) byClient.set(f.client.key, f);
    }
    // Per site (one text, read by every client of it) and Service port: the clients the policies admit.
    const readers = new Map<FlowSite, Map<string, ServiceFlow[]>>();
    for (const f of flows) {
      if (f.backends.length === 0 || !f.backends.every((b) => b.verdict.kind === 'allowed')) continue;
      let byPort = readers.get(f.site);
      if (!byPort) readers.set(f.site, (byPort = new Map()));
      const key = `${f.service.object.namespace}/${f.service.object.name}/${f.port.index}`;
      byPort.set(key, [...(byPort.get(key) ?? []), f]);
    }
    redisClusterBus(ctx);
    acmeSolvers(ctx);
    // One configuration file or Secret that many workloads read (a product's one config): which of
    // them dial the Service is not in the files, so where the policies admit none of them the run
    // proves one thing, that a reader that dials it is refused: one finding for the text, naming
    // the readers, not one per reader.
    const shared = new Map<FlowSite, Map<string, ServiceFlow[]>>();
    for (const f of flows) {
      if ((f.site.object.kind !== 'ConfigMap' && f.site.object.kind !== 'Secret') || f.portUnwritten || !f.backends.some((b) => b.verdict.kind === 'blocked')) continue;
      if (f.client.template && f.service.backends.includes(f.client.template)) continue;
      const key = `${f.service.object.namespace}/${f.service.object.name}/${f.port.index}`;
      if (readers.get(f.site)?.get(key)?.length) continue;
      let byPort = shared.get(f.site);
      if (!byPort) shared.set(f.site, (byPort = new Map()));
      byPort.set(key, [...(byPort.get(key) ?? []), f]);
    }
    const grouped = new Map<ServiceFlow, ServiceFlow[]>();
    const skipped = new Set<ServiceFlow>();
    for (const byPort of shared.values()) {
      for (const list of byPort.values()) {
        // Distinct workloads by name: copies of one (a base and its overlays) are one reader.
        if (new Set(list.map((f) => f.client.name)).size < SHARED_READERS) continue;
        grouped.set(list[0]!, list);
        for (const f of list.slice(1)) skipped.add(f);
      }
    }
    for (const f of flows) {
      if (skipped.has(f)) continue;
      report(ctx, f, f.portUnwritten ? admitted.get(f.site)?.get(f.client.key) : undefined, readers.get(f.site)?.get(`${f.service.object.namespace}/${f.service.object.name}/${f.port.index}`)?.filter((x) => x.client.key !== f.client.key) ?? [], grouped.get(f));
    }
  },
};

export default rule;
