import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';
import { FakeApiServer, fakeKubeconfig, json, list, pluralOf, status, TOKEN, type Handler } from './cluster/fake-apiserver.js';

/**
 * The doctor against a loopback fake API server that misbehaves on purpose: each case
 * must end within a generous time bound, within a memory bound, with the promised exit
 * code and one line on stderr naming the cause.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'svclint-transport-'));
const RSS_HOOK = path.join(dir, 'rss.mjs');
writeFileSync(RSS_HOOK, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.SVCLINT_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the run, in MB. */
  rssMB: number;
  lines: string[];
}

let seq = 0;
/** Runs the CLI without blocking this process (the fake server lives here). */
function doctor(args: string[], opts: { kubeconfig?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const n = seq++;
  const rssFile = path.join(dir, `rss-${n}`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SVCLINT_RSS_FILE: rssFile, ...opts.env };
  delete env.FORCE_COLOR;
  const kc = opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : [];
  const t = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', RSS_HOOK, BIN, 'doctor', ...kc, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('close', (code) => {
      const rssMB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t, rssMB, lines: stderr.trim().split('\n').filter(Boolean) });
    });
  });
}

let servers: FakeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(handler?: Handler): Promise<{ server: FakeApiServer; kubeconfig: string }> {
  const server = await new FakeApiServer(handler).start();
  servers.push(server);
  const kubeconfig = path.join(dir, `kc-${seq++}`);
  writeFileSync(kubeconfig, fakeKubeconfig(server.url));
  return { server, kubeconfig };
}

/** A handler that misbehaves for one plural outside kube-system. */
const on = (plural: string, act: (res: http.ServerResponse, url: URL) => void): Handler => (_req, res, url) => {
  if (pluralOf(url) !== plural || url.pathname.includes('/kube-system/')) return false;
  act(res, url);
  return true;
};

const drip = (res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('{');
  const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 1000);
  res.on('close', () => clearInterval(t));
};

/** An answer that never ends, written as fast as the client reads it. */
const endless = (res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('{"kind":"ServiceList","items":[');
  const chunk = Buffer.from(`${JSON.stringify({ metadata: { name: 'x'.repeat(200), annotations: { pad: 'p'.repeat(4000) } } })},`.repeat(30));
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', pump);
  pump();
};

const TIME = 20_000; // generous: bounds are about never hanging, not speed
const MEMORY = 400; // MB

describe('deadlines, not idle timeouts', () => {
  it('a server that drips one byte a second does not keep a request alive past --request-timeout', async () => {
    const { kubeconfig } = await fake(on('services', drip));
    const r = await doctor(['--request-timeout', '1s'], { kubeconfig });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: no Service could be read \(the answer was not complete within 1000 ms \(--request-timeout\)\), so nothing was checked/)]);
    expect(r.ms).toBeLessThan(TIME);
    expect(r.rssMB).toBeLessThan(MEMORY);
  });

  it('the run deadline ends a run whose every request is slow', async () => {
    const { kubeconfig } = await fake((_req, res, url) => (url.pathname === '/version' ? false : (drip(res), true)));
    const r = await doctor(['--request-timeout', '30s', '--deadline', '2s'], { kubeconfig });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: the run deadline of 2 s (--deadline) passed before the cluster was read; raise --deadline or --request-timeout']);
    expect(r.ms).toBeLessThan(TIME);
    expect(r.rssMB).toBeLessThan(MEMORY);
  });

  it('an endless body stops at --max-response-size', async () => {
    const { kubeconfig } = await fake(on('services', endless));
    const r = await doctor(['--max-response-size', '16Mi'], { kubeconfig });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: no Service could be read \(the answer is larger than 16 MiB \(--max-response-size\)\)/)]);
    expect(r.ms).toBeLessThan(TIME);
    expect(r.rssMB).toBeLessThan(MEMORY);
  });

  it('an endless body stops at the default cap of 256 MiB, within bounded memory', async () => {
    const { kubeconfig } = await fake(on('pods', endless));
    // Under a 2 GB runner's heap, which holds what the analysis of 256 MiB of these objects needs; no request timeout on the way.
    const r = await doctor(['--format', 'json', '--request-timeout', '120s'], { kubeconfig, env: { NODE_OPTIONS: '--max-old-space-size=1536' } });
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read Pod: the answer is larger than 256 MiB \(--max-response-size\); skipped the checks that need it: selector-no-match/)]);
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(60_000);
    expect(r.rssMB).toBeLessThan(1200);
  }, 90_000);
});

