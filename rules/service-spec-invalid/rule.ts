import type { Rule } from '../../src/types/rule.js';
import { isRecord } from '../../src/load/objects.js';
import { code } from '../../src/text.js';
import { isDNS1123Subdomain, isIPAddress } from '../../src/names.js';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

const rule: Rule = {
  meta: {
    id: 'service-spec-invalid',
    description: 'Service fields the API server rejects: a bad type or clusterIP, an ExternalName that is not a DNS name or has a clusterIP, a nodePort on a ClusterIP Service, a session affinity timeout out of range.',
    category: 'schema',
    severity: 'error',
    messages: {
      type: 'type {{type}} is not one of ClusterIP, NodePort, LoadBalancer and ExternalName',
      clusterIP: 'clusterIP {{value}} is not an IP address, `None` (headless) or empty (allocated by the cluster)',
      externalNameMissing: 'this ExternalName Service has no externalName, the DNS name it is an alias for',
      externalNameIP: 'externalName {{value}} is an IP address; an ExternalName Service is a DNS CNAME and needs a DNS name (for an IP, use a Service without a selector and an EndpointSlice)',
      externalNameInvalid: 'externalName {{value}} is not a valid DNS name (lowercase DNS-1123 subdomain)',
      externalNameURL: 'externalName {{value}} is a URL; an ExternalName Service is a DNS CNAME: write only the host name {{host}}, and the port in spec.ports',
      externalNameHostPort: 'externalName {{value}} has a port; an ExternalName Service is a DNS CNAME: write only the host name {{host}}, and put the port in spec.ports',
      externalNameClusterIP: 'an ExternalName Service must not set clusterIP (found {{value}})',
      nodePort: 'nodePort {{value}} is set on a {{type}} Service; only NodePort and LoadBalancer Services have node ports',
      affinity: 'sessionAffinity {{value}} is not one of None and ClientIP',
      affinityTimeout: 'sessionAffinityConfig.clientIP.timeoutSeconds {{value}} is outside 1–86400',
    },
    remediation: 'Fix the field so that the API server accepts the Service.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      const o = svc.object;
      const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
      if (!spec) continue;
      if (typeof spec.type === 'string' && spec.type !== '' && !TYPES.includes(spec.type)) {
        report({ object: o, path: ['spec', 'type'], messageId: 'type', data: { type: code(spec.type) } });
      }
      const ip = spec.clusterIP;
      if (svc.type === 'ExternalName') {
        const name = spec.externalName;
        if (typeof name !== 'string' || name === '') report({ object: o, path: ['spec'], messageId: 'externalNameMissing' });
        else if (isIPAddress(name)) report({ object: o, path: ['spec', 'externalName'], messageId: 'externalNameIP', data: { value: code(name) } });
        else if (!isDNS1123Subdomain(name.replace(/\.$/, ''))) {
          const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(name);
          const hostPort = /^([^/:]+):\d{1,5}$/.exec(name);
          const messageId = url ? 'externalNameURL' : hostPort ? 'externalNameHostPort' : 'externalNameInvalid';
          report({ object: o, path: ['spec', 'externalName'], messageId, data: { value: code(name), host: code((url?.[1] ?? hostPort?.[1] ?? name).toLowerCase()) } });
        }
        if (typeof ip === 'string' && ip !== '') report({ object: o, path: ['spec', 'clusterIP'], messageId: 'externalNameClusterIP', data: { value: code(ip) } });
      } else if (typeof ip === 'string' && ip !== '' && ip !== 'None' && !isIPAddress(ip)) {
        report({ object: o, path: ['spec', 'clusterIP'], messageId: 'clusterIP', data: { value: code(ip) } });
      }
      if (svc.type === 'ClusterIP' || svc.type === 'ExternalName') {
        (Array.isArray(spec.ports) ? spec.ports : []).forEach((p, i) => {
          if (isRecord(p) && typeof p.nodePort === 'number' && p.nodePort !== 0) {
            report({ object: o, path: ['spec', 'ports', i, 'nodePort'], messageId: 'nodePort', data: { value: p.nodePort, type: svc.type }, remediation: 'Remove nodePort, or set type: NodePort if the Service must be reachable on every node.' });
          }
        });
      }
      const affinity = spec.sessionAffinity;
      if (typeof affinity === 'string' && affinity !== '' && affinity !== 'None' && affinity !== 'ClientIP') {
        report({ object: o, path: ['spec', 'sessionAffinity'], messageId: 'affinity', data: { value: code(affinity) } });
      }
      const cfg = spec.sessionAffinityConfig;
      const timeout = isRecord(cfg) && isRecord(cfg.clientIP) ? cfg.clientIP.timeoutSeconds : undefined;
      if (affinity === 'ClientIP' && typeof timeout === 'number' && (timeout < 1 || timeout > 86400)) {
        report({ object: o, path: ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], messageId: 'affinityTimeout', data: { value: timeout } });
      }
    }
  },
};

export default rule;
