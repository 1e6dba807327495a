// tools: control-plane
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import type { Finding } from '../src/types/finding.js';
import { ControlPlane } from './cluster/controlplane.js';
import { ruleCaseObjects } from './helpers.js';

/**
 * Differential test: generated Services, Endpoints, EndpointSlices, Namespaces and pod
 * templates are sent to a real kube-apiserver (v1.36, built by scripts/control-plane.sh) as
 * a server-side dry run (`?dryRun=All&fieldValidation=Strict`, what `kubectl apply
 * --dry-run=server` sends), and linted by svclint. svclint must say "the API server would
 * reject this" exactly when the server rejects it, on the same field paths.
 *
 * Out of scope, because they depend on the cluster's flags and not on the manifest: the
 * Service IP range (--service-cluster-ip-range: the generator uses 10.96.0.0/16 or invalid
 * text), the node port range (30000-32767 here), dual-stack (this cluster is IPv4 only), and
 * admission plugins.
 *
 * SVCLINT_ORACLE_DUMP=<prefix> writes every disagreement of a run to <prefix>.<part>.txt.
 */

/** Findings that say "the API server rejects this object". */
export function rejects(f: Finding): boolean {
  // A warning is something the API server accepts (and may drop or warn about). The rule's own
  // verdict counts: the severity contract may lower it for a fragment or a placeholder, whose
  // message still says the server rejects it.
  if ((f.ruleSeverity ?? f.severity) !== 'error') return false;
  if (f.ruleId === 'target-port-unresolved') return f.messageId === 'quotedNumber';
  if (f.ruleId === 'statefulset-service-invalid') return f.messageId === 'invalidName';
  // The kubelet's limit on a pod's FQDN hostname: the API server stores the pod, which then never starts.
  if (f.ruleId === 'pod-dns-config-invalid' && f.messageId === 'fqdnTooLong') return false;
  // Host ports the host network defaults in each pod: the template is stored, its pods are rejected.
  if (f.ruleId === 'container-port-name-invalid' && f.messageId === 'hostPortRepeatedPods') return false;
  // What only a Pod's creation checks, in a template: the template is stored, its pods are refused.
  if (f.ruleId === 'schema-invalid' && f.messageId === 'podsRefused') return false;
  // Accepted by the API server (an IP is also a DNS name made of digits), broken at runtime.
  if (f.ruleId === 'service-spec-invalid' && f.messageId === 'externalNameIP') return false;
  // Two Services asking one allocator for the same node port or cluster IP: each alone is
  // accepted, and a dry run allocates nothing, so the second create's refusal is not seen here.
  if (f.ruleId === 'service-spec-invalid' && f.messageId === 'allocated') return false;
  return ['schema-invalid', 'field-type-invalid', 'container-port-name-invalid', 'service-name-invalid', 'namespace-name-invalid', 'service-ports-invalid', 'service-spec-invalid', 'workload-selector-mismatch', 'endpoints-invalid', 'pod-dns-config-invalid'].includes(f.ruleId);
}

const NS = 'oracle';
const oneOf = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** The field is absent `absent` times as often as it is present. */
const opt = <T>(a: fc.Arbitrary<T>, absent = 2) => fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: a, weight: 1 });

