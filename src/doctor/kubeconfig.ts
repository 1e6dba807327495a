import { parseQuiet } from '../load/quiet-yaml.js';
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Endpoint } from './http.js';
import { execCredential } from './exec-credential.js';

/**
 * kubeconfig the way kubectl reads it (clientcmd): --kubeconfig, else the files of
 * KUBECONFIG merged (the first to set a name wins), else ~/.kube/config, else the
 * in-cluster service account. Relative file paths are relative to the file that names them.
 */

type Rec = Record<string, unknown>;
interface Named {
  name: string;
  value: Rec;
  dir: string;
}
interface Merged {
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
  current?: string;
}

/** Where the API server is and how to talk to it, with a description for messages. */
export interface ResolvedConfig {
  endpoint: Endpoint;
  context: string;
  /** Every file read for it (kubeconfigs, certificates, keys, token files), so that no output lands on one. */
  files?: { path: string; what: string }[];
}

const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const MAX_KUBECONFIG_BYTES = 16 * 2 ** 20;
/** A bearer token file: a token is a few KiB at most, and goes into every request's header. */
const MAX_TOKEN_BYTES = 2 ** 20;

/**
 * Reads a file the way the kubeconfig is read: opened without waiting (a FIFO never blocks
 * the run), only a regular file (not a device such as /dev/zero), at most `max` bytes.
 */
export function readGuarded(file: string, max: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'a folder' : 'not a regular file' });
    if (st.size > max) throw Object.assign(new Error('too large'), { code: `larger than ${sizeText(max)}` });
    const buf = Buffer.allocUnsafe(max + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > max) throw Object.assign(new Error('too large'), { code: `larger than ${sizeText(max)}` });
    }
    return Buffer.from(buf.subarray(0, n));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const sizeText = (n: number) => (n >= 2 ** 20 ? `${n / 2 ** 20} MiB` : `${n / 1024} KiB`);

export function loadKubeconfig(opts: { kubeconfig?: string; context?: string; env?: NodeJS.ProcessEnv; serviceAccountDir?: string }): ResolvedConfig {
  const env = opts.env ?? process.env;
  const files = opts.kubeconfig ? [opts.kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter(Boolean) : [path.join(env.HOME || homedir(), '.kube', 'config')];
  const present = opts.kubeconfig ? files : files.filter((f) => existsSync(f));
  if (!present.length) {
    const sa = opts.serviceAccountDir ?? SA;
    if (env.KUBERNETES_SERVICE_HOST && existsSync(`${sa}/token`) && !opts.context) return inCluster(env, sa);
    const tried = env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}: no such file` : `KUBECONFIG unset, ${files[0]!.replace(homedir(), '~')} missing`;
    throw new UsageError(`no kubeconfig (${tried}) and not in a cluster; give --kubeconfig or set KUBECONFIG`);
  }
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  const read: { path: string; what: string }[] = present.map((f) => ({ path: path.resolve(f), what: 'the kubeconfig' }));
  for (const f of present) mergeFile(merged, f);
  const name = opts.context ?? merged.current;
  if (!name) throw new UsageError(`the kubeconfig sets no current-context; pick one with --context (contexts: ${list(merged.contexts)})`);
  const ctx = merged.contexts.get(name);
  if (!ctx) throw new UsageError(`context \`${name}\` not found; contexts: ${list(merged.contexts)}`);
  const c = rec(ctx.value.context);
  const clusterName = str(c.cluster);
  const cluster = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (!cluster) throw new UsageError(`context \`${name}\` names cluster \`${clusterName ?? ''}\`, which the kubeconfig does not define`);
  const userName = str(c.user);
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) throw new UsageError(`context \`${name}\` names user \`${userName}\`, which the kubeconfig does not define`);
  return { endpoint: endpointFor(cluster, user, read), context: name, files: read };
}

function list(m: Map<string, Named>): string {
  return [...m.keys()].join(', ') || 'none';
}

