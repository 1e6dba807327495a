import { frontedTemplates, selectorOf, where } from '../../src/engine/rule-kit.js';
import type { Rule, RuleReport } from '../../src/types/rule.js';
import { pathTo, type K8sObject, type Path } from '../../src/types/object.js';
import type { PodTemplate } from '../../src/types/graph.js';
import { limitRangeRefusal, podQuotaUsage } from '../../src/graph/limit-range.js';
import { priorityRefusal } from '../../src/graph/priority.js';
import { parseQuantity, quantityMilli } from '../../src/graph/quantity.js';
import { sameTree } from '../../src/graph/referrers.js';
import { hubRepository } from '../../src/graph/mounts.js';
import { SAFE_SYSCTLS } from '../../src/graph/pod-security.js';
import { configRefs, keysOf, podObjectRefs, quotaRequired, stated, type ConfigRef, type PodObjectRef } from '../../src/graph/config-refs.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn, templateSpec } from '../../src/graph/pods.js';
import { rbacGrant, type Grant } from '../../src/graph/rbac.js';
import { code, isStrongTypo, isTypo, list } from '../../src/text.js';

/**
 * ConfigMaps that a control-plane controller publishes in every namespace: the cluster's CA
 * (`kube-root-ca.crt`, by kube-controller-manager), OpenShift's service CA, and Istio's root
 * certificate (istiod). Pods read them by name; no manifest holds them.
 */
const PUBLISHED = new Set(['kube-root-ca.crt', 'openshift-service-ca.crt', 'istio-ca-root-cert']);

/** API versions of Kubernetes itself; any other object is a custom resource, whose operator may write a Secret or ConfigMap it names (cert-manager, External Secrets, Vault, the CSI driver...). */
const CORE_GROUPS = /^(v1|apps\/|batch\/|autoscaling\/|policy\/|extensions\/|[a-z0-9.-]*\.k8s\.io\/)/;

function how(r: ConfigRef): string {
  if (r.via === 'env') return `env ${code(r.env ?? '?')} of container ${code(r.container ?? '?')}`;
  if (r.via === 'envFrom') return `envFrom of container ${code(r.container ?? '?')}`;
  return `volume ${code(r.volume ?? '?')}${r.file ? `, file ${code(r.file)}` : ''}`;
}

/** What the kubelet does, and what the pod shows. */
function failure(r: ConfigRef, namespace: string, missing: 'object' | 'key'): string {
  const kind = r.kind === 'ConfigMap' ? 'configmap' : 'secret';
  if (r.via === 'volume') {
    return missing === 'object'
      ? `the volume does not mount (FailedMount: ${kind} "${r.name}" not found) and the pods stay in ContainerCreating`
      : `the volume does not mount (FailedMount: ${r.kind === 'ConfigMap' ? 'configmap references non-existent config key' : 'references non-existent secret key'}: ${r.key}) and the pods stay in ContainerCreating`;
  }
  return missing === 'object'
    ? `the container is not started (CreateContainerConfigError: ${kind} "${r.name}" not found)`
    : `the container is not started (CreateContainerConfigError: couldn't find key ${r.key} in ${r.kind} ${namespace}/${r.name})`;
}

