import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_VERSIONS, SCHEMA_KINDS } from '../src/kubernetes.js';
import { bundleFor } from '../rules/schema-invalid/validators.js';
import { lintText } from '../src/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { cli, ROOT } from './helpers.js';
// @ts-expect-error a plain ES module of the build scripts, without declarations
import { withoutDescriptions } from '../scripts/schema-annotations.mjs';

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

  it('suggest for an unknown field a field of the object it was written in, not any field the schemas know', () => {
    const pod = (entry: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  imagePullSecrets: [{${entry}: regcred}]\n  containers: [{name: c, image: nginx}]\n`;
    const messages = (entry: string) => lintText(pod(entry), 'x.yaml', { config: defaultConfig() }).findings.filter((f) => f.ruleId === 'schema-invalid').map((f) => f.message);
    // A LocalObjectReference has `name` only: `nmae` is near it; `key1` is near no field of it (`key` is a field elsewhere).
    expect(messages('nmae')).toEqual(['unknown field `nmae` in `spec.imagePullSecrets[0]`; did you mean `name`?']);
    expect(messages('key1')).toEqual(['unknown field `key1` in `spec.imagePullSecrets[0]`']);
    for (const v of KUBERNETES_VERSIONS) expect(Object.keys(bundleFor(v).properties).length, v).toBeGreaterThan(500);
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

  it('are generated without `description` annotations, and only those: properties named description, enum and default values stay', () => {
    const schema = {
      description: 'a Service',
      type: 'object',
      properties: {
        description: { description: 'a field called description', type: 'string' },
        spec: { $ref: '#/$defs/spec', description: 'the spec' },
        mode: { enum: [{ description: 'a value' }], default: { description: 'kept' } },
      },
      $defs: { spec: { description: 'x', type: 'object', additionalProperties: { description: 'y', type: 'integer' }, allOf: [{ description: 'z', required: ['a'] }] } },
      items: [{ description: 'tuple' }],
    };
    expect(withoutDescriptions(schema)).toEqual({
      type: 'object',
      properties: { description: { type: 'string' }, spec: { $ref: '#/$defs/spec' }, mode: { enum: [{ description: 'a value' }], default: { description: 'kept' } } },
      $defs: { spec: { type: 'object', additionalProperties: { type: 'integer' }, allOf: [{ required: ['a'] }] } },
      items: [{}],
    });
    const generated = readFileSync(path.join(ROOT, 'rules', 'schema-invalid', 'generated', 'kubernetes-1.37.cjs'), 'utf8');
    expect(generated).not.toContain('"description":"');
  });
});
