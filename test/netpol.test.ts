import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintText } from '../src/lint.js';
import { defaultConfig, loadConfig } from '../src/engine/config.js';
import { judge, podView, policyIndex, policyLink, serviceFlows } from '../src/graph/netpol.js';
import { matchSelector, readSelector } from '../src/graph/netpol-model.js';
import { computeRoutes } from '../src/graph/routes.js';
import { RULES } from '../rules/index.js';
import type { NetworkPolicySettings } from '../src/types/graph.js';
import { cli } from './helpers.js';

const yaml = (...docs: unknown[]) => docs.map((d) => stringify(d)).join('---\n');
const pod = (ns: string, name: string, labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }] }], ...spec },
});
const dialer = (ns: string, name: string, url: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'URL', value: url }] }], ...spec },
});
const svc = (ns: string, name: string, selector: Record<string, string>, ports: Record<string, unknown>[] = [{ port: 80, targetPort: 'http' }], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports, ...extra },
});
const np = (ns: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

function graphOf(text: string, networkPolicy?: NetworkPolicySettings) {
  const config = { ...defaultConfig(), ...(networkPolicy ? { networkPolicy } : {}) };
  return lintText(text, 'in.yaml', { config });
}

function verdict(text: string, from: string, to: string, port: number, protocol = 'TCP', settings?: NetworkPolicySettings) {
  const { graph } = graphOf(text, settings);
  const t = (n: string) => graph.templates.find((x) => `${x.namespace}/${x.owner.name}` === n)!;
  return judge(policyIndex(graph), podView(t(from)), podView(t(to)), port, protocol);
}

describe('label selectors', () => {
  it('evaluates matchLabels and every matchExpressions operator, ANDed', () => {
    const s = readSelector({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }, { key: 'legacy', operator: 'DoesNotExist' }, { key: 'env', operator: 'NotIn', values: ['dev'] }, { key: 'team', operator: 'Exists' }] });
    expect(matchSelector(s, { app: 'a', tier: 'db', team: 'x' })).toBe(true);
    expect(matchSelector(s, { app: 'a', tier: 'db', team: 'x', env: 'dev' })).toBe(false);
    expect(matchSelector(s, { app: 'a', tier: 'db', team: 'x', legacy: '' })).toBe(false);
    expect(matchSelector(s, { app: 'a', tier: 'db' })).toBe(false);
    expect(matchSelector(readSelector({}), {})).toBe(true);
  });

  it('knows only the name label of a namespace without a Namespace object', () => {
    const byName = readSelector({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
    expect(matchSelector(byName, { 'kubernetes.io/metadata.name': 'shop' }, false)).toBe(true);
    expect(matchSelector(readSelector({ matchLabels: { team: 'x' } }), { 'kubernetes.io/metadata.name': 'shop' }, false)).toBe('unknown');
    // A definite mismatch on the name decides even when other labels are unknown.
    expect(matchSelector(readSelector({ matchLabels: { team: 'x', 'kubernetes.io/metadata.name': 'web' } }), { 'kubernetes.io/metadata.name': 'shop' }, false)).toBe(false);
  });
});

describe('verdicts', () => {
  const base = [pod('a', 'client', { app: 'client' }), pod('b', 'server', { app: 'server' })];

  it('defaults policyTypes as the API server does: Egress only with non-empty egress rules', () => {
    expect(verdict(yaml(...base, np('a', 'p', { podSelector: {}, egress: [] })), 'a/client', 'b/server', 8080).kind).toBe('allowed');
    expect(verdict(yaml(...base, np('a', 'p', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })), 'a/client', 'b/server', 8080).kind).toBe('blocked');
    expect(verdict(yaml(...base, np('b', 'p', { podSelector: {} })), 'a/client', 'b/server', 8080).kind).toBe('blocked');
    expect(verdict(yaml(...base, np('b', 'p', { podSelector: {}, policyTypes: ['Egress'] })), 'a/client', 'b/server', 8080).kind).toBe('allowed');
  });

  it('leaves out a policy the API server rejects: it is never stored, so it isolates nothing', () => {
    // A deny-all ingress policy blocks; the same with a policy type in lower case is rejected, and schema-invalid says so.
    expect(verdict(yaml(...base, np('b', 'p', { podSelector: {}, policyTypes: ['Ingress'] })), 'a/client', 'b/server', 8080).kind).toBe('blocked');
    expect(verdict(yaml(...base, np('b', 'p', { podSelector: {}, policyTypes: ['ingress'] })), 'a/client', 'b/server', 8080).kind).toBe('allowed');
    expect(verdict(yaml(...base, np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] })), 'a/client', 'b/server', 8080).kind).toBe('allowed');
    const { findings } = graphOf(yaml(...base, np('b', 'p', { podSelector: {}, policyTypes: ['ingress'] })));
    expect(findings.filter((f) => f.ruleId === 'schema-invalid').map((f) => f.path)).toEqual(['spec.policyTypes[0]']);
  });

  it('names the isolating policies of each blocking side', () => {
    const v = verdict(yaml(...base, np('a', 'deny-out', { podSelector: {}, policyTypes: ['Egress'] }), np('b', 'deny-in', { podSelector: { matchLabels: { app: 'server' } } })), 'a/client', 'b/server', 8080);
    expect(v.kind === 'blocked' && v.sides.map((s) => `${s.direction}:${s.policies.map((p) => p.object.name)}`)).toEqual(['egress:deny-out', 'ingress:deny-in']);
  });

  it('resolves named policy ports on the destination pod, per protocol', () => {
    const text = yaml(...base, np('b', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }));
    expect(verdict(text, 'a/client', 'b/server', 8080).kind).toBe('allowed');
    expect(verdict(text, 'a/client', 'b/server', 8080, 'UDP').kind).toBe('blocked');
    // The client also declares `http` (on 8080) but it is not the destination here.
    expect(verdict(text, 'b/server', 'a/client', 8080).kind).toBe('allowed');
  });

  it('judges ipBlock peers only when the pod CIDRs are configured', () => {
    const text = yaml(...base, np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }));
    const unknown = verdict(text, 'a/client', 'b/server', 8080);
    expect(unknown.kind === 'cannot-tell' && unknown.reasons.join()).toContain('ipBlock 10.0.0.0/8');
    expect(verdict(text, 'a/client', 'b/server', 8080, 'TCP', { podCIDRs: ['10.244.0.0/16'] }).kind).toBe('allowed');
    expect(verdict(text, 'a/client', 'b/server', 8080, 'TCP', { podCIDRs: ['192.168.0.0/16'] }).kind).toBe('blocked');
    expect(verdict(text, 'a/client', 'b/server', 8080, 'TCP', { podCIDRs: ['10.1.0.0/16'] }).kind).toBe('blocked');
    expect(verdict(text, 'a/client', 'b/server', 8080, 'TCP', { podCIDRs: ['10.0.0.0/7'] }).kind).toBe('cannot-tell');
  });

  it('leaves hostNetwork pods selected by a policy to the network plugin', () => {
    const text = yaml(pod('a', 'client', { app: 'client' }), pod('b', 'server', { app: 'server' }, { hostNetwork: true }), np('b', 'p', { podSelector: {} }));
    const v = verdict(text, 'a/client', 'b/server', 8080);
    expect(v.kind === 'cannot-tell' && v.reasons.join()).toContain('uses the host network');
  });
});

