import type { Rule, RuleContext } from '../../src/types/rule.js';
import { references, VAR_REF } from '../../src/graph/references.js';
import { keysOf as definedKeys } from '../../src/graph/config-refs.js';
import { isRecord } from '../../src/load/objects.js';
import { getIn } from '../../src/graph/pods.js';
import { code } from '../../src/text.js';

/** The kubelet's Service-link variables (`API_SERVICE_HOST`, Docker-style `API_PORT_80_TCP`): judged by name above. */
const LINK_LIKE = /_SERVICE_|_PORT(?:_|$)/;
/** How environment variables are named (`DB_HOST`); a lowercase `$(date)` is a shell's command. */
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * `$(VAR)` in an env value that the kubelet leaves as written: the variable is defined only
 * later in the container's env (a value expands only those defined before it), or nowhere in
 * a container without envFrom. In args and command any of the container's variables expands.
 */
/** Whether an env value, the command or the args of a container hold `$(`: most hold none. */
function mentionsVariable(c: Record<string, unknown>): boolean {
  for (const field of ['env', 'command', 'args']) {
    const items = c[field];
    if (!Array.isArray(items)) continue;
    for (const x of items) {
      const v = field === 'env' ? (isRecord(x) ? x.value : undefined) : x;
      if (typeof v === 'string' && v.includes('$(')) return true;
    }
  }
  return false;
}

