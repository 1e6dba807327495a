import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_VERSIONS, SCHEMA_KINDS } from '../src/kubernetes.js';
import { bundleFor } from '../rules/schema-invalid/validators.js';
import { lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { cli, ROOT } from './helpers.js';

describe('bundled Kubernetes schemas', () => {
  it('are generated for exactly the versions and kinds the code lists', () => {
    const script = readFileSync(path.join(ROOT, 'scripts', 'build-schemas.mjs'), 'utf8');
    const listed = /const VERSIONS = \[([^\]]*)\]/.exec(script)![1]!.match(/'[^']+'/g)!.map((s) => s.slice(1, -1));
    expect(listed).toEqual([...KUBERNETES_VERSIONS]);
    for (const v of KUBERNETES_VERSIONS) {
      const b = bundleFor(v);
      expect(Object.keys(b.validators).sort(), v).toEqual([...SCHEMA_KINDS].sort());
      expect(b.fields).toContain('targetPort');
    }
  });

  it('validates with the version the run asks for', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: ExternalName, externalName: a.example.com, ports: [{port: 80, targetport: 1}]}\n';
    for (const v of KUBERNETES_VERSIONS) {
      const config = { ...defaultConfig(), kubernetesVersion: v };
      expect(lintText(text, 'x.yaml', { config }).findings.map((f) => f.ruleId)).toEqual(['schema-invalid']);
    }
    expect(cli(['--kubernetes-version', '1.20', 'fixtures/demo']).code).toBe(2);
    expect(cli(['--kubernetes-version', '1.34', 'fixtures/demo']).code).toBe(1);
  });
});
