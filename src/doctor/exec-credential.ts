import { spawn } from 'node:child_process';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { oneLine, type Deadline, type Endpoint } from './http.js';

type Rec = Record<string, unknown>;
interface Credential {
  token?: string;
  cert?: string;
  key?: string;
  /** Epoch ms; undefined: good for the whole run. */
  expires?: number;
}

const MAX_OUTPUT = 1024 * 1024;

/**
 * An exec credential plugin (client.authentication.k8s.io): run once per run and cached
 * until its expirationTimestamp, bounded by the run deadline; its stderr is shown only
 * when it fails, shortened to one line.
 */
export function execCredential(exec: Rec, dir: string): Endpoint['credentials'] {
  let cached: Credential | undefined;
  let running: Promise<Credential> | undefined;
  return async (deadline) => {
    if (!cached || (cached.expires !== undefined && cached.expires <= Date.now())) {
      running ??= run(exec, dir, deadline).finally(() => (running = undefined));
      cached = await running;
    }
    const headers: Record<string, string> = cached.token ? { Authorization: `Bearer ${cached.token}` } : {};
    return { headers, cert: cached.cert, key: cached.key };
  };
}

function run(exec: Rec, dir: string, deadline: Deadline): Promise<Credential> {
  const raw = typeof exec.command === 'string' ? exec.command : '';
  if (!raw) throw new UsageError('the kubeconfig user has an exec plugin without a command');
  // kubectl: a command with a path separator is relative to the kubeconfig that names it.
  const command = raw.includes('/') && !path.isAbsolute(raw) ? path.resolve(dir, raw) : raw;
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1';
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of Array.isArray(exec.env) ? (exec.env as Rec[]) : []) if (typeof e?.name === 'string') env[e.name] = String(e.value ?? '');
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
  const name = path.basename(command);
  const failed = (why: string) => new UsageError(`the credential plugin \`${name}\` failed: ${why}`);
  return new Promise((resolve, reject) => {
    // Its own process group, so a plugin that hangs is stopped with whatever it started.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
    };
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.length > MAX_OUTPUT) stop();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-4096);
    });
    const timer = setTimeout(() => {
      stop();
      reject(failed(`no answer before the run deadline (${Math.round(deadline.ms / 1000)} s)`));
    }, Math.max(deadline.left, 0));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint = typeof exec.installHint === 'string' ? `; ${oneLine(exec.installHint, 150)}` : '';
      reject(failed(`${e.code === 'ENOENT' ? 'command not found' : e.code ?? e.message}${hint}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lastLines = oneLine(err.trim().split('\n').slice(-3).join(' '), 200);
      if (code !== 0) return reject(failed(`${signal ? `killed by ${signal}` : `exit code ${code}`}${lastLines ? `: ${lastLines}` : ''}`));
      try {
        resolve(credential(JSON.parse(out)));
      } catch (e) {
        reject(failed(`its output is not an ExecCredential (${oneLine((e as Error).message, 120)})`));
      }
    });
  });
}

function credential(body: unknown): Credential {
  const status = (body as { status?: Rec } | null)?.status;
  if (!status || typeof status !== 'object') throw new Error('no status');
  const token = typeof status.token === 'string' && status.token ? status.token : undefined;
  const cert = typeof status.clientCertificateData === 'string' ? status.clientCertificateData : undefined;
  const key = typeof status.clientKeyData === 'string' ? status.clientKeyData : undefined;
  if (!token && !(cert && key)) throw new Error('neither a token nor a client certificate and key');
  const at = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : NaN;
  return { token, cert, key, expires: Number.isNaN(at) ? undefined : at };
}
