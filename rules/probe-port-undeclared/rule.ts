import type { Rule } from '../../src/types/rule.js';
import { where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
const EFFECT: Record<(typeof PROBES)[number], string> = {
  readinessProbe: 'the pod never turns Ready and gets no Service traffic',
  livenessProbe: 'the kubelet restarts the container again and again',
  startupProbe: 'the container never finishes starting and is restarted again and again',
};

/** What an unresolvable port does: the prober errors, and the kubelet throws errored results away (prober worker). */
const UNRESOLVED_EFFECT: Partial<Record<(typeof PROBES)[number], string>> = {
  livenessProbe: 'the probe errors on every run and the kubelet throws the result away: the liveness check never runs (it stays at its initial success, so a hung container is never restarted)',
  startupProbe: 'the probe errors on every run and the kubelet throws the result away: the container never counts as started, its readiness probe never runs, and the pod never turns Ready',
};
const HOOK_EFFECT = {
  postStart: 'the kubelet kills the container (FailedPostStartHook) and it restarts again and again',
  preStop: 'the hook fails (FailedPreStopHook) and the container is stopped without it',
};

const rule: Rule = {
  meta: {
    id: 'probe-port-undeclared',
    description: 'A readiness, liveness or startup probe on a named port that its container does not declare, or with a `host` the kubelet cannot reach the pod by (localhost is the node\'s own): the probe fails every time (and the same host in a postStart or preStop hook\'s httpGet or tcpSocket); and an httpGet probe whose scheme contradicts the name of its port (plain HTTP to a port named `https`, HTTPS to one named `http`): it most likely fails.',
    category: 'port',
    severity: 'error',
    messages: {
      hostVariable: '{{probe}} of container {{container}} in {{workload}} sets host {{host}}: the kubelet expands `$(VAR)` in command, args and env only, so it dials that text as it is, which is no address; the probe fails and {{effect}} (leave host out: the kubelet dials the pod\'s IP)',
      hostLoopback: '{{probe}} of container {{container}} in {{workload}} sets host {{host}}: the kubelet dials that address from the node, where it is the node\'s own loopback, not the pod; the probe fails and {{effect}} (leave host out: the kubelet dials the pod\'s IP; for a Host header use httpHeaders)',
      hostName: '{{probe}} of container {{container}} in {{workload}} sets host {{host}}: the kubelet dials it from the node, whose resolver knows no Service or pod names; the probe most likely fails and {{effect}} (leave host out: the kubelet dials the pod\'s IP; for a Host header use httpHeaders)',
      hookHostLoopback: 'the {{hook}} hook of container {{container}} in {{workload}} sets host {{host}}: the kubelet dials that address from the node, where it is the node\'s own loopback, not the pod; {{effect}} (leave host out: the kubelet dials the pod\'s IP)',
      hookHostName: 'the {{hook}} hook of container {{container}} in {{workload}} sets host {{host}}: the kubelet dials it from the node, whose resolver knows no Service or pod names; the call most likely fails: {{effect}} (leave host out: the kubelet dials the pod\'s IP, or call the Service from an exec hook inside the pod)',
      undeclared: '{{probe}} of container {{container}} in {{workload}} uses port {{port}}, which this container does not declare{{declared}}; the kubelet looks the name up in the probed container only and cannot resolve it: {{effect}}',
      plainToTls: '{{probe}} of container {{container}} in {{workload}} sends plain HTTP{{scheme}} to port {{port}}, named {{name}}: a server that speaks TLS there answers 400 (or closes the connection), the probe fails and {{effect}} (set `scheme: HTTPS`; the kubelet does not verify the certificate)',
      tlsToPlain: '{{probe}} of container {{container}} in {{workload}} speaks TLS (`scheme: HTTPS`) to port {{port}}, named {{name}}: a server that speaks plain HTTP there fails the handshake, the probe fails and {{effect}} (leave scheme out, or serve TLS on that port)',
    },
    remediation: 'Use a port name the probed container declares in its ports, or the port number.',
  },
  check({ graph, report }) {
    // What a `host` the kubelet dials from the node is there: its own loopback, or a cluster name
    // (a bare label, one under `.svc` or the cluster domain, `<service>.<namespace>` of a Service
    // the run holds) that the node's resolver does not know. An outside name may resolve on the node.
    const hostFault = (written: string): 'loopback' | 'name' | 'variable' | undefined => {
      const host = written.trim().toLowerCase();
      // The kubelet expands no `$(VAR)` in a probe's or hook's host (only in command, args and env): the text is dialled as it is.
      if (/\$\(/.test(host)) return 'variable';
      if (host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\./.test(host)) return 'loopback';
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host) || !/[a-z]/.test(host)) return undefined;
      const serviceNs = /^[^.]+\.[^.]+$/.test(host) && graph.service(host.split('.')[1]!, host.split('.')[0]!) !== undefined;
      return !host.includes('.') || /\.svc(\.|$)/.test(host) || host.endsWith(`.${graph.settings.clusterDomain}`) || serviceNs ? 'name' : undefined;
    };
    for (const t of graph.templates) {
      // Services that publish not-ready pods still send to this one: what fails is readiness
      // itself. Looked up only for a finding (most templates have none).
      const effect = (probe: (typeof PROBES)[number]) => {
        if (probe !== 'readinessProbe') return EFFECT[probe];
        const selecting = graph.servicesIn(t.namespace).filter((x) => x.backends.includes(t));
        if (selecting.length === 0 || !selecting.every((x) => x.publishNotReadyAddresses)) return EFFECT[probe];
        return `the pod never turns Ready: ${selecting.length === 1 ? `Service ${code(selecting[0]!.object.name)} publishes it anyway` : 'its Services publish it anyway'} (publishNotReadyAddresses), but a rollout that waits for Ready stalls${t.owner.kind === 'StatefulSet' && getIn(t.owner.body, ['spec', 'podManagementPolicy']) !== 'Parallel' ? ', and the StatefulSet (OrderedReady) creates its next pod only once this one is Ready' : ''}`;
      };
      const hostNetwork = getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true;
      // Native sidecars (init containers with `restartPolicy: Always`) are probed too: their
      // readiness counts towards the pod's, and the pod's containers start only once their
      // startup probe succeeds.
      for (const field of ['containers', 'initContainers'] as const) {
        const containers = getIn(t.owner.body, [...t.path, 'spec', field]);
        if (!Array.isArray(containers)) continue;
        containers.forEach((c, i) => {
          if (!isRecord(c) || (field === 'initContainers' && c.restartPolicy !== 'Always')) return;
          const names = Array.isArray(c.ports) ? c.ports.filter(isRecord).map((p) => p.name).filter((n): n is string => typeof n === 'string') : [];
          // Lifecycle hooks' httpGet and tcpSocket are dialled by the kubelet from the node too (runHTTPHandler).
          for (const hook of ['postStart', 'preStop'] as const) {
            for (const handler of ['httpGet', 'tcpSocket'] as const) {
              const h = getIn(c, ['lifecycle', hook, handler]);
              if (!isRecord(h) || typeof h.host !== 'string' || h.host.trim() === '' || hostNetwork) continue;
              const fault = hostFault(h.host);
              if (!fault) continue;
              if (fault === 'variable') continue;
              const loopback = fault === 'loopback';
              report({
                object: t.owner,
                path: [...t.path, 'spec', field, i, 'lifecycle', hook, handler, 'host'],
                messageId: loopback ? 'hookHostLoopback' : 'hookHostName',
                ...(loopback ? {} : { severity: 'warning' as const }),
                data: { hook, container: code(typeof c.name === 'string' ? c.name : `#${i}`), workload: where(t), host: code(h.host), effect: HOOK_EFFECT[hook] },
              });
            }
          }
          for (const probe of PROBES) {
            const pr = c[probe];
            if (!isRecord(pr)) continue;
            for (const handler of ['httpGet', 'tcpSocket'] as const) {
              const h = pr[handler];
              // `host` replaces the pod's IP as the address the kubelet dials, from the node: its
              // own loopback there (unless the pod shares the node's network), a name through the
              // node's resolver, which knows no Service names.
              if (isRecord(h) && typeof h.host === 'string' && h.host.trim() !== '' && !hostNetwork) {
                const fault = hostFault(h.host);
                const loopback = fault === 'loopback' || fault === 'variable';
                if (fault) {
                  report({
                    object: t.owner,
                    path: [...t.path, 'spec', field, i, probe, handler, 'host'],
                    messageId: fault === 'variable' ? 'hostVariable' : loopback ? 'hostLoopback' : 'hostName',
                    ...(loopback ? {} : { severity: 'warning' as const }),
                    data: { probe, container: code(typeof c.name === 'string' ? c.name : `#${i}`), workload: where(t), host: code(h.host), effect: effect(probe) },
                  });
                }
              }
              if (handler === 'httpGet' && isRecord(h)) {
                const mismatch = schemeMismatch(h, c);
                if (mismatch) {
                  report({
                    object: t.owner,
                    path: [...t.path, 'spec', field, i, probe, handler, mismatch.tls ? 'port' : 'scheme'],
                    messageId: mismatch.tls ? 'plainToTls' : 'tlsToPlain',
                    // `scheme: HTTPS` is written on purpose; a port named `http` often names the protocol family
                    // (bitwarden-sdk-server serves TLS on its port `http` unless `--insecure`): the name alone proves little.
                    severity: mismatch.tls ? 'warning' : 'info',
                    remediation: mismatch.tls ? 'Set `scheme: HTTPS` on the probe (the kubelet does not verify the certificate), or probe a port that serves plain HTTP.' : 'If the server speaks plain HTTP on that port, leave `scheme` out; if it serves TLS there, naming the port `https` says so.',
                    data: { probe, container: code(typeof c.name === 'string' ? c.name : `#${i}`), workload: where(t), port: code(String(h.port)), name: code(mismatch.name), scheme: h.scheme === undefined ? ' (scheme is HTTP when unset)' : '', effect: effect(probe) },
                  });
                }
              }
              // A quoted number works: the kubelet falls back to reading it as a number.
              if (!isRecord(h) || typeof h.port !== 'string' || /^\d+$/.test(h.port) || names.includes(h.port)) continue;
              report({
                object: t.owner,
                path: [...t.path, 'spec', field, i, probe, handler, 'port'],
                messageId: 'undeclared',
                // An unresolvable port makes the probe error, and the kubelet throws errored results away: a liveness
                // probe stays at its initial Success (the check is dead, nothing restarts), a startup probe at Unknown.
                ...(probe === 'livenessProbe' ? { severity: 'warning' as const } : {}),
                data: {
                  probe,
                  container: code(typeof c.name === 'string' ? c.name : `#${i}`),
                  workload: where(t),
                  port: code(h.port),
                  declared: names.length ? ` (it declares ${list(names.map((n) => code(n)), 5)})` : '',
                  effect: UNRESOLVED_EFFECT[probe] ?? `the probe fails, and ${effect(probe)}`,
                },
              });
            }
          }
        });
      }
    }
  },
};

