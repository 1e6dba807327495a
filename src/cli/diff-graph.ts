import type { RouteBackend, RoutePort, ServiceRoutes } from '../graph/routes.js';

/** What a Service is wired to, as comparable lines (one fact per line). */
export interface Wiring {
  /** `Deployment shop/api ×2`: the workloads whose pods the selector takes. */
  workloads: string[];
  /** `http 80/TCP → Deployment shop/api :8080`, or `→ … (unresolved: …)`. */
  ports: string[];
  /** The DNS names: the Service's A/AAAA name and an SRV name per named port. */
  dns: string[];
  /** `Deployment shop/web (env `API_URL`…) → http 80/TCP: admitted | blocked: … | cannot tell: …`. */
  clients: string[];
}

export type Aspect = keyof Wiring;
export const ASPECTS: readonly Aspect[] = ['workloads', 'ports', 'dns', 'clients'];
const ASPECT_TEXT: Record<Aspect, string> = { workloads: 'selected workloads', ports: 'ports → target ports', dns: 'DNS names', clients: 'clients (NetworkPolicy)' };

export interface AspectChange {
  aspect: Aspect;
  removed: string[];
  added: string[];
}

export interface ServiceChange {
  namespace: string;
  name: string;
  status: 'added' | 'removed' | 'changed';
  changes: AspectChange[];
  before?: Wiring;
  after?: Wiring;
}

export interface GraphDiff {
  version: 1;
  base: { rev: string; commit: string };
  /** Services in both runs whose wiring is the same: counted, not listed. */
  unchanged: number;
  services: ServiceChange[];
}

const portText = (p: RoutePort) => `${p.name ? `${p.name} ` : ''}${p.port ?? '?'}/${p.protocol}`;
const replicas = (b: RouteBackend) => (b.replicas === 'per-node' ? '×1 per node' : `×${b.replicas}`);
const workloadText = (b: RouteBackend) => `${b.kind} ${b.namespace}/${b.name}`;

function backendText(p: RoutePort, b: RouteBackend): string {
  const to = `${portText(p)} → ${workloadText(b)}`;
  if (b.targetPort === undefined) {
    const why = b.unresolved === 'protocol-mismatch' ? `port ${p.targetPort} has another protocol` : b.unresolved === 'quoted-number' ? 'a quoted number is a name' : b.unresolved === 'invalid' ? 'not a valid port' : `no container port named ${p.targetPort}`;
    return `${to}: left out, ${why}`;
  }
  return `${to} :${b.targetPort}${b.ready ? '' : ` (never ready: ${b.notReady.join(', ')})`}`;
}

/** A Service's wiring from its routes (src/graph/routes.ts): what the endpoints controller, kube-proxy and CoreDNS would build. */
export function wiringOf(s: ServiceRoutes): Wiring {
  const workloads = new Map<string, string>();
  const ports: string[] = [];
  const clients: string[] = [];
  for (const p of s.ports) {
    for (const b of p.backends) {
      workloads.set(workloadText(b), `${workloadText(b)} ${replicas(b)}`);
      ports.push(backendText(p, b));
    }
    if (p.backends.length === 0) {
      ports.push(s.mode === 'selector' ? `${portText(p)} → no pods` : s.mode === 'external-name' ? `${portText(p)} → CNAME ${s.externalName ?? '?'}` : `${portText(p)} → endpoints managed elsewhere`);
    }
    for (const c of p.clients ?? []) {
      const verdict = c.admitted === 'yes' ? 'admitted' : c.admitted === 'no' ? 'blocked' : 'cannot tell';
      clients.push(`${c.client} (${c.via}) → ${portText(p)}: ${verdict}${c.detail?.length ? ` (${c.detail.join('; ')})` : ''}`);
    }
  }
  const dns = [s.dns, ...s.ports.flatMap((p) => (p.srv ? [`SRV ${p.srv}`] : []))];
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
  return { workloads: sorted(workloads.values()), ports: sorted(ports), dns: sorted(dns), clients: sorted(clients) };
}

const keyOf = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