// ---- Services ----------------------------------------------------------------------------
const serviceName = fc.oneof({ arbitrary: oneOf('web', 'api-v2', 'a'.repeat(63)), weight: 8 }, { arbitrary: oneOf('Web', '1web', 'web.api', 'web-', 'w_eb', 'a'.repeat(64)), weight: 1 });
const portName = fc.oneof({ arbitrary: oneOf('http', 'grpc', 'metrics', 'http-1', ''), weight: 4 }, { arbitrary: oneOf('HTTP', '-x', 'a'.repeat(16), '80', 'a_b', 'a'.repeat(64)), weight: 1 });
const targetPort = fc.oneof({ arbitrary: oneOf<number | string>(8080, 80, 0, 'http', 'metrics'), weight: 4 }, { arbitrary: oneOf<number | string>(70000, 'HTTP', '8080', 'http_x', 'a-very-long-port', 'a--b', '-web'), weight: 1 });
const servicePort = fc.record({
  name: opt(portName),
  port: fc.oneof({ arbitrary: oneOf<number | string>(80, 443, 8080), weight: 8 }, { arbitrary: oneOf<number | string>(0, 70000, '80'), weight: 1 }),
  protocol: opt(oneOf('TCP', 'UDP', 'SCTP', 'TCP', 'UDP', 'tcp', 'HTTP')),
  targetPort: opt(targetPort),
  nodePort: opt(oneOf(30080, 30080, 31000, 0), 4),
  appProtocol: opt(oneOf('http', 'kubernetes.io/h2c', 'not valid'), 8),
}, { requiredKeys: [] });
const serviceSpec = fc.record({
  type: opt(oneOf('ClusterIP', 'NodePort', 'NodePort', 'LoadBalancer', 'LoadBalancer', 'ExternalName', 'ExternalName', 'ClusterIp', '')),
  clusterIP: opt(oneOf('', 'None', 'None', '10.96.7.7', '10.96.300.1', 'abc', '010.96.7.7', '::ffff:10.96.7.7'), 4),
  clusterIPs: opt(oneOf(['10.96.7.7'], ['None'], ['10.96.7.8']), 12),
  ports: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.array(servicePort, { minLength: 1, maxLength: 3 }), weight: 1 },
    // Mostly well formed: distinct port/protocol pairs, every port named.
    { arbitrary: fc.uniqueArray(servicePort, { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol ?? 'TCP'}` }).map((ps) => ps.map((p, i) => ({ ...p, name: ps.length > 1 ? `p${i}` : p.name }))), weight: 4 },
  ),
  selector: opt(oneOf({ app: 'web' }, { app: 'web' }, { app: 'web' }, {}, { app: 'Web App' }, { 'bad key!': 'x' }), 1),
  externalName: opt(oneOf('db.example.com', 'db.example.com', 'DB.example.com', '10.1.2.3', 'http://db.example.com', 'db.example.com.', 'db:5432', 'db_1.example.com'), 4),
  externalTrafficPolicy: opt(oneOf('Cluster', 'Local', 'local'), 6),
  internalTrafficPolicy: opt(oneOf('Cluster', 'Local', 'Other'), 10),
  healthCheckNodePort: opt(oneOf(30500, 0), 12),
  loadBalancerIP: opt(oneOf('1.2.3.4', 'x'), 12),
  loadBalancerSourceRanges: opt(oneOf(['10.0.0.0/8'], ['10.0.0.1/8'], ['nope'], ['10.0.0.0/33']), 12),
  loadBalancerClass: opt(oneOf('example.com/lb', 'bad class'), 12),
  allocateLoadBalancerNodePorts: opt(fc.boolean(), 12),
  sessionAffinity: opt(oneOf('None', 'ClientIP', 'ClientIP', 'Sticky'), 6),
  sessionAffinityConfig: opt(oneOf({ clientIP: { timeoutSeconds: 10800 } }, { clientIP: { timeoutSeconds: 0 } }, { clientIP: { timeoutSeconds: 86401 } }, { clientIP: {} }), 8),
  ipFamilies: opt(oneOf(['IPv4'], ['IPv4'], ['IPv4', 'IPv4'], ['IPv5'], ['IPv4', 'IPv6']), 12),
  ipFamilyPolicy: opt(oneOf('SingleStack', 'PreferDualStack', 'Dual'), 12),
  externalIPs: opt(oneOf(['192.0.2.10'], ['192.0.2.10'], ['127.0.0.1'], ['169.254.1.1'], ['abc'], ['0.0.0.0'], ['224.0.0.9']), 12),
  publishNotReadyAddresses: opt(fc.boolean(), 8),
  trafficDistribution: opt(oneOf('PreferClose', 'PreferSameZone', 'PreferSameNode', 'PreferZone', 'preferClose'), 10),
}, { requiredKeys: [] })
  // The oracle's cluster is IPv4 only: a dual-stack policy with IPv6 listed is refused for that
  // reason alone ("not configured on this cluster"), which the files cannot tell. Under
  // SingleStack (written, or unset) two families are refused on any cluster.
  .map((spec) => (Array.isArray(spec.ipFamilies) && spec.ipFamilies.includes('IPv6') && (spec.ipFamilyPolicy === 'PreferDualStack' || spec.ipFamilyPolicy === 'RequireDualStack') ? { ...spec, ipFamilies: ['IPv4'] } : spec));
const sourceRangesAnnotation = opt(oneOf('10.0.0.0/8', '10.0.0.0/8, 192.168.0.0/16', '$INBOUND_CIDRS', ''), 12);
const service = fc.record({ name: serviceName, spec: serviceSpec, ranges: sourceRangesAnnotation }).map(({ name, spec, ranges }) => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: clean({ name, namespace: NS, annotations: ranges === undefined ? undefined : { 'service.beta.kubernetes.io/load-balancer-source-ranges': ranges } }),
  spec: clean(spec),
}));

// ---- Endpoints and EndpointSlices ------------------------------------------------------------
const ipv4 = fc.oneof({ arbitrary: oneOf('10.1.2.3', '192.0.2.7', '239.1.1.1', '255.255.255.255', '100.64.0.1'), weight: 4 }, { arbitrary: oneOf('127.0.0.1', '127.5.5.5', '169.254.1.1', '224.0.0.5', '0.0.0.0', '010.1.2.3', '10.1.2.3.4', 'not-an-ip'), weight: 1 });
const ipv6 = fc.oneof({ arbitrary: oneOf('2001:db8::1', 'fd00::5', 'ff05::1'), weight: 3 }, { arbitrary: oneOf('2001:DB8::1', '::1', 'fe80::1', 'ff02::1', 'ff12::1', '::', '::ffff:10.1.2.3', '2001:db8:0:0:0:0:0:1', 'fe90::1'), weight: 1 });
const anyIP = fc.oneof(ipv4, ipv6);
const endpointAddress = fc.record({ ip: anyIP, hostname: opt(oneOf('web-0', 'Web', 'a.b')), nodeName: opt(oneOf('node-1', 'Node_1'), 4) }, { requiredKeys: ['ip'] });
const endpointPort = fc.record({ name: opt(portName), port: oneOf(8080, 8080, 0, 70000), protocol: opt(oneOf('TCP', 'UDP', 'udp')) }, { requiredKeys: ['port'] });
const subset = fc.record({
  addresses: opt(fc.array(endpointAddress, { maxLength: 2 }), 1),
  notReadyAddresses: opt(fc.array(endpointAddress, { maxLength: 2 }), 3),
  ports: opt(fc.array(endpointPort, { maxLength: 3 }), 5),
}, { requiredKeys: [] });
const endpoints = fc.record({ name: serviceName, subsets: fc.array(subset, { maxLength: 2 }) }).map(({ name, subsets }) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: NS }, subsets: clean(subsets) }));
const slicePort = fc.record({ name: opt(portName), port: opt(oneOf(8080, 8080, 0, 70000), 5), protocol: opt(oneOf('TCP', 'UDP', 'udp')) }, { requiredKeys: [] });
const sliceEndpoint = (addresses: fc.Arbitrary<string>) => fc.record({
  addresses: fc.array(addresses, { maxLength: 2 }),
  hostname: opt(oneOf('web-0', 'Web')),
  nodeName: opt(oneOf('node-1', 'Node_1'), 5),
  conditions: opt(oneOf({ ready: true }, { ready: false, serving: true, terminating: true }), 3),
}, { requiredKeys: ['addresses'] });
const endpointSlice = fc.record({
  name: oneOf('web-abc12', 'web.abc', 'Web-1'),
  service: opt(oneOf('web', 'Web'), 6),
  addressType: oneOf('IPv4', 'IPv4', 'IPv6', 'FQDN', 'ipv4'),
  endpoints: fc.array(sliceEndpoint(fc.oneof(anyIP, oneOf('db.example.com', 'DB.example.com', 'db_1.example.com', 'db'))), { maxLength: 2 }),
  ports: opt(fc.array(slicePort, { maxLength: 3 }), 6),
}).map(({ name, service: svc, addressType, endpoints: eps, ports }) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: clean({ name, namespace: NS, labels: { 'kubernetes.io/service-name': svc ?? 'web' } }), addressType, endpoints: clean(eps), ports: clean(ports),
}));

// ---- Pod templates -----------------------------------------------------------------------
const containerPort = fc.record({ name: opt(portName), containerPort: fc.oneof({ arbitrary: oneOf<number | string>(8080, 9090, 53), weight: 8 }, { arbitrary: oneOf<number | string | undefined>(0, 70000, '8080', undefined), weight: 1 }), protocol: opt(oneOf('TCP', 'UDP', 'SCTP', 'tcp'), 3), hostPort: opt(oneOf(8080, 9090, 18080, 0, 70000), 6) }, { requiredKeys: [] });
const probePort = fc.oneof({ arbitrary: oneOf<number | string>(8080, 'http', 'metrics', 'undeclared'), weight: 4 }, { arbitrary: oneOf<number | string>('8080', 'HTTP', 0, 70000, 'a-very-long-port'), weight: 1 });
const probe = fc.oneof(
  { arbitrary: fc.oneof(probePort.map((port) => ({ httpGet: { port } })), probePort.map((port) => ({ tcpSocket: { port } })), oneOf({ grpc: { port: 9090 } }, { grpc: { port: 0 } })), weight: 6 },
  // No handler, two handlers, exec, thresholds and timings the API server bounds.
  { arbitrary: oneOf({}, { httpGet: { port: 8080 }, tcpSocket: { port: 8080 } }, { exec: { command: ['true'] } }, { exec: {} }, { tcpSocket: { port: 8080 }, successThreshold: 2 }, { tcpSocket: { port: 8080 }, failureThreshold: 0 }, { tcpSocket: { port: 8080 }, periodSeconds: -1 }, { tcpSocket: { port: 8080 }, initialDelaySeconds: -5 }, { tcpSocket: { port: 8080 }, timeoutSeconds: 0 }, { httpGet: { port: 8080, scheme: 'http' } }, { httpGet: { port: 8080, path: 'healthz' } }, { httpGet: { port: 8080, httpHeaders: [{ name: 'Host: a.example.com', value: '' }] } }, { httpGet: { port: 8080, httpHeaders: [{ name: 'X-Probe-2', value: 'a: b' }] } }, { httpGet: { port: 8080, httpHeaders: [{ name: 'x_y', value: '' }] } }, { httpGet: { port: 8080, httpHeaders: [{ name: '', value: 'x' }] } }), weight: 2 },
);
// Quantities as people write them, right and wrong (units in the wrong case, bytes as `MB`, signs, odd numbers).
const quantity = fc.oneof(
  { arbitrary: oneOf<string | number>('500m', '1', '2', '0.5', '250m', '128Mi', '512Mi', '1Gi', '1.5Gi', '1G', '100M', '1e3', '1E', '2k', '1Ki', 0.5, 2, 1, 0), weight: 6 },
  { arbitrary: oneOf<string | number>('512MB', '1GB', '1gi', '1K', '1KB', '2Gib', '1 Gi', ' 1Gi', '1e', '1.2.3', '1Mi3', '+1', '-1', -1, '-500m', '.5', '1.', 'Gi', '0.1m', '1e-3', '1e+2', '3.7', 1e21, ''), weight: 2 },
);
const resourceName = fc.oneof({ arbitrary: oneOf('cpu', 'memory', 'ephemeral-storage'), weight: 8 }, { arbitrary: oneOf('nvidia.com/gpu', 'example.com/foo', 'hugepages-2Mi', 'hugepages-1Gi', 'hugepages-x', 'storage', 'mem', 'CPU', 'kubernetes.io/foo', 'requests.example.com/x', 'example.com/a/b', 'example_com/x'), weight: 1 });
const resourceMap = fc.dictionary(resourceName, quantity, { maxKeys: 3 });
const resources = fc.record({ limits: opt(resourceMap, 1), requests: opt(resourceMap, 1) }, { requiredKeys: [] });
// Hooks: sleeps against the grace period (30 s unless the template sets it), header names.
const lifecycle = oneOf({ preStop: { sleep: { seconds: 5 } } }, { preStop: { sleep: { seconds: 30 } } }, { preStop: { sleep: { seconds: 45 } } }, { preStop: { sleep: { seconds: -1 } } }, { postStart: { sleep: { seconds: 0 } } }, { preStop: { httpGet: { port: 8080, httpHeaders: [{ name: 'A B', value: '' }] } } }, { postStart: { httpGet: { port: 8080, httpHeaders: [{ name: 'Authorization', value: 'Bearer x' }] } } });
const container = fc.record({ ports: opt(fc.array(containerPort, { maxLength: 3 }), 1), readinessProbe: opt(probe), livenessProbe: opt(probe, 4), startupProbe: opt(probe, 6), resources: opt(resources, 2), lifecycle: opt(lifecycle, 5) }, { requiredKeys: [] });
// A pod's DNS settings: policies (a case slip is a different value), nameservers, searches, options.
const dnsConfig = fc.record({
  nameservers: opt(fc.array(oneOf('10.96.0.10', '1.1.1.1', '8.8.8.8', '2001:4860:4860::8888', '127.0.0.1', 'dns.example.com', '1.1.1.01', '::ffff:1.2.3.4', 'fe80::1%eth0', ' 1.1.1.1', ''), { maxLength: 4 }), 1),
  searches: fc.oneof(
    { arbitrary: opt(fc.array(oneOf('svc.cluster.local', 'example.com', 'corp.example.com.', 'Example.COM', 'a_b.example.com', '_sip._tcp.example.com', 'a_', '__a', 'a__b', '.', '..', 'a..', '-bad.example.com', 'a..b', `${'a'.repeat(64)}.com`, `${'a'.repeat(249)}.com.`, `${'a'.repeat(250)}.com`, ''), { maxLength: 7 }), 1), weight: 6 },
    // Past the counts: 33 entries, or 2,048 characters in all.
    { arbitrary: oneOf(Array.from({ length: 33 }, (_, i) => `s${i}.example.com`), Array.from({ length: 32 }, (_, i) => `s${i}.example.com`), Array.from({ length: 9 }, (_, i) => `${i}${'a'.repeat(226)}.com`), Array.from({ length: 8 }, (_, i) => `${i}${'a'.repeat(251)}`)), weight: 1 },
  ),
  options: opt(fc.array(fc.record({ name: opt(oneOf('ndots', 'edns0', 'timeout', ''), 5), value: opt(oneOf('2', '5', 'x'), 1) }, { requiredKeys: [] }), { maxLength: 2 }), 2),
}, { requiredKeys: [] });
const label = oneOf('web-0', 'web', '1web', '', 'Web_1', 'web.1', 'a'.repeat(63), 'a'.repeat(64), '-web');
const podDns = fc.record({
  dnsPolicy: opt(oneOf('ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None', 'None', 'clusterfirst', 'ClusterFirstWithHostnet', ''), 1),
  hostNetwork: opt(oneOf(true, false), 3),
  dnsConfig: opt(dnsConfig, 1),
  hostname: opt(label, 3),
  subdomain: opt(label, 3),
  hostAliases: opt(fc.array(fc.record({
    ip: opt(oneOf('10.0.0.1', '2001:db8::1', 'not-ip', '010.0.0.1', 'fe80::1%eth0', ''), 1),
    hostnames: opt(fc.array(oneOf('db.local', 'db', 'DB.local', 'db_1.local', 'db.local.', ''), { maxLength: 2 }), 1),
  }, { requiredKeys: [] }), { maxLength: 2 }), 3),
}, { requiredKeys: [] });
const deployment = fc.record({
  name: oneOf('web', 'web', 'Web'),
  containers: fc.array(container, { minLength: 1, maxLength: 2 }),
  sidecar: opt(container, 4),
  selector: oneOf({ app: 'web' }, { app: 'web' }, { app: 'web' }, { app: 'other' }),
  label: oneOf('web', 'web', 'web', 'Web App'),
  dns: opt(podDns, 2),
  // Container names (DNS labels, unique in the pod) and the restart policy a Deployment allows.
  names: opt(oneOf(['c0', 'c0'], ['C0', 'c1'], ['c_0', 'c1'], ['a'.repeat(64), 'c1'], ['c0', 'sidecar']), 3),
  restartPolicy: opt(oneOf('Always', 'Never', 'OnFailure', 'always'), 5),
  grace: opt(oneOf(10, 60), 3),
  os: opt(oneOf<Record<string, unknown>>({ name: 'linux' }, { name: 'Linux' }, { name: 'LINUX' }, { name: 'darwin' }, { name: '' }, {}), 5),
}).map(({ name, containers, sidecar, selector, label, dns, names, restartPolicy, grace, os }) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
  spec: {
    selector: { matchLabels: selector },
    template: {
      metadata: { labels: { app: label } },
      spec: clean({
        containers: containers.map((c, i) => ({ name: names?.[i] ?? `c${i}`, image: 'example/app:1', ...c })),
        restartPolicy,
        terminationGracePeriodSeconds: grace,
        os,
        initContainers: sidecar ? [{ name: 'sidecar', image: 'example/proxy:1', restartPolicy: 'Always', ...sidecar }] : undefined,
        ...dns,
      }),
    },
  },
}));

// Volumes, mounts, env and envFrom: names, sources, paths, modes, downward API fields, the slips people make.
const fileMode = fc.oneof({ arbitrary: oneOf(0o644, 0o755, 0o400, 420, 0, 0o777), weight: 4 }, { arbitrary: oneOf(644, 755, 600, 512, -1), weight: 1 });
const itemPath = oneOf('app.conf', 'conf/app.yaml', 'app.conf', '', '/etc/app.conf', '../up', '..x', 'a/../b', 'a/..', 'a..b');
const keyToPath = fc.record({ key: oneOf('app.conf', 'app.conf', 'level', '', 'a/b', '..x', '.'), path: itemPath, mode: opt(fileMode, 4) }, { requiredKeys: ['key', 'path'] });
const items = opt(fc.array(keyToPath, { maxLength: 2 }), 2);
const volumeFieldPath = oneOf('metadata.name', 'metadata.labels', "metadata.labels['app']", "metadata.annotations['Example.com/Note']", 'status.podIP', 'metadata.labels.app', "metadata.labels['bad key']", "spec.nodeName['x']", 'status.phase', 'bogus', '');
const downwardItem = fc.record({
  path: itemPath,
  fieldRef: opt(fc.record({ fieldPath: volumeFieldPath, apiVersion: opt(oneOf('v1', 'v2'), 4) }, { requiredKeys: ['fieldPath'] }), 1),
  resourceFieldRef: opt(fc.record({ containerName: opt(oneOf('c0', ''), 2), resource: oneOf('limits.cpu', 'requests.memory', 'limits.hugepages-2Mi', 'cpu', '') }, { requiredKeys: ['resource'] }), 2),
  mode: opt(fileMode, 4),
}, { requiredKeys: ['path'] });
const projection = fc.oneof(
  fc.record({ name: opt(oneOf('settings', 'settings', ''), 4), items }, { requiredKeys: [] }).map((x) => ({ configMap: clean(x) })),
  fc.record({ name: opt(oneOf('creds', 'creds', ''), 4), items }, { requiredKeys: [] }).map((x) => ({ secret: clean(x) })),
  fc.array(downwardItem, { maxLength: 2 }).map((i) => ({ downwardAPI: clean({ items: i }) })),
  fc.record({ path: oneOf('token', 'token', '', '/token', '../token'), expirationSeconds: opt(oneOf(3600, 600, 599, 60, 0, 2 ** 32 + 1), 2) }, { requiredKeys: ['path'] }).map((x) => ({ serviceAccountToken: clean(x) })),
);
const volumeSource = fc.oneof(
  { arbitrary: oneOf<Record<string, unknown>>({ emptyDir: {} }, { persistentVolumeClaim: { claimName: 'data' } }, { persistentVolumeClaim: { claimName: '' } }, { hostPath: { path: '/var/log' } }, { hostPath: { path: '' } }, { hostPath: { path: '/var/../etc' } }, { hostPath: { path: '/run/x.sock', type: 'Socket' } }, { hostPath: { path: '/x', type: 'directory' } }, {}, { emptyDir: {}, configMap: { name: 'settings' } }, { emptyDir: null }), weight: 3 },
  { arbitrary: fc.record({ name: opt(oneOf('settings', 'settings', ''), 6), defaultMode: opt(fileMode, 3), items }, { requiredKeys: [] }).map((x) => ({ configMap: clean(x) })), weight: 3 },
  { arbitrary: fc.record({ secretName: opt(oneOf('creds', 'creds', ''), 6), defaultMode: opt(fileMode, 3), items }, { requiredKeys: [] }).map((x) => ({ secret: clean(x) })), weight: 3 },
  { arbitrary: fc.record({ defaultMode: opt(fileMode, 3), items: fc.array(downwardItem, { maxLength: 2 }) }, { requiredKeys: ['items'] }).map((x) => ({ downwardAPI: clean(x) })), weight: 2 },
  { arbitrary: fc.record({ defaultMode: opt(fileMode, 4), sources: fc.array(projection, { maxLength: 3 }) }, { requiredKeys: ['sources'] }).map((x) => ({ projected: clean(x) })), weight: 2 },
);
const volumeName = fc.oneof({ arbitrary: oneOf('config', 'data', 'cache'), weight: 8 }, { arbitrary: oneOf('Config', '', 'a_b', 'a'.repeat(64)), weight: 1 });
const volume = fc.tuple(volumeName, volumeSource).map(([name, src]) => ({ name, ...src }));
const mount = fc.record({
  name: oneOf('config', 'data', 'cache', 'config', 'data', 'confg', '', 'Config'),
  mountPath: oneOf('/etc/app', '/data', '/cache', '/etc/app', ''),
  subPath: opt(oneOf('app.conf', '/abs', '../x', 'a/../b', 'a..b'), 3),
  subPathExpr: opt(oneOf('$(POD_NAME)', '/x'), 6),
  mountPropagation: opt(oneOf('None', 'HostToContainer', 'Bidirectional', 'none'), 6),
}, { requiredKeys: ['name', 'mountPath'] });
const keyRef = fc.record({ name: opt(oneOf('settings', 'settings', 'settings', 'Settings', '', 'a_b'), 8), key: oneOf('level', 'level', 'a/b', '', '..', '.x', 'a'.repeat(254)), optional: opt(fc.boolean(), 3) }, { requiredKeys: ['key'] });
const valueFrom = fc.oneof(
  fc.record({ fieldPath: oneOf('metadata.name', 'status.podIP', 'status.hostIPs', 'spec.host', 'metadata.labels', 'metadata.labels.app', "metadata.labels['app']", "metadata.annotations['Example.com/Note']", 'spec.restartPolicy', 'status.phase', 'bogus', ''), apiVersion: opt(oneOf('v1', 'v2'), 4) }, { requiredKeys: ['fieldPath'] }).map((f) => ({ fieldRef: clean(f) })),
  fc.record({ resource: oneOf('limits.cpu', 'requests.memory', 'limits.hugepages-2Mi', 'cpu', ''), containerName: opt(oneOf('c0', 'x'), 3) }, { requiredKeys: ['resource'] }).map((r) => ({ resourceFieldRef: clean(r) })),
  keyRef.map((r) => ({ configMapKeyRef: clean(r) })),
  keyRef.map((r) => ({ secretKeyRef: clean(r) })),
  oneOf<Record<string, unknown>>({}, { configMapKeyRef: { name: 'settings', key: 'level' }, secretKeyRef: { name: 'creds', key: 'level' } }),
);
const envVar = fc.record({
  name: fc.oneof({ arbitrary: oneOf('LEVEL', 'MY.VAR', 'my-var', 'LEVEL_2'), weight: 6 }, { arbitrary: oneOf('1ABC', 'A=B', '', '\u00c4', 'A B', 'A\tB'), weight: 1 }),
  value: opt(oneOf('x', ''), 2),
  valueFrom: opt(valueFrom, 1),
}, { requiredKeys: ['name'] });
const envFromSource = fc.record({
  prefix: opt(oneOf('APP_', 'A=B', '1X', ''), 3),
  configMapRef: opt(fc.record({ name: opt(oneOf('settings', 'settings', '', 'Bad', 'settings-'), 6) }, { requiredKeys: [] }), 1),
  secretRef: opt(fc.record({ name: opt(oneOf('creds', '', 'creds-'), 6) }, { requiredKeys: [] }), 3),
}, { requiredKeys: [] });
const runAsId = opt(oneOf(1000, 0, 65534, -1, 2147483648), 3);
const seccompProfile = opt(oneOf<Record<string, unknown>>({ type: 'RuntimeDefault' }, { type: 'RuntimeDefault' }, { type: 'runtimeDefault' }, { type: 'Localhost' }, { type: 'Localhost', localhostProfile: 'profiles/audit.json' }, { type: 'Localhost', localhostProfile: '/profiles/audit.json' }, { type: 'Unconfined', localhostProfile: 'x.json' }, { type: '' }), 3);
const containerSecurity = fc.record({
  runAsUser: runAsId,
  runAsGroup: runAsId,
  allowPrivilegeEscalation: opt(fc.boolean(), 2),
  privileged: opt(fc.boolean(), 3),
  capabilities: opt(oneOf({ add: ['CAP_SYS_ADMIN'] }, { add: ['NET_ADMIN'] }, { drop: ['ALL'] }), 3),
  seccompProfile,
  procMount: opt(oneOf('Default', 'Unmasked', 'unmasked'), 6),
}, { requiredKeys: [] });
const toleration = fc.record({
  key: opt(oneOf('dedicated', 'example.com/gpu', 'node.kubernetes.io/not-ready', 'bad key', ''), 4),
  operator: opt(oneOf('Equal', 'Exists', 'Exists', 'exists', 'In'), 2),
  value: opt(oneOf('gpu', 'true', '', 'a b'), 2),
  effect: opt(oneOf('NoSchedule', 'NoExecute', 'PreferNoSchedule', 'noSchedule', ''), 2),
  tolerationSeconds: opt(oneOf(300, 0), 5),
}, { requiredKeys: [] });
const nodeRequirement = fc.record({
  key: oneOf('kubernetes.io/os', 'disktype', 'disktype', 'bad key', 'example.com/zone'),
  operator: oneOf('In', 'In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'in', 'Equals'),
  values: opt(oneOf(['linux'], ['ssd', 'nvme'], [], ['8'], ['a b'], ['1', '2']), 1),
}, { requiredKeys: ['key', 'operator'] });
const nodeAffinity = fc.record({
  requiredDuringSchedulingIgnoredDuringExecution: opt(fc.array(fc.record({ matchExpressions: fc.array(nodeRequirement, { maxLength: 2 }) }), { maxLength: 2 }).map((terms) => ({ nodeSelectorTerms: terms })), 1),
  preferredDuringSchedulingIgnoredDuringExecution: opt(fc.array(fc.record({ weight: oneOf(1, 50, 100, 0, 101), preference: fc.record({ matchExpressions: fc.array(nodeRequirement, { maxLength: 2 }) }) }), { maxLength: 2 }), 1),
}, { requiredKeys: [] });
const spreadConstraint = fc.record({
  maxSkew: oneOf(1, 1, 2, 0, -1),
  topologyKey: oneOf('topology.kubernetes.io/zone', 'kubernetes.io/hostname', ''),
  whenUnsatisfiable: oneOf('DoNotSchedule', 'ScheduleAnyway', 'doNotSchedule', 'Never'),
  labelSelector: fc.constant({ matchLabels: { app: 'web' } }),
  minDomains: opt(oneOf(2, 0), 4),
  nodeAffinityPolicy: opt(oneOf('Honor', 'Ignore', 'honor'), 5),
  nodeTaintsPolicy: opt(oneOf('Honor', 'Ignore', 'ignore'), 5),
}, { requiredKeys: ['maxSkew', 'topologyKey', 'whenUnsatisfiable', 'labelSelector'] });
const storageContainer = fc.record({
  image: opt(oneOf('', null), 10),
  imagePullPolicy: opt(oneOf('Always', 'IfNotPresent', 'Never', 'always', 'IfNotPresent', 'ifnotpresent'), 3),
  securityContext: opt(containerSecurity, 3),
  volumeMounts: opt(fc.array(mount, { maxLength: 3 }), 1),
  env: opt(fc.array(envVar, { maxLength: 3 }), 1),
  envFrom: opt(fc.array(envFromSource, { maxLength: 2 }), 2),
  privileged: opt(fc.constant(true), 4),
}, { requiredKeys: [] });
const storageDeployment = fc.record({
  volumes: opt(fc.array(volume, { maxLength: 3 }), 4),
  containers: fc.array(storageContainer, { minLength: 1, maxLength: 2 }),
  scheduling: fc.record({
    securityContext: opt(fc.record({ runAsUser: runAsId, fsGroup: runAsId, seccompProfile }, { requiredKeys: [] }), 4),
    hostUsers: opt(fc.constant(false), 8),
    serviceAccountName: opt(oneOf('web', 'web-sa', 'web.sa', 'web_sa', 'Web'), 4),
    priorityClassName: opt(oneOf('high', 'system-cluster-critical', 'High_Priority'), 8),
    runtimeClassName: opt(oneOf('gvisor', 'Kata'), 10),
    preemptionPolicy: opt(oneOf('Never', 'PreemptLowerPriority', 'never', ''), 8),
    readinessGates: opt(oneOf([{ conditionType: 'example.com/ready' }], [{ conditionType: 'target-health.elbv2.k8s.aws/web' }], [{ conditionType: 'bad type' }], [{ conditionType: '' }]), 8),
    tolerations: opt(fc.array(toleration, { maxLength: 2 }), 3),
    nodeSelector: opt(oneOf<Record<string, string>>({ disktype: 'ssd' }, { 'kubernetes.io/os': 'linux' }, { 'bad key': 'x' }, { disktype: 'a b' }), 4),
    affinity: opt(nodeAffinity.map((nodeAffinity) => ({ nodeAffinity })), 4),
    topologySpreadConstraints: opt(fc.array(spreadConstraint, { maxLength: 2 }), 4),
  }, { requiredKeys: [] }),
}).map(({ volumes, containers, scheduling }) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: clean({
        volumes,
        ...scheduling,
        containers: containers.map(({ image, privileged, securityContext, ...c }, i) => {
          const out: Record<string, unknown> = { name: `c${i}`, image: 'example/app:1', ...clean(c) };
          if (image === '') out.image = '';
          if (image === null) delete out.image;
          if (privileged || securityContext) out.securityContext = clean({ ...securityContext, ...(privileged ? { privileged: true } : {}) });
          return out;
        }),
      }),
    },
  },
}));

// Rollout strategies, counts and durations of apps/v1 workloads, with the defaults the server fills in.
const rolloutBound = opt(oneOf<number | string>(0, 1, 2, '0%', '25%', '100%', '150%', '1', '25', -1, 'x%'), 1);
const podTemplate = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'example/app:1' }] } });
const rolloutWorkload = fc.oneof(
  fc.record({
    type: opt(oneOf('RollingUpdate', 'Recreate', 'recreate', ''), 1),
    rollingUpdate: opt(fc.record({ maxUnavailable: rolloutBound, maxSurge: rolloutBound }, { requiredKeys: [] }), 1),
    replicas: opt(oneOf(1, 0, -1), 3),
    minReadySeconds: opt(oneOf(0, 10, 600, 900, -1), 2),
    progressDeadlineSeconds: opt(oneOf(600, 10, 1000, -1), 2),
    revisionHistoryLimit: opt(oneOf(0, 3, -1), 4),
    activeDeadlineSeconds: opt(fc.constant(30), 8),
  }, { requiredKeys: [] }).map(({ type, rollingUpdate, activeDeadlineSeconds, ...rest }) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
    spec: clean({ ...rest, selector: { matchLabels: { app: 'web' } }, strategy: type === undefined && rollingUpdate === undefined ? undefined : { type, rollingUpdate }, template: { ...podTemplate('web'), spec: { ...podTemplate('web').spec, activeDeadlineSeconds } } }),
  })),
  fc.record({
    type: opt(oneOf('RollingUpdate', 'OnDelete', 'onDelete'), 1),
    rollingUpdate: opt(fc.record({ maxUnavailable: rolloutBound, maxSurge: rolloutBound }, { requiredKeys: [] }), 1),
    minReadySeconds: opt(oneOf(0, 10, -1), 3),
  }, { requiredKeys: [] }).map(({ type, rollingUpdate, ...rest }) => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: NS },
    spec: clean({ ...rest, selector: { matchLabels: { app: 'agent' } }, updateStrategy: type === undefined && rollingUpdate === undefined ? undefined : { type, rollingUpdate }, template: podTemplate('agent') }),
  })),
  fc.record({
    podManagementPolicy: opt(oneOf('OrderedReady', 'Parallel', 'parallel'), 2),
    type: opt(oneOf('RollingUpdate', 'OnDelete', 'Rolling'), 1),
    rollingUpdate: opt(fc.record({ partition: opt(oneOf(0, 2, -1), 1) }, { requiredKeys: [] }), 1),
    retention: opt(fc.record({ whenDeleted: opt(oneOf('Retain', 'Delete', 'delete'), 1), whenScaled: opt(oneOf('Retain', 'Delete', 'Keep'), 1) }, { requiredKeys: [] }), 2),
    replicas: opt(oneOf(1, 3, -1), 3),
  }, { requiredKeys: [] }).map(({ type, rollingUpdate, retention, ...rest }) => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS },
    spec: clean({ ...rest, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, updateStrategy: type === undefined && rollingUpdate === undefined ? undefined : { type, rollingUpdate }, persistentVolumeClaimRetentionPolicy: retention, template: podTemplate('db') }),
  })),
);

// A StatefulSet's governing Service is named by a DNS label.
const statefulSet = fc.record({ serviceName: opt(oneOf('web', 'web', 'Web', 'web.svc', 'db_1', '', 'a'.repeat(64)), 1), dns: opt(podDns, 2) }).map(({ serviceName, dns }) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS },
  spec: clean({ serviceName, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'example/db:1' }], ...dns } } }),
}));

// ---- Ingresses ---------------------------------------------------------------------------
const ingressBackend = fc.record({
  name: oneOf('web', 'web', 'Web', 'web.svc', 'a'.repeat(64), ''),
  port: oneOf<Record<string, unknown>>({ number: 80 }, { number: 80 }, { name: 'http' }, { number: 0 }, { number: 70000 }, { name: 'HTTP' }, { name: 'a-very-long-port-name' }, { number: 80, name: 'http' }, {}),
}).map(({ name, port }) => ({ service: { name, port } }));
const ingressPath = fc.record({
  path: opt(oneOf('/', '/api', 'api', '/api/*', '/a b', '/{x}', '', '/a//b', '/a/../b', '/a/.', '/a%2Fb', '/a/..x'), 1),
  pathType: oneOf('Prefix', 'Prefix', 'Exact', 'ImplementationSpecific', 'prefix', ''),
  backend: ingressBackend,
}, { requiredKeys: ['pathType', 'backend'] });
const ingress = fc.record({
  host: opt(oneOf('shop.example.com', '*.example.com', 'Shop.example.com', 'shop.example.com.', '10.0.0.1', 'shop_1.example.com', 'a.*.example.com', '*'), 1),
  paths: fc.array(ingressPath, { maxLength: 2 }),
  defaultBackend: opt(ingressBackend, 4),
  tls: opt(fc.array(fc.record({ hosts: opt(fc.array(oneOf('shop.example.com', '*.example.com', 'Shop.example.com'), { maxLength: 2 })), secretName: opt(oneOf('tls', 'Tls_1')) }, { requiredKeys: [] }), { maxLength: 1 }), 4),
  className: opt(oneOf('nginx', 'Nginx', 'nginx_1'), 4),
  // The deprecated class annotation, which must match ingressClassName when both are set.
  classAnnotation: opt(oneOf('nginx', 'traefik'), 6),
  // No rules at all, or a rule whose http holds no paths.
  shape: opt(oneOf('no-rules', 'empty-paths'), 6),
}, { requiredKeys: ['paths'] }).map(({ host, paths, defaultBackend, tls, className, classAnnotation, shape }) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: clean({ name: 'web', namespace: NS, annotations: classAnnotation === undefined ? undefined : { 'kubernetes.io/ingress.class': classAnnotation } }),
  spec: clean({ ingressClassName: className, defaultBackend, tls, rules: shape === 'no-rules' ? undefined : [clean({ host, http: shape === 'empty-paths' ? { paths: [] } : paths.length ? { paths } : undefined })] }),
}));

// ---- NetworkPolicies ---------------------------------------------------------------------
const npPort = fc.record({
  protocol: opt(oneOf('TCP', 'UDP', 'SCTP', 'tcp', 'HTTP'), 2),
  port: opt(oneOf<number | string>(80, 8080, 'http', 'HTTP', 'a-very-long-port-name', 0, 70000, '8080'), 1),
  endPort: opt(oneOf(90, 70, 70000), 4),
}, { requiredKeys: [] });
const npPeer = fc.oneof(
  oneOf({ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: {} }, { podSelector: { matchLabels: { app: 'Web App' } } }, { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }, { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } }, { podSelector: { matchExpressions: [{ key: 'app', operator: 'in', values: ['x'] }] } }),
  oneOf({ ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }, { ipBlock: { cidr: '10.0.0.1' } }, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, { ipBlock: { cidr: '010.0.0.0/8' } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }),
);
const networkPolicy = fc.record({
  podSelector: oneOf({}, { matchLabels: { app: 'web' } }, { matchLabels: { 'app/x/y': 'web' } }),
  policyTypes: opt(oneOf(['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['ingress'], []), 2),
  ingress: opt(fc.array(fc.record({ from: opt(fc.array(npPeer, { maxLength: 2 })), ports: opt(fc.array(npPort, { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 }), 1),
  egress: opt(fc.array(fc.record({ to: opt(fc.array(npPeer, { maxLength: 2 })), ports: opt(fc.array(npPort, { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 }), 1),
}, { requiredKeys: ['podSelector'] }).map((spec) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: NS }, spec: clean(spec) }));

// ---- Namespaces --------------------------------------------------------------------------
const namespace = oneOf('shop', 'Shop', '1shop', 'shop.prod', 'shop-', 'a'.repeat(63), 'a'.repeat(64), 'shop_1').map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));

// Secrets and ConfigMaps: keys (IsConfigMapKey) and the base64 of a Secret's data and a ConfigMap's binaryData.
const dataKey = fc.oneof({ arbitrary: oneOf('app.conf', 'tls.crt', 'KEY_1', 'a-b'), weight: 4 }, { arbitrary: oneOf('bad key', 'a/b', '..x', '.', '..', 'a'.repeat(254)), weight: 1 });
const b64 = fc.oneof({ arbitrary: oneOf('aGVsbG8=', 'aGk=', '', 'aGVsbG8gd29ybGQ=\n', 'YWJj'), weight: 3 }, { arbitrary: oneOf('hello!', 'aGk', 'aGVsbG8', 'a=b=', 'shhhh! a secret', 'aGk==', '====', 'a'), weight: 1 });
const secret = fc.record({ data: opt(fc.dictionary(dataKey, b64, { maxKeys: 3 }), 1), stringData: opt(fc.dictionary(dataKey, oneOf('x', 'plain text'), { maxKeys: 2 })) })
  .map(({ data, stringData }) => clean({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: NS }, type: 'Opaque', data, stringData }));
const configMap = fc.record({ data: opt(fc.dictionary(dataKey, oneOf('x', 'port: 80'), { maxKeys: 2 }), 1), binaryData: opt(fc.dictionary(dataKey, b64, { maxKeys: 2 })) })
  .map(({ data, binaryData }) => clean({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: NS }, data, binaryData }));

const anyObject = fc.oneof({ arbitrary: secret, weight: 1 }, { arbitrary: configMap, weight: 1 }, { arbitrary: service, weight: 4 }, { arbitrary: endpoints, weight: 2 }, { arbitrary: endpointSlice, weight: 2 }, { arbitrary: deployment, weight: 3 }, { arbitrary: storageDeployment, weight: 2 }, { arbitrary: rolloutWorkload, weight: 1 }, { arbitrary: statefulSet, weight: 1 }, { arbitrary: ingress, weight: 2 }, { arbitrary: networkPolicy, weight: 2 }, { arbitrary: namespace, weight: 1 });

function clean<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v)) as T;
}

// ---- The oracle --------------------------------------------------------------------------
const PLURAL: Record<string, string> = { Service: 'services', Endpoints: 'endpoints', EndpointSlice: 'endpointslices', Deployment: 'deployments', Namespace: 'namespaces', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', ReplicaSet: 'replicasets', Pod: 'pods', Job: 'jobs', CronJob: 'cronjobs', Ingress: 'ingresses', ConfigMap: 'configmaps', Secret: 'secrets', NetworkPolicy: 'networkpolicies', ReplicationController: 'replicationcontrollers' };
const NAMESPACED = new Set(Object.keys(PLURAL).filter((k) => k !== 'Namespace'));

interface Verdict {
  /** undefined: the server does not serve this kind (not compared). */
  rejected?: boolean;
  fields: string[];
  message: string;
  clusterDependent?: boolean;
}

let cp: ControlPlane;

async function dryRun(obj: Record<string, unknown>, namespace: string): Promise<Verdict> {
  const kind = obj.kind as string;
  const apiVersion = obj.apiVersion as string;
  if (!PLURAL[kind] || typeof apiVersion !== 'string') return { fields: [], message: 'not served' };
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const url = `${base}${NAMESPACED.has(kind) ? `/namespaces/${namespace}` : ''}/${PLURAL[kind]}?dryRun=All&fieldValidation=Strict`;
  const r = await cp.api('POST', url, obj);
  // A built-in kind in an apiVersion the server does not serve (extensions/v1beta1 Ingress):
  // `kubectl apply` fails with "no matches for kind", so the object is never created.
  if (r.status === 404 && /could not find the requested resource/.test(String(r.body.message ?? ''))) return { rejected: true, fields: ['apiVersion'], message: `${apiVersion} ${kind} is not served` };
  if (r.status === 404) return { fields: [], message: 'not served' };
  // A Namespace of a rule case that this test created for the other cases' objects.
  if (r.status === 409) return { fields: [], message: 'exists' };
  if (r.status < 300) return { rejected: false, fields: [], message: '' };
  // The node-port allocator refuses a healthCheckNodePort that the Service's own nodePort took
  // as an internal error (storage/alloc.go allocHealthCheckNodePort), in a dry run too.
  if (r.status === 500 && /failed to allocate requested HealthCheck NodePort/.test(String(r.body.message ?? ''))) return { rejected: true, fields: ['spec.healthCheckNodePort'], message: String(r.body.message) };
  if (r.status !== 422 && r.status !== 400) throw new Error(`dry run of ${kind}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  const details = r.body.details as { causes?: { field?: string; message?: string }[] } | undefined;
  const message = String(r.body.message ?? '');
  // A node port the manifest leaves out is allocated by the cluster (its allocator's state, out
  // of scope like the node port range): a duplicate of an allocated one says nothing of the file.
  const ports = ((obj.spec as { ports?: unknown } | undefined)?.ports ?? []) as Record<string, unknown>[];
  const allocated = (c: { field?: string; message?: string }) => {
    const m = /^spec\.ports\[(\d+)\]\.nodePort$/.exec(c.field ?? '');
    return m !== null && Array.isArray(ports) && ports[Number(m[1])]?.nodePort === undefined;
  };
  const fields = (details?.causes ?? []).filter((c) => !allocated(c)).map((c) => c.field ?? '').filter(Boolean);
  // Strict decoding: `unknown field "spec.ports[0].targetport"`, or a type error `...: json: cannot unmarshal ... field X.spec.ports.port`.
  for (const m of message.matchAll(/unknown field "([^"]+)"/g)) fields.push(m[1]!);
  if (CLUSTER_DEPENDENT.test(message)) return { fields: [], message: 'cluster-dependent', clusterDependent: true };
  return { rejected: true, fields: [...new Set(fields.map((f) => normalize(f, obj, message)))], message };
}

/** The server's field path, in the words of the manifest. */
function normalize(field: string, obj: Record<string, unknown>, message: string): string {
  const spec = obj.spec as Record<string, unknown> | undefined;
  // The strategy copies clusterIP into clusterIPs before validation.
  if (field.startsWith('spec.clusterIPs') && spec && spec.clusterIPs === undefined) return 'spec.clusterIP';
  if (field.startsWith('spec.LoadBalancerSourceRanges')) return `spec.loadBalancerSourceRanges${field.slice('spec.LoadBalancerSourceRanges'.length)}`;
  if (field === 'allocateLoadBalancerNodePorts') return 'spec.allocateLoadBalancerNodePorts';
  // Ingress validation names the class annotation without `metadata.`.
  if (field.startsWith('annotations.')) return `metadata.annotations["${field.slice('annotations.'.length)}"]`;
  // An omitted targetPort defaults to port, so a bad port is reported twice.
  const tp = /^spec\.ports\[(\d+)\]\.targetPort$/.exec(field);
  if (tp && spec && Array.isArray(spec.ports)) {
    const t = (spec.ports[Number(tp[1])] as Record<string, unknown> | undefined)?.targetPort;
    if (t === undefined || t === 0 || t === '') return `spec.ports[${tp[1]}].port`;
  }
  // The pod template's labels are validated as `spec.template.labels`.
  if (field.startsWith('spec.template.labels')) return `spec.template.metadata.labels${field.slice('spec.template.labels'.length)}`;
  // A workload selector that misses its template is reported at the template's labels;
  // svclint reports the selector: the same mismatch, at its other end.
  if (field === 'spec.template.metadata.labels' && /does not match template/.test(message)) return 'spec.selector';
  // Pod validation names some fields without the index of their list item (its own slips): a
  // mount's subPath, a downward API item's fields, a projected token's path. The item's list stands for them.
  const unindexed = /^(.*\.volumeMounts)\.(subPath|subPathExpr|mountPropagation|recursiveReadOnly)$/.exec(field)
    ?? /^(.*\.downwardAPI)\.(?!items)[a-zA-Z]+(\..*)?$/.exec(field)
    ?? /^(.*\.projected)\.path$/.exec(field);
  if (unindexed) return unindexed[1]!;
  // A Deployment whose minReadySeconds reaches the default progress deadline: svclint points
  // at minReadySeconds, the field written.
  if (field === 'spec.progressDeadlineSeconds' && obj.kind === 'Deployment' && spec && spec.progressDeadlineSeconds === undefined) return 'spec.minReadySeconds';
  // A toleration's value that its operator does not take is reported at the operator; svclint
  // points at the value, which is what to change.
  const tol = /^spec\.template\.spec\.tolerations\[(\d+)\]\.operator$/.exec(field);
  if (tol) {
    const t = ((spec?.template as { spec?: { tolerations?: Record<string, unknown>[] } } | undefined)?.spec?.tolerations ?? [])[Number(tol[1])];
    const keyed = typeof t?.key === 'string' && t.key !== '';
    const op = t?.operator;
    if (t && typeof t.value === 'string' && t.value !== '' && (op === 'Exists' || (keyed && (op === undefined || op === '' || op === 'Equal')))) return `spec.template.spec.tolerations[${tol[1]}].value`;
  }
  // A Namespace's name is copied into its kubernetes.io/metadata.name label and rejected there too.
  if (obj.kind === 'Namespace' && field.startsWith('metadata.labels')) return 'metadata.name';
  // Map keys: the server writes spec.selector[app], svclint spec.selector.app.
  return field.replace(/\[([^\]]*[^\]\d][^\]]*|[^\]\d]+)\]/g, (_m, k: string) => (/^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`));
}

/** Rejections that depend on the cluster's flags (IP and port ranges, IP families), not on the manifest. */
const CLUSTER_DEPENDENT = /not in the valid range|not configured on this cluster|is not configured|already allocated|dual-stack|does not support(?! subscript)/i;

function svclint(obj: Record<string, unknown>, namespace = NS): { rejected: boolean; fields: string[]; findings: Finding[] } {
  // Rule cases silence rules with annotations; the comparison needs every verdict.
  const meta = obj.metadata as { annotations?: Record<string, unknown> } | undefined;
  if (meta?.annotations) obj = { ...obj, metadata: { ...meta, annotations: Object.fromEntries(Object.entries(meta.annotations).filter(([k]) => !k.startsWith('svclint.dev/'))) } };
  // Written as YAML 1.1, as kubectl and svclint read manifests: a string such as "yes" is quoted, so svclint reads the string the server is sent.
  const { findings } = lintText(stringify(obj, { version: '1.1' }), 'object.yaml', { namespace, config: { ...defaultConfig(), kubernetesVersion: '1.36' } });
  const bad = findings.filter(rejects);
  return { rejected: bad.length > 0, fields: [...new Set(bad.map((f) => f.path))], findings: bad };
}

/** Paths agree when equal or when one holds the other (a missing field is reported at its parent). */
function samePlace(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`) || a === '' || b === '';
}

