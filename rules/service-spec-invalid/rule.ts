import type { Rule, RuleReport } from '../../src/types/rule.js';
import type { Path } from '../../src/types/object.js';
import type { ServiceNode } from '../../src/types/graph.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';
import { cidrProblem, endpointIPProblem, ipProblem, isDNS1123Subdomain, isIPAddress, labelValueProblems, qualifiedNameProblems } from '../../src/names.js';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const FAMILIES = ['IPv4', 'IPv6'];
const FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

const rule: Rule = {
  meta: {
    id: 'service-spec-invalid',
    description: 'Service fields the API server rejects: a bad type, clusterIP, selector, IP family or external IP, an ExternalName that is not a DNS name or has cluster IPs, fields that only some types allow (nodePort, externalTrafficPolicy, load balancer fields), a session affinity that does not fit.',
    category: 'schema',
    severity: 'error',
    messages: {
      type: 'type {{type}} is not one of ClusterIP, NodePort, LoadBalancer and ExternalName',
      clusterIP: 'clusterIP {{value}} {{problem}}; write an IP address, `None` (headless) or nothing (allocated by the cluster)',
      clusterIPsFirst: 'clusterIPs {{value}} must start with the clusterIP {{clusterIP}}',
      clusterIPsAlone: 'clusterIPs {{value}} is set without clusterIP; the API server takes clusterIPs only together with clusterIP (its first entry), or neither',
      headlessType: 'clusterIP `None` (headless) is not allowed on {{type}} Service, which needs a cluster IP',
      externalNameMissing: 'this ExternalName Service has no externalName, the DNS name it is an alias for',
      externalNameIP: 'externalName {{value}} is an IP address; the API server accepts it as a DNS name made of digits, but cluster DNS gives the Service no record (CoreDNS answers an ExternalName Service only with a CNAME, which an IP address cannot be), so its name does not resolve (for an IP, use a Service without a selector and an EndpointSlice)',
      externalNameInvalid: 'externalName {{value}} is not a valid DNS name (lowercase DNS-1123 subdomain)',
      externalNameURL: 'externalName {{value}} is a URL; an ExternalName Service is a DNS CNAME: write only the host name {{host}}, and the port in spec.ports',
      externalNameHostPort: 'externalName {{value}} has a port; an ExternalName Service is a DNS CNAME: write only the host name {{host}}, and put the port in spec.ports',
      externalNameClusterIP: 'an ExternalName Service must not set {{field}} (found {{value}})',
      nodePort: 'nodePort {{value}} is set on a {{type}} Service; only NodePort and LoadBalancer Services have node ports',
      nodePortRange: 'nodePort {{value}} is outside 30000-32767, the default node port range: the API server refuses it ("provided port is not in the valid range") unless the cluster was started with a wider --service-node-port-range',
      nodePortRepeated: 'nodePort {{value}}/{{protocol}} is also used by {{other}}; each node port and protocol must be unique',
      nodePortShared: 'this entry names no nodePort, so the API server gives it the node port of {{other}}, which has the same port number {{port}} (one node port per port number); with the same protocol {{protocol}}, that node port would be used twice',
      affinity: 'sessionAffinity {{value}} is not one of None and ClientIP',
      affinityTimeout: 'sessionAffinityConfig.clientIP.timeoutSeconds {{value}} is outside 1–86400',
      affinityConfigIgnored: 'sessionAffinityConfig is set, but sessionAffinity is {{value}}; the API server drops the config, and clients are not pinned to one endpoint',
      selectorKey: 'selector key {{key}} is not a valid label key: it {{problems}}',
      selectorValue: 'selector value {{value}} of {{key}} is not a valid label value: it {{problems}}',
      family: 'ipFamilies entry {{value}} is not one of IPv4 and IPv6',
      familyRepeated: 'ipFamilies lists {{value}} twice',
      familyPolicy: 'ipFamilyPolicy {{value}} is not one of SingleStack, PreferDualStack and RequireDualStack',
      clusterIPFamily: 'cluster IP {{value}} is not an {{family}} address, the family `ipFamilies[{{index}}]` gives it; the API server rejects the Service ("expected an {{family}} value as indicated by `ipFamilies[{{index}}]`")',
      singleStackTwo: 'this Service lists {{what}}, but ipFamilyPolicy {{how}}: the API server refuses it ("must be \'RequireDualStack\' or \'PreferDualStack\' when {{message}}"); set ipFamilyPolicy to PreferDualStack (or RequireDualStack), or list one',
      trafficDistribution: 'trafficDistribution {{value}} is not one of PreferClose, PreferSameZone and PreferSameNode: the API server refuses it ("Unsupported value")',
      externalIP: 'externalIPs entry {{value}} {{problem}}',
      onlyExternal: '{{field}} is set on {{type}} Service; it applies only to NodePort and LoadBalancer Services (or a ClusterIP Service with externalIPs)',
      trafficPolicy: '{{field}} {{value}} is not one of Cluster and Local',
      healthCheckNodePort: 'healthCheckNodePort is set, but only a LoadBalancer Service with externalTrafficPolicy: Local has one',
      onlyLoadBalancer: '{{field}} is set on {{type}} Service; it applies only to LoadBalancer Services',
      sourceRange: 'loadBalancerSourceRanges entry {{value}} {{problem}}; write a CIDR such as 10.0.0.0/8',
      sourceRangeAnnotation: 'annotation {{annotation}} holds {{value}}, which is not a comma-separated list of CIDRs such as 10.0.0.0/8',
      topologyAnnotations: 'annotation {{mode}} is {{modeValue}} and {{hints}} is {{hintsValue}}: where both are set they must agree, and the API server refuses the Service ("must match annotations[{{hintsKey}}] when both are specified")',
      sourceRangeAnnotationType: 'annotation {{annotation}} is set on {{type}} Service; it applies only to LoadBalancer Services',
      qualifiedName: '{{field}} {{value}} is not a valid qualified name: it {{problems}}',
      allocated: '{{field}} {{value}} is also requested by {{other}}{{where}}; the API server allocates each {{what}} once in a cluster, so whichever of the two is created second is refused ("provided {{kind}} is already allocated")',
      healthCheckTaken: 'healthCheckNodePort {{value}} is also this Service\'s nodePort ({{other}}); it comes from the same allocator, so the API server refuses the Service ("failed to allocate requested HealthCheck NodePort")',
      ignored: '{{field}} has no effect {{why}}',
      nodePortTwice: 'nodePort {{value}} is asked for by Service ports {{first}} and {{second}}: the API server gives one node port to one Service port number (a TCP and a UDP entry of one port share it), so the second request is refused ("provided port is already allocated") and the Service is not created',
      externalIPsHeadless: 'externalIPs is set on a headless Service (clusterIP: None); kube-proxy programs no rules for headless Services, so the addresses never reach it (the API server warns: "spec.externalIPs is ignored for headless services")',
    },
    remediation: 'Fix the field so that the API server accepts the Service.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      const o = svc.object;
      const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
      if (!spec) continue;
      const at: At = (path, messageId, data, remediation, severity) => report({ object: o, path, messageId, data, ...(remediation ? { remediation } : {}), ...(severity ? { severity } : {}) });
      const type = svc.type;
      if (typeof spec.type === 'string' && spec.type !== '' && !TYPES.includes(spec.type)) at(['spec', 'type'], 'type', { type: code(spec.type) });
      const ip = spec.clusterIP;
      const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
      if (type === 'ExternalName') {
        const name = spec.externalName;
        if (typeof name !== 'string' || name === '') at(['spec', 'externalName'], 'externalNameMissing');
        else if (isIPAddress(name)) at(['spec', 'externalName'], 'externalNameIP', { value: code(name) });
        else if (!isDNS1123Subdomain(name.replace(/\.$/, ''))) {
          const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(name);
          const hostPort = /^([^/:]+):\d{1,5}$/.exec(name);
          const messageId = url ? 'externalNameURL' : hostPort ? 'externalNameHostPort' : 'externalNameInvalid';
          at(['spec', 'externalName'], messageId, { value: code(name), host: code((url?.[1] ?? hostPort?.[1] ?? name).toLowerCase()) });
        }
        if (ips.length) at(['spec', 'clusterIPs'], 'externalNameClusterIP', { field: 'clusterIPs', value: code(JSON.stringify(ips)) });
        else if (typeof ip === 'string' && ip !== '') at(['spec', 'clusterIP'], 'externalNameClusterIP', { field: 'clusterIP', value: code(ip) });
        for (const field of ['ipFamilies', 'ipFamilyPolicy']) {
          const v = spec[field];
          if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) at(['spec', field], 'externalNameClusterIP', { field, value: code(JSON.stringify(v)) });
        }
      } else {
        clusterIPs(spec, ip, ips, type, at);
        families(spec, at);
      }
      ports(spec, type, at);
      trafficDistribution(spec, at);
      selector(spec, at);
      affinity(spec, at);
      externalIPs(spec, at);
      typeDependent(spec, type, at);
      sourceRangesAnnotation(isRecord(o.body.metadata) ? o.body.metadata : {}, spec, type, at);
      topologyAnnotations(isRecord(o.body.metadata) ? o.body.metadata : {}, at);
      if (svc.headless && type !== 'ExternalName' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0) at(['spec', 'externalIPs'], 'externalIPsHeadless', undefined, 'Remove externalIPs, or give the Service a cluster IP (remove clusterIP: None).', 'warning');
      ignoredFields(spec, type, svc.headless, at);
    }
    allocations(graph.services, report);
  },
};

