import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { lint, lintText } from '../src/lint.js';
// The built pool: its worker thread is a compiled file next to it.
import { parseAll, PARALLEL_THRESHOLD_BYTES } from '../dist/src/load/parse-pool.js';
import { computeRoutes, formatRoutesText } from '../src/graph/routes.js';
import { format } from '../src/report/index.js';
import type { LintResult } from '../src/lint.js';
import { ROOT } from './helpers.js';

/** Every output path must cope with whatever the engine produced. */
function exercise(r: LintResult, text: string): void {
  for (const f of r.findings) {
    if (f.location) {
      expect(f.location.line).toBeGreaterThanOrEqual(1);
      expect(f.location.column).toBeGreaterThanOrEqual(1);
      expect(f.location.endLine).toBeGreaterThanOrEqual(f.location.line!); // plain text: always a line
    }
    expect(f.message.length).toBeLessThan(5000);
  }
  const summary = { errors: 0, warnings: 0, infos: 0, files: 1, objects: r.graph.objects.length, services: r.graph.services.length };
  const input = { findings: r.findings, summary, sources: new Map([['fuzz.yaml', text]]) };
  expect(() => JSON.parse(format('json', input, { color: false }))).not.toThrow();
  format('stylish', input, { color: true });
  formatRoutesText(computeRoutes(r.graph));
}

const seeds = (() => {
  const out: string[] = [];
  const rules = path.join(ROOT, 'rules');
  for (const r of readdirSync(rules)) {
    let files: string[] = [];
    try {
      files = readdirSync(path.join(rules, r, 'cases')).filter((f) => f.endsWith('.yaml'));
    } catch {
      continue;
    }
    for (const f of files) out.push(readFileSync(path.join(rules, r, 'cases', f), 'utf8'));
  }
  return out;
})();

const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant('http'),
  fc.constant('8080'),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

