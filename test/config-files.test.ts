import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configFileHosts, yamlHosts, yamlValues } from '../src/graph/config-files.js';
import { coreValues } from '../src/load/fast-parse.js';
import { CORPUS, corpusOrSkip, ROOT, yamlFiles } from './helpers.js';
import { isPublicAddress, podResolver } from '../src/graph/pod-dns.js';
import { buildFromFiles } from '../src/lint.js';
import { references } from '../src/graph/references.js';
import { resolveHost } from '../src/graph/dns.js';

const hosts = (key: string, text: string) => configFileHosts(key, text)?.map((h) => `${h.host}${h.port !== undefined ? `:${h.port}` : ''}${h.position ? '!' : ''}`);

describe('hosts in configuration files, by format', () => {
  it('gives a host the port written beside it: host and port, redis.host and redis.port, DB_HOST and DB_PORT, broker-host and broker-port', () => {
    expect(hosts('application.yml', 'spring:\n  data:\n    redis:\n      host: cache\n      port: 6380\n')).toEqual(['cache:6380!']);
    expect(hosts('app.properties', 'spring.redis.host=cache\nspring.redis.port=6390\n')).toEqual(['cache:6390!']);
    expect(hosts('app.env', 'DB_HOST=pg\nDB_PORT="5433"\n')).toEqual(['pg:5433!']);
    expect(hosts('config.json', '{"broker-host": "mq", "broker-port": 5673}')).toEqual(['mq:5673!']);
    // A port in the value wins; a port key of another prefix, a non-numeric port or a list are left alone.
    expect(hosts('a.yml', 'host: cache:6379\nport: 7000\n')).toEqual(['cache:6379!']);
    expect(hosts('a.yml', 'redis:\n  host: cache\nsentinel:\n  port: 26379\n')).toEqual(['cache!']);
    expect(hosts('a.yml', 'host: cache\nport: ${PORT}\n')).toEqual(['cache!']);
    expect(hosts('a.properties', 'hosts=a,b\nport=1\n')).toEqual(['a!', 'b!']);
  });

  it('reads camelCase host and list keys as their separated forms (redisHost, serverAddress, bootstrapServers), not words that only end in the same letters', () => {
    expect(hosts('app.yaml', 'cache:\n  redisHost: cache\n  redisPort: 6379\n')).toEqual(['cache:6379!']);
    expect(hosts('app.yaml', 'kafka:\n  bootstrapServers: a:9092,b:9092\n')).toEqual(['a:9092!', 'b:9092!']);
    expect(hosts('app.json', '{"metricsUrl": "prometheus:9090"}')).toEqual(['prometheus:9090!']);
    for (const text of ['ghost: cache\n', 'localhost: cache\n', 'vhost: cache\n', 'hostPath: cache\n']) expect(hosts('app.yaml', text), text).toEqual([]);
  });

  it('reads nginx upstream servers and *_pass targets, not upstream names, variables or comments', () => {
    const conf = [
      '# server old-api:80;',
      'upstream api { server api-v1:8080 weight=2; server unix:/tmp/sock; }',
      'upstream web {',
      '  server web:80;',
      '}',
      'server {',
      '  server_name example.com;',
      '  location / { proxy_pass http://api; }',
      '  location /w { proxy_pass http://web/; }',
      '  location /x { proxy_pass http://$backend; }',
      '  location /g { grpc_pass grpc://search:9090; }',
      '  location /d { proxy_pass https://docs.example.com; }',
      '}',
    ].join('\n');
    // A one-line upstream block counts too; `server_name` and the `server {` block are not hosts.
    expect(hosts('default.conf', conf)).toEqual(['api-v1:8080!', 'web:80!', 'search:9090!', 'docs.example.com!']);
    expect(hosts('nginx.conf', 'upstream a {\n  server a-1:80;\n}\n')).toEqual(['a-1:80!']);
  });
  it('reads Caddyfile reverse_proxy upstreams (after a matcher, in a `to` line of its block, with a scheme), not placeholders, sockets or other directives', () => {
    const caddy = [
      '# reverse_proxy old:80',
      'shop.example.com {',
      '  reverse_proxy /api/* api:8080 api-2:8080',
      '  reverse_proxy @ws {',
      '    to ws:9000',
      '    lb_policy round_robin',
      '  }',
      '  reverse_proxy {$UPSTREAM} unix//run/app.sock localhost:8001-8006',
      '  handle /docs/* {',
      '    reverse_proxy https://docs h2c://grpc:50051',
      '  }',
      '  file_server to',
      '  php_fastcgi php:9000',
      '}',
    ].join('\n');
    expect(hosts('Caddyfile', caddy)).toEqual(['api:8080!', 'api-2:8080!', 'ws:9000!', 'docs!', 'grpc:50051!', 'php:9000!']);
    expect(hosts('site.caddy', 'reverse_proxy web:80\n')).toEqual(['web:80!']);
  });
  it('reads HAProxy server lines, leaving IP addresses and SRV templates alone', () => {
    const cfg = 'backend b\n  server s1 cart:7070 check\n  server s2 10.0.0.1:7070\n  server-template s 3 _http._tcp.cart.shop.svc.cluster.local:80\n';
    expect(hosts('haproxy.cfg', cfg)).toEqual(['cart:7070!']);
  });
  it('reads ZooKeeper ensembles and properties by key', () => {
    const cfg = 'tickTime=2000\nserver.1=zk-0.zk-hs:2888:3888\nserver.2=zk-1.zk-hs:2888:3888;2181\n# server.3=zk-9.zk-hs:2888:3888\n';
    expect(hosts('zoo.cfg', cfg)).toEqual(['zk-0.zk-hs:2888!', 'zk-1.zk-hs:2888!']);
    const props = 'db.host=postgres\nkafka.bootstrap.servers=kafka-0:9092,kafka-1\napp.name=postgress\nurl = "amqp://u:p@rabbit:5672/"\nhosts = ["a:1", "b"]\n';
    // `app.name` is no host key; a TOML array under a host-list key holds hosts.
    expect(hosts('application.properties', props)).toEqual(['postgres!', 'kafka-0:9092!', 'kafka-1!', 'rabbit:5672!', 'a:1!', 'b!']);
  });
  it('reads YAML and JSON values under their keys: Prometheus targets, Envoy socket addresses, Grafana URLs', () => {
    const prom = 'scrape_configs:\n  - job_name: x\n    static_configs:\n      - targets: ["kt-server:8081", node-exporter]\n';
    expect(hosts('prometheus.yml', prom)).toEqual(['kt-server:8081!', 'node-exporter!']);
    const envoy = 'clusters:\n  - name: cart\n    load_assignment:\n      endpoints:\n        - lb_endpoints:\n            - endpoint: {address: {socket_address: {address: cart, port_value: 7070}}}\n';
    expect(hosts('envoy.yaml', envoy)).toEqual(['cart:7070!']);
    const grafana = '{"datasources": [{"name": "prom", "url": "http://prometheus-server"}], "service": "prom"}';
    expect(hosts('datasources.json', grafana)).toEqual(['prometheus-server!']);
    // A file that does not parse is read as text by the caller.
    expect(configFileHosts('bad.yaml', 'a: [')).toBeUndefined();
    expect(configFileHosts('README', 'server a:1')).toBeUndefined();
  });
});

