import { describe, expect, it } from 'vitest';
import { buildFromFiles } from '../src/lint.js';
import { references } from '../src/graph/references.js';
import { findHosts } from '../src/graph/hosts.js';
import { configFileHosts } from '../src/graph/config-files.js';

const edgesOf = (text: string) => references(buildFromFiles({ files: [{ path: 'x.yaml', text }] }));

const base = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  containers: [{name: api, image: "example/api:1", ports: [{containerPort: 8080}, {containerPort: 9090}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: example/web:1
      env:
`;

const env = (value: string) => `${base}        - {name: X, value: ${JSON.stringify(value)}}\n`;

describe('reference edges', () => {
  it('read only the ConfigMap keys that pods mount: subPath files, items, and no volume that no container mounts', () => {
    const cm = (name: string) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: shop}\ndata:\n  app.conf: "proxy_pass http://api.shop:80;"\n  dev.conf: "proxy_pass http://api.shop:8080;"\n`;
    const pod = (name: string, mounts: string, volume: string) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  containers: [{name: c, image: "nginx:1", volumeMounts: [${mounts}]}]\n  volumes: [${volume}]\n`;
    const text = base.replace(/      env:\n$/, '')
      + cm('sub') + pod('p1', '{name: v, mountPath: /etc/nginx/conf.d/app.conf, subPath: app.conf}', '{name: v, configMap: {name: sub}}')
      + cm('items') + pod('p2', '{name: v, mountPath: /etc/nginx/conf.d}', '{name: v, configMap: {name: items, items: [{key: app.conf, path: default.conf}]}}')
      + cm('unmounted') + pod('p3', '', '{name: v, configMap: {name: unmounted}}')
      + cm('whole') + pod('p4', '{name: v, mountPath: /etc/nginx/conf.d}', '{name: v, configMap: {name: whole}}');
    const seen = references(buildFromFiles({ files: [{ path: 'x.yaml', text }] })).map((e) => `${e.site.object.name}/${e.site.key}:${e.site.clients.map((t) => t.owner.name).join(',')}`);
    // `dev.conf` of `sub` and `items` is no file of any pod; `unmounted`'s pod mounts nothing, so the ConfigMap may be read elsewhere.
    expect(seen).toEqual(['sub/app.conf:p1', 'items/app.conf:p2', 'unmounted/app.conf:', 'unmounted/dev.conf:', 'whole/app.conf:p4', 'whole/dev.conf:p4']);
  });

  it('carry the Service port a connection reaches', () => {
    const [e] = edgesOf(env('http://api.shop:80'));
    expect(e!.resolution.kind).toBe('service');
    expect(e!.servicePort?.name).toBe('http');
    expect(e!.site.clients.map((t) => t.owner.name)).toEqual(['web']);
  });
  it('use the scheme port when the text names none', () => {
    const [e] = edgesOf(env('http://api/v1'));
    expect(e!.defaultPort).toBe(80);
    expect(e!.port).toBeUndefined();
    expect(e!.servicePort?.port).toBe(80);
  });
  it('leave servicePort unset for a port the Service does not expose', () => {
    const [e] = edgesOf(env('api.shop.svc.cluster.local:8080'));
    expect(e!.servicePort).toBeUndefined();
  });
  it('resolve SRV names to the named port', () => {
    const [e] = edgesOf(env('_grpc._tcp.api.shop.svc.cluster.local'));
    expect(e!.srv).toEqual({ port: 'grpc', protocol: 'TCP' });
    expect(e!.servicePort?.port).toBe(9090);
  });
  it('resolve Service-link variables of the pod namespace as edges', () => {
    const edges = edgesOf(env('$(API_SERVICE_HOST):$(API_SERVICE_PORT_GRPC)'));
    expect(edges.map((e) => [e.text, e.resolution.kind, e.servicePort?.port])).toEqual([
      ['$(API_SERVICE_HOST)', 'service', 80],
      ['$(API_SERVICE_PORT_GRPC)', 'service', 9090],
    ]);
  });
  it('resolve namespace/name references', () => {
    const [e] = edgesOf(env('--upstream-service=shop/api'));
    expect(e!.namespaced).toBe(true);
    expect(e!.resolution.kind).toBe('service');
  });
});

describe('connection strings and server configuration', () => {
  /** Each host found in a value as `text|host|port|p` (p: in a host position). */
  const hosts = (v: string) => findHosts(v).map((h) => `${h.text}|${h.host}|${h.port ?? ''}|${h.position ? 'p' : ''}`);
  /** Each host a configuration file names as `text|host|port`. */
  const fileHosts = (k: string, v: string) => (configFileHosts(k, v) ?? []).map((h) => `${h.text}|${h.host}|${h.port ?? ''}`);

  it('read the host and port keywords of a libpq connection string, and leave lists, flags and shell words alone', () => {
    expect(hosts('host=db port=5433 dbname=app sslmode=disable')).toEqual(['host=db|db|5433|p']);
    expect(hosts("dbname=app host = 'db.shop' user=app")).toEqual(["host = 'db.shop'|db.shop||p"]);
    expect(hosts('app = host=pg.shop.svc port=6432 dbname=app')).toEqual(['host=pg.shop.svc|pg.shop.svc|6432|p']);
    // One keyword alone, a host list, an address, a flag: not a connection string libpq reads.
    for (const v of ['host=db', 'host=a,b port=5432', 'host=0.0.0.0 port=8080', '--host=db --port=5432', 'uvicorn --host=0.0.0.0 user=x']) expect(hosts(v), v).toEqual([]);
  });

  it('read the server of an ADO.NET connection string (SQL Server, Npgsql, MySqlConnector), and leave named instances and lists alone', () => {
    expect(hosts('Server=sqlserver,1433;Database=app;User Id=sa;Password=x')).toEqual(['Server=sqlserver,1433|sqlserver|1433|p']);
    expect(hosts('Host=postgres;Port=5433;Database=app;Username=app')).toEqual(['Host=postgres|postgres|5433|p']);
    expect(hosts('Data Source=tcp:sql.shop.svc,1433;Initial Catalog=app')).toEqual(['Data Source=tcp:sql.shop.svc,1433|sql.shop.svc|1433|p']);
    for (const v of ['Server=sql\\inst;Database=x', 'Server=a,b;Database=x', 'Server=db;Trace=1', 'Server=db']) expect(hosts(v), v).toEqual([]);
  });

  it('read gRPC targets of the DNS resolver, 443 when they name no port', () => {
    const targets = (v: string) => findHosts(v).map((h) => `${h.text}|${h.host}|${h.port ?? ''}|${h.defaultPort ?? ''}`);
    expect(targets('dns:///payments:50051')).toEqual(['dns:///payments:50051|payments|50051|']);
    expect(targets('dns:///payments.shop.svc.cluster.local')).toEqual(['dns:///payments.shop.svc.cluster.local|payments.shop.svc.cluster.local||443']);
    // The authority is the DNS server to ask, not the target.
    expect(targets('dns://10.96.0.10/payments.shop:7070')).toEqual(['dns://10.96.0.10/payments.shop:7070|payments.shop|7070|']);
    expect(targets('xdns:///payments:1 xkubernetes:///payments:1')).toEqual([]);
  });

  it('read a whole value under a camelCase host key (redisHost, serverAddress) as a host, as under REDIS_HOST', () => {
    const whole = (v: string, key: string) => findHosts(v, key).map((h) => `${h.host}|${h.position ? 'p' : ''}`);
    expect(whole('redis-master', 'redisHost')).toEqual(['redis-master|p']);
    expect(whole('prometheus', 'serverAddress')).toEqual(['prometheus|p']);
    expect(whole('redis-master', 'REDIS_HOST')).toEqual(['redis-master|p']);
    for (const key of ['ghost', 'hostPath', 'posthost', 'Hostile']) expect(whole('redis-master', key), key).toEqual([]);
  });

  it('read gRPC targets of the kubernetes resolver in each form sercand/kuberesolver parses, the port a pod port or a port name', () => {
    const targets = (v: string) => findHosts(v).map((h) => `${h.text}|${h.host}|${h.namespaced ? `${h.namespaced.namespace}/${h.namespaced.name}` : ''}|${h.port ?? ''}|${h.endpoints?.portName ?? ''}|${h.endpoints ? 'e' : ''}`);
    expect(targets('kubernetes:///payments:50051')).toEqual(['kubernetes:///payments:50051|payments||50051||e']);
    expect(targets('kubernetes:///payments:grpc')).toEqual(['kubernetes:///payments:grpc|payments|||grpc|e']);
    expect(targets('kubernetes:///payments.shop')).toEqual(['kubernetes:///payments.shop|payments.shop|shop/payments|||e']);
    // Labels after the namespace are not read: the resolver takes the first two.
    expect(targets('kubernetes:///payments.shop.svc.cluster.local:7070')).toEqual(['kubernetes:///payments.shop.svc.cluster.local:7070|payments.shop|shop/payments|7070||e']);
    // `//namespace/service`: the authority is the namespace.
    expect(targets('kubernetes://shop/payments:grpc')).toEqual(['kubernetes://shop/payments:grpc|payments.shop|shop/payments||grpc|e']);
    expect(targets('--target=kubernetes://payments.shop:50051/')).toEqual(['kubernetes://payments.shop:50051/|payments.shop|shop/payments|50051||e']);
    // A namespace or port that goes on in a variable is not judged.
    for (const v of ['kubernetes:///payments.${NS}:grpc', 'kubernetes:///payments:$(PORT)', 'kubernetes://{{ .Values.ns }}/payments']) expect(targets(v), v).toEqual([]);
  });

  it('read the servers redis.conf and sentinel.conf dial, with their ports', () => {
    expect(fileHosts('redis.conf', 'bind 0.0.0.0\nreplicaof redis-0.redis 6379\n')).toEqual(['redis-0.redis 6379|redis-0.redis|6379']);
    expect(fileHosts('sentinel.conf', 'port 26379\nsentinel monitor mymaster redis 6380 2\n# sentinel monitor old gone 6379 2\n')).toEqual(['redis 6380|redis|6380']);
    expect(fileHosts('redis.conf', 'replicaof 10.0.0.5 6379\nslaveof ${MASTER} 6379\n')).toEqual([]);
  });

  it('read the servers Fluent Bit and Fluentd send to, with the port of the same section', () => {
    const bit = '[SERVICE]\n    Flush 1\n[OUTPUT]\n    Name es\n    Host es-master\n    Port 9201\n[OUTPUT]\n    Name forward\n    Host ${FLUENTD}\n    Port 24224\n[OUTPUT]\n    Name http\n    Host collector\n';
    expect(fileHosts('fluent-bit.conf', bit)).toEqual(['es-master|es-master|9201', 'collector|collector|']);
    const fluentd = '<source>\n  @type forward\n  port 24224\n  bind 0.0.0.0\n</source>\n<match **>\n  @type elasticsearch\n  host es.logging.svc\n  port 9200\n</match>\n';
    expect(fileHosts('fluent.conf', fluentd)).toEqual(['es.logging.svc|es.logging.svc|9200']);
  });
});