/** Port names that say TLS is spoken there (`https`, `https-web`, `web-tls`), or plain HTTP (`http`, `http-metrics`). */
const TLS_NAME = /^(https|tls)([-_]|$)|[-_](https|tls)$/i;
const PLAIN_NAME = /^http([-_]|$)|[-_]http$/i;

/**
 * An httpGet probe whose scheme contradicts the name of the port it dials, in its container:
 * `tls` when plain HTTP goes to a port named for TLS, false for the reverse. The name is the
 * evidence (a port may still serve both), so these are warnings.
 */
function schemeMismatch(h: Record<string, unknown>, c: Record<string, unknown>): { tls: boolean; name: string } | undefined {
  const scheme = h.scheme === undefined || h.scheme === null ? 'HTTP' : h.scheme;
  if (scheme !== 'HTTP' && scheme !== 'HTTPS') return undefined;
  const ports = Array.isArray(c.ports) ? c.ports.filter(isRecord) : [];
  const port = typeof h.port === 'string' && /^\d+$/.test(h.port) ? Number(h.port) : h.port;
  const declared = typeof port === 'number' ? ports.find((p) => p.containerPort === port) : ports.find((p) => p.name === port);
  const name = typeof declared?.name === 'string' ? declared.name : undefined;
  if (!name) return undefined;
  if (scheme === 'HTTP' && TLS_NAME.test(name)) return { tls: true, name };
  // An admission webhook's server speaks TLS whatever its port is called (the API server calls
  // webhooks over HTTPS only): `http-webhook` names the protocol family, as Istio's `http-` prefix does.
  // A server whose own flags say it serves TLS (kube-rbac-proxy's `--proxy-endpoints-port`, which "securely" serves /healthz) decides over a port's name.
  const words = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].filter((w): w is string => typeof w === 'string');
  const tlsFlags = words.some((w) => /^--?(secure-listen-address|proxy-endpoints-port|secure-port|tls-cert-file|tls-private-key-file|https-address|tls-cert|cert-file)(=|$)/.test(w)) || (typeof c.image === 'string' && /kube-rbac-proxy/.test(c.image));
  if (scheme === 'HTTPS' && PLAIN_NAME.test(name) && !TLS_NAME.test(name) && !/webhook/i.test(name) && !tlsFlags) return { tls: false, name };
  return undefined;
}

export default rule;
