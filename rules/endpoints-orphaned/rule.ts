import { endpointIPProblem } from '../../src/names.js';
import type { Rule } from '../../src/types/rule.js';
import type { K8sObject } from '../../src/types/object.js';
import type { ServiceNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { code, list } from '../../src/text.js';
import { proxyView } from '../../src/graph/live.js';

const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** The EndpointSlice controller's own value of MANAGED_BY: it lists, replaces and deletes only slices that carry it. */
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';

function portNames(list: unknown): { name: string; index: number }[] {
  return (Array.isArray(list) ? list : []).map((p, index) => ({ name: isRecord(p) && typeof p.name === 'string' ? p.name : '', index }));
}

/**
 * Whether hand-written endpoints list any address (`ready`: any ready one). A ready address that
 * kube-proxy does not use is then left unused by its port names, reported on the object.
 */
function listsAddresses(o: K8sObject, ready: boolean): boolean {
  const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
  if (o.kind === 'Endpoints') return arr(o.body.subsets).some((s) => arr(s.addresses).length > 0 || (!ready && arr(s.notReadyAddresses).length > 0));
  return arr(o.body.endpoints).some((e) => Array.isArray(e.addresses) && e.addresses.length > 0 && (!ready || !isRecord(e.conditions) || e.conditions.ready !== false));
}

const rule: Rule = {
  meta: {
    id: 'endpoints-orphaned',
    description: 'Hand-written Endpoints or EndpointSlices that no Service uses, or that kube-proxy does not use: no Service of that name, no service-name label, port names that differ from the Service, a Service whose selector makes the controller overwrite them, FQDN slices, skip-mirror Endpoints, or no ready address.',
    category: 'endpoints',
    severity: 'error',
    messages: {
      noService: 'the {{kind}} {{name}} belongs to Service {{service}}, but there is no such Service in namespace {{namespace}} among the linted files; nothing sends traffic to these addresses',
      noLabel: 'the EndpointSlice {{name}} has no {{label}} label; kube-proxy and DNS use only slices labelled with their Service\'s name',
      portName: 'the {{kind}} {{name}} has {{port}}, but Service {{service}} has no port named so ({{known}}); kube-proxy matches endpoint ports to Service ports by name',
      misnamed: 'this Service has no selector and no {{kind}} named {{service}}, so it has no endpoints; {{kind}} {{name}} carries this Service\'s port names ({{ports}}) — did you mean it? Name it {{service}}',
      managed: 'the {{kind}} {{name}} is written by hand for Service {{service}}, which has a selector: the endpoint controller manages its endpoints and replaces these',
      unused: 'Service {{service}} has no selector, and kube-proxy uses none of its hand-written endpoints: {{why}}',
      extraAddresses: 'endpoint {{index}} of EndpointSlice {{name}} lists {{count}} addresses, but kube-proxy and the cluster DNS use only the first ({{first}}): {{rest}} get no traffic',
      managedSlice: 'the EndpointSlice {{name}} is labelled {{label}}, the EndpointSlice controller\'s own value, for Service {{service}}, which has a selector: the controller deletes slices of its own that it did not compute',
    },
    remediation: 'Give hand-written endpoints the Service\'s exact name (Endpoints) or the kubernetes.io/service-name label (EndpointSlice), port names equal to the Service\'s, and a Service without a selector (an EndpointSlice beside a Service with a selector needs a managed-by label other than the controller\'s).',
  },
  check({ graph, report }) {
    const orphans = new Map<string, K8sObject[]>();
    for (const o of graph.objects) {
      const isEndpoints = o.kind === 'Endpoints' && o.apiVersion === 'v1';
      const isSlice = o.kind === 'EndpointSlice' && o.apiVersion.startsWith('discovery.k8s.io/');
      if (!isEndpoints && !isSlice) continue;
      let serviceName = o.name;
      if (isSlice) {
        const label = getIn(o.body, ['metadata', 'labels', SERVICE_NAME]);
        if (typeof label !== 'string' || label === '') {
          report({ object: o, path: ['metadata'], messageId: 'noLabel', data: { name: code(o.name), label: code(SERVICE_NAME) } });
          continue;
        }
        serviceName = label;
      }
      const base = { kind: o.kind, name: code(o.name), service: code(serviceName), namespace: code(o.namespace) };
      const svc = graph.service(o.namespace, serviceName);
      if (!svc) {
        report({ object: o, path: isSlice ? ['metadata', 'labels', SERVICE_NAME] : ['metadata', 'name'], messageId: 'noService', data: base, severity: 'warning', absent: { what: `Service ${code(serviceName)} in namespace ${code(o.namespace)}`, namespace: o.namespace, service: serviceName } });
        const list = orphans.get(o.namespace);
        if (list) list.push(o);
        else orphans.set(o.namespace, [o]);
        continue;
      }
      // A slice that another manager writes for a Service with a selector is left alone by the
      // controller (it lists only its own, by MANAGED_BY) and kube-proxy adds its endpoints to
      // the controller's: the documented custom EndpointSlice. Endpoints of the Service's name
      // are the Endpoints controller's, which overwrites them.
      const custom = isSlice && getIn(o.body, ['metadata', 'labels', MANAGED_BY]) !== SLICE_CONTROLLER;
      if (svc.mode === 'selector' && !custom) {
        if (graph.settings.live) continue; // live, these are the controller's own slices
        const related = [{ object: svc.object, path: svc.selectorPath, message: 'the Service\'s selector' }];
        if (isSlice) report({ object: o, path: ['metadata', 'labels', MANAGED_BY], messageId: 'managedSlice', data: { ...base, label: code(`${MANAGED_BY}: ${SLICE_CONTROLLER}`) }, severity: 'warning', related, remediation: `Give the slice a ${MANAGED_BY} label of your own (or none): the controller leaves such slices alone and kube-proxy adds their endpoints to the Service's.` });
        else report({ object: o, path: ['metadata', 'name'], messageId: 'managed', data: base, severity: 'warning', related });
        continue;
      }
      checkPorts(o, svc, isSlice, base, report);
      if (isSlice) extraAddresses(o, report);
    }
    if (graph.settings.live) return;
    // A selectorless Service whose hand-written endpoints kube-proxy uses none of: live,
    // manual-endpoints-missing judges what the cluster holds.
    for (const svc of graph.services) {
      if (svc.mode !== 'manual' || svc.endpointObjects.length === 0 || svc.ports.length === 0 || svc.object.overlay) continue;
      // The mirroring controller makes no EndpointSlice of Endpoints labelled skip-mirror, and kube-proxy reads only slices.
      const skipped = svc.endpointObjects.filter((o) => o.kind === 'Endpoints' && getIn(o.body, ['metadata', 'labels', SKIP_MIRROR]) === 'true');
      const used = svc.endpointObjects.filter((o) => !skipped.includes(o));
      const views = svc.ports.map((p) => proxyView(used, p, writtenFamilies(svc)));
      if (views.some((v) => v.used.length > 0)) continue;
      // Port names that differ are reported on the endpoints above: one cause, one finding.
      if (skipped.length === 0 && views.every((v) => v.onlyPortNames)) continue;
      // A headless Service is not proxied: its DNS answers A records from endpoints without ports too.
      const proxyOnly = new Set(svc.headless ? views.flatMap((v) => v.portless) : []);
      const why = [
        ...skipped.map((o) => `Endpoints ${code(o.name)} is labelled ${code(`${SKIP_MIRROR}: "true"`)}, so no EndpointSlice mirrors it and kube-proxy, which reads only EndpointSlices, never sees it`),
        ...new Set(views.flatMap((v) => v.ignored).filter((w) => !proxyOnly.has(w))),
      ];
      if (svc.headless && proxyOnly.size > 0 && why.length === 0) continue;
      // Objects that list no address at all are blanks something fills in (a test, a controller): not judged.
      if (why.length === 0 && (!svc.endpointObjects.some((x) => listsAddresses(x, false)) || svc.endpointObjects.some((x) => listsAddresses(x, true)))) continue;
      const o = svc.endpointObjects[0]!;
      report({
        object: svc.object,
        path: ['metadata', 'name'],
        messageId: 'unused',
        ...(why.length === 0 ? { severity: 'warning' as const } : {}),
        data: { service: code(svc.object.name), why: why.length ? list(why, 3) : 'they list no ready address (only `notReadyAddresses`, or `conditions.ready: false`), so kube-proxy has no endpoint to send to' },
        related: [{ object: o, path: ['metadata', 'name'], message: `${o.kind} ${o.namespace}/${o.name}` }],
        remediation: 'List ready addresses in an EndpointSlice of addressType IPv4 or IPv6 (or a v1 Endpoints without the skip-mirror label); for a DNS name, use a Service of type ExternalName.',
      });
    }
    // The other side: a selectorless Service whose hand-written endpoints carry another name.
    for (const svc of graph.services) {
      if (svc.mode !== 'manual' || svc.endpointObjects.length > 0 || svc.ports.length === 0) continue;
      const want = [...new Set(svc.ports.map((p) => p.name ?? ''))].sort().join(',');
      const match = (orphans.get(svc.object.namespace) ?? []).filter((o) => endpointPortNames(o) === want);
      if (match.length !== 1) continue;
      const o = match[0]!;
      report({
        object: svc.object,
        path: ['metadata', 'name'],
        messageId: 'misnamed',
        severity: 'warning',
        data: { kind: o.kind, name: code(o.name), service: code(svc.object.name), ports: list(svc.ports.map((p) => (p.name ? code(p.name) : 'an unnamed port')), 5) },
        related: [{ object: o, path: ['metadata', 'name'], message: `${o.kind} ${o.namespace}/${o.name}` }],
        remediation: o.kind === 'EndpointSlice' ? 'Label the EndpointSlice kubernetes.io/service-name with the Service\'s name.' : 'Give the Endpoints the Service\'s exact name.',
      });
    }
  },
};

/**
 * The IP families a Service's cluster IPs are of, where the Service's own fields fix them: a
 * SingleStack Service (the default policy) with `ipFamilies` written, or a literal cluster IP.
 * Undefined where the cluster decides (its primary family, or dual-stack policies).
 */
function writtenFamilies(svc: ServiceNode): string[] | undefined {
  if (svc.headless) return undefined;
  const spec = isRecord(svc.object.body.spec) ? svc.object.body.spec : {};
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && policy !== null && policy !== 'SingleStack') return undefined;
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies.filter((f): f is string => f === 'IPv4' || f === 'IPv6') : [];
  if (families.length === 1) return families;
  if (families.length === 0 && typeof svc.clusterIP === 'string' && svc.clusterIP !== 'None') {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(svc.clusterIP)) return ['IPv4'];
    if (svc.clusterIP.includes(':')) return ['IPv6'];
  }
  return undefined;
}

