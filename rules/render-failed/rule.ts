import type { Rule } from '../../src/types/rule.js';
import { networkCause } from '../../src/load/render.js';
/** Helm's words for a chart whose dependencies were not fetched. */
const DEPENDENCIES = /helm dependency build|missing in charts\/ directory|found in Chart\.yaml, but missing/i;

/**
 * A remote resource kustomize could not fetch (`https://github.com/…?ref=v1`, a git URL) for
 * want of the network: the name lookup, the connection or git's fetch failed. What the
 * kustomization would give is unknown, not wrong.
 */
const UNREACHABLE = /accumulating resources from '((?:https?:\/\/|git@|ssh:\/\/|github\.com\/)[^']+)'[^]*?(?:dial tcp|no such host|Could not resolve host|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable)/;

/**
 * A values schema that refuses the chart's own defaults only for values left out or null
 * (`at '/policy': got null, want string`, `missing property 'x'`): a value the chart demands at
 * install, as a template's `required` does.
 */
function schemaDemands(reason: string): boolean {
  if (!/values don't meet the specifications of the schema/i.test(reason)) return false;
  const problems = [...reason.matchAll(/- at '[^']*': ([^|]+)/g)].map((m) => m[1]!);
  return problems.length > 0 && problems.every((x) => /got null|missing propert/i.test(x));
}

const rule: Rule = {
  meta: {
    id: 'render-failed',
    description: 'A Helm chart or kustomization that could not be rendered (the tool is missing, or it failed; info when a chart lacks its fetched dependencies, values it demands or a values.yaml made at build time, or a kustomization\'s remote resource or chart is not fetched); the rest of the input is still linted.',
    category: 'syntax',
    severity: 'error',
    messages: {
      missingTool: 'this folder needs {{tool}} to render, and it is not installed; install it, or render yourself and pipe the output: `{{hint}}`',
      failed: '{{command}} failed: {{reason}}',
      missingDependencies: '{{command}} failed because the chart\'s dependencies are not in its charts/ folder, so this chart was not linted: {{reason}}',
      valuesDemanded: '{{command}} failed because the chart demands values {{given}} do not give, so this chart was not linted: {{reason}}{{hint}}',
      valuesMissing: '{{command}} failed because the chart has no values.yaml{{template}} and its templates read values it does not hold, so this chart was not linted: {{reason}}',
      helmCharts: '{{command}} needs `--enable-helm` to inflate {{charts}} (helmCharts), and {{why}}, so this kustomization was not linted; render it with `kustomize build --enable-helm` and pipe the output to `svclint -`',
      remoteUnreachable: '{{command}} failed because it could not fetch the remote resource {{url}} ({{cause}}), so this kustomization was not linted',
      schemaUnreachable: 'the chart\'s values.schema.json refers to the schema {{url}}, which helm could not fetch ({{cause}}): the chart was rendered with `--skip-schema-validation` and linted, without checking its values against its schema',
      apiAssumed: 'the chart fails unless the cluster serves {{apis}} (a `.Capabilities.APIVersions` check), which `helm template` cannot know offline: it was rendered with `{{flags}}` and linted, as it renders in a cluster that serves it',
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
      // committed in most repositories; Argo CD and `helm install` fetch them), values it demands
      // (`required`, `fail`) or a values.yaml made at build time, charts kustomize would fetch, a
      // remote resource that cannot be reached from here. svclint could not lint it: info.
      if (p.messageId === 'apiAssumed') {
        ctx.report({ messageId: 'apiAssumed', severity: 'info', data: p.data, file, remediation: 'Install the API\'s CustomResourceDefinitions in the cluster before the chart, or turn off the values that need it.' });
      } else if (p.messageId === 'schemaUnreachable') {
        ctx.report({ messageId: 'schemaUnreachable', severity: 'info', data: p.data, file, remediation: 'Lint where the schema can be fetched (with network access) to check the values against it too.' });
      } else if (p.messageId === 'helmCharts') {
        ctx.report({ messageId: 'helmCharts', severity: 'info', data: p.data, file, remediation: 'Vendor the charts into the folder\'s chart home (charts/<name>), where svclint inflates them, or render the kustomization yourself and pipe the output.' });
      } else if (p.messageId === 'failed' && /helm template/.test(command) && p.data.noValues !== undefined) {
        const t = String(p.data.noValues);
        ctx.report({ messageId: 'valuesMissing', severity: 'info', data: { ...p.data, template: t ? ` (${t} beside it is filled in at build time)` : '' }, file, remediation: `Lint with the values the chart is installed with: --helm-values <file>${t ? ` (made from ${t})` : ''}.` });
      } else if (p.messageId === 'failed' && /helm template/.test(command) && DEPENDENCIES.test(reason)) {
        ctx.report({ messageId: 'missingDependencies', severity: 'info', data: p.data, file, remediation: 'Run `helm dependency build` in the chart folder (it fetches the charts Chart.yaml lists into charts/), then lint again; or render yourself and pipe the output.' });
      } else if (p.messageId === 'failed' && /helm template/.test(command) && (/\bexecution error at \(/.test(reason) || schemaDemands(reason))) {
        // With values given, they (not the chart's defaults) leave out what it demands: a values file for another setup, or one short of a value.
        const given = / --(?:values|set) /.test(command) ? 'that the values given and its defaults' : 'its defaults';
        ctx.report({ messageId: 'valuesDemanded', severity: 'info', data: { hint: '', ...p.data, given }, file, remediation: given === 'its defaults' ? 'Pass the values the chart asks for: --helm-values <file> or --helm-set key=value (a values file for linting, such as ci/lint-values.yaml, is common).' : 'Add the value the error names to the values given (--helm-values <file> or --helm-set key=value).' });
      } else if (p.messageId === 'failed' && /kustomize/.test(command) && UNREACHABLE.test(reason)) {
        const url = UNREACHABLE.exec(reason)![1]!;
        const cause = networkCause(reason, url);
        ctx.report({ messageId: 'remoteUnreachable', severity: 'info', data: { command, url: `\`${url}\``, cause }, file, remediation: 'Lint where the remote resource can be fetched (with network access), or vendor it into the repository and refer to the local copy.' });
      } else {
        ctx.report({ messageId: p.messageId, data: p.data, file });
      }
    }
  },
};

export default rule;
