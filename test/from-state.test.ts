import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './helpers.js';

describe('svclint doctor --from input with no Kubernetes object', () => {
  const dir = tempTree({ 'empty.yaml': '', 'comments.yaml': '# nothing\n---\n', 'config.yaml': 'a: 1\nb: [x]\n', 'state.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' });

  it('is an error (exit 2, one line), as it is for the lint: an empty file, comments only, no object', () => {
    for (const f of ['empty.yaml', 'comments.yaml', 'config.yaml']) {
      const r = cli(['doctor', '--from', f], { cwd: dir });
      expect(r.code, f).toBe(2);
      expect(r.stdout, f).toBe('');
      expect(r.stderr, f).toBe(`svclint: no Kubernetes objects found in '${f}': --from reads a saved cluster state, such as \`kubectl get services,endpointslices,pods -A -o yaml\`\n`);
      expect(cli([f], { cwd: dir }).code, `lint ${f}`).toBe(2);
    }
  });

  it('empty stdin too', () => {
    const r = cli(['doctor', '--from', '-'], { cwd: dir, input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^svclint: no Kubernetes objects found in stdin: /);
  });

  it('a state with objects is read as before', () => {
    const r = cli(['doctor', '--from', 'state.yaml', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });
});

describe('svclint doctor --from a state with webhooks', () => {
  const svc = (ready: boolean) => `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: webhook-service, namespace: shop-system}
    spec: {clusterIP: 10.96.1.5, selector: {app: manager}, ports: [{name: https, port: 443, targetPort: 9443, protocol: TCP}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: manager-1, namespace: shop-system, labels: {app: manager}}
    spec: {nodeName: node-1, containers: [{name: manager, image: example/manager:1, ports: [{containerPort: 9443}]}]}
    status: {phase: Running, podIP: 10.244.0.9, conditions: [{type: Ready, status: "${ready ? 'True' : 'False'}"}]}
  - apiVersion: discovery.k8s.io/v1
    kind: EndpointSlice
    metadata: {name: webhook-service-abc, namespace: shop-system, labels: {kubernetes.io/service-name: webhook-service}}
    addressType: IPv4
    ports: [{name: https, port: 9443, protocol: TCP}]
    endpoints: [{addresses: [10.244.0.9], conditions: {ready: ${ready}}}]
  - apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata: {name: shop}
    webhooks:
      - name: vorder.shop.example.com
        admissionReviewVersions: [v1]
        sideEffects: None
        clientConfig: {service: {namespace: shop-system, name: webhook-service, path: /validate}}
        rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
`;
  const dir = tempTree({ 'ready.yaml': svc(true), 'not-ready.yaml': svc(false) });
  const webhookFindings = (f: string) => (JSON.parse(cli(['doctor', '--from', f, '--format', 'json'], { cwd: dir }).stdout) as { findings: { ruleId: string; messageId: string; severity: string }[] }).findings.filter((x) => x.ruleId === 'webhook-service-invalid');

  it('says a webhook fails when its Service has no ready endpoint, and nothing when it has one', () => {
    expect(webhookFindings('not-ready.yaml').map((f) => [f.messageId, f.severity])).toEqual([['noEndpoints', 'error']]);
    expect(webhookFindings('ready.yaml')).toEqual([]);
  });
});