describe('connection strings', () => {
  it('list every host of a multi-host authority as a host', async () => {
    const { findHosts } = await import('../src/graph/hosts.js');
    const of = (v: string) => findHosts(v).map((h) => `${h.host}${h.port !== undefined ? `:${h.port}` : ''}${h.position ? '!' : ''}`);
    expect(of('mongodb://u:p@mongo-0.mongo:27017,mongo-1.mongo:27017/db?replicaSet=rs0')).toEqual(['mongo-0.mongo:27017!', 'mongo-1.mongo:27017!']);
    expect(of('jdbc:postgresql://pg-0.pg:5432,pg-1.pg/app')).toEqual(['pg-0.pg:5432!', 'pg-1.pg!']);
    expect(of('redis://:s3cret@redis-mastr:6379/0')).toEqual(['redis-mastr:6379!']);
    expect(of('--initial-cluster=etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd:2380')).toEqual(['etcd-0.etcd:2380!', 'etcd-1.etcd:2380!']);
    const keyed = (k: string, v: string) => findHosts(v, k).map((h) => `${h.host}${h.position ? '!' : ''}`);
    expect(keyed('discovery.seed_hosts', 'es-0.es, es-1.es')).toEqual(['es-0.es!', 'es-1.es!']);
    // Hosts a server answers to are not dialled.
    expect(keyed('ALLOWED_HOSTS', 'web,localhost')).toEqual([]);
    // Outside a URL a host:port in running text is a host, but not in a host-only position.
    expect(of('connect to cache:6379 first')).toEqual(['cache:6379']);
  });
});

