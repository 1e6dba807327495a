import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import type { ServiceNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { deferredSpecText } from '../../src/load/deferred-spec.js';
import { sameTree } from '../../src/graph/referrers.js';
import { hasServicesIn, nearestService, sameNameElsewhere, servicePortsText } from '../../src/engine/rule-kit.js';
import { hasReadyEndpoints } from '../../src/graph/live.js';
import { code, isStrongTypo } from '../../src/text.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

/** The port the API server calls when `service.port` is not set (every API version of these kinds). */
const DEFAULT_PORT = 443;

/** A Service the API server itself calls: an admission webhook, a CRD's conversion webhook, an aggregated API. */
interface ApiServerCall {
  object: K8sObject;
  /** Where `{namespace, name, port}` is written. */
  path: Path;
  service: Record<string, unknown>;
  /** For messages: `webhook \`x\``, `conversion webhook`, `APIService`. */
  caller: string;
  /** What the cluster loses when the call fails. */
  consequence: string;
}

const ADMISSION = /^admissionregistration\.k8s\.io\//;

function calls(o: K8sObject): ApiServerCall[] {
  const out: ApiServerCall[] = [];
  if ((o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') && ADMISSION.test(o.apiVersion)) {
    const hooks = o.body.webhooks;
    (Array.isArray(hooks) ? hooks : []).forEach((h, i) => {
      const service = getIn(h, ['clientConfig', 'service']);
      if (!isRecord(h) || !isRecord(service)) return;
      // failurePolicy defaults to Fail in v1 and to Ignore in v1beta1.
      const policy = typeof h.failurePolicy === 'string' ? h.failurePolicy : o.apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail';
      out.push({
        object: o,
        path: ['webhooks', i, 'clientConfig', 'service'],
        service,
        caller: `webhook ${code(typeof h.name === 'string' ? h.name : `#${i}`)}`,
        consequence: policy === 'Fail' ? 'with failurePolicy Fail, every request it intercepts is rejected' : 'with failurePolicy Ignore, the webhook is skipped and its checks or changes silently do not happen',
      });
    });
  }
  if (o.kind === 'APIService' && /^apiregistration\.k8s\.io\//.test(o.apiVersion)) {
    const service = getIn(o.body, ['spec', 'service']);
    if (isRecord(service)) out.push({ object: o, path: ['spec', 'service'], service, caller: 'APIService', consequence: `requests for its API group are answered 503 and discovery reports the group unavailable` });
  }
  // A CRD's spec may not be decoded yet (deferred-spec.ts): most hold no conversion webhook, and their text says so.
  const deferred = o.kind === 'CustomResourceDefinition' ? deferredSpecText(o.body) : undefined;
  if (o.kind === 'CustomResourceDefinition' && /^apiextensions\.k8s\.io\//.test(o.apiVersion) && (deferred === undefined || deferred.includes('"Webhook"')) && getIn(o.body, ['spec', 'conversion', 'strategy']) === 'Webhook') {
    const at: Path = o.apiVersion.endsWith('/v1beta1') ? ['spec', 'conversion', 'webhookClientConfig', 'service'] : ['spec', 'conversion', 'webhook', 'clientConfig', 'service'];
    const service = getIn(o.body, at);
    if (isRecord(service)) out.push({ object: o, path: at, service, caller: 'conversion webhook', consequence: 'reading or writing the resource in a version other than the stored one fails' });
  }
  return out;
}

/**
 * A webhook given by `url` whose host is a cluster DNS name (`<service>.<namespace>.svc[.<domain>]`):
 * the API server resolves a `url`'s host with its own resolver, not the cluster's DNS (the API's
 * own documentation: "kube-apiserver cannot resolve in-cluster DNS as that would be a layering
 * violation"; `clientConfig.service` is the way to call a Service), so the call fails
 * ("no such host"). A warning: an API server that runs as a pod of another cluster, or with a
 * resolver that forwards the cluster's zone, may resolve it.
 */
function checkClusterUrls(ctx: RuleContext, o: K8sObject): void {
  const at: { path: Path; url: unknown; caller: string; consequence: string }[] = [];
  if ((o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') && ADMISSION.test(o.apiVersion)) {
    const hooks = o.body.webhooks;
    (Array.isArray(hooks) ? hooks : []).forEach((h, i) => {
      if (!isRecord(h)) return;
      const policy = typeof h.failurePolicy === 'string' ? h.failurePolicy : o.apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail';
      at.push({ path: ['webhooks', i, 'clientConfig', 'url'], url: getIn(h, ['clientConfig', 'url']), caller: `webhook ${code(typeof h.name === 'string' ? h.name : `#${i}`)}`, consequence: policy === 'Fail' ? 'with failurePolicy Fail, every request it intercepts is rejected' : 'with failurePolicy Ignore, the webhook is skipped and its checks or changes silently do not happen' });
    });
  }
  // A CRD's spec may not be decoded yet (deferred-spec.ts): most hold no conversion webhook, and their text says so.
  const deferred = o.kind === 'CustomResourceDefinition' ? deferredSpecText(o.body) : undefined;
  if (o.kind === 'CustomResourceDefinition' && /^apiextensions\.k8s\.io\/v1$/.test(o.apiVersion) && (deferred === undefined || deferred.includes('"Webhook"')) && getIn(o.body, ['spec', 'conversion', 'strategy']) === 'Webhook') {
    at.push({ path: ['spec', 'conversion', 'webhook', 'clientConfig', 'url'], url: getIn(o.body, ['spec', 'conversion', 'webhook', 'clientConfig', 'url']), caller: 'conversion webhook', consequence: 'reading or writing the resource in a version other than the stored one fails' });
  }
  const domain = ctx.graph.settings.clusterDomain.toLowerCase();
  for (const a of at) {
    if (typeof a.url !== 'string') continue;
    const m = /^https:\/\/([^/:?#]+)(?::(\d+))?/i.exec(a.url);
    const host = m?.[1]?.toLowerCase().replace(/\.$/, '');
    const parts = host ? /^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.(.+))?$/.exec(host) : null;
    if (!parts || (parts[3] !== undefined && parts[3] !== domain)) continue;
    const port = m![2] ?? '443';
    const rest = a.url.slice(m![0].length);
    ctx.report({
      object: o,
      path: a.path,
      messageId: 'clusterUrl',
      severity: 'warning',
      data: { caller: a.caller, url: code(a.url), consequence: a.consequence, fix: `\`service\` with namespace ${code(parts[2]!)}, name ${code(parts[1]!)}, port ${port}${rest && rest !== '/' ? ` and path ${code(rest)}` : ''}` },
    });
  }
}

/**
 * The API server resolves the Service itself (k8s.io/apiserver's ResolveCluster, or
 * ResolveEndpoint with --enable-aggregator-routing): the Service must exist in the given
 * namespace and expose `port` (443 unless set) as a Service port, whatever the protocol; a
 * headless Service cannot be routed to by its ClusterIP; an ExternalName Service is called
 * at its external name, any port.
 */
function check(ctx: RuleContext, call: ApiServerCall): void {
  const { service: s, object: o } = call;
  if (typeof s.namespace !== 'string' || typeof s.name !== 'string' || s.namespace === '' || s.name === '') return; // the API server rejects it: schema-invalid
  if (s.port !== undefined && (typeof s.port !== 'number' || !Number.isInteger(s.port))) return;
  const port = (s.port as number | undefined) ?? DEFAULT_PORT;
  const { namespace, name } = s;
  const data = { caller: call.caller, service: code(`${namespace}/${name}`), consequence: call.consequence };
  let copies: readonly ServiceNode[] = ctx.graph.serviceDefinitions(namespace, name);
  // A Service that sets no namespace lands where it is applied: maybe this one.
  if (copies.length === 0) copies = ctx.graph.servicesNamed(name).filter((x) => x.object.namespaceDefaulted);
  if (copies.length === 0) {
    if (!hasServicesIn(ctx.graph, namespace)) {
      // The run holds nothing of that namespace, but the Service of that name beside the caller
      // in another one: a namespace left from a template (kubebuilder's `system`) or a slip.
      const other = otherNamespace(ctx, o, namespace, name);
      if (other === undefined) return;
      // The certificate cert-manager injects here names the Service in that other namespace: it is the one meant.
      const injected = injectedCertificate(ctx, o);
      const certified = injected !== undefined && certifies(injected.names, name, other);
      ctx.report({
        object: o,
        path: [...call.path, 'namespace'],
        messageId: 'noService',
        severity: isStrongTypo(namespace, other) || certified ? undefined : 'warning',
        data: { ...data, namespace: code(namespace), name: code(name), hint: `; the files given define no namespace ${code(namespace)}, and Service ${code(name)} is in namespace ${code(other)} beside this object${certified ? `, the one the certificate cert-manager injects here (${code(`${injected!.ns}/${injected!.name}`)}) is for` : ''}: did you mean ${code(other)}?` },
        ...(certified ? { related: [{ object: injected!.cert, path: ['spec', 'dnsNames'], message: `Certificate ${injected!.ns}/${injected!.name}` }] } : {}),
      });
      return;
    }
    const near = nearestService(ctx.graph, namespace, name, o);
    const typo = near !== undefined && isStrongTypo(name, near);
    // What the input lacks: an error when a Service of that namespace is a typo away (or live,
    // or with --complete-input), else info with the engine's note (it may be created elsewhere).
    ctx.report({
      object: o,
      path: [...call.path, 'name'],
      messageId: 'noService',
      absent: { what: `Service ${code(name)} in namespace ${code(namespace)}`, namespace, service: name, nearMiss: typo },
      data: { ...data, namespace: code(namespace), name: code(name), hint: typo ? `; did you mean ${code(near)}?` : '' },
    });
    return;
  }
  if (copies.some((x) => x.type === 'ExternalName')) return;
  const svc = copies.find((x) => sameTree(x.object, o)) ?? copies[0]!;
  const related = [{ object: svc.object, path: ['spec'], message: `Service ${namespace}/${name}` }];
  if (copies.every((x) => x.headless)) {
    ctx.report({ object: o, path: [...call.path, 'name'], messageId: 'headless', severity: 'warning', data, related });
    return;
  }
  const served = copies.find((x) => x.ports.some((p) => p.port === port));
  // Live, the Service's endpoints are known: the call reaches a pod only through a ready one.
  if (served && ctx.graph.settings.live && !hasReadyEndpoints(served)) {
    ctx.report({ object: o, path: [...call.path, 'name'], messageId: 'noEndpoints', data, related: [{ object: served.object, path: ['spec'], message: `Service ${namespace}/${name}` }], remediation: `Fix Service ${namespace}/${name} first (svclint doctor svc/${name} -n ${namespace} shows why it has no ready endpoints).` });
    return;
  }
  if (copies.some((x) => x.ports.length === 0 || x.ports.some((p) => p.port === port))) return;
  const near = sameTree(svc.object, o);
  ctx.report({
    object: o,
    path: s.port === undefined ? call.path : [...call.path, 'port'],
    messageId: 'noPort',
    severity: near ? undefined : 'info',
    data: {
      ...data,
      port: s.port === undefined ? `${DEFAULT_PORT} (the default: \`port\` is not set)` : String(port),
      ports: servicePortsText(svc),
      hint: near ? '' : ` (Service ${code(name)} is defined only in other folders of the run, such as ${code(svc.object.origin?.file.path ?? '')}, and may be another application's)`,
    },
    related: [{ object: svc.object, path: ['spec', 'ports'], message: `ports of Service ${namespace}/${name}` }],
  });
}

const INJECT_CA_FROM = 'cert-manager.io/inject-ca-from';

/**
 * The API server verifies the serving certificate of the Service it calls for the name
 * `<service>.<namespace>.svc` (k8s.io/apiserver's webhook client; Go checks the certificate's
 * DNS names, never its common name). Where cert-manager injects the CA of a Certificate of the
 * run (`cert-manager.io/inject-ca-from`), that Certificate is the one the pods serve: its
 * `dnsNames` must hold that name, or a wildcard of its namespace.
 */
/** The Certificate of the run whose CA cert-manager injects into the caller, with its DNS names; undefined when there is none, or a name is filled in later. */
function injectedCertificate(ctx: RuleContext, o: K8sObject): { cert: K8sObject; ns: string; name: string; names: string[] } | undefined {
  const from = getIn(o.body, ['metadata', 'annotations', INJECT_CA_FROM]);
  if (typeof from !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(from)) return undefined;
  const [ns, name] = from.split('/') as [string, string];
  const cert = objectsOfKind(ctx.graph, 'Certificate').find((x) => x.apiVersion.startsWith('cert-manager.io/') && x.namespace === ns && x.name === name);
  if (!cert) return undefined;
  const dnsNames = getIn(cert.body, ['spec', 'dnsNames']);
  const names = (Array.isArray(dnsNames) ? dnsNames : []).filter((n): n is string => typeof n === 'string');
  // Names a script or kustomize fills in are not judged.
  if (names.some((n) => /[$<{]/.test(n))) return undefined;
  return { cert, ns, name, names };
}

/** Whether a certificate's DNS names cover `<service>.<namespace>.svc`, the name the API server verifies. */
function certifies(names: readonly string[], service: string, namespace: string): boolean {
  const want = `${service}.${namespace}.svc`.toLowerCase();
  return names.some((n) => {
    const d = n.toLowerCase().replace(/\.$/, '');
    return d === want || (d.startsWith('*.') && want.endsWith(d.slice(1)) && want.split('.').length === d.split('.').length);
  });
}

/** The one other namespace where the run has the called Service, when the caller's namespace has no Service of its name and the run nothing of that namespace. */
function otherNamespace(ctx: RuleContext, o: K8sObject, namespace: string, name: string): string | undefined {
  if (ctx.graph.serviceDefinitions(namespace, name).length > 0 || ctx.graph.servicesNamed(name).some((x) => x.object.namespaceDefaulted) || hasServicesIn(ctx.graph, namespace)) return undefined;
  const other = [...new Set(sameNameElsewhere(ctx.graph, name, namespace, o).map((x) => x.object.namespace))];
  return other.length === 1 ? other[0] : undefined;
}

function checkCertificate(ctx: RuleContext, call: ApiServerCall): void {
  const { service: s, object: o } = call;
  if (typeof s.namespace !== 'string' || typeof s.name !== 'string') return;
  if (o.kind === 'APIService' && getIn(o.body, ['spec', 'insecureSkipTLSVerify']) === true) return;
  const injected = injectedCertificate(ctx, o);
  if (!injected) return;
  const { cert, ns, name, names } = injected;
  const want = `${s.name}.${s.namespace}.svc`.toLowerCase();
  if (certifies(names, s.name, s.namespace)) return;
  // A Service called in a namespace the run does not have, which the certificate names in the one where the
  // Service is: one mistake (the namespace), which noService reports.
  const other = otherNamespace(ctx, o, s.namespace, s.name);
  if (other !== undefined && certifies(names, s.name, other)) return;
  ctx.report({
    object: o,
    path: [...call.path, 'name'],
    messageId: 'certName',
    data: { caller: call.caller, consequence: call.consequence, want: code(want), cert: code(`${ns}/${name}`), names: names.length ? names.slice(0, 3).map((n) => code(n)).join(', ') + (names.length > 3 ? ', …' : '') : 'no DNS name' },
    related: [{ object: cert, path: names.length ? ['spec', 'dnsNames'] : ['spec'], message: `Certificate ${ns}/${name}` }],
    remediation: `Add ${want} to the Certificate's dnsNames (the name the API server verifies), or point service.name and service.namespace at the Service the certificate is for.`,
  });
}

const rule: Rule = {
  meta: {
    id: 'webhook-service-invalid',
    description: 'An admission webhook, CRD conversion webhook or APIService whose Service the API server cannot call: missing, without that port (443 unless set), headless, or served with a cert-manager Certificate not valid for <service>.<namespace>.svc.',
    category: 'reference',
    severity: 'error',
    messages: {
      noService: 'the API server calls this {{caller}} at Service {{service}}, but there is no Service {{name}} in namespace {{namespace}}{{hint}}; {{consequence}}',
      noPort: 'the API server calls this {{caller}} at port {{port}} of Service {{service}}, which exposes {{ports}}{{hint}}; the call fails ("no service port found"), and {{consequence}}',
      noEndpoints: 'the API server calls this {{caller}} at Service {{service}}, which has no ready endpoints, so every call fails (connection refused, or "no endpoints available for service"); {{consequence}}',
      certName: 'the API server calls this {{caller}} at {{want}} and verifies the serving certificate for that name, but the Certificate whose CA cert-manager injects here ({{cert}}) certifies {{names}}: the TLS handshake fails (x509: certificate is valid for other names), and {{consequence}}',
      clusterUrl: 'the API server calls this {{caller}} at {{url}}, a name in the cluster\'s DNS, but it resolves a `url`\'s host with its own resolver, not the cluster\'s DNS ("no such host": the API\'s documentation says a `url` should not name a Service of the cluster), and {{consequence}}; give `clientConfig` a {{fix}} instead',
      headless: 'the API server calls this {{caller}} at Service {{service}}, which is headless (clusterIP: None): it routes to a Service by its ClusterIP and refuses a headless one ("cannot route to service with ClusterIP None") unless it runs with --enable-aggregator-routing; {{consequence}}',
    },
    remediation: 'Point service.name and service.namespace at the Service that fronts the webhook or API server pods, and set service.port to one of its Service ports (not the container port; 443 is used when port is not set). Give that Service a ClusterIP (not clusterIP: None).',
  },
  check(ctx) {
    for (const o of ctx.graph.objects) {
      for (const call of calls(o)) {
        check(ctx, call);
        checkCertificate(ctx, call);
      }
      checkClusterUrls(ctx, o);
    }
  },
};

export default rule;
