import { parseQuiet } from '../load/quiet-yaml.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Severity } from '../types/finding.js';
import type { RuleMeta } from '../types/rule.js';
import type { NetworkPolicySettings } from '../types/graph.js';
import { UsageError } from '../errors.js';
import { isTypo } from '../text.js';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../kubernetes.js';
import { InputBudget, parseSize, readCapped } from '../load/read.js';

/** A config file is small: a larger one is the wrong file (or a device). */
const MAX_CONFIG_BYTES = 1024 * 1024;

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
  /** clusterDomain was set (config or --cluster-domain), not the default: a name in another domain is then proven wrong. */
  clusterDomainGiven?: boolean;
  failLevel?: Severity;
  kubernetesVersion: string;
  /** Cluster DNS, the ingress controller and pod CIDRs, for NetworkPolicy. */
  networkPolicy?: NetworkPolicySettings;
  /** Cap on all inputs of a run together, in bytes. */
  maxInputBytes?: number;
  /**
   * The input holds every manifest of the namespaces it deploys: what it lacks is missing,
   * so findings that rest on an absence keep their severity (see evidenceSeverity).
   */
  completeInput?: boolean;
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
export const DNS1123_SUBDOMAIN_RE = new RegExp(
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
);
const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

const LABELS = { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } };
const NETWORK_POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    clusterDns: {
      type: 'object',
      additionalProperties: false,
      properties: {
        namespace: { type: 'string', pattern: DNS1123_LABEL, maxLength: 63 },
        podLabels: LABELS,
        service: { type: 'string', minLength: 1 },
        ports: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, required: ['port'], properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, protocol: { enum: ['TCP', 'UDP', 'SCTP'] } } } },
      },
    },
    ingressController: {
      type: 'object',
      additionalProperties: false,
      required: ['namespace', 'podLabels'],
      properties: { namespace: { type: 'string', pattern: DNS1123_LABEL, maxLength: 63 }, podLabels: LABELS },
    },
    podCIDRs: { type: 'array', items: { type: 'string', pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' } },
  },
};

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
      networkPolicy: NETWORK_POLICY_SCHEMA,
      maxInputBytes: { type: ['integer', 'string'], minimum: 1 },
      completeInput: { type: 'boolean' },
    },
  };
}

/** The closest of `names` to `word`, as " (did you mean `x`?)", or ''. */
function closest(word: string, names: readonly string[]): string {
  const best = names.map((n) => ({ n, d: isTypo(word, n) })).filter((x) => x.d !== undefined).sort((a, b) => a.d! - b.d!)[0];
  return best ? `; did you mean \`${best.n}\`?` : '';
}

const PATTERN_WHY: Record<string, string> = {
  namespace: 'is not a namespace name (a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters)',
  clusterDomain: 'is not a DNS domain (lowercase labels of letters, digits and -, separated by dots)',
};

/**
 * Every problem of a config, one per field: at each path the message the user most likely
 * needs (an unknown key, with the nearest known one; a value that is not allowed, with the
 * values that are), and nothing for a parent whose only problem is a child's.
 */