describe('pagination that never ends', () => {
  it('a repeated continue token stops the list with one line for that kind', async () => {
    const { server, kubeconfig } = await fake(on('pods', (res, url) => json(res, 200, list('pods', [{ metadata: { name: `p-${url.searchParams.get('continue') ?? 0}`, namespace: 'shop' } }], { continue: 'same' }))));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read Pod: the API sent the same continue token twice \(page 2\): the list would never end; skipped the checks that need it: selector-no-match$/)]);
    expect(server.count('pods')).toBe(2);
    expect(r.rssMB).toBeLessThan(MEMORY);
  });

  it('more pages than the announced item count can fill stop the list', async () => {
    let page = 0;
    const { server, kubeconfig } = await fake(on('deployments', (res) => json(res, 200, list('deployments', [], { continue: `t${page++}`, remainingItemCount: 1 }))));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['svclint: could not read Deployment: the API sent more pages (3) than its item count can fill: the list would never end; the checks that need it did not run there']);
    expect(server.count('deployments')).toBe(2);
  });
});

describe('nothing read is not success', () => {
  it('401 on any list ends the run with exit 2', async () => {
    const { kubeconfig } = await fake(on('endpointslices', (res) => status(res, 401, 'Unauthorized')));
    const r = await doctor([], { kubeconfig });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ rejected the credentials \(401 Unauthorized\); refresh them or pick another --context$/)]);
  });

  for (const code of [403, 404, 500]) {
    it(`${code} on Services: exit 2, never "no problems"`, async () => {
      const { kubeconfig } = await fake(on('services', (res) => status(res, code, 'Nope')));
      const r = await doctor(['--deadline', '20s'], { kubeconfig });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^svclint: no Service could be read \\(.*${code}.*\\), so nothing was checked`))]);
    });

    it(`${code} on pods: the checks that need pods are skipped and listed, not turned into findings`, async () => {
      const { kubeconfig } = await fake(on('pods', (res) => status(res, code, 'Nope')));
      const r = await doctor([], { kubeconfig });
      expect(r.code).toBe(0);
      expect(r.lines).toEqual([expect.stringMatching(new RegExp(`^svclint: could not read Pod: .*${code}.*; skipped the checks that need it: selector-no-match$`))]);
      expect(r.stdout).not.toContain('✔');
      expect(r.stdout).toMatch(/^! no problems found in what could be read, .*; not checked: Pod$/m);
    });
  }

  it('the chain view of one Service says what could not be read', async () => {
    const { kubeconfig } = await fake(on('pods', (res) => status(res, 403, 'Forbidden')));
    const r = await doctor(['svc/web', '-n', 'shop'], { kubeconfig });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Service shop\/web /);
    expect(r.stdout).toMatch(/^  ! not checked, could not be read: Pod$/m);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read Pod in namespace shop: forbidden \(403\)/)]);
  });

  it('404 on EndpointSlices: v1 Endpoints are read instead, after the other lists', async () => {
    const { server, kubeconfig } = await fake(on('endpointslices', (res) => status(res, 404, 'NotFound')));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(r.lines).toEqual(['svclint: this cluster serves no discovery.k8s.io/v1 EndpointSlices; reading v1 Endpoints instead']);
    expect(server.count('endpoints')).toBe(1);
    // The fake serves no Endpoints: the ready pod is listed nowhere.
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['service-no-ready-endpoints']);
    expect(r.code).toBe(1);
  });

  it('5xx on EndpointSlices: the endpoint checks are skipped, the rest still runs', async () => {
    const { kubeconfig } = await fake(on('endpointslices', (res) => status(res, 503, 'Unavailable')));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read EndpointSlice: 503 Service Unavailable after 4 attempts: Unavailable \(from the fake server\); skipped the checks that need it: service-no-ready-endpoints$/)]);
    expect(JSON.parse(r.stdout).summary.notChecked).toEqual(['EndpointSlice']);
  });
});

describe('garbage answers are errors for that kind', () => {
  const cases: [string, (res: http.ServerResponse) => void, RegExp][] = [
    ['HTML', (res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html>login</html>'); }, /the API answered HTML, not JSON/],
    ['truncated JSON', (res) => json(res, 200, list('pods', HEALTHY_POD).slice(0, 60)), /the API answered JSON that does not parse/],
    ['a body cut short by the connection', (res) => { res.writeHead(200, { 'Content-Length': '5000' }); res.write('{"items":['); setTimeout(() => res.destroy(), 50); }, /the connection was reset before the answer was complete/],
    ['items not a list', (res) => json(res, 200, { kind: 'PodList', items: { a: 1 } }), /items are not a list/],
    ['no items at all', (res) => json(res, 200, {}), /items are missing/],
    ['null metadata', (res) => json(res, 200, list('pods', [{ metadata: null }])), /items\[0\]\.metadata is not an object/],
    ['labels of the wrong type', (res) => json(res, 200, list('pods', [{ metadata: { name: 'a', labels: { app: 7 } } }])), /items\[0\]\.metadata\.labels is not a map of strings/],
    ['another kind of object', (res) => json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' }), /the API answered a Status, not a PodList/],
    ['a redirect', (res) => { res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }); res.end(); }, /the API answered 302 \(a redirect to http:\/\/127\.0\.0\.1:1\/elsewhere\), which svclint does not follow/],
  ];
  for (const [name, act, message] of cases) {
    it(`${name} on pods`, async () => {
      const { kubeconfig } = await fake(on('pods', act));
      const r = await doctor(['--format', 'json'], { kubeconfig });
      expect(r.code).toBe(0);
      expect(r.lines).toHaveLength(1);
      expect(r.lines[0]).toMatch(/^svclint: could not read Pod: /);
      expect(r.lines[0]).toMatch(message);
      expect(r.stdout).not.toContain('<unnamed>');
      expect(JSON.parse(r.stdout).summary).toMatchObject({ services: 1, notChecked: ['Pod'] });
    });
  }

  it('HTML for the Services (a login page, not the API) ends the run in one line, as there is no /version read before it', async () => {
    const { kubeconfig } = await fake(on('services', (res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html>login</html>'); }));
    for (const args of [[], ['svc/web', '-n', 'shop']]) {
      const r = await doctor(args, { kubeconfig });
      expect(r.code).toBe(2);
      expect(r.lines).toEqual([expect.stringMatching(/^svclint: cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ \(the API answered HTML, not JSON\); check the kubeconfig context/)]);
    }
  });

  it('a redirect is never followed: the token does not reach the other port', async () => {
    const other = await new FakeApiServer(undefined, false).start();
    servers.push(other);
    const { kubeconfig } = await fake(on('services', (res, url) => {
      res.writeHead(307, { Location: `${other.url}${url.pathname}${url.search}` });
      res.end();
    }));
    const r = await doctor([], { kubeconfig });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: no Service could be read \(the API answered 307 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/services\?limit=500\), which svclint does not follow\)/)]);
    expect(other.requests).toEqual([]);
  });
});

const HEALTHY_POD = [{ metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } }, status: { phase: 'Running' } }];

describe('429 and 5xx: retried with Retry-After, then reported', () => {
  it('honours Retry-After and then reads the list', async () => {
    let calls = 0;
    const { server, kubeconfig } = await fake(on('pods', (res) => (calls++ === 0 ? status(res, 429, 'TooManyRequests', { 'Retry-After': '1' }) : json(res, 200, list('pods', [])))));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(r.stderr).toBe('');
    expect(server.count('pods')).toBe(2);
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    // The Service selects no pod now: a real finding, not a gap.
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('selector-no-match');
  });

  it('gives up at once when Retry-After is beyond the deadline', async () => {
    const { server, kubeconfig } = await fake(on('pods', (res) => status(res, 429, 'TooManyRequests', { 'Retry-After': '3600' })));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(server.count('pods')).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read Pod: 429 Too Many Requests: TooManyRequests/)]);
    expect(r.ms).toBeLessThan(TIME);
  });

  it('stops after a bounded number of attempts', async () => {
    const { server, kubeconfig } = await fake(on('pods', (res) => status(res, 500, 'InternalError')));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(server.count('pods')).toBe(4);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read Pod: 500 Internal Server Error after 4 attempts: InternalError/)]);
  });
});

describe('cluster DNS reads', () => {
  for (const [name, act] of [
    ['a reset', (res: http.ServerResponse) => res.socket?.destroy()],
    ['a timeout', drip],
  ] as const) {
    it(`${name} while reading DNS objects is a one-line warning, not an internal error`, async () => {
      const { kubeconfig } = await fake((_req, res, url) => {
        if (!url.pathname.startsWith('/api/v1/namespaces/kube-system/pods')) return false;
        act(res);
        return true;
      });
      const r = await doctor(['--request-timeout', '1s', '--format', 'json'], { kubeconfig });
      expect(r.code).toBe(0);
      expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read cluster DNS \(kube-system\): .*: the cluster DNS check did not run; skipped the checks that need it: cluster-dns-unhealthy$|^svclint: could not read cluster DNS \(kube-system\): .*: the cluster DNS check did not run; the checks that need it did not run there$/)]);
      expect(r.stderr).not.toContain('internal error');
    });
  }
});

describe('cluster DNS objects of the wrong shape', () => {
  it('a kube-dns answer without metadata is a warning, not a phantom Service', async () => {
    const { kubeconfig } = await fake((_req, res, url) => (url.pathname === '/api/v1/namespaces/kube-system/services/kube-dns' ? (json(res, 200, { spec: {} }), true) : false));
    const r = await doctor(['--format', 'json'], { kubeconfig });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: could not read cluster DNS \(kube-system\): the API answered something other than the kube-dns Service: the cluster DNS check did not run/)]);
    expect(r.stdout).not.toContain('<unnamed>');
    expect(JSON.parse(r.stdout).summary.services).toBe(1);
  });
});

describe('kubeconfig and connection errors: one line each, exit 2', () => {
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('an unknown --context lists the contexts there are', async () => {
    const kc = write('two.yaml', 'apiVersion: v1\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}, {name: b, context: {cluster: c}}]\ncurrent-context: a\n');
    const r = await doctor(['--context', 'x'], { kubeconfig: kc });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: context `x` not found; contexts: a, b']);
  });

  it('no kubeconfig anywhere and not in a cluster', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'svclint-home-'));
    const r = await doctor([], { env: { HOME: home, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' } });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: no kubeconfig (KUBECONFIG unset, ~/.kube/config missing) and not in a cluster; give --kubeconfig or set KUBECONFIG']);
  });

  it('KUBECONFIG files are merged; the first to name a context wins', async () => {
    const { kubeconfig } = await fake();
    const extra = write('extra.yaml', 'apiVersion: v1\nclusters: [{name: fake, cluster: {server: "http://127.0.0.1:1"}}]\ncontexts: [{name: other, context: {cluster: fake}}]\n');
    const r = await doctor(['--format', 'json'], { env: { KUBECONFIG: `${kubeconfig}${path.delimiter}${extra}` } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const other = await doctor(['--context', 'nope'], { env: { KUBECONFIG: `${kubeconfig}${path.delimiter}${extra}` } });
    expect(other.lines).toEqual(['svclint: context `nope` not found; contexts: fake, other']);
  });

  it('a kubeconfig that is a device, not a file, is refused before reading', async () => {
    const r = await doctor([], { kubeconfig: '/dev/zero' });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: cannot read kubeconfig /dev/zero (not a regular file)']);
    expect(r.rssMB).toBeLessThan(MEMORY);
  });

  it('connection refused', async () => {
    const kc = write('refused.yaml', fakeKubeconfig('http://127.0.0.1:1'));
    const r = await doctor([], { kubeconfig: kc });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: cannot reach the Kubernetes API at http://127.0.0.1:1 (ECONNREFUSED: connection refused); check the kubeconfig context and that the cluster is running']);
  });

  it('a host name that does not resolve', async () => {
    const kc = write('dns.yaml', fakeKubeconfig('https://no-such-host.invalid:6443'));
    const r = await doctor([], { kubeconfig: kc });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/^svclint: cannot reach the Kubernetes API at https:\/\/no-such-host\.invalid:6443 \((ENOTFOUND|EAI_AGAIN): cannot resolve the host name no-such-host\.invalid\)/)]);
  });

  it('a wrong token: 401 names the cause', async () => {
    const { server } = await fake();
    const kc = write('wrong.yaml', fakeKubeconfig(server.url, { token: 'wrong' }));
    const r = await doctor([], { kubeconfig: kc });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/rejected the credentials \(401 Unauthorized\)/)]);
    // One Service (no /version first: its reads go out together) says the same, once.
    const one = await doctor(['svc/web', '-n', 'shop'], { kubeconfig: kc });
    expect(one.code).toBe(2);
    expect(one.lines).toEqual([expect.stringMatching(/rejected the credentials \(401 Unauthorized\)/)]);
  });
});

describe('exec credential plugins', () => {
  const plugin = (name: string, body: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, `#!/bin/sh\n${body}\n`);
    chmodSync(f, 0o755);
    return f;
  };

  it('runs once per run and its token is used for every request', async () => {
    const calls = path.join(dir, 'calls');
    writeFileSync(calls, '');
    const cmd = plugin('good.sh', `echo x >> ${calls}\necho "plugin chatter" >&2\necho "$KUBERNETES_EXEC_INFO" | grep -q ExecCredential || exit 3\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${TOKEN}"}}'`);
    const { server } = await fake();
    const kc = path.join(dir, 'exec.yaml');
    writeFileSync(kc, fakeKubeconfig(server.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: cmd, args: [], interactiveMode: 'Never' } }));
    const r = await doctor(['--format', 'json'], { kubeconfig: kc });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(server.requests.length).toBeGreaterThan(10);
    expect(server.requests.every((q) => q.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a failing plugin: its stderr, shortened, on one line', async () => {
    const cmd = plugin('bad.sh', `echo "line one" >&2\necho "error: token expired; run 'cloud login' ${'x'.repeat(500)}" >&2\nexit 1`);
    const kc = path.join(dir, 'bad.yaml');
    writeFileSync(kc, fakeKubeconfig('http://127.0.0.1:1', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: cmd } }));
    const r = await doctor([], { kubeconfig: kc });
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^svclint: the credential plugin `bad\.sh` failed: exit code 1: line one error: token expired; run 'cloud login' x+…$/);
    expect(r.lines[0]!.length).toBeLessThan(300);
  });

  it('a plugin that hangs is bounded by the run deadline', async () => {
    const cmd = plugin('slow.sh', 'sleep 30');
    const kc = path.join(dir, 'slow.yaml');
    writeFileSync(kc, fakeKubeconfig('http://127.0.0.1:1', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: cmd } }));
    const r = await doctor(['--deadline', '1s'], { kubeconfig: kc });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: the credential plugin `slow.sh` failed: no answer before the run deadline (1 s)']);
    expect(r.ms).toBeLessThan(TIME);
  });
});

