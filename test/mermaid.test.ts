import { describe, expect, it } from 'vitest';
import { mermaid, GRAPH_LIMIT } from '../src/report/markdown.js';
import type { ServiceRoutes } from '../src/graph/routes.js';

const svc = (i: number, broken: boolean): ServiceRoutes => ({
  kind: 'Service', namespace: `ns-${i % 7}`, name: `svc-${i}`, type: 'ClusterIP', mode: 'selector', selector: { app: `a${i}` }, vip: 'unallocated', dns: `svc-${i}.ns.svc.cluster.local`, manualEndpoints: [],
  ports: [{ port: 80, name: 'http', protocol: 'TCP', from: 'unallocated:80/TCP', targetPort: 'http', srv: '', backends: broken ? [] : [{ kind: 'Deployment', namespace: `ns-${i % 7}`, name: `d-${i}`, replicas: 1, finishes: false, container: 'c', targetPort: 8080, protocol: 'TCP', ready: true, notReady: [] }] }],
} as unknown as ServiceRoutes);

describe('the markdown summary\'s Service graph', () => {
  it('colours broken edges red with linkStyle, by their position among the links', () => {
    const out = mermaid([svc(1, false), svc(2, true), svc(3, false), svc(4, true)], []);
    const links = out.split('\n').filter((l) => /^  n\d+ (-->|-\. )/.test(l));
    const brokenAt = links.map((l, i) => (l.includes('.-x') ? i : -1)).filter((i) => i >= 0);
    expect(brokenAt).toEqual([1, 3]);
    expect(out).toContain('  linkStyle 1,3 stroke:#d33,stroke-width:2px,color:#d33');
    expect(mermaid([svc(1, false)], [])).not.toContain('linkStyle');
  });

  it('stays small for a corpus-size run: at most GRAPH_LIMIT Services, and says how many are left out', () => {
    const routes = Array.from({ length: 1200 }, (_, i) => svc(i, i % 3 === 0)); // 400 broken
    const out = mermaid(routes, []);
    expect((out.match(/\["Service /g) ?? []).length).toBe(GRAPH_LIMIT);
    expect(out.split('\n').length).toBeLessThan(4 * GRAPH_LIMIT);
    expect(out).toContain('800 healthy Services not drawn');
    expect(out).toContain(`${400 - GRAPH_LIMIT} more broken objects not drawn (the picture shows at most ${GRAPH_LIMIT}); the table lists every finding.`);
  });
});
