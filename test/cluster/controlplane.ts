import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.js';

/**
 * A real control plane for the doctor tests: etcd, kube-apiserver and
 * kube-controller-manager (so the real EndpointSlice controller publishes slices), built
 * by scripts/control-plane.sh. There is no scheduler and no kubelet: the test plays the
 * kubelet, binding pods to a node and writing their status.
 */
export const USERS = {
  admin: { token: 'admin-token', groups: 'system:masters' },
  doctor: { token: 'doctor-token', groups: '' },
  nsdoctor: { token: 'nsdoctor-token', groups: '' },
  nopods: { token: 'nopods-token', groups: '' },
} as const;
export type User = keyof typeof USERS;

/** Whether a port can be bound on 127.0.0.1 now (0: any, and the one the kernel gave). */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => {
      const got = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(got));
    });
  });
}

/**
 * A port for etcd or the API server. Taken below the kernel's ephemeral range (32768–60999):
 * there, any outgoing connection of another test may be given it between this check and the
 * server's own bind. The few servers of the tests that pick ports themselves use 20000 and up.
 */
async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await tryPort(10_000 + Math.floor(Math.random() * 10_000));
    if (port !== undefined) return port;
  }
  const any = await tryPort(0);
  if (any === undefined) throw new Error('no free port on 127.0.0.1');
  return any;
}

export function controlPlaneBin(): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'control-plane.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/control-plane.sh failed');
  return r.stdout.trim();
}

export interface ControlPlaneOptions {
  /** Another kube-apiserver binary (the 1.20 one for the v1 Endpoints fallback). */
  apiserver?: string;
  /** Run kube-controller-manager (default true). */
  controllerManager?: boolean;
  /** Run its node-lifecycle controller: nodes must renew their Lease (addNode does). */
  nodeLifecycle?: boolean;
  /** Accept client certificates signed by a test CA (needs openssl); see clientCert(). */
  clientCerts?: boolean;
  /** Keep the ServiceAccount admission plugin on (off by default: the tests' pods name no account). */
  serviceAccountAdmission?: boolean;
}

