import type { Rule } from '../../src/types/rule.js';
import type { Severity } from '../../src/types/finding.js';
import { where } from '../../src/engine/rule-kit.js';
import { byWorkload } from '../../src/graph/index.js';
import { notListening } from '../../src/graph/listen.js';
import { sameTree } from '../../src/graph/referrers.js';
import { workloadOf } from '../../src/graph/live.js';
import { code } from '../../src/text.js';

const rule: Rule = {
  meta: {
    id: 'target-port-not-listening',
    description: 'A Service port whose targetPort is not the port the backend container\'s own command line (`--port=9090`, `--listen-address=:9090`, `-Dserver.port`) or environment (`PORT`, `SERVER_PORT`, `ASPNETCORE_URLS`) makes its server listen on: connections are refused.',
    category: 'port',
    severity: 'error',
    messages: {
      notListening: 'targetPort {{target}} reaches container {{container}} of {{workload}}, but its {{evidence}} makes the server listen on {{listen}}{{declared}}; connections to {{target}} are refused',
    },
    remediation: 'Point targetPort (and the containerPort) at the port the server listens on, or change the flag or variable to the targetPort.',
  },
  check({ graph, report }) {
    for (const svc of graph.services) {
      if (svc.mode !== 'selector') continue;
      for (const sp of svc.ports) {
        // A run of many projects shares namespaces: only a Service whose selector picks one workload
        // of its own folder tree is judged (several are independent examples, or a canary and its app).
        const groups = byWorkload(sp.resolutions).filter((g) => sameTree(svc.object, g[0]!.template.owner));
        // Live, each pod is its own template: its workload (the Deployment of its ReplicaSet) is what counts.
        const owners = new Set(groups.map((g) => (graph.settings.live ? workloadOf(graph, g[0]!.template.owner) ?? g[0]!.template.owner.name : g[0]!.template.id)));
        if (owners.size !== 1) continue;
        groups.splice(1);
        for (const group of groups) {
          const r = group[0]!;
          const t = r.template;
          const n = notListening(r);
          if (!n) continue;
          const { container: c, target, listen, evidence: e, declaresTarget, declaresListen } = n;
          // The manifest contradicts itself when the container also declares the target: which is right is not proven.
          const severity: Severity | undefined = declaresTarget ? (e.kind === 'flag' ? 'warning' : 'info') : e.kind === 'flag' ? undefined : 'warning';
          report({
            object: svc.object,
            path: sp.targetPath,
            messageId: 'notListening',
            ...(severity ? { severity } : {}),
            data: {
              target: String(target),
              container: code(c.name),
              workload: where(t),
              evidence: e.kind === 'flag' ? `command line (${code(e.text)})` : `environment (${code(e.text)})`,
              listen: String(listen),
              declared: declaresTarget ? `, though it declares containerPort ${target}` : declaresListen ? `, the port it declares` : '',
            },
            related: [{ object: t.owner, path: [...c.path, ...e.path], message: `where ${c.name} is told to listen on ${listen}` }],
          });
        }
      }
    }
  },
};

export default rule;
