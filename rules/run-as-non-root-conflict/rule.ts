import { frontedTemplates, selectorOf, where } from '../../src/engine/rule-kit.js';
import type { Rule } from '../../src/types/rule.js';
import { pathTo, type Path } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn, lenientInt, templateSpec } from '../../src/graph/pods.js';
import { hubRepository } from '../../src/graph/mounts.js';
import { code } from '../../src/text.js';
import { imageUser } from '../../src/graph/image-users.js';

/** One field of the security context the kubelet applies to a container: the container's own, else the pod's (and where it is written). */
function effective(spec: Record<string, unknown>, c: Record<string, unknown>, field: string): { value: unknown; own: boolean } | undefined {
  const own = isRecord(c.securityContext) ? c.securityContext[field] : undefined;
  if (own !== undefined && own !== null) return { value: own, own: true };
  const pod = isRecord(spec.securityContext) ? spec.securityContext[field] : undefined;
  if (pod !== undefined && pod !== null) return { value: pod, own: false };
  return undefined;
}

/** Pods that run on Windows nodes: the kubelet checks `runAsUserName` there instead. */
function windows(spec: Record<string, unknown>): boolean {
  return getIn(spec, ['os', 'name']) === 'windows' || getIn(spec, ['nodeSelector', 'kubernetes.io/os']) === 'windows';
}

const rule: Rule = {
  meta: {
    id: 'run-as-non-root-conflict',
    description: 'A container behind a Service that must not run as root (runAsNonRoot) but would: runAsUser 0, or an official image that runs as root or as a user name with no runAsUser. The kubelet refuses to start it, and the Service gets no endpoints from these pods.',
    category: 'endpoints',
    severity: 'error',
    messages: {
      userZero: 'container {{container}} of {{workload}} sets runAsNonRoot and runAsUser 0: the kubelet refuses to start it (CreateContainerConfigError: container\'s runAsUser breaks non-root policy), so {{service}} gets no endpoints from these pods',
      imageRoot: 'container {{container}} of {{workload}} must run as non-root (runAsNonRoot), sets no runAsUser, and its image {{image}} runs as root ({{why}}): the kubelet refuses to start it (CreateContainerConfigError: container has runAsNonRoot and image will run as root), so {{service}} gets no endpoints from these pods',
      imageNamedUser: 'container {{container}} of {{workload}} must run as non-root (runAsNonRoot), sets no runAsUser, and its image {{image}} runs as user {{user}}, a name: the kubelet cannot tell that it is not root and refuses to start it (CreateContainerConfigError: container has runAsNonRoot and image has non-numeric user), so {{service}} gets no endpoints from these pods',
    },
    remediation: 'Set runAsUser to a non-zero uid the image can run as (the official images\' own users: nginx 101, redis 999, postgres 999...), use an image built to run as non-root (nginxinc/nginx-unprivileged, bitnami/...), or drop runAsNonRoot if the Pod Security level allows it.',
  },
  check({ graph, report }) {
    // Live, the pods' own state says this (CreateContainerConfigError, with the kubelet's message).
    if (graph.settings.live) return;
    for (const [t, svc] of frontedTemplates(graph)) {
      const spec = templateSpec(t);
      if (!isRecord(spec) || windows(spec)) continue;
      let specPath: Path | undefined;
      for (const field of ['initContainers', 'containers'] as const) {
        const list = spec[field];
        if (!Array.isArray(list)) continue;
        list.forEach((c, i) => {
          if (!isRecord(c)) return;
          const found = effective(spec, c, 'runAsNonRoot');
          if (found?.value !== true) return;
          specPath ??= pathTo(t.path, 'spec');
          const cPath = pathTo(specPath, field, i);
          const at = (f: string, own: boolean) => pathTo(own ? cPath : specPath!, 'securityContext', f);
          const nonRoot = { path: at('runAsNonRoot', found.own) };
          const written = effective(spec, c, 'runAsUser');
          const user = written && { value: written.value, path: at('runAsUser', written.own) };
          const data = { container: code(typeof c.name === 'string' ? c.name : `#${i}`), workload: where(t), service: `Service ${svc.object.namespace}/${svc.object.name}` };
          const related = [selectorOf(svc)];
          if (user !== undefined) {
            if (lenientInt(user.value) === 0) report({ object: t.owner, path: user.path, messageId: 'userZero', data, related: [{ object: t.owner, path: nonRoot.path, message: 'runAsNonRoot: true' }, ...related] });
            return;
          }
          const image = typeof c.image === 'string' ? c.image : undefined;
          const known = image ? imageUser(hubRepository(image), image) : undefined;
          if (!known) return;
          const imagePath = pathTo(cPath, 'image');
          if (known.user === undefined) {
            report({ object: t.owner, path: imagePath, messageId: 'imageRoot', severity: 'warning', data: { ...data, image: code(image!), why: known.switchesTo ? `the official image sets no USER; its entrypoint switches to ${code(known.switchesTo)} only after the kubelet's check` : 'the official image sets no USER' }, related: [{ object: t.owner, path: nonRoot.path, message: 'runAsNonRoot: true' }, ...related] });
          } else if (!/^\d+$/.test(known.user)) {
            report({ object: t.owner, path: imagePath, messageId: 'imageNamedUser', severity: 'warning', data: { ...data, image: code(image!), user: code(known.user) }, related: [{ object: t.owner, path: nonRoot.path, message: 'runAsNonRoot: true' }, ...related] });
          }
        });
      }
    }
  },
};

export default rule;
