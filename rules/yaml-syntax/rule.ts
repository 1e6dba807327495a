import type { Rule } from '../../src/types/rule.js';
import { reportLoadProblems } from '../../src/engine/rule-kit.js';

const rule: Rule = {
  meta: {
    id: 'yaml-syntax',
    description: 'A YAML or JSON document that cannot be parsed; the other documents of the file are still linted.',
    category: 'syntax',
    severity: 'error',
    messages: {
      syntaxError: 'YAML syntax error: {{reason}}',
      duplicateKey: 'duplicate key `{{key}}` in this map: kubectl and Helm keep this last value and silently drop the earlier one (svclint reads it so too), and kustomize — which Flux runs on every folder — rejects the file ("mapping key already defined")',
      aliasBomb: 'this document expands more than {{limit}} aliases, which looks like an alias bomb; it was not linted',
      aliasExpansion: 'the aliases of this file expand to more than {{limit}} of values, which looks like an alias bomb; this document was not linted',
      tooLargeToParse: 'this document is {{size}}, more than the {{limit}} the API server accepts in one request, and needs the full YAML parser (it has anchors, tags, tabs or an error); it was not linted',
      tooDeep: 'this document is nested too deeply to read ({{reason}}); it was not linted',
      parserFailure: 'this file could not be parsed: {{reason}}',
      jinjaTemplate: 'this is a Jinja template, not a manifest (`{{statement}}` is a template statement, which plain YAML cannot read): what it renders to is not in the file; render it and lint the output',
      templateExpression: 'this is a template (Jinja, Ansible, Mustache), not a manifest (`{{expression}}` is a template expression, which plain YAML reads as a map or cannot read): what it renders to is not in the file; render it and lint the output',
      goTemplate: 'this is a Go template, not a manifest (`{{action}}` is a template action, which plain YAML cannot read): a program fills it in before it is applied, and what it renders to is not in the file; render it and lint the output',
      helmTemplate: 'this is a Helm chart template, not a manifest (`{{action}}` is a template action, which plain YAML cannot read): lint the chart\'s folder, which svclint renders with helm template, or pipe `helm template` output to `svclint -`',
    },
    remediation: 'Fix the YAML at this position; `kubectl apply` would reject the file too.',
  },
  check(ctx) {
    reportLoadProblems(ctx, 'yaml-syntax');
  },
};

export default rule;