/**
 * Node ports (nodePort, healthCheckNodePort) and static cluster IPs come from one allocator each
 * per cluster (pkg/registry/core/service: portallocator, ipallocator): a number two Services
 * request is given to the first created and refused to the second. Two Services in one file are
 * applied together: an error. In two files of one folder of plain manifests, an info (a folder
 * is often applied whole, but may hold alternatives). Variants of one Service (overlays, copies) are one Service.
 */
function allocations(services: readonly ServiceNode[], report: (r: RuleReport) => void): void {
  type Claim = { svc: ServiceNode; path: Path; value: string; field: string };
  const claims = new Map<string, Claim[]>();
  const claim = (key: string, c: Claim) => {
    const list = claims.get(key);
    if (list) list.push(c);
    else claims.set(key, [c]);
  };
  for (const svc of services) {
    const spec = isRecord(svc.object.body.spec) ? svc.object.body.spec : undefined;
    if (!spec || !svc.object.origin) continue;
    const type = svc.type;
    if (type === 'NodePort' || type === 'LoadBalancer') {
      const own = new Map<number, number>();
      const portOf = (i: number) => { const p = (spec.ports as unknown[])[i]; return isRecord(p) ? p.port : undefined; };
      (Array.isArray(spec.ports) ? spec.ports : []).forEach((p, i) => {
        const n = isRecord(p) ? p.nodePort : undefined;
        if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return;
        // One Service may give one node port to entries of one port number (a TCP and a UDP entry): the allocator
        // keeps a node port per Service port number (initNodePorts), and asks for a number once per port number.
        const before = own.get(n);
        if (before !== undefined) {
          const a = portOf(before);
          const b = isRecord(p) ? p.port : undefined;
          const proto = (x: unknown) => (isRecord(x) && typeof x.protocol === 'string' && x.protocol !== '' ? x.protocol : 'TCP');
          // The same node port and protocol twice is validation's (nodePortRepeated): one finding, the API's.
          if (typeof a === 'number' && typeof b === 'number' && a !== b && proto((spec.ports as unknown[])[before]) !== proto(p)) {
            report({ object: svc.object, path: ['spec', 'ports', i, 'nodePort'], messageId: 'nodePortTwice', data: { value: code(String(n)), first: code(String(a)), second: code(String(b)) }, remediation: 'Give each Service port number a node port of its own (entries of one port number over TCP and UDP may share one).', related: [{ object: svc.object, path: ['spec', 'ports', before, 'nodePort'], message: `nodePort ${n} of port ${a}` }] });
          }
          return;
        }
        own.set(n, i);
        claim(`node:${n}`, { svc, path: ['spec', 'ports', i, 'nodePort'], value: String(n), field: 'nodePort' });
      });
      const hc = spec.healthCheckNodePort;
      if (typeof hc === 'number' && Number.isInteger(hc) && hc > 0 && type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
        const same = own.get(hc);
        if (same !== undefined) report({ object: svc.object, path: ['spec', 'healthCheckNodePort'], messageId: 'healthCheckTaken', data: { value: hc, other: `spec.ports[${same}].nodePort` }, remediation: 'Leave healthCheckNodePort out (the cluster allocates one), or give it a node port no Service uses.' });
        else claim(`node:${hc}`, { svc, path: ['spec', 'healthCheckNodePort'], value: String(hc), field: 'healthCheckNodePort' });
      }
    }
    if (type !== 'ExternalName') {
      const ips = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : [spec.clusterIP];
      ips.forEach((ip, i) => {
        if (typeof ip !== 'string' || ip === '' || ip === 'None' || !isIPAddress(ip)) return;
        const path = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP'];
        claim(`ip:${ip.toLowerCase()}`, { svc, path, value: ip, field: path.length === 3 ? `clusterIPs[${i}]` : 'clusterIP' });
      });
    }
  }
  const identity = (s: ServiceNode) => `${s.object.namespace}/${s.object.name}`;
  const folder = (f: string) => f.slice(0, Math.max(0, f.lastIndexOf('/')));
  for (const [key, list] of claims) {
    if (list.length < 2) continue;
    const node = key.startsWith('node:');
    list.forEach((c, i) => {
      const file = c.svc.object.origin!.file;
      // The first earlier claim of another Service applied with this one.
      for (const first of list.slice(0, i)) {
        if (identity(first.svc) === identity(c.svc)) continue;
        const otherFile = first.svc.object.origin!.file;
        const together = otherFile === file;
        const beside = !together && !file.rendered && !otherFile.rendered && folder(file.path) === folder(otherFile.path);
        if (!together && !beside) continue;
        report({
          object: c.svc.object,
          path: c.path,
          messageId: 'allocated',
          data: {
            field: c.field, value: code(c.value), other: `Service ${identity(first.svc)} (${first.field})`, where: together ? '' : ` in ${otherFile.path}, beside this file`,
            what: node ? 'node port' : 'cluster IP', kind: node ? 'port' : 'IP',
          },
          related: [{ object: first.svc.object, path: first.path, message: `${first.field} ${code(first.value)} requested here` }],
          remediation: node ? 'Give one of the Services another nodePort, or leave it out and let the cluster allocate one.' : 'Give one of the Services another cluster IP, or leave clusterIP out and let the cluster allocate one.',
          ...(together ? {} : { severity: 'info' as const }),
        });
        break;
      }
    });
  }
}

