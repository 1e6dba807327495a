// tools: control-plane
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { ControlPlane, USERS } from './cluster/controlplane.js';

/**
 * The ways a kubeconfig proves who the doctor is, against a real kube-apiserver: a client
 * certificate, a bearer token file, an exec credential plugin; and a server certificate
 * verified against its CA (paths relative to the kubeconfig), or refused when untrusted.
 */
const cp = new ControlPlane({ controllerManager: false, clientCerts: true });

function kubeconfig(name: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const file = path.join(cp.dir, `${name}.kubeconfig`);
  writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [{ name: 'local', cluster: { server: cp.server, ...cluster } }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: 'local', user: name } }],
  }));
  return file;
}

/** The server's CA, named relative to the kubeconfig file as kubectl allows. */
const trusted = () => ({ 'certificate-authority': path.relative(cp.dir, cp.servingCA) });

function doctorAs(file: string) {
  const before = cp.requestsBy('doctor');
  const r = cli(['doctor', '--kubeconfig', file, '-n', 'default', '--format', 'json']);
  return { ...r, asDoctor: cp.requestsBy('doctor') - before };
}

beforeAll(async () => {
  await cp.start();
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'svclint-doctor' }, rules: [{ apiGroups: ['', 'apps', 'batch', 'discovery.k8s.io', 'networking.k8s.io', 'gateway.networking.k8s.io', 'argoproj.io'], resources: ['*'], verbs: ['get', 'list'] }] });
  await cp.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'svclint-doctor' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'svclint-doctor' }, subjects: [{ kind: 'User', name: 'doctor', apiGroup: 'rbac.authorization.k8s.io' }] });
}, 120_000);

afterAll(async () => {
  await cp.stop();
});

describe('svclint doctor authenticates the way kubectl does', () => {
  it('with a client certificate and key, verifying the server against its CA', () => {
    const { cert, key } = cp.clientCert('doctor');
    const r = doctorAs(kubeconfig('cert', trusted(), { 'client-certificate': cert, 'client-key': key }));
    expect(r.stderr).toBe('');
    expect(r.code).toBeLessThan(2);
    expect(JSON.parse(r.stdout).summary.services).toBeGreaterThan(0);
    expect(r.asDoctor).toBeGreaterThan(5);
  });

  it('with a bearer token file (tokenFile)', () => {
    const tokenFile = path.join(cp.dir, 'doctor.token');
    writeFileSync(tokenFile, `${USERS.doctor.token}\n`);
    const r = doctorAs(kubeconfig('tokenfile', trusted(), { tokenFile: 'doctor.token' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBeLessThan(2);
    expect(r.asDoctor).toBeGreaterThan(5);
  });

  it('with an exec credential plugin, run once', () => {
    const script = path.join(cp.dir, 'plugin.mjs');
    const calls = path.join(cp.dir, 'plugin.calls');
    writeFileSync(calls, '');
    writeFileSync(script, [
      "import { appendFileSync } from 'node:fs';",
      `appendFileSync(${JSON.stringify(calls)}, 'x');`,
      `const expirationTimestamp = new Date(Date.now() + 3600_000).toISOString();`,
      `console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(USERS.doctor.token)}, expirationTimestamp } }));`,
    ].join('\n'));
    const r = doctorAs(kubeconfig('exec', trusted(), { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script], interactiveMode: 'Never' } }));
    expect(r.stderr).toBe('');
    expect(r.code).toBeLessThan(2);
    expect(r.asDoctor).toBeGreaterThan(5);
    expect(readFileSync(calls, 'utf8')).toBe('x');
  });

  it('refuses a server certificate it cannot verify, in one line', () => {
    const r = cli(['doctor', '--kubeconfig', kubeconfig('untrusted', {}, { token: USERS.doctor.token })]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^svclint: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE): .*check certificate-authority\(-data\) and tls-server-name in the kubeconfig\)/);
    const wrongName = cli(['doctor', '--kubeconfig', kubeconfig('wrongname', { ...trusted(), 'tls-server-name': 'api.example.com' }, { token: USERS.doctor.token })]);
    expect(wrongName.code).toBe(2);
    expect(wrongName.stderr).toMatch(/\(ERR_TLS_CERT_ALTNAME_INVALID: the certificate is not valid for api\.example\.com;/);
  });

  it('a token the API server does not know is a 401, in one line', () => {
    const r = cli(['doctor', '--kubeconfig', kubeconfig('nobody', trusted(), { token: 'not-a-token' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^svclint: the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ rejected the credentials \(401 Unauthorized\); refresh them or pick another --context\n$/);
  });
});
