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
      tooLargeStream: 'this input goes on past the {{limit}} bytes svclint reads (a device or a stream); reading stopped there and it was not linted',
      notRegular: 'this is not a regular file (a pipe, socket or device found in a folder); it was not read',
      folderError: 'cannot read this folder ({{code}}): {{reason}}; the files in it were not linted',
    },
    remediation: 'Make the file readable, or leave it out with an `ignore` glob in .svclint.yaml.',
  },
  check(ctx) {
    reportLoadProblems(ctx, 'file-unreadable');
  },
};

export default rule;
