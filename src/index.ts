export { lint, lintText, buildFromFiles, type LintInput, type LintResult } from './lint.js';
export { discover } from './load/discover.js';
export { computeRoutes, formatRoutesText, type ServiceRoutes } from './graph/routes.js';
export { defaultConfig, findConfig, type Config } from './engine/config.js';
export { fingerprint, fingerprintParts } from './engine/fingerprint.js';
import { loadConfig as loadConfigWith, type Config } from './engine/config.js';
import type { RuleMeta } from './types/rule.js';
import { RULES } from '../rules/index.js';

/** Reads and validates a `.svclint.yaml`; rule ids are checked against `rules` (default: every built-in rule). */
export function loadConfig(file: string, rules: readonly RuleMeta[] = RULES.map((r) => r.meta)): Promise<Config> {
  return loadConfigWith(file, [...rules]);
}
export { format, FORMATS, type Format } from './report/index.js';
export { RULES } from '../rules/index.js';
export type { Finding, Location, Severity, Category, RelatedInfo } from './types/finding.js';
export type { K8sObject, ObjectRef, Path } from './types/object.js';
export type { ServiceGraph, ServiceNode, PodTemplate } from './types/graph.js';
export type { Rule, RuleMeta, RuleContext, RuleReport, Absence } from './types/rule.js';
export type { SourceFile } from './types/source.js';
