import type { Rule } from '../../src/types/rule.js';
import type { Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { code, list } from '../../src/text.js';
import { portNameProblems, PROTOCOLS } from '../../src/names.js';

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'];

/** A container port's protocol, TCP when not written. */
const portProtocol = (p: Record<string, unknown>): string => (typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP');

const rule: Rule = {
  meta: {
    id: 'container-port-name-invalid',
    description: 'A container port the API server rejects (a name that is not a valid port name, a name twice in one container, a number outside 1–65535, an unknown protocol, a hostPort that differs from containerPort on the host network or repeats one of the pod) or a probe it rejects (a port that is not a valid number or port name, no handler or more than one, exec without a command, a scheme other than HTTP and HTTPS, negative timings, a liveness or startup successThreshold other than 1, terminationGracePeriodSeconds on a readiness probe or below 1, a probe or lifecycle hook on an init container that is not a sidecar); and a port name two containers of one pod share.',
    category: 'schema',
    severity: 'error',
    messages: {
      invalid: 'container port name {{name}} is not a valid port name: it {{problems}}',
      repeated: 'container port name {{name}} is used twice in container {{container}}; port names must be unique within a container',
      repeatedAcrossContainers: 'container port name {{name}} is also used by container {{other}} of this pod; the API server accepts it with a warning, and a Service port over {{protocol}} that targets {{name}} reaches {{other}}\'s port only (FindPort takes the first container that declares the name with the Service port\'s protocol; a probe looks in its own container): fine when that is the server meant',
      number: 'containerPort {{value}} is outside 1–65535',
      missing: 'this container port has no containerPort',
      protocol: 'protocol {{protocol}} is not one of TCP, UDP and SCTP{{hint}}',
      probePort: '{{probe}} port {{value}} is not a valid port: it {{problems}}',
      probeNoHandler: '{{probe}} has no handler (exec, httpGet, tcpSocket or grpc); the API server rejects the pod template',
      probeHandlers: '{{probe}} has more than one handler ({{handlers}}); the API server takes exactly one and rejects the pod template',
      probeExec: '{{probe}} runs exec without a command; the API server rejects the pod template',
      probeScheme: '{{probe}} scheme {{value}} is not `HTTP` or `HTTPS`{{hint}}; the API server rejects the pod template',
      probeNegative: '{{probe}} {{field}} is {{value}}, below 0; the API server rejects the pod template',
      probeSuccess: '{{probe}} successThreshold is {{value}}; for a liveness or startup probe it must be 1, and the API server rejects the pod template',
      probeGraceReadiness: '{{probe}} sets terminationGracePeriodSeconds, which only liveness and startup probes take (a failing readiness probe kills nothing); the API server rejects the pod template',
      probeGrace: '{{probe}} terminationGracePeriodSeconds is {{value}}; it must be greater than 0, and the API server rejects the pod template',
      initProbe: 'init container {{container}} has a {{field}}, but an init container without `restartPolicy: Always` runs to completion before the pod starts and takes none; the API server rejects the pod template',
      hostPortHostNetwork: 'hostPort {{hostPort}} differs from containerPort {{containerPort}}, and the pod uses the host network (hostNetwork: true), where the two must be equal; the API server rejects the pod template',
      hostPortRepeated: 'host port {{hostPort}}/{{protocol}}{{defaulted}} is already taken by container {{other}} of this pod; the API server rejects the pod template',
      hostPortRepeatedPods: 'host port {{hostPort}}/{{protocol}}{{defaulted}} is already taken by container {{other}} of this pod; the API server stores the template but rejects every pod made from it (FailedCreate), so there are none',
    },
    remediation: 'Name container ports with at most 15 lowercase letters, digits and \'-\', including a letter, unique within the pod.',
  },
  check({ graph, report }) {
    for (const t of graph.templates) {
      const o = t.owner;
      const specPath = [...t.path, 'spec'];
      const spec = getIn(o.body, specPath);
      if (!isRecord(spec)) continue;
      const inPod = new Map<string, string>();
      const hostNetwork = spec.hostNetwork === true;
      for (const list of ['containers', 'initContainers']) {
        // Host ports are unique per host IP and protocol within a list (containers, init containers).
        const hostPorts = new Map<string, string>();
        const podHostPorts = new Map<string, string>();
        const containers = Array.isArray(spec[list]) ? spec[list] : [];
        containers.forEach((c, ci) => {
          if (!isRecord(c)) return;
          const cPath = [...specPath, list, ci];
          const cName = typeof c.name === 'string' ? c.name : `#${ci + 1}`;
          const inContainer = new Set<string>();
          (Array.isArray(c.ports) ? c.ports : []).forEach((p, pi) => {
            if (!isRecord(p)) return;
            const at: Path = [...cPath, 'ports', pi];
            if (typeof p.name === 'string' && p.name !== '') {
              const problems = portNameProblems(p.name);
              if (problems.length) report({ object: o, path: [...at, 'name'], messageId: 'invalid', data: { name: code(p.name), problems: listOf(problems) } });
              else if (inContainer.has(p.name)) report({ object: o, path: [...at, 'name'], messageId: 'repeated', data: { name: code(p.name), container: code(cName) } });
              else if (inPod.has(`${p.name}/${portProtocol(p)}`)) {
                report({ object: o, path: [...at, 'name'], messageId: 'repeatedAcrossContainers', data: { name: code(p.name), protocol: portProtocol(p), other: code(inPod.get(`${p.name}/${portProtocol(p)}`)!) }, severity: 'info', remediation: 'Give each container port its own name within the pod.' });
              }
              inContainer.add(p.name);
              if (!inPod.has(`${p.name}/${portProtocol(p)}`)) inPod.set(`${p.name}/${portProtocol(p)}`, cName);
            }
            // A misspelt key (`containerport`) is reported by schema-invalid, which names the spelling.
            const misspelt = Object.keys(p).some((k) => k !== 'containerPort' && k.toLowerCase() === 'containerport');
            if ((p.containerPort === undefined || p.containerPort === null || p.containerPort === 0) && !misspelt) report({ object: o, path: [...at, 'containerPort'], messageId: 'missing', remediation: 'Set containerPort to the port the process listens on.' });
            else if (typeof p.containerPort === 'number' && (p.containerPort < 1 || p.containerPort > 65535)) report({ object: o, path: [...at, 'containerPort'], messageId: 'number', data: { value: p.containerPort } });
            if (typeof p.hostPort === 'number' && p.hostPort !== 0 && (p.hostPort < 1 || p.hostPort > 65535)) report({ object: o, path: [...at, 'hostPort'], messageId: 'number', data: { value: p.hostPort } });
            else {
              // Host ports are unique per host IP and protocol within a list: as written in the
              // template, and in its pods, where the host network defaults an unset hostPort to
              // containerPort (and a set one must equal it).
              const set = typeof p.hostPort === 'number' && p.hostPort !== 0;
              const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
              const hostIP = typeof p.hostIP === 'string' ? p.hostIP : '';
              // The two checks are the API server's, each on its own: a hostPort that differs
              // from its containerPort on the host network still takes its place among the host ports.
              if (hostNetwork && set && p.hostPort !== p.containerPort) {
                report({ object: o, path: [...at, 'hostPort'], messageId: 'hostPortHostNetwork', data: { hostPort: p.hostPort as number, containerPort: typeof p.containerPort === 'number' ? p.containerPort : 'unset' }, remediation: 'Leave hostPort out (it is the containerPort on the host network) or make it equal to containerPort.' });
              }
              if (set) {
                const key = `${hostIP}/${protocol}/${p.hostPort as number}`;
                const other = hostPorts.get(key);
                if (other !== undefined) report({ object: o, path: [...at, 'hostPort'], messageId: 'hostPortRepeated', data: { hostPort: p.hostPort as number, protocol, defaulted: '', other: code(other) }, remediation: HOST_PORT_FIX });
                else hostPorts.set(key, cName);
                podHostPorts.set(key, cName);
              } else if (hostNetwork && typeof p.containerPort === 'number' && p.containerPort >= 1 && p.containerPort <= 65535) {
                const key = `${hostIP}/${protocol}/${p.containerPort}`;
                const other = podHostPorts.get(key);
                // A Pod is rejected itself; a workload's template is stored, and each pod made from it is rejected.
                if (other !== undefined) report({ object: o, path: [...at, 'hostPort'], messageId: o.kind === 'Pod' ? 'hostPortRepeated' : 'hostPortRepeatedPods', data: { hostPort: p.containerPort, protocol, defaulted: ' (the containerPort, on the host network)', other: code(other) }, remediation: HOST_PORT_FIX });
                else podHostPorts.set(key, cName);
              }
            }
            if (typeof p.protocol === 'string' && p.protocol !== '' && !PROTOCOLS.includes(p.protocol)) {
              const upper = p.protocol.toUpperCase();
              report({ object: o, path: [...at, 'protocol'], messageId: 'protocol', data: { protocol: code(p.protocol), hint: PROTOCOLS.includes(upper) ? `; protocols are written in uppercase: ${code(upper)}` : '' } });
            }
          });
          // A regular init container runs to completion before the pod serves: it takes no probe or lifecycle hook.
          if (list === 'initContainers' && c.restartPolicy !== 'Always') {
            for (const field of [...PROBES, 'lifecycle']) {
              if (c[field] !== undefined && c[field] !== null) report({ object: o, path: [...cPath, field], messageId: 'initProbe', data: { field, container: code(cName) }, remediation: 'Move the probe to the container it checks, or make the init container a sidecar (`restartPolicy: Always`), which may have probes.' });
            }
          }
          for (const probe of PROBES) {
            probePorts(c[probe], [...cPath, probe], probe, (path, value, problems) => report({ object: o, path, messageId: 'probePort', data: { probe, value: code(typeof value === 'string' ? JSON.stringify(value) : String(value)), problems: listOf(problems) }, remediation: 'Write the port as a number (1–65535, unquoted) or as the name of a container port.' }));
            probeShape(c[probe], [...cPath, probe], probe, (path, messageId, data) => report({ object: o, path, messageId, data: { probe, ...data }, remediation: PROBE_FIX }));
          }
        });
      }
    }
  },
};

const listOf = (xs: string[]) => list(xs);

const HOST_PORT_FIX = 'Give each container port its own host port (per host IP and protocol), or leave hostPort out where the pod does not need one.';

const PROBE_FIX = 'Give each probe exactly one handler (exec with a command, httpGet with scheme HTTP or HTTPS, tcpSocket or grpc), timings of 0 or more, and successThreshold 1 for liveness and startup probes.';
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const TIMINGS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;

/**
 * What the API server refuses in a probe besides its port (validateProbe, v1.36): no handler
 * or more than one (the second and later are refused, in the order exec, httpGet, tcpSocket,
 * grpc), exec without a command, an httpGet scheme other than HTTP and HTTPS, a negative
 * timing or threshold, and a liveness or startup successThreshold other than 1 (0 is defaulted).
 */
function probeShape(probe: unknown, path: Path, name: string, bad: (path: Path, messageId: string, data?: Record<string, string | number>) => void): void {
  if (!isRecord(probe)) return;
  const present = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (present.length === 0) bad(path, 'probeNoHandler');
  for (const h of present.slice(1)) bad([...path, h], 'probeHandlers', { handlers: present.map((x) => code(x)).join(', ') });
  if (isRecord(probe.exec) && (!Array.isArray(probe.exec.command) || probe.exec.command.length === 0)) bad([...path, 'exec', 'command'], 'probeExec');
  const scheme = isRecord(probe.httpGet) ? probe.httpGet.scheme : undefined;
  if (typeof scheme === 'string' && scheme !== '' && scheme !== 'HTTP' && scheme !== 'HTTPS') {
    const upper = scheme.toUpperCase();
    bad([...path, 'httpGet', 'scheme'], 'probeScheme', { value: code(scheme), hint: upper === 'HTTP' || upper === 'HTTPS' ? `; schemes are written in uppercase: ${code(upper)}` : '' });
  }
  for (const field of TIMINGS) {
    const v = probe[field];
    if (typeof v === 'number' && v < 0) bad([...path, field], 'probeNegative', { field, value: v });
  }
  // validateReadinessProbe and validateProbe (ProbeTerminationGracePeriod).
  const grace = probe.terminationGracePeriodSeconds;
  if (name === 'readinessProbe' && grace !== undefined && grace !== null) bad([...path, 'terminationGracePeriodSeconds'], 'probeGraceReadiness');
  else if (typeof grace === 'number' && grace <= 0) bad([...path, 'terminationGracePeriodSeconds'], 'probeGrace', { value: grace });
  const success = probe.successThreshold;
  if (name !== 'readinessProbe' && typeof success === 'number' && success > 1) bad([...path, 'successThreshold'], 'probeSuccess', { value: success });
}

/** The API server reads a probe's port as a number (1–65535) or, when it is a string, as a port name. */
function probePorts(probe: unknown, path: Path, _name: string, bad: (path: Path, value: unknown, problems: string[]) => void): void {
  if (!isRecord(probe)) return;
  for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
    const h = probe[handler];
    if (!isRecord(h)) continue;
    const port = h.port;
    const at = [...path, handler, 'port'];
    if (typeof port === 'number' && Number.isInteger(port) && (port < 1 || port > 65535)) bad(at, port, ['is outside 1–65535']);
    else if (typeof port === 'string' && handler !== 'grpc') {
      const problems = /^\d+$/.test(port) ? ['is a quoted number, which Kubernetes reads as a port name, and a port name must contain a letter'] : portNameProblems(port);
      if (problems.length) bad(at, port, problems);
    }
  }
}

export default rule;