function mergeFile(m: Merged, file: string): void {
  let text: string;
  try {
    text = readGuarded(file, MAX_KUBECONFIG_BYTES).toString('utf8');
  } catch (err) {
    throw new UsageError(`cannot read kubeconfig ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let doc: Rec;
  try {
    doc = rec(parseQuiet(text));
  } catch (err) {
    throw new UsageError(`kubeconfig ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const dir = path.dirname(path.resolve(file));
  for (const [key, field] of [['clusters', 'cluster'], ['users', 'user'], ['contexts', 'context']] as const) {
    const entries = Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [];
    const inFile = new Set<string>();
    for (const e of entries) {
      const name = str(rec(e).name);
      if (!name) continue;
      // As client-go: a name twice in one file is an error; across KUBECONFIG files the first wins.
      if (inFile.has(name)) throw new UsageError(`kubeconfig ${file} names ${field} \`${name}\` twice in ${key}; kubectl rejects it too (duplicate name in list): remove or rename one`);
      inFile.add(name);
      if (!m[key].has(name)) m[key].set(name, { name, value: { [field]: rec(rec(e)[field]) }, dir });
    }
  }
  m.current ??= str(doc['current-context']);
}

function readPath(p: string, dir: string, what: string, max = MAX_KUBECONFIG_BYTES): Buffer {
  const abs = path.resolve(dir, p);
  try {
    return readGuarded(abs, max);
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${abs} named in the kubeconfig (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

type Reads = { path: string; what: string }[];

function data(v: unknown, file: unknown, dir: string, what: string, read: Reads): Buffer | undefined {
  if (str(v)) return Buffer.from(v as string, 'base64');
  if (str(file)) {
    read.push({ path: path.resolve(dir, file as string), what: `the ${what} named in the kubeconfig` });
    return readPath(file as string, dir, what);
  }
  return undefined;
}

function endpointFor(cluster: Named, user: Named | undefined, read: Reads): Endpoint {
  const c = rec(cluster.value.cluster);
  const server = str(c.server);
  if (!server) throw new UsageError(`cluster \`${cluster.name}\` in the kubeconfig has no server`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`cluster \`${cluster.name}\` has a server that is not a URL: ${server}`);
  }
  if (str(c['proxy-url'])) throw new UsageError(`cluster \`${cluster.name}\` sets proxy-url, which svclint does not support yet; reach the API server directly`);
  const u = rec(user?.value.user);
  const udir = user?.dir ?? cluster.dir;
  const insecure = c['insecure-skip-tls-verify'] === true;
  if (insecure && (str(c['certificate-authority-data']) || str(c['certificate-authority']))) {
    throw new UsageError(`cluster \`${cluster.name}\` sets insecure-skip-tls-verify and a certificate authority; kubectl refuses that too ("specifying a root certificates file with the insecure flag is not allowed"): keep one of them`);
  }
  const material: Endpoint['tls'] = {
    ca: data(c['certificate-authority-data'], c['certificate-authority'], cluster.dir, 'certificate authority', read),
    cert: data(u['client-certificate-data'], u['client-certificate'], udir, 'client certificate', read),
    key: data(u['client-key-data'], u['client-key'], udir, 'client key', read),
    rejectUnauthorized: !insecure,
    servername: str(c['tls-server-name']),
  };
  checkTls(material, cluster.name, user?.name);
  return { server: url, tls: material, credentials: credentialsFor(u, udir, read), secrets: secretsOf(u) };
}

/** Certificates and keys that do not decode, or a key that is not the certificate's, as one line now rather than at the first request. */
function checkTls(material: Endpoint['tls'], cluster: string, user: string | undefined): void {
  const parts: [keyof Endpoint['tls'], string][] = [['ca', `the certificate authority of cluster \`${cluster}\``], ['cert', `the client certificate of user \`${user}\``], ['key', `the client key of user \`${user}\``]];
  for (const [k, what] of parts) {
    if (!material[k]) continue;
    try {
      if (k === 'ca') checkCertificates(material.ca!);
      else tls.createSecureContext(k === 'cert' ? { cert: material.cert } : { key: material.key });
    } catch (err) {
      throw new UsageError(`${what} in the kubeconfig does not decode (${tlsReason(err)}); it must be PEM (base64 of PEM in a -data field)`);
    }
  }
  if (material.cert && material.key) {
    try {
      tls.createSecureContext({ cert: material.cert, key: material.key });
    } catch (err) {
      throw new UsageError(`the client certificate and key of user \`${user}\` in the kubeconfig do not belong together (${tlsReason(err)})`);
    }
  }
}

/** Node skips CA certificates it cannot read: check each PEM block as client-go's x509 pool would read it. */
function checkCertificates(pem: string | Buffer): void {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) throw Object.assign(new Error('no PEM certificate in it'), { code: 'no PEM certificate in it' });
  for (const b of blocks) new X509Certificate(b);
}

const tlsReason = (err: unknown) => ((err as NodeJS.ErrnoException).code ?? (err as Error).message).toString().split('\n')[0]!;

/** The credentials the kubeconfig holds, to keep them out of every message. */
function secretsOf(u: Rec): string[] {
  const out: string[] = [];
  if (str(u.token)) out.push(u.token as string);
  if (typeof u.password === 'string' && u.password !== '') out.push(u.password, Buffer.from(`${u.username ?? ''}:${u.password}`).toString('base64'));
  return out;
}

function credentialsFor(u: Rec, dir: string, read: Reads): Endpoint['credentials'] {
  const token = str(u.token);
  const tokenFile = str(u.tokenFile);
  if (token) return async () => ({ headers: { Authorization: `Bearer ${token}` } });
  if (tokenFile) {
    read.push({ path: path.resolve(dir, tokenFile), what: 'the token file named in the kubeconfig' });
    return fileToken(path.resolve(dir, tokenFile));
  }
  if (str(u.username) && typeof u.password === 'string') {
    const basic = Buffer.from(`${u.username}:${u.password}`).toString('base64');
    return async () => ({ headers: { Authorization: `Basic ${basic}` } });
  }
  if (Object.keys(rec(u.exec)).length) return execCredential(rec(u.exec), dir);
  const provider = rec(u['auth-provider']);
  if (str(provider.name) === 'oidc') return oidcToken(provider);
  if (str(provider.name)) throw new UsageError(`auth-provider \`${provider.name}\` is not supported; use an exec credential plugin (kubectl does the same since 1.26)`);
  return async () => ({ headers: {} });
}

/** A bearer token file, re-read when it changes (projected service account tokens rotate). */
function fileToken(file: string): Endpoint['credentials'] {
  // Read once now: a token file that cannot be read is a one-line error before any request.
  const read = () => readPath(file, '/', 'token file', MAX_TOKEN_BYTES).toString('utf8').trim();
  let cached = { token: read(), at: Date.now() };
  return async () => {
    if (Date.now() - cached.at > 60_000) {
      cached = { token: read(), at: Date.now() };
    }
    return { headers: { Authorization: `Bearer ${cached.token}` } };
  };
}

/** The OIDC auth-provider, through @kubernetes/client-node's authenticator (loaded only here). */
function oidcToken(provider: Rec): Endpoint['credentials'] {
  let auth: { applyAuthentication(user: unknown, opts: { headers: Record<string, string> }): Promise<void> } | undefined;
  return async () => {
    if (!auth) {
      const { OpenIDConnectAuth } = await import('@kubernetes/client-node/dist/oidc_auth.js');
      auth = new OpenIDConnectAuth() as unknown as typeof auth;
    }
    const opts = { headers: {} as Record<string, string> };
    await auth!.applyAuthentication({ name: 'oidc', authProvider: { name: 'oidc', config: rec(provider.config) } }, opts);
    return opts;
  };
}

/** In a pod: the API server from the environment, the service account's token and CA. */
function inCluster(env: NodeJS.ProcessEnv, sa: string): ResolvedConfig {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const port = env.KUBERNETES_SERVICE_PORT || '443';
  const server = new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`);
  const ca = existsSync(`${sa}/ca.crt`) ? readPath(`${sa}/ca.crt`, '/', 'service account certificate authority') : undefined;
  const files = [{ path: `${sa}/token`, what: 'the service account token' }, ...(ca ? [{ path: `${sa}/ca.crt`, what: 'the service account certificate authority' }] : [])];
  return { endpoint: { server, tls: { ca, rejectUnauthorized: true }, credentials: fileToken(`${sa}/token`) }, context: 'in-cluster', files };
}
