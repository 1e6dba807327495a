import type { Rule } from '../../src/types/rule.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { code, list } from '../../src/text.js';
import { dns1123LabelProblems, ipProblem, isDNS1123Subdomain } from '../../src/names.js';
import { clusterDnsIPs, isPublicAddress, muslPodImage } from '../../src/graph/pod-dns.js';

const POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
/** The kubelet writes at most this many nameservers into resolv.conf (libc reads 3). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
/** Characters of the search list, spaces between entries included. */
const MAX_SEARCH_CHARS = 2048;
/** A search domain as the API server reads it (RelaxedDNSSearchValidation): labels may start with `_` and hold `_` inside. */
const SEARCH_LABEL = /^_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** Why the API server refuses a search domain, or undefined: one trailing dot is allowed, and `.` alone. */
function searchProblem(search: string): string | undefined {
  if (search === '.') return undefined;
  const s = search.endsWith('.') ? search.slice(0, -1) : search;
  if (s === '') return 'is empty';
  if (s.length > 253) return `is ${s.length} characters long (at most 253)`;
  if (/[A-Z]/.test(s) && s.split('.').every((l) => SEARCH_LABEL.test(l.toLowerCase()))) return 'has uppercase letters';
  if (!s.split('.').every((l) => SEARCH_LABEL.test(l))) return 'is not a DNS subdomain (lowercase letters, digits, \'-\' and \'_\' in dot-separated labels that start and end with a letter or digit, a label may start with \'_\')';
  return undefined;
}

/** Why the API server refuses a nameserver, or undefined. */
function nameserverProblem(ns: string): string | undefined {
  if (ns.includes('%') || ns.trim() !== ns) return 'is not an IP address';
  return ipProblem(ns);
}

/** The longest hostname the kernel takes (the nodename of struct utsname): the kubelet's fqdnMaxLen. */
const FQDN_MAX = 64;

/**
 * The longest FQDN the pods of a template get with setHostnameAsFQDN: `<hostname>.<subdomain>.<namespace>.svc.<domain>`,
 * where hostname is spec.hostname or the pod name (a StatefulSet's pods: `<name>-<ordinal>`, under
 * serviceName). Undefined without a subdomain (the hostname alone stays short) or when the pod
 * names are generated (Deployments and the like without spec.hostname).
 */
function podFqdn(o: K8sObject, spec: Record<string, unknown>, namespace: string, domain: string): { fqdn: string; length: number; atLeast: boolean } | undefined {
  let hostname: string | undefined;
  let subdomain = typeof spec.subdomain === 'string' && spec.subdomain !== '' ? spec.subdomain : undefined;
  if (o.kind === 'StatefulSet') {
    const sts = isRecord(o.body.spec) ? o.body.spec : {};
    subdomain = typeof sts.serviceName === 'string' && sts.serviceName !== '' ? sts.serviceName : undefined;
    const replicas = typeof sts.replicas === 'number' && Number.isInteger(sts.replicas) && sts.replicas >= 0 ? sts.replicas : 1;
    const start = isRecord(sts.ordinals) && typeof sts.ordinals.start === 'number' && Number.isInteger(sts.ordinals.start) ? sts.ordinals.start : 0;
    if (replicas === 0) return undefined;
    hostname = `${o.name}-${start + replicas - 1}`;
  } else if (typeof spec.hostname === 'string' && spec.hostname !== '') hostname = spec.hostname;
  else if (o.kind === 'Pod') hostname = o.name.slice(0, 63);
  else if (subdomain !== undefined) {
    // A generated pod name is at least its prefix and 5 random characters (the API server
    // truncates the prefix to 58): the shortest FQDN the pods can get.
    const prefix = GENERATED_PREFIX[o.kind]?.(o.name);
    if (prefix === undefined) return undefined;
    const min = Math.min(58, prefix.length) + 5;
    const fqdn = `${prefix}<${min - prefix.length > 5 ? 'hash' : 'random'}>.${subdomain}.${namespace}.svc.${domain}`;
    return { fqdn, length: min + `.${subdomain}.${namespace}.svc.${domain}`.length, atLeast: true };
  }
  if (hostname === undefined || subdomain === undefined) return undefined;
  const fqdn = `${hostname}.${subdomain}.${namespace}.svc.${domain}`;
  return { fqdn, length: fqdn.length, atLeast: false };
}

