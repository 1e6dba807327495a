import type { Rule } from '../../src/types/rule.js';
import type { PodTemplate, ServiceNode } from '../../src/types/graph.js';
import { imageNames, where } from '../../src/engine/rule-kit.js';
import { byWorkload, resolutionOn } from '../../src/graph/index.js';
import { code, list, pair, selectorText } from '../../src/text.js';

/** The image repositories of a template's main containers: tags and digests dropped. */
function repos(t: PodTemplate): Set<string> {
  const out = new Set<string>();
  for (const c of t.containers) {
    if (c.sidecar || !c.image) continue;
    out.add(c.image.replace(/@.*$/, '').replace(/:[^/:]*$/, ''));
  }
  return out;
}

/** Image names (rule-kit `imageNames`) and ports in one token space (`i:` / `p:`). */
function tokens(t: PodTemplate): Set<string> {
  const out = new Set([...imageNames(t)].map((n) => `i:${n}`));
  for (const c of t.containers) for (const p of c.ports) out.add(`p:${p.containerPort}/${p.protocol}`);
  return out;
}

/** Most pairs one selected set is compared on: stops a quadratic walk over thousands of workloads. */
const MAX_PAIRS = 20_000;

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);
const isJob = (t: PodTemplate) => t.replicas.mode === 'job';

/** Labels that tell versions of one application apart (stable and canary, blue and green). */
const VERSION_KEYS = /(^|\/)(version|track|canary|stage|release|revision|color|colour|slot|variant|pod-template-hash|controller-revision-hash|chart|helm\.sh\/chart)$/;

type Found =
  | { kind: 'mixed'; a: PodTemplate; b: PodTemplate }
  | { kind: 'job'; job: PodTemplate; other: PodTemplate; label?: [string, string] }
  | { kind: 'sibling'; key: string; chosen: PodTemplate; others: PodTemplate[]; hint: string };

/** Two selected workloads of clearly different applications: no image name and no port in common. */
function mixed(distinct: PodTemplate[]): Found | undefined {
  const withImages = distinct.map((t) => ({ t, tok: tokens(t) })).filter((x) => repos(x.t).size > 0);
  let pairs = 0;
  for (let i = 0; i < withImages.length; i++) {
    for (let j = i + 1; j < withImages.length; j++) {
      if (++pairs > MAX_PAIRS) return undefined;
      const a = withImages[i]!;
      const b = withImages[j]!;
      if (![...a.tok].some((x) => b.tok.has(x))) return { kind: 'mixed', a: a.t, b: b.t };
    }
  }
  return undefined;
}

/** A run-to-completion pod template selected together with a long-running workload. */
function jobWithServers(svc: ServiceNode, distinct: PodTemplate[]): Found | undefined {
  // A Job whose containers declare every port the Service targets is meant to serve it while it runs.
  const serves = (t: PodTemplate) => svc.ports.length > 0 && svc.ports.every((p) => { const r = resolutionOn(p, t); return r !== undefined && (r.containerPort !== undefined || r.declared); });
  const job = distinct.find((t) => isJob(t) && !serves(t));
  const servers = distinct.filter((t) => LONG_RUNNING.has(t.owner.kind));
  if (!job || servers.length === 0) return undefined;
  // A label every long-running template carries with one value and the job lacks (or has otherwise).
  const first = servers[0]!;
  const label = Object.entries(first.labels).find(([k, v]) => !VERSION_KEYS.test(k) && job.labels[k] !== v && servers.every((s) => s.labels[k] === v));
  return { kind: 'job', job, other: first, label };
}

/** Dash-separated words of a name, to see whether a label value is one of them. */
const wordCache = new Map<string, string[]>();
const words = (s: string): string[] => {
  let w = wordCache.get(s);
  if (!w) {
    if (wordCache.size > 100_000) wordCache.clear();
    wordCache.set(s, (w = s.toLowerCase().split(/[-_.]/)));
  }
  return w;
};
const containsWords = (name: string, value: string) => {
  const n = words(name);
  const v = words(value);
  for (let i = 0; i + v.length <= n.length; i++) if (v.every((w, j) => n[i + j] === w)) return true;
  return false;
};

/** A label key every selected workload carries and the selector leaves out, with its values (two or more). */
type Split = { key: string; values: Set<string | undefined> };

/** The keys that can split the selected workloads: the same for every Service of one selector. */
function splitsOf(selector: Record<string, string>, distinct: PodTemplate[]): Split[] {
  const keys = Object.keys(distinct[0]!.labels).filter((k) => !Object.hasOwn(selector, k) && !VERSION_KEYS.test(k) && distinct.every((t) => Object.hasOwn(t.labels, k)));
  return keys.map((key) => ({ key, values: new Set(distinct.map((t) => t.labels[key])) })).filter((x) => x.values.size >= 2);
}

/**
 * Workloads the selector does not tell apart, split by a label the Service leaves out,
 * while the Service's name or its own labels point at exactly one of them
 * (`orders-db-primary` selecting `app: orders-db` over `role: primary` and `role: replica`).
 */
