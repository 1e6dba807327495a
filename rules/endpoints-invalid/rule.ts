import type { Rule, RuleReport } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';
import { dns1123LabelProblems, endpointIPProblem, ipProblem, isDNS1123Subdomain, PROTOCOLS, qualifiedNameProblems } from '../../src/names.js';

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];

const rule: Rule = {
  meta: {
    id: 'endpoints-invalid',
    description: 'Endpoints and EndpointSlices the API server rejects: addresses that are not IPs of the slice\'s family or that cannot be endpoints (loopback, link-local, unspecified), bad hostnames, node names, port names and protocols, more than 1,000 endpoints, 20,000 ports or 100 addresses in one endpoint.',
    category: 'schema',
    severity: 'error',
    messages: {
      ip: 'address {{value}} {{problem}}',
      ipFamily: 'address {{value}} is not an {{family}} address, the addressType of this EndpointSlice',
      notCanonical: 'address {{value}} is not in canonical form; an IPv6 EndpointSlice takes {{canonical}}',
      endpointIP: 'address {{value}} {{problem}}; the API server refuses it as an endpoint (a pod or external IP is never loopback, link-local or unspecified)',
      fqdn: 'address {{value}} is not a fully qualified domain name (lowercase DNS labels, at least two)',
      noAddresses: '{{where}} has no addresses; each needs at least one',
      hostname: 'hostname {{value}} is not a DNS-1123 label: it {{problems}}',
      nodeName: 'nodeName {{value}} is not a valid node name (lowercase DNS subdomain)',
      portName: 'port name {{value}} is not a DNS-1123 label: it {{problems}}',
      portUnnamed: 'port {{port}} has no name, but this subset has {{count}} ports and then every port needs a name',
      portRepeated: 'port name {{value}} is used by another port of this EndpointSlice ({{other}}); names must be unique',
      portUnnamedRepeated: 'this port has no name, and neither has {{other}}; an EndpointSlice may have one unnamed port',
      portRange: 'port {{value}} is outside 1–65535',
      protocol: 'protocol {{value}} is not one of TCP, UDP and SCTP',
      appProtocol: 'appProtocol {{value}} is not a valid qualified name: it {{problems}}',
      addressType: 'addressType {{value}} is not one of IPv4, IPv6 and FQDN',
      tooMany: 'this EndpointSlice has {{count}} {{what}}; the API server takes at most {{max}} and rejects the slice (split them over several slices)',
    },
    remediation: 'Fix the field so that the API server accepts the object.',
  },
  check({ graph, report }) {
    for (const o of graph.objects) {
      const at = (path: Path, messageId: string, data?: RuleReport['data']) => report({ object: o, path, messageId, data });
      if (o.kind === 'Endpoints' && o.apiVersion === 'v1') endpoints(o, at);
      else if (o.kind === 'EndpointSlice' && o.apiVersion === 'discovery.k8s.io/v1') slice(o, at);
    }
  },
};

type At = (path: Path, messageId: string, data?: RuleReport['data']) => void;

function endpoints(o: K8sObject, at: At): void {
  const subsets = Array.isArray(o.body.subsets) ? o.body.subsets : [];
  subsets.forEach((s, i) => {
    if (!isRecord(s)) return;
    const base = ['subsets', i];
    const ready = Array.isArray(s.addresses) ? s.addresses : [];
    const notReady = Array.isArray(s.notReadyAddresses) ? s.notReadyAddresses : [];
    if (ready.length === 0 && notReady.length === 0) at(base, 'noAddresses', { where: `subsets[${i}]` });
    for (const [field, addrs] of [['addresses', ready], ['notReadyAddresses', notReady]] as const) {
      addrs.forEach((a, j) => {
        if (!isRecord(a)) return;
        const p = [...base, field, j];
        if (typeof a.ip === 'string') {
          const bad = ipProblem(a.ip);
          const special = bad ? undefined : endpointIPProblem(a.ip);
          if (bad) at([...p, 'ip'], 'ip', { value: code(a.ip), problem: bad });
          else if (special) at([...p, 'ip'], 'endpointIP', { value: code(a.ip), problem: special });
        }
        names(a, p, at);
      });
    }
    const ports = Array.isArray(s.ports) ? s.ports : [];
    ports.forEach((port, j) => {
      if (!isRecord(port)) return;
      const p = [...base, 'ports', j];
      if (typeof port.name !== 'string' || port.name === '') {
        if (ports.length > 1) at([...p, 'name'], 'portUnnamed', { port: typeof port.port === 'number' ? port.port : `#${j + 1}`, count: ports.length });
      } else portName(port.name, [...p, 'name'], at);
      if (typeof port.port === 'number' && (port.port < 1 || port.port > 65535)) at([...p, 'port'], 'portRange', { value: port.port });
      protocol(port, p, at);
    });
  });
}

