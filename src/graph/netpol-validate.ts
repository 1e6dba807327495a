import ipaddr from 'ipaddr.js';
import type { K8sObject, Path } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { code, list } from '../text.js';
import { ipProblem, isIPAddress, labelValueProblems, portNameProblems, PROTOCOLS, qualifiedNameProblems } from '../names.js';

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** A CIDR as NetworkPolicy validation reads it: an address the strict parser takes and a prefix length within its family. */
function policyCidr(v: string): { problem?: string; cidr?: Cidr } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(v);
  if (!m) return { problem: 'is not a CIDR (address/prefix length)' };
  const bad = ipProblem(m[1]!);
  if (bad) return { problem: `has an address that ${bad}` };
  if (m[2]!.length > 1 && m[2]!.startsWith('0')) return { problem: 'has a prefix length with a leading 0' };
  const bits = isIPAddress(m[1]!) && !m[1]!.includes(':') ? 32 : 128;
  if (Number(m[2]) > bits) return { problem: `has a prefix longer than ${bits} bits` };
  try {
    return { cidr: ipaddr.parseCIDR(v) };
  } catch {
    return { problem: 'is not a CIDR (address/prefix length)' };
  }
}

/**
 * Whether an except entry lies inside its block and is smaller. Judged for IPv4 blocks, the
 * ones the differential test checks against kube-apiserver; undefined otherwise.
 */
function strictSubset(inner: Cidr | undefined, outer: Cidr | undefined): boolean | undefined {
  if (!inner || !outer || inner[0].kind() !== 'ipv4' || outer[0].kind() !== 'ipv4') return undefined;
  return inner[1] > outer[1] && inner[0].match(outer);
}

/** One thing NetworkPolicy validation rejects: where, which field, its value as text, and why. */
export interface PolicyProblem {
  path: Path;
  field: string;
  value: string;
  problem: string;
}

/**
 * What NetworkPolicy validation (networking.k8s.io/v1, kube-apiserver v1.36) rejects in a
 * policy: selectors, policy types, peers, CIDRs, ports. Checked against kube-apiserver by
 * test/apiserver-differential.test.ts. A policy with any is never stored, so never in force.
 */