const article = (type: string) => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;

type At = (path: Path, messageId: string, data?: RuleReport['data'], remediation?: string, severity?: 'warning') => void;

function clusterIPs(spec: Record<string, unknown>, ip: unknown, ips: unknown[], type: string, at: At): void {
  const problem = (v: string) => (v === 'None' ? undefined : ipProblem(v));
  if (typeof ip === 'string' && ip !== '') {
    const p = problem(ip);
    if (p) at(['spec', 'clusterIP'], 'clusterIP', { value: code(ip), problem: p });
    // The API server judges clusterIPs[0] (clusterIP is copied there when clusterIPs is not written).
    else if (ip === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) at(ips[0] === ip ? ['spec', 'clusterIPs', 0] : ['spec', 'clusterIP'], 'headlessType', { type: article(type) });
    if (ips.length && ips[0] !== ip) at(['spec', 'clusterIPs'], 'clusterIPsFirst', { value: code(JSON.stringify(ips)), clusterIP: code(ip) });
  } else if (ips.length) {
    at(['spec', 'clusterIPs'], 'clusterIPsAlone', { value: code(JSON.stringify(ips)) }, 'Set clusterIP to the first entry of clusterIPs, or remove clusterIPs.');
    return;
  }
  ips.forEach((v, i) => {
    if (typeof v !== 'string' || (i === 0 && typeof ip === 'string' && ip !== '')) return;
    const p = v === '' ? 'is empty' : problem(v);
    if (p) at(['spec', 'clusterIPs', i], 'clusterIP', { value: code(v), problem: p });
    else if (i === 0 && v === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) at(['spec', 'clusterIPs', 0], 'headlessType', { type: article(type) });
  });
}

