import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.SVCLINT_TOOLS ?? path.join(homedir(), '.cache', 'svclint-tools');

/**
 * The tools some tests run for real, each built once into the cache by its script (which
 * returns at once when the cache has it). A test file names the ones it needs on a line
 * of its own: `// tools: helm, control-plane`.
 */
export const TOOLS: Record<string, { script: string; what: string }> = {
  helm: { script: 'tools.sh', what: 'helm (chart tests)' },
  'control-plane': { script: 'control-plane.sh', what: 'kube-apiserver, kube-controller-manager and etcd (doctor tests)' },
  'apiserver-1.20': { script: 'apiserver-1.20.sh', what: 'kube-apiserver 1.20 (the v1 Endpoints fallback test)' },
  'netpol-analyzer': { script: 'netpol-analyzer.sh', what: 'netpol-analyzer (the NetworkPolicy differential test)' },
  coredns: { script: 'coredns.sh', what: 'CoreDNS (the cluster DNS differential test)' },
  'debian-servers': { script: 'debian-servers.sh', what: 'Redis, nginx, PostgreSQL, HAProxy, MariaDB, Apache and Mosquitto from Debian (the server configuration differential test)' },
  spring: { script: 'spring.sh', what: 'a Spring Boot web application (the Spring differential test)' },
  tomcat: { script: 'tomcat.sh', what: 'Apache Tomcat (the Tomcat differential test)' },
  servers: { script: 'servers.sh', what: 'uvicorn, gunicorn, hypercorn, Flask and Django (the bind differential test)' },
  'kubelet-oracle': { script: 'kubelet-oracle.sh', what: 'the kubelet\'s environment and volume code (the pod configuration differential test)' },
  'kubectl-yaml': { script: 'kubectl-yaml.sh', what: 'kubectl\'s YAML decoder (the YAML differential test)' },
};

/** The tools a test file declares with `// tools: a, b`. */
export function declaredTools(text: string): string[] {
  const m = /^\/\/ tools: (.+)$/m.exec(text);
  return m ? m[1]!.split(',').map((t) => t.trim()).filter(Boolean) : [];
}

/**
 * Runs one build script: its "building …" and "waiting …" lines go to the terminal as they
 * come; the rest of its output is kept and shown only if the build fails.
 */
function build(script: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(root, 'scripts', script)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const l of lines) if (/^(building|waiting|skipping) /.test(l)) process.stderr.write(`svclint tests: ${l} (cache: ${cache})\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      if (code === 3) return resolve(); // skipped: the system lacks what it needs (the script said so in one line; in CI it fails instead)
      reject(new Error(`scripts/${script} failed (exit ${code}): the tests of ${what} need it; see CONTRIBUTING.md.\n${log.split('\n').slice(-30).join('\n')}`));
    });
  });
}

/** The test files this run selected (every file when it names none). */
async function selectedFiles(project: TestProject): Promise<string[]> {
  // Vitest keeps the command line's file filters here; without them every file runs.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles;
}

/**
 * Vitest's global setup for the suite with external tools: builds, before any test
 * starts and with no timeout, the tools that the selected test files declare, so
 * `npx vitest run test/render.test.ts` builds helm and nothing else. `npm run test:unit`
 * needs none of them and skips this.
 */
export default async function setup(project: TestProject): Promise<void> {
  const wanted = new Set<string>();
  for (const file of await selectedFiles(project)) {
    for (const t of declaredTools(readFileSync(file, 'utf8'))) {
      if (!TOOLS[t]) throw new Error(`${path.relative(root, file)} declares an unknown tool '${t}' (one of: ${Object.keys(TOOLS).join(', ')})`);
      wanted.add(t);
    }
  }
  for (const t of Object.keys(TOOLS)) if (wanted.has(t)) await build(TOOLS[t]!.script, TOOLS[t]!.what);
}
