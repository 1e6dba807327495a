import type { ReportInput } from './summary.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function format(name: Format, input: ReportInput, opts: { color: boolean }): string {
  switch (name) {
    case 'json':
      return formatJson(input);
    case 'stylish':
      return formatStylish(input, opts);
  }
}

export type { ReportInput, Summary } from './summary.js';
export { countBySeverity } from './summary.js';