function families(spec: Record<string, unknown>, at: At): void {
  const seen = new Set<string>();
  (Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []).forEach((f, i) => {
    if (typeof f !== 'string') return;
    if (!FAMILIES.includes(f)) at(['spec', 'ipFamilies', i], 'family', { value: code(f) });
    if (seen.has(f)) at(['spec', 'ipFamilies', i], 'familyRepeated', { value: code(f) });
    seen.add(f);
  });
  if (typeof spec.ipFamilyPolicy === 'string' && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) at(['spec', 'ipFamilyPolicy'], 'familyPolicy', { value: code(spec.ipFamilyPolicy) });
  // The registry (initIPFamilyFields) takes an unset policy as SingleStack on create, except for
  // a headless Service without a selector (RequireDualStack), and refuses two families or two
  // cluster IPs under SingleStack. Only once the fields pass their own checks, as there.
  const fams = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  if (fams.some((f) => typeof f !== 'string' || !FAMILIES.includes(f)) || new Set(fams).size !== fams.length) return;
  // Each cluster IP must be of the family at its index (validateServiceClusterIPsRelatedFields);
  // `clusterIP` alone is `clusterIPs[0]`.
  const listed = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0;
  const given: unknown[] = listed ? (spec.clusterIPs as unknown[]) : [spec.clusterIP];
  given.forEach((ip, i) => {
    const fam = fams[i];
    if (typeof ip !== 'string' || typeof fam !== 'string' || !isIPAddress(ip)) return;
    // As netutils.IsIPv6String: an IPv4-mapped address (`::ffff:10.0.0.1`) is IPv4.
    const v6 = ip.includes(':') && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip);
    if ((fam === 'IPv6') !== v6) at(listed ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP'], 'clusterIPFamily', { value: code(ip), family: fam, index: i });
  });
  const policy = typeof spec.ipFamilyPolicy === 'string' ? spec.ipFamilyPolicy : undefined;
  if (policy !== undefined && !FAMILY_POLICIES.includes(policy)) return;
  const selectorless = !isRecord(spec.selector) || Object.keys(spec.selector).length === 0;
  if ((policy ?? (spec.clusterIP === 'None' && selectorless ? 'RequireDualStack' : 'SingleStack')) !== 'SingleStack') return;
  const how = policy ? 'is `SingleStack`' : 'is not set, which a new Service takes as `SingleStack`';
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  // At ipFamilyPolicy, as the API server says (where it is not written, the engine points at spec).
  if (ips.length === 2 && ips.every((v) => typeof v === 'string' && v !== '' && v !== 'None' && isIPAddress(v))) at(['spec', 'ipFamilyPolicy'], 'singleStackTwo', { what: 'two cluster IPs', how, message: 'multiple cluster IPs are specified' });
  else if (fams.length === 2) at(['spec', 'ipFamilyPolicy'], 'singleStackTwo', { what: 'two IP families', how, message: 'multiple IP families are specified' });
}

