import type { Rule } from '../../src/types/rule.js';
import { reportLoadProblems } from '../../src/engine/rule-kit.js';

const rule: Rule = {
  meta: {
    id: 'file-unreadable',
    description: 'An input file that could not be read, is binary, or is larger than svclint reads.',
    category: 'syntax',
    severity: 'error',
    messages: {
      ioError: 'cannot read this file ({{code}}): {{reason}}',
      binary: 'this file contains NUL bytes and is not a text manifest; it was not linted',
      tooLarge: 'this file is {{size}} bytes, more than the {{limit}} bytes svclint reads; it was not linted',
    },
    remediation: 'Make the file readable, or leave it out with an `ignore` glob in .svclint.yaml.',
  },
  check(ctx) {
    reportLoadProblems(ctx, 'file-unreadable');
  },
};

export default rule;