/**
 * An EndpointSlice endpoint with more than one address: the API allows up to 100, but kube-proxy
 * builds an endpoint from `addresses[0]` alone (endpointslicecache.addEndpoints), and so does
 * CoreDNS: the others are never dialled. One endpoint per address is what works.
 */
function extraAddresses(o: K8sObject, report: Parameters<Rule['check']>[0]['report']): void {
  // Slices kube-proxy programs (IPv4, IPv6), with addresses the API accepts (endpoints-invalid judges the others).
  if (o.body.addressType !== 'IPv4' && o.body.addressType !== 'IPv6') return;
  (Array.isArray(o.body.endpoints) ? o.body.endpoints : []).forEach((e, i) => {
    const addresses = isRecord(e) && Array.isArray(e.addresses) ? [...new Set(e.addresses.filter((a): a is string => typeof a === 'string'))] : [];
    if (addresses.length < 2 || addresses.length > 100 || addresses.some((a) => endpointIPProblem(a) !== undefined)) return;
    report({
      object: o,
      path: ['endpoints', i, 'addresses'],
      messageId: 'extraAddresses',
      severity: 'warning',
      data: { index: i, name: code(o.name), count: addresses.length, first: code(addresses[0]!), rest: list(addresses.slice(1).map(code), 3) },
      remediation: 'Write one endpoint per address: an entry of `endpoints` with one address each.',
    });
  });
}

