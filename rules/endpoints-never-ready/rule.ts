import { perList } from '../../src/graph/index.js';
import { where } from '../../src/engine/rule-kit.js';
import type { Rule } from '../../src/types/rule.js';
import type { NotReadyReason, PodTemplate, ServiceGraph } from '../../src/types/graph.js';
import { mountedTree } from '../../src/graph/mounts.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import { code, list } from '../../src/text.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { knownListens } from '../../src/graph/listen.js';


/** A readiness gate whose condition nothing in the input is known to set: the kubelet keeps the pods NotReady. */
type Reason = NotReadyReason | { kind: 'gate-unset'; condition: string; path: Path } | { kind: 'host-refused'; container: string; file: string; hosts: string; path: Path };

function say(t: PodTemplate, r: Reason): string {
  switch (r.kind) {
    case 'host-refused':
      return `the readiness probe of container ${code(r.container)} of ${where(t)} sends \`Host: <pod IP>:<port>\` (the kubelet's default), which Django's ALLOWED_HOSTS in ${r.file} (${r.hosts}) does not allow: Django answers 400 (DisallowedHost), the probe fails, and the pods never become ready`;
    case 'gate-unset':
      return `the pods of ${where(t)} wait for readiness gate ${code(r.condition)}, a condition no controller known to svclint sets and no Role of the files lets anyone write (\`pods/status\`): the kubelet keeps each pod NotReady (ReadinessGatesNotReady) until something sets that condition to True`;
    case 'scaled-to-zero':
      return `${where(t)} runs 0 replicas`;
    case 'paused':
      return `${where(t)} is paused (a new Deployment creates no pods until it is resumed; one that exists keeps the pods it has)`;
    case 'job':
      return r.suspended ? `${where(t)} is suspended until something starts it` : `the pods of ${where(t)} run to completion`;
    case 'probe-port-unknown':
      return `container ${code(r.container)} of ${where(t)} has a readiness probe on port ${code(r.port)}, which that container does not declare, so its pods never become ready`;
    case 'port-taken':
      return `containers ${code(r.other)} and ${code(r.container)} of ${where(t)} both listen on port ${r.port} (${r.why}); the pod's containers share one network, so the second cannot bind it ("address already in use") and exits, and the pods never become ready`;
    case 'probe-path-elsewhere':
      return `container ${code(r.container)} of ${where(t)} has a ${r.probe === 'startupProbe' ? 'startup' : 'readiness'} probe on ${code(r.probePath)} at port ${r.port}, but ${r.why}: the probe gets 404 and the pods never become ready; probe port ${r.served}`;
    case 'image-cannot-start':
      return `container ${code(r.container)} of ${where(t)} cannot start: ${r.why}`;
    case 'probe-path-missing':
      return `container ${code(r.container)} of ${where(t)} has a ${r.probe === 'startupProbe' ? 'startup' : 'readiness'} probe ${r.probePath === 'grpc' ? 'over gRPC' : `on ${code(r.probePath)}`}, but ${r.why}: the probe fails and the pods never become ready`;
    case 'init-never-exits':
      return `init container ${code(r.container)} of ${where(t)} runs ${code(r.image)}, a server that never exits, and is no native sidecar (\`restartPolicy: Always\`): the pod's containers never start (\`Init:0/N\`)`;
    case 'command-unrunnable':
      return r.probe
        ? `the ${r.probe} of container ${code(r.container)} of ${where(t)} runs ${code(r.command)}, which cannot be executed (${r.why}): the probe fails every time and the pods never become ready`
        : `container ${code(r.container)} of ${where(t)} cannot start: its command ${code(r.command)} cannot be executed, ${r.why}`;
  }
}

/**
 * Reasons that hold for as long as the manifests stay as they are. A suspended Job is not
 * one: queue controllers such as Kueue create Jobs suspended and start them later.
 */
const permanent = (r: Reason, publishNotReady: boolean) =>
  ((r.kind === 'gate-unset' || r.kind === 'host-refused') && !publishNotReady) || r.kind === 'scaled-to-zero' || r.kind === 'paused' || r.kind === 'command-unrunnable' || r.kind === 'init-never-exits' || (r.kind === 'probe-path-missing' && !publishNotReady) || r.kind === 'image-cannot-start' || r.kind === 'port-taken' || (r.kind === 'probe-path-elsewhere' && !publishNotReady) || (r.kind === 'probe-port-unknown' && !publishNotReady);

