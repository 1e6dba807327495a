import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { PodTemplate } from '../../src/types/graph.js';
import type { Path } from '../../src/types/object.js';
import { where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { hubRepository, mountedFile, mountedFiles } from '../../src/graph/mounts.js';
import { statefulSetOrdinals } from '../../src/graph/controller-labels.js';
import { elasticsearchSettings } from '../../src/graph/elasticsearch.js';
import { isLoopbackHost } from '../../src/graph/bind.js';
import { code, list } from '../../src/text.js';

type Ctx = RuleContext;
interface Container { raw: Record<string, unknown>; i: number; path: Path }

/** The StatefulSets of the run with more than one replica, each with its pods' names and containers. */
function sets(ctx: Ctx): { t: PodTemplate; pods: string[]; containers: Container[] }[] {
  const out: { t: PodTemplate; pods: string[]; containers: Container[] }[] = [];
  for (const t of ctx.graph.templates) {
    if (t.owner.kind !== 'StatefulSet' || t.path.length === 0 || t.replicas.mode !== 'count' || t.replicas.count <= 1) continue;
    const [lo, hi] = statefulSetOrdinals(t);
    const pods = Array.from({ length: Math.min(hi - lo, 64) }, (_, i) => `${t.owner.name}-${lo + i}`);
    const list = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
    const containers = (Array.isArray(list) ? list : []).flatMap((raw, i) => (isRecord(raw) ? [{ raw, i, path: [...t.path, 'spec', 'containers', i] as Path }] : []));
    out.push({ t, pods, containers });
  }
  return out;
}

/** A container's literal env, with where each entry is; `fieldRef: metadata.name` entries are the pod's name. */
function envOf(raw: Record<string, unknown>): { values: Map<string, { value: string; at: number }>; podName: Set<string>; open: boolean } {
  const values = new Map<string, { value: string; at: number }>();
  const podName = new Set<string>();
  let open = Array.isArray(raw.envFrom) && raw.envFrom.length > 0;
  (Array.isArray(raw.env) ? raw.env : []).forEach((e, at) => {
    if (!isRecord(e) || typeof e.name !== 'string') return;
    if (typeof e.value === 'string') values.set(e.name, { value: e.value, at });
    else if (getIn(e, ['valueFrom', 'fieldRef', 'fieldPath']) === 'metadata.name') podName.add(e.name);
    else open = true;
  });
  return { values, podName, open };
}

/** The command line's words with where each is. */
const words = (raw: Record<string, unknown>): { w: string; path: Path }[] => (['command', 'args'] as const).flatMap((k) => (Array.isArray(raw[k]) ? (raw[k] as unknown[]).flatMap((w, i) => (typeof w === 'string' ? [{ w, path: [k, i] as Path }] : [])) : []));

/** A flag's value (`--name=x`, `--name x`), the last one written. */
function flag(ws: { w: string; path: Path }[], name: string): { value: string; path: Path } | undefined {
  let out: { value: string; path: Path } | undefined;
  ws.forEach((x, i) => {
    if (x.w.startsWith(`${name}=`)) out = { value: x.w.slice(name.length + 1), path: x.path };
    else if (x.w === name && ws[i + 1]) out = { value: ws[i + 1]!.w, path: ws[i + 1]!.path };
  });
  return out;
}

/**
 * The official ZooKeeper image writes `${ZOO_MY_ID:-1}` as the server's id when its data has
 * none (docker-entrypoint.sh): every replica of an ensemble without ZOO_MY_ID per pod is server 1.
 */
function zookeeper(ctx: Ctx, t: PodTemplate, c: Container, replicas: number): void {
  if (hubRepository(typeof c.raw.image === 'string' ? c.raw.image : undefined) !== 'zookeeper' || c.raw.command !== undefined) return;
  const env = envOf(c.raw);
  if (env.open || env.podName.has('ZOO_MY_ID')) return;
  const servers = env.values.get('ZOO_SERVERS');
  if (!servers || (servers.value.match(/server\.\d+=/g) ?? []).length < 2) return;
  const mounts = (Array.isArray(c.raw.volumeMounts) ? c.raw.volumeMounts : []).map((m) => String(getIn(m, ['mountPath']) ?? ''));
  if (mounts.some((m) => /^\/docker-entrypoint\.d\/?$|^\/conf(\/|$)/.test(m))) return;
  const id = env.values.get('ZOO_MY_ID');
  if (id && /\$\(/.test(id.value)) return;
  ctx.report({
    object: t.owner,
    path: id ? [...c.path, 'env', id.at, 'value'] : [...c.path, 'image'],
    messageId: 'zookeeperId',
    data: { workload: where(t), replicas: String(replicas), id: code(id ? id.value : '1'), how: id ? `\`ZOO_MY_ID\` is the constant ${code(id.value)}` : 'nothing sets `ZOO_MY_ID`, so the image\'s entrypoint writes `1`' },
  });
}

/**
 * Elasticsearch bootstraps a new cluster only from master-eligible nodes whose `node.name` is in
 * `cluster.initial_master_nodes` ("Bootstrapping a cluster"): a node's name is `node.name`, else
 * its host name, which for a StatefulSet's pod is the pod's name (not its DNS name).
 */
function elasticsearch(ctx: Ctx, t: PodTemplate, c: Container, pods: string[]): void {
  const s = elasticsearchSettings(ctx.graph, t, c.raw);
  const masters = s?.get('cluster.initial_master_nodes');
  if (!s || !masters || /[$]/.test(masters.value)) return;
  const name = s.get('node.name');
  const env = envOf(c.raw);
  // `node.name: $(POD_NAME)` (the pod's name) or unset: the pod's name; anything else is not judged.
  const byPodName = name === undefined || [...env.podName].some((n) => name.value === `$(${n})` || name.value === `\${${n}}`) || /^\$\{?HOSTNAME\}?$/.test(name.value);
  if (!byPodName || getIn(t.owner.body, [...t.path, 'spec', 'setHostnameAsFQDN']) === true) return;
  const listed = masters.value.split(',').map((x) => x.trim()).filter(Boolean);
  if (listed.length === 0 || listed.some((x) => pods.includes(x))) return;
  ctx.report({
    object: t.owner,
    path: [...c.path, ...masters.path],
    messageId: 'elasticMasters',
    data: { workload: where(t), listed: list(listed.map((x) => code(x)), 3), pods: list(pods.slice(0, 3).map((x) => code(x)), 3), text: code(masters.text.length > 100 ? `${masters.text.slice(0, 99)}…` : masters.text) },
  });
}

/** etcd: a new member must find its own `--name` among `--initial-cluster`'s names (etcd's hasLocalMember). */
function etcd(ctx: Ctx, t: PodTemplate, c: Container, pods: string[]): void {
  const ws = words(c.raw);
  const start = ws.findIndex((x) => /(^|\/)etcd$/.test(x.w));
  if (start < 0) return;
  const env = envOf(c.raw);
  const initial = flag(ws, '--initial-cluster') ?? (env.values.has('ETCD_INITIAL_CLUSTER') ? { value: env.values.get('ETCD_INITIAL_CLUSTER')!.value, path: ['env', env.values.get('ETCD_INITIAL_CLUSTER')!.at, 'value'] as Path } : undefined);
  const state = flag(ws, '--initial-cluster-state')?.value ?? env.values.get('ETCD_INITIAL_CLUSTER_STATE')?.value;
  if (!initial || /\$/.test(initial.value) || (state !== undefined && state !== 'new')) return;
  const nameFlag = flag(ws, '--name') ?? (env.values.has('ETCD_NAME') ? { value: env.values.get('ETCD_NAME')!.value, path: ['env', env.values.get('ETCD_NAME')!.at, 'value'] as Path } : undefined);
  if (!nameFlag) return;
  const own = [...env.podName].find((n) => nameFlag.value === `$(${n})`);
  if (!own) return;
  const names = initial.value.split(',').map((x) => x.split('=')[0]!.trim()).filter(Boolean);
  if (names.length === 0 || pods.some((p) => names.includes(p))) return;
  ctx.report({
    object: t.owner,
    path: [...c.path, ...initial.path],
    messageId: 'etcdName',
    data: { workload: where(t), names: list(names.map((x) => code(x)), 3), pods: list(pods.slice(0, 3).map((x) => code(x)), 3), flag: code(`--name=${nameFlag.value}`) },
  });
}

/** Kafka (KRaft): `controller.quorum.voters` names each voter's address; a loopback one is the dialling pod itself. */
function kafkaVoters(ctx: Ctx, t: PodTemplate, c: Container): void {
  const env = envOf(c.raw);
  const name = ['KAFKA_CFG_CONTROLLER_QUORUM_VOTERS', 'KAFKA_CONTROLLER_QUORUM_VOTERS'].find((n) => env.values.has(n));
  if (!name) return;
  const v = env.values.get(name)!;
  const voters = v.value.split(',').map((x) => /^\s*(\d+)@(\[[^\]]+\]|[^:]+):(\d+)\s*$/.exec(x)).filter((m): m is RegExpExecArray => m !== null);
  const loop = voters.filter((m) => isLoopbackHost(m[2]!.replace(/^\[|\]$/g, '')));
  if (new Set(loop.map((m) => m[1])).size < 2) return;
  ctx.report({
    object: t.owner,
    path: [...c.path, 'env', v.at, 'value'],
    messageId: 'kafkaVoters',
    data: { workload: where(t), variable: code(name), voters: list(loop.map((m) => code(`${m[1]}@${m[2]}:${m[3]}`)), 3) },
  });
}

/**
 * Kafka brokers hand clients the advertised address of each partition's leader (the image
 * writes `KAFKA_ADVERTISED_LISTENERS`, Bitnami's `KAFKA_CFG_ADVERTISED_LISTENERS`, verbatim
 * into `advertised.listeners`). A literal value is the same for every pod: where its host is a
 * Service that selects the brokers, every broker advertises that one name, which reaches
 * whichever broker the Service (or its DNS answer) picks, not the leader.
 */
function kafkaAdvertised(ctx: Ctx, t: PodTemplate, c: Container, replicas: number): void {
  const env = envOf(c.raw);
  const name = ['KAFKA_CFG_ADVERTISED_LISTENERS', 'KAFKA_ADVERTISED_LISTENERS'].find((n) => env.values.has(n));
  if (!name) return;
  const v = env.values.get(name)!;
  // A script that sets it per pod, or a value that names a variable, is not the same for every pod.
  if (v.value.includes('$') || words(c.raw).some((x) => /advertised/i.test(x.w))) return;
  for (const l of v.value.split(',')) {
    const m = /^\s*([A-Za-z0-9_]+):\/\/([A-Za-z0-9.-]+):(\d+)\s*$/.exec(l);
    if (!m) continue;
    const labels = m[2]!.toLowerCase().replace(/\.$/, '').split('.');
    const ns = labels.length > 1 && labels[1] !== 'svc' ? labels[1]! : t.namespace;
    if (labels.length > 2 && labels[2] !== 'svc') continue;
    const svc = ctx.graph.service(ns, labels[0]!);
    if (!svc || svc.mode !== 'selector' || !svc.backends.includes(t)) continue;
    ctx.report({
      object: t.owner,
      path: [...c.path, 'env', v.at, 'value'],
      messageId: 'kafkaAdvertised',
      data: { workload: where(t), replicas: String(replicas), listener: code(l.trim()), variable: code(name), service: code(`${svc.object.namespace}/${svc.object.name}`), how: svc.headless ? 'resolves to the IPs of all of them' : 'balances connections over all of them' },
      related: [{ object: svc.object, path: ['spec'], message: `Service ${svc.object.namespace}/${svc.object.name}` }],
    });
    return;
  }
}

/**
 * RabbitMQ's Kubernetes peer discovery with `address_type = hostname` joins the pod names the
 * API lists to `hostname_suffix` (`.rabbitmq-headless.ns.svc.cluster.local`) and dials those
 * names. A StatefulSet's pods have per-pod names only under their governing Service (its
 * `serviceName`, the EndpointSlice controller's hostname rule): a suffix under any other Service
 * names nothing, and the nodes never cluster.
 */
function rabbitmq(ctx: Ctx, t: PodTemplate, c: Container): void {
  const image = typeof c.raw.image === 'string' ? c.raw.image : '';
  if (!/(^|\/)rabbitmq(:|@|$)/.test(image)) return;
  const env = envOf(c.raw);
  let suffix: { value: string; path: Path } | undefined;
  const bitnami = env.values.get('K8S_HOSTNAME_SUFFIX');
  if (bitnami) suffix = { value: bitnami.value, path: ['env', bitnami.at, 'value'] };
  else {
    const file = mountedFiles(ctx.graph, t, c.raw).find((f) => /(^|\/)rabbitmq\.conf$/.test(f.path));
    if (!file) return;
    const get = (key: string) => new RegExp(`^\\s*${key.replace(/\./g, '\\.')}\\s*=\\s*(\\S+)\\s*$`, 'm').exec(file.text)?.[1];
    const backend = get('cluster_formation.peer_discovery_backend');
    if (!backend || !/k8s|kubernetes/.test(backend) || get('cluster_formation.k8s.address_type') !== 'hostname') return;
    const v = get('cluster_formation.k8s.hostname_suffix');
    if (!v) return;
    suffix = { value: v, path: ['volumeMounts', file.at ?? 0] };
  }
  if (/\$/.test(suffix.value)) return;
  const labels = suffix.value.replace(/^\./, '').replace(/\.$/, '').split('.');
  const domain = ctx.graph.settings.clusterDomain;
  if (labels.length < 1 || (labels.length > 2 && (labels[2] !== 'svc' || (labels.length > 3 && labels.slice(3).join('.') !== domain)))) return;
  const service = labels[0]!;
  const ns = labels[1] ?? t.namespace;
  const governing = getIn(t.owner.body, ['spec', 'serviceName']);
  if (ns !== t.namespace || typeof governing !== 'string' || governing === service) return;
  ctx.report({
    object: t.owner,
    path: [...c.path, ...suffix.path],
    messageId: 'rabbitSuffix',
    data: { workload: where(t), suffix: code(suffix.value), service: code(service), governing: code(governing), example: code(`${t.owner.name}-0.${governing}.${t.namespace}.svc.${domain}`) },
  });
}

/**
 * Hazelcast's Kubernetes discovery in DNS lookup mode (`service-dns`) takes every address the
 * name resolves to as a member (DnsEndpointResolver): a Service with a cluster IP resolves to
 * that one virtual IP, so each member finds only the VIP, not its peers.
 */
function hazelcastDns(ctx: Ctx): void {
  for (const t of ctx.graph.templates) {
    const list = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      if (!isRecord(raw) || typeof raw.image !== 'string' || !/(^|\/)hazelcast\/hazelcast(-enterprise)?(:|@|$)/.test(raw.image)) return;
      const env = envOf(raw);
      const cpath: Path = [...t.path, 'spec', 'containers', i];
      let dns: { value: string; path: Path; text: string } | undefined;
      const e = env.values.get('HZ_NETWORK_JOIN_KUBERNETES_SERVICEDNS');
      if (e) dns = { value: e.value, path: [...cpath, 'env', e.at, 'value'], text: `HZ_NETWORK_JOIN_KUBERNETES_SERVICEDNS=${e.value}` };
      else {
        const at = env.values.get('HAZELCAST_CONFIG')?.value ?? '/opt/hazelcast/hazelcast.yaml';
        const file = /\.ya?ml$/.test(at) ? mountedFile(ctx.graph, t, raw, at) : undefined;
        const m = file ? /^\s*service-dns:\s*["']?([A-Za-z0-9.-]+)["']?\s*$/m.exec(file.text) : null;
        if (file && m) dns = { value: m[1]!, path: [...cpath, 'volumeMounts', file.at], text: `service-dns: ${m[1]}` };
      }
      if (!dns || /\$/.test(dns.value)) return;
      const parts = dns.value.replace(/\.$/, '').split('.');
      const ns = parts.length > 1 ? parts[1]! : t.namespace;
      const svc = ctx.graph.service(ns, parts[0]!);
      if (!svc || svc.headless || svc.type === 'ExternalName' || svc.mode !== 'selector') return;
      ctx.report({
        object: t.owner,
        path: dns.path,
        messageId: 'hazelcastDns',
        severity: 'warning',
        data: { workload: where(t), text: code(dns.text), service: code(`${svc.object.namespace}/${svc.object.name}`) },
        related: [{ object: svc.object, path: ['spec'], message: `Service ${svc.object.namespace}/${svc.object.name}` }],
      });
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'cluster-peers-invalid',
    description: 'Clustered software configured so that its members cannot form the cluster: a ZooKeeper ensemble whose pods all get the same id, Elasticsearch initial masters that name no pod, an etcd member whose name is not in --initial-cluster, Kafka controller voters on loopback, Kafka brokers that all advertise one Service, RabbitMQ peer discovery under a Service that is not the pods\' governing one, Hazelcast DNS discovery through a Service with a cluster IP.',
    category: 'dns',
    severity: 'error',
    messages: {
      zookeeperId: 'every one of the {{replicas}} pods of {{workload}} is ZooKeeper server {{id}}: {{how}}, so the ensemble\'s other servers never join and it has no quorum; set `ZOO_MY_ID` per pod (from its ordinal, in a script before the entrypoint)',
      elasticMasters: '{{workload}} bootstraps its cluster from {{text}}, but a node\'s name is its pod\'s name ({{pods}}), not {{listed}}: no master-eligible node finds itself in the list, and the cluster never forms (master not discovered); list the pods\' names',
      etcdName: 'the members of {{workload}} are named by {{flag}} ({{pods}}), but `--initial-cluster` names {{names}}: a new member that finds no entry of its own name stops ("couldn\'t find local name … in the initial cluster configuration"); name the entries after the pods',
      hazelcastDns: 'the Hazelcast members of {{workload}} find each other by DNS ({{text}}), but Service {{service}} has a cluster IP: the name resolves to that one virtual IP, so each member finds only the VIP and never its peers; point `service-dns` at a headless Service (`clusterIP: None`) of the members',
      kafkaAdvertised: 'every one of the {{replicas}} Kafka brokers of {{workload}} advertises {{listener}} ({{variable}}), and Service {{service}} {{how}}: a client that asks for a partition\'s leader is sent to whichever broker the Service picks, and its requests fail (NOT_LEADER_OR_FOLLOWER, or metadata that never settles); advertise each pod\'s own name (`$(POD_NAME).<headless service>:<port>`, with `POD_NAME` from the downward API)',
      rabbitSuffix: 'the RabbitMQ peer discovery of {{workload}} dials each pod by its name and the suffix {{suffix}}, under Service {{service}}, but a StatefulSet\'s pods have per-pod DNS names only under their governing Service {{governing}} ({{example}}): the names do not resolve, and the nodes never form a cluster; make the suffix name {{governing}}',
      kafkaVoters: '{{variable}} of {{workload}} puts the controller voters {{voters}} on loopback: each pod dials itself for every one of them, the controllers never reach each other, and the quorum never forms; give each voter its pod\'s DNS name (`<pod>.<headless service>`)',
    },
    remediation: 'Give each member its own identity and name the members by the names their pods have.',
  },
  check(ctx) {
    hazelcastDns(ctx);
    for (const { t, pods, containers } of sets(ctx)) {
      const replicas = t.replicas.mode === 'count' ? t.replicas.count : 0;
      for (const c of containers) {
        zookeeper(ctx, t, c, replicas);
        elasticsearch(ctx, t, c, pods);
        etcd(ctx, t, c, pods);
        kafkaVoters(ctx, t, c);
        kafkaAdvertised(ctx, t, c, replicas);
        rabbitmq(ctx, t, c);
      }
    }
  },
};

export default rule;
