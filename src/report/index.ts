import type { ReportInput } from './summary.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';
import { formatSarif } from './sarif.js';
import { formatGithub } from './github.js';
import { formatMarkdown } from './markdown.js';
import { formatJunit } from './junit.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'markdown', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export function format(name: Format, input: ReportInput, opts: { color: boolean }): string {
  switch (name) {
    case 'json':
      return formatJson(input);
    case 'stylish':
      return formatStylish(input, opts);
    case 'sarif':
      return formatSarif(input);
    case 'github':
      return formatGithub(input);
    case 'markdown':
      return formatMarkdown(input);
    case 'junit':
      return formatJunit(input);
  }
}

export type { ReportInput, Summary } from './summary.js';
export { countBySeverity } from './summary.js';
