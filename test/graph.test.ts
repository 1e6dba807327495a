import { describe, expect, it } from 'vitest';
import { buildFromFiles, lintText } from '../src/lint.js';
import { computeRoutes } from '../src/graph/routes.js';
import { emissaryService } from '../src/graph/referrers.js';
import { nginxListenPorts } from '../src/graph/listen.js';
import type { ServiceGraph } from '../src/types/graph.js';

const graphOf = (text: string, namespace?: string): ServiceGraph =>
  buildFromFiles({ files: [{ path: 'x.yaml', text }], namespace });

const svc = (name: string, selector: string, ports: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${extra}spec:
  selector: ${selector}
  ports: ${ports}
---
`;

const deploy = (name: string, labels: string, containers: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${extra}spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers: ${containers}
---
`;

describe('selection', () => {
  it('a file that defines its own variant of a workload defined in other files too selects its own variant (copies of an example, overlays)', () => {
    const c = '[{name: c, image: i}]';
    const g = buildFromFiles({ files: [
      { path: 'a.yaml', text: svc('api', '{app: api}', '[{port: 80}]') + deploy('api', '{app: api-v2}', c) + deploy('worker', '{app: api}', c) },
      { path: 'b.yaml', text: svc('api', '{app: api}', '[{port: 80}]') + deploy('api', '{app: api}', c) },
      { path: 'c.yaml', text: svc('other', '{app: api}', '[{port: 80}]') },
    ] });
    const of = (file: string, name: string) => g.services.find((s) => s.object.origin?.file.path === file && s.object.name === name)!.backends.map((t) => `${t.owner.origin?.file.path}:${t.owner.name}`);
    // a.yaml's api is relabelled: b.yaml's variant of Deployment api is not beside it, a workload defined once still is.
    expect(of('a.yaml', 'api')).toEqual(['a.yaml:worker']);
    expect(of('b.yaml', 'api')).toEqual(['a.yaml:worker', 'b.yaml:api']);
    // A file without a variant of its own sees every file's.
    expect(of('c.yaml', 'other')).toEqual(['a.yaml:worker', 'b.yaml:api']);
  });

  it('matches template labels, not the workload labels or selector, in the resolved namespace', () => {
    const g = graphOf(
      svc('a', '{app: a}', '[{port: 80}]') +
        deploy('a', '{app: a, extra: x}', '[{name: c, image: i}]', '  namespace: default\n') +
        deploy('b', '{app: b}', '[{name: c, image: i}]', '  labels: {app: a}\n') +
        deploy('c', '{app: a}', '[{name: c, image: i}]', '  namespace: other\n'),
    );
    expect(g.services[0]!.backends.map((t) => t.owner.name)).toEqual(['a']);
  });

  it('resolves a missing namespace to --namespace', () => {
    const g = graphOf(svc('a', '{app: a}', '[{port: 80}]') + deploy('a', '{app: a}', '[{name: c, image: i}]', '  namespace: prod\n'), 'prod');
    expect(g.services[0]!.object.namespace).toBe('prod');
    expect(g.services[0]!.backends).toHaveLength(1);
  });

  it('treats a missing or empty selector as managed elsewhere, and ExternalName as no backends', () => {
    const g = graphOf(`apiVersion: v1
kind: Service
metadata: {name: manual}
spec: {ports: [{name: db, port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual}
subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{name: db, port: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: db.example.com, selector: {app: a}}
---
` + deploy('a', '{app: a}', '[{name: c, image: i}]'));
    const [manual, ext] = g.services;
    expect(manual).toMatchObject({ mode: 'manual', backends: [] });
    expect(manual!.manualEndpoints.map((e) => e.kind)).toEqual(['Endpoints']);
    expect(ext).toMatchObject({ mode: 'external-name', backends: [] });
  });

  it('selects pods of every pod source kind, including CronJob and Argo Rollout templates', () => {
    const kinds = `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: x}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: i}]}}}}}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec: {template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: i}]}}}
---
` + ['StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map((k) => `apiVersion: apps/v1
kind: ${k}
metadata: {name: ${k.toLowerCase()}}
spec: {template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: i}]}}}
---
`).join('');
    const g = graphOf(svc('s', '{app: x}', '[{port: 80}]') + kinds);
    expect(g.services[0]!.backends.map((t) => t.owner.kind).sort()).toEqual(
      ['CronJob', 'DaemonSet', 'Job', 'Pod', 'ReplicaSet', 'ReplicationController', 'Rollout', 'StatefulSet'],
    );
  });
});

describe('FindPort', () => {
  const one = (ports: string, containers: string, init = '') => {
    const g = graphOf(svc('s', '{app: a}', ports) + `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: a}}
