import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import type { K8sObject } from '../types/object.js';
import { isRecord } from '../load/objects.js';
import { getIn, templateSpec } from './pods.js';

/** A workload of the run that RBAC of the run lets do something, and the grant that does. */
export interface Grant {
  t: PodTemplate;
  account: string;
  verb: string;
  role: K8sObject;
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

interface Binding {
  role: K8sObject;
  /** The namespace the grant holds in; undefined for a ClusterRoleBinding (every namespace). */
  scope: string | undefined;
  /** ServiceAccounts bound, as `namespace/name`. */
  accounts: string[];
}

const bindingCache = new WeakMap<ServiceGraph, Binding[]>();

/** Every (role, scope, ServiceAccounts) the run's RoleBindings and ClusterRoleBindings make. */
function bindings(graph: ServiceGraph): Binding[] {
  let out = bindingCache.get(graph);
  if (out) return out;
  out = [];
  const roles = new Map<string, K8sObject>();
  for (const o of graph.objects) {
    if (o.kind === 'Role' && /^rbac\.authorization\.k8s\.io\//.test(o.apiVersion)) roles.set(`Role/${o.namespace}/${o.name}`, o);
    else if (o.kind === 'ClusterRole' && /^rbac\.authorization\.k8s\.io\//.test(o.apiVersion)) roles.set(`ClusterRole//${o.name}`, o);
  }
  for (const b of graph.objects) {
    if ((b.kind !== 'RoleBinding' && b.kind !== 'ClusterRoleBinding') || !/^rbac\.authorization\.k8s\.io\//.test(b.apiVersion)) continue;
    const kind = getIn(b.body, ['roleRef', 'kind']);
    const name = getIn(b.body, ['roleRef', 'name']);
    if (typeof name !== 'string') continue;
    const role = kind === 'Role' && b.kind === 'RoleBinding' ? roles.get(`Role/${b.namespace}/${name}`) : kind === 'ClusterRole' ? roles.get(`ClusterRole//${name}`) : undefined;
    if (!role) continue;
    const accounts: string[] = [];
    for (const sub of Array.isArray(b.body.subjects) ? b.body.subjects : []) {
      if (!isRecord(sub) || sub.kind !== 'ServiceAccount' || typeof sub.name !== 'string') continue;
      const ns = typeof sub.namespace === 'string' && sub.namespace !== '' ? sub.namespace : b.kind === 'RoleBinding' ? b.namespace : undefined;
      if (ns !== undefined) accounts.push(`${ns}/${sub.name}`);
    }
    if (accounts.length) out.push({ role, scope: b.kind === 'RoleBinding' ? b.namespace : undefined, accounts });
  }
  bindingCache.set(graph, out);
  return out;
}

const accountCache = new WeakMap<ServiceGraph, Map<string, PodTemplate[]>>();

/** The run's workloads by their ServiceAccount, `namespace/name` (`default` when none is named). */
function byAccount(graph: ServiceGraph): Map<string, PodTemplate[]> {
  let out = accountCache.get(graph);
  if (out) return out;
  out = new Map();
  for (const t of graph.templates) {
    const spec = templateSpec(t);
    const sa = typeof spec?.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : typeof spec?.serviceAccount === 'string' && spec.serviceAccount !== '' ? spec.serviceAccount : 'default';
    const key = `${t.namespace}/${sa}`;
    const list = out.get(key);
    if (list) list.push(t);
    else out.set(key, [t]);
  }
  accountCache.set(graph, out);
  return out;
}

/**
 * A workload of the run whose ServiceAccount the run's RBAC lets use one of `verbs` on
 * `resource` (a core resource: `pods`, `configmaps`) in `namespace`, on the object `name` where
 * given (a rule with `resourceNames` grants only those). `accept` may turn a grant down (a
 * rule on every object of the kind, when the workload does not name the object).
 */
export function rbacGrant(graph: ServiceGraph, resource: string, verbs: readonly string[], namespace: string, name?: string, accept?: (g: Grant, named: boolean) => boolean): Grant | undefined {
  for (const b of bindings(graph)) {
    if (b.scope !== undefined && b.scope !== namespace) continue;
    if (b.role.kind === 'Role' && b.role.namespace !== namespace) continue;
    for (const rule of Array.isArray(b.role.body.rules) ? b.role.body.rules : []) {
      if (!isRecord(rule)) continue;
      if (!strs(rule.apiGroups).some((g) => g === '' || g === '*') || !strs(rule.resources).some((r) => r === resource || r === '*')) continue;
      const verb = strs(rule.verbs).find((v) => v === '*' || verbs.includes(v));
      if (!verb) continue;
      const names = strs(rule.resourceNames);
      if (names.length && (name === undefined || !names.includes(name))) continue;
      for (const account of b.accounts) {
        for (const t of byAccount(graph).get(account) ?? []) {
          const g: Grant = { t, account: account.split('/')[1]!, verb, role: b.role };
          if (!accept || accept(g, names.length > 0)) return g;
        }
      }
    }
  }
  return undefined;
}
