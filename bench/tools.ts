import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The other tools of the comparison, built from their Go modules into the shared tool cache. */
const TOOLS = process.env.SVCLINT_TOOLS ?? path.join(homedir(), '.cache', 'svclint-tools');

interface GoTool { name: string; module: string; pkg: string; version: string; ldflags?: string }

export const KUBECONFORM: GoTool = { name: 'kubeconform', module: 'github.com/yannh/kubeconform', pkg: 'cmd/kubeconform', version: 'v0.8.0' };
export const KUBE_LINTER: GoTool = {
  name: 'kube-linter',
  module: 'golang.stackrox.io/kube-linter',
  pkg: 'cmd/kube-linter',
  version: 'v0.7.6',
  ldflags: '-X golang.stackrox.io/kube-linter/internal/version.version=v0.7.6', // what `kube-linter version` prints
};

/** BENCH_KUBE_LINTER_SRC, BENCH_KUBECONFORM_SRC: a checkout of the tool's repository at its version. */
const srcVar = (t: GoTool) => `BENCH_${t.name.toUpperCase().replace(/-/g, '_')}_SRC`;

/**
 * The tool's binary, built once (a version stamp next to it), or why it is not there.
 * `go install module@version` first; when the proxy will not list or serve that way, an
 * explicit `go mod download` of the version and a build from the module cache. When the
 * proxy refuses the module itself (kube-linter's vanity path), BENCH_<TOOL>_SRC names a
 * writable checkout of its repository at that version, built there with GOFLAGS=-mod=mod
 * (its dependencies still come from the proxy).
 */
export function goTool(t: GoTool): { bin?: string; why?: string } {
  const bin = path.join(TOOLS, 'bin', t.name);
  const stamp = path.join(TOOLS, `${t.name}.version`);
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === t.version) return { bin };
  if (spawnSync('go', ['version']).status !== 0) return { why: 'Go is not installed' };
  mkdirSync(path.dirname(bin), { recursive: true });
  const env = { ...process.env, GOBIN: path.dirname(bin), GOFLAGS: '-mod=mod', GONOSUMDB: t.module };
  console.error(`building ${t.name} ${t.version} into ${path.dirname(bin)} (once)...`);
  const src = process.env[srcVar(t)];
  const build = (cwd: string) =>
    spawnSync('go', ['build', '-trimpath', ...(t.ldflags ? ['-ldflags', t.ldflags] : []), '-o', bin, `./${t.pkg}`], { cwd, env, encoding: 'utf8' });
  if (src) {
    const r = build(src);
    if (r.status !== 0) return { why: `${t.name} does not build in ${src}: ${firstLine(r.stderr)}` };
    writeFileSync(stamp, `${t.version}\n`);
    return { bin };
  }
  let r = spawnSync('go', ['install', `${t.module}/${t.pkg}@${t.version}`], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    const dl = spawnSync('go', ['mod', 'download', '-json', `${t.module}@${t.version}`], { env, encoding: 'utf8' });
    let info: { Dir?: string; Error?: string } = {};
    try {
      info = JSON.parse(dl.stdout) as typeof info;
    } catch {
      info = { Error: firstLine(dl.stderr || r.stderr) };
    }
    if (!info.Dir) {
      const hint = `; set ${srcVar(t)} to a writable checkout of its repository at ${t.version} to build it from source`;
      return { why: `${t.module}@${t.version} cannot be fetched: ${firstLine(info.Error ?? '')}${hint}` };
    }
    r = build(info.Dir);
    if (r.status !== 0) return { why: `${t.name} does not build: ${firstLine(r.stderr)}` };
  }
  writeFileSync(stamp, `${t.version}\n`);
  return { bin };
}

const firstLine = (s: string) => s.trim().split('\n').filter((l) => !l.startsWith('go: downloading')).pop()?.slice(0, 200) ?? '';

export interface Run { ms: number; cpuMs: number; rssMB: number; code: number }

/** Wall time, CPU (user + system) and peak RSS of a whole command, as a user runs it (GNU time). */
export function timed(cmd: string, args: string[]): Run {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  return { ms, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rssMB: m ? Number(m[3]) / 1024 : NaN, code: r.status ?? -1 };
}

/**
 * kubeconform's schemas for strict validation, offline: the JSON schemas of the
 * `kubernetes-validate` wheel (from the Python package registry, with pip) in kubeconform's
 * layout (../shared/bench/kubeconform_schemas.py), made once into the tool cache. Returns the
 * `-schema-location` template, or why there is none.
 */
export function kubeconformSchemas(script: string): { location?: string; why?: string } {
  const dir = path.join(TOOLS, 'kubeconform-schemas');
  const location = `${dir}/v1.33.0-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
  if (existsSync(path.join(dir, 'v1.33.0-standalone-strict', 'service-v1.json'))) return { location };
  if (!existsSync(script)) return { why: `${script} is missing` };
  const wheel = path.join(TOOLS, 'kubernetes-validate');
  mkdirSync(wheel, { recursive: true });
  let r = spawnSync('python3', ['-m', 'pip', 'download', '-q', '--no-deps', '-d', wheel, 'kubernetes-validate==1.37.0'], { encoding: 'utf8' });
  const whl = existsSync(wheel) ? readdirSync(wheel).find((f) => f.endsWith('.whl')) : undefined;
  if (!whl) return { why: `pip download kubernetes-validate failed: ${firstLine(r.stderr ?? '')}` };
  r = spawnSync('python3', ['-m', 'zipfile', '-e', path.join(wheel, whl), path.join(wheel, 'raw')], { encoding: 'utf8' });
  if (r.status !== 0) return { why: `cannot unpack ${whl}: ${firstLine(r.stderr)}` };
  r = spawnSync('python3', [script, path.join(wheel, 'raw', 'kubernetes_validate', 'kubernetes-json-schema'), dir], { encoding: 'utf8' });
  if (r.status !== 0) return { why: `kubeconform_schemas.py failed: ${firstLine(r.stderr)}` };
  return { location };
}

export function hasGnuTime(): boolean {
  return existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
}

export function countObjects(dir: string): number {
  return Number(execFileSync('sh', ['-c', `grep -rh '^kind:' '${dir}' | wc -l`], { encoding: 'utf8' }).trim());
}
