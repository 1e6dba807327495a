import { discover } from '../src/load/discover.js';
import { lint } from '../src/lint.js';
import { parseAll } from '../src/load/parse-pool.js';
import { formatJson } from '../src/report/json.js';
import { countBySeverity } from '../src/report/summary.js';

/** One measurement in a fresh process, so peak memory is this run's alone. */
async function main(): Promise<void> {
  const [dir, mode] = process.argv.slice(2) as [string, 'lint' | 'parse'];
  const found = await discover([dir], { cwd: process.cwd(), ignore: [] });
  const bytes = found.files.reduce((n, f) => n + f.text.length, 0);
  const t0 = performance.now();
  let objects = 0;
  let findings = 0;
  if (mode === 'parse') {
    for (const r of await parseAll(found.files)) objects += r.docs.length; // values only, the fastest parse of these bytes
  } else {
    const r = lint({ files: found.files, parsed: await parseAll(found.files), problems: found.problems });
    const c = countBySeverity(r.findings);
    formatJson({ findings: r.findings, sources: new Map(), summary: { errors: c.error, warnings: c.warning, infos: c.info, files: found.files.length, objects: r.graph.objects.length, services: r.graph.services.length } });
    objects = r.graph.objects.length;
    findings = r.findings.length;
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, objects, findings, bytes, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

void main();