/** Per Service, what the change does to its wiring; Services whose wiring is the same are left out. */
export function diffRoutes(before: ServiceRoutes[], after: ServiceRoutes[], base: { rev: string; commit: string }): GraphDiff {
  const b = new Map(before.map((s) => [keyOf(s), wiringOf(s)]));
  const a = new Map(after.map((s) => [keyOf(s), wiringOf(s)]));
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  const services: ServiceChange[] = [];
  let unchanged = 0;
  for (const k of keys) {
    const [namespace, name] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
    const wb = b.get(k);
    const wa = a.get(k);
    const changes: AspectChange[] = [];
    for (const aspect of ASPECTS) {
      const x = new Set(wb?.[aspect] ?? []);
      const y = new Set(wa?.[aspect] ?? []);
      const removed = [...x].filter((v) => !y.has(v));
      const added = [...y].filter((v) => !x.has(v));
      if (removed.length || added.length) changes.push({ aspect, removed, added });
    }
    if (!changes.length) {
      unchanged++;
      continue;
    }
    services.push({ namespace, name, status: !wb ? 'added' : !wa ? 'removed' : 'changed', changes, ...(wb ? { before: wb } : {}), ...(wa ? { after: wa } : {}) });
  }
  return { version: 1, base, unchanged, services };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const label = (s: string) => s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
const list = (xs: string[]) => (xs.length ? xs.map((x) => cell(x).replace(/`/g, "'")).join('<br>') : '—');

/** The workload of a `ports` line, and what the line says of it. */
function edgesOf(w: Wiring | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of w?.ports ?? []) {
    const m = /^(.*?) \u2192 (\S+ \S+?)(?::| :)(.*)$/.exec(line);
    if (m) out.set(m[2]!, [out.get(m[2]!), `${m[1]}→${m[3]!.trim()}`].filter(Boolean).join(', '));
  }
  return out;
}

/** `×3` of `Deployment shop/web ×3` in a wiring's workloads. */
function replicasIn(w: Wiring | undefined, workload: string): string | undefined {
  const line = w?.workloads.find((x) => x.startsWith(`${workload} `));
  return line?.slice(workload.length + 1);
}

/** Mermaid: each changed Service with the workloads it gained (thick), kept (plain) and lost (dashed, crossed), and blocked clients. */
export function diffMermaid(diff: GraphDiff): string {
  const out = ['```mermaid', 'graph LR'];
  const ids = new Map<string, string>();
  const id = (key: string) => ids.get(key) ?? (ids.set(key, `n${ids.size}`), ids.get(key)!);
  const nodes = new Map<string, string>();
  const edges: string[] = [];
  // A workload met first as a client and then as a backend keeps the fuller text (its replicas).
  const node = (key: string, text: string, cls: string) => {
    const line = `  ${id(key)}["${label(text)}"]:::${cls}`;
    if ((nodes.get(key)?.length ?? 0) < line.length) nodes.set(key, line);
  };
  for (const s of diff.services) {
    const skey = `svc:${s.namespace}/${s.name}`;
    node(skey, `Service ${s.namespace}/${s.name}${s.status === 'changed' ? '' : ` (${s.status})`}`, s.status === 'removed' ? 'lost' : 'service');
    const before = edgesOf(s.before);
    const after = edgesOf(s.after);
    for (const w of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const wkey = `wl:${w}`;
      const was = before.get(w);
      const now = after.get(w);
      const [rb, ra] = [replicasIn(s.before, w), replicasIn(s.after, w)];
      node(wkey, `${w} ${rb && ra && rb !== ra ? `${rb} ⇒ ${ra}` : ra ?? rb ?? ''}`.trim(), now === undefined ? 'lost' : 'workload');
      if (now === undefined) edges.push(`  ${id(skey)} -. "${label(`lost: ${was}`)}" .-x ${id(wkey)}`);
      else if (was === undefined) edges.push(`  ${id(skey)} ==>|"${label(`new: ${now}`)}"| ${id(wkey)}`);
      else edges.push(`  ${id(skey)} -->|"${label(was === now ? now : `${was} ⇒ ${now}`)}"| ${id(wkey)}`);
    }
    if (after.size === 0 && s.status !== 'removed' && (s.after?.ports ?? []).some((p) => p.endsWith('→ no pods'))) {
      node(`none:${skey}`, 'no pods', 'lost');
      edges.push(`  ${id(skey)} -. "selects nothing" .-x ${id(`none:${skey}`)}`);
    }
    const c = s.changes.find((x) => x.aspect === 'clients');
    for (const line of c?.added ?? []) {
      const m = /^(\S+ \S+) \(.*\) \u2192 (.*?): (admitted|blocked|cannot tell)/.exec(line);
      if (!m) continue;
      const ckey = `wl:${m[1]}`;
      node(ckey, m[1]!, 'workload');
      edges.push(m[3] === 'blocked' ? `  ${id(ckey)} -. "${label(`${m[2]}: blocked`)}" .-x ${id(skey)}` : `  ${id(ckey)} -->|"${label(`${m[2]}: ${m[3]}`)}"| ${id(skey)}`);
    }
  }
  out.push(...nodes.values(), ...edges);
  out.push('  classDef service fill:#e8f1ff,stroke:#3572c6', '  classDef workload fill:#eafbea,stroke:#2e8b57', '  classDef lost fill:#fdeaea,stroke:#d33,stroke-dasharray:4 3', '```');
  return out.join('\n');
}

/** The markdown of `svclint diff -f markdown` and of the Action's job summary: a table and a Mermaid graph. */
export function formatDiffMarkdown(diff: GraphDiff): string {
  const base = `\`${diff.base.commit.slice(0, 12)}\`${diff.base.rev !== diff.base.commit ? ` (${cell(diff.base.rev)})` : ''}`;
  if (!diff.services.length) return `### Service graph: no Service's wiring changed since ${base}\n\n${diff.unchanged} Service${diff.unchanged === 1 ? '' : 's'} unchanged.\n`;
  const out = [`### Service graph: ${diff.services.length} Service${diff.services.length === 1 ? '' : 's'} changed since ${base}`, '', '| Service | What changed | Before | After |', '|---|---|---|---|'];
  for (const s of diff.services) {
    s.changes.forEach((c, i) => {
      const who = i === 0 ? `\`${s.namespace}/${s.name}\`${s.status === 'changed' ? '' : ` (${s.status})`}` : '';
      out.push(`| ${who} | ${ASPECT_TEXT[c.aspect]} | ${list(c.removed)} | ${list(c.added)} |`);
    });
  }
  out.push('', `${diff.unchanged} Service${diff.unchanged === 1 ? '' : 's'} unchanged.`, '', diffMermaid(diff), '');
  return `${out.join('\n')}\n`;
}

/** The text of `svclint diff`: per Service, each fact lost (-) and gained (+). */
export function formatDiffText(diff: GraphDiff): string {
  const base = `${diff.base.rev}${diff.base.rev !== diff.base.commit ? ` (${diff.base.commit.slice(0, 12)})` : ''}`;
  if (!diff.services.length) return `no Service's wiring changed since ${base} (${diff.unchanged} unchanged)\n`;
  const out: string[] = [];
  for (const s of diff.services) {
    out.push(`Service ${s.namespace}/${s.name}${s.status === 'changed' ? '' : ` (${s.status})`}`);
    for (const c of s.changes) {
      out.push(`  ${ASPECT_TEXT[c.aspect]}:`);
      for (const r of c.removed) out.push(`    - ${r}`);
      for (const a of c.added) out.push(`    + ${a}`);
    }
    out.push('');
  }
  out.push(`${diff.services.length} Service${diff.services.length === 1 ? '' : 's'} changed since ${base}, ${diff.unchanged} unchanged`);
  return `${out.join('\n')}\n`;
}

export type DiffFormat = 'text' | 'markdown' | 'json';

export function formatDiff(diff: GraphDiff, format: DiffFormat): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`;
  return format === 'markdown' ? formatDiffMarkdown(diff) : formatDiffText(diff);
}