function configErrors(errors: import('ajv').ErrorObject[], raw: unknown, rules: RuleMeta[]): string[] {
  const rank = ['additionalProperties', 'enum', 'pattern', 'maxLength', 'type'];
  const score = (k: string) => (rank.includes(k) ? rank.indexOf(k) : rank.length);
  const byPath = new Map<string, import('ajv').ErrorObject[]>();
  for (const e of errors) {
    const key = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const paths = [...byPath.keys()];
  const out: string[] = [];
  for (const [p, es] of byPath) {
    // A oneOf/anyOf at a parent only repeats what its children say.
    if (paths.some((q) => q !== p && q.startsWith(`${p}/`))) continue;
    const e = [...es].sort((a, b) => score(a.keyword) - score(b.keyword))[0]!;
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
    const field = where.split('.').pop() ?? '';
    let text: string;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((e.parentSchema as { properties?: Record<string, unknown> }).properties) ?? {});
      text = where === 'rules'
        ? `rules: unknown rule '${extra}'${closest(extra, rules.map((r) => r.id))} (see 'svclint rules')`
        : `${where ? `${where}: ` : ''}unknown key '${extra}'${closest(extra, known)}`;
    } else if (e.keyword === 'enum') {
      text = `${where}: must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
    } else if ((e.keyword === 'pattern' || e.keyword === 'maxLength') && PATTERN_WHY[field] && where === field) {
      text = `${where}: '${String((raw as Record<string, unknown>)[field])}' ${PATTERN_WHY[field]}`;
    } else {
      text = `${where || '(top level)'}: ${e.message ?? 'is invalid'}`;
    }
    if (!out.includes(text)) out.push(text);
  }
  return out.length ? out : ['(top level): is invalid'];
}

/** Loads and validates a config file. Any problem is a UsageError naming the file and the field. */
export async function loadConfig(file: string, rules: RuleMeta[]): Promise<Config> {
  const read = await readCapped(file, MAX_CONFIG_BYTES, new InputBudget());
  if (!('text' in read)) {
    const r = read.refused;
    const why = r.messageId === 'ioError' ? String(r.data.reason) : r.messageId === 'binary' ? 'it is binary' : 'it is larger than 1 MiB';
    throw new UsageError(`cannot read config ${file}: ${why}`);
  }
  const text = read.text;
  let raw: unknown;
  try {
    raw = parseQuiet(text, { prettyErrors: false }) ?? {};
  } catch (err) {
    throw new UsageError(`config ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  // `kubernetesVersion: 1.37` is a YAML number: read it as the version it spells.
  if (typeof raw === 'object' && raw !== null && typeof (raw as Record<string, unknown>).kubernetesVersion === 'number') {
    const r = raw as Record<string, unknown>;
    r.kubernetesVersion = String(r.kubernetesVersion);
  }
  // ajv is CommonJS: Node's loader gives it named exports, a bundle only a default (the
  // module object, which carries `Ajv` too). Take it from whichever is there.
  const ajvModule = (await import('ajv')) as unknown as { Ajv?: typeof import('ajv').Ajv; default: { Ajv: typeof import('ajv').Ajv } };
  const Ajv = ajvModule.Ajv ?? ajvModule.default.Ajv;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const validate = ajv.compile(configSchema(rules));
  if (!validate(raw)) throw new UsageError(`invalid config ${file}: ${configErrors(validate.errors!, raw, rules).join('; ')}`);
  const obj = raw as Record<string, unknown>;
  const cfg = defaultConfig();
  cfg.file = file;
  cfg.base = path.dirname(file);
  for (const [id, v] of Object.entries((obj.rules ?? {}) as Record<string, unknown>)) {
    cfg.rules[id] = typeof v === 'string' ? { severity: v as RuleSetting } : (v as RuleConfig);
  }
  if (Array.isArray(obj.ignore)) cfg.ignore = obj.ignore as string[];
  if (typeof obj.namespace === 'string') cfg.namespace = obj.namespace;
  if (typeof obj.clusterDomain === 'string') {
    cfg.clusterDomain = obj.clusterDomain;
    cfg.clusterDomainGiven = true;
  }
  if (typeof obj.failLevel === 'string') cfg.failLevel = obj.failLevel as Severity;
  if (typeof obj.kubernetesVersion === 'string') cfg.kubernetesVersion = obj.kubernetesVersion;
  if (obj.networkPolicy) {
    const np = obj.networkPolicy as NetworkPolicySettings;
    const dns = np.clusterDns;
    cfg.networkPolicy = { ...np, ...(dns?.ports ? { clusterDns: { ...dns, ports: dns.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })) } } : {}) };
  }
  if (typeof obj.completeInput === 'boolean') cfg.completeInput = obj.completeInput;
  if (obj.maxInputBytes !== undefined) {
    cfg.maxInputBytes = parseSize(obj.maxInputBytes as string | number);
    if (cfg.maxInputBytes === undefined) throw new UsageError(`invalid config ${file}: maxInputBytes: must be a size such as 512MiB, 2GB or a number of bytes`);
  }
  return cfg;
}