/** Two regular containers of a template that surely listen on one port (flags, a program's default, an image's). */
function portTaken(t: PodTemplate): NotReadyReason[] {
  if (t.containers.length < 2) return [];
  const seen = new Map<number, { name: string; text: string; soft: boolean }>();
  for (const c of t.containers) {
    if (c.path.includes('initContainers')) continue;
    const raw = getIn(t.owner.body, c.path);
    if (!isRecord(raw) || (raw.securityContext !== undefined && getIn(raw, ['securityContext', 'capabilities']) !== undefined)) continue;
    const l = knownListens(c, raw);
    for (const port of l?.ports ?? []) {
      const before = seen.get(port);
      // An image's or a program's default is its convention, not the manifest's word.
      const soft = l!.evidence.kind !== 'flag';
      if (before) return [{ kind: 'port-taken', container: c.name, other: before.name, port, why: `${before.text}; ${code(l!.evidence.text)}`, path: c.path, soft: soft || before.soft }];
      seen.set(port, { name: c.name, text: code(l!.evidence.text), soft });
    }
  }
  return [];
}

/**
 * Readiness gates whose conditions the controllers that inject them set (the AWS Load Balancer
 * Controller's target health, GKE's NEG readiness, OpenKruise's in-place update and pod
 * readiness): any other condition needs a controller the files do not show.
 */
const KNOWN_GATES = /^(target-health\.(elbv2|alb\.ingress)\.k8s\.aws\/|cloud\.google\.com\/load-balancer-neg-ready$|InPlaceUpdateReady$|KruisePodReady$)/;