describe('fuzzing the loader and the engine', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => exercise(lintText(text, 'fuzz.yaml'), text)),
      { numRuns: 300 },
    );
  });

  it('never throws on truncated or spliced real manifests', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }), (seed, a, b, junk) => {
        const cut = seed.slice(0, a % (seed.length + 1));
        const spliced = seed.slice(0, b % (seed.length + 1)) + junk + seed.slice(b % (seed.length + 1));
        exercise(lintText(cut, 'fuzz.yaml'), cut);
        exercise(lintText(spliced, 'fuzz.yaml'), spliced);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any field of a Service or workload has the wrong type', () => {
    const service = fc.record({
      apiVersion: fc.constant('v1'),
      kind: fc.constant('Service'),
      metadata: fc.oneof(anyValue, fc.record({ name: anyValue, namespace: anyValue, labels: anyValue, annotations: anyValue })),
      spec: fc.oneof(anyValue, fc.record({
        type: fc.oneof(anyValue, fc.constantFrom('ClusterIP', 'ExternalName', 'NodePort')),
        clusterIP: anyValue,
        selector: fc.oneof(anyValue, fc.constant({ app: 'a' })),
        ports: fc.oneof(anyValue, fc.array(fc.oneof(anyValue, fc.record({ name: anyValue, port: anyValue, targetPort: anyValue, protocol: anyValue })), { maxLength: 3 })),
        publishNotReadyAddresses: anyValue,
      })),
    });
    const container = fc.oneof(anyValue, fc.record({
      name: anyValue,
      ports: fc.oneof(anyValue, fc.array(fc.oneof(anyValue, fc.record({ name: anyValue, containerPort: anyValue, protocol: anyValue })), { maxLength: 3 })),
      readinessProbe: fc.oneof(anyValue, fc.record({ httpGet: fc.oneof(anyValue, fc.record({ port: anyValue })) })),
      restartPolicy: anyValue,
    }));
    const workload = fc.record({
      apiVersion: fc.constant('apps/v1'),
      kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'),
      metadata: fc.record({ name: anyValue, labels: anyValue }),
      spec: fc.oneof(anyValue, fc.record({
        replicas: anyValue,
        template: fc.oneof(anyValue, fc.record({
          metadata: fc.oneof(anyValue, fc.record({ labels: fc.oneof(anyValue, fc.constant({ app: 'a' })) })),
          spec: fc.oneof(anyValue, fc.record({ containers: fc.oneof(anyValue, fc.array(container, { maxLength: 2 })), initContainers: fc.oneof(anyValue, fc.array(container, { maxLength: 2 })) })),
        })),
      })),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(service, workload), { minLength: 1, maxLength: 4 }), (objs) => {
        const text = objs.map((o) => stringify(o)).join('---\n');
        exercise(lintText(text, 'fuzz.yaml'), text);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when values anywhere in the rule cases\' objects are replaced by values of another type', () => {
    // Every kind the rules read, as the cases write them; mutated at random paths.
    const toJS = (d: ReturnType<typeof parseAllDocuments>[number]): unknown => {
      try {
        return d.toJS();
      } catch {
        return undefined; // the cases' own alias bombs
      }
    };
    const cases = seeds.map((text) => parseAllDocuments(text).map(toJS).filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v))).filter((c) => c.length > 0);
    const pathsOf = (v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
      if (v === null || typeof v !== 'object') return out;
      for (const [k, x] of Object.entries(v)) {
        const p = [...at, Array.isArray(v) ? Number(k) : k];
        out.push(p);
        pathsOf(x, p, out);
      }
      return out;
    };
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), anyValue), { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const docs = structuredClone(cases[which % cases.length]!);
        for (const [n, value] of mutations) {
          const paths = pathsOf(docs);
          if (paths.length === 0) break;
          const p = paths[n % paths.length]!;
          let at: unknown = docs;
          for (const k of p.slice(0, -1)) at = (at as Record<string | number, unknown>)[k];
          (at as Record<string | number, unknown>)[p.at(-1)!] = value;
        }
        const text = docs.map((o) => stringify(o)).join('---\n');
        exercise(lintText(text, 'fuzz.yaml'), text);
      }),
      { numRuns: 600 },
    );
  });

  it('never throws on the configuration files servers read, whatever their shape and text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('server:\n  port: 8081\n---\nspring:\n  config:\n    activate:\n      on-profile: x\n', 'server.port=${PORT:}\n#---\n', '[mysqld]\n!include /etc/x.cnf\nport=\n', '[mysqld-8.0]\nbind-address=::1\n', 'network.host: [_local_, ${X}]\n', 'server: [1, 2]\n', ': :\n- -\n', 'a: &a [*a]\n', ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 11 }, (_, i) => `b${i + 1}: &b${i + 1} [${Array(9).fill(i === 0 ? '*a' : `*b${i}`).join(', ')}]`)].join('\n')),
      fc.array(fc.constantFrom('server.port=8081', 'server.address = 127.0.0.1', 'management.server.port: 9', 'spring.profiles.active=prod', 'spring.config.import=x', '[mysqld]', 'port 3307', 'bind_address=localhost', 'loose-bind-address', '!includedir /etc/mysql/conf.d/', 'network.host: _local_', 'http.port: x', 'bind 127.0.0.1 -::1', 'listen 127.0.0.1:8080;', 'listen [::1];', 'include conf.d/*;', 'frontend f', '  bind :8080', "listen_addresses = 'localhost'", 'include_dir x', 'port = 0', 'Listen 8080', 'Listen 127.0.0.1:80', '<IfModule x>', '</IfModule>', 'Listen [::1]:x', 'Include conf/x.conf'), { maxLength: 6 }).map((l) => l.join('\n')),
    );
    const key = fc.constantFrom('application.yml', 'application-prod.properties', 'application.properties', 'my.cnf', 'x.cnf', 'elasticsearch.yml', 'redis.conf', 'default.conf', 'nginx.conf', 'haproxy.cfg', 'postgresql.conf', 'httpd.conf', 'ports.conf', 'other');
    const configMap = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constantFrom('ConfigMap', 'Secret'), metadata: fc.record({ name: fc.constantFrom('cfg', 'sec') }), data: fc.oneof(anyValue, fc.dictionary(key, fc.oneof(text, anyValue), { maxKeys: 3 })), stringData: fc.oneof(anyValue, fc.dictionary(key, text, { maxKeys: 2 })) });
    const mount = fc.oneof(anyValue, fc.record({ name: fc.oneof(anyValue, fc.constant('v')), mountPath: fc.oneof(anyValue, fc.constantFrom('/app/config', '/etc/mysql/conf.d', '/etc/mysql/my.cnf', '/usr/share/elasticsearch/config/elasticsearch.yml', '/config', '/', '/etc/app/application.yml', '/etc/nginx/conf.d', '/etc/nginx/nginx.conf', '/etc/redis', '/usr/local/etc/haproxy', '/etc/postgresql', '/usr/local/apache2/conf/httpd.conf', '/etc/apache2/ports.conf')), subPath: fc.oneof(anyValue, key) }));
    const volume = fc.oneof(anyValue, fc.record({ name: fc.constant('v'), configMap: fc.oneof(anyValue, fc.record({ name: fc.constant('cfg'), items: fc.oneof(anyValue, fc.array(fc.record({ key: fc.oneof(anyValue, key), path: fc.oneof(anyValue, key) }), { maxLength: 2 })) })), secret: fc.oneof(anyValue, fc.record({ secretName: fc.constant('sec') })), projected: fc.oneof(anyValue, fc.record({ sources: fc.oneof(anyValue, fc.array(fc.record({ configMap: fc.oneof(anyValue, fc.record({ name: fc.constant('cfg') })) }), { maxLength: 2 })) })) }));
    const env = fc.oneof(anyValue, fc.record({ name: fc.constantFrom('SPRING_CONFIG_LOCATION', 'SPRING_CONFIG_ADDITIONAL_LOCATION', 'SPRING_APPLICATION_JSON', 'SPRING_PROFILES_ACTIVE', 'SERVER_PORT', 'JENKINS_OPTS', 'network.host', 'ES_SETTING_HTTP_HOST', 'RAILS_ENV', 'PORT'), value: fc.oneof(anyValue, fc.constantFrom('file:/etc/app/', 'optional:file:./config/*/', 'classpath:/x', '{"server":', '{"server":{"port":"${A}"}}', '--httpPort=x', 'prod,,', '0.0.0.0')) }));
    const container = fc.record({
      name: fc.constant('c'),
      image: fc.oneof(anyValue, fc.constantFrom('mysql:8.4', 'mariadb:11', 'elasticsearch:8.15.0', 'docker.elastic.co/elasticsearch/elasticsearch:8.1.0', 'jenkins/jenkins:lts', 'example/app:1', 'nginx:1.27', 'redis:7', 'postgres:16', 'haproxy:3.0', 'mongo:7', 'httpd:2.4', 'php:8.3-apache', 'toString', 'constructor:1', 'library/__proto__')),
      command: fc.oneof(anyValue, fc.constantFrom(['java', '-Dserver.port=x', '-jar', 'app.jar', '--server.port'], ['sh', '-c', 'bundle exec rails s -b'], ['java'], ['redis-server', '/etc/redis/redis.conf', '--port'], ['postgres', '-c', 'config_file=/etc/postgresql/postgresql.conf', '-c'], ['haproxy', '-f'], ['mongod', '--bind_ip'], ['uvicorn', '--host'])),
      args: fc.oneof(anyValue, fc.array(fc.constantFrom('--port', '--bind-address', '-E', 'network.host=_local_', '--spring.config.location=file:a', '--spring.profiles.active='), { maxLength: 3 })),
      workingDir: anyValue,
      env: fc.oneof(anyValue, fc.array(env, { maxLength: 3 })),
      volumeMounts: fc.oneof(anyValue, fc.array(mount, { maxLength: 3 })),
      ports: fc.oneof(anyValue, fc.constant([{ containerPort: 8080 }])),
      readinessProbe: fc.oneof(anyValue, fc.record({ httpGet: fc.record({ path: anyValue, port: anyValue }) })),
    });
    const pod = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: fc.record({ name: fc.constant('p'), labels: fc.constant({ app: 'a' }) }), spec: fc.record({ containers: fc.array(container, { minLength: 1, maxLength: 2 }), volumes: fc.oneof(anyValue, fc.array(volume, { maxLength: 2 })) }) });
    const service = fc.constant({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'a' }, ports: [{ port: 80, targetPort: 8080 }, { port: 9200 }, { port: 3306 }] } });
    fc.assert(
      fc.property(fc.array(configMap, { maxLength: 2 }), pod, service, (cms, p, svc) => {
        const t = [...cms, p, svc].map((o) => stringify(o)).join('---\n');
        exercise(lintText(t, 'fuzz.yaml'), t);
      }),
      { numRuns: 400 },
    );
  });

  it('bounds hostile shapes: deep nesting, alias bombs, huge scalars, many documents', () => {
    const hostile = [
      '['.repeat(50_000) + ']'.repeat(50_000),
      Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
      'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${'A'.repeat(2_000_000)}\nspec: {selector: {app: x}, ports: [{port: 1, targetPort: ${'p'.repeat(100_000)}}]}\n`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n'.repeat(5000),
    ];
    for (const text of hostile) {
      const r = lintText(text, 'fuzz.yaml');
      exercise(r, text);
    }
    const bomb = lintText(hostile[2]!, 'fuzz.yaml');
    expect(bomb.findings.map((f) => f.messageId)).toEqual(['aliasBomb']);
  });

  it('ends on inputs above the worker threshold, with a document nested 2,000-4,000 levels deep among them', async () => {
    const nest = [
      (d: number) => `${'{a: '.repeat(d)}1${'}'.repeat(d)}\n`,
      (d: number) => `${'['.repeat(d)}1${']'.repeat(d)}\n`,
      (d: number) => `${Array.from({ length: d }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`,
    ];
    const samples = fc.sample(fc.tuple(fc.integer({ min: 2000, max: 4000 }), fc.nat(nest.length - 1), fc.constantFrom(...seeds), fc.nat(), fc.string({ maxLength: 20 })), { numRuns: 4, seed: 42 });
    for (const [depth, shape, seed, at, junk] of samples) {
      const cut = at % (seed.length + 1);
      const files = [
        { path: 'big.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: "${'x'.repeat(PARALLEL_THRESHOLD_BYTES)}"}\n` },
        { path: 'deep.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n---\n${nest[shape]!(depth)}` },
        { path: 'spliced.yaml', text: seed.slice(0, cut) + junk + seed.slice(cut) },
        ...seeds.slice(0, 20).map((text, i) => ({ path: `seed-${i}.yaml`, text })),
      ];
      expect(files.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(PARALLEL_THRESHOLD_BYTES);
      const parsed = await parseAll(files, 2);
      expect(parsed.every((p) => p !== undefined)).toBe(true);
      const r = lint({ files, parsed });
      // The deep document is read or reported; the document before it in its file is read.
      expect(r.graph.objects.some((o) => o.name === 'd')).toBe(true);
      const summary = { errors: 0, warnings: 0, infos: 0, files: files.length, objects: r.graph.objects.length, services: r.graph.services.length };
      format('json', { findings: r.findings, summary, sources: new Map(files.map((f) => [f.path, f.text])) }, { color: false });
    }
  });
});