/** `trafficDistribution` values kube-apiserver takes (PreferSameZone and PreferSameNode from 1.34, the oldest version svclint models). */
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];

function trafficDistribution(spec: Record<string, unknown>, at: At): void {
  const v = spec.trafficDistribution;
  if (typeof v === 'string' && !TRAFFIC_DISTRIBUTIONS.includes(v)) at(['spec', 'trafficDistribution'], 'trafficDistribution', { value: code(v) });
}

function ports(spec: Record<string, unknown>, type: string, at: At): void {
  const list = Array.isArray(spec.ports) ? spec.ports : [];
  const written = (p: unknown): number => (isRecord(p) && typeof p.nodePort === 'number' ? p.nodePort : 0);
  const protocolOf = (p: unknown): string => (isRecord(p) && typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP');
  if (type === 'ClusterIP') {
    list.forEach((p, i) => {
      if (written(p) !== 0) at(['spec', 'ports', i, 'nodePort'], 'nodePort', { value: written(p), type }, 'Remove nodePort, or set type: NodePort if the Service must be reachable on every node.');
    });
    return;
  }
  // The node port range is the cluster's (--service-node-port-range); 30000-32767 is every
  // distribution's default, so a port outside it is refused unless the cluster was set otherwise.
  list.forEach((p, i) => {
    const n = written(p);
    if (n !== 0 && (n < 30000 || n > 32767)) at(['spec', 'ports', i, 'nodePort'], 'nodePortRange', { value: n }, 'Use a node port in 30000-32767, or leave nodePort out and let the cluster allocate one; for a fixed low port, use a LoadBalancer or an Ingress.', 'warning');
  });
  // The node ports the API server gives the entries before it validates them (its allocator,
  // initNodePorts): an entry without one takes the node port of the first entry with the same
  // port number that names one, else the one allocated for the first entry with that port
  // number (one node port per port number). A LoadBalancer that allocates none leaves them 0.
  const allocating = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  const portOf = (p: unknown): number => (isRecord(p) && typeof p.port === 'number' ? p.port : 0);
  const byPort = new Map<number, { value: string; source: number }>();
  const effective = list.map((p, i): { value: string; from?: number } | undefined => {
    const own = written(p);
    if (!allocating) return own !== 0 ? { value: String(own) } : undefined;
    const port = portOf(p);
    let given = byPort.get(port);
    if (!given) {
      const requested = list.findIndex((q) => portOf(q) === port && written(q) !== 0);
      given = requested >= 0 ? { value: String(written(list[requested])), source: requested } : { value: `allocated for spec.ports[${i}]`, source: i };
      byPort.set(port, given);
    }
    if (own !== 0) return { value: String(own) };
    return given.source === i ? { value: given.value } : { value: given.value, from: given.source };
  });
  const seen = new Map<string, number>();
  effective.forEach((e, i) => {
    if (!e) return;
    const protocol = protocolOf(list[i]);
    const key = `${e.value}/${protocol}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
    } else if (written(list[i]) !== 0) {
      const taken = effective[first]?.from;
      const other = taken === undefined ? `spec.ports[${first}]` : `spec.ports[${first}], which names none and takes it (the same port number ${portOf(list[first])})`;
      at(['spec', 'ports', i, 'nodePort'], 'nodePortRepeated', { value: written(list[i]), protocol, other });
    } else {
      at(['spec', 'ports', i, 'nodePort'], 'nodePortShared', { port: portOf(list[i]), protocol, other: `spec.ports[${e.from ?? first}]` }, 'Give each port and protocol pair its own entry: remove the repeated entry, or give it another port number.');
    }
  });
}

function selector(spec: Record<string, unknown>, at: At): void {
  if (!isRecord(spec.selector)) return;
  for (const [k, v] of Object.entries(spec.selector)) {
    const kp = qualifiedNameProblems(k);
    if (kp.length) at(['spec', 'selector'], 'selectorKey', { key: code(k), problems: list(kp) });
    if (typeof v !== 'string') continue;
    const vp = labelValueProblems(v);
    if (vp.length) at(['spec', 'selector', k], 'selectorValue', { key: code(k), value: code(v), problems: list(vp) });
  }
}

/**
 * Fields the API server stores and ignores (GetWarningsForService: its warnings, which kubectl
 * prints and most pipelines do not read), or that apply to another type only: nothing acts on
 * them, and what they were written for does not happen.
 */
function ignoredFields(spec: Record<string, unknown>, type: string, headless: boolean, at: At): void {
  const lbIP = typeof spec.loadBalancerIP === 'string' && spec.loadBalancerIP !== '';
  if (headless && type === 'ClusterIP') {
    if (lbIP) at(['spec', 'loadBalancerIP'], 'ignored', { field: '`loadBalancerIP`', why: 'on a headless Service (clusterIP: None), which no load balancer or kube-proxy rule serves (the API server warns: "spec.loadBalancerIP is ignored for headless services")' }, 'Remove loadBalancerIP, or make the Service a LoadBalancer with a cluster IP.', 'warning');
    if (spec.sessionAffinity === 'ClientIP') at(['spec', 'sessionAffinity'], 'ignored', { field: '`sessionAffinity: ClientIP`', why: 'on a headless Service (clusterIP: None): clients dial the pods\' own addresses from DNS, and kube-proxy, which keeps a client on one pod, programs nothing for it (the API server warns: "spec.SessionAffinity is ignored for headless services")' }, 'Remove sessionAffinity, or give the Service a cluster IP (remove clusterIP: None) for kube-proxy to keep each client on one pod.', 'warning');
  } else if (lbIP && (type === 'ClusterIP' || type === 'NodePort')) {
    at(['spec', 'loadBalancerIP'], 'ignored', { field: '`loadBalancerIP`', why: `on a ${type} Service: it applies only to \`type: LoadBalancer\`, and no load balancer takes this address` }, 'Set type: LoadBalancer (with a cloud or MetalLB-style load balancer), or remove loadBalancerIP.', 'warning');
  }
  if (type === 'ExternalName' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0) {
    at(['spec', 'externalIPs'], 'ignored', { field: '`externalIPs`', why: 'on an ExternalName Service, which is only a DNS name (a CNAME) and which kube-proxy skips: nothing answers on these addresses (the API server warns: "spec.externalIPs is ignored when spec.type is \"ExternalName\"")' }, 'Remove externalIPs; to serve the addresses, give the Service a selector or endpoints and type ClusterIP.', 'warning');
  }
  if (type !== 'ExternalName' && typeof spec.externalName === 'string' && spec.externalName !== '') {
    at(['spec', 'externalName'], 'ignored', { field: `\`externalName: ${spec.externalName}\``, why: `on a ${type} Service (\`type\` ${spec.type === undefined ? 'is not written, so ClusterIP' : `is ${type}`}): the name is stored and ignored, the Service's DNS name is no alias of it, and clients reach ${spec.selector === undefined ? 'no endpoint (it has no selector)' : 'the pods of its selector'} instead (the API server warns: "spec.externalName is ignored when spec.type is not \"ExternalName\"")` }, 'Add type: ExternalName (and remove ports, selector and clusterIP that an alias does not use), or remove externalName.', 'warning');
  }
}

