import type { Finding } from '../types/finding.js';
import { describe } from '../types/object.js';
import { position, renderedNote } from './paths.js';
import type { ReportInput } from './summary.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function subject(f: Finding): string {
  return f.object ? describe(f.object) : f.location?.file ?? 'run';
}

/**
 * JUnit XML for CI systems that read nothing else: a suite per rule, a test case per
 * rule × object with findings (failing, one <failure> per finding), and one passing
 * case for a rule that found nothing; a rule that reads a live cluster is a skipped case
 * in a static run.
 */
export function formatJunit(input: ReportInput): string {
  const rules: readonly { id: string; liveOnly?: boolean }[] = input.rules ?? [...new Set(input.findings.map((f) => f.ruleId))].map((id) => ({ id }));
  // A static run (no cluster: the summary has no scope) never ran the live-only rules: skipped, not passed.
  const live = input.summary.scope !== undefined;
  const suites: string[] = [];
  let total = 0;
  let failed = 0;
  let skippedAll = 0;
  for (const r of rules) {
    if (r.liveOnly && !live) {
      total++;
      skippedAll++;
      suites.push(`  <testsuite name="${xml(r.id)}" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="svclint.${xml(r.id)}" name="all objects">\n      <skipped message="reads a cluster's live state: runs only in svclint doctor"/>\n    </testcase>\n  </testsuite>`);
      continue;
    }
    const mine = input.findings.filter((f) => f.ruleId === r.id);
    const bySubject = new Map<string, Finding[]>();
    for (const f of mine) bySubject.set(subject(f), [...(bySubject.get(subject(f)) ?? []), f]);
    const cases: string[] = [];
    for (const [name, fs] of bySubject) {
      const failures = fs.map((f) => {
        const at = f.location ? `${position(f.location)}${renderedNote(f.location)}` : `${name}${f.path ? ` ${f.path}` : ''}`;
        return `      <failure type="${f.severity}" message="${xml(f.message)}">${xml(`${at}: ${f.severity}: ${f.message}\nfix: ${f.remediation}`)}</failure>`;
      });
      cases.push(`    <testcase classname="svclint.${xml(r.id)}" name="${xml(name)}"${fs[0]?.location ? ` file="${xml(fs[0].location.file)}"` : ''}>\n${failures.join('\n')}\n    </testcase>`);
    }
    if (bySubject.size === 0) cases.push(`    <testcase classname="svclint.${xml(r.id)}" name="all objects"/>`);
    const errs = mine.length ? bySubject.size : 0;
    total += cases.length;
    failed += errs;
    suites.push(`  <testsuite name="${xml(r.id)}" tests="${cases.length}" failures="${errs}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="svclint" tests="${total}" failures="${failed}" errors="0" skipped="${skippedAll}">\n${suites.join('\n')}\n</testsuites>\n`;
}