describe('checks skipped for unreadable kinds', () => {
  it('name only registered rules and only kinds the doctor reads', async () => {
    const { NEEDS } = await import('../src/doctor/gaps.js');
    const { RULES } = await import('../rules/index.js');
    const { RESOURCES, ENDPOINTS } = await import('../src/doctor/cluster.js');
    const ids = new Set(RULES.map((r) => r.meta.id));
    const kinds = new Set([...RESOURCES, ENDPOINTS].map((r) => r.kind).concat('cluster DNS (kube-system)'));
    for (const [rule, needs] of Object.entries(NEEDS)) {
      expect(ids.has(rule), rule).toBe(true);
      for (const k of needs) expect(kinds.has(k), `${rule} needs ${k}`).toBe(true);
    }
  });
});

describe('the oidc auth-provider', () => {
  it('sends an id-token that has not expired as the bearer token', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const idToken = `${b64({ alg: 'RS256' })}.${b64({ sub: 'doctor', exp: Math.floor(Date.now() / 1000) + 3600 })}.c2ln`;
    const server = await new FakeApiServer(undefined, true, idToken).start();
    servers.push(server);
    const kc = path.join(dir, 'oidc.yaml');
    writeFileSync(kc, fakeKubeconfig(server.url, { 'auth-provider': { name: 'oidc', config: { 'client-id': 'svclint', 'id-token': idToken, 'idp-issuer-url': 'https://issuer.invalid' } } }));
    const r = await doctor(['--format', 'json'], { kubeconfig: kc });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.requests.every((q) => q.auth === `Bearer ${idToken}`)).toBe(true);
  });
});