const rule: Rule = {
  meta: {
    id: 'pod-config-missing',
    description: 'The pods behind a Service read a ConfigMap or Secret key that does not exist (or a ConfigMap that is not there), name a ServiceAccount, PriorityClass, RuntimeClass or PersistentVolumeClaim that is not there, or leave out the cpu or memory a ResourceQuota of the namespace requires: they are never created or never started, and the Service gets no endpoints from them.',
    category: 'endpoints',
    severity: 'error',
    messages: {
      subPathMissing: 'container {{container}} of {{workload}} mounts {{subPath}} of {{source}} at {{mountPath}} (subPath), which the volume does not hold ({{has}}): the kubelet creates an empty directory there in place of the file, and a program that reads it as a file fails to start, so {{service}} gets no endpoints from these pods',
      keyMissing: '{{workload}} reads key {{key}} of {{source}} ({{how}}), which has no such key: {{failure}}, so {{service}} gets no endpoints from these pods; {{hint}}',
      binaryOnly: '{{workload}} reads key {{key}} of {{source}} ({{how}}) into an environment variable, but the ConfigMap holds that key under binaryData, which the kubelet does not read for variables: {{failure}}, so {{service}} gets no endpoints from these pods',
      objectMissing: '{{workload}} reads {{source}} ({{how}}), which is not in namespace {{namespace}}: {{failure}}, so {{service}} gets no endpoints from these pods{{hint}}',
      pullSecretMissing: '{{workload}} pulls its images with imagePullSecret {{secret}}, which is not in namespace {{namespace}}: the kubelet looks pull Secrets up in the pod\'s own namespace only ("Unable to retrieve some image pull secrets"), pulls {{image}} without credentials, and a private registry refuses it (ErrImagePull, then ImagePullBackOff), so {{service}} gets no endpoints from these pods{{hint}}',
      needsMissing: '{{workload}} {{uses}} {{source}}{{volume}}, which {{where}}: {{failure}}, so {{service}} gets no endpoints from these pods{{hint}}',
      quotaExceeded: 'a pod of {{workload}} asks for {{asked}}, more than ResourceQuota {{quota}} of namespace {{namespace}} allows in all ({{hard}}): the API server refuses every pod (exceeded quota: {{quotaName}}), so {{service}} gets no endpoints from them',
      quotaReplicas: 'the {{replicas}} pods of {{workload}} ask for {{asked}} in all, more than ResourceQuota {{quota}} of namespace {{namespace}} allows ({{hard}}): the API server refuses the pods beyond the first {{fit}} (exceeded quota: {{quotaName}}), so {{service}} has fewer endpoints than the replicas it is given',
      unsafeSysctl: '{{workload}} sets sysctl {{sysctl}}, which is not among the kubelet\'s safe ones: a kubelet not started with --allowed-unsafe-sysctls naming it refuses the pods (SysctlForbidden), so {{service}} gets no endpoints from them',
      entrypointEnv: 'container {{container}} of {{workload}} runs {{image}} with none of {{vars}}: on a new data directory its entrypoint exits ("{{quote}}"), so the pods never become ready and {{service}} gets no endpoints from them',
      priority: '{{workload}} writes its pods\' {{field}} by hand, and the API server\'s Priority admission refuses to create them ({{message}}){{unless}}, so {{service}} gets no endpoints from them',
      limitRangeDefault: 'container {{container}} of {{workload}} requests more than the limit LimitRange {{range}} of namespace {{namespace}} gives it by default: the API server refuses to create its pods ({{message}}), so {{service}} gets no endpoints from them',
      limitRangePod: 'the containers of {{workload}} together are outside what LimitRange {{range}} of namespace {{namespace}} allows per Pod: the API server refuses to create its pods ({{message}}), so {{service}} gets no endpoints from them',
      limitRange: 'container {{container}} of {{workload}} is outside what LimitRange {{range}} of namespace {{namespace}} allows: the API server refuses to create its pods ({{message}}), so {{service}} gets no endpoints from them',
      quotaUnstated: '{{workload}} leaves out {{missing}}, and ResourceQuota {{quota}} of namespace {{namespace}} requires every pod to state {{required}}: the API server refuses to create its pods (failed quota: {{quotaName}}: must specify {{must}}), so {{service}} gets no endpoints from them{{defaults}}',
    },
    remediation: 'Point the reference at a key (or a ConfigMap or Secret) that exists in the pod\'s namespace, add it, or mark the reference `optional: true` if the pods can start without it.',
  },
  check({ graph, report }) {
    // The kubelet decides this live, and the doctor reads the pods' own state (CreateContainerConfigError, FailedMount).
    if (graph.settings.live) return;
    const fronted = frontedTemplates(graph);
    if (fronted.size === 0) return;
    const defined = new Map<string, K8sObject[]>();
    const byName = new Map<string, K8sObject[]>();
    const byNamespace = new Map<string, K8sObject[]>();
    const needed = new Map<string, K8sObject[]>();
    const quotas = new Map<string, K8sObject[]>();
    const limitRanges = new Map<string, K8sObject[]>();
    const statefulClaims = new Map<string, string[]>();
    for (const o of graph.objects) {
      if (NEEDED_GROUPS[o.kind]?.test(o.apiVersion)) {
        push(needed, `${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : o.namespace}`, o);
        continue;
      }
      if (o.apiVersion === 'v1' && (o.kind === 'ResourceQuota' || o.kind === 'LimitRange')) {
        push(o.kind === 'ResourceQuota' ? quotas : limitRanges, o.namespace, o);
        continue;
      }
      if (o.kind === 'StatefulSet') {
        const templates = getIn(o.body, ['spec', 'volumeClaimTemplates']);
        for (const c of Array.isArray(templates) ? templates : []) {
          const name = getIn(c, ['metadata', 'name']);
          if (typeof name === 'string') push(statefulClaims, o.namespace, `${name}-${o.name}-`);
        }
        continue;
      }
      if ((o.kind !== 'ConfigMap' && o.kind !== 'Secret') || o.apiVersion !== 'v1') continue;
      push(defined, `${o.kind}/${o.namespace}/${o.name}`, o);
      push(byName, `${o.kind}/${o.name}`, o);
      push(byNamespace, `${o.kind}/${o.namespace}`, o);
    }
    // The ConfigMaps or Secrets of a namespace a typo away from a name: copies of an application ask for the same names.
    const lookalikeCache = new Map<string, K8sObject[]>();
    const lookalikes = (scope: string, name: string): K8sObject[] => {
      const key = `${scope}\u0000${name}`;
      let found = lookalikeCache.get(key);
      if (!found) lookalikeCache.set(key, (found = (byNamespace.get(scope) ?? []).filter((o) => similar(name, o.name))));
      return found;
    };
    let mentioned: Map<string, Set<string>> | undefined;
    /** Names that a custom resource of the namespace writes down: an operator may create a Secret or ConfigMap of that name. */
    const mentionedIn = (ns: string): Set<string> => {
      if (!mentioned) {
        mentioned = new Map();
        // A custom resource with a pod template (an Argo Rollout) is the workload itself, not an operator's input.
        const owners = new Set(graph.templates.map((x) => x.owner));
        for (const o of graph.objects) {
          if (CORE_GROUPS.test(o.apiVersion) || owners.has(o)) continue;
          let set = mentioned.get(o.namespace);
          if (!set) mentioned.set(o.namespace, (set = new Set()));
          collectStrings(o.body, set, 0);
        }
      }
      return mentioned.get(ns) ?? new Set();
    };
    for (const [t, svc] of fronted) {
      const service = `Service ${svc.object.namespace}/${svc.object.name}`;
      const svcRelated = selectorOf(svc);
      const reported = new Set<string>();
      const wanted = podObjectRefs(t);
      for (const r of wanted) {
        const scope = r.clusterScoped ? '' : t.namespace;
        const known = needed.get(`${r.kind}/${scope}`) ?? [];
        if (known.some((o) => o.name === r.name) || reported.has(`${r.kind}/${r.name}`)) continue;
        reported.add(`${r.kind}/${r.name}`);
        if (mentionedIn(t.namespace).has(r.name)) continue;
        if (r.kind === 'PersistentVolumeClaim' && (statefulClaims.get(t.namespace) ?? []).some((p) => r.name.startsWith(p) && /^\d+$/.test(r.name.slice(p.length)))) continue;
        const others = new Set(wanted.filter((x) => x.kind === r.kind).map((x) => x.name));
        const typo = known.find((o) => similar(r.name, o.name) && !others.has(o.name));
        // The object the files do hold under that name, written into another namespace (one that
        // names none lands where it is applied, `kubectl apply -n`, a kustomization's namespace:
        // no proof), or a RuntimeClass whose handler the pod names.
        const elsewhere = typo || r.clusterScoped ? undefined : [...needed.entries()].filter(([k]) => k.startsWith(`${r.kind}/`) && k !== `${r.kind}/${scope}`).flatMap(([, os]) => os).find((o) => o.name === r.name && !o.namespaceDefaulted);
        const handler = typo || r.kind !== 'RuntimeClass' ? undefined : known.find((o) => getIn(o.body, ['handler']) === r.name);
        const hint = typo
          ? `; did you mean ${code(typo.name)}?`
          : elsewhere
            ? `; the files hold ${r.kind} ${code(r.name)} in namespace ${code(elsewhere.namespace)}: put it in ${code(t.namespace)}`
            : handler
              ? `; RuntimeClass ${code(handler.name)} has handler ${code(r.name)}, but runtimeClassName takes the RuntimeClass's name: write ${code(handler.name)}`
              : '';
        const near = typo ?? elsewhere ?? handler;
        report({
          object: t.owner,
          path: r.path,
          messageId: 'needsMissing',
          severity: 'warning',
          data: {
            workload: where(t),
            ...needs(r, t.namespace),
            service,
            hint,
          },
          absent: { what: `${r.kind} ${code(r.name)}${r.clusterScoped ? '' : ` in namespace ${code(t.namespace)}`}`, namespace: t.namespace, nearMiss: near !== undefined },
          related: near ? [svcRelated, { object: near, path: handler ? ['handler'] : ['metadata', 'name'], message: `${r.kind} ${near.namespace ? `${near.namespace}/` : ''}${near.name}` }] : [svcRelated],
        });
      }
      // Pull Secrets are looked up in the pod's namespace only: one the files hold elsewhere (or a
      // typo away) leaves the kubelet pulling without credentials.
      const pullSpec = templateSpec(t);
      const pulls = isRecord(pullSpec) && Array.isArray(pullSpec.imagePullSecrets) ? pullSpec.imagePullSecrets : [];
      pulls.forEach((ps, i) => {
        const name = isRecord(ps) && typeof ps.name === 'string' ? ps.name : undefined;
        if (!name || defined.has(`Secret/${t.namespace}/${name}`) || mentionedIn(t.namespace).has(name)) return;
        const typo = (byNamespace.get(`Secret/${t.namespace}`) ?? []).find((o) => PULL_SECRET_TYPES.has(String(o.body.type)) && similar(name, o.name));
        const elsewhere = typo ? undefined : (byName.get(`Secret/${name}`) ?? []).find((o) => o.namespace !== t.namespace && !o.namespaceDefaulted && PULL_SECRET_TYPES.has(String(o.body.type)));
        const near = typo ?? elsewhere;
        if (!near) return;
        const images = t.containers.map((c) => c.image).filter((x): x is string => typeof x === 'string');
        const registries = pullRegistries(near);
        // A Secret for other registries than the images' is not the one these pulls need.
        const image = images.find((img) => registries === undefined || registries.has(registryOf(img)));
        if (!image) return;
        report({
          object: t.owner,
          path: pathTo(t.path, 'spec', 'imagePullSecrets', i, 'name'),
          messageId: 'pullSecretMissing',
          severity: 'warning',
          data: {
            workload: where(t),
            secret: code(name),
            namespace: code(t.namespace),
            image: code(image),
            service,
            hint: typo ? `; did you mean ${code(typo.name)}?` : `; the files hold it in namespace ${code(elsewhere!.namespace)}: put a copy in ${code(t.namespace)}`,
          },
          related: [svcRelated, { object: near, path: ['metadata', 'name'], message: `Secret ${near.namespace}/${near.name}` }],
          remediation: 'Create the pull Secret in the pod\'s namespace (a Secret is read only from its own namespace), or fix the name.',
        });
      });
      // One LimitRange of the namespace, from the workload's own folder tree (another project's
      // example in the same namespace name is not applied with it; several merge their defaults
      // in an order the run cannot see).
      const ranges = (limitRanges.get(t.namespace) ?? []).filter((lr) => sameTree(lr, t.owner));
      const spec = ranges.length === 1 ? templateSpec(t) : undefined;
      const refused = spec ? limitRangeRefusal(spec, ranges[0]!) : undefined;
      if (refused) {
        report({
          object: t.owner,
          path: pathTo(t.path, 'spec', ...refused.path),
          messageId: refused.container === undefined ? 'limitRangePod' : refused.defaulted ? 'limitRangeDefault' : 'limitRange',
          data: { workload: where(t), container: code(refused.container ?? ''), range: code(ranges[0]!.name), namespace: code(t.namespace), message: refused.message, service },
          related: [{ object: ranges[0]!, path: ['spec', 'limits'], message: `LimitRange ${ranges[0]!.namespace}/${ranges[0]!.name}` }, svcRelated],
          remediation: refused.defaulted
            ? 'Write a limit beside the request (at least as large), or lower the request to the LimitRange\'s default limit.'
            : refused.container === undefined
            ? 'Set the containers\' requests and limits so that their sum per pod (sidecars included, or the largest init container where larger) is within the LimitRange\'s Pod min and max (and their ratio within maxLimitRequestRatio), or change the LimitRange.'
            : 'Set the container\'s requests and limits within the LimitRange\'s min and max (and their ratio within maxLimitRequestRatio), or change the LimitRange.',
        });
      }
      // A priority or preemption policy written into the pod spec that the Priority admission works out otherwise.
      const podSpec = templateSpec(t);
      const prio = !refused && podSpec && (podSpec.priority !== undefined || podSpec.preemptionPolicy !== undefined) ? priorityRefusal(podSpec, needed.get('PriorityClass/') ?? []) : undefined;
      if (prio) {
        const cls = typeof podSpec!.priorityClassName === 'string' && podSpec!.priorityClassName !== '' ? (needed.get('PriorityClass/') ?? []).find((o) => o.name === podSpec!.priorityClassName) : undefined;
        report({
          object: t.owner,
          path: pathTo(t.path, 'spec', ...prio.path),
          messageId: 'priority',
          severity: prio.certain ? 'error' : 'warning',
          data: { workload: where(t), field: code(String(prio.path[0])), message: prio.message, service, unless: prio.certain ? '' : ', unless the cluster has a default PriorityClass (`globalDefault: true`) that gives exactly this' },
          related: cls ? [{ object: cls, path: ['value'], message: `PriorityClass ${cls.name}` }, svcRelated] : [svcRelated],
          remediation: `Remove \`${prio.path[0]}\` from the pod spec: the API server fills it in from the PriorityClass (priorityClassName).`,
        });
      }
      // What one pod, and all the replicas, ask of a quota of the workload's folder tree.
      const usage = !refused && quotas.has(t.namespace) ? podQuotaUsage(templateSpec(t) ?? {}, (limitRanges.get(t.namespace) ?? []).filter((lr) => sameTree(lr, t.owner))) : undefined;
      const over = usage ? quotaOver(t, usage, (quotas.get(t.namespace) ?? []).filter((q) => sameTree(q, t.owner))) : undefined;
      if (over) {
        report({
          object: t.owner,
          path: over.replicas ? (t.replicas.mode === 'count' && t.replicas.path ? t.replicas.path : t.path) : pathTo(t.path, 'spec'),
          messageId: over.replicas ? 'quotaReplicas' : 'quotaExceeded',
          ...(over.replicas ? { severity: 'warning' as const } : {}),
          data: { workload: where(t), asked: over.asked, quota: code(over.quota.name), quotaName: over.quota.name, namespace: code(t.namespace), hard: over.hard, service, replicas: String(over.replicas ?? 1), fit: String(over.fit ?? 0) },
          related: [{ object: over.quota, path: ['spec', 'hard', over.key], message: `ResourceQuota ${over.quota.namespace}/${over.quota.name}` }, svcRelated],
          remediation: over.replicas ? 'Lower the replicas or the requests and limits, or raise the quota (other pods of the namespace count against it too).' : 'Lower the pod\'s requests and limits below what the quota allows, or raise the quota.',
        });
      }
      const quota = quotas.has(t.namespace) ? quotaShortfall(t, quotas.get(t.namespace)!, limitRanges.get(t.namespace) ?? []) : undefined;
      if (quota) {
        const ranges = limitRanges.get(t.namespace) ?? [];
        report({
          object: t.owner,
          path: quota.path,
          messageId: 'quotaUnstated',
          // The namespace's LimitRanges, when the files hold any, show there are no defaults to fill the gap.
          severity: ranges.length ? undefined : 'warning',
          data: {
            quota: code(quota.quota.name),
            quotaName: quota.quota.name,
            namespace: code(t.namespace),
            required: list(quota.required.map((r) => code(r)), 4),
            workload: where(t),
            missing: list(quota.missing.map(([r, cs]) => `${code(r)} (container ${list(cs.map((c) => code(c)), 3)})`), 4),
            must: quota.missing.map(([r, cs]) => `${r} for: ${[...cs].sort().join(',')}`).join('; '),
            service,
            defaults: ranges.length ? '' : '; a LimitRange of the namespace with defaults for them would fill them in, and the files hold none',
          },
          related: [{ object: quota.quota, path: ['spec', 'hard'], message: `ResourceQuota ${quota.quota.namespace}/${quota.quota.name}` }, svcRelated],
          remediation: 'State the resources the quota names (resources.requests and resources.limits) on every container and init container, or give the namespace a LimitRange with defaults for them.',
        });
      }
      // Sysctls outside the safe set: the kubelet refuses the pod unless its --allowed-unsafe-sysctls names them.
      const sysctls = getIn(templateSpec(t), ['securityContext', 'sysctls']);
      if (Array.isArray(sysctls)) {
        const i = sysctls.findIndex((x) => isRecord(x) && typeof x.name === 'string' && !SAFE_SYSCTLS.has(x.name.replace(/\//g, '.')));
        if (i >= 0) {
          const name = String((sysctls[i] as Record<string, unknown>).name);
          report({
            object: t.owner,
            path: pathTo(t.path, 'spec', 'securityContext', 'sysctls', i, 'name'),
            messageId: 'unsafeSysctl',
            severity: 'warning',
            data: { workload: where(t), sysctl: code(name), service },
            related: [svcRelated],
            remediation: 'Drop the sysctl, set it on the node instead, or allow it on the nodes where the pods run (the kubelet\'s --allowed-unsafe-sysctls) and schedule the pods there.',
          });
        }
      }
      for (const m of entrypointDemands(t)) {
        report({
          object: t.owner,
          path: m.path,
          messageId: 'entrypointEnv',
          severity: 'warning',
          data: { container: code(m.container), workload: where(t), image: code(m.image), vars: list(m.vars.map((v) => code(v)), 4), quote: m.quote, service },
          related: [svcRelated],
          remediation: `Set one of ${m.vars.join(', ')} in the container's env (from a Secret: valueFrom.secretKeyRef).`,
        });
      }
      for (const m of subPathMisses(t, (kind, name) => defined.get(`${kind}/${t.namespace}/${name}`))) {
        // The kubelet mounts an empty directory; whether the program fails depends on whether it
        // reads the file: a key one slip away, or a command line or variable that names the file, says so.
        const read = m.near !== undefined || namesFile(t, m.container, m.mountPath);
        report({
          object: t.owner,
          path: m.path,
          messageId: 'subPathMissing',
          severity: read ? 'warning' : 'info',
          data: { workload: where(t), subPath: code(m.subPath), source: `${m.kind} ${code(m.name)}`, mountPath: code(m.mountPath), container: code(m.container), has: (m.near ? `did you mean ${code(m.near)}?` : m.files.length ? `it has ${list(m.files.map((f) => code(f)), 4)}` : 'it has no keys') + (read ? '' : '; nothing in the container\'s command line or variables names the file, so the program may not read it'), service },
          related: [selectorOf(svc), { object: m.def, path: [m.items ? 'metadata' : 'data'], message: `${m.kind} ${m.def.namespace}/${m.def.name}` }],
          remediation: 'Make subPath the key (or the items path) the volume holds, or add that key to the ConfigMap or Secret.',
        });
      }
      const refs = configRefs(t);
      if (refs.length === 0) continue;
      const readNames = new Set(refs.map((r) => `${r.kind}/${r.name}`));
      const seen = new Set<string>();
      for (const r of refs) {
        const defs = defined.get(`${r.kind}/${t.namespace}/${r.name}`);
        const base = {
          workload: where(t),
          source: `${r.kind} ${code(r.name)}`,
          how: how(r),
          namespace: code(t.namespace),
          service: `Service ${svc.object.namespace}/${svc.object.name}`,
        };
        const related: RuleReport['related'] = [selectorOf(svc)];
        if (!defs) {
          const once = `${r.kind}/${r.name}`;
          if (seen.has(once)) continue;
          seen.add(once);
          if (r.kind === 'ConfigMap' && PUBLISHED.has(r.name)) continue;
          if (mentionedIn(t.namespace).has(r.name)) continue;
          // A name one typo away from a ConfigMap or Secret of the namespace that the pods do not read otherwise.
          const typo = lookalikes(`${r.kind}/${t.namespace}`, r.name).find((o) => !readNames.has(`${o.kind}/${o.name}`));
          // The same name in another namespace, both namespaces written down: pods read their own namespace's only.
          const elsewhere = r.kind === 'ConfigMap' && !t.owner.namespaceDefaulted
            ? (byName.get(`${r.kind}/${r.name}`) ?? []).filter((o) => !o.namespaceDefaulted && o.namespace !== t.namespace)
            : [];
          // A kustomize generator's object: `<name>-<hash>`, made by the same build, whose references kustomize rewrites
          // only in the kinds it knows (not in a custom resource's pod template).
          const hashed = t.owner.origin?.file.rendered === 'kustomize'
            ? (byNamespace.get(`${r.kind}/${t.namespace}`) ?? []).find((o) => o.origin?.file === t.owner.origin?.file && o.name.startsWith(`${r.name}-`) && /^[a-z0-9]{10}$/.test(o.name.slice(r.name.length + 1)))
            : undefined;
          if (hashed) {
            report({
              object: t.owner,
              path: r.namePath,
              messageId: 'objectMissing',
              data: { ...base, hint: `; this kustomize build's generator names it ${code(hashed.name)} (a hash of its content), and kustomize rewrites the references only in the kinds it knows, not in a ${t.owner.kind}'s pod template: add the kind to the kustomization's \`configurations\` (a nameReference for ${r.kind}), or set \`generatorOptions.disableNameSuffixHash: true\``, failure: failure(r, t.namespace, 'object') },
              related: [...related, { object: hashed, path: ['metadata', 'name'], message: `${hashed.kind} ${hashed.namespace}/${hashed.name}, generated as ${r.name}` }],
            });
            continue;
          }
          // Secrets are kept out of manifests more often than not: only a near-miss name says this one is wrong.
          if (r.kind === 'Secret' && !typo) continue;
          const hint = typo ? `; did you mean ${code(typo.name)}?`
            : elsewhere.length ? `; the files define it in namespace ${list(elsewhere.map((o) => code(o.namespace)), 2)}, and a pod reads ConfigMaps of its own namespace only` : '';
          const near = typo ?? elsewhere[0];
          report({
            object: t.owner,
            path: r.namePath,
            messageId: 'objectMissing',
            severity: 'warning',
            data: { ...base, hint, failure: failure(r, t.namespace, 'object') },
            absent: { what: `${r.kind} ${code(r.name)} in namespace ${code(t.namespace)}`, namespace: t.namespace, nearMiss: near !== undefined },
            related: near ? [...related, { object: near, path: ['metadata', 'name'], message: `${near.kind} ${near.namespace}/${near.name}` }] : related,
          });
          continue;
        }
        if (r.key === undefined) continue;
        const keys = defs.map(keysOf);
        if (keys.some((k) => k === undefined)) continue;
        const known = keys as { data: Set<string>; binary: Set<string> }[];
        if (known.some((k) => k.data.has(r.key!) || (r.via === 'volume' && k.binary.has(r.key!)))) continue;
        // A workload of the run that RBAC lets update the object may write the key at install time (a setup Job).
        const writer = writers(graph, r.kind, t.namespace, r.name);
        // Each container or volume that reads the key fails: each is reported, once.
        const once = `${r.kind}/${r.name}/${r.key}/${r.via === 'volume' ? `volume ${r.volume}` : `container ${r.container}`}`;
        if (seen.has(once)) continue;
        seen.add(once);
        const def = defs[0]!;
        const defRelated = { object: def, path: [r.kind === 'ConfigMap' && r.via === 'env' && known.some((k) => k.binary.has(r.key!)) ? 'binaryData' : 'data'], message: `${r.kind} ${def.namespace}/${def.name}` };
        if (r.via === 'env' && known.some((k) => k.binary.has(r.key!))) {
          report({ object: t.owner, path: r.path, messageId: 'binaryOnly', data: { ...base, key: code(r.key), failure: failure(r, t.namespace, 'key') }, related: [...related, defRelated] });
          continue;
        }
        const all = [...new Set(known.flatMap((k) => [...k.data, ...(r.via === 'volume' ? k.binary : [])]))];
        const typo = all.filter((k) => isTypo(r.key!, k) !== undefined).sort((a, b) => isTypo(r.key!, a)! - isTypo(r.key!, b)!)[0];
        const hint = typo ? `did you mean ${code(typo)}?` : all.length ? `it has ${list(all.map((k) => code(k)), 4)}` : 'it has no keys';
        // An object with no keys at all is a placeholder something else fills in (a script's overlay, an operator): info.
        if (all.length === 0 && !writer) {
          report({ object: t.owner, path: r.path, messageId: 'keyMissing', severity: 'info', data: { ...base, key: code(r.key), hint: `${hint}, a placeholder that something outside the files may fill in`, failure: failure(r, t.namespace, 'key') }, related: [...related, defRelated] });
          continue;
        }
        if (writer) {
          report({ object: t.owner, path: r.path, messageId: 'keyMissing', severity: 'info', data: { ...base, key: code(r.key), hint: `${hint}; but ${where(writer.t)} may write it: its ServiceAccount ${code(writer.account)} may ${writer.verb} this ${r.kind} (${writer.role.kind} ${code(writer.role.name)}), and the kubelet retries until the key is there`, failure: failure(r, t.namespace, 'key') }, related: [...related, defRelated, { object: writer.role, path: ['rules'], message: `${writer.role.kind} ${writer.role.name}` }] });
          continue;
        }
        report({ object: t.owner, path: r.path, messageId: 'keyMissing', data: { ...base, key: code(r.key), hint, failure: failure(r, t.namespace, 'key') }, related: [...related, defRelated] });
      }
    }
  },
};

/**
 * A workload of the run whose ServiceAccount RBAC of the run lets update or patch one ConfigMap
 * or Secret: by its name in the rule's `resourceNames`, or, for a rule on every object of the
 * kind, when the workload's command line or environment names it (`--configmap=app-config`).
 */
function writers(graph: Parameters<Rule['check']>[0]['graph'], kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Grant | undefined {
  return rbacGrant(graph, kind === 'ConfigMap' ? 'configmaps' : 'secrets', ['update', 'patch'], namespace, name, (g, named) => named || JSON.stringify(templateSpec(g.t)?.containers ?? []).includes(name));
}

/** Whether a container's command, args or env values name a mounted file (its path, or its file name). */
function namesFile(t: PodTemplate, container: string, mountPath: string): boolean {
  const listOf = (field: string): unknown[] => {
    const v = getIn(t.owner.body, [...t.path, 'spec', field]);
    return Array.isArray(v) ? v : [];
  };
  const c = [...listOf('containers'), ...listOf('initContainers')].find((x) => isRecord(x) && x.name === container);
  if (!isRecord(c)) return true;
  const base = mountPath.replace(/\/+$/, '').split('/').pop() ?? mountPath;
  const texts = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : []), ...(Array.isArray(c.env) ? c.env.map((e) => (isRecord(e) ? e.value : undefined)) : [])];
  return DEFAULT_CONFIG_FILES.test(mountPath) || texts.some((x) => typeof x === 'string' && (x.includes(mountPath) || (base !== '' && x.includes(base))));
}

/** Files that servers read by default, with no flag naming them (nginx's main file and its conf.d includes, Prometheus's, HAProxy's, MySQL's, Grafana's, Elasticsearch's, Envoy's). */
const DEFAULT_CONFIG_FILES = /^(\/etc\/nginx\/(nginx\.conf|conf\.d\/[^/]+\.conf)|\/etc\/prometheus\/prometheus\.yml|\/etc\/alertmanager\/alertmanager\.yml|\/(usr\/local\/)?etc\/haproxy\/haproxy\.cfg|\/etc\/mysql\/(my\.cnf|conf\.d\/[^/]+\.cnf)|\/etc\/grafana\/grafana\.ini|\/usr\/share\/elasticsearch\/config\/elasticsearch\.yml|\/etc\/envoy\/envoy\.yaml|\/usr\/local\/apache2\/conf\/httpd\.conf)$/;

/**
 * Mounts of one file of a ConfigMap or Secret volume (`subPath: nginx.conf`) that the volume, as
 * the run defines its object, does not hold: its keys, or the `items` paths where it lists them
 * (a path's folders count). Optional sources, projected volumes, `subPathExpr` and objects
 * whose keys something else fills in are left alone.
 */
function subPathMisses(t: PodTemplate, defs: (kind: 'ConfigMap' | 'Secret', name: string) => K8sObject[] | undefined): { path: Path; subPath: string; kind: 'ConfigMap' | 'Secret'; name: string; mountPath: string; container: string; files: string[]; near?: string; def: K8sObject; items: boolean }[] {
  const spec = templateSpec(t);
  if (!isRecord(spec) || !Array.isArray(spec.volumes)) return [];
  const volumes = new Map<string, { kind: 'ConfigMap' | 'Secret'; name: string; items?: string[] }>();
  for (const v of spec.volumes) {
    if (!isRecord(v) || typeof v.name !== 'string') continue;
    for (const [kind, field, nameField] of [['ConfigMap', 'configMap', 'name'], ['Secret', 'secret', 'secretName']] as const) {
      const src = v[field];
      if (!isRecord(src) || src.optional === true || typeof src[nameField] !== 'string') continue;
      const items = Array.isArray(src.items) && src.items.length ? src.items.map((i) => (isRecord(i) && typeof i.path === 'string' ? i.path : '')).filter(Boolean) : undefined;
      volumes.set(v.name, { kind, name: src[nameField] as string, ...(items ? { items } : {}) });
    }
  }
  const out: ReturnType<typeof subPathMisses> = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, ci) => {
      if (!isRecord(c) || !Array.isArray(c.volumeMounts)) return;
      c.volumeMounts.forEach((m, mi) => {
        if (!isRecord(m) || typeof m.name !== 'string' || typeof m.subPath !== 'string' || m.subPathExpr !== undefined) return;
        const sub = m.subPath.replace(/^\.\//, '').replace(/\/+$/, '');
        const vol = volumes.get(m.name);
        if (!vol || sub === '' || sub.includes('$')) return;
        const found = defs(vol.kind, vol.name);
        if (!found?.length) return;
        const keys = found.map(keysOf);
        if (keys.some((k) => k === undefined)) return;
        const files = vol.items ?? [...new Set(keys.flatMap((k) => [...k!.data, ...k!.binary]))];
        if (files.some((f) => f === sub || f.startsWith(`${sub}/`))) return;
        const near = files.find((f) => isTypo(sub, f) !== undefined);
        out.push({ path: pathTo(t.path, 'spec', field, ci, 'volumeMounts', mi, 'subPath'), subPath: m.subPath, kind: vol.kind, name: vol.name, mountPath: typeof m.mountPath === 'string' ? m.mountPath : '', container: typeof c.name === 'string' ? c.name : `#${ci}`, files, ...(near ? { near } : {}), def: found[0]!, items: vol.items !== undefined });
      });
    });
  }
  return out;
}