function affinity(spec: Record<string, unknown>, at: At): void {
  const value = typeof spec.sessionAffinity === 'string' && spec.sessionAffinity !== '' ? spec.sessionAffinity : 'None';
  if (value !== 'None' && value !== 'ClientIP') at(['spec', 'sessionAffinity'], 'affinity', { value: code(value) });
  const cfg = spec.sessionAffinityConfig;
  if (value === 'None' && isRecord(cfg)) {
    at(['spec', 'sessionAffinityConfig'], 'affinityConfigIgnored', { value: code(value) }, 'Set sessionAffinity: ClientIP for sticky sessions, or remove sessionAffinityConfig.', 'warning');
    return;
  }
  const timeout = isRecord(cfg) && isRecord(cfg.clientIP) ? cfg.clientIP.timeoutSeconds : undefined;
  if (value === 'ClientIP' && typeof timeout === 'number' && (timeout < 1 || timeout > 86400)) {
    at(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], 'affinityTimeout', { value: timeout });
  }
}

function externalIPs(spec: Record<string, unknown>, at: At): void {
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((v, i) => {
    if (typeof v !== 'string') return;
    const p = ipProblem(v) ?? endpointIPProblem(v);
    if (p) at(['spec', 'externalIPs', i], 'externalIP', { value: code(v), problem: p });
  });
}

