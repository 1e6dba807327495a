import type { K8sObject, Path } from './object.js';
import type { Category, Severity } from './finding.js';
import type { ServiceGraph } from './graph.js';
import type { SourceFile } from './source.js';

/** What a rule is, as data: tools read it without running the rule. */
export interface RuleMeta {
  id: string;
  description: string;
  category: Category;
  severity: Severity;
  /** The rule reads a cluster's live state: it runs only in `svclint doctor`. */
  liveOnly?: boolean;
  /** Message templates by id; `{{key}}` is replaced by the report's data. */
  messages: Record<string, string>;
  /** One imperative sentence ending with a period. */
  remediation: string;
  /** JSON schema of the rule's options (validated with the config). */
  options?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
}

export interface RelatedReport {
  object: K8sObject;
  path: Path;
  message: string;
}

export interface RuleReport {
  messageId: string;
  data?: Record<string, string | number>;
  /** The object the finding is about, and the path inside it. */
  object?: K8sObject;
  path?: Path;
  /**
   * The text inside the value at `path` that the finding is about (a URL in a ConfigMap's
   * configuration file): the position narrows to where the value's source writes it, when it
   * does so verbatim (not inside base64 or escapes).
   */
  text?: string;
  /** For findings about a file rather than an object (syntax errors). */
  file?: { source?: SourceFile; path: string; range?: [number, number] };
  related?: RelatedReport[];
  /** Another severity for this report (the evidence is weaker or stronger); used only when the user did not configure the rule. */
  severity?: Severity;
  /** Overrides the rule's remediation for this report. */
  remediation?: string;
  /**
   * The finding rests on something the input does not hold (a Service, pods): the severity
   * contract in the rule kit (evidenceSeverity) makes it info unless the input is declared
   * complete, and says in the message what is missing and where svclint looked.
   */
  absent?: Absence;
}

/** What a finding found missing, and how to recognise it in a file that did not load. */
export interface Absence {
  /** How the message names it: "Service `web` in namespace `shop`". */
  what: string;
  namespace: string;
  /** A missing Service: the creators table may know who makes it out of band. */
  service?: string;
  /** Missing pods: these labels, as a selector. */
  podLabels?: Record<string, string>;
  /**
   * The input holds strong evidence of a mistake all the same (a near-miss name or label):
   * the severity stays, unless a creator or a file that failed to load explains the absence.
   */
  nearMiss?: boolean;
}

export interface RuleContext {
  graph: ServiceGraph;
  options: Record<string, unknown>;
  report(r: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
