import { parseQuiet } from '../../src/load/quiet-yaml.js';
import type { Rule, RuleContext } from '../../src/types/rule.js';
import type { Severity } from '../../src/types/finding.js';
import type { K8sObject, Path } from '../../src/types/object.js';
import type { PodTemplate, PortResolution } from '../../src/types/graph.js';
import { findPort } from '../../src/graph/findport.js';
import { inferencePools } from '../../src/graph/inference.js';
import { where } from '../../src/engine/rule-kit.js';
import { byWorkload, perList } from '../../src/graph/index.js';
import { knownListens, mayTellListener, mentionsNumber, nginxIPv4Only, nginxLoopback, notListening, singleListener } from '../../src/graph/listen.js';
import { getIn } from '../../src/graph/pods.js';
import { containersOf } from '../../src/graph/references.js';
import { mountedFiles } from '../../src/graph/mounts.js';
import { isRecord } from '../../src/load/objects.js';
import { absoluteFolder, sameTree } from '../../src/graph/referrers.js';
import { workloadOf } from '../../src/graph/live.js';
import { code } from '../../src/text.js';
import { resolveHost } from '../../src/graph/dns.js';
import { maySpring, springConfig, springLoopback, springProbeView, type SpringSetting } from '../../src/graph/spring.js';
import type { ListenEvidence } from '../../src/graph/listen.js';
import { elasticsearchLoopback } from '../../src/graph/elasticsearch.js';
import { mysqlLoopback } from '../../src/graph/mysql.js';
import { apacheLoopback } from '../../src/graph/apache.js';
import { mosquittoLoopback } from '../../src/graph/mosquitto.js';
import { otelcolLoopback } from '../../src/graph/otelcol.js';
import { clickhouseLoopback } from '../../src/graph/clickhouse.js';
import { kibanaLoopback } from '../../src/graph/kibana.js';
import { vaultLoopback } from '../../src/graph/vault.js';
import { kestrelLoopback } from '../../src/graph/kestrel.js';
import { mongodConfigLoopback } from '../../src/graph/mongod.js';
import { kubeProxyLoopback } from '../../src/graph/kube-proxy.js';
import { pgbouncerLoopback } from '../../src/graph/pgbouncer.js';
import { phpFpmLoopback } from '../../src/graph/php-fpm.js';
import { envoyLoopback } from '../../src/graph/envoy.js';
import { gunicornLoopback } from '../../src/graph/gunicorn.js';
import { tomcatLoopback } from '../../src/graph/tomcat.js';
import { tempoLoopback } from '../../src/graph/tempo.js';
import { jaegerLoopback } from '../../src/graph/jaeger.js';
import { vectorLoopback } from '../../src/graph/vector.js';
import { fluentBitLoopback } from '../../src/graph/fluent-bit.js';
import { grafanaLoopback, grafanaTls } from '../../src/graph/grafana.js';
import { ipv4OnlyListener, servingLoopback, containerLoopback, isLoopbackHost, kafkaListeners, loopbackFlags, loopbackListener, mayBindLoopback, pgBasebackupSources, pgHbaAdmitsReplication, postgresConfig, postgresHba, postgresHbaLocalOnly, proxyFiltersHosts, redisConfig, redisProtected, servingContainer, type LoopbackBind } from '../../src/graph/bind.js';

/** `127.0.0.1:8000`, `[::1]:8000`. */
const hostPort = (b: Pick<LoopbackBind, 'address' | 'port'>): string => {
  const a = b.address.replace(/^\[|\]$/g, '');
  const h = a.includes(':') ? `[${a}]` : a;
  return b.port === undefined ? h : `${h}:${b.port}`;
};

/** A Service whose only family is IPv6: its endpoints are the pods' IPv6 addresses. */
function ipv6Only(svc: K8sObject): boolean {
  const spec = svc.body.spec as { ipFamilies?: unknown; ipFamilyPolicy?: unknown } | undefined;
  const families = spec?.ipFamilies;
  return Array.isArray(families) && families.length === 1 && families[0] === 'IPv6' && (spec!.ipFamilyPolicy === undefined || spec!.ipFamilyPolicy === 'SingleStack');
}

/** How the manifest says the server binds loopback, and how sure that is. */
/**
 * Readers of where a server binds by its own configuration file (or its image's default), each
 * asked for one port: the Service's target port, or a probe's.
 */
const FILE_READERS: readonly ((graph: Parameters<Rule['check']>[0]['graph'], t: Template, raw: Record<string, unknown>, target?: number) => Omit<LoopbackBind, 'container'> | undefined)[] = [
  springLoopback, elasticsearchLoopback, mysqlLoopback, apacheLoopback, grafanaLoopback, mosquittoLoopback, otelcolLoopback, clickhouseLoopback, kibanaLoopback, vaultLoopback,
  kestrelLoopback, mongodConfigLoopback, kubeProxyLoopback, pgbouncerLoopback, phpFpmLoopback, envoyLoopback, gunicornLoopback, tomcatLoopback, tempoLoopback, jaegerLoopback, vectorLoopback, fluentBitLoopback,
];

/** The first file reader that binds a resolution's target port on loopback only. */
function fileLoopback(r: PortResolution, graph: Parameters<Rule['check']>[0]['graph']): LoopbackBind | undefined {
  for (const read of FILE_READERS) {
    const b = servingLoopback(r, graph, read);
    if (b) return b;
  }
  return undefined;
}