/** The sorted distinct port names of hand-written Endpoints or an EndpointSlice (`''` for unnamed). */
function endpointPortNames(o: K8sObject): string {
  const lists = o.kind === 'EndpointSlice' ? [o.body.ports] : (Array.isArray(o.body.subsets) ? o.body.subsets : []).map((s) => (isRecord(s) ? s.ports : undefined));
  return [...new Set(lists.flatMap((l) => portNames(l).map((p) => p.name)))].sort().join(',');
}

function checkPorts(o: K8sObject, svc: ServiceNode, isSlice: boolean, base: Record<string, string>, report: Parameters<Rule['check']>[0]['report']): void {
  const svcNames = new Set(svc.ports.map((p) => p.name ?? ''));
  const known = svc.ports.length ? list(svc.ports.map((p) => (p.name ? code(p.name) : 'an unnamed port')), 5) : 'it has no ports';
  const groups: [unknown, (string | number)[]][] = isSlice
    ? [[o.body.ports, ['ports']]]
    : (Array.isArray(o.body.subsets) ? o.body.subsets : []).map((s, i) => [isRecord(s) ? s.ports : undefined, ['subsets', i, 'ports']]);
  for (const [ports, path] of groups) {
    for (const p of portNames(ports)) {
      if (svcNames.has(p.name)) continue;
      report({
        object: o,
        path: [...path, p.index, ...(p.name ? ['name'] : [])],
        messageId: 'portName',
        data: { ...base, port: p.name ? `port name ${code(p.name)}` : 'an unnamed port', known },
        related: [{ object: svc.object, path: ['spec', 'ports'], message: 'the Service\'s ports' }],
      });
    }
  }
}

export default rule;
