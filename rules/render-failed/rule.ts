import type { Rule } from '../../src/types/rule.js';
import { reportLoadProblems } from '../../src/engine/rule-kit.js';

const rule: Rule = {
  meta: {
    id: 'render-failed',
    description: 'A Helm chart or kustomization that could not be rendered (the tool is missing, or it failed); the rest of the input is still linted.',
    category: 'syntax',
    severity: 'error',
    messages: {
      missingTool: 'this folder needs {{tool}} to render, and it is not installed; install it, or render yourself and pipe the output: `{{hint}}`',
      failed: '{{command}} failed: {{reason}}',
    },
    remediation: 'Fix the chart or kustomization so that it renders, or install the renderer svclint names.',
  },
  check(ctx) {
    reportLoadProblems(ctx, 'render-failed');
  },
};

export default rule;
