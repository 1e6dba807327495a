import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFromFiles } from '../src/lint.js';
import { cli } from './helpers.js';

/** Writes files into a fresh folder and builds the run's graph from them, as the CLI does. */
function graphOf(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'svclint-gitops-'));
  const sources = Object.entries(files).map(([rel, text]) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return { path: p, text };
  });
  return buildFromFiles({ files: sources });
}

const fluxKs = (name: string, p: string, ns: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system}
spec: {interval: 10m, path: "${p}", prune: true, sourceRef: {kind: GitRepository, name: flux-system}, targetNamespace: ${ns}}
`;
const svc = (ns?: string) => `apiVersion: v1
kind: Service
metadata: {name: web${ns ? `, namespace: ${ns}` : ''}}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;
const nsOf = (g: ReturnType<typeof graphOf>, kind: string) => g.objects.filter((o) => o.kind === kind).map((o) => o.namespace);

describe('GitOps placement', () => {
  it('lints the Flux and Argo CD fixtures as deployed: a Flux targetNamespace and an Argo CD destination leave nothing to report', () => {
    const r = cli(['fixtures/gitops', '--complete-input', '-f', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(0);
    // Each half alone, without its controller, is wrong about namespaces: the placement is what fixes it.
    expect(JSON.parse(cli(['fixtures/gitops/flux/apps', '--complete-input', '-f', 'json']).stdout).summary.errors).toBeGreaterThan(0);
    expect(JSON.parse(cli(['fixtures/gitops/argo/deploy', '--complete-input', '-f', 'json']).stdout).summary.errors).toBeGreaterThan(0);
  });

  it('Flux overrides what a file writes; Argo CD fills in only what it leaves out', () => {
    const flux = graphOf({ 'clusters/prod/web.yaml': fluxKs('web', './apps/web', 'prod'), 'apps/web/svc.yaml': svc('staging') });
    expect(nsOf(flux, 'Service')).toEqual(['prod']);
    expect(flux.objects.find((o) => o.kind === 'Service')!.placedBy).toEqual({ kind: 'Kustomization', namespace: 'flux-system', name: 'web' });
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec: {sources: [{repoURL: x, path: deploy/web}], destination: {namespace: prod}}
`;
    const argo = graphOf({ 'argocd/web.yaml': app, 'deploy/web/a.yaml': svc('staging'), 'deploy/web/b.yaml': svc().replace('name: web', 'name: api') });
    expect(argo.objects.filter((o) => o.kind === 'Service').map((o) => `${o.namespace}/${o.name}`).sort()).toEqual(['prod/api', 'staging/web']);
  });

  it('leaves a folder as written when two controllers place it in different namespaces, or the path is templated or leaves the tree', () => {
    const two = graphOf({ 'clusters/a.yaml': fluxKs('a', './apps/web', 'one'), 'clusters/b.yaml': fluxKs('b', './apps/web', 'two'), 'apps/web/svc.yaml': svc() });
    expect(nsOf(two, 'Service')).toEqual(['default']);
    const templated = graphOf({ 'clusters/a.yaml': fluxKs('a', './apps/${APP}', 'one'), 'apps/web/svc.yaml': svc() });
    expect(nsOf(templated, 'Service')).toEqual(['default']);
    const outside = graphOf({ 'clusters/a.yaml': fluxKs('a', '../apps/web', 'one'), 'apps/web/svc.yaml': svc() });
    expect(nsOf(outside, 'Service')).toEqual(['default']);
  });

  it('takes the deepest folder a controller names, and never moves a cluster-scoped object or the controller itself', () => {
    const g = graphOf({
      'clusters/all.yaml': fluxKs('all', './apps', 'apps'),
      'apps/web/ks.yaml': fluxKs('web', './apps/web/base', 'web'),
      'apps/web/base/svc.yaml': svc(),
      'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n',
    });
    expect(nsOf(g, 'Service')).toEqual(['web']);
    expect(nsOf(g, 'Namespace')).toEqual(['']);
    expect(g.objects.filter((o) => o.kind === 'Kustomization').map((o) => `${o.name}:${o.namespace}`).sort()).toEqual(['all:flux-system', 'web:apps']);
  });
});
