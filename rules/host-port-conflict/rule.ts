import type { Rule } from '../../src/types/rule.js';
import type { PodTemplate } from '../../src/types/graph.js';
import { pathTo, type Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn, lenientInt } from '../../src/graph/pods.js';
import { sameTree } from '../../src/graph/referrers.js';
import { where } from '../../src/engine/rule-kit.js';
import { code } from '../../src/text.js';

/** A port a pod takes on its node: a `hostPort`, or any container port of a pod on the host network. */
interface Claim {
  t: PodTemplate;
  port: number;
  protocol: string;
  /** `hostIP` as written; empty for all addresses. */
  ip: string;
  path: Path;
  hostNetwork: boolean;
}

/** The kubelet's own port on every node (its API: logs, exec, metrics). */
const KUBELET_PORT = 10250;

function claims(t: PodTemplate): Claim[] {
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  if (!isRecord(spec)) return [];
  // On the host network, the API server's defaulting sets every container port's hostPort to it (`defaultHostNetworkPorts`).
  const hostNetwork = spec.hostNetwork === true;
  const out: Claim[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    (Array.isArray(list) ? list : []).forEach((c, ci) => {
      if (!isRecord(c) || !Array.isArray(c.ports)) return;
      c.ports.forEach((p, pi) => {
        if (!isRecord(p)) return;
        const hostPort = lenientInt(p.hostPort) ?? (hostNetwork ? lenientInt(p.containerPort) : undefined);
        if (hostPort === undefined || hostPort <= 0) return;
        const ip = typeof p.hostIP === 'string' && p.hostIP !== '0.0.0.0' && p.hostIP !== '::' ? p.hostIP : '';
        const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
        out.push({ t, port: hostPort, protocol, ip, path: pathTo(t.path, 'spec', field, ci, 'ports', pi, p.hostPort !== undefined ? 'hostPort' : 'containerPort'), hostNetwork });
      });
    });
  }
  return out;
}

