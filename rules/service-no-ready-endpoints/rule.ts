import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { ServiceNode } from '../../src/types/graph.js';
import { describe, refOf } from '../../src/types/object.js';
import { describeReasons, hasReadyEndpoints, podStory, proxyView, publishedEndpoints, rolloutOfPod, workloadOf, type RolloutStory } from '../../src/graph/live.js';
import { resolveHost } from '../../src/graph/dns.js';
import { code, list, plural } from '../../src/text.js';
import { objectsOfKind } from '../../src/graph/kinds.js';

/** `<name>.<namespace>.svc.<domain>`: the Service an in-cluster ExternalName names. */
function serviceName(host: string, domain: string): { name: string; namespace: string } | undefined {
  const labels = host.slice(0, -`.svc.${domain}`.length).split('.');
  return labels.length === 2 ? { name: labels[0]!, namespace: labels[1]! } : undefined;
}

/** An ExternalName whose target is a Service of this cluster: it must exist and have ready endpoints. */
function checkExternalName({ graph, report }: RuleContext, svc: ServiceNode): void {
  const host = svc.externalName?.replace(/\.$/, '').toLowerCase();
  const domain = graph.settings.clusterDomain;
  if (!host || !host.endsWith(`.svc.${domain}`)) return;
  const r = resolveHost(graph, host, svc.object.namespace);
  const path = ['spec', 'externalName'];
  const target = serviceName(host, domain);
  // Live, the Namespace objects are the cluster's: a name in a namespace that does not exist
  // is NXDOMAIN, whatever Services the run knows.
  const namespaces = objectsOfKind(graph, 'Namespace');
  if (target && namespaces.length && !namespaces.some((o) => o.name === target.namespace)) {
    report({ object: svc.object, path, messageId: 'externalNameNoNamespace', data: { host: code(host), namespace: code(target.namespace) }, remediation: `Point spec.externalName at an existing Service (\`<service>.<namespace>.svc.${domain}\`), or create namespace ${target.namespace} and Service ${target.name} in it.` });
  } else if (r.kind === 'missing') {
    report({ object: svc.object, path, messageId: 'externalNameMissing', data: { host: code(host), name: code(r.name), namespace: code(r.namespace) }, remediation: `Point spec.externalName at an existing Service (kubectl get services -n ${r.namespace}), or create Service ${r.name} in namespace ${r.namespace}.` });
  } else if (r.kind === 'service' && r.service.mode !== 'external-name' && !hasReadyEndpoints(r.service)) {
    report({ object: svc.object, path, messageId: 'externalNameNotReady', data: { host: code(host), target: `${r.service.object.namespace}/${r.service.object.name}` }, remediation: `Fix Service ${r.service.object.namespace}/${r.service.object.name} (svclint doctor svc/${r.service.object.name} -n ${r.service.object.namespace} shows why it has no ready endpoints).` });
  }
}

const rule: Rule = {
  meta: {
    id: 'service-no-ready-endpoints',
    description: 'Live: a Service whose selector matches pods but which has no endpoint kube-proxy uses, with the reason for each pod (its node, not ready with the kubelet\'s last event, crash looping, terminating) or for the slices; an ExternalName to a Service of this cluster that is missing or has no endpoints.',
    liveOnly: true,
    category: 'endpoints',
    severity: 'error',
    messages: {
      podsNotReady: 'this Service selects {{pods}} but has no ready endpoints{{fallback}}: {{why}}',
      slicesBehind: 'this Service selects {{ready}} ready, but kube-proxy has no endpoint for it: {{why}}',
      externalNameMissing: 'this ExternalName points at {{host}}, a Service of this cluster, but namespace {{namespace}} has no Service {{name}}: the name does not resolve',
      externalNameNoNamespace: 'this ExternalName points at {{host}}, a Service of this cluster, but namespace {{namespace}} does not exist: the name does not resolve',
      externalNameNotReady: 'this ExternalName points at {{host}}, and Service {{target}} has no ready endpoints: connections fail',
    },
    remediation: 'Fix what keeps the selected pods from being ready (see each pod\'s reason), then check the EndpointSlices with kubectl get endpointslices -l kubernetes.io/service-name=<service>.',
  },
  check(ctx) {
    const { graph, report } = ctx;
    if (!graph.settings.live) return;
    for (const svc of graph.services) {
      if (svc.object.overlay) continue;
      if (svc.mode === 'external-name') {
        checkExternalName(ctx, svc);
        continue;
      }
      if (svc.mode !== 'selector' || svc.backends.length === 0 || hasReadyEndpoints(svc)) continue;
      const pods = svc.backends.map((t) => ({ t, s: podStory(graph, t.owner) }));
      // A pod the port lookup leaves out serves no port of this Service.
      const unresolved = new Set(svc.ports.flatMap((p) => p.resolutions.filter((r) => r.targetPort === undefined).map((r) => r.template)));
      const serving = pods.filter((p) => p.s.ready && p.s.ip && !unresolved.has(p.t));
      const notReady = pods.filter((p) => !p.s.ready || !p.s.ip);
      const name = (p: (typeof pods)[number]) => {
        const w = workloadOf(graph, p.t.owner);
        return `${describe(refOf(p.t.owner))}${w ? ` (${w})` : ''}`;
      };
      if (serving.length > 0) {
        const why = svc.ports.flatMap((p) => proxyView(svc.endpointObjects, p).ignored);
        const managed = [...new Set(svc.endpointObjects.map((o) => publishedEndpoints(o).managedBy).filter((m): m is string => !!m))];
        report({
          object: svc.object,
          path: ['spec', 'selector'],
          messageId: 'slicesBehind',
          data: {
            ready: plural(serving.length, 'pod'),
            why: svc.endpointObjects.length === 0 ? 'there are no EndpointSlices for it (is the endpoint-slice controller running?)'
              : why.length ? list([...new Set(why)], 3)
                : managed.length && !managed.includes('endpointslice-controller.k8s.io') ? `its EndpointSlices, managed by ${list(managed.map((m) => code(m)))}, list no ready endpoint for them`
                  : 'its EndpointSlices list no ready endpoint for them yet',
          },
        });
        continue;
      }
      // Ready pods whose only fault is the port: target-port-unresolved names that cause.
      if (notReady.length === 0) continue;
      const why = notReady.slice(0, 5).map((p) => `${name(p)}: ${describeReasons(p.s)}`);
      // A failed rollout explains the pods: name it, and the way back.
      const rollouts = new Map<string, RolloutStory>();
      for (const p of notReady) {
        const r = rolloutOfPod(graph, p.t.owner);
        if (r) rollouts.set(r.deployment.name, r);
      }
      const rollout = [...rollouts.values()];
      report({
        object: svc.object,
        path: ['spec', 'selector'],
        messageId: 'podsNotReady',
        data: {
          pods: plural(pods.length, 'pod'),
          fallback: svc.ports.some((p) => proxyView(svc.endpointObjects, p).fallback) ? ' (kube-proxy sends traffic to its terminating pods until they stop)' : '',
          why: [...rollout.map((r) => r.text), why.join('; ') + (notReady.length > 5 ? `; and ${notReady.length - 5} more` : '')].join('; '),
        },
        ...(rollout.length ? { remediation: `Roll back to the revision that served: ${rollout.map((r) => r.fix).join('; ')}; then fix the new pods (see each pod's reason) before rolling out again.` } : {}),
        related: notReady.slice(0, 5).map((p) => ({ object: p.t.owner, path: ['status'], message: describeReasons(p.s) })),
      });
    }
  },
};

export default rule;
