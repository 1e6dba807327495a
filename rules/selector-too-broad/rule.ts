import type { Rule } from '../../src/types/rule.js';
import type { PodTemplate } from '../../src/types/graph.js';
import { where } from '../../src/engine/rule-kit.js';
import { byWorkload } from '../../src/graph/index.js';
import { code, list, selectorText } from '../../src/text.js';

/** The image repositories of a template's main containers: tags and digests dropped. */
function repos(t: PodTemplate): Set<string> {
  const out = new Set<string>();
  for (const c of t.containers) {
    if (c.sidecar || !c.image) continue;
    out.add(c.image.replace(/@.*$/, '').replace(/:[^/:]*$/, ''));
  }
  return out;
}

/**
 * What identifies an image whatever registry or version it comes from: the last path
 * segment without a trailing version (`gcr.io/x/reviews-v2` and `reviews-v1` → `reviews`).
 */
function imageNames(t: PodTemplate): Set<string> {
  return new Set([...repos(t)].map((r) => r.split('/').at(-1)!.replace(/[-_.]?v?\d+(\.\d+)*$/, '')));
}

function ports(t: PodTemplate): Set<string> {
  return new Set(t.containers.flatMap((c) => c.ports.map((p) => `${p.containerPort}/${p.protocol}`)));
}

const meets = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));

/** Stable and canary (or v1 and v2) share an image name or a container port; different applications share neither. */
function sameApplication(a: PodTemplate, b: PodTemplate): boolean {
  return meets(imageNames(a), imageNames(b)) || meets(ports(a), ports(b));
}

const rule: Rule = {
  meta: {
    id: 'selector-too-broad',
    description: 'A Service selector that picks pods of clearly different applications (no container image and no container port in common), so traffic is spread over backends that do not serve the same thing.',
    category: 'selector',
    severity: 'warning',
    messages: {
      mixed: 'selector {{selector}} picks {{a}} ({{aImages}}) and {{b}} ({{bImages}}), which share neither a container image nor a container port: requests will be spread over different applications',
    },
    remediation: 'Add a label that only the intended workload\'s pods carry (for example app.kubernetes.io/component) to the pod template and to the selector.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      if (svc.mode !== 'selector' || svc.backends.length < 2) continue;
      const distinct = byWorkload(svc.backends.map((template) => ({ template }))).map((g) => g[0]!.template);
      const withImages = distinct.map((t) => ({ t, r: repos(t) })).filter((x) => x.r.size > 0);
      let found: [typeof withImages[number], typeof withImages[number]] | undefined;
      for (let i = 0; i < withImages.length && !found; i++) {
        for (let j = i + 1; j < withImages.length && !found; j++) {
          const a = withImages[i]!;
          const b = withImages[j]!;
          if (!sameApplication(a.t, b.t)) found = [a, b];
        }
      }
      if (!found) continue;
      const [a, b] = found;
      report({
        object: svc.object,
        path: svc.selectorPath,
        messageId: 'mixed',
        data: {
          selector: selectorText(svc.selector),
          a: where(a.t),
          b: where(b.t),
          aImages: list([...a.r].map((r) => code(r)), 2),
          bImages: list([...b.r].map((r) => code(r)), 2),
        },
        related: [a, b].map((x) => ({ object: x.t.owner, path: x.t.labelsPath, message: `pod template of ${where(x.t)}` })),
      });
    }
  },
};

export default rule;