/** Fields that only some Service types accept. */
function typeDependent(spec: Record<string, unknown>, type: string, at: At): void {
  const set = (v: unknown) => v !== undefined && v !== null && v !== '';
  const hasExternalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  const external = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && hasExternalIPs);
  const etp = spec.externalTrafficPolicy;
  if (set(etp)) {
    if (!external) at(['spec', 'externalTrafficPolicy'], 'onlyExternal', { field: 'externalTrafficPolicy', type: article(type) }, 'Remove externalTrafficPolicy (it only changes how node ports and load balancers route), or set type: NodePort or LoadBalancer; for node-local routing inside the cluster use internalTrafficPolicy.');
    else if (typeof etp === 'string' && !TRAFFIC_POLICIES.includes(etp)) at(['spec', 'externalTrafficPolicy'], 'trafficPolicy', { field: 'externalTrafficPolicy', value: code(etp) });
  }
  const itp = spec.internalTrafficPolicy;
  if (typeof itp === 'string' && itp !== '' && !TRAFFIC_POLICIES.includes(itp)) at(['spec', 'internalTrafficPolicy'], 'trafficPolicy', { field: 'internalTrafficPolicy', value: code(itp) });
  const local = type === 'LoadBalancer' && etp === 'Local';
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0 && !local) at(['spec', 'healthCheckNodePort'], 'healthCheckNodePort');
  if (type !== 'LoadBalancer') {
    const ranges = spec.loadBalancerSourceRanges;
    for (const field of ['allocateLoadBalancerNodePorts', 'loadBalancerClass']) {
      if (spec[field] !== undefined && spec[field] !== null) at(['spec', field], 'onlyLoadBalancer', { field, type: article(type) });
    }
    if (Array.isArray(ranges) && ranges.length) at(['spec', 'loadBalancerSourceRanges'], 'onlyLoadBalancer', { field: 'loadBalancerSourceRanges', type: article(type) });
  } else if (typeof spec.loadBalancerClass === 'string') {
    const p = qualifiedNameProblems(spec.loadBalancerClass);
    if (p.length) at(['spec', 'loadBalancerClass'], 'qualifiedName', { field: 'loadBalancerClass', value: code(spec.loadBalancerClass), problems: list(p) });
  }
  (Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : []).forEach((v, i) => {
    const problem = typeof v === 'string' ? cidrProblem(v.trim()) : undefined;
    if (typeof v === 'string' && problem) at(['spec', 'loadBalancerSourceRanges', i], 'sourceRange', { value: code(v), problem });
  });
}

const SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

function isCIDR(v: string): boolean {
  return cidrProblem(v.trim()) === undefined;
}

const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';

/** ValidateService: the topology annotation and its deprecated predecessor must agree where both are set. */
function topologyAnnotations(meta: Record<string, unknown>, at: At): void {
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (typeof mode !== 'string' || typeof hints !== 'string' || mode === hints) return;
  at(['metadata', 'annotations', TOPOLOGY_MODE], 'topologyAnnotations', { mode: code(TOPOLOGY_MODE), modeValue: code(mode), hints: code(TOPOLOGY_HINTS), hintsValue: code(hints), hintsKey: TOPOLOGY_HINTS }, `Keep one of the two annotations (${TOPOLOGY_MODE}, the current one), or give both the same value.`);
}

/** The older annotation form of loadBalancerSourceRanges, read by the API server when the field is empty. */
function sourceRangesAnnotation(meta: Record<string, unknown>, spec: Record<string, unknown>, type: string, at: At): void {
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const v = annotations[SOURCE_RANGES];
  if (v === undefined || (Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length)) return;
  const path = ['metadata', 'annotations', SOURCE_RANGES];
  if (type !== 'LoadBalancer') at(path, 'sourceRangeAnnotationType', { annotation: code(SOURCE_RANGES), type: article(type) });
  else if (typeof v === 'string' && v.trim() !== '' && !v.split(',').every((x) => isCIDR(x))) at(path, 'sourceRangeAnnotation', { annotation: code(SOURCE_RANGES), value: code(v) });
}

export default rule;
