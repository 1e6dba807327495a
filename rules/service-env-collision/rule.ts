import type { Rule } from '../../src/types/rule.js';
import { where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { code, list } from '../../src/text.js';
import type { PodTemplate, ServiceNode } from '../../src/types/graph.js';

/** Images known to turn every PREFIX_* variable into a setting (KAFKA_PORT → port=tcp://…); Bitnami's read only their `KAFKA_CFG_*`. */
const MAPS_ALL_VARIABLES = /^(?!(?:docker\.io\/)?bitnami\/)(?:.*\/)?(cp-kafka|cp-server|cp-zookeeper|cp-schema-registry|cp-kafka-connect|cp-ksqldb-server|kafka)(:|@|$)/;

/**
 * Official images whose entrypoints read a fixed list of their PREFIX_* variables, none of them
 * PREFIX_PORT (docker-library's postgres reads POSTGRES_PASSWORD, _USER, _DB, _INITDB_ARGS, …;
 * mysql and mariadb their MYSQL_ and MARIADB_ credentials; mongo MONGO_INITDB_*; pgAdmin its
 * PGADMIN_LISTEN_*, PGADMIN_DEFAULT_* and PGADMIN_CONFIG_*; OpenSearch's entrypoint its
 * OPENSEARCH_JAVA_OPTS and OPENSEARCH_INITIAL_ADMIN_PASSWORD, turning only variables named like a
 * setting into settings; Ollama reads its OLLAMA_* settings by name, no OLLAMA_PORT): the injected
 * POSTGRES_PORT is read by nothing. The servers read their own variables (PGPORT, MYSQL_TCP_PORT).
 */
const READS_LISTED_VARIABLES = /^(?:(?:docker\.io\/)?(?:library\/)?)(postgres|mysql|mariadb|mongo|dpage\/pgadmin4|opensearchproject\/opensearch|opensearchproject\/opensearch-dashboards|ollama\/ollama)(:|@|$)/;

/** The variables Kubernetes injects into pods for a Service (docker-link style). */
export function injectedNames(service: string, ports: { port?: number; protocol: string }[]): string[] {
  const p = service.toUpperCase().replace(/-/g, '_');
  const out = [`${p}_SERVICE_HOST`, `${p}_SERVICE_PORT`, `${p}_PORT`];
  for (const sp of ports) {
    if (sp.port === undefined) continue;
    const base = `${p}_PORT_${sp.port}_${sp.protocol}`;
    out.push(base, `${base}_PROTO`, `${base}_PORT`, `${base}_ADDR`);
  }
  return out;
}

/** The API server's own Service-link variables (Service `kubernetes`, port `https` 443/TCP). */
const API_SERVER_VARS = new Set(['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'KUBERNETES_SERVICE_PORT_HTTPS', 'KUBERNETES_PORT', 'KUBERNETES_PORT_443_TCP', 'KUBERNETES_PORT_443_TCP_PROTO', 'KUBERNETES_PORT_443_TCP_PORT', 'KUBERNETES_PORT_443_TCP_ADDR']);

/** The API server's variables a Service's own Service-link variables would overwrite. */
function apiServerClash(svc: ServiceNode): string[] {
  const o = svc.object;
  if (!o.name.startsWith('kubernetes') || (o.name === 'kubernetes' && o.namespace === 'default')) return [];
  if (svc.headless || svc.type === 'ExternalName' || svc.ports.length === 0) return [];
  const prefix = o.name.toUpperCase().replace(/-/g, '_');
  const named = svc.ports.filter((p) => p.name).map((p) => `${prefix}_SERVICE_PORT_${p.name!.toUpperCase().replace(/-/g, '_')}`);
  return [...injectedNames(o.name, svc.ports), ...named].filter((n) => API_SERVER_VARS.has(n));
}

const envNameCache = new WeakMap<unknown[], string[]>();

/** The names a container's env sets, read once per container (a pod can be the backend of many Services). */
function envNames(env: unknown[]): string[] {
  let names = envNameCache.get(env);
  if (!names) envNameCache.set(env, (names = env.filter(isRecord).map((e) => e.name).filter((n): n is string => typeof n === 'string')));
  return names;
}

/** A container with env that a template's Service links reach, and every `A_`, `A_B_` prefix of its variables' names. */
interface LinkedContainer {
  c: Record<string, unknown> & { env: unknown[] };
  i: number;
  prefixes: Set<string>;
}

const linkedCache = new WeakMap<PodTemplate, LinkedContainer[]>();

/** A template's containers with env, unless its pods turn Service links off; read once per template (a pod can be the backend of many Services). */
function linkedContainers(t: PodTemplate): LinkedContainer[] {
  let out = linkedCache.get(t);
  if (out) return out;
  out = [];
  const containers = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
  if (getIn(t.owner.body, [...t.path, 'spec', 'enableServiceLinks']) !== false && Array.isArray(containers)) {
    containers.forEach((c, i) => {
      if (!isRecord(c) || !Array.isArray(c.env)) return;
      const prefixes = new Set<string>();
      for (const n of envNames(c.env)) for (let at = n.indexOf('_'); at >= 0; at = n.indexOf('_', at + 1)) prefixes.add(n.slice(0, at + 1));
      out!.push({ c: c as LinkedContainer['c'], i, prefixes });
    });
  }
  linkedCache.set(t, out);
  return out;
}

/**
 * Images whose server reads one `<NAME>_PORT` variable as the port it listens on: a Service of
 * the namespace named `<name>` makes the kubelet set it to `tcp://<cluster-ip>:<port>` in every
 * pod of the namespace with Service links, and the server refuses it. Kibana maps `SERVER_PORT`
 * to `server.port`; the Spark master's and worker's images pass `SPARK_MASTER_PORT` and
 * `SPARK_WORKER_PORT` to the master and the workers as their port.
 */
const OWN_PORT_VARIABLES: readonly { image: RegExp; variable: string; program: string }[] = [
  { image: /(^|\/)kibana(:|@|$)/, variable: 'SERVER_PORT', program: 'Kibana' },
  { image: /(^|\/)spark-master(:|@|$)/, variable: 'SPARK_MASTER_PORT', program: 'the Spark master' },
  { image: /(^|\/)spark-worker(:|@|$)/, variable: 'SPARK_WORKER_PORT', program: 'the Spark worker' },
];

const rule: Rule = {
  meta: {
    id: 'service-env-collision',
    description: 'A Service whose name makes Kubernetes inject variables like KAFKA_PORT=tcp://… into the pods it selects while they are configured through variables with the same prefix.',
    category: 'reference',
    severity: 'info',
    messages: {
      apiServer: 'Service {{service}} in namespace {{namespace}} makes the kubelet set {{vars}} from its own cluster IP and ports in {{pods}}, the variables that carry the API server\'s address: in-cluster clients there (client-go, operators, kubectl in a pod) connect to this Service, or to a `tcp://` URL as a port, instead of the API server',
      ownPort: 'Service {{service}} makes the kubelet set {{variable}} to {{value}} in the pods of {{workload}}, whose container {{container}} runs {{program}}, which reads {{variable}} as the port to listen on: it refuses the URL and does not start',
      collision: 'Service {{service}} makes Kubernetes inject {{injected}} into the pods of {{workload}}, whose container {{container}} is configured through {{prefix}} variables ({{own}}); software that maps {{prefix}} variables to settings reads {{example}} as a setting and fails',
    },
    remediation: 'Rename the Service, set the injected variable explicitly in the container, or set enableServiceLinks: false in the pod spec.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      // The kubelet keys Service-link variables by Service name and writes them in map order: a
      // Service whose variables are named like the API server's own (`kubernetes` outside
      // `default`, `kubernetes-service` → KUBERNETES_SERVICE_PORT=tcp://…) replaces them in the
      // pods of its namespace that have Service links.
      const clash = apiServerClash(svc);
      if (clash.length > 0) {
        const linked = graph.templatesIn(svc.object.namespace).filter((t) => getIn(t.owner.body, [...t.path, 'spec', 'enableServiceLinks']) !== false);
        const all = graph.templatesIn(svc.object.namespace).length;
        if (linked.length > 0 || all === 0) {
          report({
            object: svc.object,
            path: ['metadata', 'name'],
            messageId: 'apiServer',
            severity: 'error',
            data: {
              service: code(svc.object.name),
              namespace: code(svc.object.namespace),
              vars: list(clash.map((n) => code(n)), 3),
              pods: linked.length ? `the pods of ${list(linked.map(where), 3)}` : 'every pod of that namespace',
            },
            remediation: 'Rename the Service, or set enableServiceLinks: false in every pod of that namespace.',
          });
        }
      }
      ownPortVariable(graph, svc, report);
      if (svc.mode !== 'selector') continue;
      // The kubelet writes Service-link variables only for Services with a cluster IP
      // (`IsServiceIPSet`): a headless Service (the usual Kafka StatefulSet's) injects nothing.
      if (svc.headless || svc.type === 'ExternalName') continue;
      const prefix = `${svc.object.name.toUpperCase().replace(/-/g, '_')}_`;
      const injected = injectedNames(svc.object.name, svc.ports);
      for (const t of svc.backends) {
        for (const { c, i, prefixes } of linkedContainers(t)) {
          // No variable of the container starts with the prefix (which ends in `_`): nothing to check.
          if (!prefixes.has(prefix)) continue;
          const names = envNames(c.env);
          if (!names.some((n) => n.startsWith(prefix) && !injected.includes(n))) continue;
          const own = names.filter((n) => n.startsWith(prefix) && !injected.includes(n));
          const open = injected.filter((n) => !names.includes(n));
          if (!open.includes(`${prefix}PORT`)) continue; // set explicitly: the container's value wins
          const port = svc.ports[0]?.port;
          const image = typeof c.image === 'string' ? c.image : '';
          if (READS_LISTED_VARIABLES.test(image)) continue;
          report({
            severity: MAPS_ALL_VARIABLES.test(image) ? 'warning' : undefined,
            object: svc.object,
            path: ['metadata', 'name'],
            messageId: 'collision',
            data: {
              service: code(svc.object.name),
              injected: list(open.slice(0, 3).map((n) => code(n)), 3),
              workload: where(t),
              container: code(typeof c.name === 'string' ? c.name : `#${i}`),
              prefix: code(`${prefix}*`),
              own: list(own.map((n) => code(n)), 3),
              example: code(`${prefix}PORT=tcp://<cluster-ip>:${port ?? '<port>'}`),
            },
            related: [{ object: t.owner, path: [...t.path, 'spec', 'containers', i, 'env'], message: `env of container ${typeof c.name === 'string' ? c.name : i}` }],
          });
        }
      }
    }
  },
};

/** A Service whose link variable is the port an image of its namespace reads as its own (any pod of the namespace, not only its backends). */
function ownPortVariable(graph: Parameters<Rule['check']>[0]['graph'], svc: ServiceNode, report: Parameters<Rule['check']>[0]['report']): void {
  if (svc.headless || svc.type === 'ExternalName' || svc.ports.length === 0) return;
  const variable = `${svc.object.name.toUpperCase().replace(/-/g, '_')}_PORT`;
  const rows = OWN_PORT_VARIABLES.filter((r) => r.variable === variable);
  if (rows.length === 0) return;
  for (const t of graph.templatesIn(svc.object.namespace)) {
    if (getIn(t.owner.body, [...t.path, 'spec', 'enableServiceLinks']) === false) continue;
    const containers = getIn(t.owner.body, [...t.path, 'spec', 'containers']);
    (Array.isArray(containers) ? containers : []).forEach((c, i) => {
      if (!isRecord(c) || typeof c.image !== 'string') return;
      const row = rows.find((r) => r.image.test(c.image as string));
      if (!row) return;
      // The container's own value wins over the injected one; envFrom may set it too.
      if (Array.isArray(c.env) && envNames(c.env).includes(variable)) return;
      if (Array.isArray(c.envFrom) && c.envFrom.length > 0) return;
      report({
        object: svc.object,
        path: ['metadata', 'name'],
        messageId: 'ownPort',
        severity: 'error',
        data: { service: code(svc.object.name), variable: code(variable), value: code(`tcp://<cluster-ip>:${svc.ports[0]!.port ?? '<port>'}`), workload: where(t), container: code(typeof c.name === 'string' ? c.name : `#${i}`), program: row.program },
        related: [{ object: t.owner, path: [...t.path, 'spec', 'containers', i], message: `container ${typeof c.name === 'string' ? c.name : i} of ${where(t)}` }],
        remediation: `Rename the Service, set ${variable} explicitly in the container, or set enableServiceLinks: false in the pod spec.`,
      });
    });
  }
}

export default rule;