const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20_000;
const MAX_ADDRESSES = 100;

function slice(o: K8sObject, at: At): void {
  const type = o.body.addressType;
  if (typeof type === 'string' && !ADDRESS_TYPES.includes(type)) at(['addressType'], 'addressType', { value: code(type) });
  // validateEndpoints and validatePorts: at most 1,000 endpoints, 100 addresses each, 20,000 ports (maxPorts, raised from 100 in 1.21).
  const list = Array.isArray(o.body.endpoints) ? o.body.endpoints : [];
  if (list.length > MAX_ENDPOINTS) at(['endpoints', MAX_ENDPOINTS], 'tooMany', { count: list.length, what: 'endpoints', max: MAX_ENDPOINTS });
  if (Array.isArray(o.body.ports) && o.body.ports.length > MAX_PORTS) at(['ports', MAX_PORTS], 'tooMany', { count: o.body.ports.length, what: 'ports', max: MAX_PORTS });
  list.forEach((e, i) => {
    if (!isRecord(e)) return;
    const base = ['endpoints', i];
    const addrs = Array.isArray(e.addresses) ? e.addresses : [];
    if (addrs.length === 0) at([...base, 'addresses'], 'noAddresses', { where: `endpoints[${i}]` });
    if (addrs.length > MAX_ADDRESSES) at([...base, 'addresses', MAX_ADDRESSES], 'tooMany', { count: addrs.length, what: 'addresses in one endpoint', max: MAX_ADDRESSES });
    addrs.forEach((a, j) => {
      if (typeof a !== 'string') return;
      const p = [...base, 'addresses', j];
      if (type === 'FQDN') {
        const name = a.replace(/\.$/, '');
        if (!isDNS1123Subdomain(name) || !name.includes('.')) at(p, 'fqdn', { value: code(a) });
        return;
      }
      if (type !== 'IPv4' && type !== 'IPv6') return;
      const bad = ipProblem(a);
      if (bad) return at(p, 'ip', { value: code(a), problem: bad });
      const v6 = a.includes(':');
      if (v6 !== (type === 'IPv6')) return at(p, 'ipFamily', { value: code(a), family: type });
      if (v6) {
        const canonical = new URL(`http://[${a}]/`).hostname.slice(1, -1);
        if (canonical !== a) at(p, 'notCanonical', { value: code(a), canonical: code(canonical) });
      }
      const special = endpointIPProblem(a);
      if (special) at(p, 'endpointIP', { value: code(a), problem: special });
    });
    names(e, base, at);
  });
  const seen = new Map<string, number>();
  (Array.isArray(o.body.ports) ? o.body.ports : []).forEach((port, j) => {
    if (!isRecord(port)) return;
    const p = ['ports', j];
    const name = typeof port.name === 'string' ? port.name : '';
    if (name !== '') portName(name, [...p, 'name'], at);
    const first = seen.get(name);
    if (first !== undefined) at([...p, 'name'], name === '' ? 'portUnnamedRepeated' : 'portRepeated', { value: code(name), other: `ports[${first}]` });
    else seen.set(name, j);
    protocol(port, p, at);
  });
}

function names(a: Record<string, unknown>, p: Path, at: At): void {
  if (typeof a.hostname === 'string' && a.hostname !== '') {
    const problems = dns1123LabelProblems(a.hostname);
    if (problems.length) at([...p, 'hostname'], 'hostname', { value: code(a.hostname), problems: list(problems) });
  }
  if (typeof a.nodeName === 'string' && !isDNS1123Subdomain(a.nodeName)) at([...p, 'nodeName'], 'nodeName', { value: code(a.nodeName) });
}

function portName(name: string, p: Path, at: At): void {
  const problems = dns1123LabelProblems(name);
  if (problems.length) at(p, 'portName', { value: code(name), problems: list(problems) });
}

function protocol(port: Record<string, unknown>, p: Path, at: At): void {
  if (typeof port.protocol === 'string' && port.protocol !== '' && !PROTOCOLS.includes(port.protocol)) at([...p, 'protocol'], 'protocol', { value: code(port.protocol) });
  if (typeof port.appProtocol === 'string') {
    const problems = qualifiedNameProblems(port.appProtocol);
    if (problems.length) at([...p, 'appProtocol'], 'appProtocol', { value: code(port.appProtocol), problems: list(problems) });
  }
}

export default rule;
