import type { RuleMeta } from '../types/rule.js';

export const RULE_FORMATS = ['text', 'json', 'markdown'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

export function formatRules(rules: RuleMeta[], fmt: RuleFormat): string {
  if (fmt === 'json') {
    return `${JSON.stringify(rules.map((r) => ({ id: r.id, category: r.category, severity: r.severity, description: r.description, remediation: r.remediation })), null, 2)}\n`;
  }
  if (fmt === 'markdown') {
    const rows = rules.map((r) => `| [\`${r.id}\`](rules/${r.id}/README.md) | ${r.category} | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`);
    return `| Rule | Category | Default severity | Description |\n|---|---|---|---|\n${rows.join('\n')}\n`;
  }
  const w = Math.max(...rules.map((r) => r.id.length));
  return `${rules.map((r) => `${r.id.padEnd(w)}  ${r.category.padEnd(9)}  ${r.severity.padEnd(7)}  ${r.description}`).join('\n')}\n`;
}
