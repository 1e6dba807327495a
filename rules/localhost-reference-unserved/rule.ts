import type { Rule } from '../../src/types/rule.js';
import type { PodTemplate, ServiceNode } from '../../src/types/graph.js';
import type { ReferenceSite } from '../../src/types/reference.js';
import { references } from '../../src/graph/references.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { imageDefaultPorts, listenEvidence, mentionsNumber } from '../../src/graph/listen.js';
import { where } from '../../src/engine/rule-kit.js';
import { code } from '../../src/text.js';

/** Annotations of admission webhooks that add containers the manifest does not show (meshes, Dapr, Vault, Cloud SQL). */
const INJECTS = /^(sidecar\.istio\.io\/inject|linkerd\.io\/inject|dapr\.io\/(enabled|app-id)|vault\.hashicorp\.com\/agent-inject|consul\.hashicorp\.com\/connect-inject|kuma\.io\/sidecar-injection|cloud-sql-proxy|sidecar\.|.*\/inject(ion)?)/;

/** Whether the pod, or its namespace, asks a webhook to add containers. */
function injected(t: PodTemplate): boolean {
  const meta = getIn(t.owner.body, [...t.path, 'metadata']);
  const keys = [...Object.keys((getIn(meta, ['annotations']) as Record<string, unknown>) ?? {}), ...Object.keys((getIn(meta, ['labels']) as Record<string, unknown>) ?? {})];
  return keys.some((k) => INJECTS.test(k));
}

/**
 * Whether some container of the pod may listen on the port: it declares it, is told to listen
 * on it, or (another container than the one dialing, such as a proxy sidecar) names it.
 */
function served(t: PodTemplate, port: number, site: ReferenceSite): boolean {
  return t.containers.some((c) => {
    if (c.ports.some((p) => p.containerPort === port)) return true;
    const raw = getIn(t.owner.body, c.path);
    if (!isRecord(raw)) return false;
    if (listenEvidence(raw).some((e) => e.port === port)) return true;
    const defaults = imageDefaultPorts(c.image);
    if (defaults?.includes(port)) return true;
    const dialing = site.object.id === t.owner.id ? c.path.every((k, i) => site.path[i] === k) : reads(t, raw, site.object.kind, site.object.name);
    if (dialing) return false;
    // Another container that says nothing of its ports (a proxy, a database image of another registry) may serve it.
    return mentionsNumber(raw, port) || (c.ports.length === 0 && defaults === undefined);
  });
}

/** Whether a container reads a ConfigMap or Secret: a volume of it mounted, or `envFrom`. */
function reads(t: PodTemplate, raw: Record<string, unknown>, kind: string, name: string): boolean {
  const field = kind === 'Secret' ? 'secret' : 'configMap';
  const nameKey = kind === 'Secret' ? 'secretName' : 'name';
  const volumes = getIn(t.owner.body, [...t.path, 'spec', 'volumes']);
  const mine = new Set((Array.isArray(volumes) ? volumes : []).filter((v) => isRecord(v) && (getIn(v, [field, nameKey]) === name || JSON.stringify(getIn(v, ['projected', 'sources']) ?? []).includes(`"${name}"`))).map((v) => (v as { name?: unknown }).name));
  const mounts = Array.isArray(raw.volumeMounts) ? raw.volumeMounts : [];
  const envFrom = Array.isArray(raw.envFrom) ? raw.envFrom : [];
  return mounts.some((m) => isRecord(m) && mine.has(m.name)) || envFrom.some((e) => getIn(e, [kind === 'Secret' ? 'secretRef' : 'configMapRef', 'name']) === name);
}

/**
 * A URL a browser opens, not the server (`GF_SERVER_ROOT_URL`, an OAuth `auth_url`, a redirect
 * or public URL), or a Grafana data source the browser queries itself (`access: direct`): a
 * localhost there is the user's machine.
 */
const BROWSER_KEY = /(?:^|[_.-])(?:root|public|external|base|site|redirect|callback|auth|authorize|authorization|login|logout|sign_?out|home(?:page)?|frontend|origin|issuer)[_.-]?ur[li]s?$/i;
function browserFacing(site: ReferenceSite, text: string): boolean {
  if (site.key !== undefined && BROWSER_KEY.test(site.key)) return true;
  const whole = getIn(site.object.body, [...site.path]);
  if (typeof whole !== 'string') return false;
  const line = whole.split(/\r?\n/).find((l) => l.includes(text));
  const key = line ? /^\s*(?:-\s*)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]/.exec(line)?.[1] : undefined;
  if (key !== undefined && BROWSER_KEY.test(key)) return true;
  return /(?:^|\n)\s*(?:-\s*)?access:\s*["']?direct\b/.test(whole);
}

