import type { Rule } from '../../src/types/rule.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';
import { dns1123LabelProblems, portNameProblems, PROTOCOLS, qualifiedNameProblems } from '../../src/names.js';

const rule: Rule = {
  meta: {
    id: 'service-ports-invalid',
    description: 'Service ports the API server rejects: missing, unnamed in a multi-port Service, bad or repeated names, repeated port and protocol, out of range, unknown protocol, invalid targetPort name.',
    category: 'schema',
    severity: 'error',
    messages: {
      missing: 'this Service has no ports; the API server requires them unless the Service is headless (clusterIP: None) or ExternalName',
      unnamed: 'port {{port}} has no name, but this Service has {{count}} ports and then every port needs a name',
      nameInvalid: 'port name {{name}} is not a DNS-1123 label: it {{problems}}',
      nameRepeated: 'port name {{name}} is used by another port of this Service ({{other}}); names must be unique',
      repeated: 'port {{port}}/{{protocol}} is defined twice in this Service ({{other}}); each port and protocol pair must be unique',
      range: '{{field}} {{value}} is outside 1–65535',
      nullPort: 'this port has no `port` value: the API server reads it as 0 and rejects the Service ("must be between 1 and 65535"), as a chart renders it when the value it reads is unset',
      protocol: 'protocol {{protocol}} is not one of TCP, UDP and SCTP{{hint}}',
      targetPortName: 'targetPort {{name}} is not a valid port name: it {{problems}}',
      appProtocol: 'appProtocol {{value}} is not a valid qualified name (such as `http` or `kubernetes.io/h2c`): it {{problems}}',
    },
    remediation: 'Fix the port so that the API server accepts the Service.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      const o = svc.object;
      // A Service with no spec at all is a patch fragment (`kubectl patch`, a kustomize patch
      // outside its kustomization), not an object someone applies: its ports are not judged.
      const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
      if (!spec) continue;
      const ports = Array.isArray(spec.ports) ? spec.ports : [];
      if (ports.length === 0 && !svc.headless && svc.type !== 'ExternalName') {
        report({ object: o, path: spec.ports === undefined ? ['spec'] : ['spec', 'ports'], messageId: 'missing', remediation: 'Add spec.ports with the port clients use and the targetPort the pods listen on.' });
        continue;
      }
      const names = new Map<string, number>();
      const pairs = new Map<string, number>();
      ports.forEach((p, i) => {
        if (!isRecord(p)) return;
        const at = ['spec', 'ports', i];
        if (typeof p.name !== 'string' || p.name === '') {
          if (ports.length > 1) report({ object: o, path: at, messageId: 'unnamed', data: { port: p.port !== undefined ? code(String(p.port)) : `#${i + 1}`, count: ports.length }, remediation: 'Give every port a unique name, such as `http` or `grpc`.' });
        } else {
          const problems = dns1123LabelProblems(p.name);
          if (problems.length) report({ object: o, path: [...at, 'name'], messageId: 'nameInvalid', data: { name: code(p.name), problems: list(problems) } });
          const first = names.get(p.name);
          if (first !== undefined) report({ object: o, path: [...at, 'name'], messageId: 'nameRepeated', data: { name: code(p.name), other: `spec.ports[${first}]` } });
          else names.set(p.name, i);
        }
        const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
        if (!PROTOCOLS.includes(protocol)) {
          const upper = protocol.toUpperCase();
          report({ object: o, path: [...at, 'protocol'], messageId: 'protocol', data: { protocol: code(protocol), hint: PROTOCOLS.includes(upper) ? `; protocols are written in uppercase: ${code(upper)}` : '' } });
        }
        // `port:` with no value: Go decodes null as 0, which the API server refuses ("must be between 1 and 65535").
        if (p.port === null) report({ object: o, path: [...at, 'port'], messageId: 'nullPort' });
        if (typeof p.port === 'number' && Number.isInteger(p.port)) {
          if (p.port < 1 || p.port > 65535) report({ object: o, path: [...at, 'port'], messageId: 'range', data: { field: 'port', value: p.port } });
          const key = `${p.port}/${protocol}`;
          const first2 = pairs.get(key);
          if (first2 !== undefined) report({ object: o, path: at, messageId: 'repeated', data: { port: p.port, protocol, other: `spec.ports[${first2}]` } });
          else pairs.set(key, i);
        }
        if (typeof p.targetPort === 'number' && Number.isInteger(p.targetPort) && p.targetPort !== 0 && (p.targetPort < 1 || p.targetPort > 65535)) {
          report({ object: o, path: [...at, 'targetPort'], messageId: 'range', data: { field: 'targetPort', value: p.targetPort } });
        }
        // An all-digit string is reported by target-port-unresolved as a quoted number, except
        // on an ExternalName Service, which that rule skips (the API server checks it all the same).
        if (typeof p.targetPort === 'string' && p.targetPort !== '' && (!/^\d+$/.test(p.targetPort) || svc.type === 'ExternalName')) {
          const problems = portNameProblems(p.targetPort);
          if (problems.length) report({ object: o, path: [...at, 'targetPort'], messageId: 'targetPortName', data: { name: code(p.targetPort), problems: list(problems) } });
        }
        if (typeof p.appProtocol === 'string') {
          const problems = qualifiedNameProblems(p.appProtocol);
          if (problems.length) report({ object: o, path: [...at, 'appProtocol'], messageId: 'appProtocol', data: { value: code(p.appProtocol), problems: list(problems) } });
        }
      });
    }
  },
};

export default rule;
