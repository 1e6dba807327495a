import { describe, expect, it } from 'vitest';
import { buildFromFiles } from '../src/lint.js';
import { propertiesDocs, springConfig, springListen } from '../src/graph/spring.js';
import { mountedFiles } from '../src/graph/mounts.js';
import { getIn } from '../src/graph/pods.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function template(yaml: string) {
  const graph = buildFromFiles({ files: [{ path: 'app.yaml', text: yaml }] });
  const t = graph.templates[0]!;
  const raw = getIn(t.owner.body, t.containers[0]!.path) as Record<string, unknown>;
  return { graph, t, raw };
}

const POD = (mounts: string, volumes: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1
${extra}      volumeMounts:
${mounts}
  volumes:
${volumes}
`;

describe('Spring Boot config data, as the container sees it', () => {
  it('reads .properties as java.util.Properties does: separators, continuations, escapes, documents', () => {
    const docs = propertiesDocs('# comment\n! comment\nserver.port = 8081\nserver.address:127.0.0.1\nname value with spaces\nlong=a\\\n   b\nesc=\\u0041\\:x\n#---\nserver.port=9090\n');
    expect(docs).toHaveLength(2);
    expect(Object.fromEntries(docs[0]!)).toEqual({ 'server.port': '8081', 'server.address': '127.0.0.1', name: 'value with spaces', long: 'ab', esc: 'A:x' });
    expect(Object.fromEntries(docs[1]!)).toEqual({ 'server.port': '9090' });
  });

  it('finds files of ConfigMaps and Secrets by their path in the container: whole volumes, items, subPath, projected', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {application.yml: "server: {port: 8081}", other.txt: x}
---
apiVersion: v1
kind: Secret
metadata: {name: sec, namespace: shop}
data: {application-prod.properties: ${b64('server.port=9090\n')}}
---
${POD(`        - {name: a, mountPath: /app/config}
        - {name: b, mountPath: /app/config/application-prod.properties, subPath: application-prod.properties}
        - {name: c, mountPath: /etc/extra}`, `    - {name: a, configMap: {name: cfg, items: [{key: application.yml, path: application.yml}]}}
    - {name: b, secret: {secretName: sec}}
    - {name: c, projected: {sources: [{configMap: {name: cfg}}]}}`, '      workingDir: /app\n')}`;
    const { graph, t, raw } = template(yaml);
    expect(mountedFiles(graph, t, raw).map((f) => `${f.path} <- ${f.source}`).sort()).toEqual([
      '/app/config/application-prod.properties <- Secret sec, key application-prod.properties',
      '/app/config/application.yml <- ConfigMap cfg, key application.yml',
      '/etc/extra/application.yml <- ConfigMap cfg, key application.yml',
      '/etc/extra/other.txt <- ConfigMap cfg, key other.txt',
    ]);
    // No profile active: application-prod is not read.
    expect(springConfig(graph, t, raw)?.port?.value).toBe('8081');
  });

  it('ranks the sources as Spring Boot does: arguments, SPRING_APPLICATION_JSON, -D, variables, then files', () => {
    const files = [{ path: '/app/config/application.yml', text: 'server:\n  port: 8081\n', source: 'f' }];
    const base = { files, env: new Map<string, string>(), envOpen: false, args: [] as string[], sysProps: new Map<string, string>(), cwd: '/app' };
    expect(springListen(base)?.port?.value).toBe('8081');
    expect(springListen({ ...base, env: new Map([['SERVER_PORT', '8082']]) })?.port?.value).toBe('8082');
    expect(springListen({ ...base, env: new Map([['SERVER_PORT', '8082']]), sysProps: new Map([['server.port', '8083']]) })?.port?.value).toBe('8083');
    expect(springListen({ ...base, env: new Map([['SPRING_APPLICATION_JSON', '{"server":{"port":8084}}']]), sysProps: new Map([['server.port', '8083']]) })?.port?.value).toBe('8084');
    expect(springListen({ ...base, args: ['--server.port=8085'], env: new Map([['SPRING_APPLICATION_JSON', '{"server.port":8084}']]) })?.port?.value).toBe('8085');
    // A variable the run cannot read may be SERVER_PORT: no claim.
    expect(springListen({ ...base, envOpen: true })?.port).toBeUndefined();
    // What is not followed gives no answer.
    expect(springListen({ ...base, files: [{ ...files[0]!, text: 'spring:\n  config:\n    import: configserver:\n' }] })).toBeUndefined();
  });

  it('orders profile files profile by profile across a group\'s locations, as Spring Boot 4 does', () => {
    // cp in ./config/, prod in ./: the later profile wins although ./config/ outranks ./ for one profile.
    const files = [
      { path: '/app/config/application-cp.properties', text: 'server.port=24752\n', source: 'cp' },
      { path: '/app/application-prod.yml', text: 'server:\n  port: 8090\n', source: 'prod' },
      { path: '/app/config/application-prod.yml', text: 'server:\n  address: 0.0.0.0\n', source: 'prod2' },
    ];
    const base = { files, env: new Map([['SPRING_PROFILES_ACTIVE', 'cp,prod']]), envOpen: false, args: [] as string[], sysProps: new Map<string, string>(), cwd: '/app' };
    expect(springListen(base)?.port?.value).toBe('8090');
    // One profile: ./config/ wins over ./.
    const one = [{ path: '/app/config/application-prod.yml', text: 'server:\n  port: 9001\n', source: 'a' }, { path: '/app/application-prod.yml', text: 'server:\n  port: 9002\n', source: 'b' }];
    expect(springListen({ ...base, files: one, env: new Map([['SPRING_PROFILES_ACTIVE', 'prod']]) })?.port?.value).toBe('9001');
    // The winning file's unresolvable placeholder keeps the application from starting: no claim.
    const bare = [{ ...files[0]! }, { path: '/app/application-prod.yml', text: 'server:\n  port: "${PORT}"\n', source: 'prod' }];
    expect(springListen({ ...base, files: bare })?.port).toBeUndefined();
  });

  it('claims nothing the image could decide: the classpath, a location no mounted file is in', () => {
    const base = { env: new Map<string, string>(), envOpen: false, args: [] as string[], sysProps: new Map<string, string>(), cwd: '/app' };
    // Nothing mounted sets the port: the jar's application.properties may.
    expect(springListen({ ...base, files: [{ path: '/app/config/application.yml', text: 'server:\n  address: 0.0.0.0\n', source: 'f' }] })?.port).toBeUndefined();
    // An explicit location without the classpath: Spring Boot's default 8080.
    expect(springListen({ ...base, files: [{ path: '/etc/app/application.yml', text: 'server:\n  address: 0.0.0.0\n', source: 'f' }], env: new Map([['SPRING_CONFIG_LOCATION', 'file:/etc/app/']]) })?.port).toMatchObject({ value: '8080', from: 'default' });
    // An additional location the run does not mount is in the image and outranks the files.
    expect(springListen({ ...base, files: [{ path: '/app/config/application.yml', text: 'server:\n  port: 8081\n', source: 'f' }], env: new Map([['SPRING_CONFIG_ADDITIONAL_LOCATION', 'optional:file:/opt/app/']]) })?.port).toBeUndefined();
  });

  it('claims nothing a file the run cannot see could decide: a Secret not in the run, an emptyDir', () => {
    const yaml = (volume: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {application.yml: "server: {port: 8081}"}
---
${POD(`        - {name: a, mountPath: /app/config/application.yml, subPath: application.yml}
        - {name: b, mountPath: /app/config/application-prod.yml, subPath: application-prod.yml}`, `    - {name: a, configMap: {name: cfg}}
    - {name: b, ${volume}}`, '      workingDir: /app\n      env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n')}`;
    for (const volume of ['secret: {secretName: from-vault}', 'emptyDir: {}']) {
      const { graph, t, raw } = template(yaml(volume));
      expect(springConfig(graph, t, raw)?.port).toBeUndefined();
    }
    // Without the profile, application-prod.yml is not read: the ConfigMap's file decides.
    const plain = template(yaml('emptyDir: {}').replace('      env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n', ''));
    expect(springConfig(plain.graph, plain.t, plain.raw)?.port?.value).toBe('8081');
  });

  it('takes the likely working directory when the container names none, and says so', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {application.properties: "server.port=8081"}
---
${POD('        - {name: a, mountPath: /srv/config}', '    - {name: a, configMap: {name: cfg}}')}`;
    const { graph, t, raw } = template(yaml);
    expect(springConfig(graph, t, raw)).toMatchObject({ port: { value: '8081' }, assumed: '/srv' });
    // `/etc/config/` would be read only from a working directory no application has.
    const system = template(yaml.replace('mountPath: /srv/config', 'mountPath: /etc/config'));
    expect(springConfig(system.graph, system.t, system.raw)?.port).toBeUndefined();
    // An absolute location decides alone.
    const explicit = template(yaml.replace('      volumeMounts:', '      env: [{name: SPRING_CONFIG_LOCATION, value: "file:/srv/config/"}]\n      volumeMounts:'));
    expect(springConfig(explicit.graph, explicit.t, explicit.raw)?.assumed).toBeUndefined();
    expect(springConfig(explicit.graph, explicit.t, explicit.raw)?.port?.value).toBe('8081');
  });
});