describe('host spelling', () => {
  it('reads a trailing dot and upper case as the same name', () => {
    const [e] = edgesOf(env('API.Shop.svc.cluster.local.:80'));
    expect(e!.resolution.kind).toBe('service');
    expect(e!.servicePort?.name).toBe('http');
  });
});

describe('Secrets pods read', () => {
  const secretBase = `${base.replace(/      env:\n$/, '')}      envFrom: [{secretRef: {name: conn}}]
      env:
        - {name: ONE, valueFrom: {secretKeyRef: {name: single, key: url}}}
      volumeMounts: [{name: cfg, mountPath: /etc/app}]
  volumes:
    - {name: cfg, secret: {secretName: files, items: [{key: app.yaml, path: app.yaml}]}}
`;
  const secret = (name: string, body: string) => `---\napiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: shop}\n${body}`;
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('are read like ConfigMaps: stringData as written, data decoded, stringData winning a key in both; each with the pods that read it, and keys that the pods reading the Secret by key leave unread are not', () => {
    const edges = references(buildFromFiles({ files: [{ path: 'x.yaml', text: secretBase
      + secret('conn', `stringData: {DB: "http://api.shop:80", SAME: "http://api.shop:9090"}\ndata: {CACHE: ${b64('api.shop.svc.cluster.local:9090')}, SAME: ${b64('http://nothing.shop:1')}}\n`)
      + secret('single', `stringData: {url: "http://api:80", other: "http://api.shop:9090"}\n`)
      + secret('files', `stringData:\n  app.yaml: |\n    upstream:\n      host: api.shop.svc.cluster.local\n  unread.yaml: "url: http://api.shop:80"\n`) }] }));
    const seen = edges.map((e) => [e.site.where, e.site.path.join('.'), e.text, e.servicePort?.port, e.site.clients.map((t) => t.owner.name).join(',')]);
    expect(seen).toEqual([
      ['Secret key `DB`', 'stringData.DB', 'http://api.shop:80', 80, 'web'],
      ['Secret key `SAME`', 'stringData.SAME', 'http://api.shop:9090', 9090, 'web'],
      ['Secret key `CACHE` (decoded from base64)', 'data.CACHE', 'api.shop.svc.cluster.local:9090', 9090, 'web'],
      ['Secret key `url`', 'stringData.url', 'http://api:80', 80, 'web'],
      ['Secret key `app.yaml`', 'stringData.app.yaml', 'api.shop.svc.cluster.local', undefined, 'web'],
    ]);
  });

  it('skip typed Secrets (registry credentials, certificates, tokens) and data that is not base64 of text', () => {
    const edges = references(buildFromFiles({ files: [{ path: 'x.yaml', text: base.replace(/      env:\n$/, '')
      + secret('reg', `type: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: '{"auths":{"registry.shop.svc:5000":{}}}'}\n`)
      + secret('tls', `type: kubernetes.io/tls\ndata: {tls.crt: ${b64('api.shop:80')}, tls.key: ${b64('x')}}\n`)
      + secret('bad', `data: {A: "not base64!", B: ${Buffer.from([0xff, 0xfe, 0x3a]).toString('base64')}, C: ${b64('a\u0000api.shop:80')}, D: ${b64('api.shop:80').replace(/=+$/, '')}}\n`) }] }));
    expect(edges).toEqual([]);
  });
});