function unexpanded(ctx: RuleContext): void {
  let sources: Map<string, string[]> | undefined;
  // The keys of the run's ConfigMaps and Secrets, by kind/namespace/name: built on first use.
  const keysOf = (kind: string, ns: string, name: string): string[] | undefined => {
    if (!sources) {
      sources = new Map();
      for (const o of ctx.graph.objects) {
        if (o.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) continue;
        // envFrom exposes a ConfigMap's `data` and a Secret's `data`/`stringData`.
        const keys = definedKeys(o);
        // One defined several times (alternative overlays linted together) has every key of its copies.
        const k = `${o.kind}/${o.namespace}/${o.name}`;
        if (keys) sources.set(k, [...new Set([...(sources.get(k) ?? []), ...keys.data])]);
      }
    }
    return sources.get(`${kind}/${ns}/${name}`);
  };
  /** The names a container's envFrom defines, or undefined when a source is not in the run. */
  const fromEnvFrom = (items: unknown[], ns: string): string[] | undefined => {
    const out: string[] = [];
    for (const item of items) {
      if (!isRecord(item)) return undefined;
      const ref = isRecord(item.configMapRef) ? ['ConfigMap', item.configMapRef] as const : isRecord(item.secretRef) ? ['Secret', item.secretRef] as const : undefined;
      if (!ref || typeof ref[1].name !== 'string') return undefined;
      const keys = keysOf(ref[0], ns, ref[1].name);
      if (!keys) return undefined;
      const prefix = typeof item.prefix === 'string' ? item.prefix : '';
      out.push(...keys.map((k) => prefix + k));
    }
    return out;
  };
  for (const t of ctx.graph.templates) {
    const spec = getIn(t.owner.body, [...t.path, 'spec']);
    if (!isRecord(spec)) continue;
    for (const field of ['containers', 'initContainers']) {
      const list = Array.isArray(spec[field]) ? spec[field] : [];
      list.forEach((c, ci) => {
        if (!isRecord(c) || !mentionsVariable(c)) return;
        const env = (Array.isArray(c.env) ? c.env : []).filter(isRecord);
        const all = new Set(env.map((e) => e.name).filter((n): n is string => typeof n === 'string'));
        // envFrom's variables (with its prefix) come first, then env's.
        const from = Array.isArray(c.envFrom) && c.envFrom.length > 0 ? fromEnvFrom(c.envFrom, t.namespace) : [];
        const envFrom = from === undefined;
        for (const n of from ?? []) all.add(n);
        const cname = code(typeof c.name === 'string' ? c.name : `#${ci + 1}`);
        const base = [...t.path, 'spec', field, ci];
        const check = (value: string, path: (string | number)[], where: string, before: ReadonlySet<string> | undefined) => {
          if (!value.includes('$(')) return;
          for (const m of value.matchAll(VAR_REF)) {
            const v = m[1]!;
            // `$(REDIS_HOST):$(REDIS_HOST_PORT)` is the application's own pair of variables, not a link variable.
            if (LINK_LIKE.test(v) && !(v.endsWith('_PORT') && value.includes(`$(${v.slice(0, -5)})`))) continue;
            const later = before !== undefined && !before.has(v) && all.has(v);
            // `$(hostname)` in a shell script is the shell's command substitution, left to it on purpose.
            const nowhere = !all.has(v) && !envFrom && ENV_NAME.test(v);
            if (!later && !nowhere) continue;
            ctx.report({
              object: t.owner,
              path,
              text: m[0],
              messageId: later ? 'definedLater' : 'undefined',
              // A variable defined after the value was meant for it; one defined nowhere may be a
              // template the program fills in itself.
              ...(later ? {} : { severity: 'warning' as const }),
              data: { ref: code(m[0]), where, variable: code(v), value: code(value) },
              remediation: later
                ? `Move the env entry ${code(v)} above the one that reads it.`
                : `Define ${code(v)} in the container's env before the entry that reads it, or leave the reference out when nothing should fill it in.`,
            });
          }
        };
        const seen = new Set<string>(from ?? []);
        env.forEach((e, j) => {
          // MinIO's client takes STS credentials for an alias with `MC_STS_ENDPOINT_<alias>`: `$(ACCESS_KEY)` in `MC_HOST_<alias>` is a placeholder it does not use.
          const sts = typeof e.name === 'string' && /^MC_HOST_/.test(e.name) && all.has(`MC_STS_ENDPOINT_${e.name.slice(8)}`);
          if (typeof e.value === 'string' && typeof e.name === 'string' && !sts) check(e.value, [...base, 'env', j, 'value'], `env ${code(e.name)} of container ${cname}`, seen);
          if (typeof e.name === 'string') seen.add(e.name);
        });
        for (const arr of ['command', 'args']) {
          const items = Array.isArray(c[arr]) ? c[arr] : [];
          items.forEach((a: unknown, k: number) => {
            if (typeof a === 'string') check(a, [...base, arr, k], `${arr} of container ${cname}`, undefined);
          });
        }
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'service-link-variable-undefined',
    description: 'A $(FOO_SERVICE_HOST)-style Service-link variable in container env, args or command that the kubelet does not set for the pod, or a $(VAR) defined only later in the env list or nowhere, so the literal text is used.',
    category: 'reference',
    severity: 'error',
    messages: {
      missing: '{{ref}} in {{where}} expects Service {{name}} in namespace {{namespace}}, but there is none there{{hint}}; the kubelet sets no {{variable}} and the container gets the literal text',
      disabled: '{{ref}} in {{where}} reads a Service-link variable of Service {{name}}, but the pod sets enableServiceLinks: false, so the kubelet sets no {{variable}} and the container gets the literal text',
      headless: '{{ref}} in {{where}} reads a Service-link variable of Service {{name}}, which has no cluster IP (headless or ExternalName), so the kubelet sets no {{variable}}; use the DNS name {{dns}}',
      port: '{{ref}} in {{where}} names a port Service {{name}} does not have, so the kubelet sets no {{variable}}; it exposes {{ports}}',
      definedLater: '{{ref}} in {{where}} reads {{variable}}, which this container\'s env defines only after it: the kubelet expands a value with the variables defined before it, so the container gets {{value}} as written; move {{variable}} above it',
      undefined: '{{ref}} in {{where}} reads {{variable}}, which nothing defines for this container (no env entry, no key of its envFrom sources with their prefix, no Service-link variable): the kubelet leaves it as written, and the container gets {{value}}',
    },
    remediation: 'Use the Service\'s DNS name (<service>.<namespace>) instead of Service-link variables, or point the variable at a Service with a cluster IP in the pod\'s namespace.',
  },
  check(ctx) {
    const { graph, report } = ctx;
    unexpanded(ctx);
    const seen = new Set<string>();
    for (const edge of references(graph)) {
      const r = edge.resolution;
      if (r.kind !== 'link-missing') continue;
      // One finding per place, Service and cause (`$(A_SERVICE_HOST):$(A_SERVICE_PORT)` is one mistake).
      const key = `${edge.site.object.id}|${edge.site.path.join('.')}|${r.name}|${r.reason}${r.reason === 'port' ? r.variable : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const data = { ref: code(edge.text), where: edge.site.where, name: code(r.name), namespace: code(r.namespace), variable: code(r.variable) };
      const elsewhere = graph.servicesNamed(r.name).map((s) => s.object.namespace);
      const related = r.service ? [{ object: r.service.object, path: ['metadata', 'name'], message: `Service ${r.service.object.namespace}/${r.service.object.name}` }] : [];
      report({
        object: edge.site.object,
        path: edge.site.path,
        text: edge.text,
        messageId: r.reason,
        related,
        data: {
          ...data,
          hint: elsewhere.length ? ` (it is in ${elsewhere.map((n) => code(n)).join(', ')}; variables exist only for Services of the pod's own namespace: use the DNS name ${code(`${r.name}.${elsewhere[0]}`)})` : '',
          dns: code(`${r.name}.${r.namespace}`),
          ports: r.service ? r.service.ports.map((p) => (p.name ? `${code(p.name)} (${p.port}/${p.protocol})` : `${p.port}/${p.protocol}`)).join(', ') || 'no ports' : '',
        },
      });
    }
  },
};

export default rule;