/**
 * The shortest prefix of the names a controller generates for its pods: a ReplicaSet's
 * `<name>-`, a Deployment's ReplicaSet's `<name>-<pod-template-hash>-` (the hash at least one
 * character), a DaemonSet's or Job's `<name>-`.
 */
const GENERATED_PREFIX: Record<string, (name: string) => string> = {
  Deployment: (n) => `${n}-x-`,
  ReplicaSet: (n) => `${n}-`,
  DaemonSet: (n) => `${n}-`,
  Job: (n) => `${n}-`,
};

const rule: Rule = {
  meta: {
    id: 'pod-dns-config-invalid',
    description: 'A pod\'s DNS settings the API server rejects (an unknown dnsPolicy, None without nameservers, more than 3 nameservers or one that is not an IP address, too many or invalid search domains, an option without a name, a hostname or subdomain that is not a DNS label, a hostAliases entry without a valid IP or hostname) or the kubelet refuses (an FQDN hostname over 64 characters with setHostnameAsFQDN), so the workload gets no running pods and its Services no endpoints.',
    category: 'dns',
    severity: 'error',
    messages: {
      policy: 'dnsPolicy {{value}} is not one of `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` and `None`; the API server rejects the pod template{{hint}}',
      noneWithoutConfig: 'dnsPolicy `None` gives the pods only what dnsConfig lists, and there is no dnsConfig; the API server rejects the pod template (it needs at least one nameserver)',
      noneWithoutNameservers: 'dnsPolicy `None` gives the pods only what dnsConfig lists, and dnsConfig lists no nameserver; the API server rejects the pod template',
      tooManyNameservers: 'dnsConfig lists {{count}} nameservers; the API server accepts at most 3 and rejects the pod template',
      nameserver: 'nameserver {{value}} {{problem}}; the API server rejects the pod template',
      tooManySearches: 'dnsConfig lists {{count}} search domains; the API server accepts at most 32 and rejects the pod template',
      searchTooLong: 'the search list is {{count}} characters long (spaces included); the API server accepts at most 2048 and rejects the pod template',
      search: 'search domain {{value}} {{problem}}; the API server rejects the pod template',
      option: 'this dnsConfig option has no name; the API server rejects the pod template',
      hostname: '{{field}} {{value}} is not a DNS label: it {{problems}}; the API server rejects the pod template',
      aliasIp: 'hostAliases entry {{value}} {{problem}}; the API server rejects the pod template',
      fqdnTooLong: 'with setHostnameAsFQDN, the pods of {{workload}} take their FQDN {{fqdn}} as hostname: {{length}} characters, and the kubelet allows at most 64, so the pods never start ("failed to construct FQDN from pod hostname and cluster domain … is too long"){{assumed}}',
      publicBeside: 'the pods of {{workload}} ask {{public}}, a public resolver, beside the cluster DNS{{how}}: {{why}}, so lookups of cluster names fail now and then (NXDOMAIN from {{public}}); keep only the cluster DNS (a public resolver is asked by CoreDNS itself, through its `forward`)',
      aliasHostname: 'hostAliases hostname {{value}} is not a lowercase DNS name (letters, digits, \'-\' and \'.\', no trailing dot or \'_\'); the API server rejects the pod template',
    },
    remediation: 'Use one of the four dnsPolicy values (case matters); with dnsPolicy: None, list 1–3 nameserver IP addresses in dnsConfig; keep search domains lowercase DNS names (at most 32, 2048 characters in all) and give every option a name.',
  },
  check({ graph, report }) {
    // Live pods were admitted: what the API server rejects never reaches a cluster.
    if (graph.settings.live) return;
    let known: Set<string> | undefined;
    for (const t of graph.templates) {
      const o = t.owner;
      const specPath: Path = [...t.path, 'spec'];
      const spec = getIn(o.body, specPath);
      if (!isRecord(spec)) continue;
      // A public nameserver beside the cluster DNS: musl asks every nameserver at once and takes the
      // first answer; glibc with `rotate` starts at each in turn. Either way a public resolver's
      // NXDOMAIN for a cluster name is taken at times.
      const dnsPolicy = spec.dnsPolicy;
      const cfg = isRecord(spec.dnsConfig) ? spec.dnsConfig : undefined;
      const servers = (Array.isArray(cfg?.nameservers) ? cfg!.nameservers : []).filter((x): x is string => typeof x === 'string');
      const publicOne = servers.find((x) => isPublicAddress(x));
      const clusterFirst = (dnsPolicy === undefined || dnsPolicy === 'ClusterFirst' || dnsPolicy === 'ClusterFirstWithHostNet') && !(spec.hostNetwork === true && dnsPolicy !== 'ClusterFirstWithHostNet');
      const withCluster = clusterFirst || (dnsPolicy === 'None' && servers.some((x) => (known ??= clusterDnsIPs(graph)).has(x)));
      if (publicOne && withCluster) {
        const musl = muslPodImage(t);
        const options = Array.isArray(cfg?.options) ? cfg!.options : [];
        const rotate = options.some((x) => isRecord(x) && x.name === 'rotate');
        if (musl || rotate) {
          const at = servers.indexOf(publicOne);
          report({
            object: o,
            path: [...specPath, 'dnsConfig', 'nameservers', at],
            messageId: 'publicBeside',
            severity: 'warning',
            data: {
              workload: `${o.kind} ${o.namespace}/${o.name}`,
              public: code(publicOne),
              how: clusterFirst ? ' (dnsPolicy ClusterFirst puts dnsConfig\'s nameservers after it)' : '',
              why: musl ? `they run ${code(musl)}, whose resolver (musl) asks every nameserver at once and takes the first answer` : 'the option `rotate` makes the resolver start at each nameserver in turn',
            },
          });
        }
      }
      // A StatefulSet's controller sets its pods' hostname and subdomain itself (the pod name,
      // serviceName): the API server does not validate the template's (checked against it).
      for (const field of o.kind === 'StatefulSet' ? [] : (['hostname', 'subdomain'] as const)) {
        const v = spec[field];
        const problems = typeof v === 'string' && v !== '' ? dns1123LabelProblems(v) : [];
        if (problems.length) report({ object: o, path: [...specPath, field], messageId: 'hostname', data: { field, value: code(v as string), problems: list(problems, 3) }, remediation: `Make ${field} a DNS label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.` });
      }
      if (Array.isArray(spec.hostAliases)) {
        spec.hostAliases.forEach((alias, i) => {
          if (!isRecord(alias)) return;
          const at: Path = [...specPath, 'hostAliases', i];
          if (alias.ip === undefined || alias.ip === null || alias.ip === '') report({ object: o, path: [...at, 'ip'], messageId: 'aliasIp', data: { value: `#${i + 1}`, problem: 'has no ip' }, remediation: 'Give each hostAliases entry an IP address and hostnames that are lowercase DNS names.' });
          else if (typeof alias.ip === 'string') {
            const problem = nameserverProblem(alias.ip);
            if (problem) report({ object: o, path: [...at, 'ip'], messageId: 'aliasIp', data: { value: `#${i + 1}`, problem: `has ip ${code(alias.ip)}, which ${problem}` }, remediation: 'Give each hostAliases entry an IP address and hostnames that are lowercase DNS names.' });
          }
          (Array.isArray(alias.hostnames) ? alias.hostnames : []).forEach((h, j) => {
            if (typeof h === 'string' && !isDNS1123Subdomain(h)) report({ object: o, path: [...at, 'hostnames', j], messageId: 'aliasHostname', data: { value: code(h) }, remediation: 'Give each hostAliases entry an IP address and hostnames that are lowercase DNS names.' });
          });
        });
      }
      // The kubelet sets no hostname of its own on a pod on the host network: the node's stays.
      if (spec.setHostnameAsFQDN === true && spec.hostNetwork !== true) {
        const name = podFqdn(o, spec, t.namespace, graph.settings.clusterDomain);
        if (name && name.length > FQDN_MAX) {
          report({
            object: o,
            path: [...specPath, 'setHostnameAsFQDN'],
            messageId: 'fqdnTooLong',
            data: { workload: `${o.kind} ${t.namespace}/${o.name}`, fqdn: code(name.fqdn), length: name.atLeast ? `at least ${name.length}` : name.length, assumed: o.namespaceDefaulted ? ` (in namespace ${code(t.namespace)}, where it is applied when it sets none)` : '' },
            remediation: 'Drop setHostnameAsFQDN, or shorten the names that make up the FQDN (hostname or pod name, subdomain or serviceName, namespace) to 64 characters in all.',
          });
        }
      }
      const policy = spec.dnsPolicy;
      if (typeof policy === 'string' && policy !== '' && !POLICIES.includes(policy)) {
        const near = POLICIES.find((p) => p.toLowerCase() === policy.toLowerCase());
        report({ object: o, path: [...specPath, 'dnsPolicy'], messageId: 'policy', data: { value: code(policy), hint: near ? `; did you mean ${code(near)}?` : '' } });
      }
      const config = spec.dnsConfig;
      const configPath: Path = [...specPath, 'dnsConfig'];
      if (policy === 'None') {
        if (config === undefined || config === null) {
          report({ object: o, path: configPath, messageId: 'noneWithoutConfig' });
          continue;
        }
        if (isRecord(config) && (config.nameservers === undefined || config.nameservers === null || (Array.isArray(config.nameservers) && config.nameservers.length === 0))) {
          report({ object: o, path: [...configPath, 'nameservers'], messageId: 'noneWithoutNameservers' });
          continue;
        }
      }
      if (!isRecord(config)) continue;
      const { nameservers, searches, options } = config;
      if (Array.isArray(nameservers)) {
        if (nameservers.length > MAX_NAMESERVERS) report({ object: o, path: [...configPath, 'nameservers'], messageId: 'tooManyNameservers', data: { count: nameservers.length } });
        nameservers.forEach((ns, i) => {
          const problem = typeof ns === 'string' ? nameserverProblem(ns) : undefined;
          if (problem) report({ object: o, path: [...configPath, 'nameservers', i], messageId: 'nameserver', data: { value: code(ns as string), problem } });
        });
      }
      if (Array.isArray(searches)) {
        if (searches.length > MAX_SEARCHES) report({ object: o, path: [...configPath, 'searches'], messageId: 'tooManySearches', data: { count: searches.length } });
        if (searches.every((s) => typeof s === 'string')) {
          const chars = (searches as string[]).join(' ').length;
          if (chars > MAX_SEARCH_CHARS) report({ object: o, path: [...configPath, 'searches'], messageId: 'searchTooLong', data: { count: chars } });
        }
        searches.forEach((s, i) => {
          const problem = typeof s === 'string' ? searchProblem(s) : undefined;
          if (problem) report({ object: o, path: [...configPath, 'searches', i], messageId: 'search', data: { value: code(s as string), problem } });
        });
      }
      if (Array.isArray(options)) {
        options.forEach((opt, i) => {
          if (isRecord(opt) && (opt.name === undefined || opt.name === null || opt.name === '')) report({ object: o, path: [...configPath, 'options', i], messageId: 'option' });
        });
      }
    }
  },
};

export default rule;