spec:
${init}  containers: ${containers}
`);
    return g.services[0]!.ports.map((p) => p.resolutions[0]!);
  };

  it('defaults targetPort to port and uses numbers as they are, declared or not', () => {
    const [a, b] = one('[{name: a, port: 80}, {name: b, port: 81, targetPort: 9999}]', '[{name: c, image: i, ports: [{containerPort: 80}]}]');
    expect(a).toMatchObject({ targetPort: 80, declared: true });
    expect(b).toMatchObject({ targetPort: 9999, declared: false });
    expect(b!.failure).toBeUndefined();
  });

  it('resolves a name by name and protocol, in any container and in native sidecars only', () => {
    const rs = one(
      '[{name: a, port: 1, targetPort: web}, {name: b, port: 2, targetPort: side}, {name: c, port: 3, targetPort: init}, {name: d, port: 53, targetPort: dns}, {name: e, port: 53, protocol: UDP, targetPort: dns}]',
      '[{name: one, image: i}, {name: two, image: i, ports: [{name: web, containerPort: 8080}, {name: dns, containerPort: 5353, protocol: UDP}]}]',
      '  initContainers:\n    - {name: proxy, image: i, restartPolicy: Always, ports: [{name: side, containerPort: 15001}]}\n    - {name: setup, image: i, ports: [{name: init, containerPort: 1234}]}\n',
    );
    expect(rs.map((r) => r.targetPort ?? r.failure)).toEqual([8080, 15001, 'name-missing', 'protocol-mismatch', 5353]);
    expect(rs[0]!.container!.name).toBe('two');
    expect(rs[1]!.container!.sidecar).toBe(true);
  });

  it('treats a quoted number as a name that never resolves', () => {
    const [r] = one('[{port: 80, targetPort: "8080"}]', '[{name: c, image: i, ports: [{containerPort: 8080}]}]');
    expect(r).toMatchObject({ failure: 'quoted-number' });
    expect(r!.targetPort).toBeUndefined();
  });
});

describe('readiness facts', () => {
  it('knows replicas 0, Job pods, and readiness probes on ports the probed container lacks', () => {
    const g = graphOf(
      svc('s', '{app: a}', '[{port: 80}]') +
        deploy('zero', '{app: a, v: "0"}', '[{name: c, image: i}]').replace('spec:\n  selector', 'spec:\n  replicas: 0\n  selector') +
        deploy('probe', '{app: a, v: "1"}', '[{name: c, image: i, readinessProbe: {httpGet: {port: health}}}, {name: d, image: i, ports: [{name: health, containerPort: 1}]}]') +
        deploy('ok', '{app: a, v: "2"}', '[{name: c, image: i, ports: [{name: health, containerPort: 1}], readinessProbe: {httpGet: {port: health}}}]'),
    );
    const reasons = Object.fromEntries(g.services[0]!.backends.map((t) => [t.owner.name, g.notReadyReasons(t).map((r) => r.kind)]));
    expect(reasons).toEqual({ zero: ['scaled-to-zero'], probe: ['probe-port-unknown'], ok: [] });
  });
});

describe('routes', () => {
  it('computes VIP routes, DNS names and backends', () => {
    const g = graphOf(
      svc('web', '{app: web}', '[{name: http, port: 80, targetPort: http}]', '  namespace: shop\n') +
        deploy('web', '{app: web}', '[{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]', '  namespace: shop\n').replace('spec:\n  selector', 'spec:\n  replicas: 3\n  selector'),
    );
    const [r] = computeRoutes(g);
    expect(r).toMatchObject({ name: 'web', namespace: 'shop', vip: 'unallocated', dns: 'web.shop.svc.cluster.local' });
    expect(r!.ports[0]).toMatchObject({ from: 'unallocated:80/TCP', srv: '_http._tcp.web.shop.svc.cluster.local' });
    expect(r!.ports[0]!.backends[0]).toMatchObject({ name: 'web', replicas: 3, container: 'c', targetPort: 8080, ready: true });
  });
});

describe('engine', () => {
  it('maps paths to 1-based ranges, in CRLF and BOM files and List items', () => {
    const text = '\ufeffapiVersion: v1\r\nkind: List\r\nitems:\r\n  - apiVersion: v1\r\n    kind: Service\r\n    metadata:\r\n      name: Bad_Name\r\n    spec: {type: ExternalName, externalName: x.example.com}\r\n';
    const { findings } = lintText(text, 'l.yaml');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'l.yaml', line: 7, column: 13, endLine: 7, endColumn: 21 });
    expect(findings[0]!.path).toBe('metadata.name');
  });

  it('falls back to the nearest existing parent for a missing key', async () => {
    const { locate } = await import('../src/engine/locate.js');
    const g = graphOf('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n    - port: 80\n');
    const o = g.objects[0]!;
    expect(locate(o.origin!, ['spec', 'ports', 0, 'targetPort'])).toMatchObject({ exact: false, location: { line: 7, column: 7 } });
    expect(locate(o.origin!, ['spec', 'selector', 'app'])).toMatchObject({ exact: false, location: { line: 5, column: 1, endColumn: 5 } });
    expect(locate(o.origin!, ['spec', 'ports', 0, 'port'])).toMatchObject({ exact: true, location: { line: 7, column: 13, endColumn: 15 } });
  });

  it('suppresses by comment and annotation, and reports unused suppressions', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: A_1  # svclint-disable-line
spec: {type: ExternalName, externalName: x.example.com}
---
apiVersion: v1
kind: Service
metadata:
  name: B_1
  annotations: {svclint.dev/disable: all}
spec: {type: ExternalName, externalName: x.example.com}
---
apiVersion: v1
kind: Service
metadata:
  name: c  # svclint-disable-line service-name-invalid, selector-no-match
spec: {type: ExternalName, externalName: x.example.com}
`;
    const { findings } = lintText(text);
    expect(findings.map((f) => `${f.location!.line}:${f.ruleId}:${f.severity}:${f.message}`)).toEqual([
      "17:unused-suppression:info:this suppression of 'service-name-invalid', 'selector-no-match' suppresses nothing",
    ]);
  });
});

