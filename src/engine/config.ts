import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Severity } from '../types/finding.js';
import type { RuleMeta } from '../types/rule.js';
import { UsageError } from '../errors.js';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../kubernetes.js';

export type RuleSetting = Severity | 'off';

export interface RuleConfig {
  severity?: RuleSetting;
  options?: Record<string, unknown>;
}

export interface Config {
  rules: Record<string, RuleConfig>;
  ignore: string[];
  namespace?: string;
  clusterDomain: string;
  failLevel?: Severity;
  kubernetesVersion: string;
  /** Folder of the config file: ignore globs are relative to it. */
  base?: string;
  file?: string;
}

export const CONFIG_NAMES = ['.svclint.yaml', '.svclint.yml'];

export function defaultConfig(): Config {
  return { rules: {}, ignore: [], clusterDomain: 'cluster.local', kubernetesVersion: DEFAULT_KUBERNETES_VERSION };
}

/** Finds `.svclint.yaml` in `cwd` or the nearest parent folder. */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const f = path.join(dir, name);
      if (existsSync(f)) return f;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

export function configSchema(rules: RuleMeta[]): Record<string, unknown> {
  const setting = { enum: ['error', 'warning', 'info', 'off'] };
  const ruleProps: Record<string, unknown> = {};
  for (const r of rules) {
    ruleProps[r.id] = {
      oneOf: [
        setting,
        {
          type: 'object',
          additionalProperties: false,
          properties: { severity: setting, options: r.options ?? { type: 'object', additionalProperties: false, properties: {} } },
        },
      ],
    };
  }
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: { type: 'object', additionalProperties: false, properties: ruleProps },
      ignore: { type: 'array', items: { type: 'string', minLength: 1 } },
      namespace: { type: 'string', pattern: DNS1123_LABEL, maxLength: 63 },
      clusterDomain: { type: 'string', pattern: DNS1123_SUBDOMAIN, maxLength: 253 },
      failLevel: { enum: ['error', 'warning', 'info'] },
      kubernetesVersion: { enum: [...KUBERNETES_VERSIONS] },
    },
  };
}

/** Loads and validates a config file. Any problem is a UsageError naming the file and the field. */
export async function loadConfig(file: string, rules: RuleMeta[]): Promise<Config> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false }) ?? {};
  } catch (err) {
    throw new UsageError(`config ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  // `kubernetesVersion: 1.37` is a YAML number: read it as the version it spells.
  if (typeof raw === 'object' && raw !== null && typeof (raw as Record<string, unknown>).kubernetesVersion === 'number') {
    const r = raw as Record<string, unknown>;
    r.kubernetesVersion = String(r.kubernetesVersion);
  }
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(configSchema(rules));
  if (!validate(raw)) {
    // The most specific error: deepest path first; at one path, what the user most likely meant.
    const rank = ['enum', 'additionalProperties', 'pattern', 'type'];
    const score = (k: string) => (rank.includes(k) ? rank.indexOf(k) : rank.length);
    const e = [...validate.errors!].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length || score(a.keyword) - score(b.keyword))[0]!;
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    let why = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      why = where.endsWith('rules') || where === 'rules' ? `unknown rule '${extra}' (see 'svclint rules')` : `unknown key '${extra}'`;
    } else if (e.keyword === 'enum') {
      why = `must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
    }
    throw new UsageError(`invalid config ${file}: ${where}: ${why}`);
  }
  const obj = raw as Record<string, unknown>;
  const cfg = defaultConfig();
  cfg.file = file;
  cfg.base = path.dirname(file);
  for (const [id, v] of Object.entries((obj.rules ?? {}) as Record<string, unknown>)) {
    cfg.rules[id] = typeof v === 'string' ? { severity: v as RuleSetting } : (v as RuleConfig);
  }
  if (Array.isArray(obj.ignore)) cfg.ignore = obj.ignore as string[];
  if (typeof obj.namespace === 'string') cfg.namespace = obj.namespace;
  if (typeof obj.clusterDomain === 'string') cfg.clusterDomain = obj.clusterDomain;
  if (typeof obj.failLevel === 'string') cfg.failLevel = obj.failLevel as Severity;
  if (typeof obj.kubernetesVersion === 'string') cfg.kubernetesVersion = obj.kubernetesVersion;
  return cfg;
}