describe('in a cluster', () => {
  it('uses the service account token and CA and the API server from the environment', async () => {
    const { loadKubeconfig } = await import('../src/doctor/kubeconfig.js');
    const sa = mkdtempSync(path.join(tmpdir(), 'svclint-sa-'));
    writeFileSync(path.join(sa, 'token'), 'sa-token\n');
    writeFileSync(path.join(sa, 'ca.crt'), 'CA PEM');
    const home = mkdtempSync(path.join(tmpdir(), 'svclint-home-'));
    const env = { HOME: home, KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' };
    const kc = loadKubeconfig({ env, serviceAccountDir: sa });
    expect(kc.context).toBe('in-cluster');
    expect(kc.endpoint.server.origin).toBe('https://[fd00::1]:6443');
    expect(String(kc.endpoint.tls.ca)).toBe('CA PEM');
    expect(kc.endpoint.tls.rejectUnauthorized).toBe(true);
    expect((await kc.endpoint.credentials(new (await import('../src/doctor/http.js')).Deadline(1000))).headers).toEqual({ Authorization: 'Bearer sa-token' });
    // Without the service account's token, this is not a pod of the cluster.
    expect(() => loadKubeconfig({ env, serviceAccountDir: path.join(sa, 'none') })).toThrow(/^no kubeconfig/);
  });
});

describe('kubeconfig files, server paths and credentials', () => {
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const kubeconfigWith = (name: string, cluster: Record<string, unknown>, user: Record<string, unknown>) =>
    write(name, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
      clusters: [{ name: 'c', cluster }], users: [{ name: 'u', user }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    }));

  it('keeps the server URL\'s path as a prefix of every request, as kubectl does', async () => {
    const prefix = '/k8s/clusters/c-abc';
    const { server } = await fake((_req, res, url) => {
      if (!url.pathname.startsWith(`${prefix}/`)) {
        status(res, 404, 'NotFound');
        return true;
      }
      url.pathname = url.pathname.slice(prefix.length);
      return false;
    });
    const kc = write('prefix.yaml', fakeKubeconfig(`${server.url}${prefix}/`));
    const r = await doctor(['--format', 'json'], { kubeconfig: kc });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.requests.length).toBeGreaterThan(5);
    for (const q of server.requests) expect(q.path.startsWith(`${prefix}/`), q.path).toBe(true);
  });

  it('never prints the credentials it sends, even when the server echoes them', async () => {
    const echo: Handler = (req, res, url) => {
      if (pluralOf(url) !== 'services' || url.pathname.includes('/kube-system/')) return false;
      status(res, 400, `user with ${req.headers.authorization} may not list services`);
      return true;
    };
    const bearer = new FakeApiServer(echo, false);
    const basic = new FakeApiServer(echo, false);
    servers.push(await bearer.start(), await basic.start());
    for (const [server, user, secrets] of [
      [bearer, { token: TOKEN }, [TOKEN]],
      [basic, { username: 'admin', password: 'pa55-w0rd-x' }, ['pa55-w0rd-x', Buffer.from('admin:pa55-w0rd-x').toString('base64')]],
    ] as const) {
      const kc = kubeconfigWith(`echo-${server.port}.yaml`, { server: server.url }, user);
      const r = await doctor([], { kubeconfig: kc });
      expect(r.code).toBe(2);
      expect(r.lines).toEqual([expect.stringMatching(/^svclint: no Service could be read \(400 Bad Request: user with \*\*\* may not list services/)]);
      for (const s of secrets) expect(r.stderr).not.toContain(s);
    }
  });

  it('a token file or certificate authority that is a FIFO, /dev/zero or too large ends at once with one line', async () => {
    const fifo = path.join(dir, 'token-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const big = write('token-big', 'x'.repeat(64 * 2 ** 20));
    for (const [name, cluster, user, line] of [
      ['fifo', {}, { tokenFile: fifo }, `svclint: cannot read the token file ${fifo} named in the kubeconfig (not a regular file)`],
      ['zero', {}, { tokenFile: '/dev/zero' }, 'svclint: cannot read the token file /dev/zero named in the kubeconfig (not a regular file)'],
      ['big', {}, { tokenFile: big }, `svclint: cannot read the token file ${big} named in the kubeconfig (larger than 1 MiB)`],
      ['ca-zero', { 'certificate-authority': '/dev/zero' }, { token: TOKEN }, 'svclint: cannot read the certificate authority /dev/zero named in the kubeconfig (not a regular file)'],
    ] as const) {
      const kc = kubeconfigWith(`guard-${name}.yaml`, { server: 'https://127.0.0.1:9', ...cluster }, user);
      const r = await doctor(['--deadline', '5s'], { kubeconfig: kc });
      expect(r.code, name).toBe(2);
      expect(r.lines, name).toEqual([line]);
      expect(r.ms, name).toBeLessThan(TIME);
      expect(r.rssMB, name).toBeLessThan(MEMORY);
    }
  });

  it('a client key or certificate that does not decode is one clear line, not an internal error', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const [name, user, line] of [
      ['key', { 'client-certificate-data': b64('-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n'), 'client-key-data': b64('junk') }, /^svclint: the client certificate of user `u` in the kubeconfig does not decode \(.+\); it must be PEM/],
      ['ca', { token: TOKEN }, /^svclint: the certificate authority of cluster `c` in the kubeconfig does not decode/],
    ] as const) {
      const cluster = name === 'ca' ? { server: 'https://127.0.0.1:9', 'certificate-authority-data': b64('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n') } : { server: 'https://127.0.0.1:9' };
      const r = await doctor([], { kubeconfig: kubeconfigWith(`tls-${name}.yaml`, cluster, user) });
      expect(r.code, name).toBe(2);
      expect(r.lines, name).toEqual([expect.stringMatching(line)]);
    }
  });

  it('rejects what kubectl rejects: a name twice in one file, insecure-skip-tls-verify with a certificate authority', async () => {
    const dup = write('dup.yaml', 'apiVersion: v1\ncurrent-context: c\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}, {name: c, cluster: {server: "https://127.0.0.1:10"}}]\ncontexts: [{name: c, context: {cluster: c}}]\n');
    const r = await doctor([], { kubeconfig: dup });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([`svclint: kubeconfig ${dup} names cluster \`c\` twice in clusters; kubectl rejects it too (duplicate name in list): remove or rename one`]);
    const both = kubeconfigWith('insecure-ca.yaml', { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'AAAA' }, { token: TOKEN });
    const r2 = await doctor([], { kubeconfig: both });
    expect(r2.code).toBe(2);
    expect(r2.lines).toEqual([expect.stringMatching(/^svclint: cluster `c` sets insecure-skip-tls-verify and a certificate authority; kubectl refuses that too/)]);
  });
});

describe('the memory of a whole doctor run', () => {
  it('valid lists that together pass twice --max-response-size: exit 2 with one line, memory stays bounded', async () => {
    // Six kinds answer 6 MiB each (each under the 16 MiB cap; together 36 MiB, over 32).
    const pad = 'x'.repeat(1000);
    const big = (plural: string) => list(plural, Array.from({ length: 6 * 1024 }, (_, i) => ({ metadata: { name: `o${i}`, namespace: 'shop', annotations: { pad } } })));
    const heavy = new Set(['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'endpointslices']);
    const { kubeconfig } = await fake((_req, res, url) => {
      const plural = pluralOf(url);
      if (!plural || !heavy.has(plural) || url.pathname.includes('/kube-system/')) return false;
      json(res, 200, big(plural));
      return true;
    });
    const r = await doctor(['--max-response-size', '16Mi', '--format', 'json'], { kubeconfig });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual(['svclint: the objects read from the cluster need more than 32 MiB of memory (twice --max-response-size, the bound for a run); pick a namespace with -n, or raise --max-response-size']);
    expect(r.rssMB).toBeLessThan(MEMORY);
  }, 90_000);
});