describe('a finding about a text inside a value', () => {
  const text = (suppress: string) => `apiVersion: v1
kind: Service
metadata: {name: backend}
spec:
  selector: {app: backend}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: proxy}
data:
  default.conf: |${suppress}
    # was backend:80801 before the move
    upstream backend-pool { server backend:8080; }
    server {
      location / { proxy_pass http://backend:8080; }
    }
  app.properties: "api.url=http://backend:8080"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: proxy}
spec:
  selector: {matchLabels: {app: proxy}}
  template:
    metadata: {labels: {app: proxy}}
    spec:
      containers:
      - name: p
        image: nginx:1.27
        volumeMounts: [{name: c, mountPath: /etc/nginx/conf.d}]
        env: [{name: B, valueFrom: {configMapKeyRef: {name: proxy, key: app.properties}}}]
      volumes: [{name: c, configMap: {name: proxy}}]
`;

  it('is placed where the source writes that text, as a whole word, and a suppression on the first line of the value still applies', () => {
    const dns = (t: string) => lintText(t, 'p.yaml').findings.filter((f) => f.ruleId === 'dns-reference-unknown-service').map((f) => f.location);
    expect(dns(text(''))).toEqual([
      { file: 'p.yaml', line: 14, column: 36, endLine: 14, endColumn: 48 },
      { file: 'p.yaml', line: 16, column: 31, endLine: 16, endColumn: 50 },
      { file: 'p.yaml', line: 18, column: 28, endLine: 18, endColumn: 47 },
    ]);
    const suppressed = lintText(text('  # svclint-disable-line dns-reference-unknown-service'), 'p.yaml').findings.filter((f) => f.ruleId !== 'selector-no-match');
    expect(suppressed.map((f) => `${f.location?.line}:${f.ruleId}`)).toEqual(['18:dns-reference-unknown-service']);
  });
});