function sibling(svc: ServiceNode, distinct: PodTemplate[], splits: Split[]): Found | undefined {
  const own = svc.object.body.metadata as { labels?: Record<string, unknown> } | undefined;
  const nameWords = new Set(words(svc.object.name));
  for (const { key, values } of splits) {
    // With as many values as workloads, at most one can be in a short name: look only at those.
    if (![...values].some((v) => own?.labels?.[key] === v || nameWords.has(words(v!)[0]!))) continue;
    const byLabel = distinct.filter((t) => own?.labels?.[key] === t.labels[key]);
    // A name word the selector itself carries (`redis-sentinel: "true"`) explains the name already.
    const bySelector = (v: string) => Object.entries(svc.selector).some(([k, x]) => containsWords(x, v) || containsWords(k.split('/').at(-1)!, v));
    const byName = distinct.filter((t) => containsWords(svc.object.name, t.labels[key]!) && !bySelector(t.labels[key]!));
    for (const [chosen, hint] of [[byLabel, `the Service's own label ${pair(key, String(own?.labels?.[key]))}`], [byName, `the Service's name ${code(svc.object.name)}`]] as const) {
      if (chosen.length !== 1) continue;
      return { kind: 'sibling', key, chosen: chosen[0]!, others: distinct.filter((t) => t !== chosen[0]), hint };
    }
  }
  return undefined;
}

const rule: Rule = {
  meta: {
    id: 'selector-too-broad',
    description: 'A Service selector that picks more than the workload it is meant for: different applications, Job pods next to long-running ones, or sibling workloads that only a label the selector leaves out tells apart.',
    category: 'selector',
    severity: 'warning',
    messages: {
      mixed: 'selector {{selector}} picks {{a}} ({{aImages}}) and {{b}} ({{bImages}}), which share neither a container image nor a container port: requests will be spread over different applications',
      job: 'selector {{selector}} picks the run-to-completion pods of {{job}} together with {{other}}: they join the endpoints while they run and get requests, then vanish{{label}}',
      sibling: 'selector {{selector}} picks {{chosen}} ({{label}}) and {{others}} ({{otherLabels}}); {{hint}} points at {{chosen}} only: add {{key}} to the selector',
    },
    remediation: 'Add a label that only the intended workload\'s pods carry (for example app.kubernetes.io/component) to the pod template and to the selector.',
  },
  check({ graph, report }) {
    // Services that select the same workloads are judged once: linear in Services × their backends.
    const verdicts = new Map<string, { found?: Found }>();
    // Services with the same backends and port resolutions (lists the graph shares) select the same
    // workloads and judge the same job: once for all of them.
    const ids = new Map<object, number>();
    let nextId = 0;
    const id = (x: object) => {
      let v = ids.get(x);
      if (v === undefined) ids.set(x, (v = nextId++));
      return v;
    };
    const selected = new Map<string, { distinct: PodTemplate[]; verdict?: { found?: Found }; job?: Found; splits?: Split[] }>();
    for (const svc of graph.services) {
      if (svc.mode !== 'selector' || svc.backends.length < 2) continue;
      const sharedKey = `${id(svc.backends)}:${svc.ports.map((p) => id(p.resolutions)).join(',')}`;
      let sel = selected.get(sharedKey);
      if (!sel) {
        // Pods that no Service port resolves on (named target ports they do not declare) are in no
        // port's endpoints and get no requests: only the rest are mixed by the selector.
        const joins = (t: PodTemplate) => svc.ports.length === 0 || svc.ports.some((p) => resolutionOn(p, t)?.targetPort !== undefined);
        const distinct = byWorkload(svc.backends.map((template) => ({ template }))).map((g) => g[0]!.template).filter(joins);
        sel = { distinct };
        if (distinct.length >= 2) {
          const key = distinct.map((t) => t.id).join(',');
          let v = verdicts.get(key);
          if (!v) verdicts.set(key, (v = { found: mixed(distinct) }));
          sel.verdict = v;
          sel.job = jobWithServers(svc, distinct);
          // Services of one backends list share their selector (the graph shares the list by selector).
          sel.splits = splitsOf(svc.selector, distinct);
        }
        selected.set(sharedKey, sel);
      }
      const { distinct } = sel;
      if (distinct.length < 2) continue;
      // The sibling check reads the Service's own name and labels: only the rest is shared.
      const found = sel.job ?? sibling(svc, distinct, sel.splits!) ?? sel.verdict!.found;
      if (found) reportFound(svc, found, report);
    }
  },
};

function reportFound(svc: ServiceNode, found: Found, report: Parameters<Rule['check']>[0]['report']): void {
  const base = { object: svc.object, path: svc.selectorPath };
  const selector = selectorText(svc.selector);
  const rel = (t: PodTemplate) => ({ object: t.owner, path: t.labelsPath, message: `pod template of ${where(t)}` });
  if (found.kind === 'mixed') {
    const { a, b } = found;
    report({
      ...base,
      messageId: 'mixed',
      data: { selector, a: where(a), b: where(b), aImages: list([...repos(a)].map((r) => code(r)), 2), bImages: list([...repos(b)].map((r) => code(r)), 2) },
      related: [rel(a), rel(b)],
    });
  } else if (found.kind === 'job') {
    const l = found.label;
    report({
      ...base,
      messageId: 'job',
      data: { selector, job: where(found.job), other: where(found.other), label: l ? `; add ${pair(l[0], l[1])} to the selector` : '; give the long-running pods a label the job does not carry and add it to the selector' },
      related: [rel(found.job), rel(found.other)],
    });
  } else {
    const { key, chosen, others } = found;
    report({
      ...base,
      messageId: 'sibling',
      data: {
        selector,
        chosen: where(chosen),
        label: pair(key, chosen.labels[key]!),
        others: list(others.map(where), 3),
        otherLabels: list([...new Set(others.map((t) => pair(key, t.labels[key]!)))], 3),
        hint: found.hint,
        key: pair(key, chosen.labels[key]!),
      },
      related: [chosen, ...others.slice(0, 3)].map(rel),
    });
  }
}

export default rule;