function loopbackWords(b: Omit<LoopbackBind, 'container'>): { evidence: string; why: string; severity?: Severity } {
  if (b.kind === 'flag') return { evidence: `its command line (${code(b.text)})`, why: '' };
  if (b.kind === 'default' && b.path.length === 1 && b.path[0] === 'image') return { evidence: `its image (${code(b.text)}), which nothing tells another address,`, why: ` (${b.program}'s default${b.caveat ? `: ${b.caveat}` : ''})`, severity: 'warning' };
  if (b.kind === 'default' && b.source) return { evidence: `its configuration (${b.source}), which sets no address,`, why: ` (${b.program}'s default${b.caveat ? `, ${b.caveat}` : ''})`, severity: 'warning' };
  if (b.kind === 'config') return { evidence: `its configuration (${code(b.text)}${b.source ? ` in ${b.source}` : ''}${b.assumed ? `, which ${b.program ?? 'the server'} reads if the image's working directory is ${code(b.assumed)}` : ''})`, why: '', ...(b.assumed ? { severity: 'warning' as const } : {}) };
  if (b.kind === 'env') return { evidence: `its environment (${code(b.text)}${b.program ? '' : ', which servers commonly read as the address to bind'})`, why: b.program ? `, which ${b.program} reads as its address` : '', severity: 'warning' };
  return { evidence: `its command line (${code(b.text)}), which sets no address,`, why: ` (${b.program}'s default${b.caveat ? `, ${b.caveat}` : ''})`, ...(b.certain ? {} : { severity: 'warning' as const }) };
}

const PROBES = ['readinessProbe', 'startupProbe', 'livenessProbe'] as const;
const EFFECT: Record<(typeof PROBES)[number], string> = {
  readinessProbe: 'the pod never turns Ready, so the Service gets no endpoint from it',
  startupProbe: 'the container is restarted before it ever starts serving',
  livenessProbe: 'the kubelet restarts the container again and again',
};

/** Probes of a container aimed at a port its server is not told to listen on (the same evidence as for Services). */
function checkProbes(ctx: Parameters<Rule['check']>[0]): void {
  for (const t of ctx.graph.templates) {
    for (const c of t.containers) {
      const raw = getIn(t.owner.body, c.path);
      if (!isRecord(raw) || (raw.readinessProbe === undefined && raw.livenessProbe === undefined && raw.startupProbe === undefined)) continue;
      checkProbeLoopback(ctx, t, c, raw);
      checkSpringContextPath(ctx, t, c, raw);
      checkRoutePrefix(ctx, t, c, raw);
      checkWebConfig(ctx, t, c, raw);
      checkGrafanaTls(ctx, t, c, raw);
      const e = singleListener(raw);
      if (!e) {
        checkSpringProbes(ctx, t, c, raw);
        continue;
      }
      if (c.ports.length > 1) continue;
      for (const { probe, handler, port } of probeHandlers(c, raw)) {
        if (port === undefined || port === e.port || mentionsNumber(raw, port) || secondListener(raw, port)) continue;
        // Probes dial the pod's IP: another container listening there answers them.
        if (t.containers.some((o) => o !== c && o.ports.some((p) => p.containerPort === port))) continue;
        const declaresProbe = c.ports.some((p) => p.containerPort === port);
        ctx.report({
          object: t.owner,
          path: [...c.path, probe, handler, 'port'],
          messageId: 'probeNotListening',
          // A flag names the port of one server; health, metrics and admin servers of the same program often listen on ports of
          // their own by default (kube-state-metrics' telemetry port): a probe elsewhere is likely, not surely, unanswered.
          severity: declaresProbe && e.kind === 'env' && e.program === undefined ? 'info' : 'warning',
          data: { probe, container: code(c.name), workload: where(t), port: String(port), evidence: e.kind === 'flag' ? `command line (${code(e.text)})` : `environment (${code(e.text)})`, listen: String(e.port), hedge: ', and nothing in the manifest says it serves a second port (a health or metrics server of its own) there', effect: EFFECT[probe] },
          related: [{ object: t.owner, path: [...c.path, ...e.path], message: `where ${c.name} is told to listen on ${e.port}` }],
        });
      }
    }
  }
}

type Template = Parameters<Rule['check']>[0]['graph']['templates'][number];

/**
 * A port a known program serves besides the one its flag sets: kube-state-metrics' telemetry
 * server (`--telemetry-port`, 8081 by default), the only one that serves `/readyz`; CoreDNS's
 * `health` (8080) and `ready` (8181) plugins.
 */
function secondListener(raw: Record<string, unknown>, port: number): boolean {
  const image = typeof raw.image === 'string' ? raw.image : '';
  if (/(^|\/)kube-state-metrics(:|@|$)/.test(image)) {
    const args = [...(Array.isArray(raw.command) ? raw.command : []), ...(Array.isArray(raw.args) ? raw.args : [])].map(String);
    const flag = args.map((a) => /^--telemetry-port=(\d+)$/.exec(a)?.[1]).find((x) => x !== undefined);
    return port === Number(flag ?? 8081);
  }
  if (/(^|\/)coredns(:|@|$)/.test(image)) return port === 8080 || port === 8181;
  return false;
}

/** Each probe handler of a container (`readinessProbe.httpGet`…) with the port it dials, by number or by the container's port name. */
function* probeHandlers(c: Template['containers'][number], raw: Record<string, unknown>): Generator<{ probe: (typeof PROBES)[number]; handler: 'httpGet' | 'tcpSocket' | 'grpc'; h: Record<string, unknown>; port: number | undefined }> {
  for (const probe of PROBES) {
    const pr = raw[probe];
    if (!isRecord(pr)) continue;
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = pr[handler];
      if (!isRecord(h)) continue;
      const declared = typeof h.port === 'string' ? c.ports.find((p) => p.name === h.port)?.containerPort : undefined;
      yield { probe, handler, h, port: typeof h.port === 'number' ? h.port : typeof h.port === 'string' && /^\d+$/.test(h.port) ? Number(h.port) : declared };
    }
  }
}

const springWords = (e: ListenEvidence): string => `Spring Boot configuration (${code(e.text)}${e.assumed ? `, which Spring Boot reads if the image's working directory is ${code(e.assumed)}` : ''})`;

/**
 * Probes of a Spring Boot container against its config data: a port neither its server nor its
 * actuator listens on, or the actuator's path asked of the server's port when the actuator has a
 * port of its own (`management.server.port`), where only that port serves it.
 */
function checkSpringProbes(ctx: Parameters<Rule['check']>[0], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): void {
  const v = springProbeView(ctx.graph, t, raw);
  if (!v) return;
  for (const { probe, handler, h, port } of probeHandlers(c, raw)) {
    if (h.host !== undefined || port === undefined || mentionsNumber(raw, port)) continue;
    if (t.containers.some((o) => o !== c && o.ports.some((p) => p.containerPort === port))) continue;
    if (v.server !== undefined && v.evidence) {
      const listens = [v.server, ...(v.management !== undefined ? [v.management] : [])];
      if (!listens.includes(port)) {
        const declaresProbe = c.ports.some((p) => p.containerPort === port);
        const strong = v.evidence.kind === 'config' && !v.evidence.assumed && !declaresProbe;
        ctx.report({
          object: t.owner,
          path: [...c.path, probe, handler, 'port'],
          messageId: 'probeNotListening',
          ...(strong ? {} : { severity: 'warning' as const }),
          data: { probe, container: code(c.name), workload: where(t), port: String(port), evidence: springWords(v.evidence), listen: listens.join(' and '), hedge: '', effect: EFFECT[probe] },
          related: [{ object: t.owner, path: [...c.path, ...v.evidence.path], message: `where ${c.name} is told to listen on ${v.server}` }],
        });
        continue;
      }
    }
    const path = typeof h.path === 'string' ? h.path.replace(/\?.*$/, '') : undefined;
    const m = v.managementEvidence;
    if (handler !== 'httpGet' || !m || v.actuator === undefined || port === v.management || path === undefined) continue;
    if (path !== v.actuator && !path.startsWith(`${v.actuator.replace(/\/$/, '')}/`)) continue;
    ctx.report({
      object: t.owner,
      path: [...c.path, probe, handler, 'port'],
      messageId: 'probeActuatorPort',
      ...(m.kind === 'config' && !m.assumed ? {} : { severity: 'warning' as const }),
      data: { probe, container: code(c.name), workload: where(t), path: code(path), port: String(port), evidence: springWords(m), management: String(v.management), effect: EFFECT[probe] },
      related: [{ object: t.owner, path: [...c.path, ...m.path], message: `where ${c.name} gives the actuator port ${v.management}` }],
    });
  }
}

