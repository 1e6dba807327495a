import type { Rule } from '../../src/types/rule.js';
/** Helm's words for a chart whose dependencies were not fetched. */
const DEPENDENCIES = /helm dependency build|missing in charts\/ directory|found in Chart\.yaml, but missing/i;

const rule: Rule = {
  meta: {
    id: 'render-failed',
    description: 'A Helm chart or kustomization that could not be rendered (the tool is missing, or it failed; a warning when a chart lacks its fetched dependencies or values it demands); the rest of the input is still linted.',
    category: 'syntax',
    severity: 'error',
    messages: {
      missingTool: 'this folder needs {{tool}} to render, and it is not installed; install it, or render yourself and pipe the output: `{{hint}}`',
      failed: '{{command}} failed: {{reason}}',
      missingDependencies: '{{command}} failed because the chart\'s dependencies are not in its charts/ folder, so this chart was not linted: {{reason}}',
      valuesDemanded: '{{command}} failed because the chart demands values its defaults do not give, so this chart was not linted: {{reason}}{{hint}}',
    },
    remediation: 'Fix the chart or kustomization so that it renders, or install the renderer svclint names.',
  },
  check(ctx) {
    for (const p of ctx.graph.loadProblems) {
      if (p.ruleId !== 'render-failed') continue;
      const file = { source: p.file, path: p.filePath, range: p.range };
      const reason = String(p.data.reason ?? '');
      const command = String(p.data.command ?? '');
      // What the folder does not hold is not a fault of the chart: its dependencies (never
      // committed in most repositories), or values it demands (`required`, `fail`).
      if (p.messageId === 'failed' && /helm template/.test(command) && DEPENDENCIES.test(reason)) {
        ctx.report({ messageId: 'missingDependencies', severity: 'warning', data: p.data, file, remediation: 'Run `helm dependency build` in the chart folder (it fetches the charts Chart.yaml lists into charts/), then lint again; or render yourself and pipe the output.' });
      } else if (p.messageId === 'failed' && /helm template/.test(command) && /\bexecution error at \(/.test(reason)) {
        ctx.report({ messageId: 'valuesDemanded', severity: 'warning', data: { hint: '', ...p.data }, file, remediation: 'Pass the values the chart asks for: --helm-values <file> or --helm-set key=value (a values file for linting, such as ci/lint-values.yaml, is common).' });
      } else {
        ctx.report({ messageId: p.messageId, data: p.data, file });
      }
    }
  },
};

export default rule;
