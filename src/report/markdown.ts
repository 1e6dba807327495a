import type { Finding, Severity } from '../types/finding.js';
import { describe } from '../types/object.js';
import type { ServiceRoutes } from '../graph/routes.js';
import { plural } from '../text.js';
import { renderedNote, repoPath } from './paths.js';
import type { ReportInput } from './summary.js';

const ICON: Record<Severity, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };
/** Beyond this many Services, only broken ones and their neighbours are drawn. */
export const GRAPH_LIMIT = 40;
const TABLE_LIMIT = 200;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const label = (s: string) => s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));

function link(input: ReportInput, f: Finding): string {
  if (!f.location) return f.object ? cell(`${describe(f.object)}${f.path ? ` ${f.path}` : ''}`) : '';
  const p = repoPath(input, f.location.file);
  const line = f.location.line;
  const text = line === undefined ? p : `${p}:${line}`;
  const note = renderedNote(f.location);
  const e = input.env ?? {};
  if (e.GITHUB_SERVER_URL && e.GITHUB_REPOSITORY && e.GITHUB_SHA && p !== '<stdin>') {
    return `[${cell(text)}](${e.GITHUB_SERVER_URL}/${e.GITHUB_REPOSITORY}/blob/${e.GITHUB_SHA}/${encodeURI(p)}${line === undefined ? '' : `#L${line}`})${note}`;
  }
  return `\`${cell(text)}\`${note}`;
}

interface Edge {
  from: string;
  to: string;
  text: string;
  broken: boolean;
}