/** Whether the containers of a pod that dial from this site all run well-known server images (Grafana) that do not serve the port. */
function dialsFromKnownImage(t: PodTemplate, port: number, site: ReferenceSite): boolean {
  const dialing = t.containers.filter((c) => {
    const raw = getIn(t.owner.body, c.path);
    return isRecord(raw) && (site.object.id === t.owner.id ? c.path.every((k, i) => site.path[i] === k) : reads(t, raw, site.object.kind, site.object.name));
  });
  return dialing.length > 0 && dialing.every((c) => {
    const defaults = imageDefaultPorts(c.image);
    return defaults !== undefined && !defaults.includes(port) && !c.ports.some((p) => p.containerPort === port);
  });
}

/**
 * Ports of databases, caches and brokers, which an application does not serve itself: a
 * client dialing one on localhost means the server to be in its pod (a web port might be the
 * application's own).
 */
const DATA_PORTS = new Set([5432, 6432, 3306, 33060, 1433, 1521, 27017, 6379, 26379, 11211, 5672, 5671, 61613, 1883, 9092, 2181, 4222, 9200, 9300, 9042, 7000, 8086, 7687, 2379, 8500, 8200, 50051, 6333, 19530, 8123]);

const rule: Rule = {
  meta: {
    id: 'localhost-reference-unserved',
    description: 'A container dials `localhost` on a port that no container of its own pod serves, while a Service of the run exposes that port for another workload: inside a pod, localhost is the pod itself, so the connection is refused.',
    category: 'reference',
    severity: 'warning',
    messages: {
      unserved: '{{ref}} in {{where}} dials localhost:{{port}}, but inside a pod localhost is the pod itself ({{workload}}) and none of its containers serves {{port}}; {{services}} {{verb}} port {{port}} for {{backends}}: dial {{dns}}',
    },
    remediation: 'Dial the Service by its DNS name (<service> in the same namespace, <service>.<namespace> across), or run what the client needs as a container of the same pod.',
  },
  check({ graph, report }) {
    const seen = new Set<string>();
    for (const edge of references(graph)) {
      if (edge.host.toLowerCase() !== 'localhost' || !edge.position) continue;
      // An address a server advertises or binds (Kafka's listeners) is not one its pod dials.
      if (edge.site.key !== undefined && /LISTENERS?$|ADVERTISE|BIND/i.test(edge.site.key)) continue;
      const port = edge.port ?? edge.defaultPort;
      if (port === undefined) continue;
      // Another port may be the dialing program's own; not where every client dials from a
      // well-known server image of other ports (Grafana's datasource on localhost:9090).
      // (The site's text is read line by line only for the few such edges left.)
      if (!DATA_PORTS.has(port) && (!edge.site.clients.every((t) => dialsFromKnownImage(t, port, edge.site)) || browserFacing(edge.site, edge.text))) continue;
      // A file shared with a pod that serves the port is that pod's file.
      if (edge.site.clients.some((t) => served(t, port, edge.site))) continue;
      for (const t of edge.site.clients) {
        // hostNetwork: localhost is the node, where anything may listen; injected sidecars are not in the manifest.
        if (getIn(t.owner.body, [...t.path, 'spec', 'hostNetwork']) === true || injected(t)) continue;
        // What the client most likely means: a Service of its namespace with that port, for another workload.
        const services = graph.services.filter((s: ServiceNode) => s.object.namespace === t.namespace && s.mode === 'selector' && s.ports.some((p) => p.port === port) && s.backends.length > 0 && !s.backends.includes(t));
        if (services.length === 0) continue;
        const key = `${edge.site.object.id}|${edge.site.path.join('.')}|${t.id}|${port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const names = services.slice(0, 3).map((s) => code(s.object.name));
        report({
          object: edge.site.object,
          path: edge.site.path,
          text: edge.text,
          messageId: 'unserved',
          data: {
            ref: code(edge.text + (edge.portFrom ? ` with ${edge.portFrom}=${port}` : '')),
            where: edge.site.where,
            port: String(port),
            workload: where(t),
            services: `Service${services.length > 1 ? 's' : ''} ${names.join(', ')}`,
            verb: services.length > 1 ? 'expose' : 'exposes',
            backends: [...new Set(services.flatMap((s) => s.backends.map((b) => where(b))))].slice(0, 2).join(', '),
            dns: code(`${services[0]!.object.name}:${port}`),
          },
          related: services.slice(0, 3).map((s) => ({ object: s.object, path: ['metadata', 'name'], message: `Service ${s.object.namespace}/${s.object.name}` })),
        });
      }
    }
  },
};

export default rule;