export class ControlPlane {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'svclint-cp-'));

  constructor(private readonly options: ControlPlaneOptions = {}) {}

  server = '';
  private procs: ChildProcess[] = [];
  private apiserver?: ChildProcess;
  private ips = 10;
  private bin = '';

  kubeconfig(user: User): string {
    return path.join(this.dir, `${user}.kubeconfig`);
  }

  get auditLog(): string {
    return path.join(this.dir, 'audit.log');
  }

  async start(): Promise<void> {
    this.bin = controlPlaneBin();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path.join(this.dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    writeFileSync(path.join(this.dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(path.join(this.dir, 'tokens.csv'), Object.entries(USERS).map(([u, v]) => `${v.token},${u},${u}${v.groups ? `,"${v.groups}"` : ''}`).join('\n') + '\n');
    writeFileSync(path.join(this.dir, 'audit.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');
    // A port found free may be taken before etcd or the API server binds it: start again on others.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.launch();
        break;
      } catch (e) {
        // The last of a dying process's standard error arrives after its exit.
        await new Promise((r) => setTimeout(r, 300));
        const taken = ['etcd', 'kube-apiserver', this.options.apiserver ?? ''].some((n) => /address already in use/.test(this.logs.get(n) ?? ''));
        if (!taken || attempt >= 3) throw e;
        for (const p of this.procs.splice(0)) p.kill('SIGKILL');
        await new Promise((r) => setTimeout(r, 300));
        rmSync(path.join(this.dir, 'etcd'), { recursive: true, force: true });
      }
    }
    if (this.options.controllerManager === false) {
      await this.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
      return;
    }
    await this.startControllers();
  }

  /** etcd and the API server on ports of their own, ready. */
  private async launch(): Promise<void> {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    this.run('etcd', [
      '--name', 'default', '--data-dir', path.join(this.dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`, '--log-level', 'warn',
    ]);
    this.server = `https://127.0.0.1:${apiPort}`;
    this.apiserver = this.run(this.options.apiserver ?? 'kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`, `--secure-port=${apiPort}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      `--cert-dir=${path.join(this.dir, 'certs')}`, `--token-auth-file=${path.join(this.dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${path.join(this.dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(this.dir, 'sa.key')}`, '--service-cluster-ip-range=10.96.0.0/16',
      ...(this.options.serviceAccountAdmission ? [] : ['--disable-admission-plugins=ServiceAccount']), `--audit-policy-file=${path.join(this.dir, 'audit.yaml')}`, `--audit-log-path=${this.auditLog}`,
      // As kubeadm and kind run it: privileged containers are a matter of admission policy, not of the server's flags.
      '--audit-log-mode=blocking', '--allow-privileged=true', '--v=0',
      ...(this.options.clientCerts ? [`--client-ca-file=${this.makeClientCA()}`] : []),
      // Pages straight from etcd, compacted every second: continue tokens can expire (410).
      ...(this.options.apiserver ? [] : ['--etcd-compaction-interval=1s', '--watch-cache=false']),
    ]);
    for (const user of Object.keys(USERS) as User[]) {
      writeFileSync(this.kubeconfig(user), [
        'apiVersion: v1', 'kind: Config', 'clusters:', `- name: local`, '  cluster:', `    server: ${this.server}`, '    insecure-skip-tls-verify: true',
        'users:', `- name: ${user}`, '  user:', `    token: ${USERS[user].token}`, 'contexts:', `- name: ${user}`, '  context:', '    cluster: local', `    user: ${user}`, `current-context: ${user}`, '',
      ].join('\n'));
    }
    await this.waitReady();
  }

  private async startControllers(): Promise<void> {
    const lifecycle = this.options.nodeLifecycle ? ['--node-monitor-period=1s', '--node-monitor-grace-period=8s'] : [];
    const cm = this.run('kube-controller-manager', [
      `--kubeconfig=${this.kubeconfig('admin')}`, '--leader-elect=false', `--controllers=*,${this.options.nodeLifecycle ? '' : '-node-lifecycle-controller,'}-serviceaccount-token-controller`, ...lifecycle,
      '--secure-port=0', `--service-account-private-key-file=${path.join(this.dir, 'sa.key')}`, '--v=0',
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    if (cm.exitCode !== null) throw new Error(`kube-controller-manager exited (${cm.exitCode}): ${this.logs.get('kube-controller-manager')?.slice(-1500)}`);
    if (this.options.nodeLifecycle) await this.addNode('node-1');
    else await this.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
  }

  private nodes = 0;

  /**
   * Plays a node's kubelet: registers the node Ready and renews its Lease every second.
   * With `heartbeat: false` it reports once and goes silent, as a node that lost its
   * kubelet: the node-lifecycle controller then marks it unreachable.
   */
  async addNode(name: string, opts: { heartbeat?: boolean; unschedulable?: boolean } = {}): Promise<void> {
    const now = () => new Date().toISOString();
    await this.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: opts.unschedulable ? { unschedulable: true } : {} });
    const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() };
    const st = await this.api('PATCH', `/api/v1/nodes/${name}/status`, { status: { conditions: [ready], addresses: [{ type: 'InternalIP', address: `192.168.0.${10 + this.nodes++}` }] } }, 'application/merge-patch+json');
    if (st.status >= 300) throw new Error(`node status ${name}: ${JSON.stringify(st.body).slice(0, 200)}`);
    const micro = () => new Date().toISOString().replace('Z', '000Z');
    await this.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro() } });
    if (opts.heartbeat === false) return;
    // A child process renews the Lease: the tests block this event loop while svclint runs (spawnSync).
    const renew = `const https = require('node:https');
setInterval(() => {
  const r = https.request(process.env.LEASE_URL, { method: 'PATCH', rejectUnauthorized: false, headers: { Authorization: 'Bearer ' + process.env.LEASE_TOKEN, 'Content-Type': 'application/merge-patch+json' } }, (res) => res.resume());
  r.on('error', () => {});
  r.end(JSON.stringify({ spec: { renewTime: new Date().toISOString().replace('Z', '000Z') } }));
}, 1000);`;
    const env = { ...process.env, LEASE_URL: `${this.server}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`, LEASE_TOKEN: USERS.admin.token };
    this.procs.push(spawn(process.execPath, ['-e', renew], { stdio: 'ignore', env }));
  }

  /** Writes a Warning event about a pod, as the kubelet does (reason, message, involvedObject). */
  async podEvent(namespace: string, pod: string, reason: string, message: string, opts: { count?: number; component?: string } = {}): Promise<void> {
    const p = await this.api('GET', `/api/v1/namespaces/${namespace}/pods/${pod}`);
    const meta = p.body.metadata as { uid: string; resourceVersion: string };
    const node = (p.body.spec as { nodeName?: string } | undefined)?.nodeName ?? 'node-1';
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await this.create({
      apiVersion: 'v1', kind: 'Event', metadata: { name: `${pod}.${Date.now().toString(16)}`, namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod, namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, fieldPath: 'spec.containers{app}' },
      reason, message, type: 'Warning', count: opts.count ?? 1, firstTimestamp: now, lastTimestamp: now,
      source: { component: opts.component ?? 'kubelet', host: node }, reportingComponent: opts.component ?? 'kubelet', reportingInstance: node,
    });
  }

  private makeClientCA(): string {
    const ca = path.join(this.dir, 'client-ca');
    this.openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', '/CN=svclint-test-ca');
    return `${ca}.crt`;
  }

  private openssl(...args: string[]): void {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error?.message}`);
  }

  /** A client certificate and key for a user (its CN), signed by the test CA. */
  clientCert(user: User): { cert: string; key: string } {
    const base = path.join(this.dir, `${user}-client`);
    this.openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${user}`);
    this.openssl('x509', '-req', '-in', `${base}.csr`, '-CA', path.join(this.dir, 'client-ca.crt'), '-CAkey', path.join(this.dir, 'client-ca.key'), '-CAcreateserial', '-out', `${base}.crt`, '-days', '2');
    return { cert: `${base}.crt`, key: `${base}.key` };
  }

  /** The CA that signed the API server's own serving certificate (kube-apiserver writes both into its cert dir). */
  get servingCA(): string {
    return path.join(this.dir, 'certs', 'apiserver.crt');
  }

  private run(name: string, args: string[]): ChildProcess {
    const p = spawn(path.isAbsolute(name) ? name : path.join(this.bin, name), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.logs.set(name, '');
    p.stderr?.on('data', (d: Buffer) => {
      this.logs.set(name, ((this.logs.get(name) ?? '') + d.toString()).slice(-20_000));
    });
    p.on('exit', (code) => {
      if (code && code !== 0 && !this.stopping) writeFileSync(path.join(this.dir, `${name}.log`), this.logs.get(name) ?? '');
    });
    this.procs.push(p);
    return p;
  }

  private stopping = false;
  private logs = new Map<string, string>();

  /** The last `chars` characters a component wrote (for a test's failure message). */
  logTail(name: string, chars = 2000): string {
    return (this.logs.get(name) ?? '').slice(-chars);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const p of this.procs.reverse()) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    for (const p of this.procs) if (p.exitCode === null) p.kill('SIGKILL');
  }

  /** Stops only the API server (the "stopped mid-run" scenario). */
  stopApiServer(): void {
    this.apiserver?.kill('SIGKILL');
  }

  /** Freezes or thaws the API server: connections open, no answers. */
  freezeApiServer(frozen: boolean): void {
    this.apiserver?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  private async waitReady(): Promise<void> {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // etcd or the API server gave up (a port taken after all): no use waiting.
      if (this.procs.some((p) => p.exitCode !== null)) break;
      try {
        const r = await this.api('GET', '/readyz');
        if (r.status === 200) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const logs = ['etcd', 'kube-apiserver'].map((n) => path.join(this.dir, `${n}.log`)).filter(existsSync).map((f) => readFileSync(f, 'utf8').slice(-2000));
    throw new Error(`kube-apiserver did not become ready\n${logs.join('\n')}`);
  }

  /** One request as the admin user. */
  api(method: string, p: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(`${this.server}${p}`, {
        method, rejectUnauthorized: false,
        headers: { Authorization: `Bearer ${USERS.admin.token}`, Accept: 'application/json', ...(data ? { 'Content-Type': contentType } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  /** Creates an object (POST to its collection); fails loudly. */
  async create(obj: Record<string, unknown>): Promise<Record<string, unknown>> {
    const meta = obj.metadata as { namespace?: string };
    const kind = obj.kind as string;
    const plural = PLURALS[kind] ?? `${kind.toLowerCase()}s`;
    const api = (obj.apiVersion as string).includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    const r = await this.api('POST', `${api}${meta.namespace ? `/namespaces/${meta.namespace}` : ''}/${plural}`, obj);
    if (r.status >= 300) throw new Error(`create ${kind} failed (${r.status}): ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }

  async pods(namespace: string, selector: string): Promise<Record<string, unknown>[]> {
    const r = await this.api('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
    return (r.body.items as Record<string, unknown>[]) ?? [];
  }

  /** Waits for `count` pods, then plays the kubelet: binds each and writes the given status. */
  async runPods(namespace: string, selector: string, count: number, status: (podIP: string) => Record<string, unknown>, node = 'node-1'): Promise<string[]> {
    const until = Date.now() + 90_000;
    let pods: Record<string, unknown>[] = [];
    while (Date.now() < until) {
      pods = await this.pods(namespace, selector);
      if (pods.length >= count) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (pods.length < count) throw new Error(`expected ${count} pods for ${selector}, got ${pods.length}`);
    const names: string[] = [];
    for (const pod of pods) {
      const name = (pod.metadata as { name: string }).name;
      names.push(name);
      const spec = pod.spec as { nodeName?: string };
      if (!spec.nodeName) {
        const b = await this.api('POST', `/api/v1/namespaces/${namespace}/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
        if (b.status >= 300) throw new Error(`bind ${name}: ${JSON.stringify(b.body).slice(0, 200)}`);
      }
      const ip = `10.244.${Math.floor(this.ips / 250)}.${(this.ips++ % 250) + 1}`;
      const r = await this.api('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`, { status: { podIP: ip, podIPs: [{ ip }], ...status(ip) } }, 'application/merge-patch+json');
      if (r.status >= 300) throw new Error(`status ${name}: ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    return names;
  }

  /** Waits until a Service's EndpointSlices hold `ready` ready and `notReady` not-ready addresses. */
  async waitSlices(namespace: string, service: string, ready: number, notReady = 0): Promise<void> {
    const until = Date.now() + 90_000;
    let seen = '';
    while (Date.now() < until) {
      const r = await this.api('GET', `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`);
      const eps = ((r.body.items as { endpoints?: { conditions?: { ready?: boolean } }[] }[]) ?? []).flatMap((s) => s.endpoints ?? []);
      const rd = eps.filter((e) => e.conditions?.ready !== false).length;
      const nr = eps.length - rd;
      seen = `${rd} ready, ${nr} not ready`;
      if (rd === ready && nr === notReady) return;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error(`EndpointSlices of ${namespace}/${service}: wanted ${ready} ready and ${notReady} not ready, saw ${seen}`);
  }

  /** Requests the audit log records for a user (what the doctor cost the API server). */
  requestsBy(user: User): number {
    if (!existsSync(this.auditLog)) return 0;
    return readFileSync(this.auditLog, 'utf8').split('\n').filter((l) => l.includes(`"username":"${user}"`) && l.includes('"stage":"ResponseComplete"')).length;
  }
}

const PLURALS: Record<string, string> = {
  EndpointSlice: 'endpointslices', Endpoints: 'endpoints', Ingress: 'ingresses', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles', RoleBinding: 'rolebindings', Namespace: 'namespaces', ConfigMap: 'configmaps', Lease: 'leases', NetworkPolicy: 'networkpolicies',
};

export const RUNNING = (ip: string, ready: boolean, containers: Record<string, unknown>[] = []) => ({
  phase: 'Running',
  hostIP: '192.168.0.10',
  podIP: ip,
  conditions: [
    { type: 'PodScheduled', status: 'True' },
    { type: 'Initialized', status: 'True' },
    { type: 'ContainersReady', status: ready ? 'True' : 'False' },
    { type: 'Ready', status: ready ? 'True' : 'False' },
  ],
  containerStatuses: containers,
});