/** A Mermaid picture of Services → workloads, grouped by namespace, broken edges dashed and red. */
export function mermaid(routes: ServiceRoutes[], findings: Finding[]): string {
  const problem = new Set(findings.filter((f) => f.object?.kind === 'Service').map((f) => `${f.object!.namespace}/${f.object!.name}`));
  const isBroken = (s: ServiceRoutes) =>
    problem.has(`${s.namespace}/${s.name}`) ||
    (s.mode === 'selector' && (s.ports.every((p) => p.backends.length === 0) || s.ports.some((p) => p.backends.some((b) => b.targetPort === undefined || !b.ready))));
  let shown = routes;
  let hidden = 0;
  let hiddenBroken = 0;
  if (routes.length > GRAPH_LIMIT) {
    shown = routes.filter(isBroken);
    hidden = routes.length - shown.length;
    // GitHub renders a Mermaid block of bounded size: at most GRAPH_LIMIT Services, broken or not; the table lists every finding.
    if (shown.length > GRAPH_LIMIT) {
      hiddenBroken = shown.length - GRAPH_LIMIT;
      shown = shown.slice(0, GRAPH_LIMIT);
    }
  }
  const ids = new Map<string, string>();
  const id = (key: string) => {
    let v = ids.get(key);
    if (!v) ids.set(key, (v = `n${ids.size}`));
    return v;
  };
  const byNs = new Map<string, string[]>();
  const edges: Edge[] = [];
  const node = (ns: string, key: string, text: string, cls?: string) => {
    const line = `    ${id(key)}["${label(text)}"]${cls ? `:::${cls}` : ''}`;
    const list = byNs.get(ns) ?? [];
    if (!list.includes(line)) list.push(line);
    byNs.set(ns, list);
  };
  for (const s of shown) {
    const skey = `svc:${s.namespace}/${s.name}`;
    node(s.namespace, skey, `Service ${s.name}`, isBroken(s) ? 'broken' : 'service');
    if (s.mode === 'external-name') {
      node(s.namespace, `ext:${s.namespace}/${s.name}`, `CNAME ${s.externalName ?? '?'}`, 'external');
      edges.push({ from: skey, to: `ext:${s.namespace}/${s.name}`, text: 'ExternalName', broken: false });
      continue;
    }
    if (s.mode === 'manual') {
      node(s.namespace, `man:${s.namespace}/${s.name}`, s.manualEndpoints.length ? s.manualEndpoints.map((e) => `${e.kind} ${e.name}`).join(', ') : 'endpoints managed elsewhere', 'external');
      edges.push({ from: skey, to: `man:${s.namespace}/${s.name}`, text: 'no selector', broken: false });
      continue;
    }
    const workloads = new Map<string, { text: string; ports: string[]; broken: string[] }>();
    for (const p of s.ports) {
      for (const b of p.backends) {
        const wkey = `wl:${b.kind}/${b.namespace}/${b.name}`;
        const w = workloads.get(wkey) ?? { text: `${b.kind} ${b.name} ×${b.replicas === 'per-node' ? 'node' : b.replicas}`, ports: [], broken: [] };
        if (b.targetPort === undefined) w.broken.push(`${p.name ?? p.port}: no port ${p.targetPort}`);
        else if (!b.ready) w.broken.push(`never ready: ${b.notReady.join(', ')}`);
        else w.ports.push(`${p.port}→${b.targetPort}`);
        workloads.set(wkey, w);
      }
    }
    if (workloads.size === 0) {
      node(s.namespace, `none:${skey}`, `no pod matches ${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')}`, 'missing');
      edges.push({ from: skey, to: `none:${skey}`, text: 'selector matches nothing', broken: true });
    }
    for (const [wkey, w] of workloads) {
      node(s.namespace, wkey, w.text, w.broken.length ? 'broken' : 'workload');
      edges.push({ from: skey, to: wkey, text: [...new Set(w.broken.length ? w.broken : w.ports)].join(', '), broken: w.broken.length > 0 });
    }
  }
  let references = 0;
  for (const f of findings) {
    if (f.category !== 'reference' || !f.object) continue;
    if (++references > GRAPH_LIMIT) {
      hiddenBroken++;
      continue;
    }
    const ns = f.object.namespace ?? '';
    const rkey = `ref:${f.object.kind}/${ns}/${f.object.name}`;
    node(ns, rkey, `${f.object.kind} ${f.object.name}`, 'broken');
    node(ns, `miss:${rkey}:${f.ruleId}`, f.ruleId, 'missing');
    edges.push({ from: rkey, to: `miss:${rkey}:${f.ruleId}`, text: 'broken reference', broken: true });
  }
  const out = ['```mermaid', 'graph LR'];
  for (const [ns, lines] of [...byNs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push(`  subgraph ${id(`ns:${ns}`)}["namespace ${label(ns || 'cluster')}"]`, ...lines, '  end');
  }
  const seen = new Set<string>();
  const red: number[] = [];
  for (const e of edges) {
    const line = e.broken ? `  ${id(e.from)} -. "${label(e.text)}" .-x ${id(e.to)}` : `  ${id(e.from)} -->${e.text ? `|"${label(e.text)}"|` : ''} ${id(e.to)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    if (e.broken) red.push(seen.size - 1); // Mermaid numbers links in the order they are written
    out.push(line);
  }
  if (red.length) out.push(`  linkStyle ${red.join(',')} stroke:#d33,stroke-width:2px,color:#d33`);
  out.push(
    '  classDef service fill:#e8f1ff,stroke:#3572c6',
    '  classDef workload fill:#eafbea,stroke:#2e8b57',
    '  classDef broken fill:#fdeaea,stroke:#d33,stroke-width:2px',
    '  classDef missing fill:#fff,stroke:#d33,stroke-dasharray:4 3,color:#d33',
    '  classDef external fill:#f5f5f5,stroke:#888',
    '```',
  );
  if (hidden > 0) out.push('', `${plural(hidden, 'healthy Service')} not drawn (more than ${GRAPH_LIMIT} Services in the run).`);
  if (hiddenBroken > 0) out.push('', `${plural(hiddenBroken, 'more broken object')} not drawn (the picture shows at most ${GRAPH_LIMIT}); the table lists every finding.`);
  return out.join('\n');
}

/** A pull-request summary: counts, a table of findings with links, the Service graph. */
export function formatMarkdown(input: ReportInput): string {
  const s = input.summary;
  const head = input.findings.length === 0 && !s.notChecked?.length ? '## ✅ svclint: no problems' : `## svclint: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info`;
  const out = [head, '', s.scope ? `Read ${s.scope}.` : `Linted ${plural(s.files, 'file')}: ${plural(s.objects, 'object')}, ${plural(s.services, 'Service')}.`, ''];
  if (s.comparison) {
    const c = s.comparison;
    out.push(`Compared with \`${c.commit.slice(0, 12)}\`${c.against !== c.commit ? ` (${cell(c.against)})` : ''}: **${c.new} new**, ${c.fixed} fixed, ${c.existing} already there. Only the new findings are listed.`, '');
  }
  if (s.notChecked?.length) out.push(`Not checked (could not be read): ${s.notChecked.join(', ')}.`, '');
  if (input.findings.length) {
    out.push('| Severity | Rule | Where | Problem |', '|---|---|---|---|');
    for (const f of input.findings.slice(0, TABLE_LIMIT)) out.push(`| ${ICON[f.severity]} | \`${f.ruleId}\` | ${link(input, f)} | ${cell(f.message)} |`);
    if (input.findings.length > TABLE_LIMIT) out.push('', `…and ${input.findings.length - TABLE_LIMIT} more (see the annotations or the SARIF report).`);
    out.push('');
  }
  if (input.routes && input.routes.length) out.push('### Services and their backends', '', mermaid(input.routes, input.findings), '');
  return `${out.join('\n')}\n`;
}