/** The kinds a pod needs before it is created or placed, by the API versions that define them. */
const NEEDED_GROUPS: Record<string, RegExp> = Object.assign(Object.create(null) as Record<string, RegExp>, {
  ServiceAccount: /^v1$/,
  PersistentVolumeClaim: /^v1$/,
  PriorityClass: /^scheduling\.k8s\.io\//,
  RuntimeClass: /^node\.k8s\.io\//,
});
const CLUSTER_SCOPED = new Set(['PriorityClass', 'RuntimeClass']);

/** How a message says what the pods need, where it is missing, and who stops them. */
function needs(r: PodObjectRef, namespace: string): { uses: string; source: string; volume: string; where: string; failure: string } {
  const source = `${r.kind} ${code(r.name)}`;
  const volume = r.volume ? ` (volume ${code(r.volume)})` : '';
  const inNs = `is not in namespace ${code(namespace)}`;
  switch (r.kind) {
    case 'ServiceAccount':
      return { uses: 'runs its pods as', source, volume, where: inNs, failure: `the API server refuses to create them (error looking up service account ${namespace}/${r.name}: serviceaccount "${r.name}" not found)` };
    case 'PriorityClass':
      return { uses: 'gives its pods', source, volume, where: 'the files do not define', failure: `the API server refuses to create them (no PriorityClass with name ${r.name} was found)` };
    case 'RuntimeClass':
      return { uses: 'runs its pods with', source, volume, where: 'the files do not define', failure: `the API server refuses to create them (pod rejected: RuntimeClass "${r.name}" not found)` };
    case 'PersistentVolumeClaim':
      return { uses: 'uses', source, volume, where: inNs, failure: `the scheduler cannot place its pods (persistentvolumeclaim "${r.name}" not found), and they stay Pending` };
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Official database images whose entrypoint refuses to initialise without one of these variables (docker-library's docker-entrypoint.sh). */
const ENTRYPOINT_DEMANDS: Record<string, { vars: string[]; trust?: [string, string]; quote: string }> = {
  postgres: { vars: ['POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE'], trust: ['POSTGRES_HOST_AUTH_METHOD', 'trust'], quote: 'Database is uninitialized and superuser password is not specified' },
  mysql: { vars: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'], quote: 'Database is uninitialized and password option is not specified' },
  mariadb: { vars: ['MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_FILE', 'MARIADB_ROOT_PASSWORD_HASH', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'], quote: 'Database is uninitialized and password option is not specified' },
};

/**
 * Containers of the official postgres, mysql and mariadb images, run through their entrypoint
 * (no `command`), that set some of the image's variables but none of those it needs to
 * initialise a database (nor `envFrom`, which may hold them). A data directory already
 * initialised skips the check: a warning.
 */
function entrypointDemands(t: PodTemplate): { container: string; image: string; vars: string[]; quote: string; path: Path }[] {
  const out: { container: string; image: string; vars: string[]; quote: string; path: Path }[] = [];
  for (const c of t.containers) {
    const raw = getIn(t.owner.body, c.path);
    if (!isRecord(raw) || typeof raw.image !== 'string' || Array.isArray(raw.command)) continue;
    const repo = hubRepository(raw.image) ?? '';
    const demand = Object.hasOwn(ENTRYPOINT_DEMANDS, repo) ? ENTRYPOINT_DEMANDS[repo] : undefined;
    if (!demand || (Array.isArray(raw.envFrom) && raw.envFrom.length)) continue;
    const env = Array.isArray(raw.env) ? raw.env.filter(isRecord) : [];
    // Arguments that are not the server's own flags run something else (`bash`, `psql`).
    if (Array.isArray(raw.args) && raw.args.length && !(typeof raw.args[0] === 'string' && (raw.args[0].startsWith('-') || /^(postgres|mysqld|mariadbd)$/.test(raw.args[0])))) continue;
    const set = env.some((e) => typeof e.name === 'string' && demand.vars.includes(e.name) && !(e.name === 'POSTGRES_PASSWORD' && e.value === ''));
    const trust = demand.trust ? env.some((e) => e.name === demand.trust![0] && e.value === demand.trust![1]) : false;
    if (set || trust) continue;
    // Only where the container configures the image through its variables (`POSTGRES_DB`,
    // `POSTGRES_USER`) and leaves the password out: a bare image in an example says too little.
    const prefix = hubRepository(raw.image) === 'postgres' ? 'POSTGRES_' : hubRepository(raw.image) === 'mysql' ? 'MYSQL_' : /^(MARIADB|MYSQL)_/;
    if (!env.some((e) => typeof e.name === 'string' && (typeof prefix === 'string' ? e.name.startsWith(prefix) : prefix.test(e.name)))) continue;
    out.push({ container: c.name, image: raw.image, vars: demand.trust ? [...demand.vars, `${demand.trust[0]}=${demand.trust[1]}`] : demand.vars, quote: demand.quote, path: [...c.path, Array.isArray(raw.env) ? 'env' : 'image'] });
  }
  return out;
}

const KEY_OF: Record<string, string> = { cpu: 'requests.cpu', memory: 'requests.memory', 'requests.cpu': 'requests.cpu', 'requests.memory': 'requests.memory', 'limits.cpu': 'limits.cpu', 'limits.memory': 'limits.memory' };

/** An amount in thousandths as a quantity: CPUs (`1500m`, `3`), bytes (`512Mi`, `2Gi`). */
function amount(key: string, milli: bigint): string {
  if (key.endsWith('cpu')) return milli % 1000n === 0n ? String(milli / 1000n) : `${milli}m`;
  const bytes = milli / 1000n;
  for (const [unit, size] of [['Gi', 2n ** 30n], ['Mi', 2n ** 20n], ['Ki', 2n ** 10n]] as const) if (bytes % size === 0n && bytes >= size) return `${bytes / size}${unit}`;
  return String(bytes);
}

/**
 * A quota (without scopes) that one pod of the workload asks more of than it allows in all,
 * else one that its counted replicas together do: what, how much, and how many pods fit.
 */
function quotaOver(t: PodTemplate, usage: Map<string, bigint>, quotas: readonly K8sObject[]): { quota: K8sObject; key: string; asked: string; hard: string; replicas?: number; fit?: number } | undefined {
  const replicas = t.replicas.mode === 'count' ? t.replicas.count : undefined;
  let crowded: ReturnType<typeof quotaOver>;
  for (const quota of quotas) {
    const spec = isRecord(quota.body.spec) ? quota.body.spec : {};
    if ((Array.isArray(spec.scopes) && spec.scopes.length > 0) || (spec.scopeSelector !== undefined && spec.scopeSelector !== null) || !isRecord(spec.hard)) continue;
    for (const [name, written] of Object.entries(spec.hard)) {
      const key = Object.hasOwn(KEY_OF, name) ? KEY_OF[name] : undefined;
      const used = key ? usage.get(key) : undefined;
      const q = typeof written === 'string' || typeof written === 'number' ? parseQuantity(written) : undefined;
      if (used === undefined || !q || q.negative) continue;
      const hard = quantityMilli(q);
      const words = (n: bigint) => `${name}=${amount(key!, n)}`;
      if (used > hard) return { quota, key: name, asked: code(words(used)), hard: code(`${name}=${String(written)}`) };
      if (!crowded && replicas !== undefined && replicas > 1 && used > 0n && used * BigInt(replicas) > hard) {
        crowded = { quota, key: name, asked: code(words(used * BigInt(replicas))), hard: code(`${name}=${String(written)}`), replicas, fit: Number(hard / used) };
      }
    }
  }
  return crowded;
}

/**
 * The first ResourceQuota of the namespace whose compute resources some container of the
 * pods (init containers too) does not state, with what is missing, sorted as the quota's
 * admission lists it. Pods with pod-level resources are not checked per container.
 */
function quotaShortfall(t: PodTemplate, quotas: readonly K8sObject[], ranges: readonly K8sObject[]): { quota: K8sObject; required: string[]; missing: [string, string[]][]; path: Path } | undefined {
  const spec = templateSpec(t);
  if (!isRecord(spec) || (isRecord(spec.resources) && Object.keys(spec.resources).length > 0)) return undefined;
  const containers: { name: string; field: string; i: number; have: Set<string> }[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isRecord(c)) containers.push({ name: typeof c.name === 'string' ? c.name : `#${i}`, field, i, have: stated(c, ranges) });
    });
  }
  for (const quota of quotas) {
    const required = quotaRequired(quota);
    if (!required) continue;
    const missing = new Map<string, string[]>();
    let first: (typeof containers)[number] | undefined;
    for (const c of containers) {
      for (const [name, needs] of required) {
        if (c.have.has(needs)) continue;
        first ??= c;
        missing.set(name, [...(missing.get(name) ?? []), c.name]);
      }
    }
    if (first) return { quota, required: [...required.keys()].sort(), missing: [...missing].sort(([a], [b]) => (a < b ? -1 : 1)), path: pathTo(t.path, 'spec', first.field, first.i, 'name') };
  }
  return undefined;
}

/** A name a typo or two away (isStrongTypo), tried only on names of about the same length. */
/** The Secret types the kubelet reads registry credentials from. */
const PULL_SECRET_TYPES = new Set(['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg']);

/** The registry host of an image reference (`docker.io` for Docker Hub's). */
function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  const host = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host.toLowerCase();
}

/** The registry hosts a pull Secret holds credentials for; undefined where its data cannot be read. */
function pullRegistries(secret: K8sObject): Set<string> | undefined {
  const data = getIn(secret.body, ['data']);
  const string = getIn(secret.body, ['stringData']);
  const key = secret.body.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
  let text: string | undefined;
  if (isRecord(string) && typeof string[key] === 'string') text = string[key] as string;
  else if (isRecord(data) && typeof data[key] === 'string' && /^[A-Za-z0-9+/=\s]+$/.test(data[key] as string)) text = Buffer.from(data[key] as string, 'base64').toString('utf8');
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const auths = key === '.dockercfg' ? parsed : isRecord(parsed) ? parsed.auths : undefined;
  if (!isRecord(auths)) return undefined;
  const out = new Set<string>();
  for (const k of Object.keys(auths)) {
    const host = k.replace(/^https?:\/\//, '').split('/')[0]!.toLowerCase();
    out.add(host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host);
  }
  return out;
}

function similar(a: string, b: string): boolean {
  return Math.abs(a.length - b.length) <= 2 && isStrongTypo(a, b);
}

/** Every short string of a value that could be an object's name. */
function collectStrings(v: unknown, out: Set<string>, depth: number): void {
  if (depth > 16) return;
  if (typeof v === 'string') {
    if (v.length <= 253 && !/\s/.test(v)) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (isRecord(v)) for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
}

export default rule;