interface Tally {
  /** Disagreements by kind: `svclint only|server only <Kind> <path with indexes dropped>`. */
  kinds: Map<string, number>;
  objects: number;
  /** Per kind: [accepted, rejected] by the API server. */
  byKind: Map<string, [number, number]>;
  verdicts: number;
  rejected: number;
  paths: number;
  clusterDependent: number;
  disagreements: string[];
}

function compare(obj: Record<string, unknown>, theirs: Verdict, tally: Tally, namespace = NS): void {
  if (theirs.clusterDependent) tally.clusterDependent++;
  if (theirs.rejected === undefined) return;
  const ours = svclint(obj, namespace);
  // A Secret's stringData is merged into data before validation: the server names data's key.
  if (obj.kind === 'Secret') ours.fields = ours.fields.map((f) => f.replace(/^stringData(?=[.[])/, 'data'));
  // A pod template's annotations are validated under the template's path, without `metadata`.
  theirs = { ...theirs, fields: theirs.fields.map((f) => f.replace(/^(spec\.(?:jobTemplate\.spec\.)?template)\.annotations(?=[.[])/, '$1.metadata.annotations')) };
  tally.objects++;
  tally.verdicts++;
  if (theirs.rejected) tally.rejected++;
  const k = tally.byKind.get(obj.kind as string) ?? [0, 0];
  k[theirs.rejected ? 1 : 0]++;
  tally.byKind.set(obj.kind as string, k);
  const show = () => `\n  server: ${theirs.rejected ? `rejects ${JSON.stringify(theirs.fields)} ${theirs.message.slice(0, 600)}` : 'accepts'}\n  svclint: ${ours.findings.map((f) => `${f.ruleId}/${f.messageId} ${f.path}: ${f.message}`).join('\n           ') || 'accepts'}\n${stringify(obj)}`;
  const kind = (who: string, p: string) => {
    const k = `${who} ${obj.kind} ${p.replace(/\[\d+\]/g, '[]')}`;
    tally.kinds.set(k, (tally.kinds.get(k) ?? 0) + 1);
  };
  if (theirs.rejected !== ours.rejected) {
    if (theirs.rejected) for (const f of theirs.fields.length ? theirs.fields : ['?']) kind('server only', f);
    else for (const f of ours.fields) kind('svclint only', f);
    tally.disagreements.push(`verdict ${obj.kind}${show()}`);
    return;
  }
  if (!theirs.rejected) return;
  for (const f of theirs.fields) {
    // A mount of a volume the server rejects is "Not found" too; svclint reports the volume's own fault only.
    if (mountOfRejectedVolume(obj, f, ours.fields)) continue;
    // A Service without any spec is read as a patch fragment: svclint does not ask it for ports.
    if (obj.kind === 'Service' && obj.spec === undefined && f === 'spec.ports') continue;
    tally.paths++;
    if (!ours.fields.some((o) => samePlace(o, f))) {
      kind('server only', f);
      tally.disagreements.push(`path ${f} not reported by svclint, ${obj.kind}${show()}`);
    }
  }
  // The Service REST storage validates in stages (IP families and cluster IPs first) and
  // answers with the first stage's errors only; so a field only svclint reports counts as a
  // disagreement where svclint sees one fault, and the server then has no earlier stage to stop at.
  if (ours.fields.length > 1) return;
  for (const o of ours.fields) {
    tally.paths++;
    if (theirs.fields.length && !theirs.fields.some((f) => samePlace(o, f))) {
      kind('svclint only', o);
      tally.disagreements.push(`path ${o} reported by svclint only, ${obj.kind}${show()}`);
    }
  }
}

/** `…containers[i].volumeMounts[j].name` naming a volume of the pod that svclint reports a fault of. */
function mountOfRejectedVolume(obj: Record<string, unknown>, field: string, ours: string[]): boolean {
  const m = /^(.*)\.(containers|initContainers)\[(\d+)\]\.volumeMounts\[(\d+)\]\.name$/.exec(field);
  if (!m) return false;
  const spec = m[1]!.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj) as Record<string, unknown> | undefined;
  const mount = (((spec?.[m[2]!] as unknown[] | undefined)?.[Number(m[3])] as Record<string, unknown> | undefined)?.volumeMounts as Record<string, unknown>[] | undefined)?.[Number(m[4])];
  const volumes = (spec?.volumes ?? []) as Record<string, unknown>[];
  const at = volumes.findIndex((v) => v && v.name === mount?.name);
  return at >= 0 && ours.some((o) => o.startsWith(`${m[1]}.volumes[`));
}

/** Runs requests a few at a time: the API server answers dry runs in parallel. */
async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

async function check(objects: Record<string, unknown>[], tally: Tally): Promise<void> {
  const verdicts = await pool(objects, 6, (o) => dryRun(o, NS));
  objects.forEach((o, i) => compare(o, verdicts[i]!, tally));
}

const newTally = (): Tally => ({ objects: 0, verdicts: 0, rejected: 0, paths: 0, clusterDependent: 0, disagreements: [], kinds: new Map(), byKind: new Map() });
function report(what: string, t: Tally): void {
  if (process.env.SVCLINT_ORACLE_DUMP) writeFileSync(`${process.env.SVCLINT_ORACLE_DUMP}.${what.replace(/\W+/g, '-')}.txt`, t.disagreements.join('\n\n'));
  console.info(`apiserver differential (${what}): ${t.objects} objects, ${t.rejected} rejected by kube-apiserver, ${t.paths} field paths compared, ${t.clusterDependent} left out (rejected for the cluster's IP or port ranges), ${t.disagreements.length} disagreements; accepted/rejected per kind: ${[...t.byKind].map(([k, [a, r]]) => `${k} ${a}/${r}`).join(', ')}`);
  if (t.disagreements.length) {
    console.log([...t.kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`).join('\n'));
    console.log(t.disagreements.slice(0, 8).join('\n\n'));
  }
}

beforeAll(async () => {
  cp = new ControlPlane({ controllerManager: false });
  await cp.start();
  await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
}, 600_000);

afterAll(async () => {
  await cp?.stop();
});

describe('validation against kube-apiserver v1.36 (server-side dry run)', () => {
  it('agrees on generated Services, Endpoints, EndpointSlices, Namespaces and pod templates (fixed seed)', async () => {
    const tally = newTally();
    await check(fc.sample(anyObject, { seed: 18, numRuns: 1500 }), tally);
    report('fixed seed', tally);
    expect(tally.objects).toBeGreaterThan(1400);
    expect(tally.rejected).toBeGreaterThan(300);
    expect(tally.objects - tally.rejected, 'objects the API server accepts').toBeGreaterThan(200);
    expect(tally.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on generated objects from a random seed, for a few seconds', async () => {
    // SVCLINT_SEED=N reruns the seed a failure printed.
    const seed = Number(process.env.SVCLINT_SEED ?? Date.now() % 1_000_000);
    const tally = newTally();
    const until = Date.now() + 15_000;
    let round = 0;
    while (Date.now() < until) await check(fc.sample(anyObject, { seed: seed + round++, numRuns: 100 }), tally);
    report(`random seed ${seed}`, tally);
    expect(tally.disagreements.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('agrees on generated volumes, mounts, env, envFrom, images, security contexts, tolerations and node affinity (fixed seed)', async () => {
    const tally = newTally();
    await check(fc.sample(storageDeployment, { seed: Number(process.env.SVCLINT_VSEED ?? 5), numRuns: 700 }), tally);
    report('volumes, mounts and env', tally);
    expect(tally.rejected).toBeGreaterThan(250);
    expect(tally.objects - tally.rejected, 'objects the API server accepts').toBeGreaterThan(60);
    expect(tally.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on generated rollout strategies, counts and durations of Deployments, DaemonSets and StatefulSets (fixed seed)', async () => {
    const tally = newTally();
    await check(fc.sample(rolloutWorkload, { seed: Number(process.env.SVCLINT_RSEED ?? 3), numRuns: 500 }), tally);
    report('rollouts', tally);
    expect(tally.rejected).toBeGreaterThan(150);
    expect(tally.objects - tally.rejected, 'objects the API server accepts').toBeGreaterThan(100);
    expect(tally.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on resource quantities and names, one at a time in an otherwise valid Deployment', async () => {
    // A quantity the API server cannot parse fails the whole request without a field: judged alone, so no other fault hides it.
    const chars = ['0', '1', '5', '.', '+', '-', 'e', 'E', 'i', 'm', 'k', 'K', 'M', 'G', 'n', 'u', 'P', 'T', ' ', 'B', 'x'];
    const quantities = new Set<string | number>(['0', '1', '500m', '1Gi', '1.5Gi', '.5Gi', '1.Gi', '1e3', '1E3', '1e-3', '1E', '1e', 'e3', '1Ei', '1i', '1Ki3', '1e+', '+', '-', '.', 'Gi', '+.', '-.5', '0.1n', '1e-10', '123456789012345678901', '1.2.3', ' 1Gi', '1Gi ', '1 Gi', '1gi', '1K', '512MB', 0.25, 3, -2, 1e21, 1e-7]);
    // Only strings that YAML 1.1 (how kubectl and svclint read a manifest) reads back as the same
    // string: `n` is a boolean there and `0B0` a number, not the string the server is sent here.
    const sameString = (q: string) => !/^[+-]?0[bBoOxX]/.test(q) && parse(stringify({ q }), { version: '1.1' }).q === q;
    for (const q of fc.sample(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 6 }).map((a) => a.join('')), { seed: Number(process.env.SVCLINT_QSEED ?? 7), numRuns: 800 })) if (sameString(q)) quantities.add(q);
    const names = ['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'CPU', 'nvidia.com/gpu', 'example.com/foo', 'kubernetes.io/foo', 'example.kubernetes.io/foo', 'requests.example.com/x', 'example.com/a/b', 'example_com/x', 'hugepages-2Mi', 'hugepages-1Gi', 'hugepages-', 'hugepages-x', 'hugepages-3'];
    const deployment = (resources: Record<string, unknown>) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'example/app:1', resources }] } } },
    });
    const objects = [
      ...[...quantities].flatMap((q) => [deployment({ limits: { memory: q } }), deployment({ requests: { cpu: q } })]),
      ...names.flatMap((n) => ['1', '2Mi', '4Mi', '500m'].flatMap((q) => [deployment({ limits: { [n]: q } }), deployment({ requests: { [n]: q } }), deployment({ limits: { [n]: q, memory: '1Gi' }, requests: { [n]: q } })])),
      ...['1', '2', '500m', '1Gi', '1G', '999m', '1001m', '0.9999', '1.0001'].flatMap((r) => ['1', '1Gi', '1G', '1000m', '2', '1e9'].flatMap((l) => [
        deployment({ limits: { cpu: l }, requests: { cpu: r } }),
        deployment({ limits: { 'example.com/foo': l }, requests: { 'example.com/foo': r } }),
      ])),
    ];
    const tally = newTally();
    await check(objects, tally);
    report('resource quantities', tally);
    expect(tally.rejected).toBeGreaterThan(100);
    expect(tally.objects - tally.rejected).toBeGreaterThan(100);
    expect(tally.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);

  it('agrees on every object of the rule cases', async () => {
    const tally = newTally();
    await checkObjects(ruleCaseObjects(), tally);
    report('rule cases', tally);
    expect(tally.objects).toBeGreaterThan(100);
    expect(tally.disagreements.slice(0, 3)).toEqual([]);
  }, 300_000);
});

/** Dry-runs every object of kinds the API server serves, in its namespace. */
async function checkObjects(all: Record<string, unknown>[], tally: Tally): Promise<void> {
  const objects: { obj: Record<string, unknown>; ns: string }[] = [];
  for (const obj of all) {
    if (!PLURAL[obj.kind as string]) continue;
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    objects.push({ obj, ns: typeof meta.namespace === 'string' ? meta.namespace : 'default' });
  }
  {
    // Namespaces the objects use, created for real where the name is valid.
    const names = [...new Set(objects.map((o) => o.ns))].filter((n) => n !== 'default' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) && n.length <= 63);
    await pool(names, 4, (name) => cp.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    const valid = new Set(['default', ...names]);
    const judged = objects.filter((o) => valid.has(o.ns));
    const verdicts = await pool(judged, 6, (o) => dryRun(o.obj, o.ns));
    judged.forEach((o, i) => compare(o.obj, verdicts[i]!, tally, o.ns));
  }
}
