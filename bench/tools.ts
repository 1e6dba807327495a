import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The other tools of the comparison, built from their Go modules into the shared tool cache. */
const TOOLS = process.env.SVCLINT_TOOLS ?? path.join(homedir(), '.cache', 'svclint-tools');

interface GoTool { name: string; module: string; pkg: string; version: string }

export const KUBECONFORM: GoTool = { name: 'kubeconform', module: 'github.com/yannh/kubeconform', pkg: 'cmd/kubeconform', version: 'v0.8.0' };
export const KUBE_LINTER: GoTool = { name: 'kube-linter', module: 'golang.stackrox.io/kube-linter', pkg: 'cmd/kube-linter', version: 'v0.7.6' };

/**
 * The tool's binary, built once (a version stamp next to it), or why it is not there.
 * `go install module@version` first; when the proxy will not list or serve that way, an
 * explicit `go mod download` of the version and a build from the module cache.
 */
export function goTool(t: GoTool): { bin?: string; why?: string } {
  const bin = path.join(TOOLS, 'bin', t.name);
  const stamp = path.join(TOOLS, `${t.name}.version`);
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === t.version) return { bin };
  if (spawnSync('go', ['version']).status !== 0) return { why: 'Go is not installed' };
  mkdirSync(path.dirname(bin), { recursive: true });
  const env = { ...process.env, GOBIN: path.dirname(bin), GOFLAGS: '-mod=mod', GONOSUMDB: t.module };
  console.error(`building ${t.name} ${t.version} into ${path.dirname(bin)} (once)...`);
  let r = spawnSync('go', ['install', `${t.module}/${t.pkg}@${t.version}`], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    const dl = spawnSync('go', ['mod', 'download', '-json', `${t.module}@${t.version}`], { env, encoding: 'utf8' });
    let info: { Dir?: string; Error?: string } = {};
    try {
      info = JSON.parse(dl.stdout) as typeof info;
    } catch {
      info = { Error: firstLine(dl.stderr || r.stderr) };
    }
    if (!info.Dir) return { why: `${t.module}@${t.version} cannot be fetched: ${firstLine(info.Error ?? '')}` };
    const dir = info.Dir;
    r = spawnSync('go', ['build', '-o', bin, `./${t.pkg}`], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) return { why: `${t.name} does not build: ${firstLine(r.stderr)}` };
  }
  writeFileSync(stamp, `${t.version}\n`);
  return { bin };
}

const firstLine = (s: string) => s.trim().split('\n').filter((l) => !l.startsWith('go: downloading')).pop()?.slice(0, 200) ?? '';

export interface Run { ms: number; rssMB: number; code: number }

/** Wall time and peak RSS of a whole command, as a user runs it (GNU time, when present). */
export function timed(cmd: string, args: string[]): Run {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  const rss = Number(/(\d+)\s*$/.exec(r.stderr ?? '')?.[1] ?? NaN) / 1024;
  return { ms, rssMB: rss, code: r.status ?? -1 };
}

export function hasGnuTime(): boolean {
  return existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
}

export function countObjects(dir: string): number {
  return Number(execFileSync('sh', ['-c', `grep -rh '^kind:' '${dir}' | wc -l`], { encoding: 'utf8' }).trim());
}