/** A DaemonSet whose pods go to every node it tolerates: no node selector or required node affinity. */
function everywhere(t: PodTemplate): boolean {
  if (t.replicas.mode !== 'per-node') return false;
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  if (!isRecord(spec)) return false;
  const selector = spec.nodeSelector;
  if (isRecord(selector) && Object.keys(selector).length > 0) return false;
  return getIn(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution']) === undefined;
}

/** The node a pod template pins all its pods to, and how: `nodeName`, a `kubernetes.io/hostname` node selector, or required node affinity to one node. */
function pinnedNode(t: PodTemplate): { node: string; how: string; path: Path; kubelet: boolean } | undefined {
  const spec = getIn(t.owner.body, [...t.path, 'spec']);
  if (!isRecord(spec)) return undefined;
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return { node: spec.nodeName, how: '`nodeName`', path: pathTo(t.path, 'spec', 'nodeName'), kubelet: true };
  const selector = isRecord(spec.nodeSelector) ? spec.nodeSelector['kubernetes.io/hostname'] : undefined;
  if (typeof selector === 'string' && selector !== '') return { node: selector, how: 'its node selector `kubernetes.io/hostname`', path: pathTo(t.path, 'spec', 'nodeSelector', 'kubernetes.io/hostname'), kubelet: false };
  const terms = getIn(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
  if (!Array.isArray(terms) || terms.length === 0) return undefined;
  // Terms are ORed: every term must name the one node (by its hostname label, or by its name in matchFields).
  const names = new Set<string>();
  for (const term of terms) {
    if (!isRecord(term)) return undefined;
    const reqs = [
      ...(Array.isArray(term.matchExpressions) ? term.matchExpressions.map((r) => ({ r, key: 'kubernetes.io/hostname' })) : []),
      ...(Array.isArray(term.matchFields) ? term.matchFields.map((r) => ({ r, key: 'metadata.name' })) : []),
    ];
    const one = reqs.find(({ r, key }) => isRecord(r) && r.key === key && r.operator === 'In' && Array.isArray(r.values) && r.values.length === 1 && typeof r.values[0] === 'string');
    if (!one || !isRecord(one.r) || !Array.isArray(one.r.values)) return undefined;
    names.add(one.r.values[0] as string);
  }
  if (names.size !== 1) return undefined;
  return { node: [...names][0]!, how: 'its required node affinity', path: pathTo(t.path, 'spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'), kubelet: false };
}

/**
 * Whether the claim's container is told to listen on `port` by a `--…port` flag that a later
 * occurrence of the same flag overrides (pflag and Go's flag package keep the last value:
 * cert-manager's webhook with a second `--secure-port`), with no other such flag left on
 * `port`: the process does not bind the declared port, whatever the port list says.
 */
function flagMovedOff(t: PodTemplate, c: Claim, port: number): boolean {
  const container = getIn(t.owner.body, c.path.slice(0, t.path.length + 3));
  if (!isRecord(container)) return false;
  const words = ['command', 'args'].flatMap((f) => (Array.isArray(container[f]) ? (container[f] as unknown[]) : [])).filter((w): w is string => typeof w === 'string');
  const last = new Map<string, string>();
  const onPort = new Set<string>();
  words.forEach((w, i) => {
    const m = /^--?([a-z][a-z0-9-]*port)(?:=(.*))?$/i.exec(w);
    if (!m) return;
    const value = m[2] ?? words[i + 1];
    if (value === undefined) return;
    last.set(m[1]!, value);
    if (value === String(port)) onPort.add(m[1]!);
  });
  return onPort.size > 0 && [...last.values()].every((v) => v !== String(port));
}

const overlaps = (a: Claim, b: Claim) => a.port === b.port && a.protocol === b.protocol && (a.ip === '' || b.ip === '' || a.ip === b.ip);

const rule: Rule = {
  meta: {
    id: 'host-port-conflict',
    description: 'Pods that take the same port on their node (a hostPort, or any container port of a pod on the host network) next to a DaemonSet that takes it on every node, replicas pinned to one node that each take a host port, or a host-network pod on the kubelet\'s port: the scheduler leaves the second pods Pending (or the process cannot bind), and their Services get no endpoints from them.',
    category: 'endpoints',
    severity: 'error',
    messages: {
      pinned: '{{workload}} runs {{count}} pods that each take port {{port}} on their node{{how}}, and {{pin}} puts them all on node {{node}}: one of them runs there, and {{rest}}; Services in front of them get one endpoint instead of {{count}}',
      daemonSets: '{{workload}} takes port {{port}} on its node{{how}}, and so does {{other}} on every node: a node runs the pods of only one of them, the scheduler leaves the others Pending ("node(s) didn\'t have free ports for the requested pod ports"), and Services in front of them get no endpoints there',
      kubelet: '{{workload}} runs on the host network and declares port {{port}}, where the kubelet of every node listens: the process cannot bind it (address already in use) unless it listens on another port',
    },
    remediation: 'Give one of them another port (with hostNetwork, every container port is a host port), or keep them on different nodes with a nodeSelector or node affinity.',
  },
  check({ graph, report }) {
    // Live, pods that cannot be scheduled say so themselves (service-no-ready-endpoints).
    if (graph.settings.live) return;
    const all: Claim[] = [];
    const seen = new Set<string>();
    for (const t of graph.templates) {
      // One object defined twice (copies of one folder) is one workload.
      const key = `${t.owner.kind}/${t.namespace}/${t.owner.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const mine = claims(t);
      for (const c of mine) {
        if (c.hostNetwork && c.port === KUBELET_PORT && c.ip === '' && c.protocol === 'TCP' && !flagMovedOff(t, c, KUBELET_PORT)) {
          report({ object: t.owner, path: c.path, messageId: 'kubelet', severity: 'warning', data: { workload: where(t), port: code(String(c.port)) }, remediation: `Have the process listen on another port (metrics-server: --secure-port=4443) and declare that one.` });
        }
      }
      // Several replicas of one template pinned to one node all want its port: only one fits (the NodePorts filter).
      const count = t.replicas.mode === 'count' ? t.replicas.count : 0;
      const pin = count >= 2 && mine.length > 0 ? pinnedNode(t) : undefined;
      if (pin) {
        const c = mine[0]!;
        const others = count === 2 ? 'the other one' : 'the others';
        report({
          object: t.owner,
          path: c.path,
          messageId: 'pinned',
          data: {
            workload: where(t), count: String(count), port: code(`${c.port}/${c.protocol}`), how: c.hostNetwork ? ' (a container port on the host network)' : '', pin: pin.how, node: code(pin.node),
            rest: pin.kubelet
              ? `the kubelet rejects ${others} ("Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports"; \`nodeName\` skips the scheduler), and their controller keeps making new ones`
              : `the scheduler leaves ${others} Pending ("node(s) didn't have free ports for the requested pod ports")`,
          },
          related: [{ object: t.owner, path: pin.path, message: `the node ${where(t)} is pinned to` }],
          remediation: 'Run one replica on that node, drop the pin (with a required pod anti-affinity on `kubernetes.io/hostname` to spread them), or drop the hostPort and reach the pods through their Service.',
        });
      }
      all.push(...mine);
    }
    const reported = new Set<PodTemplate>();
    for (let i = 0; i < all.length; i++) {
      const b = all[i]!;
      if (reported.has(b.t)) continue;
      // The earlier DaemonSet that takes the port on every node, in the same folder tree (one deployment).
      const a = all.slice(0, i).find((x) => x.t !== b.t && everywhere(x.t) && overlaps(x, b) && sameTree(x.t.owner, b.t.owner));
      if (!a) continue;
      reported.add(b.t);
      report({
        object: b.t.owner,
        path: b.path,
        messageId: 'daemonSets',
        data: { workload: where(b.t), port: code(`${b.port}/${b.protocol}`), how: b.hostNetwork ? ' (a container port on the host network)' : '', other: where(a.t) },
        related: [{ object: a.t.owner, path: a.path, message: `port ${a.port}/${a.protocol} of ${where(a.t)}` }],
      });
    }
  },
};

export default rule;