describe('values without a host', () => {
  it('are skipped only when no pattern could match: each pattern\'s mark, and host keys, still find hosts', async () => {
    const { findHosts } = await import('../src/graph/hosts.js');
    const of = (v: string, k?: string) => findHosts(v, k).map((h) => `${h.host}${h.port !== undefined ? `:${h.port}` : ''}`);
    // Nothing to find: no `:`, `.svc`, `--` or `._`, and no host key.
    expect(of('true')).toEqual([]);
    expect(of('api.shop', 'LOG_LEVEL')).toEqual([]);
    // One mark each.
    expect(of('http://api')).toEqual(['api']);
    expect(of('cache:6379')).toEqual(['cache:6379']);
    expect(of('api.shop.SVC')).toEqual(['api.shop.SVC']);
    expect(of('--publish-service=ingress/controller')).toEqual(['controller.ingress']);
    expect(of('_grpc._tcp.api.shop')).toEqual(['api.shop']);
    // No mark, but a key that makes the whole value (or each item) a host.
    expect(of('api.shop', 'API_HOST')).toEqual(['api.shop']);
    expect(of('es-0.es,es-1.es', 'SEED_HOSTS')).toEqual(['es-0.es', 'es-1.es']);
    expect(of('ingress/controller', 'DEFAULT_BACKEND_SERVICE')).toEqual(['controller.ingress']);
  });
});