describe('kustomize inputs', () => {
  it('leaves out the files a kustomization uses as patches, and only those', async () => {
    const { lint } = await import('../src/lint.js');
    const files = [
      { path: 'app/base/kustomization.yaml', text: 'resources: [deploy.yaml]\n' },
      { path: 'app/base/deploy.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n' },
      { path: 'app/prod/kustomization.yaml', text: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\npatches:\n  - path: replicas.yaml\npatchesStrategicMerge:\n  - ./extra/probe.yaml\n' },
      { path: 'app/prod/replicas.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n' },
      { path: 'app/prod/extra/probe.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web, readinessProbe: {httpGet: {port: http}}}]}}}\n' },
    ];
    const { graph, findings } = lint({ files });
    expect(graph.templates.map((t) => t.owner.origin!.file.path)).toEqual(['app/base/deploy.yaml']);
    expect(findings).toEqual([]);
  });
});

describe('emissaryService', () => {
  it('reads [scheme://]name[.namespace][:port] as Emissary does, and leaves hosts that are not Services alone', () => {
    expect(emissaryService('quote', 'shop', 'cluster.local')).toEqual({ name: 'quote', namespace: 'shop', port: undefined, scheme: undefined });
    expect(emissaryService('quote:8080', 'shop', 'cluster.local')).toMatchObject({ name: 'quote', namespace: 'shop', port: 8080 });
    expect(emissaryService('https://quote.billing:8443', 'shop', 'cluster.local')).toMatchObject({ name: 'quote', namespace: 'billing', port: 8443, scheme: 'https' });
    expect(emissaryService('quote.billing.svc.cluster.local:80', 'shop', 'cluster.local')).toMatchObject({ name: 'quote', namespace: 'billing', port: 80 });
    expect(emissaryService('quote.billing.svc.example.org', 'shop', 'cluster.local')).toBeUndefined();
    for (const raw of ['10.0.0.5:22', 'localhost:8500', 'grpc://quote:80', 'www.example.org', 'quote:http', 'quote:70000', '[::1]:80', 'Quote_Svc']) {
      expect(emissaryService(raw, 'shop', 'cluster.local')).toBeUndefined();
    }
  });
});

describe('nginxListenPorts', () => {
  it('reads the ports of listen directives, 80 for an address alone, and gives up on includes it cannot see', () => {
    expect(nginxListenPorts('server {\n  listen 8080;\n  listen [::]:8080 default_server;\n}\n')).toEqual([8080]);
    expect(nginxListenPorts('server { listen 127.0.0.1; listen 443 ssl http2; listen unix:/run/nginx.sock; }')).toEqual([80, 443]);
    expect(nginxListenPorts('# listen 9999;\nserver { listen 0.0.0.0:8443 ssl; }')).toEqual([8443]);
    expect(nginxListenPorts('http { include /etc/nginx/conf.d/*.conf; server { listen 81; } }')).toBeUndefined();
    expect(nginxListenPorts('http { include mime.types; server { listen 81; } }')).toEqual([81]);
    expect(nginxListenPorts('upstream app { server app:8080; }')).toBeUndefined();
  });
});

describe('objects by kind (src/graph/kinds.ts)', () => {
  it('gives the same objects, in the same order, as scanning every object of the run', async () => {
    const { objectsOfKind, objectNamed } = await import('../src/graph/kinds.js');
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: x}\n',
      'apiVersion: example.com/v1\nkind: ConfigMap\nmetadata: {name: b, namespace: x}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: x}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: y}\n',
    ].join('---\n');
    const g = graphOf(text);
    for (const kind of ['ConfigMap', 'Secret', 'Service']) expect(objectsOfKind(g, kind)).toEqual(g.objects.filter((o) => o.kind === kind));
    for (const [ns, name] of [['x', 'a'], ['x', 'b'], ['y', 'a'], ['y', 'b']] as const) {
      expect(objectNamed(g, 'ConfigMap', ns, name)).toBe(g.objects.find((o) => o.kind === 'ConfigMap' && o.namespace === ns && o.name === name));
    }
    // The first of two objects of one kind, namespace and name (here of two groups) is the one found.
    expect(objectNamed(g, 'ConfigMap', 'x', 'b')?.apiVersion).toBe('example.com/v1');
  });
});