/** Whether a Role or ClusterRole of the run lets someone update or patch `pods/status` (a controller that may set a gate). */
function writesPodStatus(objects: readonly K8sObject[]): boolean {
  return objects.some((o) => {
    if ((o.kind !== 'Role' && o.kind !== 'ClusterRole') || !/^rbac\.authorization\.k8s\.io\//.test(o.apiVersion)) return false;
    const rules = getIn(o.body, ['rules']);
    return Array.isArray(rules) && rules.some((r) => {
      if (!isRecord(r)) return false;
      const res = Array.isArray(r.resources) ? r.resources : [];
      const verbs = Array.isArray(r.verbs) ? r.verbs : [];
      return res.some((x) => x === 'pods/status' || x === '*' || x === 'pods/*') && verbs.some((v) => v === 'patch' || v === 'update' || v === '*');
    });
  });
}

/** The first readiness gate of a template whose condition nothing known sets. */
function gateUnset(t: PodTemplate, live: boolean): Reason[] {
  if (live) return [];
  const gates = getIn(t.owner.body, [...t.path, 'spec', 'readinessGates']);
  if (!Array.isArray(gates)) return [];
  for (const [i, g] of gates.entries()) {
    const type = isRecord(g) ? g.conditionType : undefined;
    if (typeof type !== 'string' || type === '' || KNOWN_GATES.test(type)) continue;
    return [{ kind: 'gate-unset', condition: type, path: [...t.path, 'spec', 'readinessGates', i, 'conditionType'] }];
  }
  return [];
}

/**
 * Django behind an HTTP readiness probe: the kubelet sends `Host: <pod IP>:<port>` unless the
 * probe sets a Host header, and Django (CommonMiddleware's `request.get_host()`, validate_host)
 * answers 400 to a host its ALLOWED_HOSTS does not list. Read from the settings module that
 * DJANGO_SETTINGS_MODULE names, mounted from the run, where ALLOWED_HOSTS is a list of literal
 * strings set once, with no `*` and no address that could be a pod's.
 */
function djangoHostRefused(graph: ServiceGraph, t: PodTemplate): Reason[] {
  for (const c of t.containers) {
    const raw = getIn(t.owner.body, c.path);
    if (!isRecord(raw)) continue;
    const probe = getIn(raw, ['readinessProbe', 'httpGet']);
    if (!isRecord(probe) || probe.host !== undefined) continue;
    const headers = Array.isArray(probe.httpHeaders) ? probe.httpHeaders : [];
    if (headers.some((h) => isRecord(h) && typeof h.name === 'string' && h.name.toLowerCase() === 'host')) continue;
    const env = Array.isArray(raw.env) ? raw.env : [];
    const mod = env.find((e) => isRecord(e) && e.name === 'DJANGO_SETTINGS_MODULE');
    if (!isRecord(mod) || typeof mod.value !== 'string' || !/^[\w.]+$/.test(mod.value)) continue;
    const suffix = `/${mod.value.replace(/\./g, '/')}.py`;
    const file = mountedTree(graph, t, raw).files.find((f) => f.path.endsWith(suffix));
    if (!file) continue;
    const text = file.text;
    const sets = [...text.matchAll(/^ALLOWED_HOSTS\s*(\+?=)\s*([\[(])([^\])]*)[\])]\s*(#.*)?$/gm)];
    // Set once, as a literal list: any other assignment, or a change to the list, is not read.
    if (sets.length !== 1 || sets[0]![1] !== '=' || (text.match(/ALLOWED_HOSTS\s*(\+?=|\.(append|extend|insert)|\[)/g) ?? []).length !== 1) continue;
    const items = sets[0]![3]!.split(',').map((x) => x.trim()).filter(Boolean);
    if (!items.every((x) => /^(['"])[^'"]*\1$/.test(x))) continue;
    const hosts = items.map((x) => x.slice(1, -1));
    if (hosts.some((h) => h === '*' || /^\d+\.\d+\.\d+\.\d+$|^\[?[0-9a-f:]+\]?$/i.test(h) && !/^127\.|^\[?::1\]?$/.test(h))) continue;
    return [{ kind: 'host-refused', container: c.name, file: file.source, hosts: hosts.length ? hosts.map((h) => code(h)).join(', ') : 'empty', path: [...c.path, 'readinessProbe', 'httpGet'] }];
  }
  return [];
}

/** A HorizontalPodAutoscaler of the run that targets the template's workload with a minReplicas above 0 (1 by default). */
function stuckAutoscaler(objects: readonly K8sObject[], t: PodTemplate): K8sObject | undefined {
  return objects.find((o) => {
    if (o.kind !== 'HorizontalPodAutoscaler' || !/^autoscaling\//.test(o.apiVersion) || o.namespace !== t.namespace) return false;
    const ref = getIn(o.body, ['spec', 'scaleTargetRef']);
    const min = getIn(o.body, ['spec', 'minReplicas']);
    return isRecord(ref) && ref.kind === t.owner.kind && ref.name === t.owner.name && !(typeof min === 'number' && min === 0);
  });
}

const rule: Rule = {
  meta: {
    id: 'endpoints-never-ready',
    description: 'A Service whose selected pods can never be ready endpoints: scaled to zero, a paused Deployment, Job pods only, a readiness probe on an undeclared port, or a container command that cannot be executed (a whole command line as one item, bash in busybox or alpine).',
    category: 'endpoints',
    severity: 'error',
    messages: {
      never: 'this Service will have no ready endpoints: {{reasons}}',
      parkedAutoscaler: 'this Service has no endpoints while {{reasons}}, and {{hpa}}, which scales it, does not scale a workload at 0 replicas (ScalingActive=False, "scaling is disabled since the replica count of the target is zero"): it stays at 0 until replicas is set',
      parked: 'this Service has no endpoints while {{reasons}}: a workload written with `replicas: 0` is parked on purpose more often than by mistake, and gets endpoints when scaled up (by hand or an autoscaler); if it should serve now, set replicas',
      paused: 'this Service has no endpoints while {{reasons}}: resume it (remove `paused`, or `kubectl rollout resume`) for it to create pods',
      jobsOnly: 'this Service selects only Job pods ({{reasons}}): it has endpoints only while a job runs',
      jobsServe: 'this Service selects only Job pods ({{reasons}}) whose containers declare its ports: it has endpoints while a job runs, which suits metrics or progress endpoints of the job',
    },
    remediation: 'Point the selector at a long-running workload with at least one replica whose readiness probe uses a port its container declares.',
  },
  check({ graph, report }) {
    let statusWriters: { v: boolean } | undefined;
    const extraReasons = new Map<PodTemplate, Reason[]>();
    type Reasons = { reasons: { t: PodTemplate; rs: Reason[] }[]; serving: boolean };
    const reasonLists = new Map<readonly unknown[], Reasons>();
    const pnrLists = new Map<readonly unknown[], Reasons>();
    for (const svc of graph.services) {
      if (svc.mode !== 'selector' || svc.backends.length === 0) continue;
      const pnr = svc.publishNotReadyAddresses;
      // Per template, once: Services that share backends (N over the same N) ask again.
      const extra = (t: PodTemplate): Reason[] => {
        let r = extraReasons.get(t);
        if (!r) {
          const gated = getIn(t.owner.body, [...t.path, 'spec', 'readinessGates']) !== undefined && !(statusWriters ??= { v: writesPodStatus(graph.objects) }).v;
          extraReasons.set(t, (r = [...(gated ? gateUnset(t, graph.settings.live === true) : []), ...(graph.settings.live ? [] : djangoHostRefused(graph, t))]));
        }
        return r;
      };
      // Per backends list (Services of one selector share it) and publishNotReadyAddresses, once.
      const known = perList(pnr ? pnrLists : reasonLists, svc.backends, () => {
        const all = svc.backends.map((t) => ({ t, rs: [...graph.notReadyReasons(t), ...portTaken(t), ...extra(t)].filter((r) => (r.kind !== 'probe-port-unknown' && r.kind !== 'gate-unset') || !pnr) }));
        return { reasons: all, serving: all.some((x) => x.rs.length === 0) };
      });
      if (known.serving) continue; // some workload serves
      const { reasons } = known;
      const blocked = reasons.every((x) => x.rs.some((r) => permanent(r, pnr)));
      // A headless Service over Job pods is how indexed Jobs find their peers: by design.
      if (!blocked && svc.headless) continue;
      // Job containers that declare every port the Service targets: reaching a job while it runs is the point.
      const serves = !blocked && svc.ports.length > 0 && svc.ports.every((p) => p.resolutions.length > 0 && p.resolutions.every((r) => r.containerPort !== undefined || r.declared));
      const first = reasons[0]!;
      const reasonPath = first.rs.find((r) => permanent(r, pnr))?.path ?? first.rs[0]!.path;
      // `replicas: 0`, written down, says the workload is parked: nothing in the input says it should serve now.
      const parked = blocked && reasons.every((x) => x.rs.every((r) => r.kind === 'scaled-to-zero' || r.kind === 'paused' || r.kind === 'job'));
      // A HorizontalPodAutoscaler does not scale a target at 0 replicas (ScalingActive=False, ScalingDisabled) unless its
      // own minReplicas is 0: a parked workload under one stays at 0, whatever load comes.
      const frozen = parked ? reasons.map((x) => (x.rs.some((r) => r.kind === 'scaled-to-zero') ? stuckAutoscaler(graph.objects, x.t) : undefined)).find((h) => h !== undefined) : undefined;
      if (frozen) {
        report({
          object: svc.object,
          path: svc.selectorPath,
          messageId: 'parkedAutoscaler',
          severity: 'warning',
          data: { reasons: list(reasons.map((x) => say(x.t, x.rs.find((r) => permanent(r, pnr)) ?? x.rs[0]!)), 4), hpa: `${frozen.kind} ${frozen.namespace}/${frozen.name}` },
          related: [{ object: frozen, path: ['spec', 'scaleTargetRef'], message: `${frozen.kind} ${frozen.namespace}/${frozen.name}` }, { object: first.t.owner, path: reasonPath, message: say(first.t, first.rs[0]!) }],
          remediation: 'Set replicas to at least 1 (or leave it out under an autoscaler); an HPA scales only a workload that runs.',
        });
        continue;
      }
      // Blocked only by two containers on one port that images' or programs' defaults give: a warning.
      // An image's default configuration (nginx's welcome page) is the image's convention, not the manifest's word: a warning.
      // A readiness gate is set by a controller the files may not hold: a warning.
      const softOnly = blocked && reasons.every((x) => x.rs.filter((r) => permanent(r, pnr)).every((r) => (r.kind === 'port-taken' && r.soft) || (r.kind === 'probe-path-missing' && r.soft === true) || r.kind === 'gate-unset' || r.kind === 'host-refused'));
      const gateOnly = blocked && reasons.every((x) => x.rs.filter((r) => permanent(r, pnr)).every((r) => r.kind === 'gate-unset'));
      report({
        object: svc.object,
        path: svc.selectorPath,
        ...(gateOnly ? { remediation: 'Remove the readiness gate, or deploy the controller that sets its condition (with RBAC to patch pods/status).' } : {}),
        messageId: parked && reasons.every((x) => x.rs.some((r) => r.kind === 'paused')) ? 'paused' : parked ? 'parked' : blocked ? 'never' : serves ? 'jobsServe' : 'jobsOnly',
        severity: parked ? 'info' : blocked ? (softOnly ? 'warning' : 'error') : serves ? 'info' : 'warning',
        data: { reasons: list(reasons.map((x) => say(x.t, x.rs.find((r) => permanent(r, pnr)) ?? x.rs[0]!)), 4) },
        related: reasons.slice(0, 5).map((x) => ({
          object: x.t.owner,
          path: x === first ? reasonPath : (x.rs.find((r) => permanent(r, pnr)) ?? x.rs[0]!).path,
          message: say(x.t, x.rs.find((r) => permanent(r, pnr)) ?? x.rs[0]!),
        })),
      });
    }
  },
};

export default rule;