describe('pod resolvers, as the kubelet writes resolv.conf', () => {
  const pod = (spec: string) =>
    buildFromFiles({ files: [{ path: 'x.yaml', text: `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n${spec}\n  containers: [{name: c, image: "x:1"}]\n` }] });
  const of = (spec: string) => {
    const g = pod(spec);
    return podResolver(g, g.templates[0]!);
  };
  it('follows dnsPolicy and hostNetwork', () => {
    expect(of('  dnsPolicy: ClusterFirst').kind).toBe('cluster');
    expect(of('  hostNetwork: true')).toMatchObject({ kind: 'node', why: 'host-network' });
    expect(of('  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet').kind).toBe('cluster');
    expect(of('  dnsPolicy: Default')).toMatchObject({ kind: 'node', why: 'default' });
    expect(of('  dnsPolicy: None\n  dnsConfig: {nameservers: [1.1.1.1]}')).toMatchObject({ kind: 'none', clusterDns: 'no' });
    expect(of('  dnsPolicy: None\n  dnsConfig: {nameservers: [10.96.0.10]}')).toMatchObject({ kind: 'none', clusterDns: 'unknown' });
    expect(of('  dnsConfig: {searches: [data.svc.cluster.local.]}')).toEqual({ kind: 'cluster', extraSearches: ['data.svc.cluster.local'] });
  });
  it('tells public addresses from addresses a cluster may use', () => {
    expect(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'].every(isPublicAddress)).toBe(true);
    expect(['10.96.0.10', '172.20.0.10', '192.168.1.1', '169.254.20.10', '100.64.0.10', 'fd00::10', 'dns.example'].some(isPublicAddress)).toBe(false);
  });
  it('give each group of readers its own edge', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {ports: [{port: 7070}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {CART: "cart:7070"}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec:
  containers: [{name: c, image: "x:1", envFrom: [{configMapRef: {name: cfg}}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec:
  hostNetwork: true
  containers: [{name: c, image: "x:1", envFrom: [{configMapRef: {name: cfg}}]}]
`;
    const edges = references(buildFromFiles({ files: [{ path: 'x.yaml', text }] }));
    expect(edges.map((e) => [e.site.clients.map((t) => t.owner.name).join(','), e.resolution.kind])).toEqual([
      ['a', 'service'],
      ['b', 'pod-dns'],
    ]);
  });
});

describe('referrers', () => {
  it('judge a port against the Service of their own folder tree only', async () => {
    const { sameTree } = await import('../src/graph/referrers.js');
    const at = (path: string) => ({ origin: { file: { path } } }) as never;
    expect(sameTree(at('a/b/route.yaml'), at('a/b/svc.yaml'))).toBe(true);
    expect(sameTree(at('a/b/c/route.yaml'), at('a/b/svc.yaml'))).toBe(true);
    expect(sameTree(at('a/x/route.yaml'), at('a/y/svc.yaml'))).toBe(false);
    expect(sameTree(at('a/bb/route.yaml'), at('a/b/svc.yaml'))).toBe(false);
    expect(sameTree({} as never, at('a/svc.yaml'))).toBe(true);
  });
});

describe('mounted YAML and JSON files read by the value parser', () => {
  /** What the value parser gives where it reads every document equals the `yaml` package's values; where it does not, the `yaml` package reads the file. */
  const outcome = <T>(f: () => T): T | string => {
    try {
      return f();
    } catch (err) {
      return `threw ${String(err)}`;
    }
  };
  const agree = (text: string): boolean => {
    const fast = coreValues(text);
    if (fast !== undefined) expect(fast, text.slice(0, 300)).toEqual(yamlValues(text)!.filter((v) => v !== null && v !== undefined));
    expect(outcome(() => yamlHosts(text, true)), text.slice(0, 300)).toEqual(outcome(() => yamlHosts(text, false)));
    return fast !== undefined;
  };

  it('gives the `yaml` package\'s YAML 1.2 values and hosts for every plain scalar the core schema resolves, in every position', () => {
    const tokens = ['', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', 'yes', 'No', 'on', 'off', 'y', 'n',
      '0o17', '0o8', '0O17', '017', '09', '0x1F', '0X1F', '0xg', '+12', '-0', '+0', '007', '1_000', '1.0', '1.', '.5', '-.5', '+.5', '.', '+', '-1.',
      '+1e3', '1e3', '1E-3', '1.5e+3', '.5e1', '1.e2', '1e', 'e3', '.inf', '-.Inf', '+.INF', '.iNf', '.nan', '.NaN', '.NAN', '-.nan', 'nan', 'inf',
      '1:20', '2001-12-14', '0b101', '12e', 'cart', 'cart:7070', 'cart.shop.svc:80', 'cart.shop.svc.cluster.local.', 'http://cart:80/x', 'redis://a-b:6379/0',
      '10.0.0.1:80', 'a_b:80', 'web, api:8080', '99999999999999999999', '0x' + 'f'.repeat(20)];
    let read = 0;
    for (const t of tokens) {
      const texts = [
        `host: ${t}\n`, `server: ${t}\nport: ${t}\n`, `targets: [${t}, ${t}]\n`, `brokers:\n  - ${t}\n  - x\n`, `${t}: cart:80\n`, `- ${t}\n`,
        `socket_address: {address: ${t}, port_value: ${t}}\n`, `socket_address:\n  address: cart\n  port_value: ${t}\n`, `{url: ${t}}\n`, `a: "${t}"\nb: '${t}'\n`,
        `---\nhost: ${t}\n---\n# only a comment\n---\nendpoint: ${t} # a comment\n`, `{"host": "${t}", "port_value": ${/^[-+]?[0-9]+$/.test(t) ? t : 1}}\n`,
      ];
      for (const text of texts) if (agree(text)) read++;
    }
    expect(read).toBeGreaterThan(700); // most go by the value parser; the others (an empty key, `{` keys) by the `yaml` package
  });

  it('gives the same values and hosts as the `yaml` package on every corpus file and ConfigMap value, and the fixtures', () => {
    const dirs = [path.join(ROOT, 'fixtures'), path.join(ROOT, 'rules'), ...(corpusOrSkip('the corpus part of the mounted-file parser test') ? [CORPUS] : [])];
    let texts = 0;
    let read = 0;
    for (const dir of dirs) {
      for (const f of yamlFiles(dir)) {
        const text = readFileSync(f, 'utf8');
        if (text.length > 200_000) continue;
        const all = [text];
        // A ConfigMap's values are the texts of the files it mounts.
        const values = outcome(() => yamlValues(text));
        for (const v of typeof values === 'string' ? [] : values ?? []) {
          const data = (v as { kind?: unknown; data?: unknown } | null)?.kind === 'ConfigMap' ? (v as { data?: unknown }).data : undefined;
          if (data && typeof data === 'object') for (const s of Object.values(data)) if (typeof s === 'string' && s.length <= 200_000) all.push(s);
        }
        for (const t of all) {
          texts++;
          if (agree(t)) read++;
        }
      }
    }
    expect(read).toBeGreaterThan(texts / 2);
  }, 300_000);
});

describe('a pod name under a Service of the caller\'s namespace', () => {
  it('is the endpoint CoreDNS answers for under a ClusterIP Service too, before a search entry of another namespace (a random CoreDNS seed found it)', () => {
    const pod = (ns: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${ns}, labels: {app: api}}\nspec:\n  hostname: h0\n  subdomain: api\n  containers: [{name: c, image: "x:1"}]\n`;
    const svc = (ns: string, headless: boolean) => `apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: ${ns}}\nspec:\n  ${headless ? 'clusterIP: None\n  ' : ''}selector: {app: api}\n  ports: [{port: 80}]\n`;
    const graph = buildFromFiles({ files: [{ path: 'x.yaml', text: [pod('a'), svc('a', false), pod('b'), svc('b', true)].join('---\n') }] });
    // CoreDNS answers h0.api.a.svc from the endpoint's hostname, though `api` in `a` is not headless.
    for (const host of ['h0.api', 'h0.api.a']) {
      const r = resolveHost(graph, host, 'a');
      expect(r.kind, host).toBe('pod');
      expect((r as { service: { object: { namespace: string } } }).service.object.namespace, host).toBe('a');
    }
    // A name no endpoint has stays what it was: not a pod of a ClusterIP Service.
    expect(resolveHost(graph, 'h9.api', 'a').kind).not.toBe('pod');
  });
});