export function networkPolicyProblems(o: K8sObject): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const spec = isRecord(o.body.spec) ? o.body.spec : undefined;
  if (!spec) return out;
  const bad = (field: string, v: unknown, problem: string, path: Path) => void out.push({ path, field, value: code(typeof v === 'string' ? v : JSON.stringify(v)), problem });
  const selector = (sel: unknown, at: Path) => {
    if (!isRecord(sel)) return;
    if (isRecord(sel.matchLabels)) {
      for (const [k, v] of Object.entries(sel.matchLabels)) {
        const kp = qualifiedNameProblems(k);
        if (kp.length) { bad('label key', k, `is not a valid label key: it ${list(kp)}`, [...at, 'matchLabels']); continue; }
        if (typeof v === 'string' && labelValueProblems(v).length) bad('label value', v, `of ${code(k)} is not a valid label value: it ${list(labelValueProblems(v))}`, [...at, 'matchLabels']);
        // A YAML number or boolean (`version: 2`, `canary: true`) does not decode into a label value, which is a string.
        else if (typeof v === 'number' || typeof v === 'boolean') bad('label value', v, `of ${code(k)} is a ${typeof v}, and label values are strings: quote it (${code(`"${String(v)}"`)})`, [...at, 'matchLabels', k]);
      }
    }
    (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).forEach((e, i) => {
      if (!isRecord(e)) return;
      const ep: Path = [...at, 'matchExpressions', i];
      if (typeof e.key === 'string' && qualifiedNameProblems(e.key).length) bad('selector key', e.key, `is not a valid label key: it ${list(qualifiedNameProblems(e.key))}`, [...ep, 'key']);
      const values = Array.isArray(e.values) ? e.values : [];
      values.forEach((v, k) => {
        if (typeof v === 'number' || typeof v === 'boolean') bad('selector value', v, `is a ${typeof v}, and label values are strings: quote it (${code(`"${String(v)}"`)})`, [...ep, 'values', k]);
      });
      if (typeof e.operator !== 'string' || !SELECTOR_OPERATORS.includes(e.operator)) bad('selector operator', e.operator ?? '', `is not one of ${list(SELECTOR_OPERATORS.map((x) => code(x)))}`, [...ep, 'operator']);
      else if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) bad('selector operator', e.operator, 'needs values, and there are none', [...ep, 'values']);
      else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) bad('selector operator', e.operator, 'takes no values, and some are given', [...ep, 'values']);
    });
  };
  selector(spec.podSelector, ['spec', 'podSelector']);
  (Array.isArray(spec.policyTypes) ? spec.policyTypes : []).forEach((t, i) => {
    if (typeof t === 'string' && t !== 'Ingress' && t !== 'Egress') bad('policy type', t, 'is not `Ingress` or `Egress`', ['spec', 'policyTypes', i]);
  });
  for (const [dir, peersField] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (Array.isArray(spec[dir]) ? spec[dir] : []).forEach((rule, i) => {
      if (!isRecord(rule)) return;
      (Array.isArray(rule[peersField]) ? rule[peersField] : []).forEach((peer, j) => {
        if (!isRecord(peer)) return;
        const pp: Path = ['spec', dir, i, peersField, j];
        if (isRecord(peer.ipBlock) && (peer.podSelector !== undefined || peer.namespaceSelector !== undefined)) bad('peer', 'ipBlock', 'is combined with a pod or namespace selector in one peer, which takes one kind', pp);
        selector(peer.podSelector, [...pp, 'podSelector']);
        selector(peer.namespaceSelector, [...pp, 'namespaceSelector']);
        if (isRecord(peer.ipBlock) && typeof peer.ipBlock.cidr === 'string') {
          const cidr = policyCidr(peer.ipBlock.cidr);
          if (cidr.problem) bad('ipBlock cidr', peer.ipBlock.cidr, cidr.problem, [...pp, 'ipBlock', 'cidr']);
          (Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : []).forEach((x, k) => {
            if (typeof x !== 'string') return;
            const ex = policyCidr(x);
            if (ex.problem) bad('ipBlock except', x, ex.problem, [...pp, 'ipBlock', 'except', k]);
            else if (!cidr.problem && strictSubset(ex.cidr, cidr.cidr) === false) bad('ipBlock except', x, `is not a strict subset of the block's cidr ${code(String((peer.ipBlock as Record<string, unknown>).cidr))}`, [...pp, 'ipBlock', 'except', k]);
          });
        }
      });
      (Array.isArray(rule.ports) ? rule.ports : []).forEach((p, k) => {
        if (!isRecord(p)) return;
        const at: Path = ['spec', dir, i, 'ports', k];
        if (typeof p.protocol === 'string' && !PROTOCOLS.includes(p.protocol)) bad('protocol', p.protocol, 'is not one of `TCP`, `UDP` and `SCTP`', [...at, 'protocol']);
        const port = p.port;
        if (typeof port === 'number' && (port < 1 || port > 65535)) bad('port', port, 'is outside 1–65535', [...at, 'port']);
        else if (typeof port === 'string' && portNameProblems(port).length) bad('port', port, `is not a valid port name: it ${list(portNameProblems(port))}`, [...at, 'port']);
        if (typeof p.endPort === 'number') {
          if (port === undefined || port === null) bad('endPort', p.endPort, 'is given without a port', [...at, 'endPort']);
          else if (typeof port === 'string') bad('endPort', p.endPort, 'is given with a named port, and a range needs a port number', [...at, 'endPort']);
          else if (p.endPort < 1 || p.endPort > 65535) bad('endPort', p.endPort, 'is outside 1–65535', [...at, 'endPort']);
          else if (typeof port === 'number' && p.endPort < port) bad('endPort', p.endPort, `is below port ${port}`, [...at, 'endPort']);
        }
      });
    });
  }
  return out;
}