/** A literal value of the container's environment, and the index of its entry. */
function envEntry(raw: Record<string, unknown>, names: readonly string[]): { name: string; value: string; at: number } | undefined {
  const list = Array.isArray(raw.env) ? raw.env : [];
  for (let i = list.length - 1; i >= 0; i--) {
    const e = list[i];
    if (isRecord(e) && typeof e.name === 'string' && names.includes(e.name) && typeof e.value === 'string' && e.valueFrom === undefined) return { name: e.name, value: e.value, at: i };
  }
  return undefined;
}

const springPort = (s: SpringSetting | undefined): number | undefined => (s && s.from !== 'default' && /^\d{1,5}$/.test(s.value.trim()) ? Number(s.value.trim()) : undefined);

/**
 * HTTP probes of a Spring Boot container asked of a path outside its servlet context path
 * (`server.servlet.context-path: /api`): the servlet container serves nothing outside it, the
 * actuator too when it shares the server's port (its base path is relative to the context path;
 * Spring Boot's "Customizing the Management Endpoint Paths"), so the probe gets 404.
 */
function checkSpringContextPath(ctx: Parameters<Rule['check']>[0], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): void {
  if (!isRecord(raw.readinessProbe) && !isRecord(raw.livenessProbe) && !isRecord(raw.startupProbe)) return;
  const s = maySpring(raw) ? springConfig(ctx.graph, t, raw) : undefined;
  let context: { value: string; words: string; path: Path; strong: boolean } | undefined;
  let server: number | undefined;
  let management: number | undefined;
  let serverStrong = false;
  if (s) {
    // Where the actuator is, when an unseen configuration file may give it a port of its own, is not known.
    if (!s.contextPath || s.managementUnknown) return;
    const cp = s.contextPath;
    const file = cp.from === 'file' && cp.file?.at !== undefined;
    const env = cp.from === 'env' ? envEntry(raw, [...new Set([cp.text.replace(/^env (\w+)=.*$/s, '$1')])]) : undefined;
    const words = cp.from === 'file' && cp.file ? `${code(`server.servlet.context-path: ${cp.value}`)} in ${cp.file.source}${s.assumed ? `, which Spring Boot reads if the image's working directory is ${code(s.assumed)}` : ''}` : code(cp.text);
    context = { value: cp.value, words, path: file ? ['volumeMounts', cp.file!.at!] : env ? ['env', env.at, 'value'] : [], strong: file && !s.assumed };
    server = springPort(s.port);
    serverStrong = server !== undefined && s.port!.from === 'file' && !s.assumed;
    management = springPort(s.management);
  } else {
    // No configuration files of the run: the environment alone, which Spring Boot reads over the image's files.
    const e = envEntry(raw, ['SERVER_SERVLET_CONTEXT_PATH', 'SERVER_SERVLET_CONTEXTPATH']);
    if (!e) return;
    context = { value: e.value, words: code(`${e.name}=${e.value}`), path: ['env', e.at, 'value'], strong: false };
    const sp = envEntry(raw, ['SERVER_PORT']);
    server = sp && /^\d{1,5}$/.test(sp.value) ? Number(sp.value) : undefined;
    const mp = envEntry(raw, ['MANAGEMENT_SERVER_PORT']);
    management = mp && /^\d{1,5}$/.test(mp.value) ? Number(mp.value) : undefined;
  }
  const prefix = context.value.trim().replace(/\/+$/, '');
  // `/` is the root; a value without a leading slash stops Spring Boot from starting (another story).
  if (prefix === '' || !prefix.startsWith('/') || /[$*{]/.test(prefix)) return;
  for (const { probe, handler, h, port } of probeHandlers(c, raw)) {
    if (handler !== 'httpGet' || h.host !== undefined || port === undefined || typeof h.path !== 'string') continue;
    const path = `/${h.path.replace(/\?.*$/, '').replace(/^\/+/, '')}`;
    if (path === prefix || path.startsWith(`${prefix}/`) || /[$]/.test(path)) continue;
    // The actuator on a port of its own is not below the server's context path.
    if (management !== undefined && management !== server && port === management) continue;
    // Another container of the pod may serve that port.
    if (t.containers.some((o) => o !== c && o.ports.some((p) => p.containerPort === port))) continue;
    const onServer = server !== undefined ? port === server : c.ports.some((p) => p.containerPort === port) || port === 8080;
    if (!onServer) continue;
    const strong = context.strong && serverStrong && port === server;
    ctx.report({
      object: t.owner,
      path: [...c.path, probe, handler, 'path'],
      messageId: 'probeContextPath',
      ...(strong ? {} : { severity: 'warning' as const }),
      data: { probe, container: code(c.name), workload: where(t), path: code(h.path), port: String(port), evidence: `Spring Boot configuration (${context.words})`, context: code(prefix), fixed: code(`${prefix}${path}`), hedge: strong ? '' : ' (a servlet application; the actuator too unless the image gives it a port of its own)', effect: EFFECT[probe] },
      related: context.path.length ? [{ object: t.owner, path: [...c.path, ...context.path], message: `where ${c.name} is given the context path ${prefix}` }] : [],
    });
  }
}

/**
 * A container's command and args as words with where each is, and the last value of a Go-style
 * flag among them (`--web.listen-address=:9090`, `-web.listen-address :9090`).
 */
function commandFlags(raw: Record<string, unknown>): { words: { w: string; at: Path }[]; flag: (name: string) => { value: string; at: Path } | undefined } {
  const words: { w: string; at: Path }[] = [];
  for (const key of ['command', 'args'] as const) {
    const list = raw[key];
    if (Array.isArray(list)) list.forEach((w, i) => { if (typeof w === 'string') words.push({ w, at: [key, i] }); });
  }
  const flag = (name: string): { value: string; at: Path } | undefined => {
    let out: { value: string; at: Path } | undefined;
    words.forEach((x, i) => {
      const m = new RegExp(`^--?${name.replace(/\./g, '\\.')}(?:=(.*))?$`, 's').exec(x.w);
      if (!m) return;
      if (m[1] !== undefined) out = { value: m[1], at: x.at };
      else if (words[i + 1]) out = { value: words[i + 1]!.w, at: words[i + 1]!.at };
    });
    return out;
  };
  return { words, flag };
}

/** Prometheus and Alertmanager images, by their repository's last two parts. */
const ROUTE_PREFIX_IMAGE = /(?:^|\/)(?:prom|prometheus)\/(prometheus|alertmanager)(?::|@|$)/;

/**
 * The route prefix of a Prometheus or Alertmanager container: `--web.route-prefix`, which
 * defaults to the path of `--web.external-url` ("If the URL has a path portion, it will be used to
 * prefix all HTTP endpoints"). Only `/` redirects to the prefix; other paths outside it answer 404.
 */
function routePrefix(raw: Record<string, unknown>): { prefix: string; text: string; at: Path; program: string; port: number } | undefined {
  const image = typeof raw.image === 'string' ? ROUTE_PREFIX_IMAGE.exec(raw.image) : null;
  if (!image) return undefined;
  const command = Array.isArray(raw.command) ? raw.command : undefined;
  // A command of its own is the program only when it is that binary.
  if (command && !(command.length && typeof command[0] === 'string' && /(^|\/)(prometheus|alertmanager)$/.test(command[0]))) return undefined;
  const { words, flag } = commandFlags(raw);
  if (words.some((x) => /\$\(|\$\{/.test(x.w))) return undefined;
  const program = image[1] === 'alertmanager' ? 'Alertmanager' : 'Prometheus';
  const listen = flag('web.listen-address');
  const lm = listen ? /:(\d{1,5})$/.exec(listen.value) : null;
  if (listen && !lm) return undefined;
  const port = lm ? Number(lm[1]) : program === 'Alertmanager' ? 9093 : 9090;
  const route = flag('web.route-prefix');
  if (route) return { prefix: route.value, text: `--web.route-prefix=${route.value}`, at: route.at, program, port };
  const external = flag('web.external-url');
  if (!external) return undefined;
  let pathPart: string;
  try {
    pathPart = new URL(external.value).pathname;
  } catch {
    return undefined;
  }
  return { prefix: pathPart, text: `--web.external-url=${external.value}`, at: external.at, program, port };
}

/** HTTP probes of Prometheus or Alertmanager outside their route prefix: 404. */
function checkRoutePrefix(ctx: Parameters<Rule['check']>[0], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): void {
  const r = routePrefix(raw);
  if (!r) return;
  const prefix = `/${r.prefix.trim().replace(/^\/+|\/+$/g, '')}`;
  if (prefix === '/' || /[$*{]/.test(prefix)) return;
  for (const { probe, handler, h, port } of probeHandlers(c, raw)) {
    if (handler !== 'httpGet' || h.host !== undefined || port !== r.port || typeof h.path !== 'string') continue;
    const path = `/${h.path.replace(/\?.*$/, '').replace(/^\/+/, '')}`;
    // `/` is redirected to the prefix, and the kubelet follows the redirect.
    if (path === '/' || path === prefix || path.startsWith(`${prefix}/`) || path.includes('$')) continue;
    ctx.report({
      object: t.owner,
      path: [...c.path, probe, handler, 'path'],
      messageId: 'probeContextPath',
      data: { probe, container: code(c.name), workload: where(t), path: code(h.path), port: String(port), evidence: `${r.program} command line (${code(r.text)})`, context: code(prefix), fixed: code(`${prefix}${path}`), hedge: '', effect: EFFECT[probe] },
      related: [{ object: t.owner, path: [...c.path, ...r.at], message: `where ${c.name} is given the route prefix ${prefix}` }],
    });
  }
}

/** Images of servers built on the Prometheus exporter toolkit, with their default web port. */
const WEB_CONFIG_IMAGES: [RegExp, number][] = [
  [/(?:^|\/)(?:prom|prometheus)\/prometheus(?::|@|$)/, 9090],
  [/(?:^|\/)(?:prom|prometheus)\/alertmanager(?::|@|$)/, 9093],
  [/(?:^|\/)(?:prom|prometheus)\/node-exporter(?::|@|$)/, 9100],
  [/(?:^|\/)(?:prom|prometheus)\/pushgateway(?::|@|$)/, 9091],
  [/(?:^|\/)(?:prom|prometheus)\/blackbox-exporter(?::|@|$)/, 9115],
];

/**
 * `--web.config.file` of a Prometheus server or exporter (the exporter toolkit): `basic_auth_users`
 * puts every path behind HTTP basic authentication, the health endpoints included, and
 * `tls_server_config` makes the port speak TLS. The kubelet's probe sends no credentials (unless
 * it sets an Authorization header) and plain HTTP unless `scheme: HTTPS`: 401, or a failed
 * request, every time.
 */
function checkWebConfig(ctx: Parameters<Rule['check']>[0], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): void {
  const image = typeof raw.image === 'string' ? WEB_CONFIG_IMAGES.find(([re]) => re.test(raw.image as string)) : undefined;
  if (!image) return;
  const { flag } = commandFlags(raw);
  const file = flag('web.config.file');
  if (!file || /\$/.test(file.value)) return;
  const listen = flag('web.listen-address');
  const lm = listen ? /:(\d{1,5})$/.exec(listen.value) : null;
  if (listen && !lm) return;
  const port = lm ? Number(lm[1]) : image[1];
  const mounted = mountedFiles(ctx.graph, t, raw).find((f) => f.path === file.value);
  if (!mounted) return;
  let config: unknown;
  try {
    config = parseQuiet(mounted.text);
  } catch {
    return;
  }
  if (!isRecord(config)) return;
  const users = isRecord(config.basic_auth_users) && Object.keys(config.basic_auth_users).length > 0;
  const tls = isRecord(config.tls_server_config) && (typeof config.tls_server_config.cert_file === 'string' || typeof config.tls_server_config.cert === 'string');
  if (!users && !tls) return;
  for (const { probe, handler, h, port: p } of probeHandlers(c, raw)) {
    if (handler !== 'httpGet' || p !== port || h.host !== undefined) continue;
    const https = typeof h.scheme === 'string' && h.scheme.toUpperCase() === 'HTTPS';
    const auth = Array.isArray(h.httpHeaders) && h.httpHeaders.some((x) => isRecord(x) && typeof x.name === 'string' && x.name.toLowerCase() === 'authorization');
    const why = tls && !https ? '`tls_server_config` makes the port speak TLS, and the probe asks over plain HTTP' : users && !auth ? '`basic_auth_users` puts every path behind HTTP basic authentication, health endpoints included, and the probe sends no Authorization header: the server answers 401' : undefined;
    if (!why) continue;
    ctx.report({
      object: t.owner,
      path: [...c.path, probe, handler],
      messageId: 'probeWebConfig',
      data: { probe, container: code(c.name), workload: where(t), port: String(port), file: code(file.value), source: mounted.source, why, effect: EFFECT[probe] },
      related: [{ object: t.owner, path: [...c.path, ...file.at], message: `where ${c.name} is given its web configuration` }],
      remediation: tls && !https ? 'Set `scheme: HTTPS` on the probe.' : 'Give the probe an `Authorization: Basic …` header (httpHeaders), or probe with an exec command that authenticates; the exporter toolkit exempts no path.',
    });
  }
}

/**
 * A Knative Service (or Configuration) sends requests, and its default readiness probe, to the
 * user container's port: its first `containerPort`, 8080 when it declares none, which it also
 * passes as `PORT` (Knative's getUserPort). An image that listens elsewhere as it comes and reads
 * no `PORT` (nginx on 80) never gets a ready revision.
 */
function checkKnative(ctx: Parameters<Rule['check']>[0]): void {
  for (const o of ctx.graph.objects) {
    if ((o.kind !== 'Service' && o.kind !== 'Configuration') || !/^serving\.knative\.dev\//.test(o.apiVersion)) continue;
    const containers = getIn(o.body, ['spec', 'template', 'spec', 'containers']);
    if (!Array.isArray(containers) || containers.length === 0) continue;
    // The user container: the one that declares ports, or the only one.
    const withPorts = containers.map((c, i) => ({ c, i })).filter((x) => isRecord(x.c) && Array.isArray(x.c.ports) && x.c.ports.length > 0);
    const pick = withPorts.length === 1 ? withPorts[0]! : containers.length === 1 ? { c: containers[0], i: 0 } : undefined;
    if (!pick || !isRecord(pick.c) || typeof pick.c.image !== 'string') continue;
    const raw = pick.c;
    const first = Array.isArray(raw.ports) && isRecord(raw.ports[0]) ? raw.ports[0].containerPort : undefined;
    if (first !== undefined && typeof first !== 'number') continue;
    const port = first ?? 8080;
    const path = ['spec', 'template', 'spec', 'containers', pick.i];
    const info = { name: typeof raw.name === 'string' ? raw.name : `#${pick.i}`, sidecar: false, image: raw.image as string, path, ports: [] };
    const known = knownListens(info, raw);
    if (!known || known.ports.includes(port) || known.evidence.kind !== 'image') continue;
    ctx.report({
      object: o,
      path: first !== undefined ? [...path, 'ports', 0, 'containerPort'] : [...path, 'image'],
      messageId: 'knativePort',
      severity: 'warning',
      data: { port: String(port), how: first !== undefined ? 'its first containerPort' : 'it declares no containerPort, so 8080', image: code(raw.image as string), listen: known.ports.join(' and ') },
    });
  }
}

/** HTTP probes of a Grafana container whose configuration makes it serve HTTPS (`protocol = https` or `h2`): the server answers a plain request with 400. */
function checkGrafanaTls(ctx: Parameters<Rule['check']>[0], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): void {
  const tls = grafanaTls(ctx.graph, t, raw);
  if (!tls) return;
  for (const { probe, handler, h, port } of probeHandlers(c, raw)) {
    if (handler !== 'httpGet' || h.host !== undefined || port !== tls.port) continue;
    if (typeof h.scheme === 'string' && h.scheme.toUpperCase() === 'HTTPS') continue;
    ctx.report({
      object: t.owner,
      path: [...c.path, probe, handler, ...(h.scheme === undefined ? ['port'] : ['scheme'])],
      messageId: 'probePlainToTls',
      ...(tls.source ? {} : { severity: 'warning' as const }),
      data: { probe, container: code(c.name), workload: where(t), port: String(port), evidence: `Grafana configuration (${code(tls.text)}${tls.source ? ` in ${tls.source}` : ''})`, effect: EFFECT[probe] },
      related: tls.path.length ? [{ object: t.owner, path: [...c.path, ...tls.path], message: `where ${c.name} is told to serve ${tls.protocol}` }] : [],
    });
  }
}

/** PostgreSQL's settings that keep it on loopback only. */
function pgLoopback(graph: Parameters<Rule['check']>[0]['graph'], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined {
  const pg = postgresConfig(graph, t, c, raw);
  if (!pg || pg.addresses.length === 0 || !pg.addresses.every(isLoopbackHost)) return undefined;
  return { address: pg.addresses[0]!, port: pg.port, text: pg.text, ...(pg.source ? { source: pg.source } : {}), path: pg.path, kind: pg.kind, program: 'PostgreSQL' };
}

/** Probes that dial the pod's IP on a port the container binds on loopback only. */
function checkProbeLoopback(ctx: Parameters<Rule['check']>[0], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): void {
  // A probe with its own host is probe-port-undeclared's.
  const probes = [...probeHandlers(c, raw)].filter((x) => x.h.host === undefined && x.port !== undefined);
  if (probes.length === 0) return;
  const flags = loopbackFlags(raw);
  const redis = redisConfig(ctx.graph, t, raw);
  const own: Omit<LoopbackBind, 'container'> | undefined = redis?.binds?.every(isLoopbackHost)
    ? { address: redis.binds[0]!, port: redis.port, text: redis.bindText!, source: `ConfigMap ${redis.configMap}, key ${redis.key}`, path: ['volumeMounts', redis.at], kind: 'config', program: 'redis-server' }
    : pgLoopback(ctx.graph, t, c, raw) ?? springLoopback(ctx.graph, t, raw) ?? elasticsearchLoopback(ctx.graph, t, raw) ?? mysqlLoopback(ctx.graph, t, raw) ?? apacheLoopback(ctx.graph, t, raw) ?? grafanaLoopback(ctx.graph, t, raw) ?? containerLoopback(c, raw);
  // The servers' own files, asked for each probe's port (a gunicorn.conf.py's bind, Envoy's admin address…).
  // Most of them read a mounted file; Jaeger's, its image: a container with neither is not asked.
  const mayRead = (Array.isArray(raw.volumeMounts) && raw.volumeMounts.length > 0) || (typeof raw.image === 'string' && raw.image.includes('jaegertracing/'));
  const byFile = (port: number) => {
    if (!mayRead) return undefined;
    for (const read of FILE_READERS) {
      const b = read(ctx.graph, t, raw, port);
      if (b && b.port === port) return b;
    }
    return undefined;
  };
  for (const { probe, handler, port } of probes) {
    const f = flags.find((x) => x.port === port);
    const b: Omit<LoopbackBind, 'container'> | undefined = f ? { address: f.host, port: f.port, text: f.text, path: f.path, kind: 'flag' } : own && own.port === port ? own : byFile(port!);
    if (!b) continue;
    const w = loopbackWords(b);
    ctx.report({
      object: t.owner,
      path: [...c.path, probe, handler, 'port'],
      messageId: 'probeLoopback',
      ...(w.severity ? { severity: w.severity } : {}),
      data: { probe, container: code(c.name), workload: where(t), port: String(port), evidence: w.evidence, address: hostPort(b), why: w.why, effect: EFFECT[probe] },
      related: [{ object: t.owner, path: [...c.path, ...b.path], message: `where ${c.name} is bound to ${hostPort(b)}` }],
    });
  }
}

/**
 * A server that refuses every client from another pod by a configuration file of the run:
 * Redis in protected mode without a password for the default user, PostgreSQL whose
 * pg_hba.conf admits loopback clients only.
 */
function refusingServer(graph: Parameters<Rule['check']>[0]['graph'], t: Template, c: Template['containers'][number], raw: Record<string, unknown>): { port: number; at: number; file: string; messageId: string; data: Record<string, string>; remediation: string } | undefined {
  const rp = redisProtected(graph, t, raw);
  if (rp) {
    return {
      port: rp.port, at: rp.at, file: 'redis.conf', messageId: 'redisProtected',
      data: { text: code(rp.text), source: `ConfigMap ${rp.configMap}, key ${rp.key}` },
      remediation: 'Set a password (`requirepass`, or a `user default` with one) that the clients use, or `protected-mode no` where the network is trusted (a NetworkPolicy limits who connects).',
    };
  }
  const hba = postgresHbaLocalOnly(graph, t, c, raw);
  if (hba) {
    return {
      port: hba.port, at: hba.at, file: 'pg_hba.conf', messageId: 'pgHbaLocalOnly',
      data: { file: code(hba.file), source: `ConfigMap ${hba.configMap}, key ${hba.key}` },
      remediation: 'Add a `host` record for the pods\' network (`host all all 0.0.0.0/0 scram-sha-256`, or the cluster\'s pod CIDR) to pg_hba.conf.',
    };
  }
  return undefined;
}

/**
 * A standby's `pg_basebackup` from a Service whose PostgreSQL reads a pg_hba.conf of the run
 * with no record that admits a replication connection from another pod (the keyword
 * `replication` for a network other than loopback): the server answers "no pg_hba.conf entry
 * for replication connection", and the standby never gets its copy.
 */
function checkReplication(ctx: Parameters<Rule['check']>[0]): void {
  const { graph, report } = ctx;
  for (const t of graph.templates) {
    // Init containers too: a standby's copy is most often its init container's work.
    for (const { field, index, c: raw } of containersOf(t)) {
      if (!(JSON.stringify(raw.command ?? '').includes('pg_basebackup') || JSON.stringify(raw.args ?? '').includes('pg_basebackup'))) continue;
      const c = { name: typeof raw.name === 'string' ? raw.name : '?', path: [...t.path, 'spec', field, index] as Path };
      for (const src of pgBasebackupSources(raw)) {
        const r = resolveHost(graph, src.host, t.namespace);
        const svc = r.kind === 'service' || r.kind === 'pod' ? r.service : undefined;
        const sp = svc?.mode === 'selector' ? svc.ports.find((p) => p.port === src.port) : undefined;
        const backends = (sp?.resolutions ?? []).filter((x) => x.container && x.targetPort !== undefined && x.template !== t);
        if (!svc || backends.length === 0) continue;
        const hbas = backends.map((x) => {
          const braw = getIn(x.template.owner.body, x.container!.path);
          const hba = isRecord(braw) ? postgresHba(graph, x.template, x.container!, braw) : undefined;
          return hba && hba.port === x.targetPort && pgHbaAdmitsReplication(hba.text) === false ? { x, hba } : undefined;
        });
        if (hbas.some((h) => h === undefined)) continue;
        const { x, hba } = hbas[0]!;
        report({
          object: t.owner,
          path: [...c.path, ...src.path],
          messageId: 'pgHbaNoReplication',
          text: src.host,
          data: { container: code(c.name), workload: where(t), host: code(`${src.host}:${src.port}`), server: code(x.container!.name), primary: where(x.template), file: code(hba!.file), source: `ConfigMap ${hba!.configMap}, key ${hba!.key}` },
          related: [{ object: x.template.owner, path: [...x.container!.path, 'volumeMounts', hba!.at], message: `where ${x.container!.name} mounts its pg_hba.conf` }],
          remediation: 'Add a record for replication from the pods\' network to the primary\'s pg_hba.conf (`host replication <user> 0.0.0.0/0 scram-sha-256`, or the cluster\'s pod CIDR): `all` does not match replication connections.',
        });
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'target-port-not-listening',
    description: 'A Service targetPort (or an InferencePool\'s target port), or a probe port, that is not the port the container\'s own command line (`--port=9090`, `--listen-address=:9090`, `-Dserver.port`), environment (`PORT`, `SERVER_PORT`, `ASPNETCORE_URLS`) or mounted configuration (nginx, Apache, Redis, PostgreSQL, MySQL, HAProxy, Elasticsearch, Spring Boot\'s `application.yml`) makes its server listen on, or that its server binds on loopback only (`--host 127.0.0.1`, `server.address: 127.0.0.1`, uvicorn\'s or gunicorn\'s default): connections are refused, probes fail.',
    category: 'port',
    severity: 'error',
    messages: {
      probeNotListening: '{{probe}} of container {{container}} in {{workload}} checks port {{port}}, but the container\'s {{evidence}} makes its server listen on {{listen}}{{hedge}}; the probe fails and {{effect}}',
      probePlainToTls: '{{probe}} of container {{container}} in {{workload}} asks port {{port}} over plain HTTP (no `scheme: HTTPS`), but its {{evidence}} makes the server speak TLS there: it answers 400, the probe fails and {{effect}}; set `scheme: HTTPS`',
      knativePort: 'this Knative revision gets its requests and its readiness probe on port {{port}} ({{how}}), which Knative also sets as `PORT`, but {{image}} listens on {{listen}} as it comes and reads no `PORT`: the revision never becomes ready; set `containerPort: {{listen}}`',
      probeWebConfig: '{{probe}} of container {{container}} in {{workload}} asks port {{port}}, but {{why}} (web configuration {{file}}, from {{source}}); the probe fails and {{effect}}',
      probeContextPath: '{{probe}} of container {{container}} in {{workload}} asks for {{path}} on port {{port}}, but its {{evidence}} puts every path of the server below {{context}}{{hedge}}, and the server answers 404 elsewhere; probe {{fixed}}; the probe fails and {{effect}}',
      probeActuatorPort: '{{probe}} of container {{container}} in {{workload}} asks for {{path}} on port {{port}}, but its {{evidence}} gives the actuator a port of its own, {{management}}, and only that port serves it (the server\'s port answers 404); the probe fails and {{effect}}',
      pgHbaNoReplication: 'container {{container}} of {{workload}} copies its data from {{host}} with pg_basebackup, a replication connection, but the PostgreSQL there (container {{server}} of {{primary}}) reads its client authentication from {{file}} ({{source}}), where no record for another host names `replication` (`all` does not match replication connections): it answers "no pg_hba.conf entry for replication connection", and the standby never gets its copy',
      pgHbaLocalOnly: 'targetPort {{target}} reaches container {{container}} of {{workload}}, whose PostgreSQL reads its client authentication from {{file}} ({{source}}), where every record for TCP connections is for a loopback address or rejects: it denies every connection from another pod ("no pg_hba.conf entry for host"), whatever the password, so the Service\'s clients are turned away (a probe or client inside the pod still connects)',
      redisProtected: 'targetPort {{target}} reaches container {{container}} of {{workload}}, whose Redis runs in protected mode ({{text}} in {{source}}) with no password for the default user: it answers every connection that does not come from inside the pod with "DENIED Redis is running in protected mode", so the Service\'s clients are turned away (a probe run inside the pod still passes)',
      loopback: 'targetPort {{target}} reaches container {{container}} of {{workload}}, but {{evidence}} makes the server listen on {{address}} only{{why}}; the Service\'s connections arrive at the pod\'s IP and are refused (kubectl port-forward still works, as it connects from inside the pod)',
      advertisesLoopback: 'targetPort {{target}} reaches Kafka container {{container}} of {{workload}}, which advertises {{listener}} ({{text}}): a client that bootstraps through Service {{service}} is then told to connect to its own loopback and fails; advertise the Service\'s or the pod\'s DNS name',
      proxyFiltersHosts: 'targetPort {{target}} reaches container {{container}} of {{workload}}, which runs kubectl proxy ({{text}}) with its default --accept-hosts (localhost, 127.0.0.1, [::1]): it answers 403 Forbidden to every request that names the Service or the pod; add --accept-hosts=\'^.*$\' (or the Service\'s names)',
      probeLoopback: '{{probe}} of container {{container}} in {{workload}} dials the pod\'s IP on port {{port}}, but {{evidence}} makes the server listen on {{address}} only{{why}}; the probe fails and {{effect}}',
      ipv4Only: 'targetPort {{target}} reaches container {{container}} of {{workload}}, but {{evidence}} makes the server listen on 0.0.0.0, IPv4 only, and Service {{service}} is IPv6 single-stack (`ipFamilies: [IPv6]`): its connections arrive at the pods\' IPv6 addresses and are refused',
      notListening: 'targetPort {{target}} reaches container {{container}} of {{workload}}, but its {{evidence}} makes the server listen on {{listen}}{{declared}}; connections to {{target}} are refused{{hint}}',
    },
    remediation: 'Point targetPort (and the containerPort) at the port the server listens on, or change the flag or variable to the targetPort; a server bound to 127.0.0.1 or localhost must bind 0.0.0.0 (`--host 0.0.0.0`, `--bind 0.0.0.0:8000`) to be reached through a Service; a probe asks for a path below the server\'s context path.',
  },
  check(ctx) {
    const { graph, report } = ctx;
    checkProbes(ctx);
    checkKnative(ctx);
    checkReplication(ctx);
    // What a port's resolutions (shared by the Services of one selector) tell, judged once for each:
    // N Services over the same N templates cost N, not N².
    const telling = new Map<readonly unknown[], boolean>();
    const own = new Map<readonly unknown[], Map<string, PortResolution[][]>>();
    for (const svc of graph.services) {
      if (svc.mode !== 'selector') continue;
      for (const sp of svc.ports) {
        if (!perList(telling, sp.resolutions, () => sp.resolutions.some((r) => mayTellListener(r) || mayBindLoopback(r)))) continue;
        // A run of many projects shares namespaces: only a Service whose selector picks one workload
        // of its own folder tree is judged (several are independent examples, or a canary and its app).
        const byFolder = perList(own, sp.resolutions, () => new Map<string, PortResolution[][]>());
        const folder = svc.object.origin ? absoluteFolder(svc.object.origin.file.path) : '';
        let groups = byFolder.get(folder);
        if (!groups) {
          const mine = byWorkload(sp.resolutions).filter((g) => sameTree(svc.object, g[0]!.template.owner));
          // Live, each pod is its own template: its workload (the Deployment of its ReplicaSet) is what counts.
          const owners = new Set(mine.map((g) => (graph.settings.live ? workloadOf(graph, g[0]!.template.owner) ?? g[0]!.template.owner.name : g[0]!.template.id)));
          byFolder.set(folder, (groups = owners.size === 1 ? mine.slice(0, 1) : []));
        }
        for (const group of groups) {
          const r = group[0]!;
          const t = r.template;
          const n = notListening(r, graph);
          if (!n) {
            const b = loopbackListener(r, graph) ?? nginxLoopback(r, graph) ?? fileLoopback(r, graph);
            // A Kafka broker that tells its clients to reconnect to a loopback address.
            const kc = servingContainer(r);
            const kraw = kc ? getIn(t.owner.body, kc.path) : undefined;
            const adv = !b && kc && isRecord(kraw) ? kafkaListeners(kraw, 'advertised') : undefined;
            // The listener the target port is: named by `listeners` where they are written (a
            // controller listener is never advertised), else the advertised one on that port,
            // else the only one advertised.
            const bound = adv && isRecord(kraw) ? kafkaListeners(kraw, 'listeners')?.find((l) => l.port === r.targetPort) : undefined;
            const own = bound ? adv?.find((l) => l.name === bound.name) : adv?.find((l) => l.port === r.targetPort) ?? (adv && adv.length === 1 ? adv[0] : undefined);
            if (kc && own && isLoopbackHost(own.host)) {
              report({
                object: svc.object,
                path: sp.targetPath,
                messageId: 'advertisesLoopback',
                severity: 'warning',
                data: { target: String(r.targetPort), container: code(kc.name), workload: where(t), text: code(own.text), listener: code(`${own.name}://${own.host}:${own.port}`), service: code(svc.object.name) },
                related: [{ object: t.owner, path: [...kc.path, ...own.path], message: `where ${kc.name} advertises ${own.host}:${own.port}` }],
              });
              continue;
            }
            // An IPv6 single-stack Service's endpoints are the pods' IPv6 addresses: a server on 0.0.0.0 refuses them.
            const v4 = !b && ipv6Only(svc.object) ? nginxIPv4Only(r, graph) ?? ipv4OnlyListener(r) : undefined;
            if (v4) {
              report({
                object: svc.object,
                path: sp.targetPath,
                messageId: 'ipv4Only',
                ...(v4.kind === 'env' ? { severity: 'warning' as const } : {}),
                remediation: v4.program === 'nginx' ? `Add \`listen [::]:${r.targetPort};\` beside \`listen ${r.targetPort};\` (or make the Service dual-stack).` : 'Bind the IPv6 wildcard `::` (`--host ::`, `--bind [::]:<port>`), which takes IPv6 connections (and IPv4 ones where the system maps them), or make the Service dual-stack.',
                data: { target: String(r.targetPort), container: code(v4.container.name), workload: where(t), evidence: loopbackWords(v4).evidence, service: code(svc.object.name) },
                related: [{ object: t.owner, path: [...v4.container.path, ...v4.path], message: `where ${v4.container.name} is bound to ${v4.text}` }],
              });
              continue;
            }
            if (!b) {
              const c = r.container ?? (t.containers.length === 1 ? t.containers[0] : undefined);
              const raw = c ? getIn(t.owner.body, c.path) : undefined;
              const f = c && isRecord(raw) ? proxyFiltersHosts(raw) : undefined;
              // A server whose configuration file from the run turns away every client from another pod.
              const refused = c && isRecord(raw) ? refusingServer(graph, t, c, raw) : undefined;
              if (c && refused && refused.port === r.targetPort) {
                report({
                  object: svc.object,
                  path: sp.targetPath,
                  messageId: refused.messageId,
                  data: { target: String(r.targetPort), container: code(c.name), workload: where(t), ...refused.data },
                  related: [{ object: t.owner, path: [...c.path, 'volumeMounts', refused.at], message: `where ${c.name} mounts its ${refused.file}` }],
                  remediation: refused.remediation,
                });
                continue;
              }
              if (c && f && f.port === r.targetPort) {
                report({
                  object: svc.object,
                  path: sp.targetPath,
                  messageId: 'proxyFiltersHosts',
                  severity: 'warning',
                  data: { target: String(r.targetPort), container: code(c.name), workload: where(t), text: code(f.text) },
                  related: [{ object: t.owner, path: [...c.path, ...f.path], message: `where ${c.name} runs kubectl proxy without --accept-hosts` }],
                });
              }
              continue;
            }
            const w = loopbackWords(b);
            report({
              object: svc.object,
              path: sp.targetPath,
              messageId: 'loopback',
              ...(w.severity ? { severity: w.severity } : {}),
              data: { target: String(r.targetPort), container: code(b.container.name), workload: where(t), evidence: w.evidence, address: hostPort(b), why: w.why },
              related: [{ object: t.owner, path: [...b.container.path, ...b.path], message: `where ${b.container.name} is bound to ${hostPort(b)}` }],
            });
            continue;
          }
          // Another port of this Service reaches the port the flag sets: this one is likely a
          // second listener (stats, metrics) that the command line does not show.
          // (Not where the evidence names every listener: an HAProxy configuration's `bind` lines.)
          const sibling = n.complete ? undefined : svc.ports.find((o) => o !== sp && o.resolutions.some((x) => x.template === t && x.targetPort !== undefined && n.listens.includes(x.targetPort)));
          reportNotListening(report, { object: svc.object, path: sp.targetPath }, t, n, sibling ? `; port ${code(sibling.name ?? String(sibling.port ?? '?'))} of this Service reaches ${sibling.resolutions.find((x) => x.template === t)!.targetPort}, so this one may be a second listener (stats, metrics) that the ${n.evidence.kind === 'flag' ? 'command line' : 'configuration'} does not show` : undefined);
        }
      }
    }
    // An InferencePool's target ports reach its model servers as a Service's targetPort reaches its pods.
    for (const pool of inferencePools(graph)) {
      const entries = Object.entries(pool.selector);
      if (entries.length === 0) continue;
      const templates = graph.templatesIn(pool.object.namespace).filter((t) => entries.every(([k, v]) => t.labels[k] === v) && sameTree(pool.object, t.owner));
      // One workload of the pool's own folder tree, as for Services.
      if (new Set(templates.map((t) => t.id)).size !== 1) continue;
      for (const tp of pool.targetPorts) {
        const r = findPort(templates[0]!, { kind: 'number', value: tp.number, defaulted: false }, 'TCP');
        if (!mayTellListener(r) && !mayBindLoopback(r)) continue;
        const at = { object: pool.object, path: tp.path };
        const n = notListening(r, graph);
        if (n) {
          reportNotListening(report, at, r.template, n);
          continue;
        }
        const b = loopbackListener(r, graph) ?? nginxLoopback(r, graph) ?? servingLoopback(r, graph, springLoopback);
        if (!b) continue;
        const w = loopbackWords(b);
        report({
          ...at,
          messageId: 'loopback',
          ...(w.severity ? { severity: w.severity } : {}),
          data: { target: String(tp.number), container: code(b.container.name), workload: where(r.template), evidence: w.evidence, address: hostPort(b), why: w.why },
          related: [{ object: r.template.owner, path: [...b.container.path, ...b.path], message: `where ${b.container.name} is bound to ${hostPort(b)}` }],
        });
      }
    }
  },
};

/** A targetPort (of a Service or an InferencePool) whose container is told to listen on another port. */
function reportNotListening(report: RuleContext['report'], at: { object: K8sObject; path: Path }, t: PodTemplate, n: NonNullable<ReturnType<typeof notListening>>, sibling?: string): void {
  const { container: c, target, listens, evidence: e, declaresTarget, declaresListen } = n;
  // The manifest contradicts itself when the container also declares the target: which is right is not proven.
  // An image's default port is a convention of the image, not something the manifest says: a warning at most.
  const strong = (e.kind === 'flag' || e.kind === 'config' || (e.kind === 'env' && e.program !== undefined)) && e.assumed === undefined;
  const severity: Severity | undefined = sibling ? 'info' : e.kind === 'image' || e.kind === 'default' ? 'warning' : declaresTarget ? (strong ? 'warning' : 'info') : strong ? undefined : 'warning';
  report({
    ...at,
    messageId: 'notListening',
    ...(severity ? { severity } : {}),
    data: {
      target: String(target),
      container: code(c.name),
      workload: where(t),
      evidence: e.kind === 'flag' ? `command line (${code(e.text)})` : e.kind === 'config' ? `${e.program ?? 'server'} configuration (${code(e.text)}${e.assumed ? `, which ${e.program ?? 'the server'} reads if the image's working directory is ${code(e.assumed)}` : ''})` : e.kind === 'image' ? `image ${code(e.text)}${e.note ? ` (${e.note})` : ''}, which nothing in the container reconfigures,` : e.kind === 'default' ? `command line (${code(e.text)}), which names no port, so ${e.program ?? 'the server'} takes its default and` : `environment (${code(e.text)})${e.program ? `, which the ${code(e.program)} image reads as its port,` : ''}`,
      listen: listens.length ? listens.join(' and ') : 'no TCP port at all',
      declared: declaresTarget ? `, though it declares containerPort ${target}` : declaresListen ? `, the port it declares` : '',
      hint: sibling ?? '',
    },
    related: [{ object: t.owner, path: [...c.path, ...e.path], message: `where ${c.name} is told to listen on ${listens.length ? listens.join(' and ') : 'no TCP port'}` }],
  });
}

export default rule;
