import type { Severity } from '../types/finding.js';
import type { RuleMeta } from '../types/rule.js';
import type { NetworkPolicySettings } from '../types/graph.js';
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
export declare const CONFIG_NAMES: string[];
export declare function defaultConfig(): Config;
/** Finds `.svclint.yaml` in `cwd` or the nearest parent folder. */
export declare function findConfig(cwd: string): string | undefined;
export declare const DNS1123_SUBDOMAIN_RE: RegExp;
export declare function configSchema(rules: RuleMeta[]): Record<string, unknown>;
/** Loads and validates a config file. Any problem is a UsageError naming the file and the field. */
export declare function loadConfig(file: string, rules: RuleMeta[]): Promise<Config>;