describe('flows', () => {
  it('judges Ingress backends from the configured ingress controller, assumed when not in the input', () => {
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } };
    const text = yaml(pod('shop', 'web', { app: 'web' }), svc('shop', 'web', { app: 'web' }), ing, np('shop', 'only-shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }));
    expect(graphOf(text).findings.filter((f) => f.ruleId === 'network-policy-blocks-service')).toEqual([]);
    const controller = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
    const { findings, graph } = graphOf(text, { ingressController: controller });
    const f = findings.filter((x) => x.ruleId === 'network-policy-blocks-service');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('ingress controller (ingress-nginx, app.kubernetes.io/name=ingress-nginx) dials `web:80` (backend of Ingress `web`)');
    expect(f[0]!.remediation).toContain('kubernetes.io/metadata.name: ingress-nginx');
    expect(serviceFlows(graph)).toHaveLength(1);
    // An AWS ALB's or GKE's Ingress is served by a cloud load balancer, not by the controller pods.
    for (const cls of [{ ingressClassName: 'alb' }, { ingressClassName: 'gce' }]) {
      const cloud = { ...ing, spec: { ...ing.spec, ...cls } };
      const t = yaml(pod('shop', 'web', { app: 'web' }), svc('shop', 'web', { app: 'web' }), cloud, np('shop', 'only-shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }));
      expect(graphOf(t, { ingressController: controller }).findings.filter((x) => x.ruleId === 'network-policy-blocks-service')).toEqual([]);
    }
  });

  it('uses the run\'s own CoreDNS pods and the kube-dns Service\'s named target ports', () => {
    const coredns = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system' }, spec: { selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'coredns', image: 'coredns:1', ports: [{ name: 'dns', containerPort: 1053, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 1053 }] }] } } } };
    const kubeDns = svc('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }, { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp' }]);
    const egress = (ports: unknown[]) => np('shop', 'egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }, { to: [{ namespaceSelector: {} }], ports }] });
    const common = [dialer('shop', 'web', 'http://api:80'), pod('shop', 'api', { app: 'api' }), svc('shop', 'api', { app: 'api' }), coredns, kubeDns];
    const dns = (ports: unknown[]) => graphOf(yaml(...common, egress(ports))).findings.filter((f) => f.ruleId === 'network-policy-blocks-dns');
    expect(dns([{ port: 1053, protocol: 'UDP' }, { port: 1053, protocol: 'TCP' }])).toEqual([]);
    expect(dns([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]).map((f) => f.severity)).toEqual(['error']);
    expect(dns([{ port: 'dns', protocol: 'UDP' }]).map((f) => `${f.severity}:${f.messageId}`)).toEqual(['warning:tcpMissing']);
  });

  it('judges every port of the Service when the reference has none, and only the written one otherwise', () => {
    const server = { ...pod('shop', 'api', { app: 'api' }), spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9000 }] }] } };
    const two = svc('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 90, targetPort: 'admin' }]);
    const policy = np('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] });
    const ids = (url: string) => graphOf(yaml(dialer('shop', 'web', url), server, two, policy)).findings.filter((f) => f.ruleId === 'network-policy-blocks-service').map((f) => f.message.match(/port (`\w+` \d+)/)![1]);
    expect(ids('http://api:80')).toEqual([]);
    expect(ids('http://api:90')).toEqual(['`admin` 90']);
    expect(ids('api')).toEqual(['`admin` 90']);
  });

  it('judges pods alike once (copies of a client share one verdict and one list of backends), and pods that differ in labels, host network or port names apart', () => {
    const api = (name: string) => ({ ...pod('shop', 'api', { app: 'api' }), spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ name, containerPort: 8080 }] }] } });
    const policy = np('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }] });
    const web = dialer('shop', 'web', 'http://api:80');
    const relabelled = { ...web, metadata: { ...web.metadata, labels: { app: 'other' } } };
    const onHost = dialer('shop', 'web', 'http://api:80', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    const { graph } = graphOf(yaml(web, web, relabelled, onHost, api('http'), api('http'), api('web'), svc('shop', 'api', { app: 'api' }, [{ port: 80, targetPort: 8080 }]), policy));
    const flows = serviceFlows(graph);
    expect(flows.map((f) => f.backends.map((b) => `${b.targetPort}:${b.verdict.kind}`).join(' '))).toEqual([
      '8080:allowed 8080:allowed 8080:blocked',
      '8080:allowed 8080:allowed 8080:blocked',
      '8080:blocked 8080:blocked 8080:blocked',
      '8080:cannot-tell 8080:cannot-tell 8080:blocked',
    ]);
    expect(flows[1]!.backends).toBe(flows[0]!.backends);
    expect(flows[2]!.backends).not.toBe(flows[0]!.backends);
    // The same verdicts as judge() gives each pair on its own.
    const index = policyIndex(graph);
    for (const f of flows) for (const b of f.backends) expect(b.verdict).toEqual(judge(index, f.client, b.backend, b.targetPort, b.protocol));
  });

  it('shows clients per Service port in routes, and a policy link for the chain view', () => {
    const text = yaml(dialer('shop', 'web', 'http://api.backend:80'), dialer('shop', 'cron', 'http://api.backend'), pod('backend', 'api', { app: 'api' }), svc('backend', 'api', { app: 'api' }),
      np('backend', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }] }] }));
    const { graph } = graphOf(text);
    const port = computeRoutes(graph)[0]!.ports[0]!;
    expect(port.clients!.map((c) => `${c.client}:${c.admitted}`)).toEqual(['Pod shop/web:yes', 'Pod shop/cron:no']);
    const link = policyLink(graph, graph.services[0]!);
    expect(link.status).toBe('blocked');
    expect(link.lines).toContain('Pod shop/cron → Pod backend/api :8080/TCP: blocked at ingress by backend/p');
    const quiet = graphOf(yaml(pod('a', 'x', { app: 'x' }), svc('a', 'x', { app: 'x' }))).graph;
    expect(policyLink(quiet, quiet.services[0]!)).toEqual({ status: 'none', lines: ['no NetworkPolicy in the input'] });
    const r = cli(['routes', '-f', 'json', '-'], { input: text });
    expect(JSON.parse(r.stdout).services[0].ports[0].clients[1]).toMatchObject({ client: 'Pod shop/cron', admitted: 'no' });
  });
});

describe('configuration', () => {
  it('reads networkPolicy from .svclint.yaml and rejects a malformed one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svclint-np-'));
    const file = path.join(dir, '.svclint.yaml');
    writeFileSync(file, 'networkPolicy:\n  clusterDns: {namespace: dns, podLabels: {app: coredns}, ports: [{port: 5353, protocol: UDP}, {port: 5353}]}\n  podCIDRs: [10.244.0.0/16]\n');
    const cfg = await loadConfig(file, RULES.map((r) => r.meta));
    expect(cfg.networkPolicy).toEqual({ clusterDns: { namespace: 'dns', podLabels: { app: 'coredns' }, ports: [{ port: 5353, protocol: 'UDP' }, { port: 5353, protocol: 'TCP' }] }, podCIDRs: ['10.244.0.0/16'] });
    writeFileSync(file, 'networkPolicy:\n  ingressController: {namespace: ingress-nginx}\n');
    await expect(loadConfig(file, RULES.map((r) => r.meta))).rejects.toThrow(/networkPolicy.ingressController/);
  });
});
