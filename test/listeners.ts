import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Real servers started by the differential tests, and the sockets the kernel shows them listening on. */

/** The sockets a process group listens on: `127.0.0.1:8000`, `[::1]:8000`, `0.0.0.0:8000`, `*:8000`. */
export function listening(pgid: number): { host: string; port: number }[] {
  const out = spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' }).stdout;
  const found: { host: string; port: number }[] = [];
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 6) continue;
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    const inGroup = pids.some((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
      } catch {
        return false;
      }
    });
    if (!inGroup) continue;
    const m = /^(.*):(\d+)$/.exec(cols[3]!);
    if (m) found.push({ host: m[1]!.replace(/^\[|\]$/g, '').replace(/%.*$/, ''), port: Number(m[2]) });
  }
  return found;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a command line, waits until it listens (or 15 s), runs `during` if given, and stops it. */
export async function run(words: string[], env: Record<string, string>, cwd: string, stop: NodeJS.Signals = 'SIGKILL', during?: () => Promise<void>): Promise<{ sockets: { host: string; port: number }[]; log: string }> {
  const child = spawn(words[0]!, words.slice(1), {
    cwd,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  let sockets: { host: string; port: number }[] = [];
  const until = Date.now() + 15_000;
  while (Date.now() < until && !exited) {
    await sleep(150);
    sockets = listening(child.pid!);
    if (sockets.length) {
      // gunicorn and hypercorn may bind several sockets in turn: read once more.
      await sleep(300);
      sockets = listening(child.pid!);
      break;
    }
  }
  // What a test asks of the server while it listens (a client's first exchange).
  if (sockets.length && during) await during();
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* gone */
    }
  };
  // A server that keeps state on disk (PostgreSQL's lock file) is stopped with its own shutdown signal first.
  signal(stop);
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await new Promise((r) => (exited ? r(undefined) : child.on('exit', r)));
  clearTimeout(timer);
  return { sockets, log };
}

