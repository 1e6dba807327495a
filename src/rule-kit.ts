import type { PodTemplate } from './types/graph.js';
import type { RuleContext } from './types/rule.js';
import { describe, refOf } from './types/object.js';

/** Small helpers rule modules share. */

/** `Deployment shop/web`: the workload that owns a pod template. */
export const where = (t: PodTemplate): string => describe(refOf(t.owner));

/** Reports the load problems (unreadable files, syntax errors) that belong to a rule. */
export function reportLoadProblems(ctx: RuleContext, ruleId: string): void {
  for (const p of ctx.graph.loadProblems) {
    if (p.ruleId !== ruleId) continue;
    ctx.report({ messageId: p.messageId, data: p.data, file: { source: p.file, path: p.filePath, range: p.range } });
  }
}
